package shopify

import (
	"bytes"
	"testing"

	"github.com/omshq/oms/internal/channel/internal/payloadtest"
)

// FuzzParse checks that no payload makes Parse panic, that every error is
// EINVALID naming a field, and that a payload Parse accepts gives a draft
// with an id and a currency that either validates and becomes an order or
// is refused as EINVALID.
func FuzzParse(f *testing.F) {
	full := payloadtest.Fixture(f, fixture)
	payloadtest.Fuzz(f, Parse, payloadtest.ValidOrRefused,
		full,
		full[:len(full)/3],
		bytes.Replace(full, []byte(`"quantity": 3`), []byte(`"quantity": "two"`), 1),
		bytes.Replace(full, []byte(`"quantity": 1`), []byte(`"quantity": -1`), 1),
		bytes.Replace(full, []byte(`"24.00"`), []byte(`"24.001"`), 1),
		bytes.Replace(full, []byte(`"id": 6104827391234`), []byte(`"id": 820982911946154508`), 1),
		bytes.Replace(full, []byte(`"sku": "BEANIE-MER-CHR"`), []byte(`"sku": ""`), 1),
		bytes.Replace(full, []byte(`"presentment_currency": "GBP"`), []byte(`"presentment_currency": "EUR"`), 1),
		bytes.Replace(bytes.Replace(full, []byte(`"cancelled_at": null`), []byte(`"cancelled_at": "2025-11-14T10:05:00+01:00"`), 1),
			[]byte(`"quantity": 1`), []byte(`"quantity": 0`), 1),
		bytes.Replace(full, []byte(`"fulfillment_status": null`), []byte(`"fulfillment_status": "fulfilled"`), 1),
		[]byte(`{"id":1,"currency":"JPY","created_at":"2025-01-01T00:00:00Z","line_items":[{"sku":"A","quantity":1,"price":"100"}]}`),
		[]byte(`null`),
	)
}
