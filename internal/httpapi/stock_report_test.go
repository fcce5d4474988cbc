package httpapi_test

import (
	"encoding/csv"
	"strings"
	"testing"
	"time"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/store/storetest"
)

// TestStockReportsAPI: the stock reports over HTTP — figures, CSV, roles
// and bad input named.
func TestStockReportsAPI(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		h := setup(t, e)
		h.seed()
		// The order takes all 5 mugs: wh1 is out of stock from now.
		h.mustCall("POST", "/v1/orders", oms.RoleChannel, orderBody("W-1", 5), 201)
		today := time.Now().UTC().Format(time.DateOnly)
		span := "from=" + today + "&to=" + today

		type report struct {
			Report   string           `json:"report"`
			Currency string           `json:"currency"`
			Rows     []map[string]any `json:"rows"`
			Notes    []string         `json:"notes"`
		}
		get := func(path string) report {
			t.Helper()
			var r report
			h.mustCall("GET", path, oms.RoleManager, nil, 200).json(t, &r)
			return r
		}
		inv := get("/v1/reports/inventory")
		if len(inv.Rows) != 1 || inv.Rows[0]["sku"] != "mug" || inv.Rows[0]["location"] != "wh1" ||
			inv.Rows[0]["on_hand"] != 5.0 || inv.Rows[0]["reserved"] != 5.0 || inv.Rows[0]["available"] != 0.0 ||
			inv.Rows[0]["stock_value"] != 2250.0 || inv.Rows[0]["currency"] != "USD" || len(inv.Notes) != 1 {
			t.Errorf("inventory = %+v", inv)
		}
		if past := get("/v1/reports/inventory?at=2020-01-01"); len(past.Rows) != 0 {
			t.Errorf("inventory in 2020 = %+v", past)
		}
		turn := get("/v1/reports/turnover?" + span + "&dead_days=30")
		if len(turn.Rows) != 1 || turn.Rows[0]["received"] != 5.0 || turn.Rows[0]["closing_on_hand"] != 5.0 ||
			turn.Rows[0]["average_on_hand"] != "5.00" || turn.Rows[0]["sell_through"] != "0.0000" || turn.Rows[0]["dead_stock"] != "yes" {
			t.Errorf("turnover = %+v", turn)
		}
		outs := get("/v1/reports/stockouts?" + span)
		if len(outs.Rows) != 2 || outs.Rows[1]["location"] != "wh1" || outs.Rows[1]["stockout_days"] != 1.0 ||
			outs.Rows[1]["stockouts"] != 1.0 || outs.Rows[0]["location"] != "" || outs.Rows[0]["backordered_orders"] != 0.0 {
			t.Errorf("stockouts = %+v", outs)
		}

		r := h.call("GET", "/v1/reports/inventory", oms.RoleAdmin, nil, "Accept", "text/csv")
		recs, err := csv.NewReader(strings.NewReader(string(r.body))).ReadAll()
		if r.status != 200 || err != nil || len(recs) != 2 || recs[0][7] != "stock_value" || recs[1][7] != "22.50" {
			t.Errorf("inventory CSV: %d %v %q", r.status, err, recs)
		}

		for _, role := range []oms.Role{oms.RoleAgent, oms.RoleWarehouse, oms.RoleChannel} {
			h.mustCall("GET", "/v1/reports/inventory", role, nil, 403)
			h.mustCall("GET", "/v1/reports/turnover?"+span, role, nil, 403)
			h.mustCall("GET", "/v1/reports/stockouts?"+span, role, nil, 403)
		}

		for path, field := range map[string]string{
			"/v1/reports/turnover?to=" + today:                   "from",
			"/v1/reports/stockouts?from=" + today:                "to",
			"/v1/reports/stockouts?" + span + "&period=year":     "period",
			"/v1/reports/turnover?" + span + "&sku=nope":         "sku",
			"/v1/reports/stockouts?" + span + "&location=mars":   "location",
			"/v1/reports/inventory?channel=web":                  "channel",
			"/v1/reports/inventory?at=yesterday":                 "at",
			"/v1/reports/turnover?" + span + "&dead_days=soon":   "dead_days",
			"/v1/reports/turnover?" + span + "&dead_days=0":      "dead_days",
			"/v1/reports/turnover?from=2026-02-01&to=2026-01-01": "to",
		} {
			p := h.mustCall("GET", path, oms.RoleManager, nil, 400).problem(t)
			if !names(p, field) {
				t.Errorf("%s: problem %+v does not name %s", path, p, field)
			}
		}
	})
}
