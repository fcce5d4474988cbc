package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/fx"
	"github.com/omshq/oms/internal/store/fxrates"
	"github.com/omshq/oms/internal/store/sqldb"
)

// The international part of order placement: tax computed for orders that
// came without it, and totals in the base currency. Both read only caches
// (tax rules, the base currency, the rates by day), so a batch costs no
// query per order; a pickup order to tax by its store's address costs one
// query per batch.

const selectLocationAddresses = `SELECT code, address FROM locations WHERE %s`

// prepareIntl computes the tax of the batch's orders that came without it
// and their totals in the base currency. An order is never refused for
// want of a rate: it records no base totals until one is imported. It runs
// after prepareOrder and before sourcing and screening, which see the
// totals with their tax.
func (tx *Tx) prepareIntl(ctx context.Context, batch []*pending) error {
	for _, p := range batch {
		p.base = "" // set again on every attempt, as the order is
	}
	if err := tx.computeTaxes(ctx, batch); err != nil {
		return err
	}
	return tx.baseTotals(ctx, batch)
}

// computeTaxes charges the tax rules of each order's destination on the
// orders whose draft asks for it (see tax.Rules.Charge): the ship-to
// address, else the pickup location's, else the billing address.
func (tx *Tx) computeTaxes(ctx context.Context, batch []*pending) error {
	var todo []*pending
	var pickups []any
	for _, p := range batch {
		if p.err != nil || !p.draft.ComputeTax {
			continue
		}
		todo = append(todo, p)
		if !hasCountry(p.order.ShipTo) && p.order.PickupLocation != "" {
			pickups = append(pickups, p.order.PickupLocation)
		}
	}
	if len(todo) == 0 {
		return nil
	}
	rules, err := tx.db.Settings.TaxRulesIn(ctx, tx.Tx)
	if err != nil {
		return err
	}
	stores, err := tx.locationAddresses(ctx, pickups)
	if err != nil {
		return err
	}
	for _, p := range todo {
		o := p.order
		dest := o.ShipTo
		if !hasCountry(dest) {
			dest = stores[o.PickupLocation]
		}
		if !hasCountry(dest) {
			dest = o.Billing
		}
		if !hasCountry(dest) {
			dest = nil
		}
		p.err = rules.Charge(o, dest)
	}
	return nil
}

func hasCountry(a *oms.Address) bool { return a != nil && a.Country != "" }

// locationAddresses returns the addresses of the locations with the codes.
func (tx *Tx) locationAddresses(ctx context.Context, codes []any) (map[string]*oms.Address, error) {
	out := make(map[string]*oms.Address, len(codes))
	if len(codes) == 0 {
		return out, nil
	}
	in, args := tx.db.engine.InList("code", "text", codes, nil)
	rows, err := tx.QueryContext(ctx, fmt.Sprintf(selectLocationAddresses, in), args...)
	if err != nil {
		return nil, fmt.Errorf("location addresses: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var code, raw string
		if err := rows.Scan(&code, &raw); err != nil {
			return nil, err
		}
		var a oms.Address
		if err := json.Unmarshal([]byte(raw), &a); err != nil {
			return nil, fmt.Errorf("location %s address: %w", code, err)
		}
		out[code] = &a
	}
	return out, rows.Err()
}

// baseTotals converts each live order's totals into the base currency, if
// one is set, at the rates in force on the order's date.
func (tx *Tx) baseTotals(ctx context.Context, batch []*pending) error {
	set, err := tx.db.Settings.CurrencyIn(ctx, tx.Tx)
	if err != nil || set.BaseCurrency == "" {
		return err
	}
	base := set.BaseCurrency
	var days []time.Time
	for _, p := range batch {
		if p.err == nil && p.order.Currency != base {
			days = append(days, fx.Day(p.order.PlacedAt))
		}
	}
	rates, err := tx.db.Rates.RatesIn(ctx, tx.Tx, days)
	if err != nil {
		return err
	}
	for _, p := range batch {
		if p.err != nil {
			continue
		}
		o := p.order
		p.base = base
		day := fx.Day(o.PlacedAt)
		var rs fx.RateSet
		if r := rates[day]; r != nil {
			rs = *r
		} else if o.Currency != base {
			continue // no rate yet: an import of the day's rates fills it
		}
		if b, err := fx.ToBase(o.Totals, o.Currency, base, rs, day); err == nil {
			o.Base = &b
		}
	}
	return nil
}

// updateRebasing is the store's write transaction as an import of exchange
// rates runs it (fxrates.Writer): the orders it rebases go on the change feed.
func (db *DB) updateRebasing(ctx context.Context, fn func(*sqldb.Tx, fxrates.Rebased) error) error {
	return db.update(ctx, func(tx *Tx) error { return fn(tx.Tx, tx.ordersRebased) })
}

// intlColumns are the order row's base totals and computed tax.
func (p *pending) intlColumns() ([]any, error) {
	o := p.order
	cols := make([]any, 10)
	if p.base != "" {
		cols[0] = p.base
	}
	if b := o.Base; b != nil {
		cols[1], cols[2], cols[3], cols[4] = b.Rate, b.RateDate, b.Subtotal, b.DiscountTotal
		cols[5], cols[6], cols[7], cols[8] = b.ShippingTotal, b.TaxTotal, b.DutiesTotal, b.Total
	}
	if o.ComputedTax != nil {
		j, err := json.Marshal(o.ComputedTax)
		if err != nil {
			return nil, err
		}
		cols[9] = string(j)
	}
	return cols, nil
}

// intlCols are the columns intlColumns fills, with their PostgreSQL types.
var intlCols = []column{{Name: "base_currency", Type: "text"}, {Name: "base_rate", Type: "text"}, {Name: "base_rate_date", Type: "text"},
	{Name: "base_subtotal", Type: "bigint"}, {Name: "base_discount_total", Type: "bigint"}, {Name: "base_shipping_total", Type: "bigint"},
	{Name: "base_tax_total", Type: "bigint"}, {Name: "base_duties_total", Type: "bigint"}, {Name: "base_total", Type: "bigint"}, {Name: "computed_tax", Type: "text"}}

// intlScan receives the columns of intlCols as the order reads select them.
type intlScan struct {
	currency, rate, day                 sql.NullString
	sub, disc, ship, tax, duties, total sql.NullInt64
	computed                            sql.NullString
}

func (s *intlScan) targets() []any {
	return []any{&s.currency, &s.rate, &s.day, &s.sub, &s.disc, &s.ship, &s.tax, &s.duties, &s.total, &s.computed}
}

// apply sets the order's base totals, when recorded, and computed tax.
func (s *intlScan) apply(o *oms.Order) error {
	if s.rate.Valid {
		o.Base = &oms.BaseTotals{Currency: s.currency.String, Rate: s.rate.String, RateDate: s.day.String,
			Totals: oms.Totals{Subtotal: s.sub.Int64, DiscountTotal: s.disc.Int64, ShippingTotal: s.ship.Int64,
				TaxTotal: s.tax.Int64, DutiesTotal: s.duties.Int64, Total: s.total.Int64}}
	}
	if s.computed.Valid {
		o.ComputedTax = new(oms.TaxComputation)
		if err := json.Unmarshal([]byte(s.computed.String), o.ComputedTax); err != nil {
			return fmt.Errorf("order %s computed tax: %w", o.ID, err)
		}
	}
	return nil
}
