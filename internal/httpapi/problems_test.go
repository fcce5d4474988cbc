package httpapi_test

import (
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/store/storetest"
)

// TestEveryProblemAtOnce sends requests with several bad fields of several
// kinds — unknown, of the wrong type, not a whole number, breaking a rule —
// and checks that one answer names every one, by its full path, and that
// nothing is written.
func TestEveryProblemAtOnce(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		h := setup(t, e)
		h.seed()
		cases := []struct {
			name, method, path, body string
			fields                   []string
		}{
			{"order: body and rules", "POST", "/v1/orders",
				`{"channel":"web","external_id":"","currency":"USD","customer":{"email":"nope","vip":true},
				"lines":[{"sku":"mug","qty":1,"unit_price":1250},{"sku":"mug","quantity":1,"unit_price":"5"}],
				"ship_to":{"line1":"1 Main St","city":"Boston","country":"USA","zip":"02108"}}`,
				[]string{"customer.vip", "lines[0].qty", "lines[1].unit_price", "ship_to.zip", "lines[0].quantity",
					"external_id", "customer.email", "ship_to.country"}},
			{"order: a whole number and the rules", "POST", "/v1/orders",
				`{"channel":"web","external_id":"X-9","currency":"EURO","lines":[{"sku":"mug","quantity":1.5,"unit_price":1250}]}`,
				[]string{"lines[0].quantity", "currency"}},
			{"channel", "PUT", "/v1/channels/fax",
				`{"code":"web","name":"Fax","kind":"fax","currency":"USD","backorder_policy":"maybe","buffer":1.5}`,
				[]string{"code", "buffer", "kind", "backorder_policy"}},
			{"location", "PUT", "/v1/locations/x",
				`{"code":"y","name":"X","kind":"depot","latitude":91,"longitude":0}`,
				[]string{"code", "kind", "latitude"}},
			{"item", "PUT", "/v1/items/cup",
				`{"sku":"mug","name":"Cup","unit_cost":4.5,"currency":"XYZ","release_date":"soon"}`,
				[]string{"sku", "unit_cost", "release_date", "currency"}},
			{"adjustment", "POST", "/v1/inventory/adjustments",
				`{"sku":"mug","location":"wh1","delta":"1","reason":"found"}`,
				[]string{"delta", "reason"}},
			{"supply", "POST", "/v1/supply",
				`{"sku":"mug","location":"wh1","kind":"gift","quantity":1.5,"eta":"soon"}`,
				[]string{"quantity", "eta", "kind"}},
			{"transfer", "POST", "/v1/transfers",
				`{"sku":"mug","from":"wh1","to":"wh1","quantity":"1","eta":"2030-01-02T00:00:00Z"}`,
				[]string{"quantity", "to"}},
			{"ship", "POST", "/v1/fulfillments/1001-F1/ship",
				`{"tracking_url":"ftp://x","lines":[{"line_id":"1001-1","quantity":"1"}]}`,
				[]string{"lines[0].quantity", "tracking_url"}},
			{"reject", "POST", "/v1/fulfillments/1001-F1/reject",
				`{"reason":"` + strings.Repeat("r", 201) + `","lines":[{"line_id":"1001-1","quantity":0.5}]}`,
				[]string{"reason", "lines[0].quantity"}},
		}
		before, err := h.db.Counts(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				r := h.call(c.method, c.path, oms.RoleAdmin, c.body)
				if r.status != 400 {
					t.Fatalf("status %d: %s", r.status, r.body)
				}
				var got []string
				for _, f := range r.problem(t).Errors {
					got = append(got, f.Field)
				}
				for _, f := range c.fields {
					if !slices.Contains(got, f) {
						t.Errorf("%s is not named: %v", f, got)
					}
				}
				if len(got) != len(c.fields) {
					t.Errorf("fields %v, want %v", got, c.fields)
				}
			})
		}
		if after, err := h.db.Counts(ctx); err != nil || !maps.Equal(after, before) {
			t.Errorf("bad requests wrote rows:\nbefore %v\nafter  %v (%v)", before, after, err)
		}
	})
}
