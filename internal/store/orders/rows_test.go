package orders

import "testing"

// Every typed row lays out a value per column of its table's list.
func TestRowsMatchColumns(t *testing.T) {
	tests := []struct {
		table string
		cols  []column
		row   row
	}{
		{"order_lines", LineCols, LineRow{}},
		{"ledger", ledgerCols, LedgerRow{}},
		{"allocations", AllocationCols, AllocationRow{}},
		{"fulfillments", FulfillmentCols, FulfillmentRow{}},
		{"fulfillment_lines", FulfillmentLineCols, FulfillmentLineRow{}},
		{"order_payloads", PayloadCols, PayloadRow{}},
		{"holds", HoldCols, HoldRow{}},
		{"events", EventCols, EventRow{}},
	}
	for _, tt := range tests {
		if n := len(tt.row.values()); n != len(tt.cols) {
			t.Errorf("%s: %T lays out %d values for %d columns", tt.table, tt.row, n, len(tt.cols))
		}
	}
}
