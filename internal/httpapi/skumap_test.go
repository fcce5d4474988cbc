package httpapi_test

import (
	"encoding/json"
	"testing"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/store/storetest"
)

// TestSKUMappingSimpleForm maps a listing SKU to one oms SKU with
// {"sku": …}: the answer and the list show it as one component of quantity
// 1, an order arriving with the listing SKU takes the oms SKU unit for unit,
// and a body with both forms or neither is refused naming sku.
func TestSKUMappingSimpleForm(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		h := setup(t, e)
		h.seedChannels()
		const path = "/v1/channels/shop/sku-mappings/SOCKS%2F2PK%20L"
		var m oms.SKUMapping
		h.mustCall("PUT", path, oms.RoleManager, `{"sku":"SOCK-TRL-2PK-L"}`, 200).json(t, &m)
		one := []oms.SKUComponent{{SKU: "SOCK-TRL-2PK-L", Quantity: 1}}
		if m.Channel != "shop" || m.ListingSKU != "SOCKS/2PK L" || len(m.Components) != 1 || m.Components[0] != one[0] {
			t.Errorf("answer %+v", m)
		}
		var list struct{ Mappings []oms.SKUMapping }
		h.mustCall("GET", "/v1/channels/shop/sku-mappings", oms.RoleAgent, nil, 200).json(t, &list)
		if len(list.Mappings) != 1 || list.Mappings[0].ListingSKU != "SOCKS/2PK L" || len(list.Mappings[0].Components) != 1 ||
			list.Mappings[0].Components[0] != one[0] {
			t.Errorf("list %+v", list.Mappings)
		}

		body := mutate(t, fixture(t, "shopify_order.json"), func(m map[string]any) {
			m["line_items"].([]any)[1].(map[string]any)["sku"] = "SOCKS/2PK L"
		})
		var o oms.Order
		h.mustCall("POST", "/v1/channels/shop/orders", oms.RoleChannel, body, 201).json(t, &o)
		if len(o.Holds) != 0 || o.Lines[1].SKU != "SOCK-TRL-2PK-L" || o.Lines[1].Quantity != 1 || o.Lines[1].Allocated != 1 {
			t.Errorf("mapped on arrival: holds %+v, line %+v", o.Holds, o.Lines[1])
		}

		for _, c := range []struct{ name, body, field string }{
			{"both", `{"sku":"SOCK-TRL-2PK-L","components":[{"sku":"SOCK-TRL-2PK-L","quantity":2}]}`, "sku"},
			{"neither", `{}`, "sku"},
			{"unknown sku", `{"sku":"NOPE"}`, "sku"},
			{"unknown component", `{"components":[{"sku":"NOPE","quantity":1}]}`, "components[0].sku"},
		} {
			p := h.mustCall("PUT", path, oms.RoleManager, c.body, 400).problem(t)
			if len(p.Errors) != 1 || p.Errors[0].Field != c.field {
				t.Errorf("%s: problem %+v, want %s", c.name, p.Errors, c.field)
			}
		}
		// The refused requests left the mapping as it was.
		h.mustCall("GET", "/v1/channels/shop/sku-mappings", oms.RoleAgent, nil, 200).json(t, &list)
		if b, _ := json.Marshal(list.Mappings); string(b) != `[{"channel":"shop","listing_sku":"SOCKS/2PK L","components":[{"sku":"SOCK-TRL-2PK-L","quantity":1}]}]` {
			t.Errorf("after refusals: %s", b)
		}
	})
}
