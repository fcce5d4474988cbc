package amazon

import (
	"github.com/omshq/oms"
	"github.com/omshq/oms/money"
)

// amounts reads Money objects in the order's currency, recording each bad
// one as a problem named by its JSON path.
type amounts struct {
	code string // the order's currency
	p    *oms.Problems
}

// signed returns the amount at path in minor units, 0 when it is absent. An
// amount in another currency, with more decimals than the currency has, or
// larger than oms.MaxAmount either way is a problem.
func (a *amounts) signed(path string, m *amount) int64 {
	if m == nil {
		return 0
	}
	if m.CurrencyCode != "" && m.CurrencyCode != a.code {
		a.p.Add(path+".CurrencyCode", "must be %s, the order's currency", a.code)
		return 0
	}
	if m.Amount == nil {
		a.p.Add(path+".Amount", "is required")
		return 0
	}
	v, err := money.Parse(*m.Amount, a.code)
	switch {
	case err != nil:
		a.p.Add(path+".Amount", "%v", err)
		return 0
	case v > oms.MaxAmount || v < -oms.MaxAmount:
		a.p.Add(path+".Amount", "must be at most %s", money.Format(oms.MaxAmount, a.code))
		return 0
	}
	return v
}

// get returns an amount that must not be negative (a price, a tax).
func (a *amounts) get(path string, m *amount) int64 {
	v := a.signed(path, m)
	if v < 0 {
		a.p.Add(path+".Amount", "must not be negative")
		return 0
	}
	return v
}

// discount returns the magnitude of a discount amount, whichever sign
// Amazon gave it.
func (a *amounts) discount(path string, m *amount) int64 {
	v := a.signed(path, m)
	if v < 0 {
		return -v
	}
	return v
}

// net returns gross − discount, recording a problem at the discount's path
// when the discount is the larger (and neither was already a problem).
func (a *amounts) net(grossPath string, gross *amount, discPath string, disc *amount) int64 {
	before := len(*a.p)
	g, d := a.get(grossPath, gross), a.discount(discPath, disc)
	if d > g {
		if len(*a.p) == before {
			a.p.Add(discPath+".Amount", "must not exceed %s", grossPath)
		}
		return 0
	}
	return g - d
}
