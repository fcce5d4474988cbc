package woocommerce

import (
	"strings"

	"github.com/omshq/oms/internal/channel/internal/payload"
	"github.com/omshq/oms/money"
)

// field is an order-level amount WooCommerce states.
type field struct {
	name  string
	value *string
}

// stated records the totals WooCommerce states, on oms's convention.
// WooCommerce states no order subtotal, so it is derived from the others:
// subtotal = total − shipping + discount (− tax when prices exclude it).
// When prices include tax, shipping and discount are stated with their tax
// (shipping_total + shipping_tax, discount_total + discount_tax), as the
// draft carries them. Fee lines, which the draft cannot carry, stay in the
// stated total and tax total, as WooCommerce states them, but not in the
// subtotal derived from them: Reconcile then reports the difference, which
// oms never absorbs.
func (r *reader) stated() {
	o, d, s := r.o, &r.in.Draft, &r.in.Stated
	var sub, disc, tax int64
	for _, l := range d.Lines {
		sub, disc, tax = sub+l.Subtotal, disc+l.Discount, tax+l.Tax
	}
	incl := d.TaxesIncluded
	s.TaxTotal = r.sum(tax+d.ShippingTax+r.feeTax, field{"total_tax", o.TotalTax})
	ship, discount := []field{{"shipping_total", o.ShippingTotal}}, []field{{"discount_total", o.DiscountTotal}}
	if incl {
		ship = append(ship, field{"shipping_tax", o.ShippingTax})
		discount = append(discount, field{"discount_tax", o.DiscountTax})
	}
	s.ShippingTotal = r.sum(d.ShippingPrice, ship...)
	s.DiscountTotal = r.sum(disc, discount...)
	fallback := sub - disc + d.ShippingPrice + r.feeTotal + r.feeTax
	if !incl {
		fallback += tax + d.ShippingTax
	}
	s.Total = r.sum(fallback, field{"total", o.Total})
	s.Subtotal = s.Total - r.feeTotal - r.feeTax - s.ShippingTotal + s.DiscountTotal
	if !incl {
		s.Subtotal -= s.TaxTotal - r.feeTax
	}
}

// sum returns the sum of the stated fields, or fallback (what the lines
// say, noted) when one is absent.
func (r *reader) sum(fallback int64, fields ...field) int64 {
	var total int64
	for _, f := range fields {
		if f.value == nil {
			r.note("WooCommerce states no %s: the lines' figure stands in for it", f.name)
			return fallback
		}
		payload.Add(r.p, f.name, &total, r.a.exact(f.name, *f.value, false))
	}
	return total
}

// notes records what the draft cannot carry: the order number when a
// plugin rewrote it, and the coupons used.
func (r *reader) notes() {
	o := r.o
	if o.Number != "" && o.Number != r.in.Draft.ExternalID {
		r.note("WooCommerce order number %s", payload.Clip(o.Number, 40))
	}
	var codes []string
	for _, c := range o.CouponLines {
		codes = append(codes, payload.Clip(c.Code, 40))
	}
	if len(codes) > 0 {
		r.note("coupons: %s", strings.Join(codes, ", "))
	}
}

func (r *reader) format(v int64) string { return r.a.code + " " + money.Format(v, r.a.code) }
