package oms

import (
	"fmt"
	"math"

	"github.com/omshq/oms/money"
)

// MaxAmount bounds any single amount in minor units (10^13: ten trillion
// cents), so that no honest order comes near int64 overflow and checked
// arithmetic catches a dishonest one.
const MaxAmount = 10_000_000_000_000

// TooLarge returns the ECONFLICT error of a sum or product of recorded
// amounts or quantities that does not fit in 64 bits — a stock value of a
// vast count at a vast cost, say — naming what it is. Such a figure is
// refused, never wrapped around or rounded.
func TooLarge(format string, args ...any) error {
	return Errorf(ECONFLICT, "%s is too large to compute: it passes %d", fmt.Sprintf(format, args...), int64(math.MaxInt64))
}

// Totals are an order's money sums in minor units of its currency.
//
// total = subtotal − discount_total + shipping_total + tax_total +
// duties_total when prices exclude tax. When prices include tax
// (TaxesIncluded), tax_total reports the tax already inside the prices and
// is not added again.
type Totals struct {
	Subtotal      int64 `json:"subtotal"`
	DiscountTotal int64 `json:"discount_total"`
	ShippingTotal int64 `json:"shipping_total"`
	TaxTotal      int64 `json:"tax_total"`
	DutiesTotal   int64 `json:"duties_total"`
	Total         int64 `json:"total"`
}

// Charges are an order's amounts beyond its lines.
type Charges struct {
	Shipping      int64 // after any shipping discount
	ShippingTax   int64
	Duties        int64 // import duties the customer pays
	TaxesIncluded bool  // prices and shipping include their tax
}

// LineSubtotal is the line's amount before discount: its Subtotal when a
// channel gave one, else quantity × unit price. ok is false on overflow.
func (l *Line) LineSubtotal() (int64, bool) {
	if l.Subtotal != 0 {
		return l.Subtotal, true
	}
	return money.Mul(l.Quantity, l.UnitPrice)
}

// UnitPrice is the unit price of a line of quantity units whose amount
// before discount is subtotal: subtotal ÷ quantity, rounded down where it
// does not divide (the subtotal is what counts, as a channel's own line
// amount does), as when a listing maps to a pack. A line of no units keeps
// price.
func UnitPrice(subtotal, quantity, price int64) int64 {
	if quantity <= 0 {
		return price
	}
	return subtotal / quantity
}

// ComputeTotals sums lines and charges. It returns an EINVALID error if an
// amount is negative, any sum overflows, or the discounts exceed the
// subtotal.
func ComputeTotals(lines []Line, c Charges) (Totals, error) {
	var t Totals
	shipping, shippingTax, taxesIncluded := c.Shipping, c.ShippingTax, c.TaxesIncluded
	ok := shipping >= 0 && shippingTax >= 0 && c.Duties >= 0
	add := func(a, b int64) int64 {
		s, k := money.Add(a, b)
		ok = ok && k
		return s
	}
	for _, l := range lines {
		ext, k := l.LineSubtotal()
		ok = ok && k && ext >= 0 && l.Quantity >= 0 && l.UnitPrice >= 0 && l.Discount >= 0 && l.Tax >= 0
		t.Subtotal = add(t.Subtotal, ext)
		t.DiscountTotal = add(t.DiscountTotal, l.Discount)
		t.TaxTotal = add(t.TaxTotal, l.Tax)
	}
	t.ShippingTotal = shipping
	t.TaxTotal = add(t.TaxTotal, shippingTax)
	net, k := money.Sub(t.Subtotal, t.DiscountTotal)
	ok = ok && k
	t.DutiesTotal = c.Duties
	t.Total = add(add(net, t.ShippingTotal), t.DutiesTotal)
	if !taxesIncluded {
		t.Total = add(t.Total, t.TaxTotal)
	}
	if !ok || t.Total > MaxAmount*1000 {
		return Totals{}, Invalid("lines", "the amounts are negative or their total is too large")
	}
	if t.DiscountTotal > t.Subtotal {
		return Totals{}, Invalid("lines", "discounts exceed the subtotal")
	}
	return t, nil
}
