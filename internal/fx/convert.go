package fx

import (
	"math/big"
	"time"

	"github.com/omshq/oms"
	"github.com/omshq/oms/money"
)

// RateSet is one day's euro reference rates: Rates[c] units of currency c
// are worth 1 EUR on Date. The euro itself has rate 1 and need not be listed.
type RateSet struct {
	Date  time.Time
	Rates map[string]Decimal
}

// SetOn returns the rates in effect on day: those of the latest date in rates
// on or before day (the ECB publishes nothing on weekends and TARGET
// holidays, so Friday's rates hold on Saturday). The set's Date says which
// day it is. It returns ENOTFOUND when rates hold no day that early.
func SetOn(rates []Rate, day time.Time) (RateSet, error) {
	var best time.Time
	found := false
	for _, r := range rates {
		if !r.Date.After(day) && (!found || r.Date.After(best)) {
			best, found = r.Date, true
		}
	}
	if !found {
		return RateSet{}, oms.Errorf(oms.ENOTFOUND, "no exchange rates are known on or before %s", day.Format(time.DateOnly))
	}
	set := RateSet{Date: best, Rates: make(map[string]Decimal)}
	for _, r := range rates {
		if r.Date.Equal(best) && r.Base == "EUR" {
			set.Rates[r.Currency] = r.Rate
		}
	}
	return set, nil
}

// Rate returns how many units of to one unit of from is worth, exactly:
// rate(to) / rate(from), both against the euro. It returns an EINVALID error
// naming "from" or "to" when the set has no positive rate for the currency.
func (s RateSet) Rate(from, to string) (*big.Rat, error) {
	f, err := s.eurRate("from", from)
	if err != nil {
		return nil, err
	}
	t, err := s.eurRate("to", to)
	if err != nil {
		return nil, err
	}
	return t.Quo(t, f), nil
}

// eurRate returns the units of code worth 1 EUR.
func (s RateSet) eurRate(field, code string) (*big.Rat, error) {
	if code == "EUR" {
		return big.NewRat(1, 1), nil
	}
	d, ok := s.Rates[code]
	if !ok || d.Sign() <= 0 {
		return nil, oms.Invalid(field, "no positive EUR rate for %q on %s", clip(code), s.Date.Format(time.DateOnly))
	}
	return d.Rat(), nil
}

// Convert converts amount minor units of from into minor units of to through
// the euro: amount / 10^exp(from) / rate(from) × rate(to) × 10^exp(to),
// computed exactly and rounded once, half to even, so that 0.5 of a minor
// unit goes to the even neighbour whichever way the conversion runs.
// Negative amounts (refunds) round symmetrically.
//
// It returns an EINVALID error naming "from" or "to" for a currency that is
// not in the ISO 4217 table or has no rate in the set, and naming "amount"
// when the result does not fit in an int64.
func Convert(amount int64, from, to string, rates RateSet) (int64, error) {
	if _, ok := money.Lookup(from); !ok {
		return 0, oms.Invalid("from", "%q is not an ISO 4217 currency", clip(from))
	}
	if _, ok := money.Lookup(to); !ok {
		return 0, oms.Invalid("to", "%q is not an ISO 4217 currency", clip(to))
	}
	rate, err := rates.Rate(from, to)
	if err != nil {
		return 0, err
	}
	return ConvertAt(amount, from, to, rate)
}

func pow10(n int) *big.Int {
	return new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(n)), nil)
}

// roundHalfEven returns x rounded to the nearest integer, ties to the even
// one.
func roundHalfEven(x *big.Rat) *big.Int {
	q, r := new(big.Int).QuoRem(x.Num(), x.Denom(), new(big.Int)) // truncates toward zero
	twice := new(big.Int).Abs(r)
	twice.Lsh(twice, 1)
	switch c := twice.Cmp(x.Denom()); {
	case c > 0, c == 0 && q.Bit(0) == 1:
		q.Add(q, big.NewInt(int64(x.Sign()))) // away from zero
	}
	return q
}
