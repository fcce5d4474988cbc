package httpapi_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/store/storetest"
)

// TestSourcingExplainsItself: a pickup at a store that never held the SKU
// takes a transfer from the warehouse, simulated and placed; the stored
// decision names lines by id, says the store hands over and the warehouse
// sends, and calls a distance measured from a country's centroid
// approximate.
func TestSourcingExplainsItself(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		h := setup(t, e)
		h.seed()
		h.mustCall("PUT", "/v1/settings/fulfillment", oms.RoleManager, `{"pickup_expiry_days":3,"pickup_transfers":true}`, 200)
		pickup := strings.Replace(orderBody("P-1", 2), `"shipping_price"`, `"pickup_location":"shop","shipping_price"`, 1)
		var sim oms.Sourcing
		h.mustCall("POST", "/v1/sourcing/simulate", oms.RoleAgent, pickup, 200).json(t, &sim)
		if len(sim.Placements) != 1 || sim.Placements[0].Location != "wh1" || sim.Placements[0].LineID != "" ||
			sim.Method != "pickup+transfer" || strings.Contains(sim.Summary, "unknown") {
			t.Errorf("simulation = %+v", sim)
		}
		var o oms.Order
		h.mustCall("POST", "/v1/orders", oms.RoleChannel, pickup, 201).json(t, &o)
		if o.Status != oms.StatusAllocated || len(o.Allocations) != 1 || o.Allocations[0].Location != "wh1" {
			t.Fatalf("pickup order: %s %+v", o.Status, o.Allocations)
		}
		var d oms.Sourcing
		h.mustCall("GET", "/v1/orders/"+o.Number+"/sourcing", oms.RoleAgent, nil, 200).json(t, &d)
		if len(d.Placements) != 1 || d.Placements[0].LineID != o.Lines[0].ID {
			t.Errorf("placements %+v, want line %s", d.Placements, o.Lines[0].ID)
		}
		reasons := map[string]string{}
		for _, v := range d.Sites {
			reasons[v.Location] = v.Reason
		}
		if reasons["shop"] != "has none of the order's open units" || reasons["wh1"] != "chosen: sends 2 units to shop" {
			t.Errorf("reasons %q", reasons)
		}

		// Shipped to an address without coordinates, placed at the middle
		// of the country.
		h.mustCall("POST", "/v1/orders", oms.RoleChannel, orderBody("S-1", 1), 201).json(t, &o)
		h.mustCall("GET", "/v1/orders/"+o.Number+"/sourcing", oms.RoleAgent, nil, 200).json(t, &d)
		if v := d.Sites[0]; v.Location != "wh1" || v.DistanceBasis != oms.BasisCountry ||
			!strings.HasPrefix(v.Reason, "chosen: ships 1 unit, about 2,") || !strings.HasSuffix(v.Reason, "km away (from the centroid of US; no coordinates for the address)") {
			t.Errorf("wh1 = %+v", v)
		}
		if d.Summary != "filled from wh1 in 1 shipment" {
			t.Errorf("summary %q", d.Summary)
		}
	})
}

// TestNoSplitWhenStockArrives: an order under the channel's no-split value
// that waits for stock keeps to the one location it draws on when stock
// arrives elsewhere.
func TestNoSplitWhenStockArrives(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		h := setup(t, e)
		h.seed()
		h.mustCall("PUT", "/v1/channels/ns", oms.RoleManager,
			`{"name":"NS","kind":"api","currency":"USD","backorder_policy":"backorder","no_split_below":100000}`, 201)
		h.mustCall("PUT", "/v1/locations/wh2", oms.RoleManager, `{"name":"Second","kind":"warehouse","can_ship":true,"priority":2}`, 201)
		h.mustCall("PUT", "/v1/items/F", oms.RoleManager, `{"name":"F","unit_cost":100,"currency":"USD"}`, 201)
		add := func(at string, n int) {
			h.mustCall("POST", "/v1/inventory/adjustments", oms.RoleWarehouse,
				fmt.Sprintf(`{"sku":"F","location":%q,"delta":%d,"reason":"receive"}`, at, n), 201)
		}
		add("wh2", 2)
		body := strings.NewReplacer(`"web"`, `"ns"`, `"mug"`, `"F"`).Replace(orderBody("NS-1", 3))
		var o oms.Order
		h.mustCall("POST", "/v1/orders", oms.RoleChannel, body, 201).json(t, &o)
		if o.Status != oms.StatusBackordered || fmt.Sprint(o.Allocations) != "[{"+o.Number+"-1 wh2 2}]" {
			t.Fatalf("placed %s %v", o.Status, o.Allocations)
		}
		add("wh1", 1)
		h.mustCall("GET", "/v1/orders/"+o.ID, oms.RoleAgent, nil, 200).json(t, &o)
		if o.Status != oms.StatusBackordered || fmt.Sprint(o.Allocations) != "[{"+o.Number+"-1 wh2 2}]" {
			t.Errorf("after a unit arrived at wh1: %s %v", o.Status, o.Allocations)
		}
		var d oms.Sourcing
		h.mustCall("GET", "/v1/orders/"+o.ID+"/sourcing", oms.RoleAgent, nil, 200).json(t, &d)
		if v := verdictAt(d, "wh1"); v == nil || v.Chosen || !strings.Contains(v.Reason, "not split: it ships from wh2") {
			t.Errorf("wh1's verdict %+v in %+v", v, d)
		}
		add("wh2", 1)
		h.mustCall("GET", "/v1/orders/"+o.ID, oms.RoleAgent, nil, 200).json(t, &o)
		if o.Status != oms.StatusAllocated || fmt.Sprint(o.Allocations) != "[{"+o.Number+"-1 wh2 3}]" {
			t.Errorf("after a unit arrived at wh2: %s %v", o.Status, o.Allocations)
		}
		var fs struct{ Fulfillments []oms.Fulfillment }
		h.mustCall("GET", "/v1/orders/"+o.ID+"/fulfillments", oms.RoleAgent, nil, 200).json(t, &fs)
		if len(fs.Fulfillments) != 1 {
			t.Errorf("%d fulfillments, want 1", len(fs.Fulfillments))
		}
	})
}

// verdictAt is the decision's verdict on the location, or nil.
func verdictAt(d oms.Sourcing, code string) *oms.SiteVerdict {
	for i := range d.Sites {
		if d.Sites[i].Location == code {
			return &d.Sites[i]
		}
	}
	return nil
}
