package webhooks

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/webhook"
)

// The webhook delivery queue: with the durable job queue (internal/jobs),
// each endpoint's deliveries are attempted by a job of that endpoint. The
// fan-out enqueues the jobs of the endpoints it wrote deliveries for in the
// same transaction (SetWebhookQueue), and a periodic sweep
// (DueWebhookEndpoints) finds the endpoints whose retries came due. A job
// claims its endpoint's due deliveries (ClaimEndpointDeliveries) under a
// lease, so that two jobs of one endpoint, or a job and the loop
// dispatcher, never attempt a delivery twice at once, and a killed
// server's claims go out again when their lease ends.

// eligibleAt are the conditions on a delivery d that may be attempted at
// the time parameter at: open, due, not leased, and the first open
// delivery of its order to its endpoint (headOfOrder).
func eligibleAt(at string) string {
	return `d.status IN ('pending', 'failed') AND d.next_attempt_at <= ` + at + `
    AND (d.lease_until IS NULL OR d.lease_until <= ` + at + `) AND ` + headOfOrder
}

// headOfOrder says that the open delivery d is not behind an open delivery
// of its order to its endpoint. It is written as "the first open one of
// the order", ORDER BY … LIMIT 1, rather than as NOT EXISTS an earlier one:
// PostgreSQL, without statistics on the table (a table that grew from
// empty, autovacuum behind), costed the NOT EXISTS as well through the
// index of open deliveries by endpoint and event (0017) as through the one
// by endpoint and order (0011), took the first, and read every open
// delivery of the endpoint before d for each d, which made a sweep or a
// claim quadratic in the backlog (a minute and more with 20,000 open). The
// first of an order is found through the index by endpoint and order on
// either engine.
const headOfOrder = `(d.order_key = '' OR d.event_seq = (SELECT p.event_seq FROM webhook_deliveries p
      WHERE p.endpoint_id = d.endpoint_id AND p.order_key = d.order_key AND p.status IN ('pending', 'failed')
      ORDER BY p.event_seq LIMIT 1))`

// eligibleDeliveries are the conditions on a delivery d of endpoint $1
// that may be attempted at $2.
var eligibleDeliveries = `d.endpoint_id = $1 AND ` + eligibleAt("$2")

var (
	selectEligibleDelivery = `SELECT d.id FROM webhook_deliveries d WHERE ` + eligibleDeliveries + ` LIMIT 1`
	// claimEligibleDeliveries leases up to $4 eligible deliveries until $3,
	// the first events first. The outer conditions are checked again on
	// the row another transaction changed meanwhile (PostgreSQL), so two
	// claims never take the same delivery.
	claimEligibleDeliveries = `
UPDATE webhook_deliveries SET lease_until = $3
WHERE id IN (SELECT d.id FROM webhook_deliveries d WHERE ` + eligibleDeliveries + ` ORDER BY d.event_seq LIMIT $4)
  AND status IN ('pending', 'failed') AND (lease_until IS NULL OR lease_until <= $2)
RETURNING id, attempts, event_seq, order_key`
)

const selectDeliveryEventsIn = `
SELECT seq, type, subject, order_id, actor, data, created_at FROM events WHERE seq IN (`

// selectDueWebhookEndpoints looks, for each enabled endpoint, for its first
// eligible delivery by event: a subquery per endpoint that stops at the
// first (an EXISTS, PostgreSQL joined, and read every eligible delivery of
// every endpoint). $1 is the time.
var selectDueWebhookEndpoints = `
SELECT e.id FROM webhook_endpoints e
WHERE e.enabled AND (SELECT d.id FROM webhook_deliveries d
  WHERE d.endpoint_id = e.id AND ` + eligibleAt("$1") + `
  ORDER BY d.event_seq LIMIT 1) IS NOT NULL
ORDER BY e.id`

// SetWebhookQueue makes the writes that queue webhook deliveries (the
// fan-out, a retry, a replay) enqueue, in their transaction, the delivery
// job of each endpoint concerned: enqueue is called with the transaction
// and the endpoints' ids. Without it the deliveries wait for whoever polls
// (the loop dispatcher, or the sweep). Call it before the store is used.
func (db *Hooks) SetWebhookQueue(enqueue func(ctx context.Context, tx *sql.Tx, endpointIDs []string) error) {
	db.jobs.deliverLater = enqueue
}

// deliverLater enqueues the delivery jobs of the endpoints, when there is
// a queue.
func (tx *Tx) deliverLater(ctx context.Context, endpointIDs []string) error {
	if tx.db.jobs.deliverLater == nil || len(endpointIDs) == 0 {
		return nil
	}
	if err := tx.db.jobs.deliverLater(ctx, tx.SQL(), endpointIDs); err != nil {
		return fmt.Errorf("enqueue webhook deliveries: %w", err)
	}
	return nil
}

// DueWebhookEndpoints returns the enabled endpoints with a delivery that
// may be attempted now: due, not claimed by a live lease, and not behind
// an open delivery of its order.
func (db *Hooks) DueWebhookEndpoints(ctx context.Context) ([]string, error) {
	var ids []string
	err := db.view(ctx, func(tx *Tx) error {
		ids = nil
		rows, err := tx.QueryContext(ctx, selectDueWebhookEndpoints, tx.now)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				return err
			}
			ids = append(ids, id)
		}
		return rows.Err()
	})
	return ids, err
}

// ClaimEndpointDeliveries leases, for lease, up to n deliveries of the
// endpoint that may be attempted now (webhook.Eligible: of each order only
// the earliest open delivery, once due), as ClaimWebhookDeliveries does for
// one endpoint. It claims none when the endpoint is disabled or gone.
func (db *Hooks) ClaimEndpointDeliveries(ctx context.Context, endpointID string, lease time.Duration, n int) ([]WebhookJob, error) {
	return db.ClaimEndpointChains(ctx, endpointID, lease, n, 1)
}

// ClaimEndpointChains is ClaimEndpointDeliveries that leases, with the
// first open delivery of each of up to n orders, the open deliveries of the
// order after it, up to chain in all, in event order: the chain stops
// before the first that is not due or is leased, so that its deliveries
// may be sent one after the other. A delivery of no order is a chain of
// one. The jobs come in event order.
func (db *Hooks) ClaimEndpointChains(ctx context.Context, endpointID string, lease time.Duration, n, chain int) ([]WebhookJob, error) {
	if n <= 0 {
		return nil, nil
	}
	ep, err := db.endpoint(ctx, db.read, endpointID)
	if oms.ErrorCode(err) == oms.ENOTFOUND || (err == nil && !ep.Enabled) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var due bool // a first look, without taking the writer when nothing is due
	err = db.view(ctx, func(tx *Tx) error {
		var id string
		err := tx.QueryRowContext(ctx, selectEligibleDelivery, ep.ID, tx.now).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		due = err == nil
		return err
	})
	if err != nil || !due {
		return nil, err
	}
	var jobs []WebhookJob
	err = db.update(ctx, func(tx *Tx) error {
		jobs = jobs[:0]
		until := tx.now.Add(lease)
		rows, err := tx.QueryContext(ctx, claimEligibleDeliveries, ep.ID, tx.now, until, n)
		if err != nil {
			return err
		}
		bySeq := map[int64]int{}
		var args []any
		var in strings.Builder
		var heads []claimed
		for rows.Next() {
			var h claimed
			if err := rows.Scan(&h.id, &h.attempts, &h.seq, &h.key); err != nil {
				rows.Close()
				return err
			}
			heads = append(heads, h)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		more, err := tx.claimFollowers(ctx, ep.ID, heads, until, chain-1)
		if err != nil {
			return err
		}
		for _, c := range append(heads, more...) {
			j, seq := WebhookJob{DeliveryID: c.id, Attempt: c.attempts}, c.seq
			j.Attempt++
			j.Endpoint, j.Secrets, j.Lease = webhook.Endpoint{ID: ep.ID, URL: ep.URL}, ep.secrets(tx.now), until
			bySeq[seq] = len(jobs)
			jobs = append(jobs, j)
			args = append(args, seq)
			if len(args) > 1 {
				in.WriteString(", ")
			}
			fmt.Fprintf(&in, "$%d", len(args))
		}
		if len(jobs) == 0 {
			return nil
		}
		rows, err = tx.QueryContext(ctx, selectDeliveryEventsIn+in.String()+")", args...)
		if err != nil {
			return err
		}
		evs, err := scanOutbox(rows)
		rows.Close()
		if err != nil {
			return err
		}
		if len(evs) != len(jobs) {
			return fmt.Errorf("webhook deliveries: %d events for %d deliveries", len(evs), len(jobs))
		}
		for _, ev := range evs {
			jobs[bySeq[ev.Seq]].Event = WebhookEvent(ev.Event)
		}
		seqOf := make(map[string]int64, len(jobs))
		for seq, i := range bySeq {
			seqOf[jobs[i].DeliveryID] = seq
		}
		slices.SortFunc(jobs, func(a, b WebhookJob) int { return cmp.Compare(seqOf[a.DeliveryID], seqOf[b.DeliveryID]) })
		return nil
	})
	return jobs, err
}

// distinctEndpoints returns the ids of the endpoints in ids, once each.
func distinctEndpoints(ids []string) []string {
	slices.Sort(ids)
	return slices.Compact(ids)
}
