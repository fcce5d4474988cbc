package shopify

import (
	"time"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/channel/internal/payload"
	"github.com/omshq/oms/money"
)

// Parse reads the body of a Shopify orders/create or orders/updated webhook
// (a REST Admin Order) into the draft to place and the totals Shopify
// states, in the currency the customer paid in. It returns an EINVALID
// *oms.Error naming the JSON path of every bad field it finds, or the field
// "body" when the bytes are not a JSON object.
func Parse(body []byte) (*oms.Ingested, error) {
	var o order
	if err := payload.Decode(body, &o); err != nil {
		return nil, err
	}
	var p oms.Problems
	r := &reader{o: &o, p: &p, in: &oms.Ingested{RawTimes: map[string]string{}}}
	r.in.Draft.ExternalID = payload.ID(&p, "id", o.ID)
	if !r.currency() {
		return nil, p.Err()
	}
	r.times()
	r.lines()
	r.shipping()
	r.duties()
	r.parties()
	r.stated()
	return payload.Result(r.in, p)
}

// reader builds an Ingested from a decoded order, collecting problems and
// the sums the stated totals fall back on when Shopify omits one.
type reader struct {
	o  *order
	p  *oms.Problems
	in *oms.Ingested
	a  *amounts
	// Sums of what the lines and shipping lines say, in minor units.
	subtotal, discount, tax, shipDiscount, shipPre int64
}

// note records something a person should know about the order.
func (r *reader) note(format string, args ...any) { payload.Note(r.in, format, args...) }

// currency decides which currency and which side of each *_set to read. It
// returns false when the currency is unknown, since no amount can be read.
func (r *reader) currency() bool {
	o := r.o
	a := &amounts{p: r.p, code: o.Currency, presentment: true, plainOK: true}
	field := "currency"
	switch {
	case o.PresentmentCurrency == "" || o.PresentmentCurrency == o.Currency:
	case o.TotalPriceSet == nil:
		// An older payload without *_set fields: its amounts are in the
		// shop currency only.
		a.presentment = false
		r.note("the payload has no presentment amounts: the order is in the shop currency %s, though the customer paid in %s",
			o.Currency, o.PresentmentCurrency)
	default:
		a.code, a.plainOK, field = o.PresentmentCurrency, false, "presentment_currency"
	}
	if _, ok := money.Lookup(a.code); !ok {
		r.p.Add(field, "must be an ISO 4217 currency code such as EUR")
		return false
	}
	r.a, r.in.Draft.Currency = a, a.code
	r.in.Draft.TaxesIncluded = o.TaxesIncluded
	r.in.Status = o.FinancialStatus
	// An order first seen fulfilled was shipped by the merchant before oms
	// knew of it.
	r.in.Shipped = o.FulfillmentStatus == "fulfilled"
	return true
}

// times reads the order's timestamps: created_at is when it was placed,
// updated_at its version, cancelled_at whether it was cancelled.
func (r *reader) times() {
	o := r.o
	r.in.Draft.PlacedAt = r.time("created_at", o.CreatedAt)
	if r.in.Draft.PlacedAt.IsZero() && r.raw("created_at") == "" {
		r.p.Add("created_at", "is required")
	}
	// updated_at is the order's version: without it a later delivery (a
	// cancellation) could not be told from a repeat, and would be lost.
	r.in.UpdatedAt = r.time("updated_at", o.UpdatedAt)
	if r.raw("updated_at") == "" {
		r.p.Add("updated_at", "is required: it is the order's version")
	}
	r.time("processed_at", o.ProcessedAt)
	r.time("closed_at", o.ClosedAt)
	if !r.time("cancelled_at", o.CancelledAt).IsZero() {
		r.in.Cancelled, r.in.Draft.Cancelled = true, true
		if o.CancelReason != "" {
			r.note("Shopify cancelled the order (reason: %s)", payload.Clip(o.CancelReason, 40))
		}
	}
}

// time parses an ISO-8601 timestamp with offset into UTC, keeping the raw
// string; an absent or null one is the zero time.
func (r *reader) time(field string, s *string) time.Time {
	if s == nil || *s == "" {
		return time.Time{}
	}
	r.in.RawTimes[field] = *s
	t, err := time.Parse(time.RFC3339, *s)
	if err != nil {
		r.p.Add(field, "must be an ISO 8601 time with offset such as 2025-01-23T23:10:15-05:00")
		return time.Time{}
	}
	return t.UTC()
}

func (r *reader) raw(field string) string { return r.in.RawTimes[field] }

// lines reads line_items into draft lines.
func (r *reader) lines() {
	if !payload.LineCount(r.p, "line_items", len(r.o.LineItems)) {
		return
	}
	r.in.Draft.Lines = make([]oms.LineDraft, len(r.o.LineItems))
	for i := range r.o.LineItems {
		r.in.Draft.Lines[i] = r.line(i, &r.o.LineItems[i])
	}
}

// line reads one line item: unit price, the sum of its discount
// allocations (total_discount is deprecated and often "0.00") and the sum
// of its tax lines, all in the draft's currency.
func (r *reader) line(i int, li *lineItem) oms.LineDraft {
	at := payload.Elem("line_items", i)
	l := oms.LineDraft{SKU: li.SKU, Title: payload.Title(li.Title)}
	l.ListingID = payload.FirstID(li.VariantID, li.ProductID)
	if q, _, ok := payload.Integer(li.Quantity); ok && q == 0 && r.in.Cancelled {
		// A line zeroed on a cancelled order: kept, without amounts.
		r.note("line %d (%q) has quantity 0 on the cancelled order: its amounts are left out", i+1, payload.Clip(li.Title, 80))
		return l
	}
	l.Quantity = payload.Quantity(r.p, at+".quantity", li.Quantity)
	price, ok := r.a.get(at+".price", li.Price, li.PriceSet)
	if !ok {
		r.p.Add(at+".price", "is required")
	}
	l.UnitPrice = price
	l.Discount = r.a.allocations(at+".discount_allocations", li.DiscountAllocations)
	l.Tax = r.a.taxes(at+".tax_lines", li.TaxLines)
	if ext, ok := money.Mul(l.Quantity, l.UnitPrice); ok {
		payload.Add(r.p, at+".price", &r.subtotal, ext)
	} else {
		r.p.Add(at+".price", "the line's amount is too large")
	}
	payload.Add(r.p, at+".discount_allocations", &r.discount, l.Discount)
	payload.Add(r.p, at+".tax_lines", &r.tax, l.Tax)
	if l.SKU == "" {
		r.note("line %d (%q) has no SKU: listing %s, to be mapped by title", i+1, payload.Clip(li.Title, 80), payload.OrNone(l.ListingID))
	}
	if cur, present, ok := payload.Integer(li.CurrentQuantity); present && ok && cur != l.Quantity && l.Quantity > 0 {
		r.note("line %d: %d of %d units remain after edits or refunds (current_quantity)", i+1, cur, l.Quantity)
	}
	return l
}

// shipping sums the shipping lines after their discounts, with their tax.
// A removed shipping line is left out.
func (r *reader) shipping() {
	d := &r.in.Draft
	for i := range r.o.ShippingLines {
		sl := &r.o.ShippingLines[i]
		at := payload.Elem("shipping_lines", i)
		if sl.IsRemoved {
			r.note("shipping line %d (%q) was removed and is not charged", i+1, payload.Clip(sl.Title, 80))
			continue
		}
		disc := r.a.allocations(at+".discount_allocations", sl.DiscountAllocations)
		pre, ok := r.a.get(at+".price", sl.Price, sl.PriceSet)
		if !ok {
			r.p.Add(at+".price", "is required")
		}
		net, ok := r.a.get(at+".discounted_price", sl.DiscountedPrice, sl.DiscountedPriceSet)
		if !ok {
			net = pre - disc
		}
		if net < 0 {
			r.p.Add(at+".discount_allocations", "must not exceed the shipping price")
		}
		payload.Add(r.p, at+".price", &r.shipPre, pre)
		payload.Add(r.p, at+".discount_allocations", &r.shipDiscount, disc)
		payload.Add(r.p, at+".discounted_price", &d.ShippingPrice, net)
		payload.Add(r.p, at+".tax_lines", &d.ShippingTax, r.a.taxes(at+".tax_lines", sl.TaxLines))
	}
}

// duties sums the import duties of the lines, or takes the order's duties
// when no line carries any.
func (r *reader) duties() {
	d := &r.in.Draft
	taxed := false
	for i := range r.o.LineItems {
		for j := range r.o.LineItems[i].Duties {
			du := &r.o.LineItems[i].Duties[j]
			at := payload.Elem(payload.Elem("line_items", i)+".duties", j)
			payload.Add(r.p, at, &d.Duties, r.a.duty(at, du))
			taxed = taxed || len(du.TaxLines) > 0
		}
	}
	if taxed {
		r.note("some duties carry their own tax lines, which are not in the lines' tax")
	}
	if d.Duties == 0 {
		d.Duties, _ = r.orderDuties()
	}
}

// orderDuties returns the order-level duties Shopify states, if any.
func (r *reader) orderDuties() (int64, bool) {
	if v, ok := r.a.get("current_total_duties", nil, r.o.CurrentTotalDutiesSet); ok {
		return v, true
	}
	return r.a.get("original_total_duties", nil, r.o.OriginalTotalDutiesSet)
}
