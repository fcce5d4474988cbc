package tax

import (
	"strings"

	"github.com/omshq/oms"
)

// Key names a rule as the API does: its country, and "-" and its region for
// a region's rule ("DE", "US-CA", "CA-QC").
func (r Rule) Key() string { return place(r) }

// ParseKey splits a rule key into country and region: "CA-QC" is "CA",
// "QC"; "DE" is "DE", "". It does not validate them.
func ParseKey(key string) (country, region string) {
	country, region, _ = strings.Cut(key, "-")
	return country, region
}

// Charge computes the tax of an order that arrived without any, from the
// rules for its destination (the ship-to address, else the pickup store's,
// else the billing address: the caller picks it; nil when there is none).
// Each line's amount after discount and the shipping bear the tax of every
// rule FindAll returns, as Compute does. Inclusive rules take the tax out of
// the prices, and the order's total stays as it was; other rules add it.
// The order's TaxesIncluded follows the rules, its totals are computed
// again, and ComputedTax records the destination and the rules charged.
//
// Where no rule matches, or there is no destination, the order keeps no
// tax and ComputedTax says so: oms never guesses a rate. Charge returns the
// EINVALID error of oms.ComputeTotals when the new totals are out of range.
func (rs Rules) Charge(o *oms.Order, dest *oms.Address) error {
	tc := &oms.TaxComputation{Rules: []oms.AppliedTax{}}
	o.ComputedTax = tc
	if dest == nil {
		tc.Note = "the order has no address to tax by: no tax was charged"
		return nil
	}
	country, region := normalize(dest.Country, dest.Region)
	tc.Destination = country
	if region != "" {
		tc.Destination += "-" + region
	}
	found := rs.FindAll(country, region)
	if len(found) == 0 {
		tc.Note = "no tax rule matches " + tc.Destination + ": no tax was charged"
		return nil
	}
	amounts := make([]int64, len(o.Lines))
	for i, l := range o.Lines {
		sub, _ := l.LineSubtotal()
		amounts[i] = sub - l.Discount
	}
	lineTax, shippingTax := found.Compute(amounts, o.ShippingTotal, true)
	lines := append([]oms.Line(nil), o.Lines...)
	for i := range lines {
		lines[i].Tax = lineTax[i]
	}
	inclusive := found[0].Inclusive
	t, err := oms.ComputeTotals(lines, oms.Charges{Shipping: o.ShippingTotal, ShippingTax: shippingTax,
		Duties: o.DutiesTotal, TaxesIncluded: inclusive})
	if err != nil {
		o.ComputedTax = nil
		return err
	}
	o.Lines, o.Totals, o.TaxesIncluded = lines, t, inclusive
	tc.Inclusive = inclusive
	for _, r := range found {
		tc.Rules = append(tc.Rules, oms.AppliedTax{Key: r.Key(), Name: r.Name, Rate: r.Rate.String()})
	}
	return nil
}
