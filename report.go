package oms

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/big"
	"slices"
	"strconv"
	"time"

	"github.com/omshq/oms/money"
)

// Period is how a report groups time: by day, ISO week (from Monday) or
// calendar month, in UTC.
type Period string

// The report periods.
const (
	PeriodDay   Period = "day"
	PeriodWeek  Period = "week"
	PeriodMonth Period = "month"
)

// Periods lists the report periods.
var Periods = []Period{PeriodDay, PeriodWeek, PeriodMonth}

// Valid reports whether p is a period.
func (p Period) Valid() bool { return slices.Contains(Periods, p) }

// Start returns the first instant of the period holding t.
func (p Period) Start(t time.Time) time.Time {
	t = t.UTC()
	day := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	switch p {
	case PeriodWeek:
		return day.AddDate(0, 0, -((int(day.Weekday()) + 6) % 7))
	case PeriodMonth:
		return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC)
	}
	return day
}

// Label names the period holding t: 2026-11-26 for a day or the Monday
// that starts a week, 2026-11 for a month.
func (p Period) Label(t time.Time) string {
	if p == PeriodMonth {
		return p.Start(t).Format("2006-01")
	}
	return p.Start(t).Format(time.DateOnly)
}

// ColumnType says how a report column's values read.
type ColumnType string

// The column types. Money is integer minor units of the report's currency
// (JSON) or a decimal amount (CSV); a ratio is exact decimal text with four
// decimals ("0.9375"), or empty when its denominator is zero.
const (
	ColText    ColumnType = "text"
	ColInteger ColumnType = "integer"
	ColMoney   ColumnType = "money"
	ColRatio   ColumnType = "ratio"
	ColNumber  ColumnType = "number" // a decimal that is not money, such as days or hours: text
)

// ColumnTypes lists the column types.
var ColumnTypes = []ColumnType{ColText, ColInteger, ColMoney, ColRatio, ColNumber}

// ReportColumn describes one column of a report.
type ReportColumn struct {
	Name string     `json:"name"`
	Type ColumnType `json:"type"`
	Doc  string     `json:"description"`
}

// Report is a report's answer: a table whose columns say what each value
// means. Money is in Currency, the base currency, unless a column is the
// currency of its row ("currency") — then it is in that.
type Report struct {
	Name     string         `json:"report"`
	From     *time.Time     `json:"from,omitempty"`
	To       *time.Time     `json:"to,omitempty"` // exclusive
	Period   Period         `json:"period,omitempty"`
	Currency string         `json:"currency,omitempty"`
	Columns  []ReportColumn `json:"columns"`
	Rows     []ReportRow    `json:"rows"`
	// Notes say what the figures leave out: orders whose amounts could not
	// be converted to the base currency, say.
	Notes []string `json:"notes,omitempty"`
}

// ReportRow is one row of a report: a value per column, in column order.
// It encodes as a JSON object keyed by column name, in column order.
type ReportRow struct {
	cols   []ReportColumn
	Values []any
}

// Row adds a row of values, one per column: strings for text and ratios,
// int64 for integers and money.
func (r *Report) Row(values ...any) {
	if len(values) != len(r.Columns) {
		panic(fmt.Sprintf("report %s: %d values for %d columns", r.Name, len(values), len(r.Columns)))
	}
	r.Rows = append(r.Rows, ReportRow{cols: r.Columns, Values: values})
}

// MarshalJSON writes the row as an object in column order.
func (r ReportRow) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, c := range r.cols {
		if i > 0 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal(c.Name)
		v, err := json.Marshal(r.Values[i])
		if err != nil {
			return nil, err
		}
		b.Write(k)
		b.WriteByte(':')
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// CSV returns the header and the rows as text: money as decimal amounts of
// the report's currency, or of the row's currency column when it has one.
func (r *Report) CSV() [][]string {
	out := make([][]string, 0, len(r.Rows)+1)
	head := make([]string, len(r.Columns))
	cur := -1
	for i, c := range r.Columns {
		head[i] = c.Name
		if c.Name == "currency" {
			cur = i
		}
	}
	out = append(out, head)
	for _, row := range r.Rows {
		rec := make([]string, len(row.Values))
		code := r.Currency
		if cur >= 0 {
			code, _ = row.Values[cur].(string)
		}
		for i, v := range row.Values {
			switch v := v.(type) {
			case nil:
			case string:
				rec[i] = v
			case int64:
				if r.Columns[i].Type == ColMoney && code != "" {
					rec[i] = money.Format(v, code)
				} else {
					rec[i] = strconv.FormatInt(v, 10)
				}
			default:
				rec[i] = fmt.Sprint(v)
			}
		}
		out = append(out, rec)
	}
	return out
}

// Ratio returns num ÷ den as exact decimal text rounded (halves away from zero) to
// four decimals, or "" when den is zero.
func Ratio(num, den int64) string {
	return Quotient(num, den, 4)
}

// Quotient returns num ÷ den as decimal text rounded (halves away from zero) to the
// given decimals, or "" when den is zero.
func Quotient(num, den int64, decimals int) string {
	if den == 0 {
		return ""
	}
	return new(big.Rat).SetFrac64(num, den).FloatString(decimals)
}

// ProductQuotient returns (a × b) ÷ (c × d) as Quotient does, computing the
// products exactly, however large: a ratio of two products never overflows.
func ProductQuotient(a, b, c, d int64, decimals int) string {
	den := new(big.Int).Mul(big.NewInt(c), big.NewInt(d))
	if den.Sign() == 0 {
		return ""
	}
	num := new(big.Int).Mul(big.NewInt(a), big.NewInt(b))
	return new(big.Rat).SetFrac(num, den).FloatString(decimals)
}

// MulDiv returns a × b ÷ c rounded half away from zero, computing the
// product exactly; ok is false when c is 0 or the result does not fit in
// 64 bits.
func MulDiv(a, b, c int64) (int64, bool) {
	if c == 0 {
		return 0, false
	}
	q := new(big.Rat).SetFrac(new(big.Int).Mul(big.NewInt(a), big.NewInt(b)), big.NewInt(c)).FloatString(0)
	n, err := strconv.ParseInt(q, 10, 64)
	if err != nil {
		return 0, false
	}
	return n, true
}
