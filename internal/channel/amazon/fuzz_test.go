package amazon

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/channel/internal/payloadtest"
)

// FuzzParse checks that Parse never panics, fails only with EINVALID naming
// a field, and that what it accepts has an id and a currency, is complete
// and can be placed.
func FuzzParse(f *testing.F) {
	de := string(deBody(f))
	orders, _, _ := fixture(f)
	pending := Envelope(orders[1], []json.RawMessage{json.RawMessage(`{"SellerSKU":"A","QuantityOrdered":1}`)})
	check := func(t testing.TB, d oms.OrderDraft) {
		payloadtest.Complete(t, d)
		payloadtest.AddsUp(t, d)
	}
	payloadtest.Fuzz(f, Parse, check,
		de,
		string(cancelledBody(f)),
		string(pending),
		string(Envelope(orders[1], nil)),
		de[:len(de)/3],
		strings.Replace(de, `"QuantityOrdered": 1,`, `"QuantityOrdered": "two",`, 1),
		strings.Replace(de, `"QuantityOrdered": 2,`, `"QuantityOrdered": -2,`, 1),
		strings.Replace(de, `"QuantityOrdered": 2,`, `"QuantityOrdered": 0,`, 1),
		strings.Replace(de, `"89.99"`, `"89.999"`, 1),
		strings.Replace(de, `"9.00"`, `"-9.00"`, 1),
		strings.Replace(de, `"111.96"`, `"-1"`, 1),
		strings.ReplaceAll(de, `"EUR"`, `"JPY"`),
		strings.Replace(de, `"A1PA6795UKMFR9"`, `"ATVPDKIKX0DER"`, 1),
		strings.Replace(de, `"AddressLine1": "Schloßstraße 12",`, ``, 1),
		`{"order":{"AmazonOrderId":"1","PurchaseDate":"2025-01-01T00:00:00Z","LastUpdateDate":"2025-01-01T00:00:00Z",
			"MarketplaceId":"A1VC38T7YXB528"},"order_items":[{"SellerSKU":"S","QuantityOrdered":1,
			"ItemPrice":{"Amount":"3980"},"PromotionDiscount":{"Amount":"3980"}}]}`,
	)
}
