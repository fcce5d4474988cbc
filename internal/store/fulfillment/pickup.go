package fulfillment

import (
	"context"
	"time"

	"github.com/omshq/oms"
)

const selectExpiredPickups = `
SELECT order_seq, n FROM fulfillments
WHERE status = 'ready_for_pickup' AND shipped_at IS NULL AND updated_at < $1
ORDER BY updated_at
LIMIT $2`

// ExpirePickups cancels the pickups that have waited at the counter longer
// than the setting allows: what is left of each such order is cancelled, its
// stock released and an event recorded. Every server runs it; each order is
// expired in its own transaction, under its lock, so two never expire the
// same one. It returns how many were expired.
func (fl *Floor) ExpirePickups(ctx context.Context, by oms.Principal) (int, error) {
	actor := by.Actor()
	set, err := fl.store.FulfillmentSettings(ctx)
	if err != nil {
		return 0, err
	}
	cutoff := fl.store.Now().UTC().Add(-time.Duration(set.PickupExpiryDays) * 24 * time.Hour)
	rows, err := fl.store.Read(ctx, selectExpiredPickups, cutoff, 100)
	if err != nil {
		return 0, err
	}
	type key struct {
		seq int64
		n   int
	}
	var due []key
	for rows.Next() {
		var k key
		if err := rows.Scan(&k.seq, &k.n); err != nil {
			rows.Close()
			return 0, err
		}
		due = append(due, k)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	n := 0
	for _, k := range due {
		expired := false
		err := fl.store.Update(ctx, func(tx Tx) (err error) {
			expired, err = tx.ExpirePickup(ctx, k.seq, k.n, cutoff, actor)
			return err
		})
		if err != nil {
			return n, err
		}
		if expired {
			n++
		}
	}
	return n, nil
}
