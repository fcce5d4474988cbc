package ebay

import (
	"github.com/omshq/oms"
	"github.com/omshq/oms/money"
)

// amounts reads Amount objects in the draft's currency, recording each bad
// one as a problem named by its JSON path.
type amounts struct {
	code string // the draft's (the buyer's) currency
	p    *oms.Problems
}

// signed returns the amount at path in minor units of the draft's currency,
// 0 when it is absent. It reads convertedFromValue when eBay converted the
// amount from the draft's currency, value when value is in it; an amount in
// neither is a problem unless it is zero.
func (a *amounts) signed(path string, m *amount) int64 {
	switch {
	case m == nil:
		return 0
	case m.ConvertedFromCurrency != "" && m.ConvertedFromCurrency == a.code:
		return a.parse(path+".convertedFromValue", m.ConvertedFromValue)
	case m.Currency == a.code || (m.Currency == "" && m.ConvertedFromCurrency == ""):
		return a.parse(path+".value", m.Value)
	}
	if m.Value != nil {
		if v, err := money.Parse(*m.Value, m.Currency); err == nil && v == 0 {
			return 0
		}
	}
	a.p.Add(path+".currency", "must be %s, the currency the buyer paid in", a.code)
	return 0
}

// parse converts the decimal string at path.
func (a *amounts) parse(path string, s *string) int64 {
	if s == nil {
		a.p.Add(path, "is required")
		return 0
	}
	v, err := money.Parse(*s, a.code)
	switch {
	case err != nil:
		a.p.Add(path, "%v", err)
		return 0
	case v > oms.MaxAmount || v < -oms.MaxAmount:
		a.p.Add(path, "must be at most %s", money.Format(oms.MaxAmount, a.code))
		return 0
	}
	return v
}

// get returns an amount that must not be negative (a price, a tax).
func (a *amounts) get(path string, m *amount) int64 {
	v := a.signed(path, m)
	if v < 0 {
		a.p.Add(path+".value", "must not be negative")
		return 0
	}
	return v
}

// discount returns the magnitude of a discount: eBay sends the order's
// discounts negative and the lines' promotions positive.
func (a *amounts) discount(path string, m *amount) int64 {
	v := a.signed(path, m)
	if v < 0 {
		return -v
	}
	return v
}

// add adds v to *sum, recording an overflow at path.
func (a *amounts) add(path string, sum *int64, v int64) {
	t, ok := money.Add(*sum, v)
	if !ok || t > oms.MaxAmount {
		a.p.Add(path, "the amounts add up to more than %s", money.Format(oms.MaxAmount, a.code))
		return
	}
	*sum = t
}
