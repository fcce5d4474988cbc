package httpapi_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/store/storetest"
)

// TestResourceOrder: POST /v1/orders/{id}/source places the units an order
// left waiting once stock can be had (here: a closed warehouse opened),
// guarded by If-Match when sent; an order with nothing waiting is a
// conflict; a warehouse key may not re-source; the timeline records it.
func TestResourceOrder(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		h := setup(t, e)
		h.seed()
		wh2 := `{"name":"Second","kind":"warehouse","can_ship":true,"priority":2,"active":%s}`
		h.mustCall("PUT", "/v1/locations/wh2", oms.RoleManager, fmt.Sprintf(wh2, "false"), 201)
		h.mustCall("POST", "/v1/inventory/adjustments", oms.RoleWarehouse, `{"sku":"mug","location":"wh2","delta":4,"reason":"receive","reference":"PO-9"}`, 201)
		var o oms.Order
		h.mustCall("POST", "/v1/orders", oms.RoleManager, `{"channel":"b2b","external_id":"B-1","currency":"USD",
			"customer":{"email":"buyer@example.com"},"ship_to":{"line1":"2 Elm St","city":"Boston","country":"US"},
			"lines":[{"sku":"mug","quantity":8,"unit_price":1000}]}`, 201).json(t, &o)
		if o.Lines[0].Open != 3 {
			t.Fatalf("units waiting: %d, want 3", o.Lines[0].Open)
		}
		h.mustCall("PUT", "/v1/locations/wh2", oms.RoleManager, fmt.Sprintf(wh2, "true"), 200)
		if r := h.call("POST", "/v1/orders/"+o.ID+"/source", oms.RoleWarehouse, nil); r.status != 403 {
			t.Errorf("a warehouse key re-sourcing: %d %s", r.status, r.body)
		}
		if r := h.call("POST", "/v1/orders/"+o.ID+"/source", oms.RoleAgent, nil, "If-Match", `"99"`); r.status != 412 {
			t.Errorf("re-sourcing at a stale version: %d %s", r.status, r.body)
		}
		var got oms.Order
		r := h.call("POST", "/v1/orders/"+o.ID+"/source", oms.RoleAgent, nil, "If-Match", fmt.Sprintf(`"%d"`, o.Version))
		if r.status != 200 {
			t.Fatalf("re-source: %d %s", r.status, r.body)
		}
		r.json(t, &got)
		if got.Lines[0].Open != 0 || got.Lines[0].Allocated != 8 || got.Version != o.Version+1 || r.header.Get("ETag") != fmt.Sprintf(`"%d"`, got.Version) {
			t.Fatalf("after re-sourcing: %+v, version %d, ETag %s", got.Lines[0], got.Version, r.header.Get("ETag"))
		}
		if r := h.call("POST", "/v1/orders/"+o.ID+"/source", oms.RoleAgent, nil); r.status != 409 {
			t.Errorf("re-sourcing with nothing waiting: %d %s", r.status, r.body)
		}
		var es struct {
			Events []oms.Event `json:"events"`
		}
		h.mustCall("GET", "/v1/orders/"+o.ID+"/events", oms.RoleAgent, nil, 200).json(t, &es)
		if !slices.ContainsFunc(es.Events, func(e oms.Event) bool {
			return e.Type == oms.EventOrderSourced && strings.Contains(string(e.Data), "sent to sourcing again")
		}) {
			t.Errorf("no %s event says the order was sent to sourcing again: %+v", oms.EventOrderSourced, es.Events)
		}
	})
}
