package fx

import (
	"math/big"
	"strings"
	"time"

	"github.com/omshq/oms"
	"github.com/omshq/oms/money"
)

// MaxAge is how much older than the day it serves a set of rates may be:
// the ECB publishes nothing on weekends and TARGET holidays (the longest
// gap, over Easter, leaves four days without rates), but rates a week old
// are not the rates of the day.
const MaxAge = 7 * 24 * time.Hour

// Day returns t's UTC calendar day at midnight UTC: the day whose rates
// apply to something that happened at t.
func Day(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// RateText writes the rate from → to exactly, as the quotient of the two
// euro quotes it comes from: "1" between a currency and itself, "1.1612"
// from EUR to USD, "1/1.1612" from USD to EUR, "0.88195/1.1612" from USD to
// GBP (GBP per euro over USD per euro). Each quote is as the ECB wrote it,
// so the text says which figures the rate was made of. It returns an
// EINVALID error naming "from" or "to" when the set has no positive rate for
// the currency.
func (s RateSet) RateText(from, to string) (string, error) {
	if from == to {
		return "1", nil
	}
	quote := func(field, code string) (string, error) {
		if code == "EUR" {
			return "1", nil
		}
		if _, err := s.eurRate(field, code); err != nil {
			return "", err
		}
		return s.Rates[code].String(), nil
	}
	f, err := quote("from", from)
	if err != nil {
		return "", err
	}
	t, err := quote("to", to)
	if err != nil {
		return "", err
	}
	if f == "1" {
		return t, nil
	}
	return t + "/" + f, nil
}

// ParseRateText reads a rate as RateText writes it: a positive decimal, or
// two divided by '/'. It returns false for anything else.
func ParseRateText(s string) (*big.Rat, bool) {
	num, den, frac := strings.Cut(s, "/")
	n, ok := ParseDecimal(num)
	if !ok || n.Sign() <= 0 {
		return nil, false
	}
	r := n.Rat()
	if frac {
		d, ok := ParseDecimal(den)
		if !ok || d.Sign() <= 0 {
			return nil, false
		}
		r.Quo(r, d.Rat())
	}
	return r, true
}

// ConvertAt converts amount minor units of from into minor units of to at
// rate (units of to per unit of from), exactly, rounding once half to even
// as Convert does. It returns an EINVALID error naming "from" or "to" for a
// currency not in the ISO 4217 table, and "amount" when the result does not
// fit in an int64.
func ConvertAt(amount int64, from, to string, rate *big.Rat) (int64, error) {
	cf, ok := money.Lookup(from)
	if !ok {
		return 0, oms.Invalid("from", "%q is not an ISO 4217 currency", clip(from))
	}
	ct, ok := money.Lookup(to)
	if !ok {
		return 0, oms.Invalid("to", "%q is not an ISO 4217 currency", clip(to))
	}
	x := new(big.Rat).SetInt64(amount)
	x.Mul(x, rate)
	x.Mul(x, new(big.Rat).SetFrac(pow10(ct.Exponent), pow10(cf.Exponent)))
	n := roundHalfEven(x)
	if !n.IsInt64() {
		return 0, oms.Invalid("amount", "%d %s is too large to convert into %s", amount, from, to)
	}
	return n.Int64(), nil
}

// ToBase converts an order's totals in currency from into currency base with
// the set's rates (see AtRate). Between a currency and itself the rate is 1,
// whatever the set holds, and the rate's date is day, the order's date.
func ToBase(t oms.Totals, from, base string, s RateSet, day time.Time) (oms.BaseTotals, error) {
	if from == base {
		return AtRate(t, from, base, "1", day)
	}
	text, err := s.RateText(from, base)
	if err != nil {
		return oms.BaseTotals{}, err
	}
	return AtRate(t, from, base, text, s.Date)
}

// AtRate converts each of the totals from currency from into base at the
// rate written as RateText writes it, each amount on its own (ConvertAt):
// the converted total is the conversion of the total, and may differ from
// the sum of the converted parts by rounding. It returns an EINVALID error
// naming "rate" for a rate it cannot read, or ConvertAt's error.
func AtRate(t oms.Totals, from, base, rateText string, rateDate time.Time) (oms.BaseTotals, error) {
	rate, ok := ParseRateText(rateText)
	if !ok {
		return oms.BaseTotals{}, oms.Invalid("rate", "%q is not a rate such as 1.1612 or 0.88195/1.1612", clip(rateText))
	}
	out := oms.BaseTotals{Currency: base, Rate: rateText, RateDate: rateDate.Format(time.DateOnly)}
	for _, c := range []struct{ in, out *int64 }{{&t.Subtotal, &out.Subtotal}, {&t.DiscountTotal, &out.DiscountTotal},
		{&t.ShippingTotal, &out.ShippingTotal}, {&t.TaxTotal, &out.TaxTotal}, {&t.DutiesTotal, &out.DutiesTotal},
		{&t.Total, &out.Total}} {
		v, err := ConvertAt(*c.in, from, base, rate)
		if err != nil {
			return oms.BaseTotals{}, err
		}
		*c.out = v
	}
	return out, nil
}
