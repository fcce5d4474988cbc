package store

import (
	"context"
	"database/sql"
	"fmt"
	"regexp"
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
	dim   string // the column to break down by, or "" for none
	conds []string
	args  []any
	sums  []string
}

// cell is one report row's key: the period's label and the breakdown value.
type cell struct{ period, dim string }

// sums are the measures read per cell, in the order asked.
type sums map[cell][]int64

// resolved is a report query with its filters turned into ids and the
// rollup rows that cover its range.
type resolved struct {
	ReportQuery
	channel, location, item int64
	cover                   []oms.RollupSpan
	base                    string
	names                   map[string]map[int64]string // channel, location, sku codes by id
}

// resolve checks the query's filters and breakdown, returning EINVALID
// naming the field for an unknown channel, location, SKU or breakdown, or a
// filter the report does not offer.
func (tx *Tx) resolve(ctx context.Context, q ReportQuery, bys []string, filters string) (*resolved, error) {
	r := &resolved{ReportQuery: q}
	var p oms.Problems
	if q.Period == "" {
		r.Period = oms.PeriodDay
	}
	if q.By != "" && !slices.Contains(bys, q.By) {
		p.Add("by", "must be one of %s", strings.Join(bys, ", "))
	}
	ids, err := tx.resolveFilters(ctx, &p, q.Channel, q.Location, q.SKU, func(field string) string {
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
	r.cover = oms.RollupCover(q.Range.From, dayCeil(q.Range.To), r.Period)
	r.names = map[string]map[int64]string{}
	for _, n := range []struct{ name, q string }{{"channel_id", "SELECT id, code FROM channels"},
		{"location_id", "SELECT id, code FROM locations"}, {"item_id", "SELECT id, sku FROM items"}} {
		if n.name[:len(n.name)-3] != q.By && !(q.By == "sku" && n.name == "item_id") {
			continue
		}
		m := map[int64]string{}
		if err := tx.scanEach(ctx, n.q, nil, func(rows *sql.Rows) error {
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
// the breakdown's ids by their codes.
func (tx *Tx) read(ctx context.Context, r *resolved, rd rollupRead) (sums, error) {
	out := sums{}
	if len(r.cover) == 0 {
		return out, nil
	}
	// One SELECT per span, so that each reads a range of the primary key
	// (grain, day, …) rather than the engine scanning the table for an OR.
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	dim := "''"
	if rd.dim != "" {
		dim = "CAST(" + rd.dim + " AS TEXT)"
	}
	sel := make([]string, len(rd.sums))
	for i, s := range rd.sums {
		sel[i] = "SUM(" + s + ")"
	}
	group := "grain, day"
	if rd.dim != "" {
		group += ", " + dim
	}
	var parts []string
	for _, sp := range r.cover {
		conds := []string{"grain = " + arg(int64(sp.Grain)), "day >= " + arg(oms.EpochDay(sp.From)), "day < " + arg(oms.EpochDay(sp.To))}
		for _, c := range rd.conds {
			conds = append(conds, renumber(c, rd.args, arg))
		}
		parts = append(parts, fmt.Sprintf("SELECT grain, day, %s, %s FROM %s WHERE %s GROUP BY %s", dim, strings.Join(sel, ", "),
			rd.table, strings.Join(conds, " AND "), group))
	}
	q := strings.Join(parts, " UNION ALL ")
	err := tx.scanEach(ctx, q, args, func(rows *sql.Rows) error {
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
		if names := r.names[rd.dim]; names != nil {
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
		return nil
	})
	return out, err
}

// filterConds are the conditions on a rollup's channel, item and location
// columns for the query's filters; a column named "" is not filtered.
func (r *resolved) filterConds(channel, item, location string) ([]string, []any) {
	var conds []string
	var args []any
	for _, f := range []struct {
		col string
		id  int64
	}{{channel, r.channel}, {item, r.item}, {location, r.location}} {
		if f.col != "" && f.id != 0 {
			args = append(args, f.id)
			conds = append(conds, fmt.Sprintf("%s = $%d", f.col, len(args)))
		}
	}
	return conds, args
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
// currency's, if any.
func unconvertedNote(rep *oms.Report, n int64) {
	if n > 0 && rep.Currency != "" {
		rep.Notes = append(rep.Notes, fmt.Sprintf("%d orders have no exchange rate for their day yet: they count in orders and units but not in the %s amounts (by=currency shows them in their own currency; importing the day's rates adds them)", n, rep.Currency))
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

// renumber rewrites a condition's placeholders ($1 … $n, numbered within
// its read's args) as fresh ones from arg.
func renumber(cond string, args []any, arg func(any) string) string {
	return placeholder.ReplaceAllStringFunc(cond, func(p string) string {
		i, _ := strconv.Atoi(p[1:])
		return arg(args[i-1])
	})
}

var placeholder = regexp.MustCompile(`\$[0-9]+`)
