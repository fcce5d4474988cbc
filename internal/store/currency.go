package store

import (
	"context"
	"encoding/json"

	"github.com/omshq/oms"
	"github.com/omshq/oms/money"
)

const currencyKey = "currency"

// CurrencySettings returns the currency settings (no base currency until
// one is set).
func (db *DB) CurrencySettings(ctx context.Context) (oms.CurrencySettings, error) {
	var s oms.CurrencySettings
	err := db.view(ctx, func(tx *Tx) (err error) {
		s, err = tx.currencySettings(ctx)
		return err
	})
	return s, err
}

func (tx *Tx) currencySettings(ctx context.Context) (oms.CurrencySettings, error) {
	return tx.db.currency.get(func() (oms.CurrencySettings, error) {
		var s oms.CurrencySettings
		return s, tx.setting(ctx, currencyKey, &s)
	})
}

// PutCurrencySettings replaces the currency settings. A new base currency
// applies to the orders placed from then on: an order keeps the base
// currency it was placed under. It returns EINVALID naming base_currency for
// a code that is not in the ISO 4217 table.
func (db *DB) PutCurrencySettings(ctx context.Context, s oms.CurrencySettings, by oms.Principal) error {
	actor := by.Actor()
	if _, ok := money.Lookup(s.BaseCurrency); s.BaseCurrency != "" && !ok {
		return oms.Invalid("base_currency", "must be an ISO 4217 currency code such as EUR, or empty for none")
	}
	b, err := json.Marshal(s)
	if err != nil {
		return err
	}
	err = db.update(ctx, func(tx *Tx) error {
		if _, err := tx.ExecContext(ctx, upsertSetting, currencyKey, string(b), tx.Now()); err != nil {
			return err
		}
		return tx.addEvent(ctx, oms.EventSettingsSaved, currencyKey, "", actor, s)
	})
	db.currency.forget()
	return err
}
