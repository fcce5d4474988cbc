package store

import (
	"strings"
	"testing"
)

// Every typed row lays out a value per column of its table's list.
func TestRowsMatchColumns(t *testing.T) {
	tests := []struct {
		table string
		cols  []column
		row   row
	}{
		{"order_lines", lineCols, lineRow{}},
		{"ledger", ledgerCols, ledgerRow{}},
		{"allocations", allocationCols, allocationRow{}},
		{"fulfillments", fulfillmentCols, fulfillmentRow{}},
		{"fulfillment_lines", fulfillmentLineCols, fulfillmentLineRow{}},
		{"order_payloads", payloadCols, payloadRow{}},
		{"holds", holdCols, holdRow{}},
		{"events", eventCols, eventRow{}},
	}
	for _, tt := range tests {
		if n := len(tt.row.values()); n != len(tt.cols) {
			t.Errorf("%s: %T lays out %d values for %d columns", tt.table, tt.row, n, len(tt.cols))
		}
	}
}

// The seam refuses a row whose width is not its column list's, on both
// engines, rather than shift values into other columns.
func TestRowSourceRefusesMisfitRows(t *testing.T) {
	for _, e := range []engine{sqliteEngine, postgres} {
		t.Run(e.name, func(t *testing.T) {
			defer func() {
				r := recover()
				if s, _ := r.(string); !strings.Contains(s, "2 values for the 3 columns") {
					t.Errorf("recovered %v, want a panic naming the widths", r)
				}
			}()
			cols := []column{{"a", "bigint"}, {"b", "bigint"}, {"c", "text"}}
			e.rowSource(cols, [][]any{{int64(1), int64(2), "x"}, {int64(1), int64(2)}}, nil)
		})
	}
}
