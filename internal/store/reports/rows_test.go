package reports

import "testing"

// Every typed row lays out a value per column of its table's list.
func TestRowsMatchColumns(t *testing.T) {
	if n := len(backorderRow{}.values()); n != len(backorderCols) {
		t.Errorf("backorder_days: backorderRow lays out %d values for %d columns", n, len(backorderCols))
	}
}
