package reports

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/omshq/oms"
)

// rollupRead is one read of a rollup table: the sums of some measures per
// report period and breakdown value, over the rows the conditions select.
type rollupRead struct {
	table string
	dims  []string // the columns to break down by, their values joined by ':'; none for no breakdown
	where []pred
	sums  []measure
}

// measure is a sum a read takes: of a measure column over every row the
// read selects or, on rollup_sales, over those of one base currency alone.
type measure struct {
	col string
	// base is "=" to sum only the rows of the report's base currency (the
	// rows whose base_ amounts and cost are in it), "<>" only the others,
	// "" every row.
	base string
}

// plain are the measures that sum the columns over every row.
func plain(cols ...string) []measure {
	out := make([]measure, len(cols))
	for i, c := range cols {
		out[i] = measure{col: c}
	}
	return out
}

// pred is a condition on a key column of a rollup: col op val. Conditions
// are data, not SQL, so that pending deltas are filtered the same way.
type pred struct {
	col string
	op  string // =, > or >=
	val int64
}

// holds reports whether v meets the condition.
func (p pred) holds(v int64) bool {
	switch p.op {
	case "=":
		return v == p.val
	case ">":
		return v > p.val
	case ">=":
		return v >= p.val
	}
	panic("store: unknown operator " + p.op)
}

// dimsOf is the breakdown of a read by one column, or none.
func dimsOf(col string) []string {
	if col == "" {
		return nil
	}
	return []string{col}
}

// cell is one report row's key: the period's label and the breakdown value.
type cell struct{ period, dim string }

// sums are the measures read per cell, in the order asked.
type sums map[cell][]int64

// resolved is a report query with its filters turned into ids and the
// rollup rows that cover its range.
type resolved struct {
	oms.ReportQuery
	channel, location, item int64
	cover                   []oms.RollupSpan
	grains                  grainSet // the watermark the cover and the pending deltas are read by
	base                    string
	names                   map[string]map[int64]string // channel, location, sku codes by id
}

// resolve checks the query's filters and breakdown, returning EINVALID
// naming the field for an unknown channel, location, SKU or breakdown, or a
// filter the report does not offer.
func (tx *txn) resolve(ctx context.Context, q oms.ReportQuery, bys []string, filters string) (*resolved, error) {
	r := &resolved{ReportQuery: q}
	var p oms.Problems
	if q.Period == "" {
		r.Period = oms.PeriodDay
	}
	if q.By != "" && !slices.Contains(bys, q.By) {
		p.Add("by", "must be one of %s", strings.Join(bys, ", "))
	}
	ids, err := tx.filters(ctx, &p, q.Channel, q.Location, q.SKU, func(field string) string {
		if !strings.Contains(filters, field) {
			return "this report does not filter by " + field
		}
		return ""
	})
	if err != nil {
		return nil, err
	}
	r.channel, r.location, r.item = ids.channel, ids.location, ids.item
	if err := p.Err(); err != nil {
		return nil, err
	}
	set, err := tx.currencySettings(ctx)
	if err != nil {
		return nil, err
	}
	r.base = set.BaseCurrency
	if r.grains, err = tx.rolled(ctx, ""); err != nil {
		return nil, err
	}
	r.cover = oms.RollupCover(q.Range.From, dayCeil(q.Range.To), r.Period, oms.FromEpochDay(r.grains.rolled))
	r.names = map[string]map[int64]string{}
	for _, n := range []struct{ name, q string }{{"channel_id", "SELECT id, code FROM channels"},
		{"location_id", "SELECT id, code FROM locations"}, {"item_id", "SELECT id, sku FROM items"}} {
		if n.name[:len(n.name)-3] != q.By && !(q.By == "sku" && n.name == "item_id") {
			continue
		}
		m := map[int64]string{}
		if err := tx.Each(ctx, n.q, nil, func(rows *sql.Rows) error {
			var id int64
			var code string
			err := rows.Scan(&id, &code)
			m[id] = code
			return err
		}); err != nil {
			return nil, err
		}
		r.names[n.name] = m
	}
	return r, nil
}

// dayCeil is the midnight at or after t: the rollups count whole UTC days.
func dayCeil(t time.Time) time.Time {
	d := oms.DayOf(t)
	if d.Before(t) {
		d = d.AddDate(0, 0, 1)
	}
	return d
}

// read sums the rollup's measures per period and breakdown value, naming
// the breakdown's ids by their codes. It adds the pending deltas the
// transaction sees (see rollupView), so that the figures count every change
// committed before the transaction began, folded or not.
func (tx *txn) read(ctx context.Context, r *resolved, rd rollupRead) (sums, error) {
	out := sums{}
	if len(r.cover) == 0 {
		return out, nil
	}
	var names map[int64]string
	if len(rd.dims) == 1 {
		names = r.names[rd.dims[0]]
	}
	add := func(day int64, d string, vals []int64) {
		if names != nil {
			id, _ := strconv.ParseInt(d, 10, 64)
			if n, ok := names[id]; ok {
				d = n
			} else if id == 0 {
				d = ""
			}
		}
		c := cell{r.Period.Label(oms.FromEpochDay(day)), d}
		acc := out[c]
		if acc == nil {
			acc = make([]int64, len(vals))
		}
		for i, v := range vals {
			acc[i] += v
		}
		out[c] = acc
	}
	// One SELECT per span, so that each reads a range of the primary key
	// (grain, day, …) rather than the engine scanning the table for an OR.
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	dim := "''"
	if len(rd.dims) > 0 {
		parts := make([]string, len(rd.dims))
		for i, c := range rd.dims {
			parts[i] = "CAST(" + c + " AS TEXT)"
		}
		dim = strings.Join(parts, " || ':' || ")
	}
	group := "grain, day"
	if len(rd.dims) > 0 {
		group += ", " + dim
	}
	var parts []string
	for _, sp := range r.cover {
		conds := []string{"grain = " + arg(int64(sp.Grain)), "day >= " + arg(oms.EpochDay(sp.From)), "day < " + arg(oms.EpochDay(sp.To))}
		for _, p := range rd.where {
			conds = append(conds, p.col+" "+p.op+" "+arg(p.val))
		}
		parts = append(parts, fmt.Sprintf("SELECT grain, day, %s, %s FROM %s WHERE %s GROUP BY %s", dim, measureSums(rd.sums, arg, r.base),
			rd.table, strings.Join(conds, " AND "), group))
	}
	q := strings.Join(parts, " UNION ALL ")
	err := tx.Each(ctx, q, args, func(rows *sql.Rows) error {
		var grain, day int64
		var d string
		vals := make([]int64, len(rd.sums))
		ptrs := []any{&grain, &day, &d}
		for i := range vals {
			ptrs = append(ptrs, &vals[i])
		}
		if err := rows.Scan(ptrs...); err != nil {
			return err
		}
		add(day, d, vals)
		return nil
	})
	if err != nil {
		return nil, err
	}
	pending, err := tx.seenDelta(ctx)
	if err != nil {
		return nil, err
	}
	take, err := selectPending(r, rd)
	if err != nil {
		return nil, err
	}
	err = pending.eachRow(rd.table, r.grains, func(row []any) error {
		if day, d, vals, ok := take(row); ok {
			add(day, d, vals)
		}
		return nil
	})
	// A cell whose changes cancel out (an order placed at one location and
	// moved to another) is left out, whether they cancelled in the pending
	// deltas, which drop it, or across folds, which leave a row of zeros.
	for c, vals := range out {
		if !slices.ContainsFunc(vals, func(v int64) bool { return v != 0 }) {
			delete(out, c)
		}
	}
	return out, err
}

// measureSums is sumsOf the measures, a measure of one base currency
// counting only its rows: base is the report's base currency, passed by arg.
func measureSums(ms []measure, arg func(any) string, base string) string {
	parts := make([]string, len(ms))
	for i, m := range ms {
		parts[i] = m.col
		if m.base != "" {
			parts[i] = "CASE WHEN base_currency " + m.base + " " + arg(base) + " THEN " + m.col + " ELSE 0 END"
		}
	}
	return sumsOf(parts)
}

// selectPending returns what the read takes of a row of a pending delta,
// laid out as the rollup table's row: its day, breakdown value and
// measures, and whether the read selects it at all.
func selectPending(r *resolved, rd rollupRead) (func(row []any) (int64, string, []int64, bool), error) {
	cols := rollupColumns[rd.table]
	index := func(names ...string) ([]int, error) {
		out := make([]int, len(names))
		for i, n := range names {
			out[i] = slices.IndexFunc(cols, func(c column) bool { return c.name == n })
			if out[i] < 0 {
				return nil, fmt.Errorf("%s has no column %s", rd.table, n)
			}
		}
		return out, nil
	}
	where := make([]string, len(rd.where))
	for i, p := range rd.where {
		where[i] = p.col
	}
	wi, err := index(where...)
	if err != nil {
		return nil, err
	}
	di, err := index(rd.dims...)
	if err != nil {
		return nil, err
	}
	names := make([]string, len(rd.sums))
	for i, m := range rd.sums {
		names[i] = m.col
	}
	si, err := index(names...)
	if err != nil {
		return nil, err
	}
	// Where the row's base currency is, for the measures of one (rollup_sales).
	bi := slices.IndexFunc(cols, func(c column) bool { return c.name == "base_currency" })
	spans := make([][3]int64, len(r.cover))
	for i, sp := range r.cover {
		spans[i] = [3]int64{int64(sp.Grain), oms.EpochDay(sp.From), oms.EpochDay(sp.To)}
	}
	return func(row []any) (int64, string, []int64, bool) {
		grain, day := row[0].(int64), row[1].(int64)
		if !slices.ContainsFunc(spans, func(sp [3]int64) bool { return sp[0] == grain && day >= sp[1] && day < sp[2] }) {
			return 0, "", nil, false
		}
		for i, p := range rd.where {
			if !p.holds(row[wi[i]].(int64)) {
				return 0, "", nil, false
			}
		}
		ds := make([]string, len(di))
		for i, j := range di {
			ds[i] = fmt.Sprint(row[j])
		}
		vals := make([]int64, len(si))
		for i, j := range si {
			if m := rd.sums[i]; m.base == "" || (m.base == "=") == (row[bi].(string) == r.base) {
				vals[i] = row[j].(int64)
			}
		}
		return day, strings.Join(ds, ":"), vals, true
	}, nil
}

// filterPreds are the conditions on a rollup's channel, item and location
// columns for the query's filters; a column named "" is not filtered.
func (r *resolved) filterPreds(channel, item, location string) []pred {
	var out []pred
	for _, f := range []struct {
		col string
		id  int64
	}{{channel, r.channel}, {item, r.item}, {location, r.location}} {
		if f.col != "" && f.id != 0 {
			out = append(out, pred{f.col, "=", f.id})
		}
	}
	return out
}

// cells lists the cells of the sums, in period and breakdown order.
func cells(ss ...sums) []cell {
	seen := map[cell]bool{}
	var out []cell
	for _, s := range ss {
		for c := range s {
			if !seen[c] {
				seen[c] = true
				out = append(out, c)
			}
		}
	}
	slices.SortFunc(out, func(a, b cell) int {
		if c := strings.Compare(a.period, b.period); c != 0 {
			return c
		}
		return strings.Compare(a.dim, b.dim)
	})
	return out
}

// newReport starts a report of the query: its range, period and currency
// (for a report with money), with the period column and the breakdown's,
// if any.
func (r *resolved) newReport(name string, money bool) *oms.Report {
	from, to := oms.DayOf(r.Range.From), dayCeil(r.Range.To)
	rep := &oms.Report{Name: name, From: &from, To: &to, Period: r.Period, Currency: r.base,
		Columns: []oms.ReportColumn{{Name: "period", Type: oms.ColText, Doc: "the day (YYYY-MM-DD), the week's Monday, or the month (YYYY-MM) the orders were placed in, UTC"}}}
	if r.By != "" {
		rep.Columns = append(rep.Columns, oms.ReportColumn{Name: r.By, Type: oms.ColText, Doc: byDocs[r.By]})
	}
	if !money {
		rep.Currency = ""
	} else if r.base == "" {
		rep.Notes = append(rep.Notes, "no base currency is set (PUT /v1/settings/currency): each order's amounts are summed in its own currency")
	}
	if !r.Range.From.Equal(from) || !r.Range.To.Equal(to) {
		rep.Notes = append(rep.Notes, "the range is widened to whole UTC days: orders count on the day they were placed")
	}
	return rep
}

// row adds a row: the period, the breakdown value when there is one, then
// the values.
func (r *resolved) row(rep *oms.Report, c cell, values ...any) {
	lead := []any{c.period}
	if r.By != "" {
		lead = append(lead, c.dim)
	}
	rep.Row(append(lead, values...)...)
}

// unconvertedNote says how many orders' amounts are missing from the base
// currency's, if any: those with no exchange rate yet, and those placed
// under another base currency (other), whose amounts are never added to
// this one's.
func unconvertedNote(rep *oms.Report, s sums) {
	if rep.Currency == "" {
		return
	}
	if n := s.total(mUnconverted); n > 0 {
		rep.Notes = append(rep.Notes, fmt.Sprintf("%d orders have no exchange rate for their day yet: they count in orders and units but not in the %s amounts (by=currency shows them in their own currency; importing the day's rates adds them)", n, rep.Currency))
	}
	if n := s.total(mOtherBase); n > 0 {
		rep.Notes = append(rep.Notes, fmt.Sprintf("%d orders were placed under another base currency than %s (or none, in another currency): they count in orders and units but not in the %s amounts, which never add two base currencies (by=currency shows them in their own currency)", n, rep.Currency, rep.Currency))
	}
}

// get returns the i-th measure of the cell, 0 when absent.
func (s sums) get(c cell, i int) int64 {
	if v := s[c]; v != nil {
		return v[i]
	}
	return 0
}

// total sums the i-th measure over all cells.
func (s sums) total(i int) int64 {
	var n int64
	for _, v := range s {
		n += v[i]
	}
	return n
}
