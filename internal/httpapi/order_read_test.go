package httpapi_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/store/storetest"
)

// readCase is an order built through the API to be in one state.
type readCase struct {
	name   string
	status oms.Status
	hold   string // for an order on hold: the type or the start of the reason of one of its holds
	order  oms.Order
}

// TestEveryOrderOpens: whatever state an order is in — waiting for stock,
// allocated, partly or fully shipped, delivered, at the counter, picked up,
// cancelled, or held for any reason, a SKU oms does not know among them —
// every read route of it answers, by id and by number, and the list and
// the search box find it. An order always has a sourcing decision (an empty
// one when a marketplace fulfils it), so no route here may answer 404.
func TestEveryOrderOpens(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		h := setup(t, e)
		h.seed()
		cases := h.ordersInEveryState()
		routes := []string{"", "/events", "/timeline", "/notes", "/payloads", "/sourcing", "/fulfillments", "/edits", "/refunds"}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				h := &harness{t: t, db: h.db, srv: h.srv, keys: h.keys}
				o := c.order
				var got oms.Order
				h.mustCall("GET", "/v1/orders/"+o.ID, oms.RoleAgent, nil, 200).json(t, &got)
				if got.Status != c.status {
					t.Fatalf("status %s, want %s", got.Status, c.status)
				}
				if c.hold != "" && !slices.ContainsFunc(got.Holds, func(h oms.Hold) bool { return string(h.Type) == c.hold || strings.HasPrefix(h.Reason, c.hold) }) {
					t.Errorf("holds %+v, want one for %q", got.Holds, c.hold)
				}
				for _, ref := range []string{o.ID, o.Number} {
					for _, r := range routes {
						h.mustCall("GET", "/v1/orders/"+ref+r, oms.RoleAgent, nil, 200)
					}
				}
				var fs struct{ Fulfillments []oms.Fulfillment }
				h.mustCall("GET", "/v1/orders/"+o.Number+"/fulfillments", oms.RoleAgent, nil, 200).json(t, &fs)
				for _, f := range fs.Fulfillments {
					h.mustCall("GET", "/v1/fulfillments/"+f.ID, oms.RoleWarehouse, nil, 200)
				}
				for _, path := range []string{"/v1/orders?q=" + o.Number, "/v1/orders?expand=lines&q=" + o.Number, "/v1/search?q=" + o.Number} {
					if r := h.mustCall("GET", path, oms.RoleAgent, nil, 200); !strings.Contains(string(r.body), `"`+o.ID+`"`) {
						t.Errorf("%s does not find the order: %s", path, r.body)
					}
				}
			})
		}
	})
}

// ordersInEveryState builds, on the seeded harness, an order in every
// status and one held for every reason oms holds orders for.
func (h *harness) ordersInEveryState() []readCase {
	h.t.Helper()
	h.mustCall("POST", "/v1/inventory/adjustments", oms.RoleWarehouse, `{"sku":"mug","location":"wh1","delta":95,"reason":"receive"}`, 201)
	h.mustCall("POST", "/v1/inventory/adjustments", oms.RoleWarehouse, `{"sku":"mug","location":"shop","delta":10,"reason":"receive"}`, 201)
	h.mustCall("PUT", "/v1/items/rare", oms.RoleManager, `{"name":"Rare","currency":"USD"}`, 201)
	h.mustCall("PUT", "/v1/channels/sheet", oms.RoleManager, `{"name":"Sheet","kind":"csv","currency":"USD","backorder_policy":"backorder"}`, 201)
	h.mustCall("PUT", "/v1/channels/shopify", oms.RoleManager,
		`{"name":"Shopify","kind":"shopify","currency":"GBP","backorder_policy":"reject","webhook_secret":"s3cret-shopify"}`, 201)

	boston := `{"line1":"2 Elm St","city":"Boston","region":"MA","postal_code":"02108","country":"US"}`
	placeTo := func(shipTo, channel, ext, lines, extra string) oms.Order {
		var o oms.Order
		h.mustCall("POST", "/v1/orders", oms.RoleChannel, fmt.Sprintf(`{"channel":%q,"external_id":%q,"currency":"USD",
			"customer":{"email":"ann@example.com","name":"Ann Lee"},"ship_to":%s,
			"lines":%s,"shipping_price":500%s}`, channel, ext, shipTo, lines, extra), 201).json(h.t, &o)
		return o
	}
	place := func(channel, ext, lines, extra string) oms.Order { return placeTo(boston, channel, ext, lines, extra) }
	mug := `[{"sku":"mug","quantity":1,"unit_price":1250}]`
	pickup := `,"pickup_location":"shop"`
	move := func(o oms.Order, steps ...string) oms.Order {
		for _, s := range steps {
			body := ""
			if s == "ship" {
				body = `{"carrier":"UPS","tracking_number":"1Z` + o.Number + `"}`
			}
			h.mustCall("POST", "/v1/fulfillments/"+o.Number+"-F1/"+s, oms.RoleWarehouse, body, 200)
		}
		return o
	}
	hold := func(o oms.Order, typ string) oms.Order {
		h.mustCall("POST", "/v1/orders/"+o.Number+"/holds", oms.RoleAgent, `{"type":"`+typ+`","reason":"agent's `+typ+` hold"}`, 200)
		return o
	}
	cases := []readCase{
		{name: "backordered", status: oms.StatusBackordered, order: place("b2b", "R-wait", `[{"sku":"rare","quantity":2,"unit_price":900}]`, "")},
		{name: "allocated", status: oms.StatusAllocated, order: place("web", "R-alloc", mug, "")},
		{name: "partially shipped", status: oms.StatusPartiallyShipped,
			order: move(place("b2b", "R-part", `[{"sku":"mug","quantity":1,"unit_price":1250},{"sku":"rare","quantity":1,"unit_price":900}]`, ""), "ship")},
		{name: "shipped", status: oms.StatusShipped, order: move(place("web", "R-ship", mug, ""), "ship")},
		{name: "delivered", status: oms.StatusDelivered, order: move(place("web", "R-deliv", mug, ""), "ship", "deliver")},
		{name: "ready for pickup", status: oms.StatusReadyForPickup, order: move(place("web", "R-ready", mug, pickup), "ready")},
		{name: "picked up", status: oms.StatusDelivered, order: move(place("web", "R-picked", mug, pickup), "ready", "pickup")},
		{name: "waiting for pickup stock", status: oms.StatusBackordered,
			order: place("b2b", "R-pwait", `[{"sku":"rare","quantity":1,"unit_price":900}]`, pickup)},
	}
	cancelled := place("web", "R-cancel", mug, "")
	h.mustCall("POST", "/v1/orders/"+cancelled.Number+"/cancel", oms.RoleAgent, nil, 200)
	cases = append(cases, readCase{name: "cancelled", status: oms.StatusCancelled, order: cancelled})
	rejected := place("b2b", "R-reject", `[{"sku":"mug","quantity":1,"unit_price":1250}]`, "")
	h.mustCall("POST", "/v1/fulfillments/"+rejected.Number+"-F1/reject", oms.RoleWarehouse, `{"reason":"not on the shelf"}`, 200)
	cases = append(cases, readCase{name: "rejected and waiting", status: oms.StatusBackordered, order: rejected})
	refunded := move(place("web", "R-refund", mug, ""), "ship")
	h.mustCall("POST", "/v1/orders/"+refunded.Number+"/refunds", oms.RoleManager, `{"kind":"appeasement","amount":300,"reason":"late"}`, 201)
	h.mustCall("POST", "/v1/orders/"+refunded.Number+"/returns", oms.RoleAgent,
		`{"lines":[{"line_id":"`+refunded.Lines[0].ID+`","quantity":1,"reason":"damaged"}]}`, 201)
	cases = append(cases, readCase{name: "refunded and returning", status: oms.StatusShipped, order: refunded})
	edited := place("b2b", "R-edit", mug, "")
	h.edit(edited.ID, fmt.Sprintf(`"%d"`, edited.Version), `[{"op":"set_quantity","line_id":"`+edited.Lines[0].ID+`","quantity":3}]`, 200)
	cases = append(cases, readCase{name: "edited", status: oms.StatusAllocated, order: edited})

	for _, typ := range oms.HoldTypes {
		cases = append(cases, readCase{name: "held by an agent: " + string(typ), status: oms.StatusOnHold, hold: "agent's " + string(typ),
			order: hold(place("web", "R-hold-"+string(typ), mug, ""), string(typ))})
	}
	cases = append(cases, readCase{name: "held while waiting for stock", status: oms.StatusOnHold, hold: "agent's manual",
		order: hold(place("b2b", "R-hold-wait", `[{"sku":"rare","quantity":1,"unit_price":900}]`, ""), "manual")})

	// Screening holds, then the rules off again.
	h.mustCall("PUT", "/v1/settings/screening", oms.RoleManager, `{"max_total":{"USD":5000},"billing_must_match":false,
		"max_orders_per_email":0,"max_orders_per_address":0,"window_minutes":0,"check_address":true}`, 200)
	cases = append(cases,
		readCase{name: "held by screening: total", status: oms.StatusOnHold, hold: "total",
			order: place("web", "R-screen-total", `[{"sku":"mug","quantity":5,"unit_price":1250}]`, "")},
		readCase{name: "held by screening: address", status: oms.StatusOnHold, hold: string(oms.HoldAddress),
			order: placeTo(`{"line1":"2 Elm St","city":"Boston","postal_code":"ABCDE","country":"US"}`, "web", "R-screen-addr", mug, "")})
	h.mustCall("PUT", "/v1/settings/screening", oms.RoleManager, screeningOff, 200)

	// A SKU oms does not know, through a CSV channel and a signed Shopify
	// webhook.
	var o oms.Order
	csv := "order_id,placed_at,currency,email,sku,quantity,unit_price,shipping,ship_line1,ship_city,ship_country\n" +
		"C-1,2026-11-20T09:30:00Z,USD,ann@example.com,HAT-XL,1,12.50,5.00,1 Main St,Springfield,US\n" +
		"C-1,,,,mug,1,12.50,,,,\n"
	h.mustCall("POST", "/v1/channels/sheet/orders", oms.RoleChannel, csv, 201).json(h.t, &o)
	cases = append(cases, readCase{name: "unknown SKU from a CSV channel", status: oms.StatusOnHold, hold: "unknown_sku", order: o})
	body := fixture(h.t, "shopify_order.json")
	if r := h.call("POST", "/v1/webhooks/shopify", "", body, "X-Shopify-Hmac-Sha256", sign("s3cret-shopify", body)); r.status != 201 {
		h.t.Fatalf("webhook: %d %s", r.status, r.body)
	}
	var page orderList
	h.mustCall("GET", "/v1/orders?channel=shopify", oms.RoleAgent, nil, 200).json(h.t, &page)
	if len(page.Orders) != 1 {
		h.t.Fatalf("the webhook's order: %+v", page.Orders)
	}
	o = oms.Order{ID: page.Orders[0].ID, Number: page.Orders[0].Number}
	cases = append(cases, readCase{name: "unknown SKU from a Shopify webhook", status: oms.StatusOnHold, hold: "unknown_sku", order: o})
	return cases
}

// orderList is the body of GET /v1/orders, as far as these tests read it.
type orderList struct {
	Orders []struct {
		ID     string     `json:"id"`
		Number string     `json:"number"`
		Status oms.Status `json:"status"`
	} `json:"orders"`
}

// TestOrderAnswersMatchRead: every answer of a change that returns an
// order shows the order as GET /v1/orders/{id} does, promised dates
// included; placement's answer leaves them out.
func TestOrderAnswersMatchRead(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		h := setup(t, e)
		h.seed() // 5 mugs at wh1
		h.mustCall("POST", "/v1/supply", oms.RoleWarehouse,
			`{"sku":"mug","location":"wh1","kind":"purchase_order","quantity":10,"eta":"2030-01-15T00:00:00Z"}`, 201)
		r := h.mustCall("POST", "/v1/orders", oms.RoleManager, strings.Replace(orderBody("B-1", 8), `"web"`, `"b2b"`, 1), 201)
		var o oms.Order
		r.json(t, &o)
		path := "/v1/orders/" + o.ID
		same := func(what string, r response) {
			t.Helper()
			got := h.mustCall("GET", path, oms.RoleManager, nil, 200)
			if a, b := strings.TrimSpace(string(r.body)), strings.TrimSpace(string(got.body)); a != b || r.header.Get("ETag") != got.header.Get("ETag") {
				i := 0
				for i < min(len(a), len(b)) && a[i] == b[i] {
					i++
				}
				from := max(i-80, 0)
				t.Errorf("%s answered …%s\nGET answers …%s", what, a[from:min(i+80, len(a))], b[from:min(i+80, len(b))])
			}
			if !strings.Contains(string(r.body), `"promised_date":"2030-01-15`) {
				t.Errorf("%s: no promised date in %s", what, r.body)
			}
		}
		if strings.Contains(string(r.body), `"promised_date"`) {
			t.Errorf("placement answered promised dates: %s", r.body)
		}
		same("hold", h.mustCall("POST", path+"/holds", oms.RoleManager, `{"type":"manual","reason":"check"}`, 200))
		same("release", h.mustCall("POST", path+"/release", oms.RoleManager, nil, 200))
		same("cancel", h.mustCall("POST", path+"/cancel", oms.RoleManager, `{"lines":[{"line_id":"`+o.Number+`-1","quantity":1}]}`, 200))
		same("source", h.mustCall("POST", path+"/source", oms.RoleManager, nil, 200))
		var a struct {
			Order json.RawMessage `json:"order"`
		}
		r = h.edit(o.ID, `"5"`, `[{"op":"set_quantity","line_id":"`+o.Number+`-1","quantity":9}]`, 200)
		r.json(t, &a)
		r.body = a.Order
		same("edit", r)
	})
}
