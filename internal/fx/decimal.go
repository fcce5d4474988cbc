package fx

import (
	"math/big"
	"strings"
)

// Bounds of a Decimal: the ECB writes at most six decimals and a handful of
// digits; 18 digits keep the coefficient and 10^scale within an int64.
const (
	maxScale = 18
	maxCoeff = 999_999_999_999_999_999
)

// Decimal is an exact decimal number, Coeff × 10^-Scale: "0.88195" is
// {88195, 5} and "147.20" is {14720, 2}, keeping the precision as written.
// Two Decimals are == only when they are written alike ("1.5" is not
// "1.50"); compare values with Rat.
type Decimal struct {
	coeff int64
	scale int
}

// ParseDecimal reads an optional '-', one or more ASCII digits and
// optionally a '.' followed by one to 18 digits, with at most 18 significant
// digits in all. It returns false for anything else ("1e3", ".5", "+1",
// "1,5", " 1").
func ParseDecimal(s string) (Decimal, bool) {
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	whole, frac, point := strings.Cut(s, ".")
	if !digits(whole) || (point && !digits(frac)) || len(frac) > maxScale {
		return Decimal{}, false
	}
	var c int64
	for _, r := range whole + frac {
		d := int64(r - '0')
		if c > (maxCoeff-d)/10 {
			return Decimal{}, false // more than 18 significant digits
		}
		c = c*10 + d
	}
	if neg {
		c = -c
	}
	return Decimal{coeff: c, scale: len(frac)}, true
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// Sign returns -1, 0 or +1 as d is negative, zero or positive.
func (d Decimal) Sign() int {
	switch {
	case d.coeff < 0:
		return -1
	case d.coeff > 0:
		return 1
	}
	return 0
}

// Rat returns d as a new exact rational.
func (d Decimal) Rat() *big.Rat {
	den := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(d.scale)), nil)
	return new(big.Rat).SetFrac(big.NewInt(d.coeff), den)
}

// String writes d with its own number of decimals: the text it was parsed
// from, without a leading '+' or superfluous leading zeros.
func (d Decimal) String() string {
	c := d.coeff
	sign := ""
	if c < 0 {
		sign, c = "-", -c
	}
	s := big.NewInt(c).String()
	if d.scale == 0 {
		return sign + s
	}
	if len(s) <= d.scale {
		s = strings.Repeat("0", d.scale-len(s)+1) + s
	}
	return sign + s[:len(s)-d.scale] + "." + s[len(s)-d.scale:]
}
