package oms_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/omshq/oms"
)

// TestOrderJSONUnknownAmounts: an order whose amounts are unknown writes
// every amount of its own and of its lines as null, never 0, and has no
// base totals; any other order writes them as numbers, 0 included.
func TestOrderJSONUnknownAmounts(t *testing.T) {
	o := oms.Order{ID: "ord_1", Status: oms.StatusCancelled, Currency: "EUR", Holds: []oms.Hold{},
		Lines:  []oms.Line{{ID: "1001-1", SKU: "A", Quantity: 2, Cancelled: 2}},
		Base:   &oms.BaseTotals{Currency: "USD"},
		Totals: oms.Totals{}, AmountsUnknown: true}
	var got map[string]any
	decode := func(v any) {
		t.Helper()
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		got = nil
		if err := json.Unmarshal(b, &got); err != nil {
			t.Fatal(err)
		}
	}
	decode(o)
	for _, k := range []string{"subtotal", "discount_total", "shipping_total", "tax_total", "duties_total", "total"} {
		if v, ok := got[k]; !ok || v != nil {
			t.Errorf("%s = %v (present %v), want null", k, v, ok)
		}
	}
	line := got["lines"].([]any)[0].(map[string]any)
	for _, k := range []string{"unit_price", "subtotal", "discount", "tax"} {
		if v, ok := line[k]; !ok || v != nil {
			t.Errorf("line %s = %v, want null", k, v)
		}
	}
	if got["amounts_unknown"] != true || got["base"] != nil || line["quantity"] != float64(2) || line["cancelled"] != float64(2) ||
		got["status"] != "cancelled" || got["id"] != "ord_1" {
		t.Errorf("order %v", got)
	}
	// The pointer marshals the same way.
	b, _ := json.Marshal(&o)
	if !strings.Contains(string(b), `"total":null`) {
		t.Errorf("*Order: %s", b)
	}

	o.AmountsUnknown = false
	decode(o)
	if got["total"] != float64(0) || got["lines"].([]any)[0].(map[string]any)["unit_price"] != float64(0) {
		t.Errorf("known amounts: %v", got)
	}
	if _, ok := got["amounts_unknown"]; ok {
		t.Errorf("amounts_unknown written for an order whose amounts are known")
	}

	s := oms.OrderSummary{ID: "ord_1", Total: 0, AmountsUnknown: true}
	decode(s)
	if v, ok := got["total"]; !ok || v != nil || got["amounts_unknown"] != true {
		t.Errorf("summary %v", got)
	}
}
