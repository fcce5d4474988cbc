package woocommerce

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
		bytes.Replace(full, []byte(`"quantity": 2`), []byte(`"quantity": "two"`), 1),
		bytes.Replace(full, []byte(`"quantity": 1`), []byte(`"quantity": -1`), 1),
		bytes.Replace(full, []byte(`"68.00"`), []byte(`"68.001"`), 1),
		bytes.Replace(full, []byte(`"8.66"`), []byte(`"8.655"`), 1),
		bytes.Replace(full, []byte(`"prices_include_tax": false`), []byte(`"prices_include_tax": true`), 1),
		bytes.Replace(bytes.Replace(full, []byte(`"status": "processing"`), []byte(`"status": "cancelled"`), 1),
			[]byte(`"quantity": 1`), []byte(`"quantity": 0`), 1),
		bytes.Replace(full, []byte(`"fee_lines": []`), []byte(`"fee_lines": [{"name":"x","total":"-5.00","total_tax":"-0.7495"}]`), 1),
		[]byte(pricesWithTax),
		[]byte("webhook_id=42"),
		[]byte(`null`),
	)
}
