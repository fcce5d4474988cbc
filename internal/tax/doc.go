// Package tax holds sales-tax and VAT rules by country, and by region where
// a country taxes differently in its states or provinces, and computes the
// tax on an order's lines and shipping with them.
//
// A Rule is a rate for a country (Region "") or for one region of it: "US"
// "TX" 8.25 %, "GB" 20 % VAT included in prices, "CA" 5 % GST. Rates are
// exact, in millionths (Rate 82500 is 0.0825), and every tax amount is
// computed with exact rationals and rounded half to even to the minor unit,
// line by line: an amount that excludes tax bears amount × rate; one that
// includes it (Inclusive, as VAT prices do) holds the portion
// amount × rate / (1 + rate).
//
// Some places charge two taxes at once: Québec charges its QST on top of
// Canada's GST. Such taxes are two rules, the country-wide GST and the QC
// QST, and FindAll returns both; Rules.Compute then sums their exact taxes
// and rounds each line once, which is the same as one rule at the summed
// rate (5 % + 9.975 % = 14.975 %) and what shops such as WooCommerce charge.
// A region tax that already contains the country's (Ontario's 13 % HST
// includes the GST) is a region rule with ReplacesCountry, and FindAll leaves
// the country-wide rule out for that region.
//
// Rules.Charge computes the tax of an order that arrived without any, from
// the rules of its destination, and records on the order how it did — or
// that no rule matched, in which case the order bears no tax.
//
// The package is pure: no I/O, no clock. Validate returns *oms.Error values
// with code EINVALID naming each bad field.
package tax
