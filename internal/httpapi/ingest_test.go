package httpapi_test

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/channel/amazon"
	"github.com/omshq/oms/internal/httpapi"
	"github.com/omshq/oms/internal/store"
	"github.com/omshq/oms/internal/store/storetest"
)

const fixtures = "../../testdata/channels/"

func fixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(fixtures + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// amazonEnvelope is the fixture's DE order with its items, as
// POST /v1/channels/{code}/orders takes it.
func amazonEnvelope(t testing.TB) []byte {
	t.Helper()
	orders, err := amazon.Orders(fixture(t, "amazon_orders.json"))
	if err != nil {
		t.Fatal(err)
	}
	id, items, err := amazon.Items(fixture(t, "amazon_order_items.json"))
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range orders {
		if bytes.Contains(o, []byte(id)) {
			return amazon.Envelope(o, items)
		}
	}
	t.Fatalf("no order %s in the page", id)
	return nil
}

// mutate changes a JSON payload, keeping numbers exactly as written.
func mutate(t testing.TB, body []byte, fn func(m map[string]any)) []byte {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		t.Fatal(err)
	}
	fn(m)
	out, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// channelSKUs are the listing SKUs of the fixtures, which the seed makes
// oms items.
var channelSKUs = []string{"BEANIE-MER-CHR", "SOCK-TRL-2PK-L", "TUQ-MER-NAV", "MIT-DBL-M",
	"KB-MX-DE-QWERTZ", "USB-C-KBL-2M-3ER", "BSH-GSR18-KIT", "DRILL-HSS-19"}

// seedChannels creates a channel of each kind with a fixture, a warehouse,
// and the fixtures' SKUs with 10 units each.
func (h *harness) seedChannels() {
	h.t.Helper()
	for _, c := range []struct{ code, kind, cur string }{
		{"shop", "shopify", "GBP"}, {"woo", "woocommerce", "CAD"}, {"ebay", "ebay", "EUR"}, {"amzn", "amazon", "EUR"}} {
		h.mustCall("PUT", "/v1/channels/"+c.code, oms.RoleManager, fmt.Sprintf(
			`{"name":%q,"kind":%q,"currency":%q,"backorder_policy":"reject","webhook_secret":"s3cret-%s"}`,
			c.code, c.kind, c.cur, c.code), 201)
	}
	h.mustCall("PUT", "/v1/locations/wh1", oms.RoleManager, `{"name":"Warehouse","kind":"warehouse","can_ship":true,"priority":1,
		"address":{"line1":"1 Dock Rd","city":"Leeds","postal_code":"LS1 1AA","country":"GB"}}`, 201)
	for _, sku := range channelSKUs {
		h.mustCall("PUT", "/v1/items/"+sku, oms.RoleManager, `{"name":"Item `+sku+`","currency":"EUR"}`, 201)
		h.mustCall("POST", "/v1/inventory/adjustments", oms.RoleWarehouse,
			`{"sku":"`+sku+`","location":"wh1","delta":10,"reason":"receive","reference":"PO-1"}`, 201)
	}
}

type wantLine struct {
	sku                                  string
	qty, unit, subtotal, discount, taxes int64
}

// TestChannelFixtures imports every channel fixture through the API and
// checks the order against the payload's figures, worked out by hand.
func TestChannelFixtures(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		h := setup(t, e)
		h.seedChannels()
		for _, c := range []struct {
			channel, ext, currency        string
			body                          []byte
			lines                         []wantLine
			subtotal, discount, ship, tax int64
			total                         int64
			included                      bool
		}{
			{"shop", "6104827391234", "GBP", fixture(t, "shopify_order.json"),
				[]wantLine{{"BEANIE-MER-CHR", 3, 2400, 7200, 720, 1080}, {"SOCK-TRL-2PK-L", 1, 2000, 2000, 200, 300}},
				9200, 920, 720, 1500, 9000, true},
			{"woo", "10482", "CAD", fixture(t, "woocommerce_order.json"),
				[]wantLine{{"TUQ-MER-NAV", 2, 3400, 6800, 1020, 866}, {"MIT-DBL-M", 1, 4200, 4200, 630, 535}},
				11000, 1650, 1400, 1611, 12361, false},
			{"amzn", "306-4418273-5529103", "EUR", amazonEnvelope(t),
				[]wantLine{{"KB-MX-DE-QWERTZ", 1, 8999, 8999, 900, 1293}, {"USB-C-KBL-2M-3ER", 2, 1299, 2598, 0, 415}},
				11597, 900, 499, 1788, 11196, true},
			{"ebay", "27-13562-80417", "EUR", fixture(t, "ebay_order.json"),
				[]wantLine{{"BSH-GSR18-KIT", 1, 12900, 12900, 0, 0}, {"DRILL-HSS-19", 2, 1495, 2990, 299, 0}},
				15890, 299, 890, 0, 16481, true},
		} {
			t.Run(c.channel, func(t *testing.T) {
				r := h.mustCall("POST", "/v1/channels/"+c.channel+"/orders", oms.RoleChannel, c.body, 201)
				if got := r.header.Get("OMS-Ingest-Outcome"); got != "created" {
					t.Errorf("outcome %q", got)
				}
				var o oms.Order
				r.json(t, &o)
				if o.ExternalID != c.ext || o.Currency != c.currency || o.Channel != c.channel || o.TaxesIncluded != c.included {
					t.Errorf("order %s %s on %s, taxes included %v", o.ExternalID, o.Currency, o.Channel, o.TaxesIncluded)
				}
				if len(o.Lines) != len(c.lines) {
					t.Fatalf("%d lines, want %d", len(o.Lines), len(c.lines))
				}
				for i, w := range c.lines {
					l := o.Lines[i]
					sub, _ := l.LineSubtotal()
					got := wantLine{l.SKU, l.Quantity, l.UnitPrice, sub, l.Discount, l.Tax}
					if got != w {
						t.Errorf("line %d: %+v, want %+v", i, got, w)
					}
					if l.Allocated != w.qty {
						t.Errorf("line %s: %d allocated, want %d", l.SKU, l.Allocated, w.qty)
					}
				}
				want := oms.Totals{Subtotal: c.subtotal, DiscountTotal: c.discount, ShippingTotal: c.ship, TaxTotal: c.tax, Total: c.total}
				if o.Totals != want {
					t.Errorf("totals %+v, want %+v", o.Totals, want)
				}
				if len(o.Mismatches) != 0 || o.ChannelTotal == nil || *o.ChannelTotal != c.total {
					t.Errorf("mismatches %q, channel total %v", o.Mismatches, o.ChannelTotal)
				}
				var ps struct{ Payloads []oms.Payload }
				h.mustCall("GET", "/v1/orders/"+o.ID+"/payloads", oms.RoleAgent, nil, 200).json(t, &ps)
				if len(ps.Payloads) != 1 || ps.Payloads[0].Body != string(c.body) || !ps.Payloads[0].Applied {
					t.Errorf("payload not kept as received: %d payloads", len(ps.Payloads))
				}
				// The same payload again is a no-op answered 200.
				r = h.mustCall("POST", "/v1/channels/"+c.channel+"/orders", oms.RoleChannel, c.body, 200)
				var again oms.Order
				r.json(t, &again)
				if again.ID != o.ID || again.Version != o.Version || r.header.Get("OMS-Ingest-Outcome") != "duplicate" {
					t.Errorf("repeat: order %s version %d, outcome %q", again.ID, again.Version, r.header.Get("OMS-Ingest-Outcome"))
				}
			})
		}
	})
}

// TestChannelMalformed sends broken payloads: each is a problem naming the
// field, and nothing is written.
func TestChannelMalformed(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		h := setup(t, e)
		h.seedChannels()
		shopify := fixture(t, "shopify_order.json")
		setLine := func(key string, v any) []byte {
			return mutate(t, shopify, func(m map[string]any) {
				m["line_items"].([]any)[0].(map[string]any)[key] = v
			})
		}
		woo := fixture(t, "woocommerce_order.json")
		for _, c := range []struct {
			name, channel string
			body          []byte
			field         string
		}{
			{"truncated JSON", "shop", shopify[:len(shopify)/2], "body"},
			{"quantity two", "shop", setLine("quantity", "two"), "line_items[0].quantity"},
			{"negative quantity", "shop", setLine("quantity", -2), "line_items[0].quantity"},
			{"too many decimals", "shop", mutate(t, shopify, func(m map[string]any) {
				set := m["line_items"].([]any)[0].(map[string]any)["price_set"].(map[string]any)
				set["presentment_money"].(map[string]any)["amount"] = "24.001"
			}), "line_items[0].price_set.presentment_money.amount"},
			{"woo quantity two", "woo", mutate(t, woo, func(m map[string]any) {
				m["line_items"].([]any)[0].(map[string]any)["quantity"] = "two"
			}), "line_items[0].quantity"},
			{"woo too many decimals", "woo", mutate(t, woo, func(m map[string]any) { m["shipping_total"] = "14.001" }), "shipping_total"},
			{"amazon negative quantity", "amzn", bytes.Replace(amazonEnvelope(t), []byte(`"QuantityOrdered": 2`), []byte(`"QuantityOrdered": -2`), 1), "order_items[1].QuantityOrdered"},
			{"ebay truncated", "ebay", fixture(t, "ebay_order.json")[:100], "body"},
			// Without their version a later delivery (a cancellation) would
			// be answered duplicate and lost, as Amazon's and eBay's would.
			{"shopify without updated_at", "shop", mutate(t, shopify, func(m map[string]any) { delete(m, "updated_at") }), "updated_at"},
			{"woo without date_modified_gmt", "woo", mutate(t, woo, func(m map[string]any) { delete(m, "date_modified_gmt") }), "date_modified_gmt"},
			// What encoding/json would take with the last value winning, or
			// turn into U+FFFD.
			{"ebay quantity twice", "ebay", ebayWith(t, `"quantity": 2,`, `"quantity": 2, "quantity": 200,`), "lineItems[1].quantity"},
			{"ebay orderId twice", "ebay", ebayWith(t, `"orderId": "27-13562-80417",`, `"orderId": "27-13562-80417", "orderId": "X-1",`), "orderId"},
			{"ebay invalid UTF-8", "ebay", ebayWith(t, `"fullName": "Łucja Wiśniewska"`, "\"fullName\": \"\xff\xfe\""),
				"fulfillmentStartInstructions[0].shippingStep.shipTo.fullName"},
			{"ebay lone surrogate", "ebay", ebayWith(t, `"fullName": "Łucja Wiśniewska"`, `"fullName": "\uD800"`),
				"fulfillmentStartInstructions[0].shippingStep.shipTo.fullName"},
			{"shopify id twice", "shop", bytes.Replace(shopify, []byte(`"id": 6104827391234,`), []byte(`"id": 6104827391234, "id": 1,`), 1), "id"},
			{"woo quantity in two cases", "woo", bytes.Replace(woo, []byte(`"quantity": `), []byte(`"Quantity": 100, "quantity": `), 1), "line_items[0].quantity"},
			{"amazon quantity twice", "amzn", bytes.Replace(amazonEnvelope(t), []byte(`"QuantityOrdered": 2`), []byte(`"QuantityOrdered": 2, "QuantityOrdered": 20`), 1), "order_items[1].QuantityOrdered"},
		} {
			t.Run(c.name, func(t *testing.T) {
				r := h.call("POST", "/v1/channels/"+c.channel+"/orders", oms.RoleChannel, c.body)
				if r.status != 400 {
					t.Fatalf("status %d: %s", r.status, r.body)
				}
				p := r.problem(t)
				if !names(p, c.field) {
					t.Errorf("problem does not name %s: %s", c.field, r.body)
				}
			})
		}
		// The signed webhook reads its body the same way.
		twice := bytes.Replace(shopify, []byte(`"id": 6104827391234,`), []byte(`"id": 6104827391234, "id": 1,`), 1)
		r := h.call("POST", "/v1/webhooks/shop", "", twice, "X-Shopify-Hmac-Sha256", sign("s3cret-shop", twice),
			"X-Shopify-Topic", "orders/create", "X-Shopify-Webhook-Id", "dup-key-1")
		if r.status != 400 || !names(r.problem(t), "id") {
			t.Errorf("webhook with id twice: status %d: %s", r.status, r.body)
		}
		var page struct{ Orders []json.RawMessage }
		h.mustCall("GET", "/v1/orders", oms.RoleAgent, nil, 200).json(t, &page)
		if len(page.Orders) != 0 {
			t.Errorf("%d orders written by malformed payloads", len(page.Orders))
		}
	})
}

// ebayWith is the eBay fixture with its first old replaced by new, which
// must be there.
func ebayWith(t *testing.T, old, new string) []byte {
	t.Helper()
	body := fixture(t, "ebay_order.json")
	if !bytes.Contains(body, []byte(old)) {
		t.Fatalf("the eBay fixture has no %s", old)
	}
	return bytes.Replace(body, []byte(old), []byte(new), 1)
}

func sign(secret string, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write(body)
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// TestWebhookSignature: a bad or missing signature is 401 and records
// nothing; a good one places the order; ten concurrent copies of a delivery
// place it once.
func TestWebhookSignature(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		h := setup(t, e)
		h.seedChannels()
		body := fixture(t, "shopify_order.json")
		woo := fixture(t, "woocommerce_order.json")
		for _, c := range []struct {
			name, path string
			body       []byte
			header     []string
		}{
			{"missing", "/v1/webhooks/shop", body, nil},
			{"wrong secret", "/v1/webhooks/shop", body, []string{"X-Shopify-Hmac-Sha256", sign("other", body)}},
			{"another body", "/v1/webhooks/shop", body, []string{"X-Shopify-Hmac-Sha256", sign("s3cret-shop", body[1:])}},
			{"not base64", "/v1/webhooks/shop", body, []string{"X-Shopify-Hmac-Sha256", "!!!"}},
			{"woo header on shopify", "/v1/webhooks/shop", body, []string{"X-WC-Webhook-Signature", sign("s3cret-shop", body)}},
			{"woo wrong secret", "/v1/webhooks/woo", woo, []string{"X-WC-Webhook-Signature", sign("s3cret-shop", woo)}},
		} {
			r := h.call("POST", c.path, "", c.body, c.header...)
			if r.status != 401 {
				t.Errorf("%s: status %d, want 401: %s", c.name, r.status, r.body)
			}
		}
		var page struct{ Orders []json.RawMessage }
		h.mustCall("GET", "/v1/orders", oms.RoleAgent, nil, 200).json(t, &page)
		if len(page.Orders) != 0 {
			t.Fatalf("%d orders recorded from unsigned deliveries", len(page.Orders))
		}

		// Ten concurrent copies of the same signed delivery: one order.
		statuses := make([]int, 10)
		var wg sync.WaitGroup
		for i := range statuses {
			wg.Go(func() {
				r := h.call("POST", "/v1/webhooks/shop", "", body, "X-Shopify-Hmac-Sha256", sign("s3cret-shop", body),
					"X-Shopify-Topic", "orders/create")
				statuses[i] = r.status
			})
		}
		wg.Wait()
		created := 0
		for _, s := range statuses {
			switch s {
			case 201:
				created++
			case 200:
			default:
				t.Errorf("status %d", s)
			}
		}
		if created != 1 {
			t.Errorf("%d deliveries created the order, want 1 (%v)", created, statuses)
		}
		h.mustCall("GET", "/v1/orders", oms.RoleAgent, nil, 200).json(t, &page)
		if len(page.Orders) != 1 {
			t.Errorf("%d orders after 10 copies", len(page.Orders))
		}
		var inv oms.Stock
		h.mustCall("GET", "/v1/inventory/BEANIE-MER-CHR", oms.RoleAgent, nil, 200).json(t, &inv)
		if inv.Reserved != 3 {
			t.Errorf("reserved %d after 10 copies of an order for 3", inv.Reserved)
		}

		// WooCommerce signs the same way under its header; its ping is answered.
		r := h.call("POST", "/v1/webhooks/woo", "", woo, "X-WC-Webhook-Signature", sign("s3cret-woo", woo), "X-WC-Webhook-Topic", "order.created")
		if r.status != 201 {
			t.Errorf("woo webhook: %d %s", r.status, r.body)
		}
		ping := []byte("webhook_id=7")
		if r := h.call("POST", "/v1/webhooks/woo", "", ping, "X-WC-Webhook-Signature", sign("s3cret-woo", ping)); r.status != 200 {
			t.Errorf("woo ping: %d %s", r.status, r.body)
		}
		// A topic without an order is acknowledged and ignored.
		del := []byte(`{"id":6104827391234}`)
		if r := h.call("POST", "/v1/webhooks/shop", "", del, "X-Shopify-Hmac-Sha256", sign("s3cret-shop", del), "X-Shopify-Topic", "orders/delete"); r.status != 200 || !strings.Contains(string(r.body), "ignored") {
			t.Errorf("orders/delete: %d %s", r.status, r.body)
		}
	})
}

// TestChannelVersions: a newer version cancelled on the marketplace cancels
// the order and releases its stock; a repeat of a payload kept and an older
// version arriving late are ignored, and store nothing.
func TestChannelVersions(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		h := setup(t, e)
		h.seedChannels()
		v1 := fixture(t, "shopify_order.json")
		cancelled := mutate(t, v1, func(m map[string]any) {
			m["updated_at"] = "2025-11-15T10:00:00+01:00"
			m["cancelled_at"] = "2025-11-15T10:00:00+01:00"
			m["cancel_reason"] = "customer"
		})
		var o oms.Order
		h.mustCall("POST", "/v1/channels/shop/orders", oms.RoleChannel, v1, 201).json(t, &o)
		stock := func(sku string) oms.Stock {
			var s oms.Stock
			h.mustCall("GET", "/v1/inventory/"+sku, oms.RoleAgent, nil, 200).json(t, &s)
			return s
		}
		if s := stock("BEANIE-MER-CHR"); s.Reserved != 3 {
			t.Fatalf("reserved %d", s.Reserved)
		}
		// The customer moves before anything shipped: the new address applies.
		moved := mutate(t, v1, func(m map[string]any) {
			m["updated_at"] = "2025-11-14T12:00:00+01:00"
			m["shipping_address"].(map[string]any)["city"] = "Cambridge"
			m["shipping_address"].(map[string]any)["zip"] = "CB2 1TN"
		})
		r := h.mustCall("POST", "/v1/channels/shop/orders", oms.RoleChannel, moved, 200)
		h.mustCall("GET", "/v1/orders/"+o.ID, oms.RoleAgent, nil, 200).json(t, &o) // with the ship-to
		if r.header.Get("OMS-Ingest-Outcome") != "updated" || o.ShipTo == nil || o.ShipTo.City != "Cambridge" ||
			o.ShipTo.PostalCode != "CB2 1TN" || o.Status != oms.StatusAllocated || o.Version != 2 || r.header.Get("ETag") != `"2"` {
			t.Errorf("address update: outcome %q, ship_to %+v, status %s", r.header.Get("OMS-Ingest-Outcome"), o.ShipTo, o.Status)
		}
		r = h.mustCall("POST", "/v1/channels/shop/orders", oms.RoleChannel, cancelled, 200)
		if r.header.Get("OMS-Ingest-Outcome") != "updated" {
			t.Errorf("outcome %q", r.header.Get("OMS-Ingest-Outcome"))
		}
		r.json(t, &o)
		if o.Status != oms.StatusCancelled {
			t.Errorf("status %s after the marketplace cancelled", o.Status)
		}
		if s := stock("BEANIE-MER-CHR"); s.Reserved != 0 || s.Available != 10 {
			t.Errorf("stock not released: %+v", s)
		}
		var events []oms.Event
		h.mustCall("GET", "/v1/orders/"+o.ID+"/events", oms.RoleAgent, nil, 200).json(t, &struct{ Events *[]oms.Event }{&events})
		before, version := len(events), o.Version
		// The first version arrives again, late, byte for byte: a repeat;
		// another older version (an edit between v1 and the address change):
		// stale. Neither changes the order or stores anything.
		between := mutate(t, v1, func(m map[string]any) {
			m["updated_at"] = "2025-11-14T10:00:00+01:00"
			m["note"] = "Ring twice."
		})
		for _, c := range []struct {
			body    []byte
			outcome string
		}{{v1, "duplicate"}, {between, "stale"}, {v1, "duplicate"}, {between, "stale"}} {
			r = h.mustCall("POST", "/v1/channels/shop/orders", oms.RoleChannel, c.body, 200)
			if got := r.header.Get("OMS-Ingest-Outcome"); got != c.outcome {
				t.Errorf("late version: outcome %q, want %q", got, c.outcome)
			}
			r.json(t, &o)
			if o.Status != oms.StatusCancelled || o.Version != version {
				t.Errorf("a late version changed the order: %s, version %d", o.Status, o.Version)
			}
		}
		h.mustCall("GET", "/v1/orders/"+o.ID+"/events", oms.RoleAgent, nil, 200).json(t, &struct{ Events *[]oms.Event }{&events})
		seen := map[string]bool{}
		for _, ev := range events {
			seen[ev.Type] = true
		}
		if len(events) != before || seen[oms.EventOrderStaleIgnored] || !seen[oms.EventOrderChannelUpdated] {
			t.Errorf("%d events after the late versions, %d before: %v", len(events), before, seen)
		}
		var ps struct{ Payloads []oms.Payload }
		h.mustCall("GET", "/v1/orders/"+o.ID+"/payloads", oms.RoleAgent, nil, 200).json(t, &ps)
		if len(ps.Payloads) != 3 || !ps.Payloads[1].Applied || !ps.Payloads[2].Applied {
			t.Errorf("payloads %+v", ps.Payloads)
		}
	})
}

// TestUnknownSKU: an order with a SKU oms does not know is held, not
// dropped; mapped and released, it is sourced. A marketplace-fulfilled
// order reserves nothing.
func TestUnknownSKU(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		h := setup(t, e)
		h.seedChannels()
		body := mutate(t, fixture(t, "shopify_order.json"), func(m map[string]any) {
			m["line_items"].([]any)[1].(map[string]any)["sku"] = "SOCKS/2PK L"
		})
		var o oms.Order
		h.mustCall("POST", "/v1/channels/shop/orders", oms.RoleChannel, body, 201).json(t, &o)
		if o.Status != oms.StatusOnHold || len(o.Holds) != 1 || !strings.HasPrefix(o.Holds[0].Reason, "unknown_sku") ||
			!strings.Contains(o.Holds[0].Reason, "SOCKS/2PK L") {
			t.Fatalf("status %s, holds %+v", o.Status, o.Holds)
		}
		if o.Lines[1].Open != 1 || o.Lines[1].Allocated != 0 || o.Lines[0].Allocated != 3 {
			t.Errorf("lines %+v", o.Lines)
		}
		// Releasing before the SKU is known is refused; the order stays held.
		if r := h.call("POST", "/v1/orders/"+o.ID+"/release", oms.RoleAgent, `{}`); r.status != 409 {
			t.Errorf("release with the SKU unknown: %d %s", r.status, r.body)
		}
		h.mustCall("PUT", "/v1/channels/shop/sku-mappings/SOCKS%2F2PK%20L", oms.RoleManager,
			`{"components":[{"sku":"SOCK-TRL-2PK-L","quantity":2}]}`, 200)
		sold := o.Lines[1]
		h.mustCall("POST", "/v1/orders/"+o.ID+"/release", oms.RoleAgent, `{}`, 200).json(t, &o)
		if len(o.Holds) != 0 || o.Lines[1].SKU != "SOCK-TRL-2PK-L" || o.Lines[1].Quantity != 2 || o.Lines[1].Allocated != 2 {
			t.Errorf("after mapping: holds %+v, line %+v", o.Holds, o.Lines[1])
		}
		// The pack's units share the listing's amount: the subtotal stays,
		// the unit price is halved.
		if l := o.Lines[1]; l.Subtotal != sold.Subtotal || l.UnitPrice != sold.Subtotal/2 {
			t.Errorf("after mapping: unit price %d, subtotal %d; want %d, %d", l.UnitPrice, l.Subtotal, sold.Subtotal/2, sold.Subtotal)
		}
		h.mustCall("GET", "/v1/orders/"+o.ID, oms.RoleAgent, nil, 200).json(t, &o)
		if l := o.Lines[1]; l.UnitPrice != sold.Subtotal/2 {
			t.Errorf("after mapping, read again: unit price %d, want %d", l.UnitPrice, sold.Subtotal/2)
		}
		// A mapped listing SKU is mapped on arrival.
		body2 := mutate(t, body, func(m map[string]any) { m["id"] = json.Number("6104827391235") })
		h.mustCall("POST", "/v1/channels/shop/orders", oms.RoleChannel, body2, 201).json(t, &o)
		if len(o.Holds) != 0 || o.Lines[1].SKU != "SOCK-TRL-2PK-L" || o.Lines[1].Quantity != 2 ||
			o.Lines[1].Subtotal != sold.Subtotal || o.Lines[1].UnitPrice != sold.Subtotal/2 {
			t.Errorf("mapped on arrival: holds %+v, lines %+v", o.Holds, o.Lines)
		}

		// Amazon fulfils an AFN order from its own stock: recorded, nothing reserved.
		afn := bytes.Replace(amazonEnvelope(t), []byte(`"FulfillmentChannel": "MFN"`), []byte(`"FulfillmentChannel": "AFN"`), 1)
		h.mustCall("POST", "/v1/channels/amzn/orders", oms.RoleChannel, afn, 201).json(t, &o)
		if !o.FulfilledByChannel || len(o.Allocations) != 0 || o.Lines[0].Shipped != 1 {
			t.Errorf("AFN order: by channel %v, allocations %+v, lines %+v", o.FulfilledByChannel, o.Allocations, o.Lines)
		}
		var s oms.Stock
		h.mustCall("GET", "/v1/inventory/KB-MX-DE-QWERTZ", oms.RoleAgent, nil, 200).json(t, &s)
		if s.Reserved != 0 || s.OnHand != 10 {
			t.Errorf("an AFN order touched stock: %+v", s)
		}
	})
}

// TestChannelAvailability: what each channel may sell follows orders on
// both channels, its share and buffer, and the locations serving it; each
// change is an event.
func TestChannelAvailability(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		h := setup(t, e)
		h.seedChannels()
		h.mustCall("PUT", "/v1/channels/shop", oms.RoleManager, `{"name":"shop","kind":"shopify","currency":"GBP","backorder_policy":"reject","share_percent":50,"buffer":1}`, 200)
		// A store that serves only the web shop adds 4 beanies there.
		h.mustCall("PUT", "/v1/locations/st1", oms.RoleManager, `{"name":"Store","kind":"store","can_ship":true,"priority":2,"channels":["woo"]}`, 201)
		h.mustCall("POST", "/v1/inventory/adjustments", oms.RoleWarehouse, `{"sku":"BEANIE-MER-CHR","location":"st1","delta":4,"reason":"receive","reference":"PO-2"}`, 201)
		var sweep store.AvailabilitySweep
		if _, err := h.db.PublishAvailability(ctx, &sweep, true); err != nil {
			t.Fatal(err)
		}
		feed := func(code string) map[string]int64 {
			var p oms.AvailabilityPage
			h.mustCall("GET", "/v1/channels/"+code+"/availability", oms.RoleChannel, nil, 200).json(t, &p)
			out := map[string]int64{}
			for _, it := range p.Items {
				out[it.SKU] = it.Available
			}
			return out
		}
		if got := feed("shop")["BEANIE-MER-CHR"]; got != 4 { // 10 × 50 % − 1
			t.Errorf("shop beanies %d, want 4", got)
		}
		if got := feed("woo")["BEANIE-MER-CHR"]; got != 14 {
			t.Errorf("woo beanies %d, want 14", got)
		}
		// Orders on both channels: 3 beanies on Shopify, from wh1.
		h.mustCall("POST", "/v1/channels/shop/orders", oms.RoleChannel, fixture(t, "shopify_order.json"), 201)
		h.mustCall("POST", "/v1/channels/woo/orders", oms.RoleChannel, fixture(t, "woocommerce_order.json"), 201)
		shop, woo := feed("shop"), feed("woo")
		if shop["BEANIE-MER-CHR"] != 2 || woo["BEANIE-MER-CHR"] != 11 { // (10−3) × 50 % − 1 = 2; 7 + 4
			t.Errorf("beanies after orders: shop %d, woo %d", shop["BEANIE-MER-CHR"], woo["BEANIE-MER-CHR"])
		}
		if shop["TUQ-MER-NAV"] != 3 || woo["TUQ-MER-NAV"] != 8 { // (10−2) × 50 % − 1; 10 − 2
			t.Errorf("tuques after orders: shop %d, woo %d", shop["TUQ-MER-NAV"], woo["TUQ-MER-NAV"])
		}
		// CSV for feeding a marketplace.
		r := h.call("GET", "/v1/channels/shop/availability", oms.RoleChannel, nil, "Accept", "text/csv")
		if r.status != 200 || !strings.HasPrefix(r.header.Get("Content-Type"), "text/csv") ||
			!strings.Contains(string(r.body), "sku,available\n") || !strings.Contains(string(r.body), "BEANIE-MER-CHR,2\n") {
			t.Errorf("CSV feed %d %q", r.status, r.body)
		}
		// A change is one event per channel and SKU, with the new figure.
		n, err := h.db.PublishAvailability(ctx, &sweep, false)
		if err != nil {
			t.Fatal(err)
		}
		var page struct{ Events []oms.Event }
		h.mustCall("GET", "/v1/events?type=inventory.availability_changed&limit=1000", oms.RoleChannel, nil, 200).json(t, &page)
		last := map[string]map[string]any{}
		count := map[string]int{}
		for _, ev := range page.Events {
			var d map[string]any
			json.Unmarshal(ev.Data, &d)
			key := d["channel"].(string) + "/" + d["sku"].(string)
			last[key] = d
			count[key]++
		}
		if d := last["shop/BEANIE-MER-CHR"]; d == nil || d["available"] != float64(2) || d["previous"] != float64(4) {
			t.Errorf("shop beanie event %v", d)
		}
		if d := last["woo/TUQ-MER-NAV"]; d == nil || d["available"] != float64(8) || count["woo/TUQ-MER-NAV"] != 2 {
			t.Errorf("woo tuque event %v (%d events)", d, count["woo/TUQ-MER-NAV"])
		}
		if count["shop/DRILL-HSS-19"] != 1 {
			t.Errorf("an unchanged SKU got %d events", count["shop/DRILL-HSS-19"])
		}
		if n == 0 {
			t.Error("no changes published after the orders")
		}
		// Nothing moved: nothing published.
		if n, _ := h.db.PublishAvailability(ctx, &sweep, true); n != 0 {
			t.Errorf("%d changes published with nothing changed", n)
		}
	})
}

// TestMappedLinePrices: a line of a mapped listing SKU keeps its unit price
// (divided among a pack's units) beside its subtotal, on arrival and on the
// release of a hold, whatever the format.
func TestMappedLinePrices(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		h := setup(t, e)
		h.seedChannels()
		h.mustCall("PUT", "/v1/channels/csv1", oms.RoleManager, `{"name":"CSV","kind":"csv","currency":"USD","backorder_policy":"backorder"}`, 201)
		h.mustCall("PUT", "/v1/items/MUG-1", oms.RoleManager, `{"name":"Mug","currency":"USD"}`, 201)
		h.mustCall("PUT", "/v1/channels/csv1/sku-mappings/L-MUG", oms.RoleManager, `{"sku":"MUG-1"}`, 200)
		h.mustCall("PUT", "/v1/channels/csv1/sku-mappings/L-MUG-3", oms.RoleManager,
			`{"components":[{"sku":"MUG-1","quantity":3}]}`, 200)
		const header = "order_id,placed_at,currency,sku,quantity,unit_price,line_tax\n"
		for _, c := range []struct {
			name, rows               string
			qty, unitPrice, subtotal int64
		}{
			{"one to one", "MAP-1,2025-11-14T10:00:00Z,USD,L-MUG,2,12.50,0.00\n", 2, 1250, 2500},
			{"a pack", "MAP-2,2025-11-14T10:00:00Z,USD,L-MUG-3,2,12.00,0.00\n", 6, 400, 2400},
			// 25.00 over 3 units: the subtotal is the channel's, the unit
			// price rounded down.
			{"a pack that does not divide", "MAP-3,2025-11-14T10:00:00Z,USD,L-MUG-3,1,25.00,0.00\n", 3, 833, 2500},
		} {
			var o oms.Order
			h.mustCall("POST", "/v1/channels/csv1/orders", oms.RoleChannel, header+c.rows, 201).json(t, &o)
			if l := o.Lines[0]; l.SKU != "MUG-1" || l.Quantity != c.qty || l.UnitPrice != c.unitPrice || l.Subtotal != c.subtotal {
				t.Errorf("%s: line %s × %d at %d, subtotal %d; want MUG-1 × %d at %d, subtotal %d",
					c.name, l.SKU, l.Quantity, l.UnitPrice, l.Subtotal, c.qty, c.unitPrice, c.subtotal)
			}
		}
	})
}

// TestWooFeeMismatch: WooCommerce fee lines, which oms does not carry, are
// no part of oms's totals: channel_total is WooCommerce's own total and the
// difference is kept in mismatches, never absorbed.
func TestWooFeeMismatch(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		h := setup(t, e)
		h.seedChannels()
		for _, c := range []struct {
			id, fee, total string
			want           int64
		}{
			{"20001", "5.00", "128.61", 12861},
			{"20002", "-5.00", "118.61", 11861},
		} {
			body := mutate(t, fixture(t, "woocommerce_order.json"), func(m map[string]any) {
				m["id"], m["total"] = json.Number(c.id), c.total
				m["fee_lines"] = []any{map[string]any{"name": "Gift wrap", "tax_status": "none", "total": c.fee, "total_tax": "0.00"}}
			})
			var o oms.Order
			h.mustCall("POST", "/v1/channels/woo/orders", oms.RoleChannel, body, 201).json(t, &o)
			want := fmt.Sprintf("total differs: oms computes 12361, the channel states %d", c.want)
			if o.Total != 12361 || o.ChannelTotal == nil || *o.ChannelTotal != c.want || !slices.Equal(o.Mismatches, []string{want}) {
				t.Errorf("fee %s: total %d, channel_total %v, mismatches %q; want 12361, %d, %q",
					c.fee, o.Total, o.ChannelTotal, o.Mismatches, c.want, want)
			}
		}
	})
}

// names reports whether the problem names the field.
func names(p httpapi.Problem, field string) bool {
	for _, e := range p.Errors {
		if e.Field == field {
			return true
		}
	}
	return false
}

// TestChannelOwnFormat: a web, pos or api channel sends oms's own order
// JSON to its orders route, as to POST /v1/orders.
func TestChannelOwnFormat(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		h := setup(t, e)
		h.seed()
		var o oms.Order
		h.mustCall("POST", "/v1/channels/web/orders", oms.RoleChannel, orderBody("W-1", 2), 201).json(t, &o)
		if o.Channel != "web" || o.Total != 2980 {
			t.Errorf("order %s total %d", o.Channel, o.Total)
		}
		h.mustCall("POST", "/v1/channels/web/orders", oms.RoleChannel, orderBody("W-1", 2), 200)
		r := h.call("POST", "/v1/channels/b2b/orders", oms.RoleChannel, orderBody("W-2", 1))
		if r.status != 400 || !names(r.problem(t), "channel") {
			t.Errorf("another channel in the body: %d %s", r.status, r.body)
		}
	})
}

// TestCSVWithoutVersion: a CSV order sent again without updated_at is a
// repeat when its rows are the same, and a change when they differ — a
// cancellation is applied and releases the stock, never dropped as a
// repeat.
func TestCSVWithoutVersion(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		h := setup(t, e)
		h.seed() // 5 mugs at wh1
		h.mustCall("PUT", "/v1/channels/csv1", oms.RoleManager, `{"name":"CSV","kind":"csv","currency":"USD","backorder_policy":"backorder"}`, 201)
		const header = "order_id,placed_at,currency,sku,quantity,unit_price,status\n"
		first := header + "NV-1,2025-11-14T10:00:00Z,USD,mug,2,12.50,\n"
		var o oms.Order
		h.mustCall("POST", "/v1/channels/csv1/orders", oms.RoleChannel, first, 201).json(t, &o)
		if r := h.call("POST", "/v1/channels/csv1/orders", oms.RoleChannel, first); r.status != 200 ||
			r.header.Get("Oms-Ingest-Outcome") != "duplicate" {
			t.Fatalf("the same rows again: %d %s", r.status, r.header.Get("Oms-Ingest-Outcome"))
		}
		r := h.call("POST", "/v1/channels/csv1/orders", oms.RoleChannel, header+"NV-1,2025-11-14T10:00:00Z,USD,mug,2,12.50,cancelled\n")
		if r.status != 200 || r.header.Get("Oms-Ingest-Outcome") != "updated" {
			t.Fatalf("the rows cancelled: %d %s %s", r.status, r.header.Get("Oms-Ingest-Outcome"), r.body)
		}
		var got oms.Order
		h.mustCall("GET", "/v1/orders/"+o.ID, oms.RoleAgent, nil, 200).json(t, &got)
		if got.Status != oms.StatusCancelled {
			t.Errorf("after the cancelled rows: %s", got.Status)
		}
		var s oms.Stock
		h.mustCall("GET", "/v1/inventory/mug", oms.RoleAgent, nil, 200).json(t, &s)
		if s.Reserved != 0 {
			t.Errorf("reserved %d after the cancellation", s.Reserved)
		}
	})
}
