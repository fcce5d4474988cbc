package amazon

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/omshq/oms"
)

// FuzzParse checks that Parse never panics, fails only with EINVALID naming
// a field, and that what it accepts can be placed.
func FuzzParse(f *testing.F) {
	de := string(deBody(f))
	orders, _, _ := fixture(f)
	pending := Envelope(orders[1], []json.RawMessage{json.RawMessage(`{"SellerSKU":"A","QuantityOrdered":1}`)})
	for _, seed := range []string{
		de,
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
