package orders

import (
	"context"
	"encoding/json"

	"github.com/omshq/oms"
)

const fulfillmentKey = "fulfillment"

// defaultPickupExpiryDays applies until the setting is saved.
const defaultPickupExpiryDays = 7

// FulfillmentSettings returns the fulfillment settings.
func (db *DB) FulfillmentSettings(ctx context.Context) (oms.FulfillmentSettings, error) {
	var s oms.FulfillmentSettings
	err := db.view(ctx, func(tx *Tx) (err error) {
		s, err = tx.FulfillmentSettings(ctx)
		return err
	})
	return s, err
}

func (tx *Tx) FulfillmentSettings(ctx context.Context) (oms.FulfillmentSettings, error) {
	return tx.DB.fulfill.Get(func() (oms.FulfillmentSettings, error) {
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
		if _, err := tx.ExecContext(ctx, upsertSetting, fulfillmentKey, string(b), tx.Now()); err != nil {
			return err
		}
		return tx.AddEvent(ctx, oms.EventSettingsSaved, fulfillmentKey, "", actor, s)
	})
	db.fulfill.Forget()
	return err
}
