package woocommerce

import (
	"bytes"
	"time"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/channel/internal/payload"
	"github.com/omshq/oms/money"
)

// Parse reads a WooCommerce REST v3 order (the body of an order.created or
// order.updated webhook) into the draft to place and the totals WooCommerce
// states. It returns an EINVALID *oms.Error naming the JSON path of every bad
// field it finds, or the field "body" when the bytes are not a JSON object —
// including the form-encoded ping (webhook_id=N) WooCommerce sends when a
// webhook is created.
func Parse(body []byte) (*oms.Ingested, error) {
	if bytes.HasPrefix(bytes.TrimSpace(body), []byte("webhook_id=")) {
		return nil, oms.Invalid("body", "is a WooCommerce webhook ping, not an order")
	}
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
	r.fees()
	r.lines()
	r.shipping()
	r.parties()
	r.stated()
	r.notes()
	return payload.Result(r.in, p)
}

// reader builds an Ingested from a decoded order, collecting problems.
type reader struct {
	o  *order
	p  *oms.Problems
	in *oms.Ingested
	a  *amounts
	// feeTotal and feeTax are the fee lines, which the draft cannot carry.
	feeTotal, feeTax int64
}

// note records something a person should know about the order.
func (r *reader) note(format string, args ...any) { payload.Note(r.in, format, args...) }

// currency sets the order's currency, returning false when it is unknown,
// since no amount can then be read.
func (r *reader) currency() bool {
	if _, ok := money.Lookup(r.o.Currency); !ok {
		r.p.Add("currency", "must be an ISO 4217 currency code such as CAD")
		return false
	}
	r.a = &amounts{code: r.o.Currency, p: r.p}
	d := &r.in.Draft
	d.Currency, d.TaxesIncluded = r.o.Currency, r.o.PricesIncludeTax
	r.in.Status = r.o.Status
	r.in.Cancelled = r.o.Status == "cancelled"
	r.in.Draft.Cancelled = r.in.Cancelled
	// A completed order was shipped by the shop before oms knew of it.
	r.in.Shipped = r.o.Status == "completed"
	return true
}

// times reads the *_gmt timestamps, UTC written without a zone; the site's
// local ones (no offset either) are only kept raw.
func (r *reader) times() {
	o := r.o
	for field, s := range map[string]*string{"date_created": o.DateCreated, "date_modified": o.DateModified,
		"date_paid": o.DatePaid, "date_paid_gmt": o.DatePaidGMT, "date_completed": o.DateCompleted,
		"date_completed_gmt": o.DateCompletedGMT} {
		if s != nil && *s != "" {
			r.in.RawTimes[field] = *s
		}
	}
	r.in.Draft.PlacedAt = r.time("date_created_gmt", o.DateCreatedGMT)
	if r.in.RawTimes["date_created_gmt"] == "" {
		r.p.Add("date_created_gmt", "is required: date_created has no time zone")
	}
	// date_modified_gmt is the order's version: without it a later delivery
	// (a cancellation) could not be told from a repeat, and would be lost.
	r.in.UpdatedAt = r.time("date_modified_gmt", o.DateModifiedGMT)
	if r.in.RawTimes["date_modified_gmt"] == "" {
		r.p.Add("date_modified_gmt", "is required: it is the order's version")
	}
}

// time parses a UTC timestamp written without a zone ("2025-11-14T13:15:42"),
// or with one, keeping the raw string; an absent one is the zero time.
func (r *reader) time(field string, s *string) time.Time {
	if s == nil || *s == "" {
		return time.Time{}
	}
	r.in.RawTimes[field] = *s
	t, err := time.Parse("2006-01-02T15:04:05", *s)
	if err != nil {
		t, err = time.Parse(time.RFC3339, *s)
	}
	if err != nil {
		r.p.Add(field, "must be a UTC time such as 2025-11-14T13:15:42")
		return time.Time{}
	}
	return t.UTC()
}
