package shopify

import (
	"github.com/omshq/oms/internal/channel/internal/payload"
	"github.com/omshq/oms/money"
)

// stated records the totals Shopify states, mapped onto oms's convention:
// shipping after its discounts, so the shipping discounts Shopify counts in
// total_discounts and leaves in total_shipping_price_set are moved out of
// both. A total Shopify omits falls back on what the lines say, noted.
func (r *reader) stated() {
	o, s, d := r.o, &r.in.Stated, &r.in.Draft
	s.Subtotal = r.statedOr("total_line_items_price", o.TotalLineItemsPrice, o.TotalLineItemsPriceSet, r.subtotal)
	s.DiscountTotal = r.statedOr("total_discounts", o.TotalDiscounts, o.TotalDiscountsSet, r.discount+r.shipDiscount) - r.shipDiscount
	s.ShippingTotal = r.statedOr("total_shipping_price", nil, o.TotalShippingPriceSet, r.shipPre) - r.shipDiscount
	s.TaxTotal = r.statedOr("total_tax", o.TotalTax, o.TotalTaxSet, r.tax+d.ShippingTax)
	if v, ok := r.orderDuties(); ok {
		s.DutiesTotal = v
	} else {
		s.DutiesTotal = d.Duties
	}
	fallback := s.Subtotal - s.DiscountTotal + s.ShippingTotal + s.DutiesTotal
	if !d.TaxesIncluded {
		fallback += s.TaxTotal
	}
	s.Total = r.statedOr("total_price", o.TotalPrice, o.TotalPriceSet, fallback)
	r.notes()
}

// statedOr returns a stated total, or fallback (noted) when it is absent.
func (r *reader) statedOr(field string, plain *string, set *moneySet, fallback int64) int64 {
	if v, ok := r.a.get(field, plain, set); ok {
		return v
	}
	if plain == nil {
		field += "_set"
	}
	r.note("Shopify states no %s: the lines' figure stands in for it", field)
	return fallback
}

// notes records what the draft cannot carry: the order's name, its total in
// the shop currency when the customer paid in another, and a tip.
func (r *reader) notes() {
	o := r.o
	if o.Name != "" {
		r.note("Shopify order name %s", payload.Clip(o.Name, 40))
	}
	if r.a.code != o.Currency && o.TotalPrice != nil {
		if v, err := money.Parse(*o.TotalPrice, o.Currency); err == nil {
			r.note("the customer paid in %s; the total in the shop currency is %s %s",
				r.a.code, o.Currency, money.Format(v, o.Currency))
		}
	}
	if o.TotalTipReceived != nil {
		if v, err := money.Parse(*o.TotalTipReceived, o.Currency); err == nil && v > 0 {
			r.note("a tip of %s %s is in Shopify's total_price but not in oms's totals",
				o.Currency, money.Format(v, o.Currency))
		}
	}
}
