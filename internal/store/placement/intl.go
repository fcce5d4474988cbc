package placement

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/fx"
	"github.com/omshq/oms/internal/store/orders"
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
func (tx *Tx) prepareIntl(ctx context.Context, batch []*orders.Pending) error {
	for _, p := range batch {
		p.Base = "" // set again on every attempt, as the order is
	}
	if err := tx.computeTaxes(ctx, batch); err != nil {
		return err
	}
	return tx.baseTotals(ctx, batch)
}

// computeTaxes charges the tax rules of each order's destination on the
// orders whose draft asks for it (see tax.Rules.Charge): the ship-to
// address, else the pickup location's, else the billing address.
func (tx *Tx) computeTaxes(ctx context.Context, batch []*orders.Pending) error {
	var todo []*orders.Pending
	var pickups []any
	for _, p := range batch {
		if p.Err != nil || !p.Draft.ComputeTax {
			continue
		}
		todo = append(todo, p)
		if !hasCountry(p.Order.ShipTo) && p.Order.PickupLocation != "" {
			pickups = append(pickups, p.Order.PickupLocation)
		}
	}
	if len(todo) == 0 {
		return nil
	}
	rules, err := tx.DB.Settings.TaxRulesIn(ctx, tx.Seam())
	if err != nil {
		return err
	}
	stores, err := tx.locationAddresses(ctx, pickups)
	if err != nil {
		return err
	}
	for _, p := range todo {
		o := p.Order
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
		p.Err = rules.Charge(o, dest)
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
	in, args := tx.DB.Engine.InList("code", "text", codes, nil)
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
func (tx *Tx) baseTotals(ctx context.Context, batch []*orders.Pending) error {
	set, err := tx.DB.Settings.CurrencyIn(ctx, tx.Seam())
	if err != nil || set.BaseCurrency == "" {
		return err
	}
	base := set.BaseCurrency
	var days []time.Time
	for _, p := range batch {
		if p.Err == nil && p.Order.Currency != base {
			days = append(days, fx.Day(p.Order.PlacedAt))
		}
	}
	rates, err := tx.DB.Rates.RatesIn(ctx, tx.Seam(), days)
	if err != nil {
		return err
	}
	for _, p := range batch {
		if p.Err != nil {
			continue
		}
		o := p.Order
		p.Base = base
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

// intlColumns are the order row's base totals and computed tax.
func intlColumns(p *orders.Pending) ([]any, error) {
	o := p.Order
	cols := make([]any, 10)
	if p.Base != "" {
		cols[0] = p.Base
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
