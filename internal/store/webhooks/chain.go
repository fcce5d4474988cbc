package webhooks

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"time"

	"github.com/omshq/oms"
)

// An order's chain: with the first open delivery of an order to an
// endpoint (headOfOrder), a round may claim the open deliveries of the
// order after it, to send them one after the other, so that an order's
// later events need not wait a round each.
//
// The chains are found through the events of the orders (the index of
// events by order) and then the deliveries of those events to the
// endpoint (its unique index by endpoint and event), never through an
// index of open deliveries: PostgreSQL, without statistics on
// webhook_deliveries, costs a look-up of an order's open deliveries the
// same through the index by endpoint and event (0017) as through the one
// by endpoint and order (0011), may take the first, and then reads every
// open delivery of the endpoint for each order (measured: 100 to 300 ms a
// look-up with a few thousand open). Neither statement below can use a
// partial index of open deliveries, so each has one index to take: the
// events' by order, the deliveries' unique one by endpoint and event, and
// the deliveries' primary key.

const (
	// selectChainEvents are the events of the orders (%s: order_id in a
	// list).
	selectChainEvents = `SELECT seq, order_id FROM events WHERE %s`
	// selectEventDeliveries are the deliveries to endpoint $1 of the
	// events (%s: event_seq in a list), whatever their status.
	selectEventDeliveries = `
SELECT id, event_seq, status, next_attempt_at, lease_until FROM webhook_deliveries
WHERE endpoint_id = $1 AND %s`
	// leaseChainDeliveries leases until $1 the deliveries (%s: id in a
	// list, found by the primary key alone), when they are still open and not
	// leased at $2. That they are due was seen by the look in the same
	// transaction. Open is written as neither closed status, which no
	// partial index's condition matches: PostgreSQL otherwise ANDs the
	// due index's every open delivery into the look-up by key.
	leaseChainDeliveries = `
UPDATE webhook_deliveries SET lease_until = $1
WHERE status NOT IN ('succeeded', 'dead') AND (lease_until IS NULL OR lease_until <= $2) AND %s
RETURNING id, attempts, event_seq, order_key`
)

// claimed is a delivery a claim leased.
type claimed struct {
	id       string
	attempts int
	seq      int64
	key      string // the order's; empty for an event of no order
}

// claimFollowers leases, after each claimed first open delivery of an
// order, up to n more open deliveries of the order in event order, until
// until, and returns them. An order's chain stops before the first open
// delivery that is not due or is leased (a retry made an earlier delivery
// open again ahead of a failed one, or another server holds it); closed
// deliveries and events the endpoint does not take are passed over.
func (tx *Tx) claimFollowers(ctx context.Context, endpointID string, heads []claimed, until time.Time, n int) ([]claimed, error) {
	after := map[string]int64{} // order → its claimed first delivery's seq
	for _, h := range heads {
		if h.key != "" {
			after[h.key] = h.seq
		}
	}
	if n <= 0 || len(after) == 0 {
		return nil, nil
	}
	keys := make([]any, 0, len(after))
	for k := range after {
		keys = append(keys, k)
	}
	later := map[string][]int64{} // order → its events after the claimed one
	var seqs []any
	err := tx.eachIn(ctx, selectChainEvents, "order_id", "text", nil, keys, func(s scanner) error {
		var seq int64
		var key string
		if err := s.Scan(&seq, &key); err != nil {
			return err
		}
		if seq > after[key] {
			later[key] = append(later[key], seq)
			seqs = append(seqs, seq)
		}
		return nil
	})
	if err != nil || len(seqs) == 0 {
		return nil, err
	}
	type state struct {
		id             string
		open, takeable bool
	}
	st := map[int64]state{}
	err = tx.eachIn(ctx, selectEventDeliveries, "event_seq", "bigint", []any{endpointID}, seqs, func(s scanner) error {
		var id, status string
		var seq int64
		var due time.Time
		var lease sql.NullTime
		if err := s.Scan(&id, &seq, &status, &due, &lease); err != nil {
			return err
		}
		open := status == string(oms.DeliveryPending) || status == string(oms.DeliveryFailed)
		st[seq] = state{id, open, open && !due.After(tx.now) && (!lease.Valid || !lease.Time.After(tx.now))}
		return nil
	})
	if err != nil {
		return nil, err
	}
	planned := map[string][]int64{} // order → the seqs to lease, in order
	var take []any
	for key, evs := range later {
		slices.Sort(evs)
		k := 0
		for _, seq := range evs {
			s, ok := st[seq]
			if !ok || !s.open {
				continue
			}
			if !s.takeable || k == n {
				break
			}
			planned[key], take, k = append(planned[key], seq), append(take, s.id), k+1
		}
	}
	if len(take) == 0 {
		return nil, nil
	}
	var leased []claimed
	err = tx.eachIn(ctx, leaseChainDeliveries, "id", "text", []any{until, tx.now}, take,
		func(s scanner) error {
			var c claimed
			if err := s.Scan(&c.id, &c.attempts, &c.seq, &c.key); err != nil {
				return err
			}
			leased = append(leased, c)
			return nil
		})
	if err != nil {
		return nil, err
	}
	return tx.keepChains(ctx, leased, planned, until)
}

// keepChains returns the leased deliveries that follow their order's
// claimed first one without a gap in planned (the seqs meant to be leased,
// per order, in order): a delivery another transaction changed between
// the look and the lease (which the lease of the order's first one should
// rule out) cuts its chain there, and the leased ones after it are
// released.
func (tx *Tx) keepChains(ctx context.Context, leased []claimed, planned map[string][]int64, until time.Time) ([]claimed, error) {
	got := map[int64]claimed{}
	for _, c := range leased {
		got[c.seq] = c
	}
	var out []claimed
	for _, seqs := range planned {
		gap := false
		for _, seq := range seqs {
			c, ok := got[seq]
			switch {
			case !ok:
				gap = true
			case gap:
				if _, err := tx.ExecContext(ctx, releaseDelivery, c.id, until); err != nil {
					return nil, err
				}
			default:
				out = append(out, c)
			}
		}
	}
	return out, nil
}

// eachIn runs query with args, its %s the condition that expr (of the
// PostgreSQL type pgType) is one of in (sqldb.Engine.InList), and calls
// fn on each row.
func (tx *Tx) eachIn(ctx context.Context, query, expr, pgType string, args, in []any, fn func(scanner) error) error {
	cond, args := tx.db.engine.InList(expr, pgType, in, slices.Clip(args))
	rows, err := tx.QueryContext(ctx, fmt.Sprintf(query, cond), args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// ReleaseWebhookJobs is ReleaseWebhookJob for many jobs, in one
// transaction: the deliveries a round claimed and did not attempt go out
// again at once, in their order's place.
func (db *Hooks) ReleaseWebhookJobs(ctx context.Context, jobs []WebhookJob) error {
	if len(jobs) == 0 {
		return nil
	}
	return db.update(ctx, func(tx *Tx) error {
		for _, job := range jobs {
			if _, err := tx.ExecContext(ctx, releaseDelivery, job.DeliveryID, job.Lease); err != nil {
				return err
			}
		}
		return nil
	})
}
