package reports

import (
	"context"
	"fmt"

	"github.com/omshq/oms"
	"github.com/omshq/oms/money"
)

// selectStockSums sums the rollup rows that make up a range of days ending
// at $1, per item: month rows of [$2, $3), plus day rows of [$4, $5) and
// [$6, $7), minus day rows of [$8, $9) and [$10, $11). The unit-days count
// each movement's change for the days from its own to the range's end.
// $12 item, $13 location: 0 for all. For one item, %s asks for it by its
// key's first column; else it reads by day.
const selectStockSums = `
SELECT item_id, SUM(sg * net), SUM(sg * (unit_days + net * ($1 - next_day))), SUM(sg * received), SUM(sg * shipped),
    CAST(SUM(sg * cogs) AS BIGINT)
FROM (
    SELECT 1 AS sg, item_id, location_id, net, unit_days, next_day, received, shipped, cogs FROM stock_rollup
    WHERE span = 'month' AND day >= $2 AND day < $3
    UNION ALL
    SELECT 1, item_id, location_id, net, unit_days, next_day, received, shipped, cogs FROM stock_rollup
    WHERE span = 'day' AND day >= $4 AND day < $5
    UNION ALL
    SELECT 1, item_id, location_id, net, unit_days, next_day, received, shipped, cogs FROM stock_rollup
    WHERE span = 'day' AND day >= $6 AND day < $7
    UNION ALL
    SELECT -1, item_id, location_id, net, unit_days, next_day, received, shipped, cogs FROM stock_rollup
    WHERE span = 'day' AND day >= $8 AND day < $9
    UNION ALL
    SELECT -1, item_id, location_id, net, unit_days, next_day, received, shipped, cogs FROM stock_rollup
    WHERE span = 'day' AND day >= $10 AND day < $11
) r
WHERE %s AND ($13 = 0 OR location_id = $13)
GROUP BY item_id`

// sumPlan is which rollup rows add up to a range of days: the month rows of
// months, plus the day rows of plus, minus those of minus (empty spans are
// [0, 0)).
type sumPlan struct {
	months      [2]int64
	plus, minus [2][2]int64
}

// planSums chooses the fewest rows for the days [from, to): month rows for
// the months inside, and for a month the range covers only in part either
// its day rows in the range or its month row less its day rows outside —
// whichever is fewer days, counting no days after today (none has rows).
func planSums(from, to, today int64) sumPlan {
	var p sumPlan
	headFirst, headNext := monthSpan(from)
	tailFirst, tailNext := monthSpan(to - 1)
	if headFirst == tailFirst && (from > headFirst || to < headNext) {
		p.plus[0] = [2]int64{from, to} // within one month
		return p
	}
	p.months = [2]int64{headNext, tailFirst}
	if from == headFirst {
		p.months[0] = headFirst
	} else if from-headFirst < headNext-from {
		p.months[0], p.minus[0] = headFirst, [2]int64{headFirst, from}
	} else {
		p.plus[0] = [2]int64{from, headNext}
	}
	after := max(to, min(tailNext, today+1))
	if to == tailNext {
		p.months[1] = tailNext
	} else if after-to < to-tailFirst {
		p.months[1], p.minus[1] = tailNext, [2]int64{to, after}
	} else {
		p.plus[1] = [2]int64{tailFirst, to}
	}
	return p
}

// stockSums are an item's movements over a range.
type stockSums struct {
	net, unitDays, received, shipped, cogs int64
}

// stockSums sums the rollup over the days [from, to) per item.
func (tx *txn) stockSums(ctx context.Context, from, to int64, f stockFilter) (map[int64]*stockSums, error) {
	p := planSums(from, to, epochDay(tx.now))
	item := "$12 = 0"
	if f.item != 0 {
		item = "item_id = $12"
	}
	rows, err := tx.QueryContext(ctx, fmt.Sprintf(selectStockSums, item), to, p.months[0], p.months[1], p.plus[0][0], p.plus[0][1],
		p.plus[1][0], p.plus[1][1], p.minus[0][0], p.minus[0][1], p.minus[1][0], p.minus[1][1], f.item, f.location)
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
	if err := rows.Err(); err != nil {
		return nil, err
	}
	// The pending deltas' rows that the plan reads, as the query adds them.
	pending, err := tx.pendingStock(ctx)
	if err != nil {
		return nil, err
	}
	for k, r := range pending.rows {
		sg := p.sign(k.span, k.day)
		if sg == 0 || f.item != 0 && k.item != f.item || f.location != 0 && k.location != f.location {
			continue
		}
		s := out[k.item]
		if s == nil {
			s = &stockSums{}
			out[k.item] = s
		}
		s.net += sg * r.net
		s.unitDays += sg * (r.unitDays + r.net*(to-r.next))
		s.received += sg * r.received
		s.shipped += sg * r.shipped
		s.cogs += sg * r.cogs
	}
	return out, nil
}

// sign is what the plan counts a rollup row of span starting on day as,
// as selectStockSums does: the number of its selections with a plus that
// hold the row, less those with a minus.
func (p sumPlan) sign(span string, day int64) int64 {
	in := func(r [2]int64) int64 {
		if day >= r[0] && day < r[1] {
			return 1
		}
		return 0
	}
	if span == spanMonth {
		return in(p.months)
	}
	return in(p.plus[0]) + in(p.plus[1]) - in(p.minus[0]) - in(p.minus[1])
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
func (db *Reports) TurnoverReport(ctx context.Context, q oms.ReportQuery, deadDays int) (*oms.Report, error) {
	if deadDays < 1 || deadDays > maxDeadDays {
		return nil, oms.Invalid("dead_days", "must be a whole number of days from 1 to %d", maxDeadDays)
	}
	from, to := dayRange(q.Range)
	rep := &oms.Report{Name: "turnover", Columns: turnoverColumns}
	f, t := dayTime(from), dayTime(to)
	rep.From, rep.To = &f, &t
	err := db.rollupView(ctx, func(tx *txn) error {
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
			unitDays, ok := mulAddInts(it.opening, days, s.unitDays)
			avgValue, ok2 := oms.MulDiv(unitDays, it.cost, days)
			if !ok || !ok2 {
				return oms.TooLarge("the average inventory value of %s (average on hand × unit cost)", it.sku)
			}
			cur, v := money.convert(it.currency, s.cogs, avgValue)
			dead := "no"
			if closing > 0 && it.recent == 0 {
				dead = "yes"
			}
			rep.Row(it.sku, it.opening, s.received, s.shipped, closing, oms.Quotient(unitDays, days, 2), v[0], v[1],
				oms.ProductQuotient(s.cogs, days, unitDays, it.cost, 4), oms.ProductQuotient(closing, days, s.shipped, 1, 1),
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
// window, by SKU. The opening stock is what is on hand now less the changes
// since the range began (from the rollup, which adds up to the balances:
// oms check verifies it), which reads far fewer rows than each balance's
// state on the eve of the range.
func (tx *txn) turnoverItems(ctx context.Context, from, to int64, deadDays int, f stockFilter) ([]*turnoverItem, error) {
	now, err := tx.stockRows(ctx, selectBalancesNow, f.item, f.location)
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
	later := map[int64]*stockSums{}
	if today := epochDay(tx.now); to <= today {
		if later, err = tx.stockSums(ctx, to, today+1, f); err != nil {
			return nil, err
		}
	}
	byItem := make(map[int64]*turnoverItem)
	for _, r := range now {
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
		byItem[id].opening -= s.net
	}
	for id, s := range later {
		if it := byItem[id]; it != nil {
			it.opening -= s.net
		}
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

// mulAddInts returns a × b + c, and whether it fits in 64 bits.
func mulAddInts(a, b, c int64) (int64, bool) {
	p, ok := money.Mul(a, b)
	s, ok2 := money.Add(p, c)
	return s, ok && ok2
}
