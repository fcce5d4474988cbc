package money

import (
	"errors"
	"fmt"
	"math"
	"math/bits"
	"strconv"
	"strings"
	"unicode/utf8"
)

// The reasons Parse rejects an amount. Parse returns them inside a *ParseError;
// test for them with errors.Is.
var (
	ErrUnknownCurrency = errors.New("unknown currency")
	ErrSyntax          = errors.New("not a decimal number")
	ErrPrecision       = errors.New("more decimals than the currency allows")
	ErrRange           = errors.New("out of range")
)

// ParseError says why Parse rejected an amount. Its message is safe to show a
// person, for example `USD amount "12.345": more decimals than USD allows (2)`.
type ParseError struct {
	Input    string // the amount, cut short if it was long
	Currency string // the currency code, cut short if it was long
	Err      error  // ErrUnknownCurrency, ErrSyntax, ErrPrecision or ErrRange
}

func (e *ParseError) Error() string {
	in := strconv.Quote(e.Input)
	switch e.Err {
	case ErrUnknownCurrency:
		return fmt.Sprintf("amount %s: unknown currency %s", in, strconv.Quote(e.Currency))
	case ErrPrecision:
		c, _ := Lookup(e.Currency)
		return fmt.Sprintf("%s amount %s: more decimals than %s allows (%d)", e.Currency, in, e.Currency, c.Exponent)
	default:
		return fmt.Sprintf("%s amount %s: %v", e.Currency, in, e.Err)
	}
}

// Unwrap returns the reason, one of the Err variables.
func (e *ParseError) Unwrap() error { return e.Err }

// maxQuoted is how much of a rejected input an error keeps, so that a huge
// input neither bloats the message nor stays alive through the error.
const maxQuoted = 32

func parseError(s, code string, reason error) *ParseError {
	return &ParseError{Input: clip(s), Currency: clip(code), Err: reason}
}

// clip returns s, or its first maxQuoted bytes (not splitting a character)
// followed by an ellipsis.
func clip(s string) string {
	if len(s) <= maxQuoted {
		return s
	}
	n := maxQuoted
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

// Parse converts a decimal string such as "12.34", "-0.5", "1000" into minor
// units of the currency with the given code: Parse("12.34", "USD") is 1234.
//
// The string must be an optional '-', one or more ASCII digits, and optionally
// a '.' followed by one or more ASCII digits; anything else ("+1", ".5", "5.",
// "1e3", "1,000", " 1") is ErrSyntax. Fractional digits beyond the currency's
// exponent must be zeros ("12.340" USD is 1234, "1000.00" JPY is 1000);
// otherwise the error is ErrPrecision, never a rounded value. An amount outside
// int64 is ErrRange and an unknown code is ErrUnknownCurrency. Every error is a
// *ParseError wrapping one of these. The work is linear in len(s) and does not
// allocate unless s is rejected.
func Parse(s string, code string) (int64, error) {
	c, ok := Lookup(code)
	if !ok {
		return 0, parseError(s, code, ErrUnknownCurrency)
	}
	neg, whole, frac, ok := split(s)
	if !ok {
		return 0, parseError(s, code, ErrSyntax)
	}
	if len(frac) > c.Exponent {
		if strings.TrimRight(frac[c.Exponent:], "0") != "" {
			return 0, parseError(s, code, ErrPrecision)
		}
		frac = frac[:c.Exponent]
	}
	v, ok := minorUnits(neg, whole, frac, c.Exponent)
	if !ok {
		return 0, parseError(s, code, ErrRange)
	}
	return v, nil
}

// split matches s against -?[0-9]+(\.[0-9]+)? and returns its sign, whole
// digits and fractional digits, or false if s does not match.
func split(s string) (neg bool, whole, frac string, ok bool) {
	if strings.HasPrefix(s, "-") {
		neg, s = true, s[1:]
	}
	whole, frac, point := strings.Cut(s, ".")
	if !isDigits(whole) || (point && !isDigits(frac)) {
		return false, "", "", false
	}
	return neg, whole, frac, true
}

// isDigits reports whether s is one or more ASCII digits.
func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// minorUnits returns the integer spelled by the digits of whole followed by
// frac padded with zeros to exp digits, negated if neg, or false if it does not
// fit in an int64. len(frac) must be at most exp.
func minorUnits(neg bool, whole, frac string, exp int) (int64, bool) {
	limit := uint64(math.MaxInt64)
	if neg {
		limit++ // the magnitude of math.MinInt64
	}
	var u uint64
	ok := true
	for i := 0; i < len(whole) && ok; i++ {
		u, ok = push(u, whole[i], limit)
	}
	for i := 0; i < exp && ok; i++ {
		d := byte('0')
		if i < len(frac) {
			d = frac[i]
		}
		u, ok = push(u, d, limit)
	}
	if !ok {
		return 0, false
	}
	if neg {
		return int64(-u), true // two's complement: also right for 1<<63
	}
	return int64(u), true
}

// push appends the ASCII digit d to u, or returns false if the result would
// exceed limit.
func push(u uint64, d byte, limit uint64) (uint64, bool) {
	n := uint64(d - '0')
	if u > (limit-n)/10 {
		return 0, false
	}
	return u*10 + n, true
}

// Format renders minor units as a plain decimal string with exactly Exponent
// decimals: 1234 USD is "12.34", -5 USD is "-0.05", 1000 JPY is "1000" and
// 1500 KWD is "1.500". There is no grouping and no currency sign, and the
// result always parses back to amount. For an unknown code Format returns "",
// because it cannot know where the decimal point goes.
func Format(amount int64, code string) string {
	c, ok := Lookup(code)
	if !ok {
		return ""
	}
	// Fill from the right: fraction digits, point, whole digits, sign.
	// 19 digits, a leading zero, the point and the sign fit easily.
	var b [32]byte
	i := len(b)
	u := magnitude(amount)
	for range c.Exponent {
		i--
		b[i] = byte('0' + u%10)
		u /= 10
	}
	if c.Exponent > 0 {
		i--
		b[i] = '.'
	}
	for {
		i--
		b[i] = byte('0' + u%10)
		u /= 10
		if u == 0 {
			break
		}
	}
	if amount < 0 {
		i--
		b[i] = '-'
	}
	return string(b[i:])
}

// magnitude returns |a| as a uint64, which holds it even for math.MinInt64.
func magnitude(a int64) uint64 {
	if a < 0 {
		return -uint64(a)
	}
	return uint64(a)
}

// Mul returns a*b and true, or 0 and false if the product overflows int64.
func Mul(a, b int64) (int64, bool) {
	hi, lo := bits.Mul64(magnitude(a), magnitude(b))
	switch {
	case hi != 0:
		return 0, false
	case (a < 0) != (b < 0) && lo <= 1<<63:
		return int64(-lo), true
	case (a < 0) == (b < 0) && lo <= math.MaxInt64:
		return int64(lo), true
	}
	return 0, false
}

// Add returns a+b and true, or 0 and false if the sum overflows int64.
func Add(a, b int64) (int64, bool) {
	c := a + b
	// Overflow happened if and only if c's sign differs from both a's and b's.
	if (c^a)&(c^b) < 0 {
		return 0, false
	}
	return c, true
}

// Sub returns a-b and true, or 0 and false if the difference overflows int64.
func Sub(a, b int64) (int64, bool) {
	c := a - b
	// Overflow happened if and only if a and b differ in sign and c's sign
	// differs from a's.
	if (a^b)&(a^c) < 0 {
		return 0, false
	}
	return c, true
}
