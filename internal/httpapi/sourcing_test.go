package httpapi_test

import (
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
