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
