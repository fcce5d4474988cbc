package store

import (
	"context"
	"encoding/json"
	"time"

	"github.com/omshq/oms"
)

const fulfillmentKey = "fulfillment"

// defaultPickupExpiryDays applies until the setting is saved.
const defaultPickupExpiryDays = 7

// FulfillmentSettings returns the fulfillment settings.
func (db *DB) FulfillmentSettings(ctx context.Context) (oms.FulfillmentSettings, error) {
	var s oms.FulfillmentSettings
	err := db.view(ctx, func(tx *Tx) (err error) {
		s, err = tx.fulfillmentSettings(ctx)
		return err
	})
	return s, err
}

func (tx *Tx) fulfillmentSettings(ctx context.Context) (oms.FulfillmentSettings, error) {
	return tx.db.fulfill.Get(func() (oms.FulfillmentSettings, error) {
		s := oms.FulfillmentSettings{PickupExpiryDays: defaultPickupExpiryDays}
		return s, tx.setting(ctx, fulfillmentKey, &s)
	})
}

// PutFulfillmentSettings replaces the fulfillment settings. It returns
// EINVALID for a bad value.
func (db *DB) PutFulfillmentSettings(ctx context.Context, s oms.FulfillmentSettings, by oms.Principal) error {
	actor := by.Actor()
	if s.PickupExpiryDays < 1 || s.PickupExpiryDays > 365 {
		return oms.Invalid("pickup_expiry_days", "must be between 1 and 365")
	}
	b, err := json.Marshal(s)
	if err != nil {
		return err
	}
	err = db.update(ctx, func(tx *Tx) error {
		if _, err := tx.ExecContext(ctx, upsertSetting, fulfillmentKey, string(b), tx.now); err != nil {
			return err
		}
		return tx.addEvent(ctx, oms.EventSettingsSaved, fulfillmentKey, "", actor, s)
	})
	db.fulfill.Forget()
	return err
}

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
func (db *DB) ExpirePickups(ctx context.Context, by oms.Principal) (int, error) {
	actor := by.Actor()
	set, err := db.FulfillmentSettings(ctx)
	if err != nil {
		return 0, err
	}
	cutoff := db.now().UTC().Add(-time.Duration(set.PickupExpiryDays) * 24 * time.Hour)
	rows, err := db.read.QueryContext(ctx, db.engine.rebind(selectExpiredPickups), cutoff, 100)
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
		err := db.update(ctx, func(tx *Tx) error {
			expired = false
			o, ids, fs, f, err := tx.fulfillmentOrder(ctx, oms.FulfillmentID(k.seq, k.n))
			if err != nil {
				return err
			}
			if f.Status != oms.FulfillmentReadyForPickup || !f.UpdatedAt.Before(cutoff) {
				return nil // collected or expired by another server meanwhile
			}
			expired = true
			since := f.UpdatedAt
			return tx.cancel(ctx, o, ids, fs, nil, oms.OrderCancelled{Reason: "pickup expired",
				Fulfillment: f.ID, ReadySince: &since}, actor)
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
