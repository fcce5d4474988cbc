package httpapi_test

import (
	"strings"
	"testing"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/store/storetest"
)

// TestBodiesNeverDropped: a route that takes no body refuses one that gives
// anything but {}, and a selection of lines that names none ([] or null)
// never reads as "every unit" — each a 400 naming the field, with nothing
// written; no body or {} still makes the step. A fulfillment's
// cancellation keeps the reason it is given.
func TestBodiesNeverDropped(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		h := setup(t, e)
		h.seed() // 5 mugs at wh1
		place := func(ext string) string {
			var o oms.Order
			h.mustCall("POST", "/v1/orders", oms.RoleChannel, orderBody(ext, 1), 201).json(t, &o)
			return o.Number
		}
		n := place("B-1")
		f := n + "-F1"
		before := h.counts(t)
		cases := []struct {
			name, path, body string
			fields           []string
		}{
			{"a field on pick", "/v1/fulfillments/" + f + "/pick", `{"bogus":1}`, []string{"bogus"}},
			{"a list on pack", "/v1/fulfillments/" + f + "/pack", `[1,2,3]`, []string{"body"}},
			{"null on pick", "/v1/fulfillments/" + f + "/pick", `null`, []string{"body"}},
			{"not JSON on ready", "/v1/fulfillments/" + f + "/ready", `garbage{`, nil},
			{"a field on deliver", "/v1/fulfillments/" + f + "/deliver", `{"delivered_at":"yesterday"}`, []string{"delivered_at"}},
			{"a field on source", "/v1/orders/" + n + "/source", `{"location":"wh1"}`, []string{"location"}},
			{"empty lines on ship", "/v1/fulfillments/" + f + "/ship", `{"tracking_number":"T1","lines":[]}`, []string{"lines"}},
			{"null lines on ship", "/v1/fulfillments/" + f + "/ship", `{"lines":null}`, []string{"lines"}},
			{"null body on ship", "/v1/fulfillments/" + f + "/ship", `null`, []string{"body"}},
			{"empty lines on reject", "/v1/fulfillments/" + f + "/reject", `{"lines":[]}`, []string{"lines"}},
			{"empty lines in a batch move", "/v1/fulfillments/moves",
				`{"moves":[{"fulfillment_id":"` + f + `","status":"shipped","lines":[]}]}`, []string{"moves[0].lines"}},
			{"an unknown field on a fulfillment's cancel", "/v1/fulfillments/" + f + "/cancel", `{"bogus":1}`, []string{"bogus"}},
			{"a reason too long on a fulfillment's cancel", "/v1/fulfillments/" + f + "/cancel", `{"reason":"` + long(201) + `"}`, []string{"reason"}},
			{"a hold type that is none", "/v1/orders/" + n + "/release", `{"type":"bogus"}`, []string{"type"}},
			{"null on release", "/v1/orders/" + n + "/release", `null`, []string{"body"}},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				refused(t, h.call("POST", c.path, oms.RoleManager, c.body), 400, c.fields...)
			})
		}
		// A line without its id says it is required; If-Match that names
		// no version is a 412 saying so.
		r := h.call("POST", "/v1/fulfillments/"+f+"/ship", oms.RoleManager, `{"lines":[{"quantity":1}]}`)
		refused(t, r, 400, "lines[0].line_id")
		if !strings.Contains(string(r.body), "is required") {
			t.Errorf("a line without its id: %s", r.body)
		}
		r = h.call("POST", "/v1/orders/"+n+"/holds", oms.RoleManager, `{"type":"manual","reason":"x"}`, "If-Match", `W/"1"`)
		if r.status != 412 || !strings.Contains(string(r.body), "names no version") {
			t.Errorf("a weak ETag: %d %s", r.status, r.body)
		}
		h.unchanged(t, before)
		var got oms.Fulfillment
		h.mustCall("GET", "/v1/fulfillments/"+f, oms.RoleWarehouse, nil, 200).json(t, &got)
		if got.Status != oms.FulfillmentPending {
			t.Fatalf("after refusals the fulfillment is %s", got.Status)
		}

		// No body, {} and white space still make the steps.
		h.mustCall("POST", "/v1/fulfillments/"+f+"/pick", oms.RoleWarehouse, nil, 200)
		h.mustCall("POST", "/v1/fulfillments/"+f+"/pack", oms.RoleWarehouse, `{}`, 200)
		h.mustCall("POST", "/v1/fulfillments/"+f+"/ship", oms.RoleWarehouse, " \n", 200)

		// A cancelled fulfillment keeps its reason.
		f2 := place("B-2") + "-F1"
		h.mustCall("POST", "/v1/fulfillments/"+f2+"/cancel", oms.RoleWarehouse, `{"reason":"the customer called"}`, 200).json(t, &got)
		if got.Status != oms.FulfillmentCancelled || got.RejectReason != "the customer called" {
			t.Errorf("cancelled with a reason: %s, reason %q", got.Status, got.RejectReason)
		}
		f3 := place("B-3") + "-F1"
		h.mustCall("POST", "/v1/fulfillments/"+f3+"/cancel", oms.RoleWarehouse, nil, 200).json(t, &got)
		if got.RejectReason != "cancelled" {
			t.Errorf("cancelled without a reason: reason %q", got.RejectReason)
		}
	})
}

func long(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = 'x'
	}
	return string(b)
}
