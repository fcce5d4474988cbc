package httpapi_test

import (
	"encoding/csv"
	"strings"
	"testing"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/store/storetest"
)

// TestExports: each CSV export's columns and exact figures, its filters,
// and bad filters named before anything is sent.
func TestExports(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		h := setup(t, e)
		h.seed()
		h.mustCall("POST", "/v1/orders", oms.RoleChannel, orderBody("W-1", 2), 201)
		late := strings.Replace(orderBody("W-2", 1), "2026-11-26T10:00:00+01:00", "2026-11-28T12:00:00Z", 1)
		h.mustCall("POST", "/v1/orders", oms.RoleChannel, late, 201)

		rows := func(path string, role oms.Role) []map[string]string {
			t.Helper()
			r := h.call("GET", path, role, nil)
			if r.status != 200 || !strings.HasPrefix(r.header.Get("Content-Type"), "text/csv") {
				t.Fatalf("%s: %d %s", path, r.status, r.body)
			}
			recs, err := csv.NewReader(strings.NewReader(string(r.body))).ReadAll()
			if err != nil || len(recs) == 0 {
				t.Fatalf("%s: %v", path, err)
			}
			var out []map[string]string
			for _, rec := range recs[1:] {
				m := map[string]string{}
				for i, col := range recs[0] {
					m[col] = rec[i]
				}
				out = append(out, m)
			}
			return out
		}

		orders := rows("/v1/exports/orders", oms.RoleAgent)
		if len(orders) != 2 {
			t.Fatalf("%d orders", len(orders))
		}
		o := orders[0]
		// 2 × 12.50 − 1.00 discount + 5.00 shipping + 0.80 tax.
		if o["number"] != "1001" || o["external_id"] != "W-1" || o["channel"] != "web" || o["currency"] != "USD" ||
			o["placed_at"] != "2026-11-26T09:00:00Z" || o["subtotal"] != "25.00" || o["discount_total"] != "1.00" ||
			o["shipping_total"] != "5.00" || o["tax_total"] != "0.80" || o["total"] != "29.80" || o["units"] != "2" ||
			o["lines"] != "1" || o["ship_to_country"] != "US" || o["customer_email"] != "ann@example.com" ||
			o["status"] != string(oms.StatusAllocated) {
			t.Errorf("order row %v", o)
		}
		if got := rows("/v1/exports/orders?from=2026-11-27", oms.RoleAgent); len(got) != 1 || got[0]["external_id"] != "W-2" {
			t.Errorf("from a day: %v", got)
		}
		if got := rows("/v1/exports/orders?to=2026-11-26", oms.RoleAgent); len(got) != 1 || got[0]["external_id"] != "W-1" {
			t.Errorf("to a day, inclusive: %v", got)
		}
		if got := rows("/v1/exports/orders?to=2026-11-26T09:00:00Z", oms.RoleAgent); len(got) != 0 {
			t.Errorf("to a time, exclusive: %v", got)
		}
		if got := rows("/v1/exports/orders?channel=b2b", oms.RoleAgent); len(got) != 0 {
			t.Errorf("another channel's orders: %v", got)
		}

		lines := rows("/v1/exports/order-lines?sku=mug&status=allocated", oms.RoleAgent)
		if len(lines) != 2 || lines[0]["line_id"] != "1001-1" || lines[0]["unit_price"] != "12.50" ||
			lines[0]["quantity"] != "2" || lines[0]["allocated"] != "2" || lines[0]["tax"] != "0.80" {
			t.Errorf("lines %v", lines)
		}

		// 5 received, 3 reserved: value at 4.50 each.
		inv := rows("/v1/exports/inventory?location=wh1", oms.RoleManager)
		if len(inv) != 1 || inv[0]["sku"] != "mug" || inv[0]["on_hand"] != "5" || inv[0]["reserved"] != "3" ||
			inv[0]["available"] != "2" || inv[0]["unit_cost"] != "4.50" || inv[0]["stock_value"] != "22.50" {
			t.Errorf("inventory %v", inv)
		}
		// Costs are the managers': the warehouse's file has no such columns.
		inv = rows("/v1/exports/inventory?location=wh1", oms.RoleWarehouse)
		if _, ok := inv[0]["unit_cost"]; len(inv) != 1 || inv[0]["on_hand"] != "5" || ok || inv[0]["stock_value"] != "" {
			t.Errorf("inventory as the warehouse %v", inv)
		}

		ledger := rows("/v1/exports/ledger?sku=mug", oms.RoleWarehouse)
		if len(ledger) != 3 || ledger[0]["kind"] != "receive" || ledger[0]["delta"] != "5" || ledger[0]["reference"] != "PO-1" ||
			ledger[1]["kind"] != "reserve" || ledger[1]["reserved_delta"] != "2" || ledger[2]["reserved_after"] != "3" {
			t.Errorf("ledger %v", ledger)
		}

		for _, c := range []struct{ path, field string }{
			{"/v1/exports/orders?from=yesterday", "from"},
			{"/v1/exports/orders?from=2026-11-28&to=2026-11-27", "to"},
			{"/v1/exports/orders?status=lost", "status"},
			{"/v1/exports/orders?channel=nope", "channel"},
			{"/v1/exports/ledger?location=nope", "location"},
			{"/v1/exports/inventory?sku=nope", "sku"},
			// A filter an export does not take is refused, never ignored.
			{"/v1/exports/orders?location=wh1", "location"},
			{"/v1/exports/order-lines?location=wh1", "location"},
			{"/v1/exports/inventory?from=2026-01-01", "from"},
			{"/v1/exports/inventory?status=shipped", "status"},
			{"/v1/exports/ledger?channel=web", "channel"},
		} {
			r := h.call("GET", c.path, oms.RoleAgent, nil)
			if r.status != 400 || !names(r.problem(t), c.field) {
				t.Errorf("%s: %d %s", c.path, r.status, r.body)
			}
		}
		if r := h.call("GET", "/v1/exports/customers", oms.RoleAgent, nil); r.status != 404 {
			t.Errorf("unknown export: %d", r.status)
		}
	})
}
