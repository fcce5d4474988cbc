package ebay

import (
	"strings"
	"testing"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/channel/internal/payloadtest"
)

// FuzzParse checks that Parse never panics, fails only with EINVALID naming
// a field, and that what it accepts has an id and a currency, is complete,
// charges nothing negative and can be placed.
func FuzzParse(f *testing.F) {
	check := func(t testing.TB, d oms.OrderDraft) {
		payloadtest.Complete(t, d)
		if d.ShippingPrice < 0 || d.Duties < 0 {
			t.Fatalf("negative charges: %+v", d)
		}
		payloadtest.AddsUp(t, d)
	}
	fx := fixture(f)
	payloadtest.Fuzz(f, Parse, check,
		fx,
		fx[:len(fx)/3],
		usOrder("16.20", "35.70", "4.20"),
		strings.Replace(fx, `"quantity": 1,`, `"quantity": "two",`, 1),
		strings.Replace(fx, `"quantity": 2,`, `"quantity": -2,`, 1),
		strings.Replace(strings.Replace(fx, `"NONE_REQUESTED"`, `"CANCELED"`, 1), `"quantity": 2,`, `"quantity": 0,`, 1),
		strings.Replace(fx, `"129.00"`, `"129.001"`, 1),
		strings.Replace(fx, `"2.99", "currency": "EUR" }`, `"-2.99", "currency": "EUR" }`, 1),
		strings.Replace(fx, `"-2.99"`, `"-200.99"`, 1),
		strings.Replace(fx, `"deliveryCost": { "value": "8.90", "currency": "EUR" },`,
			`"deliveryCost": { "value": "8.90", "currency": "EUR" }, "deliveryDiscount": { "value": "-9.00", "currency": "EUR" },`, 1),
		strings.Replace(fx, `"total": { "value": "164.81", "currency": "EUR" }`,
			`"total": { "value": "190.00", "currency": "USD", "convertedFromValue": "164.81", "convertedFromCurrency": "EUR" }`, 1),
		strings.ReplaceAll(fx, `"EUR"`, `"JPY"`),
		strings.Replace(fx, `"addressLine1": "Mariahilfer Straße 47/3/12",`, ``, 1),
	)
}
