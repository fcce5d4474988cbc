package httpapi_test

import (
	"testing"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/store/storetest"
)

// A channel's low_stock defaults to 5, is kept as given, and a bad one is
// a problem naming the field.
func TestChannelLowStock(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		h := setup(t, e)
		var c oms.Channel
		h.mustCall("PUT", "/v1/channels/shop", oms.RoleManager, `{"name":"Shop","kind":"web","currency":"USD","backorder_policy":"reject"}`, 201).json(t, &c)
		if c.LowStock != oms.DefaultLowStock {
			t.Errorf("low_stock %d, want the default %d", c.LowStock, oms.DefaultLowStock)
		}
		h.mustCall("PUT", "/v1/channels/shop", oms.RoleManager, `{"name":"Shop","kind":"web","currency":"USD","backorder_policy":"reject","low_stock":0}`, 200)
		h.mustCall("GET", "/v1/channels/shop", oms.RoleManager, nil, 200).json(t, &c)
		if c.LowStock != 0 {
			t.Errorf("low_stock %d after setting 0", c.LowStock)
		}
		p := h.mustCall("PUT", "/v1/channels/shop", oms.RoleManager, `{"name":"Shop","kind":"web","currency":"USD","backorder_policy":"reject","low_stock":-1}`, 400).problem(t)
		if len(p.Errors) != 1 || p.Errors[0].Field != "low_stock" {
			t.Errorf("problem %+v, want one naming low_stock", p)
		}
	})
}
