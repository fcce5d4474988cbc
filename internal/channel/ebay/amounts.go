package ebay

import (
	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/channel/internal/payload"
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
		return payload.Signed(a.p, path+".convertedFromValue", m.ConvertedFromValue, a.code)
	case m.Currency == a.code || (m.Currency == "" && m.ConvertedFromCurrency == ""):
		return payload.Signed(a.p, path+".value", m.Value, a.code)
	}
	if m.Value != nil {
		if v, err := money.Parse(*m.Value, m.Currency); err == nil && v == 0 {
			return 0
		}
	}
	a.p.Add(path+".currency", "must be %s, the currency the buyer paid in", a.code)
	return 0
}

// get returns an amount that must not be negative (a price, a tax).
func (a *amounts) get(path string, m *amount) int64 {
	return payload.NonNegative(a.p, path+".value", a.signed(path, m))
}

// discount returns the magnitude of a discount: eBay sends the order's
// discounts negative and the lines' promotions positive.
func (a *amounts) discount(path string, m *amount) int64 {
	return payload.Magnitude(a.signed(path, m))
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
