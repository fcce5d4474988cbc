package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"time"

	"github.com/omshq/oms"
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

const selectDueWebhookEndpoints = `
SELECT e.id FROM webhook_endpoints e
WHERE e.enabled AND EXISTS (SELECT 1 FROM webhook_deliveries d
  WHERE d.endpoint_id = e.id AND d.status IN ('pending', 'failed') AND d.next_attempt_at <= $1
    AND (d.lease_until IS NULL OR d.lease_until <= $1)
    AND (d.order_key = '' OR NOT EXISTS (SELECT 1 FROM webhook_deliveries p
      WHERE p.endpoint_id = d.endpoint_id AND p.order_key = d.order_key AND p.event_seq < d.event_seq
        AND p.status IN ('pending', 'failed'))))
ORDER BY e.id`

// SetWebhookQueue makes the writes that queue webhook deliveries (the
// fan-out, a retry, a replay) enqueue, in their transaction, the delivery
// job of each endpoint concerned: enqueue is called with the transaction
// and the endpoints' ids. Without it the deliveries wait for whoever polls
// (the loop dispatcher, or the sweep). Call it before the store is used.
func (db *DB) SetWebhookQueue(enqueue func(ctx context.Context, tx *sql.Tx, endpointIDs []string) error) {
	db.jobs.deliverLater = enqueue
}

// deliverLater enqueues the delivery jobs of the endpoints, when there is
// a queue.
func (tx *Tx) deliverLater(ctx context.Context, endpointIDs []string) error {
	if tx.db.jobs.deliverLater == nil || len(endpointIDs) == 0 {
		return nil
	}
	if err := tx.db.jobs.deliverLater(ctx, tx.Tx, endpointIDs); err != nil {
		return fmt.Errorf("enqueue webhook deliveries: %w", err)
	}
	return nil
}

// DueWebhookEndpoints returns the enabled endpoints with a delivery that
// may be attempted now: due, not claimed by a live lease, and not behind
// an open delivery of its order.
func (db *DB) DueWebhookEndpoints(ctx context.Context) ([]string, error) {
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
func (db *DB) ClaimEndpointDeliveries(ctx context.Context, endpointID string, lease time.Duration, n int) ([]WebhookJob, error) {
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
	return db.claimFor(ctx, ep, lease, n)
}

// distinctEndpoints returns the ids of the endpoints in ids, once each.
func distinctEndpoints(ids []string) []string {
	slices.Sort(ids)
	return slices.Compact(ids)
}
