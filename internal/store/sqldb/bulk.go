package sqldb

import (
	"fmt"
	"math/bits"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Set-based statements — many rows inserted, many keys looked up — are where
// the engines part ways. SQLite, in-process, takes a VALUES list with one
// parameter per value. PostgreSQL would have to parse and plan such a
// statement anew for every batch size; there each column travels as one
// array parameter instead, so the statement text is fixed, prepared once per
// connection and planned once.

// Column is a column of a set-based statement, with its PostgreSQL type.
type Column struct{ Name, Type string }

// ColumnNames lists the columns' names, comma-separated.
func ColumnNames(cols []Column) string {
	names := make([]string, len(cols))
	for i, c := range cols {
		names[i] = c.Name
	}
	return strings.Join(names, ", ")
}

// RowSource returns a row source for INSERT … <source>: "VALUES (…), (…)" on
// SQLite, "SELECT * FROM unnest($n::type[], …)" on PostgreSQL, with its
// arguments appended to args. rows must not be empty, and every row must
// have a value per column: rowSource panics otherwise, as the caller's
// column list and its rows (see store's row) disagree.
func (e Engine) RowSource(cols []Column, rows [][]any, args []any) (string, []any) {
	for _, r := range rows {
		if len(r) != len(cols) {
			panic(fmt.Sprintf("sqldb: a row of %d values for the %d columns %s", len(r), len(cols), ColumnNames(cols)))
		}
	}
	if e.Name == "postgres" {
		var b strings.Builder
		b.WriteString("SELECT * FROM unnest(")
		for i, c := range cols {
			if i > 0 {
				b.WriteString(", ")
			}
			args = append(args, pgArray(c.Type, rows, i))
			fmt.Fprintf(&b, "$%d::%s[]", len(args), c.Type)
		}
		b.WriteString(")")
		return b.String(), args
	}
	src := valuesList(len(args)+1, len(cols), len(rows))
	for _, row := range rows {
		args = append(args, row...)
	}
	return src, args
}

// valuesList returns "VALUES ($from, …), (…)" for rows rows of cols
// parameters. A batch's statements ask for the same few shapes again and
// again, so the lists made are kept, up to valuesKept of them.
func valuesList(from, cols, rows int) string {
	k := [3]int{from, cols, rows}
	if v, ok := valuesLists.Load(k); ok {
		return v.(string)
	}
	var b strings.Builder
	b.Grow(8 + rows*(cols*6+4))
	b.WriteString("VALUES ")
	for r := range rows {
		if r > 0 {
			b.WriteString(", ")
		}
		b.WriteString("(" + Placeholders(from+r*cols, cols) + ")")
	}
	v := b.String()
	if valuesCount.Add(1) <= valuesKept {
		valuesLists.Store(k, v)
	}
	return v
}

const valuesKept = 1024

var (
	valuesLists sync.Map // [3]int{from, cols, rows} → string
	valuesCount atomic.Int64
)

// maxPadded bounds the parameters of a padded statement, as InsertRows
// bounds an insert's: SQLite takes at most 32,766.
const maxPadded = 30000

// PadRows returns rows padded to a power of two with copies of filler on
// SQLite, so that a statement over them comes in a few shapes, which the
// writer keeps prepared (see stmtCache), rather than one per row count,
// parsed anew each time and, prepared once it repeats, filling the cache.
// On PostgreSQL, whose statement is the same for any count, and where the
// padded rows would pass maxPadded parameters, it returns rows as they
// are. filler must be a row the statement leaves alone: a key that matches
// nothing, or a repeat its ON CONFLICT DO NOTHING skips.
func PadRows(engine string, rows [][]any, filler []any) [][]any {
	n := len(rows)
	if engine != "sqlite" || n <= 1 {
		return rows
	}
	p := 1 << bits.Len(uint(n-1))
	if p*len(filler) > maxPadded {
		return rows
	}
	out := make([][]any, n, p)
	copy(out, rows)
	for range p - n {
		out = append(out, filler)
	}
	return out
}

// RowTable returns rows as a table expression with named columns, for
// UPDATE … FROM or a join: "(SELECT …) AS alias".
func (e Engine) RowTable(cols []Column, rows [][]any, args []any, alias string) (string, []any) {
	src, args := e.RowSource(cols, rows, args)
	if e.Name == "postgres" {
		return fmt.Sprintf("(%s) AS %s(%s)", src, alias, ColumnNames(cols)), args
	}
	sel := make([]string, len(cols))
	for i, c := range cols {
		sel[i] = fmt.Sprintf("column%d AS %s", i+1, c.Name)
	}
	return fmt.Sprintf("(SELECT %s FROM (%s)) AS %s", strings.Join(sel, ", "), src, alias), args
}

// InList returns "expr IN ($n, …)" on SQLite and "expr = ANY($n::type[])" on
// PostgreSQL, with its arguments appended to args.
func (e Engine) InList(expr, pgType string, vals []any, args []any) (string, []any) {
	if e.Name == "postgres" {
		rows := make([][]any, len(vals))
		for i, v := range vals {
			rows[i] = []any{v}
		}
		args = append(args, pgArray(pgType, rows, 0))
		return fmt.Sprintf("%s = ANY($%d::%s[])", expr, len(args), pgType), args
	}
	// Padded to a power of two with the last value, so that the writer
	// meets few shapes and keeps them prepared (see stmtCache).
	n := len(vals)
	if n > 1 {
		n = 1 << bits.Len(uint(n-1))
	}
	s := fmt.Sprintf("%s IN (%s)", expr, Placeholders(len(args)+1, n))
	args = append(args, vals...)
	for range n - len(vals) {
		args = append(args, vals[len(vals)-1])
	}
	return s, args
}

// pgArray collects column i of rows into a typed slice that pgx sends as a
// PostgreSQL array; a column with a nil value becomes a slice of pointers,
// which carries NULLs.
func pgArray(pgType string, rows [][]any, i int) any {
	hasNil := false
	for _, r := range rows {
		if r[i] == nil {
			hasNil = true
			break
		}
	}
	switch pgType {
	case "bigint":
		if hasNil {
			out := make([]*int64, len(rows))
			for j, r := range rows {
				if r[i] != nil {
					v := toInt64(r[i])
					out[j] = &v
				}
			}
			return out
		}
		out := make([]int64, len(rows))
		for j, r := range rows {
			out[j] = toInt64(r[i])
		}
		return out
	case "text":
		if hasNil {
			out := make([]*string, len(rows))
			for j, r := range rows {
				if r[i] != nil {
					v := toString(r[i])
					out[j] = &v
				}
			}
			return out
		}
		out := make([]string, len(rows))
		for j, r := range rows {
			out[j] = toString(r[i])
		}
		return out
	case "boolean":
		out := make([]bool, len(rows))
		for j, r := range rows {
			out[j] = r[i].(bool)
		}
		return out
	case "timestamptz":
		if hasNil {
			out := make([]*time.Time, len(rows))
			for j, r := range rows {
				if t, ok := r[i].(time.Time); ok {
					out[j] = &t
				}
			}
			return out
		}
		out := make([]time.Time, len(rows))
		for j, r := range rows {
			out[j] = r[i].(time.Time)
		}
		return out
	case "bytea":
		out := make([][]byte, len(rows))
		for j, r := range rows {
			out[j] = r[i].([]byte)
		}
		return out
	}
	panic("sqldb: no array type for " + pgType)
}

func toInt64(v any) int64 {
	switch x := v.(type) {
	case int64:
		return x
	case int:
		return int64(x)
	}
	return reflect.ValueOf(v).Int()
}

func toString(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	if rv := reflect.ValueOf(v); rv.Kind() == reflect.String {
		return rv.String()
	}
	return fmt.Sprint(v)
}

// Placeholders returns "$from, $from+1, …" for n parameters.
func Placeholders(from, n int) string {
	b := make([]byte, 0, n*5)
	for i := 0; i < n; i++ {
		if i > 0 {
			b = append(b, ", "...)
		}
		b = append(b, '$')
		b = strconv.AppendInt(b, int64(from+i), 10)
	}
	return string(b)
}

// Numbered returns an arg function that adds parameters after those in
// args, and a function returning all of them.
func Numbered(args []any) (func(any) string, func() []any) {
	return func(v any) string {
			args = append(args, v)
			return "$" + strconv.Itoa(len(args))
		}, func() []any {
			return args
		}
}
