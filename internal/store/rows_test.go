package store

import "testing"

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
