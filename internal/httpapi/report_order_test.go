package httpapi_test

import (
	"strings"
	"testing"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/store/storetest"
)

func TestOrderReportsAPI(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		h := setup(t, e)
		h.seed()
		h.mustCall("PUT", "/v1/settings/currency", oms.RoleManager, `{"base_currency":"USD"}`, 200)
		h.mustCall("POST", "/v1/orders", oms.RoleManager, orderBody("R-1", 2), 201)
		h.mustCall("POST", "/v1/orders", oms.RoleManager, orderBody("R-2", 2), 201)
		const day = "from=2026-11-26&to=2026-11-26"

		// Two orders of 2 mugs at 12.50 less 1.00, tax 0.80, shipping 5.00.
		var rep oms.Report
		h.mustCall("GET", "/v1/reports/sales?"+day, oms.RoleManager, nil, 200).json(t, &rep)
		if rep.Currency != "USD" || len(rep.Rows) != 1 {
			t.Fatalf("sales: %+v", rep)
		}
		r := h.mustCall("GET", "/v1/reports/sales?"+day, oms.RoleManager, nil, 200)
		if want := `{"period":"2026-11-26","orders":2,"units":4,"gross_sales":5000,"discounts":200,"cancellations":0,"returns":0,"net_sales":4800,"tax":160,"shipping":1000,"average_order_value":2400}`; !strings.Contains(string(r.body), want) {
			t.Errorf("sales: %s", r.body)
		}
		csv := h.call("GET", "/v1/reports/sales?"+day+"&by=channel", oms.RoleAdmin, nil, "Accept", "text/csv")
		if csv.status != 200 || !strings.HasPrefix(csv.header.Get("Content-Type"), "text/csv") ||
			!strings.Contains(string(csv.body), "period,channel,orders,units,gross_sales") ||
			!strings.Contains(string(csv.body), "2026-11-26,web,2,4,50.00,2.00,0.00,0.00,48.00,1.60,10.00,24.00") {
			t.Errorf("sales CSV: %d %s", csv.status, csv.body)
		}
		r = h.mustCall("GET", "/v1/reports/fulfillment?"+day+"&by=location", oms.RoleManager, nil, 200)
		if !strings.Contains(string(r.body), `"location":"wh1","orders":2,"units_ordered":4,"units_shipped":0,"fill_rate":"0.0000"`) {
			t.Errorf("fulfillment: %s", r.body)
		}
		r = h.mustCall("GET", "/v1/reports/margin?"+day, oms.RoleManager, nil, 200)
		if !strings.Contains(string(r.body), `"sku":"mug","units_sold":4,"net_sales":4800,"cost_of_goods":1800,"margin":3000,"margin_rate":"0.6250"`) {
			t.Errorf("margin: %s", r.body)
		}
		h.mustCall("GET", "/v1/reports/returns?"+day+"&by=reason", oms.RoleManager, nil, 200)

		for role, want := range map[oms.Role]int{oms.RoleAdmin: 200, oms.RoleManager: 200, oms.RoleAgent: 403,
			oms.RoleWarehouse: 403, oms.RoleChannel: 403, "": 401} {
			if r := h.call("GET", "/v1/reports/margin?"+day, role, nil); r.status != want {
				t.Errorf("%q: status %d, want %d", role, r.status, want)
			}
		}

		for _, c := range []struct{ name, path, field string }{
			{"no range", "/v1/reports/sales", "from"},
			{"no to", "/v1/reports/sales?from=2026-11-01", "to"},
			{"bad from", "/v1/reports/margin?from=yesterday&to=2026-11-26", "from"},
			{"to before from", "/v1/reports/sales?from=2026-11-26&to=2026-11-01", "to"},
			{"bad period", "/v1/reports/sales?" + day + "&period=year", "period"},
			{"bad breakdown", "/v1/reports/returns?" + day + "&by=location", "by"},
			{"unknown channel", "/v1/reports/sales?" + day + "&channel=nope", "channel"},
			{"unknown location", "/v1/reports/fulfillment?" + day + "&location=nope", "location"},
			{"unknown sku", "/v1/reports/margin?" + day + "&sku=nope", "sku"},
			{"sku on fulfillment", "/v1/reports/fulfillment?" + day + "&sku=mug", "sku"},
		} {
			r := h.call("GET", c.path, oms.RoleManager, nil)
			if r.status != 400 {
				t.Errorf("%s: status %d: %s", c.name, r.status, r.body)
				continue
			}
			if p := r.problem(t); len(p.Errors) == 0 || p.Errors[0].Field != c.field {
				t.Errorf("%s: errors %+v, want field %s", c.name, p.Errors, c.field)
			}
		}

		h.mustCall("PUT", "/v1/settings/reports", oms.RoleManager, `{"ship_promise_hours":24}`, 200)
		if p := h.mustCall("PUT", "/v1/settings/reports", oms.RoleManager, `{"ship_promise_hours":0}`, 400).problem(t); len(p.Errors) == 0 || p.Errors[0].Field != "ship_promise_hours" {
			t.Errorf("promise 0: %+v", p)
		}
		r = h.mustCall("GET", "/v1/settings/reports", oms.RoleManager, nil, 200)
		if !strings.Contains(string(r.body), `"ship_promise_hours":24`) {
			t.Errorf("settings: %s", r.body)
		}
	})
}
