package fx

import (
	"errors"
	"math/big"
	"testing"
	"time"

	"github.com/omshq/oms"
)

func TestRateText(t *testing.T) {
	set := RateSet{Date: time.Date(2025, 11, 14, 0, 0, 0, 0, time.UTC), Rates: map[string]Decimal{}}
	for c, r := range map[string]string{"USD": "1.1612", "GBP": "0.88195", "ISK": "147.20"} {
		set.Rates[c], _ = ParseDecimal(r)
	}
	for _, c := range []struct{ from, to, want string }{
		{"USD", "USD", "1"}, {"EUR", "EUR", "1"}, {"EUR", "USD", "1.1612"}, {"USD", "EUR", "1/1.1612"},
		{"USD", "GBP", "0.88195/1.1612"}, {"GBP", "ISK", "147.20/0.88195"}, {"KWD", "KWD", "1"},
	} {
		got, err := set.RateText(c.from, c.to)
		if err != nil || got != c.want {
			t.Errorf("RateText(%s, %s) = %q, %v; want %q", c.from, c.to, got, err, c.want)
			continue
		}
		// The text is the rate Rate computes, exactly.
		r, ok := ParseRateText(got)
		if want, _ := set.Rate(c.from, c.to); c.from != c.to && (!ok || want == nil || r.Cmp(want) != 0) {
			t.Errorf("ParseRateText(%q) = %v, want %v", got, r, want)
		}
	}
	for _, c := range []struct{ from, to, field string }{{"KWD", "USD", "from"}, {"USD", "KWD", "to"}} {
		_, err := set.RateText(c.from, c.to)
		var e *oms.Error
		if !errors.As(err, &e) || e.Fields[0].Field != c.field {
			t.Errorf("RateText(%s, %s) = %v, want EINVALID naming %s", c.from, c.to, err, c.field)
		}
	}
	for _, bad := range []string{"", "0", "-1.2", "1/0", "1/", "/2", "a/b", "1/2/3", "1e3"} {
		if r, ok := ParseRateText(bad); ok {
			t.Errorf("ParseRateText(%q) = %v", bad, r)
		}
	}
}

func TestToBase(t *testing.T) {
	jpy, _ := ParseDecimal("179.53")
	day := time.Date(2025, 11, 16, 0, 0, 0, 0, time.UTC)
	set := RateSet{Date: time.Date(2025, 11, 14, 0, 0, 0, 0, time.UTC), Rates: map[string]Decimal{"JPY": jpy}}
	totals := oms.Totals{Subtotal: 3960, ShippingTotal: 500, TaxTotal: 360, Total: 4820}
	// ¥3960 / 179.53 = 22.0576 EUR → 2206; ¥500 → 2.78505 → 279; ¥360 →
	// 2.00524 → 201; ¥4820 → 26.84788 → 2685, one less than the parts.
	got, err := ToBase(totals, "JPY", "EUR", set, day)
	want := oms.BaseTotals{Currency: "EUR", Rate: "1/179.53", RateDate: "2025-11-14",
		Totals: oms.Totals{Subtotal: 2206, ShippingTotal: 279, TaxTotal: 201, Total: 2685}}
	if err != nil || got != want {
		t.Errorf("ToBase = %+v, %v; want %+v", got, err, want)
	}
	got, err = ToBase(totals, "JPY", "JPY", RateSet{}, day)
	if err != nil || got != (oms.BaseTotals{Currency: "JPY", Rate: "1", RateDate: "2025-11-16", Totals: totals}) {
		t.Errorf("ToBase in its own currency = %+v, %v", got, err)
	}
	if _, err := ToBase(totals, "KWD", "EUR", set, day); err == nil {
		t.Error("ToBase without a KWD rate succeeded")
	}
	if _, err := AtRate(totals, "JPY", "EUR", "1/x", day); err == nil {
		t.Error("AtRate with a bad rate succeeded")
	}
}

func TestConvertAtHalfEven(t *testing.T) {
	huf := big.NewRat(38445, 100) // 384.45 HUF a euro
	for cents, want := range map[int64]int64{10: 3844, 30: 11534, -10: -3844, -30: -11534, 1: 384, 0: 0} {
		if got, err := ConvertAt(cents, "EUR", "HUF", huf); err != nil || got != want {
			t.Errorf("ConvertAt(%d EUR cents) = %d, %v; want %d", cents, got, err, want)
		}
	}
	if _, err := ConvertAt(1<<62, "EUR", "IDR", big.NewRat(1940217, 100)); err == nil {
		t.Error("an overflowing conversion succeeded")
	}
	if _, err := ConvertAt(1, "EUR", "XYZ", huf); err == nil {
		t.Error("a conversion into XYZ succeeded")
	}
}

func TestDay(t *testing.T) {
	tokyo := time.FixedZone("JST", 9*3600)
	if d := Day(time.Date(2025, 11, 15, 8, 0, 0, 0, tokyo)); !d.Equal(time.Date(2025, 11, 14, 0, 0, 0, 0, time.UTC)) || d.Location() != time.UTC {
		t.Errorf("Day = %v", d)
	}
}
