package ebay

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/omshq/oms"
)

// FuzzParse checks that Parse never panics, fails only with EINVALID naming
// a field, and that what it accepts can be placed.
func FuzzParse(f *testing.F) {
	fx := fixture(f)
	for _, seed := range []string{
		fx,
		fx[:len(fx)/3],
		usOrder("16.20", "35.70", "4.20"),
		strings.Replace(fx, `"quantity": 1,`, `"quantity": "two",`, 1),
		strings.Replace(fx, `"quantity": 2,`, `"quantity": -2,`, 1),
		strings.Replace(fx, `"129.00"`, `"129.001"`, 1),
		strings.Replace(fx, `"2.99", "currency": "EUR" }`, `"-2.99", "currency": "EUR" }`, 1),
		strings.Replace(fx, `"-2.99"`, `"-200.99"`, 1),
		strings.Replace(fx, `"deliveryCost": { "value": "8.90", "currency": "EUR" },`,
			`"deliveryCost": { "value": "8.90", "currency": "EUR" }, "deliveryDiscount": { "value": "-9.00", "currency": "EUR" },`, 1),
		strings.Replace(fx, `"total": { "value": "164.81", "currency": "EUR" }`,
			`"total": { "value": "190.00", "currency": "USD", "convertedFromValue": "164.81", "convertedFromCurrency": "EUR" }`, 1),
		strings.ReplaceAll(fx, `"EUR"`, `"JPY"`),
		strings.Replace(fx, `"addressLine1": "Mariahilfer Straße 47/3/12",`, ``, 1),
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		in, err := Parse(body)
		if err != nil {
			var e *oms.Error
			if !errors.As(err, &e) || e.Code != oms.EINVALID || len(e.Fields) == 0 {
				t.Fatalf("error %v is not EINVALID naming a field", err)
			}
			return
		}
		d := in.Draft
		if d.ExternalID == "" || d.PlacedAt.IsZero() || d.PlacedAt.Location() != time.UTC || len(d.Lines) == 0 {
			t.Fatalf("accepted an incomplete draft: %+v", d)
		}
		for _, l := range d.Lines {
			if l.Quantity < 1 || l.UnitPrice < 0 || l.Subtotal < 0 || l.Discount < 0 || l.Tax < 0 || l.Discount > l.Subtotal ||
				l.UnitPrice > l.Subtotal {
				t.Fatalf("bad line %+v", l)
			}
		}
		if d.ShippingPrice < 0 || d.Duties < 0 {
			t.Fatalf("negative charges: %+v", d)
		}
		d.Channel = "x"
		if err := d.Validate(); err != nil && oms.ErrorCode(err) != oms.EINVALID {
			t.Fatalf("Validate: %v", err)
		}
		// Whatever Validate says about text fields, the amounts add up.
		if _, err := d.NewOrder(time.Now()); err != nil {
			t.Fatalf("NewOrder: %v", err)
		}
	})
}
