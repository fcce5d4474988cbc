// Package settings keeps the business's settings that order placement
// reads with every batch: the screening rules, the base currency and the
// tax rules, each cached for sqldb.SettingsTTL; and the store's name,
// which the customers' pages read. It implements those parts
// of oms.Orders and oms.Admin on the engine seam (sqldb), and hands the
// cached values to the order writers in their transaction (ScreeningIn,
// CurrencyIn, TaxRulesIn).
package settings

import (
	"context"
	"encoding/json"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/store/sqldb"
	"github.com/omshq/oms/internal/tax"
)

const screeningKey = "screening"

// Settings are the settings of a database, with this process's cache of
// them.
type Settings struct {
	db        *sqldb.DB
	screening sqldb.Cached[oms.Screening]
	currency  sqldb.Cached[oms.CurrencySettings]
	taxRules  sqldb.Cached[tax.Rules]
}

// New returns the settings of db.
func New(db *sqldb.DB) *Settings { return &Settings{db: db} }

// Screening returns the screening rules (all off until set).
func (st *Settings) Screening(ctx context.Context) (oms.Screening, error) {
	var s oms.Screening
	err := st.db.View(ctx, func(tx *sqldb.Tx) (err error) {
		s, err = st.ScreeningIn(ctx, tx)
		return err
	})
	return s, err
}

// ScreeningIn returns the screening rules, read in tx when not cached.
func (st *Settings) ScreeningIn(ctx context.Context, tx *sqldb.Tx) (oms.Screening, error) {
	return st.screening.Get(func() (oms.Screening, error) {
		var s oms.Screening
		return s, tx.Setting(ctx, screeningKey, &s)
	})
}

// PutScreening replaces the screening rules. It returns EINVALID for a bad
// rule.
func (st *Settings) PutScreening(ctx context.Context, s oms.Screening, by oms.Principal) error {
	actor := by.Actor()
	if err := s.Validate(); err != nil {
		return err
	}
	b, err := json.Marshal(s)
	if err != nil {
		return err
	}
	err = st.db.Update(ctx, func(tx *sqldb.Tx) error {
		if _, err := tx.ExecContext(ctx, sqldb.UpsertSetting, screeningKey, string(b), tx.Now()); err != nil {
			return err
		}
		return tx.AddEvent(ctx, oms.EventSettingsSaved, screeningKey, "", actor, s)
	})
	st.screening.Forget()
	return err
}
