package payloadtest

import (
	"errors"
	"testing"
	"time"

	"github.com/omshq/oms"
)

// Fuzz fuzzes an adapter's parse from the seeds. Every payload must get
// the answer every adapter promises: a refusal that is EINVALID naming at
// least one field, or a draft with the channel's order id and a currency,
// which check is then given.
func Fuzz[Seed string | []byte](f *testing.F, parse func([]byte) (*oms.Ingested, error),
	check func(testing.TB, oms.OrderDraft), seeds ...Seed) {
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		if in, err := parse(body); accepted(t, in, err) {
			check(t, in.Draft)
		}
	})
}

// accepted reports whether parse accepted a payload, failing the test
// unless its answer is one Fuzz allows.
func accepted(t testing.TB, in *oms.Ingested, err error) bool {
	t.Helper()
	if err != nil {
		var e *oms.Error
		if !errors.As(err, &e) || e.Code != oms.EINVALID || len(e.Fields) == 0 {
			t.Fatalf("error %v is not EINVALID naming a field", err)
		}
		return false
	}
	if in.Draft.ExternalID == "" || in.Draft.Currency == "" {
		t.Fatalf("accepted without an id or currency: %+v", in.Draft)
	}
	return true
}

// ValidOrRefused checks that an accepted draft, given a channel, either
// validates and becomes an order or is refused as EINVALID.
func ValidOrRefused(t testing.TB, d oms.OrderDraft) {
	t.Helper()
	d.Channel = "x"
	if err := d.Validate(); err != nil {
		if code := oms.ErrorCode(err); code != oms.EINVALID {
			t.Fatalf("Validate error code %q: %v", code, err)
		}
		return
	}
	if _, err := d.NewOrder(time.Now()); err != nil {
		t.Fatalf("a valid draft did not become an order: %v", err)
	}
}

// AddsUp checks a stronger promise than ValidOrRefused: whatever Validate
// says of an accepted draft's text fields (it may refuse them, but only as
// EINVALID), its amounts add up, so the draft becomes an order.
func AddsUp(t testing.TB, d oms.OrderDraft) {
	t.Helper()
	d.Channel = "x"
	if err := d.Validate(); err != nil && oms.ErrorCode(err) != oms.EINVALID {
		t.Fatalf("Validate: %v", err)
	}
	if _, err := d.NewOrder(time.Now()); err != nil {
		t.Fatalf("NewOrder: %v", err)
	}
}

// Complete fails the test unless an accepted draft of an adapter that reads
// a line's price of all units (Amazon's ItemPrice, eBay's lineItemCost) as
// its Subtotal is complete: placed at a UTC time, with lines whose quantity
// is at least 1 (or 0 without amounts, on an order the channel cancelled)
// and whose amounts are not negative, and no discount or unit price above
// the line's subtotal.
func Complete(t testing.TB, d oms.OrderDraft) {
	t.Helper()
	if d.PlacedAt.IsZero() || d.PlacedAt.Location() != time.UTC || len(d.Lines) == 0 {
		t.Fatalf("accepted an incomplete draft: %+v", d)
	}
	for _, l := range d.Lines {
		if l.Quantity == 0 && d.Cancelled && l.UnitPrice == 0 && l.Subtotal == 0 && l.Discount == 0 && l.Tax == 0 {
			continue
		}
		if l.Quantity < 1 || l.UnitPrice < 0 || l.Subtotal < 0 || l.Discount < 0 || l.Tax < 0 || l.Discount > l.Subtotal ||
			l.UnitPrice > l.Subtotal {
			t.Fatalf("bad line %+v", l)
		}
	}
}
