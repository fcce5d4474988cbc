package httpapi_test

import (
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/store/storetest"
)

// refused checks that a call was answered with a problem of status that
// names every one of fields.
func refused(t *testing.T, r response, status int, fields ...string) {
	t.Helper()
	if r.status != status {
		t.Fatalf("status %d, want %d: %s", r.status, status, r.body)
	}
	p := r.problem(t)
	if p.Status != status {
		t.Errorf("problem status %d in an answer of %d", p.Status, status)
	}
	for _, f := range fields {
		if !names(p, f) {
			t.Errorf("problem %+v does not name %s", p, f)
		}
	}
}

// unchanged checks that no table gained or lost a row since before.
func (h *harness) unchanged(t *testing.T, before map[string]int64) {
	t.Helper()
	after, err := h.db.Counts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !maps.Equal(before, after) {
		t.Errorf("rows changed: before %v, after %v", before, after)
	}
}

func (h *harness) counts(t *testing.T) map[string]int64 {
	t.Helper()
	c, err := h.db.Counts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestDateBounds: a date or time outside 1970-01-01 to 2200-12-31 is a 400
// naming its field on every route that takes one — never a 200 carrying a
// 500, an empty file, or a range that slips past the three-year limit — and
// nothing is written. The last day of the bounds still answers.
func TestDateBounds(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		h := setup(t, e)
		h.seed()
		before := h.counts(t)
		cases := []struct {
			name, method, path, body string
			fields                   []string
		}{
			{"sales in year 9999", "GET", "/v1/reports/sales?from=9999-12-01&to=9999-12-31", "", []string{"from", "to"}},
			{"sales from year 1", "GET", "/v1/reports/sales?from=0001-01-01&to=2026-01-01", "", []string{"from"}},
			{"margin to an RFC 3339 time in 9999", "GET", "/v1/reports/margin?from=2026-01-01&to=9999-12-31T00:00:00Z", "", []string{"to"}},
			{"turnover to year 9999", "GET", "/v1/reports/turnover?from=2026-01-01&to=9999-12-31", "", []string{"to"}},
			{"stockouts from 1969", "GET", "/v1/reports/stockouts?from=1969-12-31&to=1970-01-05", "", []string{"from"}},
			{"inventory at year 9999", "GET", "/v1/reports/inventory?at=9999-12-31", "", []string{"at"}},
			{"inventory at year 1", "GET", "/v1/reports/inventory?at=0001-01-01T00:00:00Z", "", []string{"at"}},
			{"orders export to year 9999", "GET", "/v1/exports/orders?to=9999-12-31", "", []string{"to"}},
			{"ledger export from year 1", "GET", "/v1/exports/ledger?from=0001-01-01", "", []string{"from"}},
			{"rates on a day in 9999", "GET", "/v1/fx-rates?date=9999-12-31", "", []string{"date"}},
			{"conversion on a day in year 1", "GET", "/v1/fx-rates/convert?from=USD&to=EUR&amount=100&date=0001-01-01", "", []string{"date"}},
			{"supply due in 9999", "POST", "/v1/supply",
				`{"sku":"mug","location":"wh1","kind":"purchase_order","quantity":5,"eta":"9999-12-31T00:00:00Z"}`, []string{"eta"}},
			{"transfer due in 2201", "POST", "/v1/transfers",
				`{"sku":"mug","from":"wh1","to":"shop","quantity":1,"eta":"2201-01-01T00:00:00Z"}`, []string{"eta"}},
			{"item released in 9999", "PUT", "/v1/items/cup",
				`{"name":"Cup","unit_cost":100,"currency":"USD","preorder":true,"release_date":"9999-01-01T00:00:00Z"}`, []string{"release_date"}},
			{"order placed in 2999", "POST", "/v1/orders",
				`{"channel":"web","external_id":"W-9","currency":"USD","lines":[{"sku":"mug","quantity":1,"unit_price":100}],
				"placed_at":"2999-01-01T00:00:00Z"}`, []string{"placed_at"}},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				var body any
				if c.body != "" {
					body = c.body
				}
				refused(t, h.call(c.method, c.path, oms.RoleAdmin, body), 400, c.fields...)
			})
		}
		h.unchanged(t, before)

		// The last day of the bounds is a day like any other.
		var rep oms.Report
		h.mustCall("GET", "/v1/reports/sales?from=2200-12-01&to=2200-12-31", oms.RoleAdmin, nil, 200).json(t, &rep)
		if rep.To == nil || rep.To.Year() != 2201 {
			t.Errorf("report to %v", rep.To)
		}
		r := h.mustCall("GET", "/v1/exports/ledger?from=1970-01-01&to=2200-12-31", oms.RoleAdmin, nil, 200)
		if len(r.body) == 0 {
			t.Error("an empty ledger export")
		}
		if r := h.call("GET", "/v1/fx-rates?date=2200-12-31", oms.RoleAdmin, nil); r.status != 404 {
			t.Errorf("rates on the last day: status %d, want 404 (none imported): %s", r.status, r.body)
		}
	})
}

// TestWebhookUnknownChannel: a delivery to a channel code that does not
// exist, or to a channel whose kind sends no webhooks (ebay, a signed
// amazon body even), is answered exactly as a bad signature for a known
// channel — same status, headers and body — so that codes cannot be probed.
func TestWebhookUnknownChannel(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		h := setup(t, e)
		h.seedChannels()
		body := fixture(t, "shopify_order.json")
		before := h.counts(t)
		bad := h.call("POST", "/v1/webhooks/shop", "", body, "X-Shopify-Hmac-Sha256", sign("other", body))
		refused(t, bad, 401)
		for _, c := range []struct {
			name, code string
			header     []string
		}{
			{"unknown code", "nope", []string{"X-Shopify-Hmac-Sha256", sign("other", body)}},
			{"unknown code, signed with a real secret", "shop2", []string{"X-Shopify-Hmac-Sha256", sign("s3cret-shop", body)}},
			{"unknown code, no signature", "nope", nil},
			{"unknown code, woocommerce header", "nope", []string{"X-WC-Webhook-Signature", sign("other", body)}},
			{"a kind without webhooks", "ebay", []string{"X-Shopify-Hmac-Sha256", sign("other", body)}},
			{"a kind without webhooks, signed with its secret", "amzn", []string{"X-Shopify-Hmac-Sha256", sign("s3cret-amzn", body)}},
		} {
			t.Run(c.name, func(t *testing.T) {
				r := h.call("POST", "/v1/webhooks/"+c.code, "", body, c.header...)
				if r.status != bad.status || string(r.body) != string(bad.body) {
					t.Errorf("answer %d %s, want %d %s", r.status, r.body, bad.status, bad.body)
				}
				for k := range bad.header {
					if k != "Date" && k != "X-Request-Id" && r.header.Get(k) != bad.header.Get(k) {
						t.Errorf("header %s: %q, want %q", k, r.header.Get(k), bad.header.Get(k))
					}
				}
				if len(r.header) != len(bad.header) {
					t.Errorf("headers %v, want %v", r.header, bad.header)
				}
			})
		}
		h.unchanged(t, before)
	})
}

// TestOrderListQuery: q on GET /v1/orders is checked as GET /v1/search
// checks it: given, it must be 1 to 200 bytes of printable text that is not
// blank.
func TestOrderListQuery(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		h := setup(t, e)
		h.seed()
		h.mustCall("POST", "/v1/orders", oms.RoleChannel, orderBody("W-1", 1), 201)
		for _, q := range []string{"", "%20%20", strings.Repeat("a", 201), "ann%01lee", "ann%0Alee", "%FF"} {
			refused(t, h.call("GET", "/v1/orders?q="+q, oms.RoleAgent, nil), 400, "q")
			refused(t, h.call("GET", "/v1/search?q="+q, oms.RoleAgent, nil), 400, "q")
		}
		var page struct{ Orders []json.RawMessage }
		h.mustCall("GET", "/v1/orders?q="+strings.Repeat("a", 200), oms.RoleAgent, nil, 200)
		h.mustCall("GET", "/v1/orders?q=Lee", oms.RoleAgent, nil, 200).json(t, &page)
		if len(page.Orders) != 1 {
			t.Errorf("%d orders for Lee", len(page.Orders))
		}
	})
}

// screeningOff is the screening rules, every one turned off explicitly.
const screeningOff = `{"max_total":{},"billing_must_match":false,"max_orders_per_email":0,"max_orders_per_address":0,
	"window_minutes":0,"check_address":false}`

// TestSettingsReplacedWhole: a settings PUT must give every setting — an
// empty body, null, {} or a forgotten field is a 400 naming each missing
// one, and the settings stay as they were; a rule is turned off by giving
// its off value.
func TestSettingsReplacedWhole(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		h := setup(t, e)
		h.seed()
		h.mustCall("PUT", "/v1/settings/screening", oms.RoleManager, `{"max_total":{"USD":5000},"billing_must_match":true,
			"max_orders_per_email":3,"max_orders_per_address":0,"window_minutes":60,"check_address":true}`, 200)
		for _, c := range []struct {
			path    string
			fields  []string
			partial string
			missing []string
		}{
			{"/v1/settings/screening", []string{"max_total", "billing_must_match", "max_orders_per_email", "max_orders_per_address",
				"window_minutes", "check_address"}, `{"max_total":{"USD":100},"check_address":null}`,
				[]string{"billing_must_match", "max_orders_per_email", "max_orders_per_address", "window_minutes", "check_address"}},
			{"/v1/settings/fulfillment", []string{"pickup_expiry_days", "pickup_transfers"}, `{"pickup_expiry_days":3}`,
				[]string{"pickup_transfers"}},
			{"/v1/settings/returns", []string{"reasons", "shipping_refund", "restocking_fee", "fee_exempt_reasons",
				"agent_refund_limit", "link_days"},
				`{"reasons":["damaged"],"shipping_refund":"none","restocking_fee":{"kind":null},"fee_exempt_reasons":[],"agent_refund_limit":{}}`,
				[]string{"restocking_fee.kind", "restocking_fee.amount", "link_days"}},
			{"/v1/settings/currency", []string{"base_currency"}, `{"base_currency":null}`, []string{"base_currency"}},
			{"/v1/settings/reports", []string{"ship_promise_hours"}, `{}`, []string{"ship_promise_hours"}},
		} {
			t.Run(c.path, func(t *testing.T) {
				was := h.mustCall("GET", c.path, oms.RoleAdmin, nil, 200).body
				refused(t, h.call("PUT", c.path, oms.RoleAdmin, ""), 400, "body")
				refused(t, h.call("PUT", c.path, oms.RoleAdmin, "null"), 400, "body")
				refused(t, h.call("PUT", c.path, oms.RoleAdmin, "[]"), 400, "body")
				refused(t, h.call("PUT", c.path, oms.RoleAdmin, "{}"), 400, c.fields...)
				refused(t, h.call("PUT", c.path, oms.RoleAdmin, c.partial), 400, c.missing...)
				if now := h.mustCall("GET", c.path, oms.RoleAdmin, nil, 200).body; string(now) != string(was) {
					t.Errorf("settings changed by refused PUTs: %s, were %s", now, was)
				}
			})
		}
		// Off, said so.
		var s oms.Screening
		h.mustCall("PUT", "/v1/settings/screening", oms.RoleManager, screeningOff, 200)
		h.mustCall("GET", "/v1/settings/screening", oms.RoleAdmin, nil, 200).json(t, &s)
		if len(s.MaxTotal) != 0 || s.BillingMustMatch || s.MaxOrdersPerEmail != 0 || s.CheckAddress {
			t.Errorf("screening %+v", s)
		}
	})
}

// TestCancelBody: no body, {} or only a reason cancels everything not yet
// shipped; null, an empty or null selection of lines and a bad reason are
// 400s that cancel nothing; a reason is kept in the event and shown in the
// timeline.
func TestCancelBody(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		h := setup(t, e)
		h.seed()
		place := func(ext string, qty int) oms.Order {
			var o oms.Order
			h.mustCall("POST", "/v1/orders", oms.RoleChannel, orderBody(ext, qty), 201).json(t, &o)
			return o
		}
		o := place("C-1", 2)
		before := h.counts(t)
		for _, c := range []struct {
			name, body, field string
		}{
			{"null", "null", "body"},
			{"an empty selection", `{"lines":[]}`, "lines"},
			{"an empty selection with a reason", `{"lines":[],"reason":"none"}`, "lines"},
			{"a null selection", `{"lines":null}`, "lines"},
			{"a control character in the reason", `{"reason":"late\u0007"}`, "reason"},
			{"a line break in the reason", `{"reason":"late\nand lost"}`, "reason"},
			{"a reason too long", `{"reason":"` + strings.Repeat("r", 501) + `"}`, "reason"},
		} {
			t.Run(c.name, func(t *testing.T) {
				refused(t, h.call("POST", "/v1/orders/"+o.ID+"/cancel", oms.RoleAgent, c.body), 400, c.field)
			})
		}
		h.unchanged(t, before)
		var got oms.Order
		h.mustCall("GET", "/v1/orders/"+o.ID, oms.RoleAgent, nil, 200).json(t, &got)
		if got.Status != oms.StatusAllocated || got.Version != o.Version {
			t.Fatalf("order after refused cancellations: %s v%d", got.Status, got.Version)
		}

		for _, body := range []any{nil, `{}`, `{"reason":"customer changed their mind"}`} {
			o := place(fmt.Sprintf("C-%v", body), 1)
			var c oms.Order
			h.mustCall("POST", "/v1/orders/"+o.ID+"/cancel", oms.RoleAgent, body, 200).json(t, &c)
			if c.Status != oms.StatusCancelled || c.Lines[0].Cancelled != 1 {
				t.Errorf("body %v: %s %+v", body, c.Status, c.Lines)
			}
		}
		var c oms.Order
		h.mustCall("POST", "/v1/orders/"+o.ID+"/cancel", oms.RoleAgent,
			`{"lines":[{"line_id":"`+o.Lines[0].ID+`","quantity":1}],"reason":"one too many"}`, 200).json(t, &c)
		if c.Lines[0].Cancelled != 1 || c.Lines[0].Allocated != 1 {
			t.Errorf("part cancelled: %+v", c.Lines[0])
		}
		var tl struct {
			Entries []oms.TimelineEntry `json:"entries"`
		}
		h.mustCall("GET", "/v1/orders/"+o.ID+"/timeline", oms.RoleAgent, nil, 200).json(t, &tl)
		found := false
		for _, en := range tl.Entries {
			if en.Type == oms.EventOrderLineCancelled {
				found = en.Summary == "Order lines cancelled: one too many" && strings.Contains(fmt.Sprint(en.Data), "one too many")
				if !found {
					t.Errorf("timeline entry %+v", en)
				}
			}
		}
		if !found {
			t.Errorf("no cancellation in the timeline %+v", tl.Entries)
		}
	})
}

// TestControlCharactersAPI: a control character in a name, code, SKU,
// external id, reference, tracking number, assignee, postal code, reason or
// note is a 400 naming the field, and so is a tab or line break in a field of
// one line; notes and messages keep their line breaks and tabs.
func TestControlCharactersAPI(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		h := setup(t, e)
		h.seed()
		var o oms.Order
		h.mustCall("POST", "/v1/orders", oms.RoleChannel, orderBody("T-1", 1), 201).json(t, &o)
		var c oms.Case
		h.mustCall("POST", "/v1/cases", oms.RoleAgent, `{"order":"1001","subject":"Where is it?","message":"Hi"}`, 201).json(t, &c)
		before := h.counts(t)
		order := func(field, value string) string {
			var m map[string]any
			if err := json.Unmarshal([]byte(orderBody("T-2", 1)), &m); err != nil {
				t.Fatal(err)
			}
			switch field {
			case "customer.name":
				m["customer"].(map[string]any)["name"] = value
			case "ship_to.postal_code":
				m["ship_to"].(map[string]any)["postal_code"] = value
			default:
				m[field] = value
			}
			b, _ := json.Marshal(m)
			return string(b)
		}
		for _, c := range []struct {
			name, method, path, body, field string
		}{
			{"a line break in a channel's name", "PUT", "/v1/channels/x", `{"name":"Web\nStore","kind":"web","currency":"USD","backorder_policy":"reject"}`, "name"},
			{"a tab in an item's name", "PUT", "/v1/items/cup", `{"name":"Cup\tBlue","unit_cost":1,"currency":"USD"}`, "name"},
			{"an escape in an item's name", "PUT", "/v1/items/cup", `{"name":"Cup\u001b[2J","unit_cost":1,"currency":"USD"}`, "name"},
			{"a line break in an external id", "POST", "/v1/orders", order("external_id", "T\n2"), "external_id"},
			{"a NUL in a customer's name", "POST", "/v1/orders", order("customer.name", "Ann\u0000Lee"), "customer.name"},
			{"a line break in a postal code", "POST", "/v1/orders", order("ship_to.postal_code", "02108\n"), "ship_to.postal_code"},
			{"a C1 control in a reference", "POST", "/v1/inventory/adjustments", `{"sku":"mug","location":"wh1","delta":1,"reason":"receive","reference":"PO\u00851"}`, "reference"},
			{"a tab in a reference", "POST", "/v1/inventory/adjustments", `{"sku":"mug","location":"wh1","delta":1,"reason":"receive","reference":"PO\t1"}`, "reference"},
			{"a tab in a tracking number", "POST", "/v1/fulfillments/1001-F1/ship", `{"carrier":"UPS","tracking_number":"1Z\t99"}`, "tracking_number"},
			{"a line break in a rejection's reason", "POST", "/v1/fulfillments/1001-F1/reject", `{"reason":"gone\nmissing"}`, "reason"},
			{"a line break in an assignee", "POST", "/v1/cases", `{"order":"1001","subject":"Late","message":"Hi","assignee":"sam\n"}`, "assignee"},
			{"a tab in a subject", "POST", "/v1/cases", `{"order":"1001","subject":"Late\tagain","message":"Hi"}`, "subject"},
			{"a tab in a new assignee", "PATCH", "/v1/cases/" + c.ID, `{"assignee":"sam\tlee"}`, "assignee"},
			{"a line break in a key's name", "POST", "/v1/api-keys", `{"name":"desk\n","role":"agent"}`, "name"},
			{"a tab in a postal code of a centroid", "PUT", "/v1/geo/postal-centroids", `{"centroids":[{"country":"US","postal_code":"02\t108","latitude":1,"longitude":1}]}`, "centroids[0].postal_code"},
			{"a control character in a listing SKU", "PUT", "/v1/channels/web/sku-mappings/TEE%01", `{"sku":"mug"}`, "listing_sku"},
			{"a line break in a listing SKU", "PUT", "/v1/channels/web/sku-mappings/TEE%0A1", `{"sku":"mug"}`, "listing_sku"},
			{"a control character in a note", "POST", "/v1/orders/1001/notes", `{"body":"call\u0007back"}`, "body"},
			{"a control character in a cancellation's reason", "POST", "/v1/orders/1001/cancel", `{"reason":"late\u0000"}`, "reason"},
		} {
			t.Run(c.name, func(t *testing.T) {
				refused(t, h.call(c.method, c.path, oms.RoleAdmin, c.body), 400, c.field)
			})
		}
		h.unchanged(t, before)

		// Text keeps its lines and tabs.
		var n oms.Note
		h.mustCall("POST", "/v1/orders/1001/notes", oms.RoleAgent, `{"body":"Called twice:\n\t- no answer\r\n\t- left a message"}`, 201).json(t, &n)
		if n.Body != "Called twice:\n\t- no answer\r\n\t- left a message" {
			t.Errorf("note %q", n.Body)
		}
		h.mustCall("POST", "/v1/cases/"+c.ID+"/messages", oms.RoleAgent, `{"body":"Dear Ann,\n\nit shipped."}`, 200)
	})
}

// TestOnHandCap: no movement takes a balance past oms.MaxQuantity units on
// hand — an adjustment's delta, a receipt of supply or of a transfer, a
// return restocked — each is a 409 that writes nothing; up to the cap is
// fine.
func TestOnHandCap(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		h := setup(t, e)
		h.seed() // 5 mugs at wh1
		adjust := func(body string, want int) {
			t.Helper()
			h.mustCall("POST", "/v1/inventory/adjustments", oms.RoleWarehouse, body, want)
		}
		// A return to restock later: one mug shipped.
		var o oms.Order
		h.mustCall("POST", "/v1/orders", oms.RoleChannel, orderBody("CAP-1", 1), 201).json(t, &o)
		h.shipAll(o.ID)
		var ret oms.Return
		h.mustCall("POST", "/v1/orders/"+o.ID+"/returns", oms.RoleAgent, `{"lines":[{"line_id":"`+o.Lines[0].ID+`","quantity":1,
			"reason":"damaged","condition":"opened"}]}`, 201).json(t, &ret)
		h.mustCall("POST", "/v1/returns/"+ret.ID+"/approve", oms.RoleAgent, nil, 200)
		// Supply due at wh1, and a transfer to it from the shop.
		var sup, tr oms.Supply
		h.mustCall("POST", "/v1/supply", oms.RoleWarehouse, `{"sku":"mug","location":"wh1","kind":"purchase_order","quantity":10,
			"eta":"2030-01-01T00:00:00Z"}`, 201).json(t, &sup)
		adjust(`{"sku":"mug","location":"shop","delta":10,"reason":"receive"}`, 201)
		h.mustCall("POST", "/v1/transfers", oms.RoleWarehouse, `{"sku":"mug","from":"shop","to":"wh1","quantity":5,
			"eta":"2030-01-01T00:00:00Z"}`, 201).json(t, &tr)

		// 4 on hand at wh1: up to the cap exactly, then nothing more.
		adjust(`{"sku":"mug","location":"wh1","delta":1000000000,"reason":"receive"}`, 409)
		adjust(fmt.Sprintf(`{"sku":"mug","location":"wh1","delta":%d,"reason":"receive"}`, oms.MaxQuantity-4), 201)
		if b := h.balance("mug", "wh1"); b.OnHand != oms.MaxQuantity {
			t.Fatalf("on hand %d", b.OnHand)
		}
		before := h.counts(t)
		for _, c := range []struct{ name, method, path, body string }{
			{"one more by delta", "POST", "/v1/inventory/adjustments", `{"sku":"mug","location":"wh1","delta":1,"reason":"adjust"}`},
			{"a receipt of supply", "POST", "/v1/supply/" + fmt.Sprint(sup.ID) + "/receive", `{}`},
			{"a transfer arriving", "POST", "/v1/supply/" + fmt.Sprint(tr.ID) + "/receive", `{"quantity":1}`},
			{"a return restocked", "POST", "/v1/returns/" + ret.ID + "/receive",
				`{"units":[{"line_id":"` + o.Lines[0].ID + `","quantity":1,"condition":"opened","disposition":"restock","location":"wh1"}]}`},
		} {
			t.Run(c.name, func(t *testing.T) {
				r := h.call(c.method, c.path, oms.RoleAdmin, c.body)
				refused(t, r, 409)
				if !strings.Contains(r.problem(t).Detail, "1000000000") {
					t.Errorf("detail %q does not say the cap", r.problem(t).Detail)
				}
			})
		}
		h.unchanged(t, before)
		if b := h.balance("mug", "wh1"); b.OnHand != oms.MaxQuantity {
			t.Errorf("on hand %d after refused movements", b.OnHand)
		}
		// A count to the cap is fine; a return scrapped needs no room.
		adjust(fmt.Sprintf(`{"sku":"mug","location":"wh1","set_on_hand":%d,"reason":"count"}`, oms.MaxQuantity), 201)
		h.mustCall("POST", "/v1/returns/"+ret.ID+"/receive", oms.RoleWarehouse,
			`{"units":[{"line_id":"`+o.Lines[0].ID+`","quantity":1,"condition":"damaged","disposition":"scrap"}]}`, 200)
	})
}

// TestExportBrokenOff: an export that fails before its first rows go out is
// a problem document; one that fails after breaks the connection off, so
// that a real HTTP client gets an error reading the body and no
// OMS-Row-Count trailer; a whole file ends with that trailer.
func TestExportBrokenOff(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		h := setup(t, e)
		h.seed()
		// A stock value too large for 64 bits: 1,000,000 units at 10^13.
		h.mustCall("PUT", "/v1/items/zzz", oms.RoleManager, `{"name":"Vast","unit_cost":10000000000000,"currency":"USD"}`, 201)
		h.mustCall("POST", "/v1/inventory/adjustments", oms.RoleWarehouse, `{"sku":"zzz","location":"wh1","delta":1000000,"reason":"receive"}`, 201)

		get := func(path string) (*http.Response, []byte, error) {
			t.Helper()
			req, _ := http.NewRequest("GET", h.srv.URL+path, nil)
			req.Header.Set("Authorization", "Bearer "+h.keys[oms.RoleAdmin])
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				return nil, nil, err
			}
			defer res.Body.Close()
			body, err := io.ReadAll(res.Body)
			return res, body, err
		}

		// Failing on the first row: nothing was sent, so a 409 says why.
		r := h.call("GET", "/v1/exports/inventory?sku=zzz", oms.RoleAdmin, nil)
		refused(t, r, 409)
		if p := r.problem(t); !strings.Contains(p.Detail, "stock value of zzz at wh1") {
			t.Errorf("detail %q", p.Detail)
		}

		// A whole file ends with its row count.
		res, body, err := get("/v1/exports/inventory?sku=mug")
		if err != nil || res.StatusCode != 200 || res.Trailer.Get("OMS-Row-Count") != "1" || strings.Count(string(body), "\n") != 2 {
			t.Fatalf("whole file: %v %v trailer %v: %s", err, res, res.Trailer, body)
		}

		// Failing after many rows went out: the client sees the body end
		// early, and no trailer.
		for i := range 300 {
			sku := fmt.Sprintf("item-%03d", i)
			if _, err := h.db.PutItem(ctx, &oms.Item{SKU: sku, Name: "An item with a long enough name to fill the buffers", UnitCost: 450,
				Currency: "USD"}, oms.System("test")); err != nil {
				t.Fatal(err)
			}
			d := int64(3)
			if _, err := h.db.AdjustInventory(ctx, oms.Adjustment{SKU: sku, Location: "wh1", Reason: "receive", Delta: &d}, oms.System("test")); err != nil {
				t.Fatal(err)
			}
		}
		res, body, err = get("/v1/exports/inventory")
		if err == nil {
			t.Fatalf("a broken-off export read as whole: status %d, trailer %v, %d bytes", res.StatusCode, res.Trailer, len(body))
		}
		if res.StatusCode != 200 || res.Trailer.Get("OMS-Row-Count") != "" || !strings.HasPrefix(string(body), "sku,name,") ||
			strings.Contains(string(body), "zzz") {
			t.Errorf("broken off: status %d, trailer %v, %d bytes", res.StatusCode, res.Trailer, len(body))
		}
		t.Logf("broken off after %d bytes: %v", len(body), err)
	})
}

// TestOverflow: products of vast quantities and vast unit costs are never
// wrapped around: a stock value or average inventory value past 64 bits is
// a 409 naming the SKU, a shipment whose cost of goods would pass it is a
// 409 that writes nothing, and a sale whose cost cannot be multiplied out
// counts as cost missing in the margin report.
func TestOverflow(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		h := setup(t, e)
		h.seed()
		h.mustCall("PUT", "/v1/items/zzz", oms.RoleManager, `{"name":"Vast","unit_cost":10000000000000,"currency":"USD"}`, 201)
		h.mustCall("POST", "/v1/inventory/adjustments", oms.RoleWarehouse, `{"sku":"zzz","location":"wh1","delta":1000000,"reason":"receive"}`, 201)

		r := h.call("GET", "/v1/reports/inventory", oms.RoleAdmin, nil)
		refused(t, r, 409)
		if d := r.problem(t).Detail; !strings.Contains(d, "stock value of zzz at wh1") {
			t.Errorf("inventory report: %q", d)
		}
		day := time.Now().UTC().Format(time.DateOnly)
		r = h.call("GET", "/v1/reports/turnover?from="+day+"&to="+day, oms.RoleAdmin, nil)
		refused(t, r, 409)
		if d := r.problem(t).Detail; !strings.Contains(d, "average inventory value of zzz") {
			t.Errorf("turnover report: %q", d)
		}
		h.mustCall("GET", "/v1/reports/inventory?sku=mug", oms.RoleAdmin, nil, 200)

		// 1,000,000 units at a cost of 10^13 each: placed, its cost left out
		// of the margin; shipping them all is refused.
		var o oms.Order
		h.mustCall("POST", "/v1/orders", oms.RoleChannel, `{"channel":"web","external_id":"V-1","currency":"USD",
			"ship_to":{"name":"Ann Lee","line1":"2 Elm St","city":"Boston","region":"MA","postal_code":"02108","country":"US"},
			"lines":[{"sku":"zzz","quantity":1000000,"unit_price":1}]}`, 201).json(t, &o)
		var rep oms.Report
		m := h.mustCall("GET", "/v1/reports/margin?from="+day+"&to="+day+"&sku=zzz", oms.RoleAdmin, nil, 200)
		m.json(t, &rep)
		if len(rep.Rows) != 1 || !strings.Contains(string(m.body), `"cost_of_goods":0,`) ||
			!strings.Contains(strings.Join(rep.Notes, " "), "1000000 units") {
			t.Errorf("margin %s", m.body)
		}
		before := h.counts(t)
		r = h.call("POST", "/v1/fulfillments/"+o.Number+"-F1/ship", oms.RoleWarehouse, `{"carrier":"UPS","tracking_number":"1Z1"}`)
		refused(t, r, 409)
		if d := r.problem(t).Detail; !strings.Contains(d, "cost of the goods shipped") {
			t.Errorf("ship: %q", d)
		}
		h.unchanged(t, before)
		var f oms.Fulfillment
		h.mustCall("GET", "/v1/fulfillments/"+o.Number+"-F1", oms.RoleWarehouse, nil, 200).json(t, &f)
		if f.Status != oms.FulfillmentPending || h.balance("zzz", "wh1").OnHand != 1000000 {
			t.Errorf("after a refused shipment: %s, %+v", f.Status, h.balance("zzz", "wh1"))
		}
		h.mustCall("POST", "/v1/orders/"+o.ID+"/cancel", oms.RoleAgent, nil, 200)
	})
}
