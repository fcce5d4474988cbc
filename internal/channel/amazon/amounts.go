package amazon

import (
	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/channel/internal/payload"
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
	return payload.Signed(a.p, path+".Amount", m.Amount, a.code)
}

// get returns an amount that must not be negative (a price, a tax).
func (a *amounts) get(path string, m *amount) int64 {
	return payload.NonNegative(a.p, path+".Amount", a.signed(path, m))
}

// discount returns the magnitude of a discount amount, whichever sign
// Amazon gave it.
func (a *amounts) discount(path string, m *amount) int64 {
	return payload.Magnitude(a.signed(path, m))
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
