package payload

import (
	"github.com/omshq/oms"
	"github.com/omshq/oms/money"
)

// Add adds v to *sum, recording "the amounts are too large" at path when
// the sum overflows, and leaving *sum as it was then.
func Add(p *oms.Problems, path string, sum *int64, v int64) {
	s, ok := money.Add(*sum, v)
	if !ok {
		p.Add(path, "the amounts are too large")
		return
	}
	*sum = s
}

// Signed converts the decimal string at path to minor units of the currency
// code, either sign. An absent amount is a problem "is required"; one that
// money.Parse refuses (more decimals than the currency has, not a number)
// or beyond ±oms.MaxAmount is a problem too. After a problem it returns 0.
func Signed(p *oms.Problems, path string, s *string, code string) int64 {
	if s == nil {
		p.Add(path, "is required")
		return 0
	}
	v, err := money.Parse(*s, code)
	switch {
	case err != nil:
		p.Add(path, "%v", err)
		return 0
	case v > oms.MaxAmount || v < -oms.MaxAmount:
		p.Add(path, "must be at most %s", money.Format(oms.MaxAmount, code))
		return 0
	}
	return v
}

// NonNegative returns v, an amount that must not be negative (a price, a
// tax), or 0 with a problem at path when it is.
func NonNegative(p *oms.Problems, path string, v int64) int64 {
	if v < 0 {
		p.Add(path, "must not be negative")
		return 0
	}
	return v
}

// Magnitude returns the size of a discount whichever sign the channel gave
// it: a discount is never a surcharge.
func Magnitude(v int64) int64 {
	if v < 0 {
		return -v
	}
	return v
}
