package shopify

import (
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/omshq/oms"
	"github.com/omshq/oms/money"
)

// Parse reads the body of a Shopify orders/create or orders/updated webhook
// (a REST Admin Order) into the draft to place and the totals Shopify
// states, in the currency the customer paid in. It returns an EINVALID
// *oms.Error naming the JSON path of every bad field it finds, or the field
// "body" when the bytes are not a JSON object.
func Parse(body []byte) (*oms.Ingested, error) {
	var o order
	if err := decode(body, &o); err != nil {
		return nil, err
	}
	var p oms.Problems
	r := &reader{o: &o, p: &p, in: &oms.Ingested{RawTimes: map[string]string{}}}
	r.in.Draft.ExternalID = orderID(o.ID, &p)
	if !r.currency() {
		return nil, p.Err()
	}
	r.times()
	r.lines()
	r.shipping()
	r.duties()
	r.parties()
	r.stated()
	if err := p.Err(); err != nil {
		return nil, err
	}
	return r.in, nil
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
func (r *reader) note(format string, args ...any) {
	r.in.Notes = append(r.in.Notes, sprintf(format, args...))
}

// decode unmarshals body, turning a syntax or type error into EINVALID.
func decode(body []byte, v any) error {
	err := json.Unmarshal(body, v)
	var te *json.UnmarshalTypeError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &te) && te.Field != "":
		return oms.Invalid(te.Field, "must not be a JSON %s", te.Value)
	case errors.As(err, &te):
		return oms.Invalid("body", "must be a JSON object, not a JSON %s", te.Value)
	}
	return oms.Invalid("body", "is not valid JSON: %v", err)
}

// orderID returns the order id as a decimal string, exactly as sent.
func orderID(raw json.RawMessage, p *oms.Problems) string {
	id, present, ok := integer(raw)
	switch {
	case !present:
		p.Add("id", "is required")
	case !ok || id < 1:
		p.Add("id", "must be a positive integer")
	default:
		return strconv.FormatInt(id, 10)
	}
	return ""
}

// integer reads a JSON integer literal. present is false for an absent or
// null value; ok is false for anything but an int64 integer.
func integer(raw json.RawMessage) (v int64, present, ok bool) {
	s := strings.TrimSpace(string(raw))
	if s == "" || s == "null" {
		return 0, false, false
	}
	v, err := strconv.ParseInt(s, 10, 64)
	return v, true, err == nil
}

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
	r.in.UpdatedAt = r.time("updated_at", o.UpdatedAt)
	if r.raw("updated_at") == "" {
		r.in.UpdatedAt = r.in.Draft.PlacedAt
		r.note("the payload has no updated_at: created_at stands for the order's version")
	}
	r.time("processed_at", o.ProcessedAt)
	r.time("closed_at", o.ClosedAt)
	if !r.time("cancelled_at", o.CancelledAt).IsZero() {
		r.in.Cancelled = true
		if o.CancelReason != "" {
			r.note("Shopify cancelled the order (reason: %s)", clip(o.CancelReason, 40))
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
	if len(r.o.LineItems) == 0 {
		r.p.Add("line_items", "at least one line is required")
		return
	}
	if len(r.o.LineItems) > oms.MaxLines {
		r.p.Add("line_items", "at most %d lines are allowed", oms.MaxLines)
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
	at := "line_items[" + itoa(i) + "]"
	l := oms.LineDraft{SKU: li.SKU, Title: title(li.Title)}
	l.ListingID = firstID(li.VariantID, li.ProductID)
	l.Quantity = quantity(at+".quantity", li.Quantity, r.p)
	price, ok := r.a.get(at+".price", li.Price, li.PriceSet)
	if !ok {
		r.p.Add(at+".price", "is required")
	}
	l.UnitPrice = price
	l.Discount = r.a.allocations(at+".discount_allocations", li.DiscountAllocations)
	l.Tax = r.a.taxes(at+".tax_lines", li.TaxLines)
	if ext, ok := money.Mul(l.Quantity, l.UnitPrice); ok {
		r.a.add(at+".price", &r.subtotal, ext)
	} else {
		r.p.Add(at+".price", "the line's amount is too large")
	}
	r.a.add(at+".discount_allocations", &r.discount, l.Discount)
	r.a.add(at+".tax_lines", &r.tax, l.Tax)
	if l.SKU == "" {
		r.note("line %d (%q) has no SKU: listing %s, to be mapped by title", i+1, clip(li.Title, 80), orNone(l.ListingID))
	}
	if cur, present, ok := integer(li.CurrentQuantity); present && ok && cur != l.Quantity && l.Quantity > 0 {
		r.note("line %d: %d of %d units remain after edits or refunds (current_quantity)", i+1, cur, l.Quantity)
	}
	return l
}

// quantity reads a line quantity: an integer from 1 to oms.MaxLineQuantity.
func quantity(path string, raw json.RawMessage, p *oms.Problems) int64 {
	q, present, ok := integer(raw)
	switch {
	case !present:
		p.Add(path, "is required")
	case !ok || q < 1 || q > oms.MaxLineQuantity:
		p.Add(path, "must be an integer from 1 to %d", oms.MaxLineQuantity)
	default:
		return q
	}
	return 0
}

// firstID returns the first of the ids that is a positive integer, as a
// decimal string, or "".
func firstID(raws ...json.RawMessage) string {
	for _, raw := range raws {
		if v, _, ok := integer(raw); ok && v > 0 {
			return strconv.FormatInt(v, 10)
		}
	}
	return ""
}

// shipping sums the shipping lines after their discounts, with their tax.
// A removed shipping line is left out.
func (r *reader) shipping() {
	d := &r.in.Draft
	for i := range r.o.ShippingLines {
		sl := &r.o.ShippingLines[i]
		at := "shipping_lines[" + itoa(i) + "]"
		if sl.IsRemoved {
			r.note("shipping line %d (%q) was removed and is not charged", i+1, clip(sl.Title, 80))
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
		r.a.add(at+".price", &r.shipPre, pre)
		r.a.add(at+".discount_allocations", &r.shipDiscount, disc)
		r.a.add(at+".discounted_price", &d.ShippingPrice, net)
		r.a.add(at+".tax_lines", &d.ShippingTax, r.a.taxes(at+".tax_lines", sl.TaxLines))
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
			at := "line_items[" + itoa(i) + "].duties[" + itoa(j) + "]"
			r.a.add(at, &d.Duties, r.a.duty(at, du))
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
