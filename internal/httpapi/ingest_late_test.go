package httpapi_test

import (
	"encoding/csv"
	"encoding/json"
	"maps"
	"net/url"
	"strings"
	"testing"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/channel/amazon"
	"github.com/omshq/oms/internal/store/storetest"
)

// webhookReply is a webhook's answer.
type webhookReply struct {
	Outcome string `json:"outcome"`
	OrderID string `json:"order_id"`
	Detail  string `json:"detail"`
}

// TestWebhookDeliveries: a repeat of a webhook delivery (the same delivery
// id) is answered duplicate and writes nothing, whatever body it carries;
// under a new id, a payload byte for byte like one kept is a duplicate and
// an older version stale, and neither stores a payload or an event. A
// delivery id oms cannot keep is a 400 naming its header.
func TestWebhookDeliveries(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		h := setup(t, e)
		h.seedChannels()
		deliver := func(body []byte, id string) (response, webhookReply) {
			t.Helper()
			r := h.call("POST", "/v1/webhooks/shop", "", body, "X-Shopify-Hmac-Sha256", sign("s3cret-shop", body),
				"X-Shopify-Topic", "orders/updated", "X-Shopify-Webhook-Id", id)
			var a webhookReply
			if r.status < 300 {
				r.json(t, &a)
				if got := r.header.Get("OMS-Ingest-Outcome"); got != a.Outcome {
					t.Errorf("delivery %s: header OMS-Ingest-Outcome %q, answer %q", id, got, a.Outcome)
				}
			}
			return r, a
		}
		written := func(orderID string) (map[string]int64, int) {
			t.Helper()
			counts, err := h.db.Counts(ctx)
			if err != nil {
				t.Fatal(err)
			}
			var ps struct{ Payloads []oms.Payload }
			h.mustCall("GET", "/v1/orders/"+orderID+"/payloads", oms.RoleAgent, nil, 200).json(t, &ps)
			return counts, len(ps.Payloads)
		}
		v1 := fixture(t, "shopify_order.json")
		older := mutate(t, v1, func(m map[string]any) {
			m["updated_at"], m["note"] = "2025-11-14T09:00:00+01:00", "Ring twice."
		})
		v2 := mutate(t, v1, func(m map[string]any) {
			m["updated_at"] = "2025-11-14T12:00:00+01:00"
			m["shipping_address"].(map[string]any)["city"] = "Cambridge"
		})

		r, a := deliver(v1, "0b1f6cc0-5c5a-4b6e-9a55-1d2a3f4e5d60")
		if r.status != 201 || a.Outcome != "created" || a.OrderID == "" {
			t.Fatalf("first delivery: %d %s", r.status, r.body)
		}
		order := a.OrderID
		counts, payloads := written(order)
		// Shopify retries the delivery: answered without being read, so even
		// another body under its id (the header is not signed) writes nothing.
		for _, body := range [][]byte{v1, older, v2} {
			r, a = deliver(body, "0b1f6cc0-5c5a-4b6e-9a55-1d2a3f4e5d60")
			if r.status != 200 || a.Outcome != "duplicate" || a.OrderID != order {
				t.Errorf("repeated delivery: %d %s", r.status, r.body)
			}
		}
		if c, p := written(order); !maps.Equal(c, counts) || p != payloads {
			t.Errorf("repeated deliveries wrote: %v → %v, %d → %d payloads", counts, c, payloads, p)
		}
		// A newer version is a new delivery: applied and kept.
		if r, a = deliver(v2, "5e0c7a7e-0f0e-4d7e-8f3a-b0c9d8e7f6a1"); r.status != 200 || a.Outcome != "updated" {
			t.Fatalf("newer version: %d %s", r.status, r.body)
		}
		counts, payloads = written(order)
		if payloads != 2 {
			t.Errorf("%d payloads after the newer version, want 2", payloads)
		}
		// Old signed bodies replayed under new ids: the first version byte for
		// byte is a duplicate, an older version stale; neither writes.
		for _, c := range []struct {
			body    []byte
			id, out string
		}{{v1, "replay-1", "duplicate"}, {older, "replay-2", "stale"}, {v1, "replay-3", "duplicate"}, {older, "replay-4", "stale"}} {
			if r, a = deliver(c.body, c.id); r.status != 200 || a.Outcome != c.out || a.OrderID != order {
				t.Errorf("%s: %d %s, want %s", c.id, r.status, r.body, c.out)
			}
		}
		if c, p := written(order); !maps.Equal(c, counts) || p != payloads {
			t.Errorf("replayed deliveries wrote: %v → %v, %d → %d payloads", counts, c, payloads, p)
		}
		// Changing nothing, they did not even record their ids: a replay is
		// read again (and changes nothing again); a delivery that changed
		// the order is known by its id.
		if _, a = deliver(older, "replay-2"); a.Outcome != "stale" || a.Detail != "" {
			t.Errorf("replay-2 again: %+v", a)
		}
		if _, a = deliver(older, "5e0c7a7e-0f0e-4d7e-8f3a-b0c9d8e7f6a1"); a.Outcome != "duplicate" || !strings.Contains(a.Detail, "received before") {
			t.Errorf("the newer version's delivery id with another body: %+v", a)
		}
		var o oms.Order
		h.mustCall("GET", "/v1/orders/"+order, oms.RoleAgent, nil, 200).json(t, &o)
		if o.ShipTo == nil || o.ShipTo.City != "Cambridge" || o.Version != 2 {
			t.Errorf("after the replays: ship-to %+v, version %d", o.ShipTo, o.Version)
		}

		// WooCommerce names its deliveries in X-WC-Webhook-Delivery-ID.
		woo := fixture(t, "woocommerce_order.json")
		for i, want := range []int{201, 200} {
			r := h.call("POST", "/v1/webhooks/woo", "", woo, "X-WC-Webhook-Signature", sign("s3cret-woo", woo),
				"X-WC-Webhook-Topic", "order.created", "X-WC-Webhook-Delivery-ID", "81f2d0b4c3a5e6f7a8b9c0d1e2f3a4b5")
			if r.status != want || (i == 1) != (r.header.Get("OMS-Ingest-Outcome") == "duplicate") {
				t.Errorf("woo delivery %d: %d %q %s", i, r.status, r.header.Get("OMS-Ingest-Outcome"), r.body)
			}
		}

		// A delivery id oms cannot keep refuses the delivery, which writes nothing.
		other := mutate(t, v1, func(m map[string]any) { m["id"] = json.Number("6104827391299") })
		for _, id := range []string{strings.Repeat("x", 256), "d 1"} {
			r, _ = deliver(other, id)
			if r.status != 400 || !names(r.problem(t), "X-Shopify-Webhook-Id") {
				t.Errorf("delivery id %q: %d %s", id, r.status, r.body)
			}
		}
		if r := h.call("GET", "/v1/orders?channel=shop", oms.RoleAgent, nil); !strings.Contains(string(r.body), order) ||
			strings.Contains(string(r.body), "6104827391299") {
			t.Errorf("orders after refused deliveries: %s", r.body)
		}
	})
}

// amazonCancelled is the fixture's DE order as Amazon answers once it has
// cancelled it: status Canceled, no OrderTotal, address or buyer, and every
// item's QuantityOrdered zeroed, its amounts gone.
func amazonCancelled(t testing.TB) []byte {
	t.Helper()
	orders, err := amazon.Orders(fixture(t, "amazon_orders.json"))
	if err != nil {
		t.Fatal(err)
	}
	_, items, err := amazon.Items(fixture(t, "amazon_order_items.json"))
	if err != nil {
		t.Fatal(err)
	}
	order := mutate(t, orders[0], func(m map[string]any) {
		m["AmazonOrderId"], m["SellerOrderId"] = "028-7712093-4461130", "028-7712093-4461130"
		m["OrderStatus"], m["LastUpdateDate"], m["NumberOfItemsUnshipped"] = "Canceled", "2025-11-14T08:02:51Z", 0
		for _, k := range []string{"OrderTotal", "ShippingAddress", "BuyerInfo", "PaymentMethod"} {
			delete(m, k)
		}
	})
	var zeroed []json.RawMessage
	for _, it := range items {
		zeroed = append(zeroed, mutate(t, it, func(m map[string]any) {
			m["QuantityOrdered"] = 0
			for _, k := range []string{"ItemPrice", "ItemTax", "ShippingPrice", "ShippingTax", "ShippingDiscount",
				"ShippingDiscountTax", "PromotionDiscount", "PromotionDiscountTax", "PromotionIds"} {
				delete(m, k)
			}
		}))
	}
	return amazon.Envelope(order, zeroed)
}

// TestChannelLateOrders: orders oms first sees already cancelled, or
// already shipped by the merchant, on every channel, are recorded as such —
// nothing reserved, no stock moved — instead of refused; one without
// amounts shows them as null, is found by search, and is in no amount of
// the sales report or the export.
func TestChannelLateOrders(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		h := setup(t, e)
		h.seedChannels()
		shopify, woo, ebay := fixture(t, "shopify_order.json"), fixture(t, "woocommerce_order.json"), fixture(t, "ebay_order.json")
		cases := []struct {
			name, channel string
			body          []byte
			status        oms.Status
			unknown       bool
			quantities    []int64
		}{
			{"amazon cancelled", "amzn", amazonCancelled(t), oms.StatusCancelled, true, []int64{0, 0}},
			{"shopify cancelled", "shop", mutate(t, shopify, func(m map[string]any) {
				m["id"] = json.Number("6104827391301")
				m["cancelled_at"], m["cancel_reason"], m["financial_status"] = "2025-11-14T10:05:00+01:00", "customer", "voided"
				m["updated_at"], m["shipping_address"] = "2025-11-14T10:05:01+01:00", nil
				for _, li := range m["line_items"].([]any) {
					li.(map[string]any)["current_quantity"], li.(map[string]any)["fulfillable_quantity"] = 0, 0
				}
			}), oms.StatusCancelled, false, []int64{3, 1}},
			{"woocommerce cancelled", "woo", mutate(t, woo, func(m map[string]any) {
				m["id"], m["status"] = json.Number("10491"), "cancelled"
			}), oms.StatusCancelled, false, []int64{2, 1}},
			{"ebay cancelled", "ebay", mutate(t, ebay, func(m map[string]any) {
				m["orderId"] = "27-13562-80499"
				m["cancelStatus"].(map[string]any)["cancelState"] = "CANCELED"
			}), oms.StatusCancelled, false, []int64{1, 2}},
			{"amazon shipped", "amzn", []byte(strings.Replace(string(amazonEnvelope(t)), `"Unshipped"`, `"Shipped"`, 1)),
				oms.StatusShipped, false, []int64{1, 2}},
			{"shopify fulfilled", "shop", mutate(t, shopify, func(m map[string]any) { m["fulfillment_status"] = "fulfilled" }),
				oms.StatusShipped, false, []int64{3, 1}},
			{"woocommerce completed", "woo", mutate(t, woo, func(m map[string]any) { m["status"] = "completed" }),
				oms.StatusShipped, false, []int64{2, 1}},
			{"ebay fulfilled", "ebay", mutate(t, ebay, func(m map[string]any) { m["orderFulfillmentStatus"] = "FULFILLED" }),
				oms.StatusShipped, false, []int64{1, 2}},
		}
		orders := map[string]oms.Order{}
		for _, c := range cases {
			r := h.call("POST", "/v1/channels/"+c.channel+"/orders", oms.RoleChannel, c.body)
			if r.status != 201 || r.header.Get("OMS-Ingest-Outcome") != "created" {
				t.Errorf("%s: %d %s", c.name, r.status, r.body)
				continue
			}
			var o oms.Order
			r.json(t, &o)
			orders[c.name] = o
			if o.Status != c.status || o.AmountsUnknown != c.unknown || len(o.Allocations) != 0 || len(o.Lines) != len(c.quantities) {
				t.Errorf("%s: %s, amounts unknown %v, allocations %+v, %d lines", c.name, o.Status, o.AmountsUnknown, o.Allocations, len(o.Lines))
				continue
			}
			for i, l := range o.Lines {
				done := l.Cancelled
				if c.status == oms.StatusShipped {
					done = l.Shipped
				}
				if l.Quantity != c.quantities[i] || done != l.Quantity || l.Open+l.Allocated != 0 {
					t.Errorf("%s: line %+v, want %d ordered, all %s", c.name, l, c.quantities[i], c.status)
				}
			}
			var raw map[string]any
			r.json(t, &raw)
			if got, want := raw["total"] == nil, c.unknown; got != want {
				t.Errorf("%s: total %v in %s", c.name, raw["total"], r.body)
			}
			var fs struct{ Fulfillments []oms.Fulfillment }
			h.mustCall("GET", "/v1/orders/"+o.ID+"/fulfillments", oms.RoleAgent, nil, 200).json(t, &fs)
			switch {
			case c.status == oms.StatusCancelled && len(fs.Fulfillments) != 0:
				t.Errorf("%s: fulfillments %+v", c.name, fs.Fulfillments)
			case c.status == oms.StatusShipped && (len(fs.Fulfillments) != 1 || fs.Fulfillments[0].Location != c.channel+"-outside" ||
				fs.Fulfillments[0].Status != oms.FulfillmentShipped):
				t.Errorf("%s: fulfillments %+v", c.name, fs.Fulfillments)
			}
		}
		// Nothing was reserved and no stock moved, at any location.
		for _, sku := range channelSKUs {
			var s oms.Stock
			h.mustCall("GET", "/v1/inventory/"+sku, oms.RoleAgent, nil, 200).json(t, &s)
			if s.OnHand != 10 || s.Reserved != 0 {
				t.Errorf("%s: on hand %d, reserved %d", sku, s.OnHand, s.Reserved)
			}
		}
		// The late orders are new orders once, repeats after.
		h.mustCall("POST", "/v1/channels/amzn/orders", oms.RoleChannel, cases[0].body, 200)

		// The order without amounts: null wherever an amount would be.
		unknown := orders["amazon cancelled"]
		r := h.mustCall("GET", "/v1/orders/"+unknown.ID, oms.RoleAgent, nil, 200)
		for _, frag := range []string{`"amounts_unknown":true`, `"total":null`, `"subtotal":null`, `"unit_price":null`, `"status":"cancelled"`} {
			if !strings.Contains(string(r.body), frag) {
				t.Errorf("the order has no %s: %s", frag, r.body)
			}
		}
		if r := h.mustCall("GET", "/v1/orders?channel=amzn", oms.RoleAgent, nil, 200); !strings.Contains(string(r.body), `"total":null`) {
			t.Errorf("the order list shows an amount: %s", r.body)
		}
		results := h.search("028-7712093-4461130", oms.RoleAgent)
		if len(results) == 0 || results[0].Order == nil || results[0].Order.Number != unknown.Number ||
			results[0].Order.Status != oms.StatusCancelled || !results[0].Order.AmountsUnknown {
			t.Errorf("search: %+v", results)
		}
		if r := h.mustCall("GET", "/v1/search?q="+url.QueryEscape("028-7712093-4461130"), oms.RoleAgent, nil, 200); !strings.Contains(string(r.body), `"total":null`) {
			t.Errorf("search shows an amount: %s", r.body)
		}

		// Sales: the cancelled orders are in orders and units, never in net
		// sales; the one without amounts is in no amount, and a note says so.
		for _, c := range []struct {
			channel                                  string
			orders, units, gross, cancellations, net int64
			note                                     bool
		}{
			{"amzn", 2, 3, 11597, 0, 10697, true},      // shipped 89.99 + 2 × 12.99 less 9.00; cancelled: nothing known
			{"shop", 2, 8, 18400, 8280, 8280, false},   // twice 92.00 less 9.20, one of them cancelled
			{"woo", 2, 6, 22000, 9350, 9350, false},    // twice 110.00 less 16.50
			{"ebay", 2, 6, 31780, 15591, 15591, false}, // twice 158.90 less 2.99
		} {
			var rep struct {
				Rows  []map[string]any
				Notes []string
			}
			h.mustCall("GET", "/v1/reports/sales?from=2025-11-01&to=2025-11-30&period=month&channel="+c.channel, oms.RoleManager, nil, 200).json(t, &rep)
			var row map[string]any
			if len(rep.Rows) == 1 {
				row = rep.Rows[0]
			}
			got := []any{row["orders"], row["units"], row["gross_sales"], row["cancellations"], row["net_sales"]}
			want := []any{float64(c.orders), float64(c.units), float64(c.gross), float64(c.cancellations), float64(c.net)}
			if len(rep.Rows) != 1 || !equalAny(got, want) {
				t.Errorf("sales on %s: %v, want %v", c.channel, got, want)
			}
			noted := strings.Contains(strings.Join(rep.Notes, "\n"), "1 orders were cancelled on their channel before oms saw them")
			if noted != c.note {
				t.Errorf("sales on %s: notes %q", c.channel, rep.Notes)
			}
		}

		// The export leaves the unknown amounts empty, never 0.
		r = h.mustCall("GET", "/v1/exports/orders?channel=amzn", oms.RoleAgent, nil, 200)
		recs, err := csv.NewReader(strings.NewReader(string(r.body))).ReadAll()
		if err != nil || len(recs) != 3 {
			t.Fatalf("export: %v %q", err, r.body)
		}
		for _, rec := range recs[1:] {
			m := map[string]string{}
			for i, col := range recs[0] {
				m[col] = rec[i]
			}
			unknownRow := m["external_id"] == "028-7712093-4461130"
			if (m["total"] == "") != unknownRow || (m["subtotal"] == "") != unknownRow {
				t.Errorf("export row %v", m)
			}
		}
	})
}

func equalAny(a, b []any) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
