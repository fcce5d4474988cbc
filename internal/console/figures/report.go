package figures

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/omshq/oms"
	"github.com/omshq/oms/money"
)

// Report is one report the console offers: the API's report of the same
// name (GET /v1/reports/{name}).
type Report struct {
	Name, Title, Summary string
	// Inputs are the parameters the report takes, of from, to, period,
	// channel, location, sku, by, at and dead_days.
	Inputs []string
	// By lists the breakdowns the report offers, the default first ("" for
	// none).
	By []string
	// PointInTime: the report describes a moment (at), not a range.
	PointInTime bool
	// Chart are the columns drawn against the period, when a chart reads
	// better than the table alone; with a breakdown, the first is drawn
	// once per value of it.
	Chart []string
	// Totals: only the rows whose location is empty are drawn (the
	// stockouts report's SKU totals).
	Totals bool
}

// Takes reports whether the report takes the input.
func (d Report) Takes(input string) bool { return slices.Contains(d.Inputs, input) }

// Reports are the reports, in the index's order.
var Reports = []Report{
	{Name: "sales", Title: "Sales", Summary: "Orders, units, gross and net sales, discounts, cancellations, returns, tax and shipping, by period.",
		Inputs: []string{"from", "to", "period", "channel", "location", "sku", "by"}, By: []string{"", "channel", "sku", "location", "currency"},
		Chart: []string{"net_sales", "orders"}},
	{Name: "margin", Title: "Margin", Summary: "Net sales less the cost of goods sold, by SKU, channel or location.",
		Inputs: []string{"from", "to", "period", "channel", "location", "sku", "by"}, By: []string{"sku", "channel", "location"},
		Chart: []string{"margin"}},
	{Name: "fulfillment", Title: "Fulfillment speed", Summary: "Fill rate, hours to ship and to deliver, on-time, split-shipment and backorder rates.",
		Inputs: []string{"from", "to", "period", "channel", "location", "by"}, By: []string{"", "channel", "location"},
		Chart: []string{"ship_hours_median", "on_time_rate"}},
	{Name: "returns", Title: "Returns", Summary: "Units returned and why, the return rate, and refunds by kind.",
		Inputs: []string{"from", "to", "period", "channel", "sku", "by"}, By: []string{"", "sku", "reason", "channel"},
		Chart: []string{"units_returned", "return_rate"}},
	{Name: "inventory", Title: "Inventory value", Summary: "On hand, reserved, available and stock value at cost per SKU and location, now or at a past moment.",
		Inputs: []string{"at", "location", "sku"}, PointInTime: true},
	{Name: "turnover", Title: "Turnover", Summary: "Cost of goods sold ÷ average inventory value, days of supply, sell-through and dead stock, per SKU.",
		Inputs: []string{"from", "to", "location", "sku", "dead_days"}},
	{Name: "stockouts", Title: "Stock-outs", Summary: "Days out of stock per SKU and location, and the orders that waited for stock.",
		Inputs: []string{"from", "to", "period", "location", "sku"}, Chart: []string{"stockout_days", "backordered_units"}, Totals: true},
}

// ReportNamed returns the report of the name, and whether there is one.
func ReportNamed(name string) (Report, bool) {
	for _, d := range Reports {
		if d.Name == name {
			return d, true
		}
	}
	return Report{}, false
}

// Chart is what screens' report chart draws: x (period starts, Unix
// seconds), and series of values (null where a row has none), each on a
// scale named by its column's kind.
type Chart struct {
	X      []int64  `json:"x"`
	Series []Series `json:"series"`
}

// Series is one line of a chart: its label, the scale it is drawn on and
// its values.
type Series struct {
	Label  string     `json:"label"`
	Scale  string     `json:"scale"`
	Values []*float64 `json:"values"`
}

// FileName keeps the file name to letters, digits, dashes and underscores.
func FileName(s string) string {
	b := []byte(s)
	for i, ch := range b {
		if !(ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z' || ch >= '0' && ch <= '9' || ch == '-' || ch == '_') {
			b[i] = '-'
		}
	}
	return string(b)
}

// maxTableRows bounds the rows the page shows: a report by SKU over months
// has tens of thousands, which the CSV holds and no one reads on a page.
const maxTableRows = 500

// Table formats the report for the page, its first maxTableRows rows: money in its currency
// (the row's own when it has a currency column), ratios as percentages.
func Table(rep *oms.Report) (head []string, num []bool, rows [][]string) {
	cur := slices.IndexFunc(rep.Columns, func(c oms.ReportColumn) bool { return c.Name == "currency" })
	for _, col := range rep.Columns {
		head = append(head, col.Name)
		num = append(num, col.Type != oms.ColText)
	}
	for _, row := range rep.Rows[:min(len(rep.Rows), maxTableRows)] {
		code := rep.Currency
		if cur >= 0 {
			code, _ = row.Values[cur].(string)
		}
		out := make([]string, len(row.Values))
		for i, v := range row.Values {
			out[i] = cell(rep.Columns[i].Type, v, code, rep.Currency)
		}
		rows = append(rows, out)
	}
	return head, num, rows
}

// cell formats one cell: money in code, named only when it is not
// the report's currency (the table's heading names that).
func cell(t oms.ColumnType, v any, code, base string) string {
	switch v := v.(type) {
	case nil:
		return ""
	case int64:
		if t == oms.ColMoney && code != "" && code == base {
			return GroupThousands(money.Format(v, code))
		} else if t == oms.ColMoney {
			return Amount(v, code)
		}
		return GroupThousands(strconv.FormatInt(v, 10))
	case string:
		if t == oms.ColRatio && v != "" {
			if f, err := strconv.ParseFloat(v, 64); err == nil {
				return strconv.FormatFloat(f*100, 'f', 1, 64) + " %"
			}
		}
		return v
	}
	return fmt.Sprint(v)
}

// maxChartGroups bounds the series a broken-down chart draws.
const maxChartGroups = 8

// ChartOf is the chart of the report's chart columns against its
// periods, or nil when it has none or no rows. Broken down (by), the
// first chart column is drawn once per value of the breakdown, the
// largest first.
func ChartOf(d Report, rep *oms.Report, by string) *Chart {
	if len(d.Chart) == 0 || len(rep.Rows) == 0 || rep.Period == "" {
		return nil
	}
	col := func(name string) int {
		return slices.IndexFunc(rep.Columns, func(c oms.ReportColumn) bool { return c.Name == name })
	}
	pi, li := col("period"), col("location")
	if pi < 0 {
		return nil
	}
	cur := rep.Currency
	var periods []string
	at := map[string]int{}
	keep := func(row oms.ReportRow) bool {
		return !d.Totals || li < 0 || row.Values[li] == ""
	}
	for _, row := range rep.Rows {
		if !keep(row) {
			continue
		}
		pr, _ := row.Values[pi].(string)
		if _, ok := at[pr]; !ok {
			at[pr] = len(periods)
			periods = append(periods, pr)
		}
	}
	slices.Sort(periods)
	for i, pr := range periods {
		at[pr] = i
	}
	ch := &Chart{}
	for _, pr := range periods {
		t, err := time.Parse(time.DateOnly, pr)
		if err != nil {
			if t, err = time.Parse("2006-01", pr); err != nil {
				return nil
			}
		}
		ch.X = append(ch.X, t.Unix())
	}
	// A group sums its cells exactly — money in minor units, counts as
	// integers — and becomes floating point only as the points to draw.
	// Ratios, which no period sums, are kept as read.
	type group struct {
		label  string
		total  int64   // of the integer cells, to rank the groups
		ratios float64 // of the ratio cells, to rank the groups
		sums   []*int64
		vals   []*float64
	}
	newGroup := func(label string) *group {
		return &group{label: label, sums: make([]*int64, len(periods)), vals: make([]*float64, len(periods))}
	}
	add := func(g *group, i int, v any) {
		switch v := v.(type) {
		case int64:
			if g.sums[i] == nil {
				g.sums[i] = new(int64)
			}
			*g.sums[i] += v
			g.total += v
		case string:
			if f, ok := chartRatio(v); ok {
				g.vals[i] = &f
				g.ratios += f
			}
		}
	}
	points := func(g *group, t oms.ColumnType) []*float64 {
		for i, n := range g.sums {
			if n != nil {
				f := chartNumber(t, *n, cur)
				g.vals[i] = &f
			}
		}
		return g.vals
	}
	bi := -1
	if by != "" {
		bi = col(by)
	}
	if bi >= 0 {
		ci := col(d.Chart[0])
		if ci < 0 {
			return nil
		}
		groups := map[string]*group{}
		var order []*group
		for _, row := range rep.Rows {
			if !keep(row) {
				continue
			}
			label := fmt.Sprint(row.Values[bi])
			g := groups[label]
			if g == nil {
				g = newGroup(label)
				groups[label] = g
				order = append(order, g)
			}
			pr, _ := row.Values[pi].(string)
			add(g, at[pr], row.Values[ci])
		}
		slices.SortStableFunc(order, func(a, b *group) int {
			return cmp.Or(cmp.Compare(b.total, a.total), cmp.Compare(b.ratios, a.ratios))
		})
		for _, g := range order[:min(len(order), maxChartGroups)] {
			label := g.label
			if label == "" {
				label = "(none)"
			}
			ch.Series = append(ch.Series, Series{Label: label + " · " + humanName(d.Chart[0]), Scale: scaleOf(rep.Columns[ci].Type), Values: points(g, rep.Columns[ci].Type)})
		}
		return ch
	}
	for _, name := range d.Chart {
		ci := col(name)
		if ci < 0 {
			continue
		}
		g := newGroup("")
		for _, row := range rep.Rows {
			if !keep(row) {
				continue
			}
			pr, _ := row.Values[pi].(string)
			add(g, at[pr], row.Values[ci])
		}
		ch.Series = append(ch.Series, Series{Label: humanName(name), Scale: scaleOf(rep.Columns[ci].Type), Values: points(g, rep.Columns[ci].Type)})
	}
	if len(ch.Series) == 0 {
		return nil
	}
	return ch
}

// scaleOf names the chart scale of a column's kind: money, ratios (as
// percentages) and counts each on their own.
func scaleOf(t oms.ColumnType) string {
	switch t {
	case oms.ColMoney:
		return "money"
	case oms.ColRatio:
		return "percent"
	}
	return "count"
}

// chartNumber is an exact sum of cells as a point to draw: money in major
// units of its currency (as money.Format writes it), counts as they are.
// Drawing is the one place a figure becomes floating point.
func chartNumber(t oms.ColumnType, n int64, code string) float64 {
	if t != oms.ColMoney {
		return float64(n)
	}
	if code != "" {
		if f, err := strconv.ParseFloat(money.Format(n, code), 64); err == nil {
			return f
		}
	}
	return float64(n) / 100 // a report without one currency: cents, as most are
}

// chartRatio is a ratio cell (a decimal string) as a percentage to draw.
func chartRatio(v string) (float64, bool) {
	if v == "" {
		return 0, false
	}
	f, err := strconv.ParseFloat(v, 64)
	return f * 100, err == nil
}

// humanName is a column's name as a heading: net_sales → Net sales.
func humanName(s string) string {
	s = strings.ReplaceAll(s, "_", " ")
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
