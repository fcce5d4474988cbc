package money

import (
	"errors"
	"math"
	"regexp"
	"strings"
	"testing"
)

func TestLookup(t *testing.T) {
	tests := []struct {
		name string
		code string
		want Currency
		ok   bool
	}{
		{"US dollar", "USD", Currency{"USD", 2}, true},
		{"euro", "EUR", Currency{"EUR", 2}, true},
		{"yen has no minor unit", "JPY", Currency{"JPY", 0}, true},
		{"won", "KRW", Currency{"KRW", 0}, true},
		{"Kuwaiti dinar has three decimals", "KWD", Currency{"KWD", 3}, true},
		{"Bahraini dinar", "BHD", Currency{"BHD", 3}, true},
		{"Unidad de Fomento has four decimals", "CLF", Currency{"CLF", 4}, true},
		{"Unidad Previsional", "UYW", Currency{"UYW", 4}, true},
		{"first in table", "AED", Currency{"AED", 2}, true},
		{"last in table", "ZWG", Currency{"ZWG", 2}, true},
		{"lower case is not matched", "usd", Currency{}, false},
		{"gold has no minor unit", "XAU", Currency{}, false},
		{"SDR has no minor unit", "XDR", Currency{}, false},
		{"testing code", "XTS", Currency{}, false},
		{"withdrawn kuna", "HRK", Currency{}, false},
		{"empty", "", Currency{}, false},
		{"too long", "USDX", Currency{}, false},
		{"padded", " USD", Currency{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := Lookup(tt.code)
			if got != tt.want || ok != tt.ok {
				t.Errorf("Lookup(%q) = %v, %v; want %v, %v", tt.code, got, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestCurrencies(t *testing.T) {
	all := Currencies()
	if len(all) < 150 {
		t.Fatalf("Currencies() has %d entries; ISO 4217 lists over 150", len(all))
	}
	code := regexp.MustCompile(`^[A-Z]{3}$`)
	for i, c := range all {
		if !code.MatchString(c.Code) {
			t.Errorf("code %q is not three upper-case letters", c.Code)
		}
		switch c.Exponent {
		case 0, 2, 3, 4:
		default:
			t.Errorf("%s has exponent %d; ISO 4217 uses 0, 2, 3 or 4", c.Code, c.Exponent)
		}
		if i > 0 && all[i-1].Code >= c.Code {
			t.Errorf("table out of order or duplicated at %s, %s", all[i-1].Code, c.Code)
		}
		if got, ok := Lookup(c.Code); !ok || got != c {
			t.Errorf("Lookup(%q) = %v, %v; want %v, true", c.Code, got, ok, c)
		}
	}
	all[0].Exponent = 99
	if c, _ := Lookup(all[0].Code); c.Exponent == 99 {
		t.Error("changing the slice from Currencies changed the table")
	}
}

func TestParse(t *testing.T) {
	tests := []struct {
		name string
		s    string
		code string
		want int64
	}{
		{"USD cents", "12.34", "USD", 1234},
		{"USD whole", "1000", "USD", 100000},
		{"USD one decimal", "-0.5", "USD", -50},
		{"USD negative cents", "-0.05", "USD", -5},
		{"USD zero", "0", "USD", 0},
		{"USD zero with decimals", "0.00", "USD", 0},
		{"negative zero", "-0", "USD", 0},
		{"negative zero with decimals", "-0.000", "USD", 0},
		{"leading zeros", "0007.10", "USD", 710},
		{"USD trailing zero", "12.340", "USD", 1234},
		{"USD many trailing zeros", "12.3400000000", "USD", 1234},
		{"JPY whole", "3980", "JPY", 3980},
		{"JPY with zero decimals", "1000.00", "JPY", 1000},
		{"JPY negative", "-19940", "JPY", -19940},
		{"KRW", "15000", "KRW", 15000},
		{"KWD three decimals", "1.5", "KWD", 1500},
		{"KWD all decimals", "1.234", "KWD", 1234},
		{"KWD trailing zero", "1.2340", "KWD", 1234},
		{"BHD fils", "0.001", "BHD", 1},
		{"CLF four decimals", "0.0005", "CLF", 5},
		{"USD max", "92233720368547758.07", "USD", math.MaxInt64},
		{"USD min", "-92233720368547758.08", "USD", math.MinInt64},
		{"USD max with leading zeros", "00092233720368547758.0700", "USD", math.MaxInt64},
		{"JPY max", "9223372036854775807", "JPY", math.MaxInt64},
		{"JPY min", "-9223372036854775808", "JPY", math.MinInt64},
		{"KWD max", "9223372036854775.807", "KWD", math.MaxInt64},
		{"CLF min", "-922337203685477.5808", "CLF", math.MinInt64},
		{"10,000 leading zeros", strings.Repeat("0", 10000) + "1.5", "USD", 150},
		{"10,000 trailing zeros", "1." + strings.Repeat("0", 10000), "USD", 100},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse(tt.s, tt.code)
			if err != nil || got != tt.want {
				t.Errorf("Parse(%.40q, %q) = %d, %v; want %d, nil", tt.s, tt.code, got, err, tt.want)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name string
		s    string
		code string
		want error
	}{
		{"empty", "", "USD", ErrSyntax},
		{"sign alone", "-", "USD", ErrSyntax},
		{"plus sign", "+1", "USD", ErrSyntax},
		{"double sign", "--1", "USD", ErrSyntax},
		{"no whole digits", ".5", "USD", ErrSyntax},
		{"negative no whole digits", "-.5", "USD", ErrSyntax},
		{"no fraction digits", "5.", "USD", ErrSyntax},
		{"point alone", ".", "USD", ErrSyntax},
		{"two points", "1.2.3", "USD", ErrSyntax},
		{"exponent", "1e3", "USD", ErrSyntax},
		{"leading space", " 1", "USD", ErrSyntax},
		{"trailing space", "1 ", "USD", ErrSyntax},
		{"thousands separator", "1,000", "USD", ErrSyntax},
		{"decimal comma", "12,34", "EUR", ErrSyntax},
		{"hex", "0x10", "USD", ErrSyntax},
		{"underscore", "1_000", "USD", ErrSyntax},
		{"NaN", "NaN", "USD", ErrSyntax},
		{"Infinity", "Infinity", "USD", ErrSyntax},
		{"currency sign", "$12.34", "USD", ErrSyntax},
		{"Arabic-Indic digits", "١٢", "USD", ErrSyntax},
		{"fullwidth digits", "１２", "JPY", ErrSyntax},
		{"NUL byte", "1\x00", "USD", ErrSyntax},
		{"syntax beats precision", "1.234x", "USD", ErrSyntax},
		{"USD three decimals", "12.345", "USD", ErrPrecision},
		{"USD non-zero after zeros", "12.3400001", "USD", ErrPrecision},
		{"JPY decimal", "1000.5", "JPY", ErrPrecision},
		{"JPY trailing non-zero", "1000.01", "JPY", ErrPrecision},
		{"KWD four decimals", "1.2345", "KWD", ErrPrecision},
		{"unrounded WooCommerce tax", "1.3965", "EUR", ErrPrecision},
		{"USD max plus one", "92233720368547758.08", "USD", ErrRange},
		{"USD min minus one", "-92233720368547758.09", "USD", ErrRange},
		{"JPY max plus one", "9223372036854775808", "JPY", ErrRange},
		{"JPY min minus one", "-9223372036854775809", "JPY", ErrRange},
		{"KWD max plus one", "9223372036854775.808", "KWD", ErrRange},
		{"huge", "1" + strings.Repeat("0", 10000), "USD", ErrRange},
		{"unknown currency", "1", "XYZ", ErrUnknownCurrency},
		{"lower-case currency", "1", "usd", ErrUnknownCurrency},
		{"no minor unit", "1", "XAU", ErrUnknownCurrency},
		{"empty currency", "1", "", ErrUnknownCurrency},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse(tt.s, tt.code)
			if !errors.Is(err, tt.want) || got != 0 {
				t.Fatalf("Parse(%.40q, %q) = %d, %v; want 0, %v", tt.s, tt.code, got, err, tt.want)
			}
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error %T is not a *ParseError", err)
			}
			if len(err.Error()) > 120 {
				t.Errorf("message is %d bytes long: %q", len(err.Error()), err)
			}
		})
	}
}

func TestParseErrorMessage(t *testing.T) {
	tests := []struct {
		name string
		s    string
		code string
		want string
	}{
		{"syntax", "1,000", "USD", `USD amount "1,000": not a decimal number`},
		{"precision", "12.345", "USD", `USD amount "12.345": more decimals than USD allows (2)`},
		{"precision JPY", "1.5", "JPY", `JPY amount "1.5": more decimals than JPY allows (0)`},
		{"range", "92233720368547758.08", "USD", `USD amount "92233720368547758.08": out of range`},
		{"unknown currency", "12.34", "usd", `amount "12.34": unknown currency "usd"`},
		{"control characters quoted", "1\n2", "USD", `USD amount "1\n2": not a decimal number`},
		{"long input clipped", strings.Repeat("9", 40), "USD",
			`USD amount "` + strings.Repeat("9", 32) + `…": out of range`},
		{"clipped on a character boundary", strings.Repeat("1", 31) + "€€", "USD",
			`USD amount "` + strings.Repeat("1", 31) + `…": not a decimal number`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse(tt.s, tt.code)
			if err == nil || err.Error() != tt.want {
				t.Errorf("Parse(%q, %q) error = %v; want %s", tt.s, tt.code, err, tt.want)
			}
		})
	}
}

// TestParseLongInputIsCheap checks that Parse bounds its work: a valid input of
// any length allocates nothing and a rejected one allocates a small, fixed amount.
func TestParseLongInputIsCheap(t *testing.T) {
	zeros := strings.Repeat("0", 10000)
	tests := []struct {
		name      string
		s         string
		maxAllocs float64
	}{
		{"leading zeros", zeros + "12.34", 0},
		{"trailing zeros", "12.34" + zeros, 0},
		{"rejected for precision", "12.34" + zeros + "1", 3},
		{"rejected for syntax", zeros + "x", 3},
		{"rejected for range", "1" + zeros, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			allocs := testing.AllocsPerRun(10, func() { _, _ = Parse(tt.s, "USD") })
			if allocs > tt.maxAllocs {
				t.Errorf("Parse allocated %v times; want at most %v", allocs, tt.maxAllocs)
			}
		})
	}
}

func TestFormat(t *testing.T) {
	tests := []struct {
		name   string
		amount int64
		code   string
		want   string
	}{
		{"USD cents", 1234, "USD", "12.34"},
		{"USD small negative", -5, "USD", "-0.05"},
		{"USD negative", -1234, "USD", "-12.34"},
		{"USD zero", 0, "USD", "0.00"},
		{"USD one cent", 1, "USD", "0.01"},
		{"USD whole", 100000, "USD", "1000.00"},
		{"JPY", 1000, "JPY", "1000"},
		{"JPY zero", 0, "JPY", "0"},
		{"JPY negative", -19940, "JPY", "-19940"},
		{"KWD", 1500, "KWD", "1.500"},
		{"KWD fils", 1, "KWD", "0.001"},
		{"CLF", 5, "CLF", "0.0005"},
		{"USD max", math.MaxInt64, "USD", "92233720368547758.07"},
		{"USD min", math.MinInt64, "USD", "-92233720368547758.08"},
		{"JPY min", math.MinInt64, "JPY", "-9223372036854775808"},
		{"CLF min", math.MinInt64, "CLF", "-922337203685477.5808"},
		{"unknown currency", 1234, "usd", ""},
		{"no minor unit", 1234, "XAU", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Format(tt.amount, tt.code); got != tt.want {
				t.Errorf("Format(%d, %q) = %q; want %q", tt.amount, tt.code, got, tt.want)
			}
		})
	}
}

// TestFormatEveryCurrency round-trips edge amounts through every currency in
// the table.
func TestFormatEveryCurrency(t *testing.T) {
	amounts := []int64{0, 1, -1, 99, -100, 123456789, math.MaxInt64, math.MinInt64}
	for _, c := range Currencies() {
		for _, a := range amounts {
			s := Format(a, c.Code)
			if i := strings.IndexByte(s, '.'); (c.Exponent == 0 && i >= 0) || (c.Exponent > 0 && len(s)-i-1 != c.Exponent) {
				t.Errorf("Format(%d, %s) = %q; want exactly %d decimals", a, c.Code, s, c.Exponent)
			}
			if got, err := Parse(s, c.Code); err != nil || got != a {
				t.Errorf("Parse(Format(%d, %s) = %q) = %d, %v", a, c.Code, s, got, err)
			}
		}
	}
}

func TestAdd(t *testing.T) {
	tests := []struct {
		name string
		a, b int64
		want int64
		ok   bool
	}{
		{"small", 1999, 1, 2000, true},
		{"mixed signs", -5, 3, -2, true},
		{"to max", math.MaxInt64 - 1, 1, math.MaxInt64, true},
		{"to min", math.MinInt64 + 1, -1, math.MinInt64, true},
		{"max and min", math.MaxInt64, math.MinInt64, -1, true},
		{"past max", math.MaxInt64, 1, 0, false},
		{"past min", math.MinInt64, -1, 0, false},
		{"min twice", math.MinInt64, math.MinInt64, 0, false},
		{"max twice", math.MaxInt64, math.MaxInt64, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got, ok := Add(tt.a, tt.b); got != tt.want || ok != tt.ok {
				t.Errorf("Add(%d, %d) = %d, %v; want %d, %v", tt.a, tt.b, got, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestSub(t *testing.T) {
	tests := []struct {
		name string
		a, b int64
		want int64
		ok   bool
	}{
		{"small", 2000, 1, 1999, true},
		{"below zero", 3, 5, -2, true},
		{"to min", math.MinInt64 + 1, 1, math.MinInt64, true},
		{"to max", math.MaxInt64 - 1, -1, math.MaxInt64, true},
		{"zero minus max", 0, math.MaxInt64, -math.MaxInt64, true},
		{"min minus min", math.MinInt64, math.MinInt64, 0, true},
		{"past min", math.MinInt64, 1, 0, false},
		{"past max", math.MaxInt64, -1, 0, false},
		{"zero minus min", 0, math.MinInt64, 0, false},
		{"minus one minus min", -1, math.MinInt64, math.MaxInt64, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got, ok := Sub(tt.a, tt.b); got != tt.want || ok != tt.ok {
				t.Errorf("Sub(%d, %d) = %d, %v; want %d, %v", tt.a, tt.b, got, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestMul(t *testing.T) {
	tests := []struct {
		name string
		a, b int64
		want int64
		ok   bool
	}{
		{"unit price times quantity", 1999, 3, 5997, true},
		{"zero", 0, math.MinInt64, 0, true},
		{"negative zero", -7, 0, 0, true},
		{"signs", -4, 5, -20, true},
		{"both negative", -4, -5, 20, true},
		{"max times one", math.MaxInt64, 1, math.MaxInt64, true},
		{"min times one", math.MinInt64, 1, math.MinInt64, true},
		{"max times minus one", math.MaxInt64, -1, -math.MaxInt64, true},
		{"min times minus one", math.MinInt64, -1, 0, false},
		{"minus one times min", -1, math.MinInt64, 0, false},
		{"half min times two", math.MinInt64 / 2, 2, math.MinInt64, true},
		{"half min times minus two", math.MinInt64 / 2, -2, 0, false},
		{"just past max", 1 << 62, 2, 0, false},
		{"max times two", math.MaxInt64, 2, 0, false},
		{"overflow wraps to positive", 1 << 32, 1 << 32, 0, false},
		{"one past min", -3, 3074457345618258603, 0, false},
		{"just above min", -3, 3074457345618258602, -9223372036854775806, true},
		{"3037000499 squared fits", 3037000499, 3037000499, 9223372030926249001, true},
		{"3037000500 squared does not", 3037000500, 3037000500, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got, ok := Mul(tt.a, tt.b); got != tt.want || ok != tt.ok {
				t.Errorf("Mul(%d, %d) = %d, %v; want %d, %v", tt.a, tt.b, got, ok, tt.want, tt.ok)
			}
			if got, ok := Mul(tt.b, tt.a); got != tt.want || ok != tt.ok {
				t.Errorf("Mul(%d, %d) = %d, %v; want %d, %v", tt.b, tt.a, got, ok, tt.want, tt.ok)
			}
		})
	}
}
