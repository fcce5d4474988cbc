package reports

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/omshq/oms"
)

const (
	// selectSpells reads the stockout spells that overlap [$1, $2).
	selectSpells = `
SELECT i.sku, l.code, s.started_at, s.ended_at
FROM stockout_spells s
JOIN items i ON i.id = s.item_id JOIN locations l ON l.id = s.location_id
WHERE s.started_at < $2 AND (s.ended_at IS NULL OR s.ended_at >= $1)
  AND ($3 = 0 OR s.item_id = $3) AND ($4 = 0 OR s.location_id = $4)
ORDER BY s.item_id, s.location_id, s.started_at`
	// selectBackorders reads the backorder counts of the days [$1, $2).
	selectBackorders = `
SELECT i.sku, b.day, SUM(b.orders), SUM(b.units)
FROM backorder_days b JOIN items i ON i.id = b.item_id
WHERE b.day >= $1 AND b.day < $2 AND ($3 = 0 OR b.item_id = $3)
GROUP BY i.sku, b.day`
)

// stockoutColumns are the stockouts report's columns.
var stockoutColumns = []oms.ReportColumn{
	{Name: "period", Type: oms.ColText, Doc: "the day, week (its Monday) or month"},
	{Name: "sku", Type: oms.ColText, Doc: "the item"},
	{Name: "location", Type: oms.ColText, Doc: "the location's code; empty on the SKU's total row, which also carries its backorders (they belong to no location)"},
	{Name: "stockout_days", Type: oms.ColInteger, Doc: "SKU-days out of stock: days on which on hand − reserved was 0 or less at some moment (on the total row, summed over locations)"},
	{Name: "stockouts", Type: oms.ColInteger, Doc: "times a movement took the last unreserved unit (a stockout began)"},
	{Name: "backordered_orders", Type: oms.ColInteger, Doc: "orders placed with units of the SKU left waiting for stock (total row only)"},
	{Name: "backordered_units", Type: oms.ColInteger, Doc: "the units those orders left waiting (total row only)"},
}

// stockoutKey is a row of the stockouts report.
type stockoutKey struct{ period, sku, location string }

type stockoutRow struct {
	days, starts, orders, units int64
	total                       bool
}

// StockoutReport returns, per period, SKU and location, the days out of
// stock and the stockouts that began, and per period and SKU (location
// empty) their totals with the orders that backordered. A stockout spell
// that is still going counts up to today. The range is taken in whole UTC
// days. It returns EINVALID naming sku or location when unknown, or channel.
func (db *Reports) StockoutReport(ctx context.Context, q oms.ReportQuery) (*oms.Report, error) {
	from, to := dayRange(q.Range)
	rep := &oms.Report{Name: "stockouts", Period: q.Period, Columns: stockoutColumns}
	f, t := dayTime(from), dayTime(to)
	rep.From, rep.To = &f, &t
	err := db.view(ctx, func(tx *txn) error {
		filter, err := tx.stockFilter(ctx, q)
		if err != nil {
			return err
		}
		rows := make(map[stockoutKey]*stockoutRow)
		at := func(k stockoutKey) *stockoutRow {
			r := rows[k]
			if r == nil {
				r = &stockoutRow{}
				rows[k] = r
			}
			return r
		}
		last := min(to, epochDay(tx.now)+1)
		if err := tx.stockoutDays(ctx, from, to, last, filter, q.Period, at); err != nil {
			return err
		}
		if filter.location == 0 {
			if err := tx.backorders(ctx, from, to, filter, q.Period, at); err != nil {
				return err
			}
		} else {
			rep.Notes = append(rep.Notes, "backorders belong to no location: with a location filter they are left out")
		}
		keys := make([]stockoutKey, 0, len(rows))
		for k := range rows {
			keys = append(keys, k)
		}
		sort.Slice(keys, func(i, j int) bool {
			a, b := keys[i], keys[j]
			if a.period != b.period {
				return a.period < b.period
			}
			if a.sku != b.sku {
				return a.sku < b.sku
			}
			return a.location < b.location
		})
		for _, k := range keys {
			r := rows[k]
			if k.location == "" {
				rep.Row(k.period, k.sku, "", r.days, r.starts, r.orders, r.units)
			} else {
				rep.Row(k.period, k.sku, k.location, r.days, r.starts, nil, nil)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return rep, nil
}

// stockoutDays counts each location's days out of stock in [from, to) —
// an open spell up to last — and the spells that began, per period, adding
// them to the SKU's total row unless the report is for one location.
func (tx *txn) stockoutDays(ctx context.Context, from, to, last int64, f stockFilter, p oms.Period,
	at func(stockoutKey) *stockoutRow) error {
	rows, err := tx.QueryContext(ctx, selectSpells, dayTime(from), dayTime(to), f.item, f.location)
	if err != nil {
		return fmt.Errorf("stockouts: %w", err)
	}
	defer rows.Close()
	var prevSKU, prevLoc string
	counted := int64(-1) // the pair's last day counted: spells may share a day
	for rows.Next() {
		var sku, loc string
		var start time.Time
		var end *time.Time
		if err := rows.Scan(&sku, &loc, &start, &end); err != nil {
			return err
		}
		if sku != prevSKU || loc != prevLoc {
			prevSKU, prevLoc, counted = sku, loc, -1
		}
		first, stop := max(epochDay(start), from, counted+1), last-1
		if end != nil {
			stop = min(epochDay(*end), to-1)
		}
		if d := epochDay(start); d >= from && d < to {
			label := p.Label(dayTime(d))
			at(stockoutKey{label, sku, loc}).starts++
			if f.location == 0 {
				at(stockoutKey{label, sku, ""}).starts++
			}
		}
		for d := first; d <= stop; d++ {
			label := p.Label(dayTime(d))
			at(stockoutKey{label, sku, loc}).days++
			if f.location == 0 {
				at(stockoutKey{label, sku, ""}).days++
			}
			counted = d
		}
	}
	return rows.Err()
}

// backorders adds the orders that backordered, per period and SKU.
func (tx *txn) backorders(ctx context.Context, from, to int64, f stockFilter, p oms.Period,
	at func(stockoutKey) *stockoutRow) error {
	rows, err := tx.QueryContext(ctx, selectBackorders, from, to, f.item)
	if err != nil {
		return fmt.Errorf("backorders: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var sku string
		var day, orders, units int64
		if err := rows.Scan(&sku, &day, &orders, &units); err != nil {
			return err
		}
		r := at(stockoutKey{p.Label(dayTime(day)), sku, ""})
		r.orders += orders
		r.units += units
	}
	return rows.Err()
}
