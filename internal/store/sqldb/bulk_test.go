package sqldb

import (
	"strings"
	"testing"
)

// The seam refuses a row whose width is not its column list's, on both
// engines, rather than shift values into other columns.
func TestRowSourceRefusesMisfitRows(t *testing.T) {
	for _, e := range []Engine{SQLite, Postgres} {
		t.Run(e.Name, func(t *testing.T) {
			defer func() {
				r := recover()
				if s, _ := r.(string); !strings.Contains(s, "2 values for the 3 columns") {
					t.Errorf("recovered %v, want a panic naming the widths", r)
				}
			}()
			cols := []Column{{"a", "bigint"}, {"b", "bigint"}, {"c", "text"}}
			e.RowSource(cols, [][]any{{int64(1), int64(2), "x"}, {int64(1), int64(2)}}, nil)
		})
	}
}

// TestPadRows: on SQLite rows are padded with the filler to a power of two,
// unless that passes the parameter bound; on PostgreSQL never.
func TestPadRows(t *testing.T) {
	rowsOf := func(n, cols int) [][]any {
		out := make([][]any, n)
		for i := range out {
			out[i] = make([]any, cols)
			out[i][0] = i + 1
		}
		return out
	}
	tests := []struct {
		name       string
		engine     string
		rows, cols int
		want       int
	}{
		{"one row stays", "sqlite", 1, 3, 1},
		{"a power of two stays", "sqlite", 8, 3, 8},
		{"padded up", "sqlite", 5, 3, 8},
		{"padded past a power", "sqlite", 129, 3, 256},
		{"past the parameter bound", "sqlite", 2100, 11, 2100},
		{"postgres never", "postgres", 5, 3, 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rows := rowsOf(tt.rows, tt.cols)
			filler := make([]any, tt.cols)
			got := PadRows(tt.engine, rows, filler)
			if len(got) != tt.want {
				t.Fatalf("%d rows, want %d", len(got), tt.want)
			}
			for i := range got {
				if i < tt.rows && got[i][0] != i+1 {
					t.Errorf("row %d changed: %v", i, got[i])
				}
				if i >= tt.rows && got[i][0] != nil {
					t.Errorf("row %d is not the filler: %v", i, got[i])
				}
			}
			if len(rows) != tt.rows {
				t.Errorf("the caller's rows changed length")
			}
		})
	}
}

// TestRowSourceSQLite: the rows' parameters follow the arguments before
// them, the same whether the list was made or kept.
func TestRowSourceSQLite(t *testing.T) {
	cols := []Column{{"a", "bigint"}, {"b", "text"}}
	rows := [][]any{{int64(1), "x"}, {int64(2), "y"}}
	for range 2 {
		src, args := SQLite.RowSource(cols, rows, []any{"before"})
		if want := "VALUES ($2, $3), ($4, $5)"; src != want {
			t.Errorf("source %q, want %q", src, want)
		}
		if len(args) != 5 || args[0] != "before" || args[3] != int64(2) || args[4] != "y" {
			t.Errorf("arguments %v", args)
		}
	}
}
