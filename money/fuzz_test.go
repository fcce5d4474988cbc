package money

import (
	"errors"
	"math"
	"math/big"
	"regexp"
	"strings"
	"testing"
)

// fuzzCodes cover every exponent in the table: 0, 2, 3 and 4.
var fuzzCodes = []string{"JPY", "USD", "KWD", "CLF"}

var decimal = regexp.MustCompile(`^-?[0-9]+(\.[0-9]+)?$`)

// parseOracle is Parse written the slow, obvious way with math/big, to check
// Parse against. Like Parse, it reports precision before range.
func parseOracle(s string, exp int) (int64, error) {
	if !decimal.MatchString(s) {
		return 0, ErrSyntax
	}
	r, ok := new(big.Rat).SetString(s)
	if !ok {
		panic("big.Rat rejected " + s)
	}
	r.Mul(r, new(big.Rat).SetInt(pow10(exp)))
	if !r.IsInt() {
		return 0, ErrPrecision
	}
	if !r.Num().IsInt64() {
		return 0, ErrRange
	}
	return r.Num().Int64(), nil
}

func pow10(exp int) *big.Int {
	return new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(exp)), nil)
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"12.34", "-0.5", "1000", "0", "-0", "12.340", "1000.00", "1.2345",
		"92233720368547758.07", "92233720368547758.08", "-92233720368547758.08",
		"-9223372036854775808", "9223372036854775808", "922337203685477.5808",
		"", "-", "+1", ".5", "5.", "1e3", " 1", "1,000", "0x10", "NaN", "Infinity",
		"١٢", "0000000000000000000000001", "1.0000000000000000000000001",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, code := range fuzzCodes {
			c, _ := Lookup(code)
			got, err := Parse(s, code)
			want, wantErr := parseOracle(s, c.Exponent)
			if got != want || !errors.Is(err, wantErr) {
				t.Fatalf("Parse(%q, %s) = %d, %v; want %d, %v", s, code, got, err, want, wantErr)
			}
			if err != nil {
				continue
			}
			out := Format(got, code)
			back, err := Parse(out, code)
			if err != nil || back != got {
				t.Fatalf("Parse(Format(%d, %s) = %q) = %d, %v; want %d", got, code, out, back, err, got)
			}
		}
	})
}

func FuzzFormat(f *testing.F) {
	for _, a := range []int64{0, 1, -1, 5, -5, 1234, 1500, math.MaxInt64, math.MinInt64, math.MinInt64 + 1} {
		f.Add(a)
	}
	f.Fuzz(func(t *testing.T, amount int64) {
		for _, code := range fuzzCodes {
			c, _ := Lookup(code)
			s := Format(amount, code)
			want := new(big.Rat).SetFrac(big.NewInt(amount), pow10(c.Exponent)).FloatString(c.Exponent)
			if s != want {
				t.Fatalf("Format(%d, %s) = %q; want %q", amount, code, s, want)
			}
			if strings.Contains(s, ".") != (c.Exponent > 0) {
				t.Fatalf("Format(%d, %s) = %q; want %d decimals", amount, code, s, c.Exponent)
			}
			back, err := Parse(s, code)
			if err != nil || back != amount {
				t.Fatalf("Parse(Format(%d, %s) = %q) = %d, %v", amount, code, s, back, err)
			}
		}
	})
}

var (
	sinkInt    int64
	sinkString string
)

func BenchmarkParse(b *testing.B) {
	benchmarks := []struct {
		name string
		s    string
		code string
	}{
		{"USD", "1234.56", "USD"},
		{"JPY trailing zeros", "19940.00", "JPY"},
		{"USD max", "92233720368547758.07", "USD"},
		{"10k zeros", "1." + strings.Repeat("0", 10000), "USD"},
		{"rejected", "12.345", "USD"},
	}
	for _, bm := range benchmarks {
		b.Run(bm.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				sinkInt, _ = Parse(bm.s, bm.code)
			}
		})
	}
}

func BenchmarkFormat(b *testing.B) {
	benchmarks := []struct {
		name   string
		amount int64
		code   string
	}{
		{"USD", 123456, "USD"},
		{"JPY", 19940, "JPY"},
		{"USD min", math.MinInt64, "USD"},
	}
	for _, bm := range benchmarks {
		b.Run(bm.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				sinkString = Format(bm.amount, bm.code)
			}
		})
	}
}
