package fx

import (
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/omshq/oms"
)

const fixture = "../../testdata/channels/ecb_eurofxref.xml"

// hist is a history file in the ECB's shape: newest day first, the currency
// set changing from day to day.
const hist = `<?xml version="1.0" encoding="UTF-8"?>
<gesmes:Envelope xmlns:gesmes="http://www.gesmes.org/xml/2002-08-01" xmlns="http://www.ecb.int/vocabulary/2002-08-01/eurofxref">
	<gesmes:subject>Reference rates</gesmes:subject>
	<gesmes:Sender><gesmes:name>European Central Bank</gesmes:name></gesmes:Sender>
	<Cube>
		<Cube time="2025-11-14"><Cube currency="USD" rate="1.1612"/><Cube currency="GBP" rate="0.88195"/></Cube>
		<Cube time="2025-11-13"><Cube currency="USD" rate="1.1589"/><Cube currency="GBP" rate="0.8821"/></Cube>
		<Cube time="2025-11-12"><Cube currency="USD" rate="1.1574"/><Cube currency="GBP" rate="0.88"/><Cube currency="HRK" rate="7.5345"/></Cube>
	</Cube>
</gesmes:Envelope>`

func parseFixture(t *testing.T) []Rate {
	t.Helper()
	f, err := os.Open(fixture)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	rates, err := ParseECB(f)
	if err != nil {
		t.Fatalf("ParseECB: %v", err)
	}
	return rates
}

func TestParseECBFixture(t *testing.T) {
	rates := parseFixture(t)
	if len(rates) != 30 {
		t.Fatalf("got %d rates, want 30", len(rates))
	}
	day := time.Date(2025, 11, 14, 0, 0, 0, 0, time.UTC)
	byCode := make(map[string]string)
	for _, r := range rates {
		if !r.Date.Equal(day) || r.Date.Location() != time.UTC || r.Base != "EUR" {
			t.Errorf("%s: date %v base %q, want 2025-11-14 UTC and EUR", r.Currency, r.Date, r.Base)
		}
		byCode[r.Currency] = r.Rate.String()
	}
	for code, want := range map[string]string{
		"USD": "1.1612", "JPY": "179.53", "GBP": "0.88195", "ISK": "147.20",
		"IDR": "19402.17", "INR": "102.9135", "BGN": "1.9558", "ZAR": "20.1188",
	} {
		if byCode[code] != want {
			t.Errorf("%s rate = %q, want %q", code, byCode[code], want)
		}
	}
	if rates[0].Currency != "USD" || rates[29].Currency != "ZAR" {
		t.Errorf("rates are not in document order: first %s, last %s", rates[0].Currency, rates[29].Currency)
	}
}

func TestParseECBHistory(t *testing.T) {
	rates, err := ParseECB(strings.NewReader(hist))
	if err != nil {
		t.Fatal(err)
	}
	if len(rates) != 7 {
		t.Fatalf("got %d rates, want 7", len(rates))
	}
	if got := rates[6]; got.Currency != "HRK" || got.Date.Format(time.DateOnly) != "2025-11-12" || got.Rate.String() != "7.5345" {
		t.Errorf("last rate = %+v", got)
	}
	tests := []struct {
		name     string
		day      time.Time
		wantDate string
		wantGBP  string
		wantN    int
	}{
		{"a published day", time.Date(2025, 11, 13, 0, 0, 0, 0, time.UTC), "2025-11-13", "0.8821", 2},
		{"later that day", time.Date(2025, 11, 12, 18, 30, 0, 0, time.UTC), "2025-11-12", "0.88", 3},
		{"Saturday carries Friday forward", time.Date(2025, 11, 15, 12, 0, 0, 0, time.UTC), "2025-11-14", "0.88195", 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			set, err := SetOn(rates, tt.day)
			if err != nil {
				t.Fatal(err)
			}
			if got := set.Date.Format(time.DateOnly); got != tt.wantDate {
				t.Errorf("Date = %s, want %s", got, tt.wantDate)
			}
			if got := set.Rates["GBP"].String(); got != tt.wantGBP || len(set.Rates) != tt.wantN {
				t.Errorf("GBP = %s with %d rates, want %s with %d", got, len(set.Rates), tt.wantGBP, tt.wantN)
			}
		})
	}
	_, err = SetOn(rates, time.Date(2025, 11, 11, 23, 59, 0, 0, time.UTC))
	if oms.ErrorCode(err) != oms.ENOTFOUND {
		t.Errorf("SetOn before the first day: %v, want ENOTFOUND", err)
	}
}

func TestParseECBErrors(t *testing.T) {
	doc := func(cubes string) string {
		return `<gesmes:Envelope xmlns:gesmes="http://www.gesmes.org/xml/2002-08-01" xmlns="http://www.ecb.int/vocabulary/2002-08-01/eurofxref"><Cube>` +
			cubes + `</Cube></gesmes:Envelope>`
	}
	tests := []struct {
		name  string
		body  string
		field string
	}{
		{"truncated", hist[:len(hist)/2], "body"},
		{"not XML", "USD,1.1612", "body"},
		{"empty", "", "body"},
		{"another root", `<Envelope><Cube/></Envelope>`, "body"},
		{"no rates", doc(`<Cube time="2025-11-14"></Cube>`), "body"},
		{"Cube outside the namespace", `<gesmes:Envelope xmlns:gesmes="http://www.gesmes.org/xml/2002-08-01"><Cube><Cube time="2025-11-14"><Cube currency="USD" rate="1.1"/></Cube></Cube></gesmes:Envelope>`, "body"},
		{"zero rate", doc(`<Cube time="2025-11-14"><Cube currency="USD" rate="1.1"/><Cube currency="GBP" rate="0.000"/></Cube>`), "Cube.Cube[0].Cube[1].rate"},
		{"negative rate", doc(`<Cube time="2025-11-14"><Cube currency="USD" rate="-1.1"/></Cube>`), "Cube.Cube[0].Cube[0].rate"},
		{"exponent notation", doc(`<Cube time="2025-11-14"><Cube currency="USD" rate="1.1e0"/></Cube>`), "Cube.Cube[0].Cube[0].rate"},
		{"comma decimal", doc(`<Cube time="2025-11-14"><Cube currency="USD" rate="1,1612"/></Cube>`), "Cube.Cube[0].Cube[0].rate"},
		{"missing rate", doc(`<Cube time="2025-11-14"><Cube currency="USD"/></Cube>`), "Cube.Cube[0].Cube[0].rate"},
		{"too many digits", doc(`<Cube time="2025-11-14"><Cube currency="USD" rate="1.1234567890123456789"/></Cube>`), "Cube.Cube[0].Cube[0].rate"},
		{"bad currency", doc(`<Cube time="2025-11-14"><Cube currency="usd" rate="1.1"/></Cube>`), "Cube.Cube[0].Cube[0].currency"},
		{"a rate of EUR to EUR", doc(`<Cube time="2025-11-14"><Cube currency="USD" rate="1.1"/><Cube currency="EUR" rate="2"/></Cube>`), "Cube.Cube[0].Cube[1].currency"},
		{"repeated currency", doc(`<Cube time="2025-11-14"><Cube currency="USD" rate="1.1"/><Cube currency="USD" rate="1.2"/></Cube>`), "Cube.Cube[0].Cube[1].currency"},
		{"bad date", doc(`<Cube time="14/11/2025"><Cube currency="USD" rate="1.1"/></Cube>`), "Cube.Cube[0].time"},
		{"a day past the date bounds", doc(`<Cube time="9999-12-31"><Cube currency="USD" rate="1.1"/></Cube>`), "Cube.Cube[0].time"},
		{"a day before them", doc(`<Cube time="2025-11-14"><Cube currency="USD" rate="1.1"/></Cube><Cube time="1969-12-31"><Cube currency="USD" rate="1.1"/></Cube>`), "Cube.Cube[1].time"},
		{"repeated date", doc(`<Cube time="2025-11-14"><Cube currency="USD" rate="1.1"/></Cube><Cube time="2025-11-14"><Cube currency="USD" rate="1.1"/></Cube>`), "Cube.Cube[1].time"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rates, err := ParseECB(strings.NewReader(tt.body))
			var e *oms.Error
			if !errors.As(err, &e) || e.Code != oms.EINVALID {
				t.Fatalf("ParseECB = %v, %v; want EINVALID", rates, err)
			}
			if e.Fields[0].Field != tt.field {
				t.Errorf("field = %q (%s), want %q", e.Fields[0].Field, e.Fields[0].Message, tt.field)
			}
		})
	}
}

func TestDecimal(t *testing.T) {
	for _, tt := range []struct{ in, out, rat string }{
		{"0.84638", "0.84638", "42319/50000"},
		{"147.20", "147.20", "736/5"},
		{"17487.21", "17487.21", "1748721/100"},
		{"007", "7", "7/1"},
		{"0.0", "0.0", "0/1"},
		{"-1.5", "-1.5", "-3/2"},
		{"0.000001", "0.000001", "1/1000000"},
		{"999999999999999999", "999999999999999999", "999999999999999999/1"},
	} {
		d, ok := ParseDecimal(tt.in)
		if !ok || d.String() != tt.out || d.Rat().String() != tt.rat {
			t.Errorf("ParseDecimal(%q) = %v (%s), %v; want %s (%s)", tt.in, d, d.Rat(), ok, tt.out, tt.rat)
		}
	}
	for _, in := range []string{"", "-", ".5", "5.", "+1", "1e3", "1,5", " 1", "1 ", "0x10", "1.2.3",
		"1000000000000000000", "0.0000000000000000001", "NaN", "Inf"} {
		if d, ok := ParseDecimal(in); ok {
			t.Errorf("ParseDecimal(%q) = %v, want rejected", in, d)
		}
	}
}

// fixtureSet is the fixture's day plus KWD (not an ECB currency) at 0.3561.
func fixtureSet(t *testing.T) RateSet {
	t.Helper()
	set, err := SetOn(parseFixture(t), time.Date(2025, 11, 14, 16, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	set.Rates["KWD"] = dec(t, "0.3561")
	return set
}

func dec(t *testing.T, s string) Decimal {
	t.Helper()
	d, ok := ParseDecimal(s)
	if !ok {
		t.Fatalf("ParseDecimal(%q) failed", s)
	}
	return d
}

func TestConvert(t *testing.T) {
	set := fixtureSet(t)
	// Each figure is worked by hand from the rates USD 1.1612, GBP 0.88195,
	// JPY 179.53 and KWD 0.3561 per euro.
	tests := []struct {
		name     string
		amount   int64
		from, to string
		want     int64
	}{
		// 100.00 USD / 1.1612 = 86.1178 EUR; × 0.88195 = 75.9516 GBP.
		{"USD to GBP", 10000, "USD", "GBP", 7595},
		// 123.45 USD / 1.1612 = 106.3124 EUR; × 0.88195 = 93.7623 GBP.
		{"USD to GBP again", 12345, "USD", "GBP", 9376},
		// 75.95 GBP / 0.88195 = 86.1160 EUR; × 1.1612 = 99.9989 USD.
		{"GBP to USD", 7595, "GBP", "USD", 10000},
		// ¥10000 / 179.53 = 55.70100 EUR.
		{"JPY to EUR", 10000, "JPY", "EUR", 5570},
		// 19.99 EUR × 179.53 = ¥3588.8047.
		{"EUR to JPY", 1999, "EUR", "JPY", 3589},
		// 1.234 KWD / 0.3561 = 3.46532 EUR; × 179.53 = ¥622.1287.
		{"KWD to JPY", 1234, "KWD", "JPY", 622},
		// ¥500 / 179.53 = 2.785050 EUR; × 0.3561 = 0.991756 KWD.
		{"JPY to KWD", 500, "JPY", "KWD", 992},
		// 19.99 USD / 1.1612 = 17.21495 EUR; × 0.3561 = 6.130244 KWD.
		{"USD to KWD", 1999, "USD", "KWD", 6130},
		// 25.00 EUR × 0.3561 = 8.9025 KWD: a tie, to the even 8.902.
		{"EUR to KWD tie", 2500, "EUR", "KWD", 8902},
		{"same currency", 1999, "USD", "USD", 1999},
		{"EUR to EUR", 1999, "EUR", "EUR", 1999},
		{"refund", -10000, "USD", "GBP", -7595},
		{"zero", 0, "JPY", "KWD", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Convert(tt.amount, tt.from, tt.to, set)
			if err != nil || got != tt.want {
				t.Errorf("Convert(%d, %s, %s) = %d, %v; want %d", tt.amount, tt.from, tt.to, got, err, tt.want)
			}
		})
	}
}

func TestConvertHalfEven(t *testing.T) {
	// 1 EUR = 2 USD = 0.5 GBP: every odd number of minor units lands on a
	// half between USD and EUR and between EUR and GBP.
	set := RateSet{Rates: map[string]Decimal{"USD": dec(t, "2"), "GBP": dec(t, "0.5")}}
	tests := []struct {
		amount   int64
		from, to string
		want     int64
	}{
		{1, "USD", "EUR", 0},   // 0.5 → 0
		{3, "USD", "EUR", 2},   // 1.5 → 2
		{5, "USD", "EUR", 2},   // 2.5 → 2
		{7, "USD", "EUR", 4},   // 3.5 → 4
		{-3, "USD", "EUR", -2}, // -1.5 → -2
		{-5, "USD", "EUR", -2}, // -2.5 → -2
		{1, "EUR", "GBP", 0},   // 0.5 → 0
		{3, "EUR", "GBP", 2},   // 1.5 → 2
		{9, "EUR", "GBP", 4},   // 4.5 → 4
		{1, "USD", "GBP", 0},   // 0.01 / 2 × 0.5 = 0.0025 → 0.25 of a penny → 0
		{6, "USD", "GBP", 2},   // 6 / 4 = 1.5 → 2
		{10, "USD", "GBP", 2},  // 10 / 4 = 2.5 → 2
		{3, "EUR", "USD", 6},   // no rounding
	}
	for _, tt := range tests {
		got, err := Convert(tt.amount, tt.from, tt.to, set)
		if err != nil || got != tt.want {
			t.Errorf("Convert(%d, %s, %s) = %d, %v; want %d", tt.amount, tt.from, tt.to, got, err, tt.want)
		}
	}
}

func TestRate(t *testing.T) {
	set := fixtureSet(t)
	r, err := set.Rate("USD", "GBP")
	// 0.88195 / 1.1612 = 88195/116120 = 17639/23224.
	if err != nil || r.String() != "17639/23224" {
		t.Errorf("Rate(USD, GBP) = %v, %v; want 17639/23224", r, err)
	}
	if r, err := set.Rate("EUR", "JPY"); err != nil || r.String() != "17953/100" {
		t.Errorf("Rate(EUR, JPY) = %v, %v", r, err)
	}
}

func TestConvertErrors(t *testing.T) {
	set := fixtureSet(t)
	set.Rates["XAF"] = Decimal{} // a zero rate someone put in by hand
	tests := []struct {
		name     string
		amount   int64
		from, to string
		field    string
	}{
		{"not in the set", 100, "USD", "AED", "to"},
		{"source not in the set", 100, "AED", "USD", "from"},
		{"not ISO 4217", 100, "USD", "XYZ", "to"},
		{"lower case", 100, "usd", "GBP", "from"},
		{"zero rate", 100, "USD", "XAF", "to"},
		{"overflow", 9_000_000_000_000_000_000, "EUR", "IDR", "amount"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Convert(tt.amount, tt.from, tt.to, set)
			var e *oms.Error
			if !errors.As(err, &e) || e.Code != oms.EINVALID || e.Fields[0].Field != tt.field {
				t.Errorf("Convert = %d, %v; want EINVALID naming %q", got, err, tt.field)
			}
		})
	}
}

func FuzzParseECB(f *testing.F) {
	body, err := os.ReadFile(fixture)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(body)
	f.Add([]byte(hist))
	f.Add(body[:len(body)/3])
	f.Add([]byte(strings.Replace(string(body), "1.1612", "-0", 1)))
	f.Add([]byte(strings.Replace(hist, `time="2025-11-13"`, `time="2025-11-14"`, 1)))
	f.Fuzz(func(t *testing.T, body []byte) {
		rates, err := ParseECB(strings.NewReader(string(body)))
		if err != nil {
			if oms.ErrorCode(err) != oms.EINVALID {
				t.Fatalf("error %v is not EINVALID", err)
			}
			return
		}
		if len(rates) == 0 {
			t.Fatal("success without rates")
		}
		for _, r := range rates {
			back, ok := ParseDecimal(r.Rate.String())
			if r.Rate.Sign() <= 0 || !ok || back != r.Rate || r.Base != "EUR" || len(r.Currency) != 3 ||
				r.Date.Location() != time.UTC || !r.Date.Equal(r.Date.Truncate(24*time.Hour)) {
				t.Fatalf("bad rate %+v", r)
			}
		}
		set, err := SetOn(rates, rates[0].Date)
		if err != nil {
			t.Fatal(err)
		}
		for code := range set.Rates {
			if _, err := set.Rate(code, "EUR"); err != nil {
				t.Fatal(err)
			}
		}
	})
}
