package woocommerce

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
	f.Add(bytes.Replace(full, []byte(`"quantity": 2`), []byte(`"quantity": "two"`), 1))
	f.Add(bytes.Replace(full, []byte(`"quantity": 1`), []byte(`"quantity": -1`), 1))
	f.Add(bytes.Replace(full, []byte(`"68.00"`), []byte(`"68.001"`), 1))
	f.Add(bytes.Replace(full, []byte(`"8.66"`), []byte(`"8.655"`), 1))
	f.Add(bytes.Replace(full, []byte(`"prices_include_tax": false`), []byte(`"prices_include_tax": true`), 1))
	f.Add(bytes.Replace(full, []byte(`"fee_lines": []`), []byte(`"fee_lines": [{"name":"x","total":"-5.00","total_tax":"-0.7495"}]`), 1))
	f.Add([]byte(pricesWithTax))
	f.Add([]byte("webhook_id=42"))
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
