package tax

import (
	"fmt"
	"math/big"
	"strings"

	"github.com/omshq/oms"
)

// Rules are the tax rules a merchant charges: at most one per country and
// region.
type Rules []Rule

// Find returns the one rule for an address: the region's rule when there is
// one, else the country-wide rule. Country and region are matched without
// regard to case or surrounding spaces, and a region may carry its country
// prefix ("US-TX"). Where a region's tax is charged on top of the
// country's, Find returns only the region's: use FindAll to charge both.
func (rs Rules) Find(country, region string) (Rule, bool) {
	country, region = normalize(country, region)
	for _, r := range rs {
		if region != "" && r.Country == country && r.Region == region {
			return r, true
		}
	}
	for _, r := range rs {
		if r.Country == country && r.Region == "" {
			return r, true
		}
	}
	return Rule{}, false
}

// FindAll returns every rule charged at an address: the country-wide rule,
// unless the region's rule ReplacesCountry, then the region's rule. For
// Québec that is GST and QST; for Ontario the HST alone; for Alberta the GST
// alone. It returns no rules where no tax is known.
func (rs Rules) FindAll(country, region string) Rules {
	country, region = normalize(country, region)
	var countryWide, regional Rules
	for _, r := range rs {
		switch {
		case r.Country != country:
		case r.Region == "":
			countryWide = append(countryWide, r)
		case r.Region == region:
			regional = append(regional, r)
		}
	}
	for _, r := range regional {
		if r.ReplacesCountry {
			return regional
		}
	}
	return append(countryWide, regional...)
}

// normalize upper-cases and trims the country and region, and drops a
// "CC-" country prefix from the region.
func normalize(country, region string) (string, string) {
	country = strings.ToUpper(strings.TrimSpace(country))
	region = strings.ToUpper(strings.TrimSpace(region))
	return country, strings.TrimPrefix(region, country+"-")
}

// Validate checks every rule and the set: one rule per country and region,
// and one country's rules all Inclusive or all not, since FindAll combines
// them. It returns an EINVALID error naming each bad field by its path, such
// as "rules[2].rate".
func (rs Rules) Validate() error {
	var p oms.Problems
	first := make(map[[2]string]int)
	inclusive := make(map[string]int)
	for i, r := range rs {
		at := fmt.Sprintf("rules[%d].", i)
		r.validate(&p, at)
		key := [2]string{r.Country, r.Region}
		if j, dup := first[key]; dup {
			p.Add(at+"region", "rules[%d] is already the rule for %s", j, place(r))
			continue
		}
		first[key] = i
		if j, ok := inclusive[r.Country]; !ok {
			inclusive[r.Country] = i
		} else if rs[j].Inclusive != r.Inclusive {
			p.Add(at+"inclusive", "must be the same as rules[%d]'s: the rules of %s are charged together", j, r.Country)
		}
	}
	return p.Err()
}

func place(r Rule) string {
	if r.Region == "" {
		return r.Country
	}
	return r.Country + "-" + r.Region
}

// Compute returns the tax the rules charge together on each line amount
// (after discounts, in minor units) and on shipping: the exact taxes of
// every rule summed, then rounded half to even to the minor unit once per
// amount. That is one rule at the summed rate, so for rules that are
// Inclusive the portion is amount × Σrate / (1 + Σrate), not a sum of
// portions each computed as if it were the only tax. Inclusive is taken
// from the first rule (Validate makes one country's rules agree). Shipping
// bears no tax unless shippingTaxable. Rules whose rate is outside 0 to 1
// (which Validate rejects) compute no tax. Amounts are expected within
// oms.MaxAmount.
func (rs Rules) Compute(lines []int64, shipping int64, shippingTaxable bool) (lineTax []int64, shippingTax int64) {
	var sum Rate
	for _, r := range rs {
		if r.Rate >= 0 && r.Rate <= One {
			sum += r.Rate
		}
	}
	// tax = amount × sum / One, or amount × sum / (One + sum) when included.
	factor := big.NewRat(int64(sum), int64(One))
	if len(rs) > 0 && rs[0].Inclusive {
		factor = big.NewRat(int64(sum), int64(One+sum))
	}
	on := func(amount int64) int64 {
		return roundHalfEven(new(big.Rat).Mul(big.NewRat(amount, 1), factor))
	}
	lineTax = make([]int64, len(lines))
	for i, a := range lines {
		lineTax[i] = on(a)
	}
	if shippingTaxable {
		shippingTax = on(shipping)
	}
	return lineTax, shippingTax
}
