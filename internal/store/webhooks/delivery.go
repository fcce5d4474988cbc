package webhooks

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/store/sqldb"
	"github.com/omshq/oms/internal/webhook"
)

// Webhook deliveries: claiming the ones that are due (per endpoint, in
// order per order, under a lease), recording each attempt, the delivery
// log, and retry and replay.

const (
	// selectOpenDeliveries reads the open deliveries of an endpoint that
	// are first of their order, so that one order's backlog cannot hide
	// the other orders' deliveries behind it.
	selectOpenDeliveries = `
SELECT id, order_key, event_seq, next_attempt_at, lease_until FROM webhook_deliveries d
WHERE endpoint_id = $1 AND status IN ('pending', 'failed')
  AND ` + headOfOrder + `
ORDER BY event_seq LIMIT $2`
	// claimDelivery leases a delivery that is still open, due, not leased
	// by another server, and not behind an open delivery of the same order
	// to the same endpoint.
	claimDelivery = `
UPDATE webhook_deliveries SET lease_until = $2
WHERE id = $1 AND status IN ('pending', 'failed') AND next_attempt_at <= $3
  AND (lease_until IS NULL OR lease_until <= $3)
  AND (order_key = '' OR event_seq = (SELECT p.event_seq FROM webhook_deliveries p
    WHERE p.endpoint_id = webhook_deliveries.endpoint_id AND p.order_key = webhook_deliveries.order_key
      AND p.status IN ('pending', 'failed') ORDER BY p.event_seq LIMIT 1))
RETURNING attempts, event_seq`
	selectDeliveryEvent = `
SELECT seq, type, subject, order_id, actor, data, created_at FROM events WHERE seq = $1`
	releaseDelivery = `UPDATE webhook_deliveries SET lease_until = NULL WHERE id = $1 AND lease_until = $2`
	deliveryColumns = `
SELECT d.id, d.endpoint_id, d.event_seq, e.type, e.order_id, d.status, d.attempts, d.next_attempt_at,
  d.last_attempt_at, d.last_status_code, d.last_latency_ms, d.last_error, d.last_response, d.created_at
FROM webhook_deliveries d JOIN events e ON e.seq = d.event_seq`
	selectDeliveries = deliveryColumns + `
WHERE d.endpoint_id = $1 AND ($2 = '' OR d.status = $2) AND ($3 = 0 OR d.event_seq < $3)
ORDER BY d.event_seq DESC LIMIT $4`
	selectWebhookDelivery = deliveryColumns + ` WHERE d.endpoint_id = $1 AND d.id = $2`
	requeueDelivery       = `
UPDATE webhook_deliveries SET status = 'pending', attempts = 0, next_attempt_at = $3
WHERE endpoint_id = $1 AND id = $2`
	selectReplayEvents = `
SELECT seq, type, subject, order_id, actor, data, created_at FROM events
WHERE created_at >= $1 AND created_at < $2 ORDER BY seq LIMIT $3`
	replayDelivery = `
INSERT INTO webhook_deliveries (id, endpoint_id, event_seq, order_key, status, next_attempt_at, created_at)
VALUES ($1, $2, $3, $4, 'pending', $5, $5)
ON CONFLICT (endpoint_id, event_seq) DO UPDATE SET status = 'pending', attempts = 0, next_attempt_at = $5`
)

// MaxReplayEvents bounds the events one replay reads.
const MaxReplayEvents = 10000

// WebhookJob is a delivery claimed for one attempt: where it goes, the
// secrets that sign it, the event, and the attempt's number.
type WebhookJob struct {
	DeliveryID string
	Endpoint   webhook.Endpoint
	Secrets    []string
	Event      webhook.Event
	Attempt    int       // 1 for the first
	Lease      time.Time // the claim holds until then
}

// ClaimWebhookDeliveries leases, for lease, the deliveries that may be
// attempted now: per enabled endpoint at most perEndpoint of them, and of
// each order only the earliest open delivery (webhook.Eligible), so that an
// order's events reach an endpoint in order and one endpoint's backlog never
// holds up another's. A delivery another server leased is left alone until
// its lease runs out; so is one behind an open delivery of its order.
// perEndpoint says how many an endpoint may take now (its free slots).
func (db *Hooks) ClaimWebhookDeliveries(ctx context.Context, lease time.Duration, perEndpoint func(endpointID string) int) ([]WebhookJob, error) {
	var eps []endpointRow
	if err := db.view(ctx, func(tx *Tx) (err error) { eps, err = tx.enabledEndpoints(ctx); return err }); err != nil {
		return nil, err
	}
	var jobs []WebhookJob
	for _, ep := range eps {
		n := perEndpoint(ep.ID)
		if n <= 0 {
			continue
		}
		js, err := db.claimFor(ctx, ep, lease, n)
		if err != nil {
			return jobs, err
		}
		jobs = append(jobs, js...)
	}
	return jobs, nil
}

// claimFor claims the eligible deliveries of one endpoint.
func (db *Hooks) claimFor(ctx context.Context, ep endpointRow, lease time.Duration, perEndpoint int) ([]WebhookJob, error) {
	// A first look, without taking the writer when nothing is due.
	var due bool
	err := db.view(ctx, func(tx *Tx) error {
		open, err := tx.openDeliveries(ctx, ep.ID, tx.now, 10*perEndpoint+100)
		due = len(webhook.Eligible(open, tx.now)) > 0
		return err
	})
	if err != nil || !due {
		return nil, err
	}
	var jobs []WebhookJob
	err = db.update(ctx, func(tx *Tx) error {
		jobs = nil
		open, err := tx.openDeliveries(ctx, ep.ID, tx.now, 10*perEndpoint+100)
		if err != nil {
			return err
		}
		until := tx.now.Add(lease)
		for _, p := range webhook.Eligible(open, tx.now) {
			if len(jobs) == perEndpoint {
				break
			}
			var attempts int
			var seq int64
			err := tx.QueryRowContext(ctx, claimDelivery, p.ID, until, tx.now).Scan(&attempts, &seq)
			if errors.Is(err, sql.ErrNoRows) {
				continue // another server took it, or it moved
			} else if err != nil {
				return err
			}
			ev, err := tx.webhookEvent(ctx, seq)
			if err != nil {
				return err
			}
			jobs = append(jobs, WebhookJob{DeliveryID: p.ID, Endpoint: webhook.Endpoint{ID: ep.ID, URL: ep.URL},
				Secrets: ep.secrets(tx.now), Event: ev, Attempt: attempts + 1, Lease: until})
		}
		return nil
	})
	return jobs, err
}

// openDeliveries returns the first open deliveries of an endpoint, by
// event seq; one leased by a server is due when its lease ends.
func (tx *Tx) openDeliveries(ctx context.Context, endpointID string, now time.Time, limit int) ([]webhook.Pending, error) {
	rows, err := tx.QueryContext(ctx, selectOpenDeliveries, endpointID, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []webhook.Pending
	for rows.Next() {
		var p webhook.Pending
		var lease sql.NullTime
		if err := rows.Scan(&p.ID, &p.Key, &p.Seq, &p.Due, &lease); err != nil {
			return nil, err
		}
		if lease.Valid && lease.Time.After(now) && lease.Time.After(p.Due) {
			p.Due = lease.Time
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// webhookEvent reads the event with seq as webhook delivers it.
func (tx *Tx) webhookEvent(ctx context.Context, seq int64) (webhook.Event, error) {
	rows, err := tx.QueryContext(ctx, selectDeliveryEvent, seq)
	if err != nil {
		return webhook.Event{}, err
	}
	defer rows.Close()
	evs, err := scanOutbox(rows)
	if err != nil {
		return webhook.Event{}, err
	}
	if len(evs) == 0 {
		return webhook.Event{}, fmt.Errorf("webhook delivery: no event %d", seq)
	}
	return WebhookEvent(evs[0].Event), nil
}

// WebhookEvent is an event as webhook delivers it: keyed by its order.
func WebhookEvent(e oms.Event) webhook.Event {
	return webhook.Event{ID: e.ID, Type: e.Type, Time: e.CreatedAt, Data: e.Data, Key: e.OrderID}
}

// WebhookResult is an attempt a job made.
type WebhookResult struct {
	Job     WebhookJob
	Attempt webhook.Attempt
}

// RecordWebhookAttempt saves the attempt the job made: succeeded, failed
// with its next attempt, or dead; a 410 Gone disables the endpoint and
// leaves the delivery open for when it is enabled again. It does nothing
// when the job's lease ran out and another server took the delivery.
func (db *Hooks) RecordWebhookAttempt(ctx context.Context, job WebhookJob, a webhook.Attempt) error {
	return db.RecordWebhookAttempts(ctx, []WebhookResult{{job, a}})
}

// RecordWebhookAttempts is RecordWebhookAttempt for many attempts, in one
// transaction: a statement per recordChunk attempts, and one per endpoint
// that answered 410 Gone.
func (db *Hooks) RecordWebhookAttempts(ctx context.Context, rs []WebhookResult) error {
	return db.update(ctx, func(tx *Tx) error {
		for chunk := range slices.Chunk(rs, recordChunk) {
			if err := tx.recordAttempts(ctx, chunk); err != nil {
				return err
			}
		}
		var gone []string
		for _, r := range rs {
			if r.Attempt.Outcome == webhook.Gone {
				gone = append(gone, r.Job.Endpoint.ID)
			}
		}
		for _, id := range distinctEndpoints(gone) {
			if err := tx.disableEndpoint(ctx, id, "gone"); err != nil {
				return err
			}
		}
		return nil
	})
}

// recordChunk bounds the attempts one statement records: 9 values each,
// far below SQLite's parameter limit.
const recordChunk = 256

// recordAttemptCols are the values of an attempt that recordAttempts
// writes on its delivery, when the delivery is still under the job's lease.
var recordAttemptCols = []column{{"id", "text"}, {"lease", "timestamptz"}, {"status", "text"},
	{"next_at", "timestamptz"}, {"at", "timestamptz"}, {"code", "bigint"}, {"latency", "bigint"},
	{"error", "text"}, {"response", "text"}}

const recordAttempts = `
UPDATE webhook_deliveries SET status = v.status, attempts = attempts + 1, next_attempt_at = v.next_at,
  lease_until = NULL, last_attempt_at = v.at, last_status_code = v.code, last_latency_ms = v.latency,
  last_error = v.error, last_response = v.response
FROM %s WHERE webhook_deliveries.id = v.id AND webhook_deliveries.lease_until = v.lease`

// recordAttempts saves the attempts the jobs made, in one statement: a
// success, a failure with its next attempt, a dead letter; a 410 Gone
// leaves the delivery open, due at once for when its endpoint is enabled
// again. An attempt whose lease ran out (another server took the
// delivery) changes nothing.
func (tx *Tx) recordAttempts(ctx context.Context, rs []WebhookResult) error {
	rows := make([][]any, len(rs))
	for i, r := range rs {
		a := r.Attempt
		status, next := oms.DeliveryFailed, a.Next
		switch a.Outcome {
		case webhook.Success:
			status, next = oms.DeliverySucceeded, a.At
		case webhook.Dead:
			status, next = oms.DeliveryDead, a.At
		case webhook.Gone:
			next = a.At
		}
		var code any
		if a.StatusCode != 0 {
			code = int64(a.StatusCode)
		}
		rows[i] = []any{r.Job.DeliveryID, r.Job.Lease, string(status), next.UTC(), a.At.UTC(),
			code, a.Latency.Milliseconds(), a.Error, a.Body}
	}
	// A repeat of the last row updates its delivery once.
	rows = sqldb.PadRows(tx.db.engine.Name, rows, rows[len(rows)-1])
	table, args := tx.db.engine.rowTable(recordAttemptCols, rows, nil, "v")
	if _, err := tx.ExecContext(ctx, fmt.Sprintf(recordAttempts, table), args...); err != nil {
		return fmt.Errorf("record webhook attempts: %w", err)
	}
	return nil
}

// disableEndpoint disables an enabled endpoint for the reason.
func (tx *Tx) disableEndpoint(ctx context.Context, id, reason string) error {
	res, err := tx.ExecContext(ctx, disableWebhookEndpoint, id, reason, tx.now)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return err
	}
	return tx.addEvent(ctx, oms.EventWebhookEndpointDisabled, id, "", "oms", oms.WebhookEndpointDisabled{ID: id, Reason: reason})
}

// ReleaseWebhookJob gives up the job's claim without counting an attempt
// (the server is stopping), so that the delivery goes out again at once.
func (db *Hooks) ReleaseWebhookJob(ctx context.Context, job WebhookJob) error {
	return db.update(ctx, func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, releaseDelivery, job.DeliveryID, job.Lease)
		return err
	})
}

// WebhookDeliveries returns the delivery log of an endpoint, newest event
// first: up to limit deliveries, of one status when status is not empty,
// of events before the seq before (0: from the newest), and the seq to ask
// for the next page before (0 on the last page). It returns ENOTFOUND for
// an unknown endpoint.
func (db *Hooks) WebhookDeliveries(ctx context.Context, endpointID, status string, before int64, limit int) ([]oms.WebhookDelivery, int64, error) {
	if _, err := db.endpoint(ctx, db.read, endpointID); err != nil {
		return nil, 0, err
	}
	out := []oms.WebhookDelivery{}
	var seqs []int64
	err := db.view(ctx, func(tx *Tx) error {
		rows, err := tx.QueryContext(ctx, selectDeliveries, endpointID, status, before, limit+1)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			d, seq, err := scanDelivery(rows)
			if err != nil {
				return err
			}
			out, seqs = append(out, d), append(seqs, seq)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, 0, err
	}
	var next int64
	if len(out) > limit {
		out, next = out[:limit], seqs[limit-1]
	}
	return out, next, nil
}

func scanDelivery(row scanner) (oms.WebhookDelivery, int64, error) {
	var d oms.WebhookDelivery
	var seq int64
	var oid *string
	var next time.Time
	var last sql.NullTime
	var code, latency sql.NullInt64
	err := row.Scan(&d.ID, &d.EndpointID, &seq, &d.EventType, &oid, &d.Status, &d.Attempts, &next,
		&last, &code, &latency, &d.LastError, &d.LastResponse, &d.CreatedAt)
	if err != nil {
		return d, 0, err
	}
	d.EventID = eventID(seq)
	if oid != nil {
		d.OrderID = *oid
	}
	if d.Status == oms.DeliveryPending || d.Status == oms.DeliveryFailed {
		n := next.UTC()
		d.NextAttemptAt = &n
	}
	d.LastAttemptAt = utcPtr(last)
	if code.Valid {
		c := int(code.Int64)
		d.LastStatusCode = &c
	}
	if latency.Valid {
		d.LastLatencyMS = &latency.Int64
	}
	d.CreatedAt = d.CreatedAt.UTC()
	return d, seq, nil
}

// RetryWebhookDelivery queues the delivery again, whatever its state: it
// goes out at once, in its order's place, with the whole retry schedule
// ahead of it. It returns ENOTFOUND for an unknown endpoint or delivery.
func (db *Hooks) RetryWebhookDelivery(ctx context.Context, endpointID, id string) (oms.WebhookDelivery, error) {
	var d oms.WebhookDelivery
	err := db.update(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, requeueDelivery, endpointID, id, tx.now)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return notFound("endpoint %q has no delivery %q", endpointID, id)
		}
		d, _, err = scanDelivery(tx.QueryRowContext(ctx, selectWebhookDelivery, endpointID, id))
		if err != nil {
			return err
		}
		return tx.deliverLater(ctx, []string{endpointID})
	})
	return d, err
}

// ReplayWebhookEvents queues again, for the endpoint, every event that
// happened in [from, to) and matches its event types, delivered before or
// not (made before the endpoint was, or while it was disabled). It returns
// how many deliveries it queued; ENOTFOUND for an unknown endpoint, and
// EINVALID when from is not before to or the range holds more than
// MaxReplayEvents events.
func (db *Hooks) ReplayWebhookEvents(ctx context.Context, endpointID string, from, to time.Time) (int, error) {
	if !from.Before(to) {
		return 0, oms.Invalid("to", "must be after from")
	}
	n := 0
	err := db.update(ctx, func(tx *Tx) error {
		n = 0
		ep, err := db.endpoint(ctx, tx, endpointID)
		if err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, selectReplayEvents, from.UTC(), to.UTC(), MaxReplayEvents+1)
		if err != nil {
			return err
		}
		evs, err := scanOutbox(rows)
		rows.Close()
		if err != nil {
			return err
		}
		if len(evs) > MaxReplayEvents {
			return oms.Invalid("to", "the range holds more than %d events: replay a shorter one", MaxReplayEvents)
		}
		for _, ev := range evs {
			if !webhook.Matches(ep.EventTypes, ev.Type) {
				continue
			}
			if _, err := tx.ExecContext(ctx, replayDelivery, newID("wd"), ep.ID, ev.Seq, ev.OrderID, tx.now); err != nil {
				return err
			}
			n++
		}
		if n == 0 {
			return nil
		}
		return tx.deliverLater(ctx, []string{ep.ID})
	})
	return n, err
}
