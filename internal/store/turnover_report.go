package store

import (
	"context"
	"fmt"

	"github.com/omshq/oms"
)

// selectStockSums sums the rollup over [$1, $4) per item: day rows for
// [$1, $2) and [$3, $4), month rows for the whole months [$2, $3); the
// unit-days count each movement's change for the days from its own to the
// range's end ($4). $5 item, $6 location: 0 for all.
const selectStockSums = `
SELECT item_id, SUM(net), SUM(unit_days + net * ($4 - next_day)), SUM(received), SUM(shipped), SUM(cogs)
FROM stock_rollup
WHERE ((span = 'day' AND ((day >= $1 AND day < $2) OR (day >= $3 AND day < $4)))
    OR (span = 'month' AND day >= $2 AND day < $3))
  AND ($5 = 0 OR item_id = $5) AND ($6 = 0 OR location_id = $6)
GROUP BY item_id`

// stockSums are an item's movements over a range.
type stockSums struct {
	net, unitDays, received, shipped, cogs int64
}

// stockSums sums the rollup over the days [from, to) per item, reading
// month rows for the whole months inside and day rows for the rest.
func (tx *Tx) stockSums(ctx context.Context, from, to int64, f stockFilter) (map[int64]*stockSums, error) {
	m1, _ := monthSpan(from)
	if m1 < from {
		_, m1 = monthSpan(from)
	}
	m2, _ := monthSpan(to)
	if m2 <= m1 {
		m1, m2 = to, to // no whole month: every day from day rows
	}
	rows, err := tx.QueryContext(ctx, selectStockSums, from, m1, m2, to, f.item, f.location)
	if err != nil {
		return nil, fmt.Errorf("stock sums: %w", err)
	}
	defer rows.Close()
	out := make(map[int64]*stockSums)
	for rows.Next() {
		var item int64
		var s stockSums
		if err := rows.Scan(&item, &s.net, &s.unitDays, &s.received, &s.shipped, &s.cogs); err != nil {
			return nil, err
		}
		out[item] = &s
	}
	return out, rows.Err()
}

// turnoverColumns are the turnover report's columns.
var turnoverColumns = []oms.ReportColumn{
	{Name: "sku", Type: oms.ColText, Doc: "the item"},
	{Name: "opening_on_hand", Type: oms.ColInteger, Doc: "units on hand when the range starts"},
	{Name: "received", Type: oms.ColInteger, Doc: "units that came in by receipt or return during the range (transfers between locations are not counted)"},
	{Name: "sold", Type: oms.ColInteger, Doc: "units shipped during the range"},
	{Name: "closing_on_hand", Type: oms.ColInteger, Doc: "units on hand when the range ends"},
	{Name: "average_on_hand", Type: oms.ColNumber, Doc: "the mean of the daily closing on hand over the range's days, two decimals"},
	{Name: "cogs", Type: oms.ColMoney, Doc: "cost of goods sold: each unit shipped at the item's unit cost when it shipped"},
	{Name: "average_inventory_value", Type: oms.ColMoney, Doc: "average_on_hand × the item's current unit cost"},
	{Name: "turnover", Type: oms.ColRatio, Doc: "cogs ÷ average_inventory_value (empty when nothing was held)"},
	{Name: "days_of_supply", Type: oms.ColNumber, Doc: "closing_on_hand ÷ (sold ÷ days in the range), one decimal (empty when nothing sold)"},
	{Name: "sell_through", Type: oms.ColRatio, Doc: "sold ÷ (opening_on_hand + received) (empty when both are 0)"},
	{Name: "sold_recently", Type: oms.ColInteger, Doc: "units shipped in the dead_days days up to the range's end"},
	{Name: "dead_stock", Type: oms.ColText, Doc: `"yes" when units are on hand at the end and none shipped in the dead_days days up to it, else "no"`},
	{Name: "currency", Type: oms.ColText, Doc: "the currency of this row's money: the base currency, or the item's cost currency when it could not be converted"},
}

// TurnoverReport returns, per SKU (over every location, or q.Location),
// how its stock turned over the range taken in whole UTC days: see
// turnoverColumns for each figure. Money is converted into the base
// currency at the rates in force on the range's last day; turnover is the
// same in any currency. It returns EINVALID naming sku or location when
// unknown, channel, or dead_days when not positive.
func (db *DB) TurnoverReport(ctx context.Context, q ReportQuery, deadDays int) (*oms.Report, error) {
	if deadDays < 1 || deadDays > maxDeadDays {
		return nil, oms.Invalid("dead_days", "must be a whole number of days from 1 to %d", maxDeadDays)
	}
	from, to := dayRange(q.Range)
	rep := &oms.Report{Name: "turnover", Columns: turnoverColumns}
	f, t := dayTime(from), dayTime(to)
	rep.From, rep.To = &f, &t
	err := db.view(ctx, func(tx *Tx) error {
		filter, err := tx.stockFilter(ctx, q)
		if err != nil {
			return err
		}
		items, err := tx.turnoverItems(ctx, from, to, deadDays, filter)
		if err != nil {
			return err
		}
		money, err := tx.stockMoney(ctx, dayTime(to-1))
		if err != nil {
			return err
		}
		rep.Currency = money.reportCurrency()
		days := to - from
		for _, it := range items {
			s := it.sums
			closing := it.opening + s.net
			unitDays := it.opening*days + s.unitDays
			avgValue := roundDiv(unitDays*it.cost, days)
			cur, v := money.convert(it.currency, s.cogs, avgValue)
			dead := "no"
			if closing > 0 && it.recent == 0 {
				dead = "yes"
			}
			rep.Row(it.sku, it.opening, s.received, s.shipped, closing, oms.Quotient(unitDays, days, 2), v[0], v[1],
				oms.Ratio(s.cogs*days, unitDays*it.cost), oms.Quotient(closing*days, s.shipped, 1),
				oms.Ratio(s.shipped, it.opening+s.received), it.recent, dead, cur)
		}
		rep.Notes = money.notes()
		return nil
	})
	if err != nil {
		return nil, err
	}
	return rep, nil
}

// maxDeadDays bounds dead_days.
const maxDeadDays = 3 * 366

// turnoverItem is one SKU's figures before they are derived.
type turnoverItem struct {
	sku, currency string
	cost, opening int64
	sums          stockSums
	recent        int64 // units shipped in the dead-stock window
}

// turnoverItems gathers, per item held or moved in the range, its opening
// stock, its sums over the range and its units shipped in the dead_days
// window, by SKU.
func (tx *Tx) turnoverItems(ctx context.Context, from, to int64, deadDays int, f stockFilter) ([]*turnoverItem, error) {
	opening, err := tx.closing(ctx, from-1, f)
	if err != nil {
		return nil, err
	}
	sums, err := tx.stockSums(ctx, from, to, f)
	if err != nil {
		return nil, err
	}
	recent, err := tx.stockSums(ctx, to-int64(deadDays), to, f)
	if err != nil {
		return nil, err
	}
	byItem := make(map[int64]*turnoverItem)
	for _, r := range opening {
		it := byItem[r.item]
		if it == nil {
			it = &turnoverItem{}
			byItem[r.item] = it
		}
		it.opening += r.onHand
	}
	for id, s := range sums {
		if byItem[id] == nil {
			byItem[id] = &turnoverItem{}
		}
		byItem[id].sums = *s
	}
	for id, it := range byItem {
		if it.opening == 0 && it.sums == (stockSums{}) {
			delete(byItem, id)
		} else if s := recent[id]; s != nil {
			it.recent = s.shipped
		}
	}
	// The catalog is small beside the rollup: read it whole.
	rows, err := tx.QueryContext(ctx, "SELECT id, sku, unit_cost, currency FROM items ORDER BY sku")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := make([]*turnoverItem, 0, len(byItem))
	for rows.Next() {
		var id, cost int64
		var sku, cur string
		if err := rows.Scan(&id, &sku, &cost, &cur); err != nil {
			return nil, err
		}
		if it := byItem[id]; it != nil {
			it.sku, it.cost, it.currency = sku, cost, cur
			out = append(out, it)
		}
	}
	return out, rows.Err()
}

// roundDiv is a ÷ b rounded half away from zero; b > 0.
func roundDiv(a, b int64) int64 {
	if a < 0 {
		return -roundDiv(-a, b)
	}
	return (a + b/2) / b
}
