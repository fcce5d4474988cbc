package settings

import (
	"context"
	"encoding/json"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/store/sqldb"
	"github.com/omshq/oms/money"
)

const currencyKey = "currency"

// CurrencySettings returns the currency settings (no base currency until
// one is set).
func (st *Settings) CurrencySettings(ctx context.Context) (oms.CurrencySettings, error) {
	var s oms.CurrencySettings
	err := st.db.View(ctx, func(tx *sqldb.Tx) (err error) {
		s, err = st.CurrencyIn(ctx, tx)
		return err
	})
	return s, err
}

// CurrencyIn returns the currency settings, read in tx when not cached.
func (st *Settings) CurrencyIn(ctx context.Context, tx *sqldb.Tx) (oms.CurrencySettings, error) {
	return st.currency.Get(func() (oms.CurrencySettings, error) {
		var s oms.CurrencySettings
		return s, tx.Setting(ctx, currencyKey, &s)
	})
}

// PutCurrencySettings replaces the currency settings. A new base currency
// applies to the orders placed from then on: an order keeps the base
// currency it was placed under. It returns EINVALID naming base_currency for
// a code that is not in the ISO 4217 table.
func (st *Settings) PutCurrencySettings(ctx context.Context, s oms.CurrencySettings, by oms.Principal) error {
	actor := by.Actor()
	if _, ok := money.Lookup(s.BaseCurrency); s.BaseCurrency != "" && !ok {
		return oms.Invalid("base_currency", "must be an ISO 4217 currency code such as EUR, or empty for none")
	}
	b, err := json.Marshal(s)
	if err != nil {
		return err
	}
	err = st.db.Update(ctx, func(tx *sqldb.Tx) error {
		if _, err := tx.ExecContext(ctx, sqldb.UpsertSetting, currencyKey, string(b), tx.Now()); err != nil {
			return err
		}
		return tx.AddEvent(ctx, oms.EventSettingsSaved, currencyKey, "", actor, s)
	})
	st.currency.Forget()
	return err
}
