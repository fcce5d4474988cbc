package woocommerce

import (
	"errors"
	"strings"

	"github.com/omshq/oms"
	"github.com/omshq/oms/money"
)

// amounts reads the order's money in its currency, recording each bad
// amount as a problem named by its JSON path.
type amounts struct {
	code string
	p    *oms.Problems
}

// exact parses a decimal string that must be a whole number of minor units,
// from 0 (or −MaxAmount when negative is allowed) to oms.MaxAmount.
func (a *amounts) exact(path, s string, negative bool) int64 {
	v, err := money.Parse(s, a.code)
	if err != nil {
		a.p.Add(path, "%v", err)
		return 0
	}
	return a.inRange(path, v, negative)
}

// tax parses a tax amount, which WooCommerce may send unrounded when the
// shop rounds tax at subtotal level ("8.65555"). An amount with more decimals
// than the currency allows is rounded half away from zero, as WooCommerce
// rounds tax, working on the digits (never a float); rounded reports it so
// that the caller can reconcile the rounded figures with the order's own.
func (a *amounts) tax(path, s string, negative bool) (v int64, rounded bool) {
	v, err := money.Parse(s, a.code)
	if errors.Is(err, money.ErrPrecision) {
		v, rounded, err = roundHalfAway(s, a.code)
	}
	if err != nil {
		a.p.Add(path, "%v", err)
		return 0, false
	}
	return a.inRange(path, v, negative), rounded
}

// roundHalfAway rounds a decimal string with too many decimals for the
// currency to whole minor units. s must have failed money.Parse with
// ErrPrecision only, so it is well formed and has a decimal point.
func roundHalfAway(s, code string) (int64, bool, error) {
	c, _ := money.Lookup(code)
	point := strings.IndexByte(s, '.')
	keep := s[:point+1+c.Exponent]
	if c.Exponent == 0 {
		keep = s[:point]
	}
	v, err := money.Parse(keep, code)
	if err != nil {
		return 0, false, err
	}
	if s[point+1+c.Exponent] >= '5' {
		step := int64(1)
		if strings.HasPrefix(s, "-") {
			step = -1
		}
		var ok bool
		if v, ok = money.Add(v, step); !ok {
			return 0, false, money.ErrRange
		}
	}
	return v, true, nil
}

func (a *amounts) inRange(path string, v int64, negative bool) int64 {
	low := int64(0)
	if negative {
		low = -oms.MaxAmount
	}
	if v < low || v > oms.MaxAmount {
		a.p.Add(path, "must be between %s and %s", money.Format(low, a.code), money.Format(oms.MaxAmount, a.code))
		return 0
	}
	return v
}

// required reports a problem at path when s is absent, and returns s or "".
func (a *amounts) required(path string, s *string) (string, bool) {
	if s == nil {
		a.p.Add(path, "is required")
		return "", false
	}
	return *s, true
}

// optional returns *s, or "0" when the field is absent.
func optional(s *string) string {
	if s == nil {
		return "0"
	}
	return *s
}
