package oms

import "encoding/json"

// An order a channel sent already cancelled, without its amounts, stores
// them as 0 but must never show them as 0: a client summing totals would
// count a sale worth nothing. Its JSON writes each amount as null instead.

// unknownTotals stands for Totals when an order's amounts are unknown.
type unknownTotals struct {
	Subtotal      *int64 `json:"subtotal"`
	DiscountTotal *int64 `json:"discount_total"`
	ShippingTotal *int64 `json:"shipping_total"`
	TaxTotal      *int64 `json:"tax_total"`
	DutiesTotal   *int64 `json:"duties_total"`
	Total         *int64 `json:"total"`
}

// plainLine is a Line without its methods.
type plainLine Line

// unknownLine is a Line whose amounts are unknown: its amount fields, being
// shallower than the embedded line's, are the ones written.
type unknownLine struct {
	plainLine
	UnitPrice *int64 `json:"unit_price"`
	Subtotal  *int64 `json:"subtotal"`
	Discount  *int64 `json:"discount"`
	Tax       *int64 `json:"tax"`
}

// UnknownAmountLines returns the lines as they are written when their
// amounts are unknown: each amount null.
func UnknownAmountLines(lines []Line) any {
	out := make([]unknownLine, len(lines))
	for i, l := range lines {
		out[i].plainLine = plainLine(l)
	}
	return out
}

// MarshalJSON writes the order's fields, its lists as arrays (see
// arrays.go), except that when its amounts are
// unknown every amount of the order and of its lines is null and it has no
// base totals.
func (o Order) MarshalJSON() ([]byte, error) {
	type plain Order
	o.Holds, o.Lines, o.Allocations = orEmpty(o.Holds), orEmpty(o.Lines), orEmpty(o.Allocations)
	if !o.AmountsUnknown {
		return json.Marshal(plain(o))
	}
	return json.Marshal(struct {
		plain
		unknownTotals
		Lines any         `json:"lines"`
		Base  *BaseTotals `json:"base,omitempty"`
	}{plain: plain(o), Lines: UnknownAmountLines(o.Lines)})
}

// MarshalJSON writes the summary's fields, with a null total when the
// order's amounts are unknown.
func (s OrderSummary) MarshalJSON() ([]byte, error) {
	type plain OrderSummary
	if !s.AmountsUnknown {
		return json.Marshal(plain(s))
	}
	return json.Marshal(struct {
		plain
		Total *int64 `json:"total"`
	}{plain: plain(s)})
}
