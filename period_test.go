package oms_test

import (
	"testing"
	"time"

	"github.com/omshq/oms"
)

// TestParseRangeBounds: days and times outside 1970-01-01 to 2200-12-31 are
// refused under their field; 0001-01-01, which is time's zero value, no
// longer reads as an open bound.
func TestParseRangeBounds(t *testing.T) {
	for _, c := range []struct {
		from, to string
		fields   []string
		want     oms.Range
	}{
		{"1970-01-01", "2200-12-31", nil,
			oms.Range{From: time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2201, 1, 1, 0, 0, 0, 0, time.UTC)}},
		{"", "2200-12-31T23:59:59Z", nil, oms.Range{To: time.Date(2200, 12, 31, 23, 59, 59, 0, time.UTC)}},
		{"0001-01-01", "2026-01-01", []string{"from"}, oms.Range{}},
		{"1969-12-31T23:59:59Z", "", []string{"from"}, oms.Range{}},
		{"2026-01-01", "9999-12-31", []string{"to"}, oms.Range{}},
		{"2201-01-01", "2201-01-02T00:00:00+05:00", []string{"from", "to"}, oms.Range{}},
		{"2026-13-01", "", []string{"from"}, oms.Range{}},
	} {
		var p oms.Problems
		got := oms.ParseRange(&p, c.from, c.to)
		checkInvalid(t, p.Err(), c.fields...)
		if c.fields == nil && (!got.From.Equal(c.want.From) || !got.To.Equal(c.want.To)) {
			t.Errorf("%s..%s: %v, want %v", c.from, c.to, got, c.want)
		}
	}
}
