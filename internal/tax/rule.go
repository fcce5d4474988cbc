package tax

import (
	"math/big"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/omshq/oms"
)

// Rule is one tax rate for a country, or for one region of it.
type Rule struct {
	// Country is the ISO 3166-1 alpha-2 code, upper case: "US".
	Country string `json:"country"`
	// Region is the ISO 3166-2 subdivision code without the country
	// prefix, upper case ("TX", "QC"), or "" for the whole country.
	Region string `json:"region,omitempty"`
	// Rate is the tax rate, 0 to 1: 0.0825 for 8.25 %.
	Rate Rate `json:"rate"`
	// Inclusive says that prices include this tax (VAT), so the tax is the
	// portion inside the amount rather than added to it.
	Inclusive bool `json:"inclusive,omitempty"`
	// ReplacesCountry, on a region rule, says the region's tax is charged
	// instead of the country-wide one (a harmonised tax such as Ontario's
	// HST); without it a region rule is charged on top (Québec's QST).
	ReplacesCountry bool `json:"replaces_country,omitempty"`
	// Name is what receipts call the tax: "GST", "TVQ", "VAT".
	Name string `json:"name,omitempty"`
}

// Validate checks the rule and returns an EINVALID error naming each bad
// field: country, region, rate, replaces_country or name.
func (r Rule) Validate() error {
	var p oms.Problems
	r.validate(&p, "")
	return p.Err()
}

func (r Rule) validate(p *oms.Problems, at string) {
	if len(r.Country) != 2 || !upper(r.Country, false) {
		p.Add(at+"country", "must be an ISO 3166-1 alpha-2 code such as US")
	}
	if r.Region != "" && (len(r.Region) > 3 || !upper(r.Region, true)) {
		p.Add(at+"region", "must be empty or an ISO 3166-2 subdivision code without the country, such as TX: 1 to 3 capital letters or digits")
	}
	if r.Rate < 0 || r.Rate > One {
		p.Add(at+"rate", "must be between 0 and 1, with at most 6 decimals")
	}
	if r.ReplacesCountry && r.Region == "" {
		p.Add(at+"replaces_country", "applies only to a region's rule")
	}
	if len(r.Name) > 100 || !printable(r.Name) {
		p.Add(at+"name", "must be printable text of at most 100 bytes")
	}
}

// Compute returns the tax on each line amount (after discounts, in minor
// units) and on shipping, each rounded half to even to the minor unit. For an
// Inclusive rule it is the portion of the amount that is tax,
// amount × rate / (1 + rate); otherwise amount × rate. Shipping bears no tax
// unless shippingTaxable. A rule whose rate is outside 0 to 1 (which Validate
// rejects) computes no tax.
func (r Rule) Compute(lines []int64, shipping int64, shippingTaxable bool) (lineTax []int64, shippingTax int64) {
	return Rules{r}.Compute(lines, shipping, shippingTaxable)
}

// upper reports whether s holds only A-Z, and 0-9 if digitsToo.
func upper(s string, digitsToo bool) bool {
	for i := 0; i < len(s); i++ {
		if !(s[i] >= 'A' && s[i] <= 'Z' || digitsToo && s[i] >= '0' && s[i] <= '9') {
			return false
		}
	}
	return true
}

// printable reports whether s is valid UTF-8 without control characters.
func printable(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	return strings.IndexFunc(s, unicode.IsControl) < 0
}

// roundHalfEven returns x rounded to the nearest integer, ties to the even
// one.
func roundHalfEven(x *big.Rat) int64 {
	q, r := new(big.Int).QuoRem(x.Num(), x.Denom(), new(big.Int)) // truncates toward zero
	twice := new(big.Int).Abs(r)
	twice.Lsh(twice, 1)
	switch c := twice.Cmp(x.Denom()); {
	case c > 0, c == 0 && q.Bit(0) == 1:
		q.Add(q, big.NewInt(int64(x.Sign()))) // away from zero
	}
	return q.Int64()
}
