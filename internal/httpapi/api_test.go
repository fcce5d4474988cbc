package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/httpapi"
	"github.com/omshq/oms/internal/store"
	"github.com/omshq/oms/internal/store/storetest"
)

var ctx = context.Background()

// harness is a real server over a real database, with a key for every role.
// The channel role's key acts for every channel there is when it is used:
// a channel key is bound to channels, and tests make theirs as they go.
type harness struct {
	t    testing.TB
	db   *store.DB
	srv  *httptest.Server
	mu   sync.Mutex // guards keys and channels: tests call from many goroutines
	keys map[oms.Role]string
	// client sends the requests; nil means http.DefaultClient.
	client *http.Client
	// channels are the codes the channel role's key is bound to.
	channels string
}

func setup(t *testing.T, e storetest.Engine) *harness {
	t.Helper()
	return setupWith(t, storetest.Open(t, e))
}

// setupWith is setup over a database the test opened.
func setupWith(t *testing.T, db *store.DB) *harness {
	t.Helper()
	h := &harness{t: t, db: db, keys: map[oms.Role]string{}}
	for _, r := range oms.Roles {
		if r == oms.RoleChannel {
			continue // made when used: see channelKey
		}
		_, secret, err := db.CreateAPIKey(ctx, string(r), r, oms.System("test"))
		if err != nil {
			t.Fatal(err)
		}
		h.keys[r] = secret
	}
	h.srv = httptest.NewServer(httpapi.New(db, slog.New(slog.DiscardHandler)))
	t.Cleanup(h.srv.Close)
	t.Cleanup(func() { storetest.AssertInvariants(t, db) })
	return h
}

// response is what a call got back.
type response struct {
	status int
	header http.Header
	body   []byte
}

func (r response) json(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		t.Fatalf("decode %s: %v", r.body, err)
	}
}

func (r response) problem(t testing.TB) httpapi.Problem {
	t.Helper()
	if ct := r.header.Get("Content-Type"); ct != "application/problem+json" {
		t.Errorf("content type %q for status %d", ct, r.status)
	}
	var p httpapi.Problem
	r.json(t, &p)
	return p
}

// call sends body (a string is sent as is, anything else as JSON) as role.
func (h *harness) call(method, path string, role oms.Role, body any, header ...string) response {
	h.t.Helper()
	r, err := h.try(method, path, role, body, header...)
	if err != nil {
		h.t.Fatal(err)
	}
	return r
}

// try is call, returning the error of a request that got no answer.
func (h *harness) try(method, path string, role oms.Role, body any, header ...string) (response, error) {
	h.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		j, err := json.Marshal(b)
		if err != nil {
			h.t.Fatal(err)
		}
		rd = bytes.NewReader(j)
	}
	req, err := http.NewRequest(method, h.srv.URL+path, rd)
	if err != nil {
		h.t.Fatal(err)
	}
	if role != "" {
		req.Header.Set("Authorization", "Bearer "+h.key(role))
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	client := h.client
	if client == nil {
		client = http.DefaultClient
	}
	res, err := client.Do(req)
	if err != nil {
		return response{}, err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		return response{}, err
	}
	conforms(h.t, req, res.StatusCode, res.Header, b)
	return response{status: res.StatusCode, header: res.Header, body: b}, nil
}

// key returns the secret of role's key.
func (h *harness) key(role oms.Role) string {
	h.t.Helper()
	h.mu.Lock()
	defer h.mu.Unlock()
	if role == oms.RoleChannel {
		h.channelKey()
	}
	return h.keys[role]
}

// channelKey makes the channel role's key anew when channels were added
// since it was made, bound to every channel.
func (h *harness) channelKey() {
	h.t.Helper()
	cs, err := h.db.Channels(ctx)
	if err != nil {
		h.t.Fatal(err)
	}
	var codes []string
	for _, c := range cs {
		codes = append(codes, c.Code)
	}
	if strings.Join(codes, ",") == h.channels && h.keys[oms.RoleChannel] != "" {
		return
	}
	if len(codes) == 0 {
		h.keys[oms.RoleChannel] = "oms_no_channel_yet" // no channel key can exist: its requests are unauthorized
		return
	}
	h.keys[oms.RoleChannel] = h.bind("channel", oms.RoleChannel, oms.KeyScope{Channels: codes})
	h.channels = strings.Join(codes, ",")
}

// bind creates a key of the role bound to the scope and returns its secret.
func (h *harness) bind(name string, role oms.Role, scope oms.KeyScope) string {
	h.t.Helper()
	_, secret, err := h.db.CreateAPIKey(ctx, name, role, oms.System("test"), scope)
	if err != nil {
		h.t.Fatal(err)
	}
	return secret
}

func (h *harness) mustCall(method, path string, role oms.Role, body any, want int) response {
	h.t.Helper()
	r := h.call(method, path, role, body)
	if r.status != want {
		h.t.Fatalf("%s %s: status %d, want %d: %s", method, path, r.status, want, r.body)
	}
	return r
}

// seed creates channels web (rejects backorders) and b2b (accepts them), a
// warehouse, a store that cannot ship, and SKU mug with 5 units.
func (h *harness) seed() {
	h.t.Helper()
	h.mustCall("PUT", "/v1/channels/web", oms.RoleManager, `{"name":"Web","kind":"web","currency":"USD","backorder_policy":"reject"}`, 201)
	h.mustCall("PUT", "/v1/channels/b2b", oms.RoleManager, `{"name":"B2B","kind":"api","currency":"USD","backorder_policy":"backorder"}`, 201)
	h.mustCall("PUT", "/v1/locations/wh1", oms.RoleManager, `{"name":"Warehouse","kind":"warehouse","can_ship":true,"priority":1,
		"address":{"line1":"1 Dock Rd","city":"Newark","region":"NJ","postal_code":"07102","country":"US"},"latitude":40.73,"longitude":-74.17}`, 201)
	h.mustCall("PUT", "/v1/locations/shop", oms.RoleManager, `{"name":"Shop","kind":"store","can_ship":false,"can_pickup":true,"priority":0}`, 201)
	h.mustCall("PUT", "/v1/items/mug", oms.RoleManager, `{"name":"Mug","unit_cost":450,"currency":"USD","barcode":"0123456789012"}`, 201)
	h.mustCall("POST", "/v1/inventory/adjustments", oms.RoleWarehouse, `{"sku":"mug","location":"wh1","delta":5,"reason":"receive","reference":"PO-1"}`, 201)
}

func orderBody(ext string, qty int) string {
	return fmt.Sprintf(`{"channel":"web","external_id":%q,"currency":"USD",
		"customer":{"email":"Ann@Example.com","name":"Ann Lee","phone":"+1 555 0100"},
		"ship_to":{"name":"Ann Lee","line1":"2 Elm St","city":"Boston","region":"MA","postal_code":"02108","country":"US"},
		"lines":[{"sku":"mug","quantity":%d,"unit_price":1250,"discount":100,"tax":80}],
		"shipping_price":500,"placed_at":"2026-11-26T10:00:00+01:00"}`, ext, qty)
}

func TestAuth(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		h := setup(t, e)
		h.mustCall("PUT", "/v1/channels/web", oms.RoleManager, `{"name":"Web","kind":"web","currency":"USD","backorder_policy":"reject"}`, 201)
		cases := []struct {
			name         string
			method, path string
			role         oms.Role
			header       []string
			body         string
			status       int
		}{
			{"health needs no key", "GET", "/healthz", "", nil, "", 200},
			{"openapi needs no key", "GET", "/openapi.json", "", nil, "", 200},
			{"no key", "GET", "/v1/orders", "", nil, "", 401},
			{"wrong key", "GET", "/v1/orders", "", []string{"Authorization", "Bearer oms_nope"}, "", 401},
			{"not bearer", "GET", "/v1/orders", "", []string{"Authorization", "Basic abc"}, "", 401},
			{"agent reads orders", "GET", "/v1/orders", oms.RoleAgent, nil, "", 200},
			{"agent may not change channels", "PUT", "/v1/channels/x", oms.RoleAgent, nil, `{}`, 403},
			{"channel may not adjust stock", "POST", "/v1/inventory/adjustments", oms.RoleChannel, nil, `{}`, 403},
			{"warehouse may not place orders", "POST", "/v1/orders", oms.RoleWarehouse, nil, `{}`, 403},
			{"channel may not cancel", "POST", "/v1/orders/1001/cancel", oms.RoleChannel, nil, "", 403},
			{"manager may not make keys", "POST", "/v1/api-keys", oms.RoleManager, nil, `{"name":"x","role":"admin"}`, 403},
			{"admin makes keys", "POST", "/v1/api-keys", oms.RoleAdmin, nil, `{"name":"x","role":"agent"}`, 201},
			{"admin checks invariants", "GET", "/v1/admin/check", oms.RoleAdmin, nil, "", 200},
			{"manager may not check", "GET", "/v1/admin/check", oms.RoleManager, nil, "", 403},
			{"unknown route", "GET", "/v1/nothing", oms.RoleAdmin, nil, "", 404},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				var body any
				if c.body != "" {
					body = c.body
				}
				r := h.call(c.method, c.path, c.role, body, c.header...)
				if r.status != c.status {
					t.Fatalf("status %d, want %d: %s", r.status, c.status, r.body)
				}
				if c.status >= 400 {
					p := r.problem(t)
					if p.Status != c.status || p.Code == "" || p.Type == "" || p.Title == "" {
						t.Errorf("problem = %+v", p)
					}
				}
				if c.status == 401 && r.header.Get("WWW-Authenticate") == "" {
					t.Error("401 without WWW-Authenticate")
				}
			})
		}
		// A key made through the API works with its role.
		var k struct {
			Secret string `json:"secret"`
			Role   string `json:"role"`
		}
		h.mustCall("POST", "/v1/api-keys", oms.RoleAdmin, `{"name":"desk","role":"agent"}`, 201).json(t, &k)
		h.keys["new"] = k.Secret
		if r := h.call("GET", "/v1/orders", "new", nil); r.status != 200 || k.Role != "agent" {
			t.Errorf("new key: status %d, role %s", r.status, k.Role)
		}
	})
}

func TestOrderLifecycle(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		h := setup(t, e)
		h.seed()
		var o oms.Order
		r := h.mustCall("POST", "/v1/orders", oms.RoleChannel, orderBody("W-1", 3), 201)
		r.json(t, &o)
		if o.Status != oms.StatusAllocated || o.Number != "1001" || len(o.Allocations) != 1 || o.Allocations[0].Location != "wh1" {
			t.Fatalf("order = %s", r.body)
		}
		// 3 × 1250 − 100 + 500 shipping + 80 tax
		if o.Subtotal != 3750 || o.DiscountTotal != 100 || o.ShippingTotal != 500 || o.TaxTotal != 80 || o.Total != 4230 {
			t.Errorf("totals = %+v", o.Totals)
		}
		// The channel's key is shown no contact details; a key that reads
		// customers is.
		if o.Customer != (oms.Customer{}) || o.ShipTo != nil || o.PlacedAt.Format("15:04") != "09:00" {
			t.Errorf("as the channel: customer %+v, placed_at %s, ship_to %+v", o.Customer, o.PlacedAt, o.ShipTo)
		}
		var seen oms.Order
		h.mustCall("GET", "/v1/orders/"+o.ID, oms.RoleAgent, nil, 200).json(t, &seen)
		if seen.Customer.Email != "ann@example.com" || seen.ShipTo == nil || seen.ShipTo.City != "Boston" {
			t.Errorf("as an agent: customer %+v, ship_to %+v", seen.Customer, seen.ShipTo)
		}
		if r.header.Get("Location") != "/v1/orders/"+o.ID || r.header.Get("ETag") != `"1"` {
			t.Errorf("headers = %v", r.header)
		}
		// The same external id again: the same order, 200, nothing reserved twice.
		var again oms.Order
		h.mustCall("POST", "/v1/orders", oms.RoleChannel, orderBody("W-1", 3), 200).json(t, &again)
		if again.ID != o.ID {
			t.Errorf("repeat made order %s", again.ID)
		}
		var st oms.Stock
		h.mustCall("GET", "/v1/inventory/mug", oms.RoleAgent, nil, 200).json(t, &st)
		if st.OnHand != 5 || st.Reserved != 3 || st.Available != 2 {
			t.Errorf("stock = %+v", st)
		}
		for _, ref := range []string{o.ID, o.Number} {
			h.mustCall("GET", "/v1/orders/"+ref, oms.RoleAgent, nil, 200)
		}
		h.mustCall("GET", "/v1/orders/ord_nope", oms.RoleAgent, nil, 404)
		h.mustCall("GET", "/v1/orders/99999", oms.RoleAgent, nil, 404)

		// Out of stock on a rejecting channel: 409 listing the SKU.
		p := h.mustCall("POST", "/v1/orders", oms.RoleChannel, orderBody("W-2", 3), 409).problem(t)
		if p.Code != oms.EOUTOFSTOCK || len(p.Short) != 1 || p.Short[0] != (oms.Shortage{SKU: "mug", Requested: 3, Available: 2}) {
			t.Errorf("problem = %+v", p)
		}
		// A backordering channel takes it and leaves the rest open.
		var b oms.Order
		h.mustCall("POST", "/v1/orders", oms.RoleChannel, strings.Replace(orderBody("B-1", 3), `"web"`, `"b2b"`, 1), 201).json(t, &b)
		if b.Status != oms.StatusBackordered || b.Lines[0].Allocated != 2 || b.Lines[0].Open != 1 {
			t.Errorf("backorder = %+v", b.Lines)
		}

		// Cancel one unit, then the rest.
		var c oms.Order
		h.mustCall("POST", "/v1/orders/"+o.Number+"/cancel", oms.RoleAgent,
			fmt.Sprintf(`{"lines":[{"line_id":%q,"quantity":1}]}`, o.Lines[0].ID), 200).json(t, &c)
		if c.Lines[0].Cancelled != 1 || c.Lines[0].Allocated != 2 || c.Version != 2 {
			t.Errorf("after partial cancel = %+v", c.Lines[0])
		}
		h.mustCall("POST", "/v1/orders/"+o.ID+"/cancel", oms.RoleAgent, nil, 200).json(t, &c)
		if c.Status != oms.StatusCancelled {
			t.Errorf("status = %s", c.Status)
		}
		h.mustCall("POST", "/v1/orders/"+o.ID+"/cancel", oms.RoleAgent, nil, 409)

		var tl struct{ Events []oms.Event }
		h.mustCall("GET", "/v1/orders/"+o.ID+"/events", oms.RoleAgent, nil, 200).json(t, &tl)
		var types []string
		for _, e := range tl.Events {
			types = append(types, e.Type)
		}
		if fmt.Sprint(types) != "[order.created order.lines_cancelled order.cancelled]" {
			t.Errorf("timeline = %v", types)
		}
		var ledger struct {
			Entries    []oms.LedgerEntry
			NextCursor *string `json:"next_cursor"`
		}
		h.mustCall("GET", "/v1/inventory/mug/ledger?limit=2", oms.RoleAgent, nil, 200).json(t, &ledger)
		if len(ledger.Entries) != 2 || ledger.NextCursor == nil || ledger.Entries[0].Kind != oms.MoveRelease {
			t.Fatalf("ledger page = %+v", ledger)
		}
		h.mustCall("GET", "/v1/inventory/mug/ledger?after="+*ledger.NextCursor, oms.RoleAgent, nil, 200)
	})
}

func TestListOrders(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		h := setup(t, e)
		h.seed()
		for i := range 5 {
			h.mustCall("POST", "/v1/orders", oms.RoleChannel, orderBody(fmt.Sprint("L-", i), 1), 201)
		}
		var page struct {
			Orders     []oms.Order
			NextCursor *string `json:"next_cursor"`
		}
		h.mustCall("GET", "/v1/orders?limit=3&status=allocated&channel=web", oms.RoleAgent, nil, 200).json(t, &page)
		if len(page.Orders) != 3 || page.NextCursor == nil || page.Orders[0].ExternalID != "L-4" {
			t.Fatalf("page 1 = %d orders", len(page.Orders))
		}
		cur := *page.NextCursor
		page.NextCursor = nil
		h.mustCall("GET", "/v1/orders?limit=3&status=allocated&after="+cur, oms.RoleAgent, nil, 200).json(t, &page)
		if len(page.Orders) != 2 || page.NextCursor != nil || page.Orders[1].ExternalID != "L-0" {
			t.Fatalf("page 2 = %d orders, next %v", len(page.Orders), page.NextCursor)
		}
		h.mustCall("GET", "/v1/orders?q=ann@example.com", oms.RoleAgent, nil, 200).json(t, &page)
		if len(page.Orders) != 5 {
			t.Errorf("search by email found %d", len(page.Orders))
		}
		if o := page.Orders[0]; len(o.Lines) != 0 || o.Total != 1730 || o.Customer.Email != "ann@example.com" {
			t.Errorf("list item without expand = %+v", o)
		}
		h.mustCall("GET", "/v1/orders?q=ann@example.com&expand=lines", oms.RoleAgent, nil, 200).json(t, &page)
		if o := page.Orders[0]; len(o.Lines) != 1 || len(o.Allocations) != 1 || o.Lines[0].SKU != "mug" {
			t.Errorf("list item with expand=lines = %+v", o)
		}
		h.mustCall("GET", "/v1/orders?expand=everything", oms.RoleAgent, nil, 400)
		h.mustCall("GET", "/v1/orders?status=cancelled", oms.RoleAgent, nil, 200).json(t, &page)
		if len(page.Orders) != 0 {
			t.Errorf("cancelled = %d", len(page.Orders))
		}
	})
}

// TestBadInput sends malformed, hostile and wrong requests: each gets a
// problem naming the field, and none writes anything.
func TestBadInput(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		h := setup(t, e)
		h.seed()
		ok := func(edit func(m map[string]any)) []byte {
			var m map[string]any
			if err := json.Unmarshal([]byte(orderBody("X-1", 1)), &m); err != nil {
				t.Fatal(err)
			}
			edit(m)
			b, _ := json.Marshal(m)
			return b
		}
		line := func(m map[string]any) map[string]any { return m["lines"].([]any)[0].(map[string]any) }
		many := make([]any, 501)
		for i := range many {
			many[i] = map[string]any{"sku": "mug", "quantity": 1, "unit_price": 1}
		}
		cases := []struct {
			name   string
			method string
			path   string
			body   any
			status int
			field  string
		}{
			{"malformed json", "POST", "/v1/orders", `{"channel": "web",`, 400, "body"},
			{"not an object", "POST", "/v1/orders", `[1,2]`, 400, "body"},
			{"empty body", "POST", "/v1/orders", ``, 400, "body"},
			{"trailing data", "POST", "/v1/orders", orderBody("X-1", 1) + `{}`, 400, "body"},
			{"unknown field", "POST", "/v1/orders", ok(func(m map[string]any) { m["coupon"] = "FREE" }), 400, "coupon"},
			{"unknown line field", "POST", "/v1/orders", ok(func(m map[string]any) { line(m)["colour"] = "red" }), 400, "lines[0].colour"},
			{"quantity given twice", "POST", "/v1/orders", strings.Replace(orderBody("X-1", 1), `"quantity":1`, `"quantity":1,"quantity":1000`, 1), 400, "lines[0].quantity"},
			{"invalid UTF-8", "POST", "/v1/orders", strings.Replace(orderBody("X-1", 1), "Ann Lee", "Ann \xff Lee", 1), 400, "customer.name"},
			{"missing price", "POST", "/v1/orders", ok(func(m map[string]any) { delete(line(m), "unit_price") }), 400, "lines[0].unit_price"},
			{"fractional price", "POST", "/v1/orders", ok(func(m map[string]any) { line(m)["unit_price"] = 12.5 }), 400, "lines[0].unit_price"},
			{"price as string", "POST", "/v1/orders", ok(func(m map[string]any) { line(m)["unit_price"] = "1250" }), 400, "lines[0].unit_price"},
			{"price with exponent", "POST", "/v1/orders", strings.Replace(orderBody("X-1", 1), `"unit_price":1250`, `"unit_price":1.25e3`, 1), 400, "lines[0].unit_price"},
			{"price overflows int64", "POST", "/v1/orders", strings.Replace(orderBody("X-1", 1), `"unit_price":1250`, `"unit_price":99999999999999999999`, 1), 400, "lines[0].unit_price"},
			{"negative price", "POST", "/v1/orders", ok(func(m map[string]any) { line(m)["unit_price"] = -1 }), 400, "lines[0].unit_price"},
			{"zero quantity", "POST", "/v1/orders", ok(func(m map[string]any) { line(m)["quantity"] = 0 }), 400, "lines[0].quantity"},
			{"negative quantity", "POST", "/v1/orders", ok(func(m map[string]any) { line(m)["quantity"] = -3 }), 400, "lines[0].quantity"},
			{"absurd quantity", "POST", "/v1/orders", ok(func(m map[string]any) { line(m)["quantity"] = 1e12 }), 400, "lines[0].quantity"},
			{"fractional quantity", "POST", "/v1/orders", ok(func(m map[string]any) { line(m)["quantity"] = 1.5 }), 400, "lines[0].quantity"},
			{"unknown sku", "POST", "/v1/orders", ok(func(m map[string]any) { line(m)["sku"] = "teapot" }), 400, "lines[0].sku"},
			{"unknown channel", "POST", "/v1/orders", ok(func(m map[string]any) { m["channel"] = "fax" }), 400, "channel"},
			{"unknown currency", "POST", "/v1/orders", ok(func(m map[string]any) { m["currency"] = "ZZZ" }), 400, "currency"},
			{"not the channel's currency", "POST", "/v1/orders", ok(func(m map[string]any) { m["currency"] = "EUR" }), 400, "currency"},
			{"no lines", "POST", "/v1/orders", ok(func(m map[string]any) { m["lines"] = []any{} }), 400, "lines"},
			{"501 lines", "POST", "/v1/orders", ok(func(m map[string]any) { m["lines"] = many }), 400, "lines"},
			{"bad email", "POST", "/v1/orders", ok(func(m map[string]any) { m["customer"] = map[string]any{"email": "not-an-email"} }), 400, "customer.email"},
			{"bad country", "POST", "/v1/orders", ok(func(m map[string]any) { m["ship_to"].(map[string]any)["country"] = "USA" }), 400, "ship_to.country"},
			{"bad placed_at", "POST", "/v1/orders", ok(func(m map[string]any) { m["placed_at"] = "yesterday" }), 400, "placed_at"},
			{"missing external id", "POST", "/v1/orders", ok(func(m map[string]any) { delete(m, "external_id") }), 400, "external_id"},
			{"wrong type", "POST", "/v1/orders", ok(func(m map[string]any) { m["channel"] = 7 }), 400, "channel"},
			{"body over 1 MiB", "POST", "/v1/orders", `{"channel":"` + strings.Repeat("x", 1<<20) + `"}`, 413, ""},
			{"malformed query", "GET", "/v1/orders?after=%%%", nil, 400, "query"},
			{"forged cursor", "GET", "/v1/orders?after=bm9wZQ", nil, 400, "after"},
			{"bad limit", "GET", "/v1/orders?limit=0", nil, 400, "limit"},
			{"bad status filter", "GET", "/v1/orders?status=lost", nil, 400, "status"},
			{"adjust unknown sku", "POST", "/v1/inventory/adjustments", `{"sku":"teapot","location":"wh1","delta":1,"reason":"receive"}`, 400, "sku"},
			{"adjust zero", "POST", "/v1/inventory/adjustments", `{"sku":"mug","location":"wh1","delta":0,"reason":"adjust"}`, 400, "delta"},
			{"adjust fractional", "POST", "/v1/inventory/adjustments", `{"sku":"mug","location":"wh1","delta":0.5,"reason":"adjust"}`, 400, "delta"},
			{"adjust bad reason", "POST", "/v1/inventory/adjustments", `{"sku":"mug","location":"wh1","delta":1,"reason":"found"}`, 400, "reason"},
			{"count below zero", "POST", "/v1/inventory/adjustments", `{"sku":"mug","location":"wh1","set_on_hand":-1,"reason":"count"}`, 400, "set_on_hand"},
			{"channel bad kind", "PUT", "/v1/channels/fax", `{"name":"Fax","kind":"fax","currency":"USD","backorder_policy":"reject"}`, 400, "kind"},
			{"channel code mismatch", "PUT", "/v1/channels/fax", `{"code":"web","name":"Fax","kind":"api","currency":"USD","backorder_policy":"reject"}`, 400, "code"},
			{"item fractional cost", "PUT", "/v1/items/cup", `{"name":"Cup","unit_cost":4.5,"currency":"USD"}`, 400, "unit_cost"},
			{"location bad latitude", "PUT", "/v1/locations/x", `{"name":"X","kind":"store","latitude":91,"longitude":0}`, 400, "latitude"},
			{"cancel bad quantity", "POST", "/v1/orders/1001/cancel", `{"lines":[{"line_id":"ln_x","quantity":"2"}]}`, 400, "lines[0].quantity"},
		}
		before, err := h.db.Counts(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				r := h.call(c.method, c.path, oms.RoleAdmin, c.body)
				if r.status != c.status {
					t.Fatalf("status %d, want %d: %s", r.status, c.status, r.body)
				}
				p := r.problem(t)
				if c.field == "" {
					return
				}
				var fields []string
				for _, f := range p.Errors {
					fields = append(fields, f.Field)
					if f.Message == "" {
						t.Errorf("field %s has no message", f.Field)
					}
				}
				if len(fields) == 0 || fields[0] != c.field {
					t.Errorf("fields = %v, want %s first (%s)", fields, c.field, r.body)
				}
			})
		}
		after, err := h.db.Counts(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(before) != fmt.Sprint(after) {
			t.Errorf("bad requests wrote rows:\nbefore %v\nafter  %v", before, after)
		}
	})
}

func TestIdempotencyKey(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		h := setup(t, e)
		h.seed()
		first := h.call("POST", "/v1/orders", oms.RoleChannel, orderBody("I-1", 1), "Idempotency-Key", "abc-1")
		if first.status != 201 {
			t.Fatalf("first: %d %s", first.status, first.body)
		}
		again := h.call("POST", "/v1/orders", oms.RoleChannel, orderBody("I-1", 1), "Idempotency-Key", "abc-1")
		if again.status != 201 || !bytes.Equal(again.body, first.body) || again.header.Get("Idempotent-Replayed") != "true" {
			t.Errorf("replay: %d %s", again.status, again.body)
		}
		// The replay gives again the headers that say what was made.
		for _, name := range []string{"Location", "ETag"} {
			if v := first.header.Get(name); v == "" || again.header.Get(name) != v {
				t.Errorf("%s: first %q, replay %q", name, v, again.header.Get(name))
			}
		}
		other := h.call("POST", "/v1/orders", oms.RoleChannel, orderBody("I-2", 1), "Idempotency-Key", "abc-1")
		if other.status != 422 || other.problem(t).Code != oms.EIDEMPOTENCY {
			t.Errorf("reuse with another body: %d %s", other.status, other.body)
		}
		// A refused request's answer is replayed too, without running it again.
		adj := `{"sku":"mug","location":"wh1","delta":-100,"reason":"adjust"}`
		r1 := h.call("POST", "/v1/inventory/adjustments", oms.RoleWarehouse, adj, "Idempotency-Key", "adj-1")
		r2 := h.call("POST", "/v1/inventory/adjustments", oms.RoleWarehouse, adj, "Idempotency-Key", "adj-1")
		if r1.status != 409 || r2.status != 409 || !bytes.Equal(r1.body, r2.body) {
			t.Errorf("refused replay: %d then %d", r1.status, r2.status)
		}
		var st oms.Stock
		h.mustCall("GET", "/v1/inventory/mug", oms.RoleAgent, nil, 200).json(t, &st)
		if st.Reserved != 1 {
			t.Errorf("reserved = %d, want 1", st.Reserved)
		}
	})
}

// TestRaceForLastUnits is the sale-day scenario over HTTP: 200 shoppers race
// for 50 units; exactly 50 win and 150 get a clean out_of_stock.
func TestRaceForLastUnits(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		h := setup(t, e)
		h.seed()
		h.mustCall("POST", "/v1/inventory/adjustments", oms.RoleWarehouse, `{"sku":"mug","location":"wh1","set_on_hand":50,"reason":"count"}`, 201)
		var mu sync.Mutex
		statuses := map[int]int{}
		var wg sync.WaitGroup
		for i := range 200 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				r := h.call("POST", "/v1/orders", oms.RoleChannel, orderBody(fmt.Sprint("R-", i), 1))
				mu.Lock()
				statuses[r.status]++
				mu.Unlock()
				if r.status == 409 {
					if p := r.problem(t); p.Code != oms.EOUTOFSTOCK {
						t.Errorf("409 with code %s", p.Code)
					}
				}
			}()
		}
		wg.Wait()
		if statuses[201] != 50 || statuses[409] != 150 || len(statuses) != 2 {
			t.Errorf("statuses = %v, want 50×201 and 150×409", statuses)
		}
		var st oms.Stock
		h.mustCall("GET", "/v1/inventory/mug", oms.RoleAgent, nil, 200).json(t, &st)
		if st.Reserved != 50 || st.Available != 0 || st.OnHand != 50 {
			t.Errorf("stock = %+v", st)
		}
	})
}

func TestSourcingAPI(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		h := setup(t, e)
		h.seed()
		h.mustCall("PUT", "/v1/locations/shop", oms.RoleManager, `{"name":"Shop","kind":"store","can_ship":true,"can_pickup":true,"priority":2,
			"latitude":42.36,"longitude":-71.06,"channels":["web"]}`, 200)
		// A location serves channels that exist, each named once.
		saved := h.counts(t)
		refused(t, h.call("PUT", "/v1/locations/shop", oms.RoleManager, `{"name":"Shop","kind":"store","can_ship":true,"priority":2,
			"channels":["web","nope"]}`), 400, "channels[1]")
		refused(t, h.call("PUT", "/v1/locations/shop", oms.RoleManager, `{"name":"Shop","kind":"store","can_ship":true,"priority":2,
			"channels":["web","web"]}`), 400, "channels[1]")
		h.unchanged(t, saved)
		h.mustCall("POST", "/v1/inventory/adjustments", oms.RoleWarehouse, `{"sku":"mug","location":"shop","delta":2,"reason":"receive"}`, 201)
		var o oms.Order
		h.mustCall("POST", "/v1/orders", oms.RoleChannel, strings.Replace(orderBody("S-1", 1), `"country":"US"}`,
			`"country":"US","latitude":42.35,"longitude":-71.07}`, 1), 201).json(t, &o)
		if len(o.Allocations) != 1 || o.Allocations[0].Location != "shop" {
			t.Errorf("allocations = %+v, want the Boston shop, nearest", o.Allocations)
		}
		var d oms.Sourcing
		h.mustCall("GET", "/v1/orders/"+o.Number+"/sourcing", oms.RoleAgent, nil, 200).json(t, &d)
		if d.Method != "exact" || len(d.Sites) != 2 || d.Summary == "" {
			t.Errorf("sourcing = %+v", d)
		}
		var sim oms.Sourcing
		before, _ := h.db.Counts(ctx)
		h.mustCall("POST", "/v1/sourcing/simulate", oms.RoleAgent, `{"channel":"web","currency":"USD","pickup_location":"shop",
			"lines":[{"sku":"mug","quantity":5,"unit_price":100}]}`, 200).json(t, &sim)
		if len(sim.Placements) != 1 || sim.Placements[0].Quantity != 1 || sim.Method != "pickup" || len(sim.Short) != 1 {
			t.Errorf("simulation = %+v", sim)
		}
		// web rejects backorders: the simulation says placing it would be
		// refused; b2b's, that the rest would wait.
		if !strings.Contains(sim.Summary, "would be refused (409 out_of_stock)") {
			t.Errorf("a short order on a rejecting channel: %q", sim.Summary)
		}
		h.mustCall("POST", "/v1/sourcing/simulate", oms.RoleAgent, `{"channel":"b2b","currency":"USD","pickup_location":"shop",
			"lines":[{"sku":"mug","quantity":5,"unit_price":100}]}`, 200).json(t, &sim)
		if strings.Contains(sim.Summary, "refused") || len(sim.Short) != 1 {
			t.Errorf("a short order on a backordering channel: %+v", sim)
		}
		if after, _ := h.db.Counts(ctx); fmt.Sprint(before) != fmt.Sprint(after) {
			t.Errorf("simulation wrote rows")
		}
		p := h.mustCall("POST", "/v1/orders", oms.RoleChannel, strings.Replace(orderBody("S-2", 1), `"shipping_price"`,
			`"pickup_location":"wh1","shipping_price"`, 1), 400).problem(t)
		if len(p.Errors) != 1 || p.Errors[0].Field != "pickup_location" {
			t.Errorf("problem = %+v", p)
		}
	})
}

// TestFulfillmentScenario: an order split over two locations gets two
// fulfillments; one location rejects its part, which is sourced again from a
// third; everything ships and is delivered.
func TestFulfillmentScenario(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		h := setup(t, e)
		h.seed() // 5 mugs at wh1
		h.mustCall("PUT", "/v1/items/cup", oms.RoleManager, `{"name":"Cup","unit_cost":100,"currency":"USD"}`, 201)
		for _, loc := range []string{"wh2", "wh3"} {
			h.mustCall("PUT", "/v1/locations/"+loc, oms.RoleManager, `{"name":"WH","kind":"warehouse","can_ship":true,"priority":2}`, 201)
		}
		h.mustCall("POST", "/v1/inventory/adjustments", oms.RoleWarehouse, `{"sku":"cup","location":"wh2","delta":3,"reason":"receive"}`, 201)
		h.mustCall("POST", "/v1/inventory/adjustments", oms.RoleWarehouse, `{"sku":"cup","location":"wh3","delta":3,"reason":"receive"}`, 201)
		var o oms.Order
		h.mustCall("POST", "/v1/orders", oms.RoleChannel, `{"channel":"web","external_id":"F-1","currency":"USD",
			"lines":[{"sku":"mug","quantity":2,"unit_price":1000},{"sku":"cup","quantity":2,"unit_price":500}]}`, 201).json(t, &o)
		var fl struct{ Fulfillments []oms.Fulfillment }
		h.mustCall("GET", "/v1/orders/"+o.Number+"/fulfillments", oms.RoleAgent, nil, 200).json(t, &fl)
		if len(fl.Fulfillments) != 2 {
			t.Fatalf("fulfillments = %+v", fl.Fulfillments)
		}
		var cupF string
		for _, f := range fl.Fulfillments {
			if f.Location != "wh1" {
				cupF = f.ID
			}
		}
		var pl struct {
			Items []struct {
				SKU      string
				Quantity int64
			}
		}
		h.mustCall("GET", "/v1/locations/wh1/picklist", oms.RoleWarehouse, nil, 200).json(t, &pl)
		if len(pl.Items) != 1 || pl.Items[0].SKU != "mug" || pl.Items[0].Quantity != 2 {
			t.Errorf("pick list = %+v", pl)
		}
		// The cup location cannot find the cups: they go to the other cup location.
		var after oms.Order
		h.mustCall("POST", "/v1/fulfillments/"+cupF+"/reject", oms.RoleWarehouse, `{"reason":"not on the shelf"}`, 200).json(t, &after)
		h.mustCall("GET", "/v1/orders/"+o.Number+"/fulfillments", oms.RoleAgent, nil, 200).json(t, &fl)
		var open []oms.Fulfillment
		for _, f := range fl.Fulfillments {
			if f.Status == oms.FulfillmentPending {
				open = append(open, f)
			}
		}
		if after.Status != oms.StatusAllocated || len(open) != 2 {
			t.Fatalf("after rejection: status %s, open fulfillments %+v", after.Status, open)
		}
		for _, f := range open {
			h.mustCall("POST", "/v1/fulfillments/"+f.ID+"/pick", oms.RoleWarehouse, nil, 200)
			h.mustCall("POST", "/v1/fulfillments/"+f.ID+"/pack", oms.RoleWarehouse, nil, 200)
			h.mustCall("POST", "/v1/fulfillments/"+f.ID+"/ship", oms.RoleWarehouse, `{"carrier":"UPS","tracking_number":"1Z`+f.ID+`"}`, 200)
		}
		var got oms.Order
		h.mustCall("GET", "/v1/orders/"+o.Number, oms.RoleAgent, nil, 200).json(t, &got)
		if got.Status != oms.StatusShipped {
			t.Errorf("status after shipping = %s", got.Status)
		}
		for _, f := range open {
			h.mustCall("POST", "/v1/fulfillments/"+f.ID+"/deliver", oms.RoleWarehouse, nil, 200)
		}
		h.mustCall("GET", "/v1/orders/"+o.Number, oms.RoleAgent, nil, 200).json(t, &got)
		if got.Status != oms.StatusDelivered {
			t.Errorf("status after delivery = %s", got.Status)
		}
		var tl struct{ Events []oms.Event }
		h.mustCall("GET", "/v1/orders/"+o.Number+"/events", oms.RoleAgent, nil, 200).json(t, &tl)
		var types []string
		for _, e := range tl.Events {
			types = append(types, e.Type)
		}
		want := "[order.created fulfillment.rejected order.sourced fulfillment.picking fulfillment.packed fulfillment.shipped " +
			"fulfillment.picking fulfillment.packed fulfillment.shipped order.shipped fulfillment.delivered fulfillment.delivered order.delivered]"
		if fmt.Sprint(types) != want {
			t.Errorf("timeline = %v", types)
		}

		// Refused moves: each a problem, nothing changed.
		before, _ := h.db.Counts(ctx)
		for _, c := range []struct {
			path, body string
			status     int
			field      string
		}{
			{"/v1/fulfillments/" + open[0].ID + "/ship", `{"tracking_number":"X"}`, 409, ""},
			{"/v1/fulfillments/" + cupF + "/ship", `{"tracking_number":"X"}`, 409, ""},
			{"/v1/fulfillments/" + open[0].ID + "/ready", ``, 409, ""},
			{"/v1/fulfillments/9999-F1/pick", ``, 404, ""},
		} {
			r := h.call("POST", c.path, oms.RoleWarehouse, c.body)
			if r.status != c.status {
				t.Errorf("%s: %d, want %d: %s", c.path, r.status, c.status, r.body)
			}
			r.problem(t)
		}
		if after, _ := h.db.Counts(ctx); fmt.Sprint(before) != fmt.Sprint(after) {
			t.Errorf("refused moves wrote rows")
		}
		// Shipping more than a fulfillment holds names the field.
		var o2 oms.Order
		h.mustCall("POST", "/v1/orders", oms.RoleChannel, orderBody("F-2", 1), 201).json(t, &o2)
		p := h.mustCall("POST", "/v1/fulfillments/"+o2.Number+"-F1/ship", oms.RoleWarehouse,
			fmt.Sprintf(`{"lines":[{"line_id":%q,"quantity":5}]}`, o2.Lines[0].ID), 400).problem(t)
		if len(p.Errors) != 1 || p.Errors[0].Field != "lines[0].quantity" {
			t.Errorf("problem = %+v", p)
		}
		h.mustCall("POST", "/v1/fulfillments/"+o2.Number+"-F1/pick", oms.RoleAgent, nil, 403)
	})
}

func TestHoldsAPI(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		h := setup(t, e)
		h.seed()
		h.mustCall("PUT", "/v1/settings/screening", oms.RoleManager, `{"max_total":{"USD":2000},"billing_must_match":false,
			"max_orders_per_email":0,"max_orders_per_address":0,"window_minutes":0,"check_address":true}`, 200)
		h.mustCall("PUT", "/v1/settings/screening", oms.RoleAgent, `{}`, 403)
		p := h.mustCall("PUT", "/v1/settings/screening", oms.RoleManager, `{"max_total":{"ZZZ":1},"billing_must_match":false,
			"max_orders_per_email":0,"max_orders_per_address":0,"window_minutes":0,"check_address":false}`, 400).problem(t)
		if p.Errors[0].Field != "max_total.ZZZ" {
			t.Errorf("problem = %+v", p)
		}
		var o oms.Order
		h.mustCall("POST", "/v1/orders", oms.RoleChannel, orderBody("H-1", 2), 201).json(t, &o) // total 3,480 > 2,000
		if o.Status != oms.StatusOnHold || len(o.Holds) != 1 || o.Holds[0].Type != oms.HoldFraud {
			t.Fatalf("order = %s %+v", o.Status, o.Holds)
		}
		h.mustCall("POST", "/v1/fulfillments/"+o.Number+"-F1/pick", oms.RoleWarehouse, nil, 409)
		h.mustCall("POST", "/v1/orders/"+o.Number+"/holds", oms.RoleAgent, `{"type":"manual","reason":"customer called"}`, 200).json(t, &o)
		if len(o.Holds) != 2 {
			t.Errorf("holds = %+v", o.Holds)
		}
		h.mustCall("POST", "/v1/orders/"+o.Number+"/holds", oms.RoleAgent, `{"type":"whim"}`, 400)
		h.mustCall("POST", "/v1/orders/"+o.Number+"/release", oms.RoleAgent, `{"type":"fraud"}`, 200).json(t, &o)
		if o.Status != oms.StatusOnHold || len(o.Holds) != 1 {
			t.Errorf("after releasing fraud: %s %+v", o.Status, o.Holds)
		}
		h.mustCall("POST", "/v1/orders/"+o.Number+"/release", oms.RoleAgent, nil, 200).json(t, &o)
		if o.Status != oms.StatusAllocated {
			t.Errorf("after releasing all: %s", o.Status)
		}
		h.mustCall("POST", "/v1/orders/"+o.Number+"/release", oms.RoleAgent, nil, 409)
		h.mustCall("POST", "/v1/fulfillments/"+o.Number+"-F1/pick", oms.RoleWarehouse, nil, 200)
	})
}

func TestSupplyAPI(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		h := setup(t, e)
		h.seed() // 5 mugs at wh1
		h.mustCall("PUT", "/v1/channels/b2b", oms.RoleManager, `{"name":"B2B","kind":"api","currency":"USD","backorder_policy":"backorder"}`, 200)
		var o oms.Order
		h.mustCall("POST", "/v1/orders", oms.RoleChannel, strings.Replace(orderBody("SUP-1", 8), `"web"`, `"b2b"`, 1), 201).json(t, &o)
		if o.Lines[0].Open != 3 {
			t.Fatalf("order = %+v", o.Lines[0])
		}
		var s oms.Supply
		h.mustCall("POST", "/v1/supply", oms.RoleWarehouse, `{"sku":"mug","location":"wh1","kind":"purchase_order","reference":"PO-1","quantity":10,"eta":"2030-01-15T00:00:00Z"}`, 201).json(t, &s)
		p := h.mustCall("POST", "/v1/supply", oms.RoleWarehouse, `{"sku":"mug","location":"wh1","kind":"purchase_order","quantity":1.5,"eta":"soon"}`, 400).problem(t)
		if len(p.Errors) != 2 {
			t.Errorf("problem = %+v", p)
		}
		var got oms.Order
		h.mustCall("GET", "/v1/orders/"+o.Number, oms.RoleAgent, nil, 200).json(t, &got)
		if d := got.Lines[0].PromisedDate; d == nil || d.Format("2006-01-02") != "2030-01-15" {
			t.Errorf("promised = %v", d)
		}
		var atp struct {
			Waiting  int64
			Timeline []oms.ATPPoint
		}
		h.mustCall("GET", "/v1/inventory/mug/atp", oms.RoleAgent, nil, 200).json(t, &atp)
		if atp.Waiting != 3 || len(atp.Timeline) != 2 || atp.Timeline[1].ATP != 7 {
			t.Errorf("atp = %+v", atp)
		}
		h.mustCall("POST", fmt.Sprintf("/v1/supply/%d/receive", s.ID), oms.RoleWarehouse, `{"quantity":0}`, 400)
		h.mustCall("POST", fmt.Sprintf("/v1/supply/%d/receive", s.ID), oms.RoleWarehouse, `{"quantity":4}`, 200).json(t, &s)
		h.mustCall("GET", "/v1/orders/"+o.Number, oms.RoleAgent, nil, 200).json(t, &got)
		if got.Status != oms.StatusAllocated || s.Received != 4 {
			t.Errorf("after receipt: %s, received %d", got.Status, s.Received)
		}
		var list struct{ Supply []oms.Supply }
		h.mustCall("GET", "/v1/supply?sku=mug&status=open", oms.RoleAgent, nil, 200).json(t, &list)
		if len(list.Supply) != 1 {
			t.Errorf("open supply = %+v", list.Supply)
		}
		h.mustCall("GET", "/v1/supply/99", oms.RoleAgent, nil, 404)
		// A transfer to the shop, then fulfillment settings.
		h.mustCall("PUT", "/v1/locations/shop", oms.RoleManager, `{"name":"Shop","kind":"store","can_pickup":true}`, 200)
		var tr oms.Supply
		h.mustCall("POST", "/v1/transfers", oms.RoleWarehouse, `{"sku":"mug","from":"wh1","to":"shop","quantity":1,"eta":"2030-01-02T00:00:00Z"}`, 201).json(t, &tr)
		if tr.Kind != "transfer" || tr.Location != "shop" {
			t.Errorf("transfer = %+v", tr)
		}
		h.mustCall("POST", "/v1/transfers", oms.RoleWarehouse, `{"sku":"mug","from":"wh1","to":"shop","quantity":100,"eta":"2030-01-02T00:00:00Z"}`, 409)
		h.mustCall("PUT", "/v1/geo/postal-centroids", oms.RoleManager, `{"centroids":[{"country":"US","postal_code":"021","latitude":42.36,"longitude":-71.06}]}`, 200)
		h.mustCall("PUT", "/v1/geo/postal-centroids", oms.RoleManager, `{"centroids":[]}`, 400)
		h.mustCall("PUT", "/v1/settings/fulfillment", oms.RoleManager, `{"pickup_expiry_days":2,"pickup_transfers":false}`, 200)
		h.mustCall("PUT", "/v1/settings/fulfillment", oms.RoleManager, `{"pickup_expiry_days":0,"pickup_transfers":false}`, 400)
		var set struct {
			PickupExpiryDays int `json:"pickup_expiry_days"`
		}
		h.mustCall("GET", "/v1/settings/fulfillment", oms.RoleAgent, nil, 200).json(t, &set)
		if set.PickupExpiryDays != 2 {
			t.Errorf("settings = %+v", set)
		}
	})
}

// TestSupplyListPages: the supply list, by ETA, pages with next_cursor —
// every supply once, in order, ties of ETA by id — and filters by SKU,
// location and status; a SKU or location that does not exist is a 400
// naming it.
func TestSupplyListPages(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		h := setup(t, e)
		h.seed()
		h.mustCall("PUT", "/v1/locations/wh2", oms.RoleManager, `{"name":"WH2","kind":"warehouse","can_ship":true,"priority":2}`, 201)
		var want []int64
		for i, eta := range []string{"2030-03-01", "2030-01-01", "2030-02-01", "2030-01-01", "2030-02-01", "2030-01-01", "2030-04-01"} {
			loc := []string{"wh1", "wh2"}[i%2]
			var s oms.Supply
			h.mustCall("POST", "/v1/supply", oms.RoleWarehouse, fmt.Sprintf(`{"sku":"mug","location":%q,"kind":"purchase_order",
				"quantity":%d,"eta":"%sT00:00:00Z"}`, loc, i+1, eta), 201).json(t, &s)
			want = append(want, s.ID)
		}
		// By ETA, then id: the 01-01s (ids 2, 4, 6), the 02-01s (3, 5), 03-01 (1), 04-01 (7).
		order := []int{1, 3, 5, 2, 4, 0, 6}
		var got []int64
		after := ""
		for range 10 {
			var page struct {
				Supply     []oms.Supply
				NextCursor *string `json:"next_cursor"`
			}
			h.mustCall("GET", "/v1/supply?limit=2"+after, oms.RoleAgent, nil, 200).json(t, &page)
			if len(page.Supply) > 2 {
				t.Fatalf("a page of %d", len(page.Supply))
			}
			for _, s := range page.Supply {
				got = append(got, s.ID)
			}
			if page.NextCursor == nil {
				break
			}
			after = "&after=" + *page.NextCursor
		}
		var wantOrder []int64
		for _, i := range order {
			wantOrder = append(wantOrder, want[i])
		}
		if fmt.Sprint(got) != fmt.Sprint(wantOrder) {
			t.Errorf("pages %v, want %v", got, wantOrder)
		}
		var list struct{ Supply []oms.Supply }
		h.mustCall("GET", "/v1/supply?location=wh2", oms.RoleAgent, nil, 200).json(t, &list)
		if len(list.Supply) != 3 {
			t.Errorf("at wh2: %d supplies, want 3", len(list.Supply))
		}
		for _, s := range list.Supply {
			if s.Location != "wh2" {
				t.Errorf("at wh2: %+v", s)
			}
		}
		refused(t, h.call("GET", "/v1/supply?sku=nope", oms.RoleAgent, nil), 400, "sku")
		refused(t, h.call("GET", "/v1/supply?location=nope", oms.RoleAgent, nil), 400, "location")
		refused(t, h.call("GET", "/v1/supply?after=garbage", oms.RoleAgent, nil), 400, "after")
	})
}

// TestStockRefusalSaysWhy: a movement that would take on hand below 0 says
// so, and one below what is reserved names the reserved units.
func TestStockRefusalSaysWhy(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		h := setup(t, e)
		h.seed() // 5 mugs at wh1
		r := h.call("POST", "/v1/inventory/adjustments", oms.RoleWarehouse, `{"sku":"mug","location":"wh1","delta":-6,"reason":"adjust"}`)
		if r.status != 409 || !strings.Contains(string(r.body), "never goes below 0") || strings.Contains(string(r.body), "reserved") {
			t.Errorf("below 0 with nothing reserved: %d %s", r.status, r.body)
		}
		h.mustCall("POST", "/v1/orders", oms.RoleChannel, orderBody("SR-1", 3), 201)
		r = h.call("POST", "/v1/inventory/adjustments", oms.RoleWarehouse, `{"sku":"mug","location":"wh1","delta":-3,"reason":"adjust"}`)
		if r.status != 409 || !strings.Contains(string(r.body), "below the 3 reserved") {
			t.Errorf("below what is reserved: %d %s", r.status, r.body)
		}
	})
}

// TestSafetyStock: units kept back from sale at a location stay on hand but
// are not sold — a rejecting channel is refused them, the stock shows less
// available — and lowering the safety stock gives the freed units to the
// orders waiting, oldest first. Bad input is a 400 naming the field.
func TestSafetyStock(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		h := setup(t, e)
		h.seed() // 5 mugs at wh1
		var st oms.Stock
		h.mustCall("PUT", "/v1/inventory/mug/safety-stock", oms.RoleWarehouse, `{"location":"wh1","safety_stock":4}`, 200).json(t, &st)
		if b := st.Locations[0]; b.OnHand != 5 || b.SafetyStock != 4 || b.Available != 1 || st.Available != 1 {
			t.Fatalf("after safety stock 4: %+v", st)
		}
		// Two mugs on a rejecting channel: only one is for sale.
		refused(t, h.call("POST", "/v1/orders", oms.RoleChannel, orderBody("SS-1", 2)), 409)
		// On a backordering channel one is reserved and one waits.
		var o oms.Order
		h.mustCall("POST", "/v1/orders", oms.RoleChannel, strings.Replace(orderBody("SS-2", 2), `"web"`, `"b2b"`, 1), 201).json(t, &o)
		if o.Lines[0].Allocated != 1 || o.Lines[0].Open != 1 {
			t.Fatalf("the waiting order: %+v", o.Lines[0])
		}
		// Lowering the safety stock frees a unit: the waiting order gets it.
		h.mustCall("PUT", "/v1/inventory/mug/safety-stock", oms.RoleManager, `{"location":"wh1","safety_stock":0}`, 200).json(t, &st)
		h.mustCall("GET", "/v1/orders/"+o.ID, oms.RoleAgent, nil, 200).json(t, &o)
		if o.Status != oms.StatusAllocated || o.Lines[0].Allocated != 2 {
			t.Errorf("after the safety stock fell: %s, %+v", o.Status, o.Lines[0])
		}
		if b := st.Locations[0]; b.SafetyStock != 0 || b.Reserved != 2 || b.Available != 3 {
			t.Errorf("the answer: %+v", b)
		}
		var evs struct{ Events []oms.Event }
		h.mustCall("GET", "/v1/events?type=inventory.safety_stock_set", oms.RoleAdmin, nil, 200).json(t, &evs)
		if len(evs.Events) != 2 {
			t.Errorf("%d inventory.safety_stock_set events", len(evs.Events))
		}
		before := h.counts(t)
		for _, c := range []struct{ path, body, field string }{
			{"/v1/inventory/mug/safety-stock", `{"location":"wh1","safety_stock":-1}`, "safety_stock"},
			{"/v1/inventory/mug/safety-stock", `{"location":"wh1"}`, "safety_stock"},
			{"/v1/inventory/mug/safety-stock", `{"location":"nope","safety_stock":1}`, "location"},
			{"/v1/inventory/nope/safety-stock", `{"location":"wh1","safety_stock":1}`, "sku"},
		} {
			refused(t, h.call("PUT", c.path, oms.RoleManager, c.body), 400, c.field)
		}
		h.unchanged(t, before)
		if r := h.call("PUT", "/v1/inventory/mug/safety-stock", oms.RoleAgent, `{"location":"wh1","safety_stock":1}`); r.status != 403 {
			t.Errorf("an agent sets safety stock: %d", r.status)
		}
	})
}
