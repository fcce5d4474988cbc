package reports

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/fx"
)

const (
	// selectClosing reads each balance's state at the close of the latest
	// day on or before $1 that moved it, and that day, as folded (filters $2
	// item, $3 location: 0 for all); NULL for a balance no folded day moved
	// by then. Both engines must walk the balances, one index seek each,
	// rather than the rollup: SQLite does with a LEFT JOIN, whose left side
	// always leads; PostgreSQL would hash the whole rollup for a join, so it
	// is told with LATERAL (selectClosingPostgres).
	selectClosing = `
SELECT b.item_id, b.location_id, i.sku, l.code, s.on_hand, s.reserved, s.unit_cost, b.safety_stock, i.currency, s.day
FROM balances b
JOIN items i ON i.id = b.item_id JOIN locations l ON l.id = b.location_id
LEFT JOIN stock_rollup s ON s.item_id = b.item_id AND s.location_id = b.location_id AND s.span = 'day'
    AND s.day = (SELECT MAX(x.day) FROM stock_rollup x
                 WHERE x.item_id = b.item_id AND x.location_id = b.location_id AND x.span = 'day' AND x.day <= $1)
WHERE ($2 = 0 OR b.item_id = $2) AND ($3 = 0 OR b.location_id = $3)`
	selectClosingPostgres = `
SELECT b.item_id, b.location_id, i.sku, l.code, s.on_hand, s.reserved, s.unit_cost, b.safety_stock, i.currency, s.day
FROM balances b
JOIN items i ON i.id = b.item_id JOIN locations l ON l.id = b.location_id
LEFT JOIN LATERAL (
    SELECT x.on_hand, x.reserved, x.unit_cost, x.day FROM stock_rollup x
    WHERE x.item_id = b.item_id AND x.location_id = b.location_id AND x.span = 'day' AND x.day <= $1
    ORDER BY x.day DESC LIMIT 1
) s ON true
WHERE ($2 = 0 OR b.item_id = $2) AND ($3 = 0 OR b.location_id = $3)`
	// selectBalancesNow reads the balances as they stand, valued at each
	// item's current cost; no rollup day, as the closing queries have.
	selectBalancesNow = `
SELECT b.item_id, b.location_id, i.sku, l.code, b.on_hand, b.reserved, i.unit_cost, b.safety_stock, i.currency,
    CAST(NULL AS BIGINT)
FROM balances b
JOIN items i ON i.id = b.item_id JOIN locations l ON l.id = b.location_id
WHERE ($1 = 0 OR b.item_id = $1) AND ($2 = 0 OR b.location_id = $2)`
	// selectLedgerFrom finds the first movement at or after an id, to find
	// by bisection where a moment falls in the ledger.
	selectLedgerFrom = `SELECT id, created_at FROM ledger WHERE id >= $1 ORDER BY id LIMIT 1`
	selectLedgerTop  = `SELECT COALESCE(MAX(id), 0) FROM ledger`
	// selectMovesBetween reads the movements with ids in [$1, $2).
	selectMovesBetween = `
SELECT item_id, location_id, on_hand_after, reserved_after FROM ledger
WHERE id >= $1 AND id < $2 ORDER BY id`
)

// stockRow is a balance's state in a stock report.
type stockRow struct {
	item, location         int64
	sku, code              string
	onHand, reserved, cost int64
	safety                 int64
	currency               string
}

// stockFilter is a stock report's item and location, resolved (0: all).
type stockFilter struct{ channel, location, item int64 }

// stockFilter resolves the report's SKU and location; it returns EINVALID
// naming each that is unknown, and channel, which stock does not have.
func (tx *txn) stockFilter(ctx context.Context, q oms.ReportQuery) (stockFilter, error) {
	var p oms.Problems
	f, err := tx.filters(ctx, &p, q.Channel, q.Location, q.SKU, func(field string) string {
		if field == "channel" {
			return "stock reports do not filter by channel: stock belongs to locations"
		}
		return ""
	})
	if err != nil {
		return f, err
	}
	return f, p.Err()
}

// stockRows runs selectBalancesNow.
func (tx *txn) stockRows(ctx context.Context, q string, args ...any) (map[[2]int64]*stockRow, error) {
	out := make(map[[2]int64]*stockRow)
	err := tx.eachStockRow(ctx, q, args, func(r *stockRow, _ sql.NullInt64) { out[[2]int64{r.item, r.location}] = r })
	return out, err
}

// eachStockRow runs one of the balance queries and calls fn with each
// balance and the day of the rollup row its state was read from (NULL, with
// a zero state, for none; always NULL for selectBalancesNow).
func (tx *txn) eachStockRow(ctx context.Context, q string, args []any, fn func(*stockRow, sql.NullInt64)) error {
	rows, err := tx.QueryContext(ctx, q, args...)
	if err != nil {
		return fmt.Errorf("stock report: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		r := new(stockRow)
		var onHand, reserved, cost, day sql.NullInt64
		if err := rows.Scan(&r.item, &r.location, &r.sku, &r.code, &onHand, &reserved, &cost, &r.safety, &r.currency,
			&day); err != nil {
			return err
		}
		r.onHand, r.reserved, r.cost = onHand.Int64, reserved.Int64, cost.Int64
		fn(r, day)
	}
	return rows.Err()
}

// closing returns each balance's state at the close of day d: that of its
// latest day on or before d, folded or pending.
func (tx *txn) closing(ctx context.Context, d int64, f stockFilter) (map[[2]int64]*stockRow, error) {
	q := selectClosing
	if tx.db.engine.name == "postgres" {
		q = selectClosingPostgres
	}
	pending, err := tx.pendingStock(ctx)
	if err != nil {
		return nil, err
	}
	latest := pending.latestDays(d)
	out := make(map[[2]int64]*stockRow)
	err = tx.eachStockRow(ctx, q, []any{d, f.item, f.location}, func(r *stockRow, day sql.NullInt64) {
		k := [2]int64{r.item, r.location}
		if p, ok := latest[k]; ok && p.after(day) {
			r.onHand, r.reserved, r.cost = p.onHand, p.reserved, p.cost
		} else if !day.Valid {
			return // no day moved it by d
		}
		out[k] = r
	})
	return out, err
}

// stockAt returns each balance's state at the moment at: the close of the
// day before from the rollup, then the movements of at's day made before
// it, from the ledger (valued at the cost of that day's rollup row).
func (tx *txn) stockAt(ctx context.Context, at time.Time, f stockFilter) (map[[2]int64]*stockRow, error) {
	d := epochDay(at)
	if at.Equal(dayTime(d)) {
		return tx.closing(ctx, d-1, f)
	}
	state, err := tx.closing(ctx, d-1, f)
	if err != nil {
		return nil, err
	}
	costs, err := tx.closing(ctx, d, f)
	if err != nil {
		return nil, err
	}
	lo, err := tx.ledgerIDAt(ctx, dayTime(d))
	if err != nil {
		return nil, err
	}
	hi, err := tx.ledgerIDAt(ctx, at)
	if err != nil {
		return nil, err
	}
	rows, err := tx.QueryContext(ctx, selectMovesBetween, lo, hi)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var k [2]int64
		var onHand, reserved int64
		if err := rows.Scan(&k[0], &k[1], &onHand, &reserved); err != nil {
			return nil, err
		}
		r := state[k]
		if r == nil {
			if c := costs[k]; c != nil && (f.item == 0 || f.item == k[0]) && (f.location == 0 || f.location == k[1]) {
				cp := *c
				r, state[k] = &cp, &cp
			} else {
				continue
			}
		}
		r.onHand, r.reserved = onHand, reserved
	}
	for k, c := range costs {
		if r := state[k]; r != nil {
			r.cost = c.cost
		}
	}
	return state, rows.Err()
}

// ledgerIDAt returns the id of the first movement made at or after t (one
// past the last movement when none was): the ledger's ids follow the order
// in which movements were made, so it bisects on them.
func (tx *txn) ledgerIDAt(ctx context.Context, t time.Time) (int64, error) {
	var top int64
	if err := tx.QueryRowContext(ctx, selectLedgerTop).Scan(&top); err != nil {
		return 0, err
	}
	lo, hi := int64(0), top+1 // the answer is in (lo, hi]
	for hi-lo > 1 {
		mid := lo + (hi-lo)/2
		var id int64
		var created time.Time
		err := tx.QueryRowContext(ctx, selectLedgerFrom, mid).Scan(&id, &created)
		switch {
		case isNoRows(err):
			hi = mid
		case err != nil:
			return 0, err
		case created.Before(t):
			lo = id
		default:
			hi = mid
		}
	}
	return hi, nil
}

// stockMoney converts stock values from items' cost currencies into the
// base currency at the rates in force on one day, and remembers what it
// could not convert.
type stockMoney struct {
	base    string
	day     time.Time
	rates   *fx.RateSet
	missing []string
}

func (tx *txn) stockMoney(ctx context.Context, day time.Time) (*stockMoney, error) {
	cs, err := tx.currencySettings(ctx)
	if err != nil {
		return nil, err
	}
	m := &stockMoney{base: cs.BaseCurrency, day: fx.Day(day)}
	if m.base == "" {
		return m, nil
	}
	sets, err := tx.ratesOn(ctx, []time.Time{m.day})
	if err != nil {
		return nil, err
	}
	m.rates = sets[m.day]
	return m, nil
}

// convert returns the amounts in the base currency and its code, or as
// they are, in cur, when there is no base currency or no rate for cur.
func (m *stockMoney) convert(cur string, amounts ...int64) (string, []int64) {
	if m.base == "" || cur == m.base {
		return cur, amounts
	}
	if m.rates != nil {
		if text, err := m.rates.RateText(cur, m.base); err == nil {
			rate, _ := fx.ParseRateText(text)
			out := make([]int64, len(amounts))
			for i, a := range amounts {
				if out[i], err = fx.ConvertAt(a, cur, m.base, rate); err != nil {
					break
				}
			}
			if err == nil {
				return m.base, out
			}
		}
	}
	if !slices.Contains(m.missing, cur) {
		m.missing = append(m.missing, cur)
	}
	return cur, amounts
}

// notes says what the report's money leaves unconverted.
func (m *stockMoney) notes() []string {
	if m.base == "" {
		return []string{"no base currency is set (PUT /v1/settings/currency): values are in each item's cost currency"}
	}
	if len(m.missing) == 0 {
		return nil
	}
	slices.Sort(m.missing)
	return []string{fmt.Sprintf("no exchange rate into %s was in force on %s for %s: those rows are in their item's cost currency",
		m.base, m.day.Format(time.DateOnly), strings.Join(m.missing, ", "))}
}

// reportCurrency is the currency a stock report's money is in, if one.
func (m *stockMoney) reportCurrency() string { return m.base }

// sortedStock returns the rows by SKU, then location code.
func sortedStock(rows map[[2]int64]*stockRow) []*stockRow {
	out := make([]*stockRow, 0, len(rows))
	for _, r := range rows {
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].sku != out[j].sku {
			return out[i].sku < out[j].sku
		}
		return out[i].code < out[j].code
	})
	return out
}

// dayRange is a report's range in whole UTC days: [from, to).
func dayRange(r oms.Range) (from, to int64) {
	return epochDay(r.From), epochDay(r.To.Add(-time.Nanosecond)) + 1
}

func isNoRows(err error) bool { return errors.Is(err, sql.ErrNoRows) }
