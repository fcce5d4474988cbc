package store

import (
	"context"
	"time"
)

// An order's chain: with the first open delivery of an order to an
// endpoint (headOfOrder), a round may claim the open deliveries of the
// order after it, to send them one after the other, so that an order's
// later events need not wait a round each.

// claimChain leases, after the delivery of endpoint $1 and order $2 with
// event seq $3 (the order's first open one, which the claim holds), the
// next open deliveries of the order, up to $6 of them, until $4; $5 is the
// time. The chain stops before the first of them that is not due or is
// leased (a retry made an earlier delivery open again behind a failed
// one, or another server holds it), found the way headOfOrder finds the
// first open one, through the index by endpoint and order alone; the
// outer conditions are checked again on a row another transaction changed
// meanwhile (PostgreSQL).
const claimChain = `
UPDATE webhook_deliveries SET lease_until = $4
WHERE id IN (SELECT f.id FROM webhook_deliveries f
    WHERE f.endpoint_id = $1 AND f.order_key = $2 AND f.status IN ('pending', 'failed') AND f.event_seq > $3
      AND f.event_seq < COALESCE((SELECT b.event_seq FROM webhook_deliveries b
        WHERE b.endpoint_id = $1 AND b.order_key = $2 AND b.status IN ('pending', 'failed') AND b.event_seq > $3
          AND (b.next_attempt_at > $5 OR b.lease_until > $5)
        ORDER BY b.event_seq LIMIT 1), f.event_seq + 1)
    ORDER BY f.event_seq LIMIT $6)
  AND status IN ('pending', 'failed') AND next_attempt_at <= $5 AND (lease_until IS NULL OR lease_until <= $5)
RETURNING id, attempts, event_seq, order_key`

// claimed is a delivery a claim leased.
type claimed struct {
	id       string
	attempts int
	seq      int64
	key      string // the order's; empty for an event of no order
}

// claimFollowers leases, after each claimed first open delivery of an
// order, up to n more open deliveries of the order (claimChain), until
// until, and returns them.
func (tx *Tx) claimFollowers(ctx context.Context, endpointID string, heads []claimed, until time.Time, n int) ([]claimed, error) {
	if n <= 0 {
		return nil, nil
	}
	var out []claimed
	for _, h := range heads {
		if h.key == "" {
			continue
		}
		rows, err := tx.QueryContext(ctx, claimChain, endpointID, h.key, h.seq, until, tx.now, n)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var c claimed
			if err := rows.Scan(&c.id, &c.attempts, &c.seq, &c.key); err != nil {
				rows.Close()
				return nil, err
			}
			out = append(out, c)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// ReleaseWebhookJobs is ReleaseWebhookJob for many jobs, in one
// transaction: the deliveries a round claimed and did not attempt go out
// again at once, in their order's place.
func (db *DB) ReleaseWebhookJobs(ctx context.Context, jobs []WebhookJob) error {
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
