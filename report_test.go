package oms

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"
)

func TestPeriodStart(t *testing.T) {
	at := time.Date(2026, 11, 26, 15, 4, 5, 0, time.FixedZone("X", -8*3600)) // 23:04 UTC, a Thursday
	for _, c := range []struct {
		p     Period
		start string
		label string
	}{
		{PeriodDay, "2026-11-26T00:00:00Z", "2026-11-26"},
		{PeriodWeek, "2026-11-23T00:00:00Z", "2026-11-23"},
		{PeriodMonth, "2026-11-01T00:00:00Z", "2026-11"},
	} {
		if got := c.p.Start(at).Format(time.RFC3339); got != c.start {
			t.Errorf("%s start %s, want %s", c.p, got, c.start)
		}
		if got := c.p.Label(at); got != c.label {
			t.Errorf("%s label %s, want %s", c.p, got, c.label)
		}
	}
	// A Sunday belongs to the week that began the Monday before.
	if got := PeriodWeek.Start(time.Date(2026, 11, 29, 23, 0, 0, 0, time.UTC)); got.Day() != 23 {
		t.Errorf("Sunday's week starts %v", got)
	}
}

func TestRatio(t *testing.T) {
	for _, c := range []struct {
		n, d int64
		want string
	}{{1, 3, "0.3333"}, {2, 3, "0.6667"}, {15, 16, "0.9375"}, {5, 0, ""}, {0, 7, "0.0000"}, {1, 20000, "0.0001"}} {
		if got := Ratio(c.n, c.d); got != c.want {
			t.Errorf("Ratio(%d, %d) = %q, want %q", c.n, c.d, got, c.want)
		}
	}
}

func TestReportEncoding(t *testing.T) {
	r := &Report{Name: "sales", Currency: "USD", Columns: []ReportColumn{{Name: "period", Type: ColText},
		{Name: "currency", Type: ColText}, {Name: "net", Type: ColMoney}, {Name: "units", Type: ColInteger},
		{Name: "rate", Type: ColRatio}}}
	r.Row("2026-11-26", "JPY", int64(1999), int64(3), "0.5000")
	r.Row("2026-11-27", "KWD", int64(1999), int64(0), "")
	b, err := json.Marshal(r.Rows)
	if err != nil || string(b) != `[{"period":"2026-11-26","currency":"JPY","net":1999,"units":3,"rate":"0.5000"},`+
		`{"period":"2026-11-27","currency":"KWD","net":1999,"units":0,"rate":""}]` {
		t.Errorf("json %s %v", b, err)
	}
	want := [][]string{{"period", "currency", "net", "units", "rate"}, {"2026-11-26", "JPY", "1999", "3", "0.5000"},
		{"2026-11-27", "KWD", "1.999", "0", ""}}
	if got := r.CSV(); !reflect.DeepEqual(got, want) {
		t.Errorf("csv %v", got)
	}
}

// TestProductQuotient: ratios and quotients of products are exact however
// large the products; a quotient that does not fit is refused.
func TestProductQuotient(t *testing.T) {
	const vast = 10_000_000_000_000 // MaxAmount
	if got := ProductQuotient(vast, 1_000_000_000, vast, 2_000_000_000, 4); got != "0.5000" {
		t.Errorf("ratio of vast products = %s", got)
	}
	if got := ProductQuotient(1, 1, 0, 5, 2); got != "" {
		t.Errorf("over zero = %q", got)
	}
	if v, ok := MulDiv(vast, 1_000_000, 1); ok || v != 0 {
		t.Errorf("MulDiv past 64 bits = %d, %v", v, ok)
	}
	if v, ok := MulDiv(vast, 1_000, 3_000); !ok || v != vast/3 {
		t.Errorf("MulDiv = %d, %v", v, ok)
	}
	if v, ok := MulDiv(5, 1, 2); !ok || v != 3 {
		t.Errorf("MulDiv rounds half away from zero: %d", v)
	}
}
