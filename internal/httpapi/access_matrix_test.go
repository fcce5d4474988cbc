package httpapi_test

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/httpapi"
	"github.com/omshq/oms/internal/store/storetest"
)

// accessDecisions is who may use each route, by the columns of
// httpapi.AccessPrincipals: admin, manager, agent, warehouse, a warehouse
// key bound to a location, and a channel key (bound to a channel). ✓
// allowed, own: allowed on its own channel's or location's only (another's
// is not found, or forbidden when a write names it), —: forbidden. A route
// of the route table without a decision here fails the tests: whoever adds
// one decides who may use it.
var accessDecisions = map[string]string{
	"GET /healthz":                                          "✓ ✓ ✓ ✓ ✓ ✓",
	"GET /readyz":                                           "✓ ✓ ✓ ✓ ✓ ✓",
	"GET /metrics":                                          "✓ ✓ — — — —",
	"GET /openapi.json":                                     "✓ ✓ ✓ ✓ ✓ ✓",
	"GET /v1/channels":                                      "✓ ✓ ✓ ✓ ✓ own",
	"GET /v1/channels/{code}":                               "✓ ✓ ✓ ✓ ✓ own",
	"PUT /v1/channels/{code}":                               "✓ ✓ — — — —",
	"POST /v1/channels/{code}/orders":                       "✓ ✓ — — — own",
	"POST /v1/webhooks/{code}":                              "✓ ✓ ✓ ✓ ✓ ✓",
	"GET /v1/channels/{code}/availability":                  "✓ ✓ ✓ ✓ ✓ own",
	"GET /v1/channels/{code}/sku-mappings":                  "✓ ✓ ✓ ✓ ✓ own",
	"PUT /v1/channels/{code}/sku-mappings/{listing_sku}":    "✓ ✓ — — — —",
	"DELETE /v1/channels/{code}/sku-mappings/{listing_sku}": "✓ ✓ — — — —",
	"GET /v1/locations":                                     "✓ ✓ ✓ ✓ ✓ ✓",
	"GET /v1/locations/{code}":                              "✓ ✓ ✓ ✓ ✓ ✓",
	"PUT /v1/locations/{code}":                              "✓ ✓ — — — —",
	"GET /v1/items":                                         "✓ ✓ ✓ ✓ ✓ ✓",
	"GET /v1/items/{sku}":                                   "✓ ✓ ✓ ✓ ✓ ✓",
	"PUT /v1/items/{sku}":                                   "✓ ✓ — — — —",
	"GET /v1/inventory/{sku}/atp":                           "✓ ✓ ✓ ✓ ✓ —",
	"POST /v1/supply":                                       "✓ ✓ — ✓ own —",
	"GET /v1/supply":                                        "✓ ✓ ✓ ✓ own —",
	"GET /v1/supply/{id}":                                   "✓ ✓ ✓ ✓ own —",
	"POST /v1/supply/{id}/receive":                          "✓ ✓ — ✓ own —",
	"POST /v1/transfers":                                    "✓ ✓ — ✓ own —",
	"GET /v1/settings/fulfillment":                          "✓ ✓ ✓ ✓ ✓ —",
	"PUT /v1/settings/fulfillment":                          "✓ ✓ — — — —",
	"PUT /v1/geo/postal-centroids":                          "✓ ✓ — — — —",
	"POST /v1/inventory/adjustments":                        "✓ ✓ — ✓ own —",
	"PUT /v1/inventory/{sku}/safety-stock":                  "✓ ✓ — ✓ own —",
	"GET /v1/inventory":                                     "✓ ✓ ✓ ✓ own —",
	"GET /v1/inventory/{sku}":                               "✓ ✓ ✓ ✓ own —",
	"GET /v1/inventory/{sku}/ledger":                        "✓ ✓ ✓ ✓ own —",
	"POST /v1/orders":                                       "✓ ✓ — — — own",
	"GET /v1/orders":                                        "✓ ✓ ✓ ✓ own own",
	"GET /v1/orders/{id}":                                   "✓ ✓ ✓ ✓ own own",
	"GET /v1/orders/{id}/events":                            "✓ ✓ ✓ ✓ own own",
	"GET /v1/orders/{id}/timeline":                          "✓ ✓ ✓ — — —",
	"POST /v1/orders/{id}/notes":                            "✓ ✓ ✓ — — —",
	"GET /v1/orders/{id}/notes":                             "✓ ✓ ✓ — — —",
	"GET /v1/search":                                        "✓ ✓ ✓ ✓ own —",
	"GET /v1/customers":                                     "✓ ✓ ✓ — — —",
	"GET /v1/customers/{customer}":                          "✓ ✓ ✓ — — —",
	"POST /v1/customers/{customer}/notes":                   "✓ ✓ ✓ — — —",
	"GET /v1/customers/{customer}/notes":                    "✓ ✓ ✓ — — —",
	"POST /v1/cases":                                        "✓ ✓ ✓ — — —",
	"GET /v1/cases":                                         "✓ ✓ ✓ — — —",
	"GET /v1/cases/{id}":                                    "✓ ✓ ✓ — — —",
	"POST /v1/cases/{id}/messages":                          "✓ ✓ ✓ — — —",
	"PATCH /v1/cases/{id}":                                  "✓ ✓ ✓ — — —",
	"GET /v1/orders/{id}/payloads":                          "✓ ✓ ✓ — — —",
	"GET /v1/events":                                        "✓ ✓ ✓ ✓ own own",
	"GET /v1/orders/{id}/sourcing":                          "✓ ✓ ✓ ✓ own own",
	"POST /v1/sourcing/simulate":                            "✓ ✓ ✓ ✓ ✓ own",
	"GET /v1/orders/{id}/fulfillments":                      "✓ ✓ ✓ ✓ own own",
	"GET /v1/fulfillments/{id}":                             "✓ ✓ ✓ ✓ own —",
	"GET /v1/locations/{code}/fulfillments":                 "✓ ✓ ✓ ✓ own —",
	"GET /v1/locations/{code}/picklist":                     "✓ ✓ ✓ ✓ own —",
	"POST /v1/fulfillments/moves":                           "✓ ✓ — ✓ own —",
	"POST /v1/fulfillments/{id}/pick":                       "✓ ✓ — ✓ own —",
	"POST /v1/fulfillments/{id}/pack":                       "✓ ✓ — ✓ own —",
	"POST /v1/fulfillments/{id}/ship":                       "✓ ✓ — ✓ own —",
	"POST /v1/fulfillments/{id}/deliver":                    "✓ ✓ — ✓ own —",
	"POST /v1/fulfillments/{id}/ready":                      "✓ ✓ — ✓ own —",
	"POST /v1/fulfillments/{id}/pickup":                     "✓ ✓ — ✓ own —",
	"POST /v1/fulfillments/{id}/cancel":                     "✓ ✓ — ✓ own —",
	"POST /v1/fulfillments/{id}/reject":                     "✓ ✓ — ✓ own —",
	"POST /v1/orders/{id}/holds":                            "✓ ✓ ✓ — — —",
	"POST /v1/orders/{id}/release":                          "✓ ✓ ✓ — — —",
	"GET /v1/settings/screening":                            "✓ ✓ ✓ ✓ ✓ —",
	"PUT /v1/settings/screening":                            "✓ ✓ — — — —",
	"GET /v1/settings/store":                                "✓ ✓ ✓ ✓ ✓ —",
	"PUT /v1/settings/store":                                "✓ ✓ — — — —",
	"POST /v1/orders/{id}/cancel":                           "✓ ✓ ✓ — — —",
	"POST /v1/orders/{id}/edits":                            "✓ ✓ ✓ — — —",
	"GET /v1/orders/{id}/edits":                             "✓ ✓ ✓ ✓ own own",
	"POST /v1/orders/{id}/source":                           "✓ ✓ ✓ — — —",
	"POST /v1/orders/{id}/returns":                          "✓ ✓ ✓ — — —",
	"GET /v1/returns":                                       "✓ ✓ ✓ ✓ own —",
	"GET /v1/returns/{id}":                                  "✓ ✓ ✓ ✓ own —",
	"POST /v1/returns/{id}/approve":                         "✓ ✓ ✓ — — —",
	"POST /v1/returns/{id}/reject":                          "✓ ✓ ✓ — — —",
	"POST /v1/returns/{id}/receive":                         "✓ ✓ — ✓ own —",
	"POST /v1/returns/{id}/close":                           "✓ ✓ ✓ — — —",
	"POST /v1/orders/{id}/refunds":                          "✓ ✓ ✓ — — —",
	"GET /v1/orders/{id}/refunds":                           "✓ ✓ ✓ ✓ own —",
	"GET /v1/settings/returns":                              "✓ ✓ ✓ ✓ ✓ —",
	"PUT /v1/settings/returns":                              "✓ ✓ — — — —",
	"POST /v1/orders/{id}/return-link":                      "✓ ✓ ✓ — — —",
	"GET /v1/return-portal/{token}":                         "✓ ✓ ✓ ✓ ✓ ✓",
	"POST /v1/return-portal/{token}/returns":                "✓ ✓ ✓ ✓ ✓ ✓",
	"POST /v1/fx-rates":                                     "✓ ✓ — — — —",
	"GET /v1/fx-rates":                                      "✓ ✓ ✓ ✓ ✓ —",
	"GET /v1/fx-rates/convert":                              "✓ ✓ ✓ ✓ ✓ —",
	"GET /v1/settings/currency":                             "✓ ✓ ✓ ✓ ✓ —",
	"PUT /v1/settings/currency":                             "✓ ✓ — — — —",
	"GET /v1/tax-rules":                                     "✓ ✓ ✓ ✓ ✓ —",
	"GET /v1/tax-rules/{key}":                               "✓ ✓ ✓ ✓ ✓ —",
	"PUT /v1/tax-rules/{key}":                               "✓ ✓ — — — —",
	"DELETE /v1/tax-rules/{key}":                            "✓ ✓ — — — —",
	"GET /v1/admin/check":                                   "✓ — — — — —",
	"POST /v1/api-keys":                                     "✓ — — — — —",
	"GET /v1/api-keys":                                      "✓ — — — — —",
	"DELETE /v1/api-keys/{id}":                              "✓ — — — — —",
	"POST /v1/api-keys/{id}/rotate":                         "✓ — — — — —",
	"GET /v1/exports/orders":                                "✓ ✓ ✓ ✓ own own",
	"GET /v1/exports/order-lines":                           "✓ ✓ ✓ ✓ own own",
	"GET /v1/exports/inventory":                             "✓ ✓ ✓ ✓ own —",
	"GET /v1/exports/ledger":                                "✓ ✓ ✓ ✓ own —",
	"GET /v1/reports/inventory":                             "✓ ✓ — — — —",
	"GET /v1/reports/turnover":                              "✓ ✓ — — — —",
	"GET /v1/reports/stockouts":                             "✓ ✓ — — — —",
	"GET /v1/reports/sales":                                 "✓ ✓ — — — —",
	"GET /v1/reports/margin":                                "✓ ✓ — — — —",
	"GET /v1/reports/fulfillment":                           "✓ ✓ — — — —",
	"GET /v1/reports/returns":                               "✓ ✓ — — — —",
	"GET /v1/settings/reports":                              "✓ ✓ — — — —",
	"PUT /v1/settings/reports":                              "✓ ✓ — — — —",

	// Webhook endpoints: admin only, as they receive every event they name.
	"POST /v1/webhook-endpoints":                                     "✓ — — — — —",
	"GET /v1/webhook-endpoints":                                      "✓ — — — — —",
	"GET /v1/webhook-endpoints/{id}":                                 "✓ — — — — —",
	"PATCH /v1/webhook-endpoints/{id}":                               "✓ — — — — —",
	"DELETE /v1/webhook-endpoints/{id}":                              "✓ — — — — —",
	"POST /v1/webhook-endpoints/{id}/rotate-secret":                  "✓ — — — — —",
	"GET /v1/webhook-endpoints/{id}/deliveries":                      "✓ — — — — —",
	"POST /v1/webhook-endpoints/{id}/deliveries/{delivery_id}/retry": "✓ — — — — —",
	"POST /v1/webhook-endpoints/{id}/replay":                         "✓ — — — — —",
}

// TestAccessDecisions: the access the route table gives — which the
// README's table shows — is the decision above for every route, and every
// decision is of a route.
func TestAccessDecisions(t *testing.T) {
	seen := map[string]bool{}
	for _, ra := range httpapi.AccessTable(httpapi.NewForTest()) {
		seen[ra.Key()] = true
		want, ok := accessDecisions[ra.Key()]
		if !ok {
			t.Errorf("%s: no access decision: add one to accessDecisions", ra.Key())
			continue
		}
		if got := strings.Join(ra.Cells, " "); got != want {
			t.Errorf("%s: the route table gives %q, the decision is %q", ra.Key(), got, want)
		}
	}
	for k := range accessDecisions {
		if !seen[k] {
			t.Errorf("%s: a decision for a route the table does not have", k)
		}
	}
}

// accessKeys are the harness keys of the columns of the access table.
var accessKeys = []oms.Role{oms.RoleAdmin, oms.RoleManager, oms.RoleAgent, oms.RoleWarehouse, "warehouse@wh1", "channel@web"}

// accessWorld holds, for each thing a path names, the key's own (channel
// web, location wh1 and what is theirs) and another's (b2b, wh2).
type accessWorld struct {
	own, other map[string]string // by path prefix and wildcard, such as "/v1/orders/{id}"
	orders     int               // external ids placed so far
}

// fill puts the own or other values into the path's wildcards.
func (w *accessWorld) fill(path string, own bool) string {
	vals := w.other
	if own {
		vals = w.own
	}
	for prefix, v := range w.own {
		if !strings.Contains(path, prefix) {
			continue
		}
		if !own && vals[prefix] != "" {
			v = vals[prefix]
		}
		wildcard := prefix[strings.LastIndex(prefix, "{"):]
		path = strings.Replace(path, prefix, strings.Replace(prefix, wildcard, v, 1), 1)
	}
	return path
}

// body is what the access matrix sends to the route: the key's own
// channel or location, or another's, where the body names one; else an
// empty object, which a route refuses as invalid only after the key's
// access is checked.
func (w *accessWorld) body(method, path string, own bool) any {
	ch, loc, from, to, sku := "web", "wh1", "wh1", "wh2", "mug"
	if !own {
		ch, loc, from, to, sku = "b2b", "wh2", "wh2", "wh1", "cup"
	}
	switch method + " " + path {
	case "POST /v1/orders", "POST /v1/sourcing/simulate":
		w.orders++
		return strings.Replace(strings.Replace(orderBody(fmt.Sprint("M-", w.orders), 1), `"web"`, `"`+ch+`"`, 1),
			`"sku":"mug"`, `"sku":"`+sku+`"`, 1)
	case "POST /v1/inventory/adjustments":
		return fmt.Sprintf(`{"sku":%q,"location":%q,"delta":1,"reason":"receive"}`, sku, loc)
	case "PUT /v1/inventory/{sku}/safety-stock":
		return fmt.Sprintf(`{"location":%q,"safety_stock":0}`, loc)
	case "POST /v1/supply":
		return fmt.Sprintf(`{"sku":%q,"location":%q,"kind":"purchase_order","quantity":5,"eta":"2030-01-01T00:00:00Z"}`, sku, loc)
	case "POST /v1/transfers":
		return fmt.Sprintf(`{"sku":%q,"from":%q,"to":%q,"quantity":1,"eta":"2030-01-01T00:00:00Z"}`, sku, from, to)
	case "POST /v1/fulfillments/moves":
		return fmt.Sprintf(`{"moves":[{"fulfillment_id":%q,"status":"picking"}]}`, w.fill("{fid}", own))
	}
	if method == http.MethodGet || method == http.MethodDelete {
		return nil
	}
	return "{}"
}

// bodyScoped says what field a route's body names that must be the key's
// own: a write naming another's is forbidden, naming it.
var bodyScoped = map[string]string{
	"POST /v1/orders": "channel", "POST /v1/sourcing/simulate": "channel", "POST /v1/inventory/adjustments": "location", "PUT /v1/inventory/{sku}/safety-stock": "location",
	"POST /v1/supply": "location", "POST /v1/transfers": "from",
}

// setupAccessWorld makes the world of the access matrix: channels web and
// b2b, locations wh1 and wh2, each channel's order shipped and returned and
// another open, supply at each location, a case, a mapping, a tax rule and
// a return link; and the bound keys.
func setupAccessWorld(h *harness) *accessWorld {
	h.t.Helper()
	m := oms.RoleManager
	h.mustCall("PUT", "/v1/channels/web", m, `{"name":"Web","kind":"web","currency":"USD","backorder_policy":"reject"}`, 201)
	h.mustCall("PUT", "/v1/channels/b2b", m, `{"name":"B2B","kind":"api","currency":"USD","backorder_policy":"backorder"}`, 201)
	for i, code := range []string{"wh1", "wh2"} {
		h.mustCall("PUT", "/v1/locations/"+code, m, fmt.Sprintf(`{"name":%q,"kind":"warehouse","can_ship":true,"priority":%d,
			"address":{"line1":"1 Dock Rd","city":"Newark","region":"NJ","postal_code":"07102","country":"US"}}`, code, i+1), 201)
	}
	h.mustCall("PUT", "/v1/items/mug", m, `{"name":"Mug","unit_cost":450,"currency":"USD"}`, 201)
	h.mustCall("PUT", "/v1/items/cup", m, `{"name":"Cup","unit_cost":300,"currency":"USD"}`, 201)
	h.mustCall("POST", "/v1/inventory/adjustments", m, `{"sku":"mug","location":"wh1","delta":50,"reason":"receive"}`, 201)
	h.mustCall("POST", "/v1/inventory/adjustments", m, `{"sku":"cup","location":"wh2","delta":50,"reason":"receive"}`, 201)
	place := func(ch, sku, ext string) string {
		var o oms.Order
		body := strings.Replace(strings.Replace(orderBody(ext, 1), `"web"`, `"`+ch+`"`, 1), `"sku":"mug"`, `"sku":"`+sku+`"`, 1)
		h.mustCall("POST", "/v1/orders", m, body, 201).json(h.t, &o)
		return o.Number
	}
	ret := func(order string) string {
		h.shipAll(order)
		var r oms.Return
		h.mustCall("POST", "/v1/orders/"+order+"/returns", oms.RoleAgent,
			`{"lines":[{"line_id":"`+order+`-1","quantity":1,"reason":"damaged","condition":"damaged"}]}`, 201).json(h.t, &r)
		return r.ID
	}
	ownShipped, otherShipped := place("web", "mug", "W-1"), place("b2b", "cup", "B-1")
	ownReturn, otherReturn := ret(ownShipped), ret(otherShipped)
	own, other := place("web", "mug", "W-2"), place("b2b", "cup", "B-2")
	var s1, s2 oms.Supply
	h.mustCall("POST", "/v1/supply", m, `{"sku":"mug","location":"wh1","kind":"purchase_order","quantity":5,"eta":"2030-01-01T00:00:00Z"}`, 201).json(h.t, &s1)
	h.mustCall("POST", "/v1/supply", m, `{"sku":"cup","location":"wh2","kind":"purchase_order","quantity":5,"eta":"2030-01-01T00:00:00Z"}`, 201).json(h.t, &s2)
	var c oms.Case
	h.mustCall("POST", "/v1/cases", oms.RoleAgent, `{"customer":"ann@example.com","order":"`+own+`","subject":"Where is it?",
		"message":"Hi","from_customer":true}`, 201).json(h.t, &c)
	h.mustCall("PUT", "/v1/channels/web/sku-mappings/L1", m, `{"sku":"mug"}`, 200)
	h.mustCall("PUT", "/v1/channels/b2b/sku-mappings/L1", m, `{"sku":"cup"}`, 200)
	h.mustCall("PUT", "/v1/tax-rules/US-CA", m, `{"rate":"0.0725","name":"Sales tax"}`, 201)
	var link struct {
		Token string `json:"token"`
	}
	h.mustCall("POST", "/v1/orders/"+ownShipped+"/return-link", oms.RoleAgent, `{}`, 201).json(h.t, &link)

	h.keys["warehouse@wh1"] = h.bind("store clerk", oms.RoleWarehouse, oms.KeyScope{Locations: []string{"wh1"}})
	h.keys["channel@web"] = h.bind("web shop", oms.RoleChannel, oms.KeyScope{Channels: []string{"web"}})
	return &accessWorld{
		own: map[string]string{
			"/v1/orders/{id}": own, "/v1/fulfillments/{id}": own + "-F1", "{fid}": own + "-F1", "/v1/returns/{id}": ownReturn,
			"/v1/supply/{id}": fmt.Sprint(s1.ID), "/v1/channels/{code}": "web", "/v1/webhooks/{code}": "web",
			"/v1/locations/{code}": "wh1", "/v1/cases/{id}": c.ID, "{sku}": "mug", "{listing_sku}": "L1",
			"{customer}": "ann@example.com", "{key}": "US-CA", "{token}": link.Token},
		other: map[string]string{
			"/v1/orders/{id}": other, "/v1/fulfillments/{id}": other + "-F1", "{fid}": other + "-F1", "/v1/returns/{id}": otherReturn,
			"/v1/supply/{id}": fmt.Sprint(s2.ID), "/v1/channels/{code}": "b2b", "/v1/locations/{code}": "wh2"},
	}
}

// TestAccessMatrix sends every route's request with every kind of key and
// checks the answer against accessDecisions: a forbidden one is 403; an
// allowed one is neither 401 nor 403 (nor 404, for a bound key on its own
// things); and where a bound key may use a route on its own things only,
// the same request on another's is not found (404) — or, where it writes
// into another's channel or location, forbidden (403) naming the field.
// Without a key every route that needs one is 401.
func TestAccessMatrix(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		h := setup(t, e)
		w := setupAccessWorld(h)
		order := []int{5, 4, 3, 2, 1, 0} // bound keys first: what others do may not take their own things away
		for _, ra := range httpapi.AccessTable(httpapi.NewForTest()) {
			cells := strings.Fields(accessDecisions[ra.Key()])
			if len(cells) != len(accessKeys) {
				t.Errorf("%s: no decision", ra.Key())
				continue
			}
			path := w.fill(ra.Path, true)
			if ra.Perm == "" {
				// Public: the key makes no difference.
				want := h.call(ra.Method, path, "", w.body(ra.Method, ra.Path, true)).status
				for _, i := range order {
					if r := h.call(ra.Method, path, accessKeys[i], w.body(ra.Method, ra.Path, true)); r.status != want {
						t.Errorf("%s as %s: status %d, without a key %d", ra.Key(), accessKeys[i], r.status, want)
					}
				}
				continue
			}
			if r := h.call(ra.Method, path, "", w.body(ra.Method, ra.Path, true)); r.status != http.StatusUnauthorized {
				t.Errorf("%s without a key: status %d, want 401", ra.Key(), r.status)
			}
			for _, i := range order {
				key, bound := accessKeys[i], i >= 4
				r := h.call(ra.Method, path, key, w.body(ra.Method, ra.Path, true))
				switch {
				case cells[i] == httpapi.Forbidden:
					if r.status != http.StatusForbidden || r.problem(t).Code != oms.EFORBIDDEN {
						t.Errorf("%s as %s: status %d, want 403: %s", ra.Key(), key, r.status, r.body)
					}
					continue
				case r.status == http.StatusUnauthorized || r.status == http.StatusForbidden ||
					bound && cells[i] == httpapi.Own && r.status == http.StatusNotFound:
					t.Errorf("%s as %s on its own: status %d, want it allowed: %s", ra.Key(), key, r.status, r.body)
				}
				if cells[i] != httpapi.Own {
					continue
				}
				checkOther(t, h, w, ra, key)
			}
		}
	})
}

// checkOther sends a bound key's request for another's things: a path
// naming another's object is not found, or forbidden naming the channel or
// location a write names; a body naming another's channel or location is
// forbidden naming the field. Lists hold the key's own only, which the
// scope tests check.
func checkOther(t *testing.T, h *harness, w *accessWorld, ra httpapi.RouteAccess, key oms.Role) {
	t.Helper()
	path := w.fill(ra.Path, false)
	field, byBody := bodyScoped[ra.Key()]
	if path == w.fill(ra.Path, true) && !byBody {
		return
	}
	r := h.call(ra.Method, path, key, w.body(ra.Method, ra.Path, !byBody))
	if byBody {
		r = h.call(ra.Method, path, key, w.body(ra.Method, ra.Path, false))
	}
	want, wantField := http.StatusNotFound, ""
	switch {
	case byBody:
		want, wantField = http.StatusForbidden, field
	case ra.Method != http.MethodGet && strings.HasPrefix(ra.Path, "/v1/channels/{code}"):
		want, wantField = http.StatusForbidden, "channel"
	case ra.Method != http.MethodGet && strings.HasPrefix(ra.Path, "/v1/locations/{code}/"):
		want, wantField = http.StatusForbidden, "location"
	}
	if r.status != want {
		t.Errorf("%s as %s on another's (%s): status %d, want %d: %s", ra.Key(), key, path, r.status, want, r.body)
		return
	}
	if p := r.problem(t); wantField != "" && !slices.ContainsFunc(p.Errors, func(f oms.FieldError) bool { return f.Field == wantField }) {
		t.Errorf("%s as %s on another's: the problem does not name %s: %s", ra.Key(), key, wantField, r.body)
	}
}
