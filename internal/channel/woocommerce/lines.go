package woocommerce

import (
	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/channel/internal/payload"
)

// lineAmounts are a line's figures as WooCommerce sends them, net of tax.
type lineAmounts struct {
	subtotal, subtotalTax, total, tax int64
	rounded                           bool // tax was sent unrounded
}

// lines reads line_items. WooCommerce's subtotal is the line before
// discount and total the line after it, both net of tax; total_tax is the
// line's tax (its taxes[] are unrounded and not read).
func (r *reader) lines() {
	items := r.o.LineItems
	if !payload.LineCount(r.p, "line_items", len(items)) {
		return
	}
	d := &r.in.Draft
	d.Lines = make([]oms.LineDraft, len(items))
	amts := make([]lineAmounts, len(items))
	for i := range items {
		d.Lines[i], amts[i] = r.line(i, &items[i])
	}
	r.matchCartTax(amts)
	for i := range items {
		r.finish(i, &d.Lines[i], amts[i])
	}
}

// line reads one line item's identity, quantity and amounts.
func (r *reader) line(i int, li *lineItem) (oms.LineDraft, lineAmounts) {
	at := payload.Elem("line_items", i)
	l := oms.LineDraft{SKU: li.SKU, Title: payload.Title(li.Name), ListingID: payload.FirstID(li.VariationID, li.ProductID)}
	var m lineAmounts
	if q, _, ok := payload.Integer(li.Quantity); ok && q == 0 && r.in.Cancelled {
		// A line zeroed on a cancelled order: kept, without amounts.
		r.note("line %d (%q) has quantity 0 on the cancelled order: its amounts are left out", i+1, payload.Clip(li.Name, 80))
		return l, m
	}
	l.Quantity = payload.Quantity(r.p, at+".quantity", li.Quantity)
	if s, ok := r.a.required(at+".subtotal", li.Subtotal); ok {
		m.subtotal = r.a.exact(at+".subtotal", s, false)
	}
	if s, ok := r.a.required(at+".total", li.Total); ok {
		m.total = r.a.exact(at+".total", s, false)
	}
	m.tax, m.rounded = r.a.tax(at+".total_tax", optional(li.TotalTax), false)
	if r.o.PricesIncludeTax {
		m.subtotalTax, _ = r.a.tax(at+".subtotal_tax", optional(li.SubtotalTax), false)
	}
	if l.SKU == "" {
		r.note("line %d (%q) has no SKU: listing %s, to be mapped by name", i+1, payload.Clip(li.Name, 80), payload.OrNone(l.ListingID))
	}
	return l, m
}

// matchCartTax makes the lines' taxes add up to the order's rounded
// cart_tax (less the fee lines' tax) when some line tax came unrounded:
// rounding each line can miss the rounded sum by a minor unit per line, so
// each rounded line moves by at most one minor unit. A larger gap is left
// for reconciliation to report.
func (r *reader) matchCartTax(amts []lineAmounts) {
	var sum, rounded int64
	for _, m := range amts {
		sum += m.tax
		if m.rounded {
			rounded++
		}
	}
	if rounded == 0 || r.o.CartTax == nil {
		return
	}
	r.note("WooCommerce sent unrounded line taxes; they were rounded to the minor unit")
	cart := r.a.exact("cart_tax", *r.o.CartTax, false)
	gap := cart - r.feeTax - sum
	if gap == 0 || gap > rounded || -gap > rounded {
		return
	}
	for i := len(amts) - 1; i >= 0 && gap != 0; i-- {
		if step := sign(gap); amts[i].rounded && amts[i].tax+step >= 0 {
			amts[i].tax += step
			gap -= step
		}
	}
	r.note("the rounded line taxes were matched to cart_tax %s", r.format(cart))
}

// finish sets a line's price, discount and tax. When the shop's prices
// include tax, each amount gets its tax back so that the draft's prices
// include it too.
func (r *reader) finish(i int, l *oms.LineDraft, m lineAmounts) {
	at := payload.Elem("line_items", i)
	l.Subtotal, l.Tax = m.subtotal, m.tax
	after := m.total
	if r.o.PricesIncludeTax {
		l.Subtotal, after = m.subtotal+m.subtotalTax, m.total+m.tax
	}
	l.Discount = l.Subtotal - after
	if l.Discount < 0 && m.rounded && l.Discount > -2 {
		// Rounding the tax moved the line above its subtotal by a unit.
		l.Subtotal, l.Discount = after, 0
	}
	if l.Discount < 0 {
		r.p.Add(at+".total", "must not exceed the line's subtotal")
	}
	if l.Quantity > 0 {
		l.UnitPrice = l.Subtotal / l.Quantity
	}
}

// shipping sums the shipping lines' totals and taxes. When a shipping tax
// came unrounded, the order's shipping_tax (rounded by WooCommerce) is
// used instead of the sum of rounded lines.
func (r *reader) shipping() {
	d := &r.in.Draft
	var net, tax int64
	rounded := false
	for i := range r.o.ShippingLines {
		sl := &r.o.ShippingLines[i]
		at := payload.Elem("shipping_lines", i)
		if s, ok := r.a.required(at+".total", sl.Total); ok {
			payload.Add(r.p, at+".total", &net, r.a.exact(at+".total", s, false))
		}
		t, rnd := r.a.tax(at+".total_tax", optional(sl.TotalTax), false)
		payload.Add(r.p, at+".total_tax", &tax, t)
		rounded = rounded || rnd
	}
	if rounded && r.o.ShippingTax != nil {
		tax = r.a.exact("shipping_tax", *r.o.ShippingTax, false)
		r.note("WooCommerce sent an unrounded shipping tax; the order's shipping_tax stands for it")
	}
	d.ShippingPrice, d.ShippingTax = net, tax
	if r.o.PricesIncludeTax {
		payload.Add(r.p, "shipping_lines", &d.ShippingPrice, tax)
	}
}

// fees sums the fee lines (which may be negative), which oms cannot carry
// as lines yet: they stay in the stated total and tax total, so that the
// difference shows as a mismatch, and a note says so.
func (r *reader) fees() {
	for i := range r.o.FeeLines {
		f := &r.o.FeeLines[i]
		at := payload.Elem("fee_lines", i)
		if s, ok := r.a.required(at+".total", f.Total); ok {
			payload.Add(r.p, at+".total", &r.feeTotal, r.a.exact(at+".total", s, true))
		}
		t, _ := r.a.tax(at+".total_tax", optional(f.TotalTax), true)
		payload.Add(r.p, at+".total_tax", &r.feeTax, t)
	}
	if len(r.o.FeeLines) > 0 {
		r.note("%d fee line(s) totalling %s with %s tax are in WooCommerce's total but not in oms's totals",
			len(r.o.FeeLines), r.format(r.feeTotal), r.format(r.feeTax))
	}
}

func sign(n int64) int64 {
	if n < 0 {
		return -1
	}
	return 1
}
