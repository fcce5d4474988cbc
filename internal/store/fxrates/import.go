package fxrates

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/fx"
	"github.com/omshq/oms/internal/store/sqldb"
	"github.com/omshq/oms/money"
)

const (
	selectRatesBetween = `SELECT day, currency, rate FROM fx_rates WHERE day >= $1 AND day <= $2`
	upsertRates        = `
INSERT INTO fx_rates (day, currency, rate, imported_at)
%s
ON CONFLICT (day, currency) DO UPDATE SET rate = excluded.rate, imported_at = excluded.imported_at`
	// selectBaseMissing finds the orders placed under a base currency whose
	// base totals wait for the rate of their date.
	selectBaseMissing = `
SELECT seq, id, currency, base_currency, placed_at, subtotal, discount_total, shipping_total, tax_total,
    duties_total, total
FROM orders
WHERE base_currency IS NOT NULL AND base_rate IS NULL AND placed_at >= $1 AND placed_at < $2
ORDER BY seq`
	// fillBase records base totals, each only where none is recorded yet.
	fillBase = `
UPDATE orders SET base_rate = v.rate, base_rate_date = v.rate_date, base_subtotal = v.subtotal,
    base_discount_total = v.discount_total, base_shipping_total = v.shipping_total, base_tax_total = v.tax_total,
    base_duties_total = v.duties_total, base_total = v.total, updated_at = $1, version = orders.version + 1
FROM %s
WHERE orders.seq = v.seq AND orders.base_rate IS NULL
RETURNING orders.seq`
)

var (
	rateCols = []sqldb.Column{{Name: "day", Type: "text"}, {Name: "currency", Type: "text"}, {Name: "rate", Type: "text"},
		{Name: "imported_at", Type: "timestamptz"}}
	fillBaseCols = []sqldb.Column{{Name: "seq", Type: "bigint"}, {Name: "rate", Type: "text"},
		{Name: "rate_date", Type: "text"}, {Name: "subtotal", Type: "bigint"}, {Name: "discount_total", Type: "bigint"},
		{Name: "shipping_total", Type: "bigint"}, {Name: "tax_total", Type: "bigint"},
		{Name: "duties_total", Type: "bigint"}, {Name: "total", Type: "bigint"}}
)

// rateChunk bounds the rows of one statement of an import, far below
// SQLite's parameter limit.
const rateChunk = 2000

// ImportRates stores euro reference rates (as fx.ParseECB reads them), in
// one transaction: a rate new for its day and currency is added, a
// different one replaces the stored one (a correction), the same one
// changes nothing. Then the orders placed under a base currency that still
// wait for the rate of their date get their base totals, if the days now
// stored cover them. A currency oms does not know (a withdrawn one such as
// CYP, in the ECB's history file) is stored but never converted. It returns
// EINVALID naming "body" when there are no rates.
func (r *Rates) ImportRates(ctx context.Context, rates []fx.Rate, by oms.Principal) (oms.FXImport, error) {
	actor := by.Actor()
	if len(rates) == 0 {
		return oms.FXImport{}, oms.Invalid("body", "holds no rates")
	}
	var res oms.FXImport
	err := r.update(ctx, func(tx *sqldb.Tx, rebased Rebased) (err error) {
		res, err = importRates(ctx, tx, rebased, rates, actor)
		return err
	})
	r.cache.clear()
	return res, err
}

func importRates(ctx context.Context, tx *sqldb.Tx, rebased Rebased, rates []fx.Rate, actor string) (oms.FXImport, error) {
	days := map[string]bool{}
	first, last := rates[0].Date, rates[0].Date
	for _, r := range rates {
		days[r.Date.Format(time.DateOnly)] = true
		first, last = minTime(first, r.Date), maxTime(last, r.Date)
	}
	res := oms.FXImport{Days: len(days), FirstDay: first.Format(time.DateOnly), LastDay: last.Format(time.DateOnly), Rates: len(rates)}
	stored, err := ratesBetween(ctx, tx, first, last)
	if err != nil {
		return res, err
	}
	have := make(map[[2]string]fx.Decimal, len(stored))
	for _, r := range stored {
		have[[2]string{r.Date.Format(time.DateOnly), r.Currency}] = r.Rate
	}
	var rows [][]any
	for _, r := range rates {
		day := r.Date.Format(time.DateOnly)
		old, ok := have[[2]string{day, r.Currency}]
		switch {
		case !ok:
			res.Added++
		case old.Rat().Cmp(r.Rate.Rat()) != 0:
			res.Changed++
		default:
			res.Unchanged++
			continue
		}
		rows = append(rows, []any{day, r.Currency, r.Rate.String(), tx.Now()})
	}
	for len(rows) > 0 {
		n := min(rateChunk, len(rows))
		src, args := tx.Dialect().RowSource(rateCols, rows[:n], nil)
		if _, err := tx.ExecContext(ctx, fmt.Sprintf(upsertRates, src), args...); err != nil {
			return res, fmt.Errorf("store rates: %w", err)
		}
		rows = rows[n:]
	}
	// The days imported serve orders up to fx.MaxAge after the last of them.
	if res.OrdersFilled, err = fillBaseTotals(ctx, tx, rebased, first, last.Add(fx.MaxAge+24*time.Hour), actor); err != nil {
		return res, err
	}
	if res.Added+res.Changed+res.OrdersFilled == 0 {
		return res, nil // the same rates again: nothing to record
	}
	return res, tx.AddEvent(ctx, oms.EventFXRatesImported, res.FirstDay+".."+res.LastDay, "", actor, res)
}

// ratesBetween reads the stored rates of the days from first to last.
func ratesBetween(ctx context.Context, tx *sqldb.Tx, first, last time.Time) ([]fx.Rate, error) {
	rows, err := tx.QueryContext(ctx, selectRatesBetween, first.Format(time.DateOnly), last.Format(time.DateOnly))
	if err != nil {
		return nil, fmt.Errorf("read rates: %w", err)
	}
	defer rows.Close()
	var out []fx.Rate
	for rows.Next() {
		var day, cur, rate string
		if err := rows.Scan(&day, &cur, &rate); err != nil {
			return nil, err
		}
		d, err := time.Parse(time.DateOnly, day)
		if err != nil {
			return nil, fmt.Errorf("rate of %s on %q: %w", cur, day, err)
		}
		dec, ok := fx.ParseDecimal(rate)
		if !ok {
			return nil, fmt.Errorf("rate of %s on %s: %q is not a decimal", cur, day, rate)
		}
		out = append(out, fx.Rate{Date: d, Base: "EUR", Currency: cur, Rate: dec})
	}
	return out, rows.Err()
}

// rateIndex is rates by day, to find the rates in force on many days.
type rateIndex struct {
	days  []time.Time // ascending
	byDay map[time.Time]map[string]fx.Decimal
}

func indexRates(rates []fx.Rate) rateIndex {
	ix := rateIndex{byDay: make(map[time.Time]map[string]fx.Decimal)}
	for _, r := range rates {
		m := ix.byDay[r.Date]
		if m == nil {
			m = make(map[string]fx.Decimal)
			ix.byDay[r.Date] = m
			ix.days = append(ix.days, r.Date)
		}
		m[r.Currency] = r.Rate
	}
	slices.SortFunc(ix.days, time.Time.Compare)
	return ix
}

// inForce returns the rates in force on day — those of the latest day on or
// before it, at most fx.MaxAge older — or nil when there are none. (What
// fx.SetOn picks, with the age limit, for many days at once.)
func (ix rateIndex) inForce(day time.Time) *fx.RateSet {
	i, found := slices.BinarySearchFunc(ix.days, day, time.Time.Compare)
	if !found {
		i-- // the latest day before
	}
	if i < 0 || day.Sub(ix.days[i]) > fx.MaxAge {
		return nil
	}
	return &fx.RateSet{Date: ix.days[i], Rates: ix.byDay[ix.days[i]]}
}

// RatesOn returns the rates in force on day: those of the latest ECB day on
// or before it, at most a week older (RateSet.Date says which day). It
// returns ENOTFOUND when there are none.
func (r *Rates) RatesOn(ctx context.Context, day time.Time) (fx.RateSet, error) {
	var set *fx.RateSet
	err := r.db.View(ctx, func(tx *sqldb.Tx) error {
		sets, err := r.RatesIn(ctx, tx, []time.Time{fx.Day(day)})
		set = sets[fx.Day(day)]
		return err
	})
	if err != nil {
		return fx.RateSet{}, err
	}
	if set == nil {
		return fx.RateSet{}, oms.Errorf(oms.ENOTFOUND, "no exchange rates were published in the week up to %s", day.Format(time.DateOnly))
	}
	return *set, nil
}

// Convert converts amount minor units of from into to with the rates in
// force on day (see RatesOn), half to even to the minor unit of to. It
// returns EINVALID naming "from" or "to" for a currency that is not ISO 4217
// or has no rate that day, "amount" when the result is out of range, and
// ENOTFOUND when no rates are in force on day.
func (r *Rates) Convert(ctx context.Context, amount int64, from, to string, day time.Time) (oms.Conversion, error) {
	c := oms.Conversion{From: from, To: to, Amount: amount}
	if _, ok := money.Lookup(from); !ok {
		return c, oms.Invalid("from", "must be an ISO 4217 currency code such as USD")
	}
	if _, ok := money.Lookup(to); !ok {
		return c, oms.Invalid("to", "must be an ISO 4217 currency code such as GBP")
	}
	set, err := r.RatesOn(ctx, day)
	if err != nil {
		return c, err
	}
	if c.Rate, err = set.RateText(from, to); err != nil {
		return c, err
	}
	rate, _ := fx.ParseRateText(c.Rate)
	c.RateDate = set.Date.Format(time.DateOnly)
	c.Converted, err = fx.ConvertAt(amount, from, to, rate)
	return c, err
}

// RatesIn returns the rates in force on each day (UTC midnights), nil for a
// day without: from the cache, reading what it lacks in tx in one query.
// Order placement reads them so with every batch.
func (r *Rates) RatesIn(ctx context.Context, tx *sqldb.Tx, days []time.Time) (map[time.Time]*fx.RateSet, error) {
	c := &r.cache
	out := make(map[time.Time]*fx.RateSet, len(days))
	var missing []time.Time
	c.mu.Lock()
	for _, d := range days {
		if _, done := out[d]; done {
			continue
		}
		if e, ok := c.days[d]; ok && time.Since(e.loaded) < sqldb.SettingsTTL {
			out[d] = e.set
		} else {
			out[d] = nil
			missing = append(missing, d)
		}
	}
	c.mu.Unlock()
	if len(missing) == 0 {
		return out, nil
	}
	slices.SortFunc(missing, time.Time.Compare)
	rates, err := ratesBetween(ctx, tx, missing[0].Add(-fx.MaxAge), missing[len(missing)-1])
	if err != nil {
		return nil, err
	}
	ix := indexRates(rates)
	now := time.Now()
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.days == nil || len(c.days) > maxCachedDays {
		c.days = make(map[time.Time]cachedRates)
	}
	for _, d := range missing {
		out[d] = ix.inForce(d)
		c.days[d] = cachedRates{set: out[d], loaded: now}
	}
	return out, nil
}

// fillBaseTotals records the base totals of the orders placed from first
// up to (not including) end that wait for the rate of their date, where the
// stored rates now cover it, and an order.base_totals_recorded event for
// each. It returns how many it filled.
func fillBaseTotals(ctx context.Context, tx *sqldb.Tx, rebased Rebased, first, end time.Time, actor string) (int, error) {
	rows, err := tx.QueryContext(ctx, selectBaseMissing, first, end)
	if err != nil {
		return 0, fmt.Errorf("orders without base totals: %w", err)
	}
	type waiting struct {
		seq           int64
		id, cur, base string
		placed        time.Time
		t             oms.Totals
	}
	var ws []waiting
	for rows.Next() {
		var w waiting
		if err := rows.Scan(&w.seq, &w.id, &w.cur, &w.base, &w.placed, &w.t.Subtotal, &w.t.DiscountTotal,
			&w.t.ShippingTotal, &w.t.TaxTotal, &w.t.DutiesTotal, &w.t.Total); err != nil {
			rows.Close()
			return 0, err
		}
		ws = append(ws, w)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(ws) == 0 {
		return 0, err
	}
	lo, hi := fx.Day(ws[0].placed), fx.Day(ws[0].placed)
	for _, w := range ws {
		lo, hi = minTime(lo, fx.Day(w.placed)), maxTime(hi, fx.Day(w.placed))
	}
	rates, err := ratesBetween(ctx, tx, lo.Add(-fx.MaxAge), hi)
	if err != nil {
		return 0, err
	}
	ix := indexRates(rates)
	sets := map[time.Time]*fx.RateSet{}
	var updates [][]any
	recorded := map[int64]oms.BaseTotals{}
	ids := map[int64]string{}
	for _, w := range ws {
		day := fx.Day(w.placed)
		set, ok := sets[day]
		if !ok {
			set = ix.inForce(day)
			sets[day] = set
		}
		if set == nil {
			continue
		}
		b, err := fx.ToBase(w.t, w.cur, w.base, *set, day)
		if err != nil {
			continue // no rate for one of the currencies that day: it waits on
		}
		updates = append(updates, []any{w.seq, b.Rate, b.RateDate, b.Subtotal, b.DiscountTotal, b.ShippingTotal,
			b.TaxTotal, b.DutiesTotal, b.Total})
		recorded[w.seq], ids[w.seq] = b, w.id
	}
	// Another import may have filled some meanwhile: events only for the
	// orders this one filled.
	var events [][]any
	var filledSeqs []int64
	for i := 0; i < len(updates); i += rateChunk {
		filled, err := recordBase(ctx, tx, updates[i:min(i+rateChunk, len(updates))])
		if err != nil {
			return 0, err
		}
		for _, u := range updates[i:min(i+rateChunk, len(updates))] {
			seq := u[0].(int64)
			if !filled[seq] {
				continue
			}
			filledSeqs = append(filledSeqs, seq)
			data, err := sqldb.EventJSON(oms.EventOrderBaseRecorded, oms.OrderBaseRecorded{Number: strconv.FormatInt(seq, 10), Base: recorded[seq]})
			if err != nil {
				return 0, err
			}
			events = append(events, []any{oms.EventOrderBaseRecorded, ids[seq], ids[seq], actor, data, tx.Now(),
				sqldb.RequestIDArg(ctx)})
		}
	}
	if err := rebased(ctx, filledSeqs); err != nil {
		return 0, err
	}
	return len(events), tx.InsertRows(ctx, "events", sqldb.EventColumns, events, "")
}

// recordBase writes base totals (rows of fillBaseCols) where none are
// recorded yet, and returns the orders it wrote them on.
func recordBase(ctx context.Context, tx *sqldb.Tx, updates [][]any) (map[int64]bool, error) {
	table, args := tx.Dialect().RowTable(fillBaseCols, updates, []any{tx.Now()}, "v")
	rows, err := tx.QueryContext(ctx, fmt.Sprintf(fillBase, table), args...)
	if err != nil {
		return nil, fmt.Errorf("record base totals: %w", err)
	}
	defer rows.Close()
	filled := make(map[int64]bool, len(updates))
	for rows.Next() {
		var seq int64
		if err := rows.Scan(&seq); err != nil {
			return nil, err
		}
		filled[seq] = true
	}
	return filled, rows.Err()
}

func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

func maxTime(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
