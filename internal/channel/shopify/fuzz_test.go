package shopify

import (
	"bytes"
	"testing"
	"time"

	"github.com/omshq/oms"
)

// FuzzParse checks that no payload makes Parse panic, that every error is
// EINVALID, and that a payload Parse accepts gives a draft that either
// validates and becomes an order or is refused as EINVALID.
func FuzzParse(f *testing.F) {
	full := readFixture(f)
	f.Add(full)
	f.Add(full[:len(full)/3])
	f.Add(bytes.Replace(full, []byte(`"quantity": 3`), []byte(`"quantity": "two"`), 1))
	f.Add(bytes.Replace(full, []byte(`"quantity": 1`), []byte(`"quantity": -1`), 1))
	f.Add(bytes.Replace(full, []byte(`"24.00"`), []byte(`"24.001"`), 1))
	f.Add(bytes.Replace(full, []byte(`"id": 6104827391234`), []byte(`"id": 820982911946154508`), 1))
	f.Add(bytes.Replace(full, []byte(`"sku": "BEANIE-MER-CHR"`), []byte(`"sku": ""`), 1))
	f.Add(bytes.Replace(full, []byte(`"presentment_currency": "GBP"`), []byte(`"presentment_currency": "EUR"`), 1))
	f.Add([]byte(`{"id":1,"currency":"JPY","created_at":"2025-01-01T00:00:00Z","line_items":[{"sku":"A","quantity":1,"price":"100"}]}`))
	f.Add([]byte(`null`))
	f.Fuzz(func(t *testing.T, body []byte) {
		in, err := Parse(body)
		if err != nil {
			if code := oms.ErrorCode(err); code != oms.EINVALID {
				t.Fatalf("error code %q: %v", code, err)
			}
			return
		}
		if in.Draft.ExternalID == "" || in.Draft.Currency == "" {
			t.Fatalf("accepted without an id or currency: %+v", in.Draft)
		}
		d := in.Draft
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
	})
}
