package httpapi_test

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/store/storetest"
)

// orderNumbers pages through the orders path asks for, one a page, as
// role: a page short of its own orders would show a list filtered after
// it was cut.
func (h *harness) orderNumbers(path string, role oms.Role) []string {
	h.t.Helper()
	var out []string
	next := ""
	for range 20 {
		var p struct {
			Orders     []oms.Order
			NextCursor *string `json:"next_cursor"`
		}
		h.mustCall("GET", path+"&limit=1"+next, role, nil, 200).json(h.t, &p)
		if len(p.Orders) == 0 && p.NextCursor != nil {
			h.t.Fatalf("%s as %s: an empty page with a next page", path, role)
		}
		for _, o := range p.Orders {
			out = append(out, o.Number)
		}
		if p.NextCursor == nil {
			return out
		}
		next = "&after=" + url.QueryEscape(*p.NextCursor)
	}
	h.t.Fatalf("%s: too many pages", path)
	return nil
}

// csvFile returns the export's header and rows as role.
func (h *harness) csvFile(path string, role oms.Role) ([]string, []map[string]string) {
	h.t.Helper()
	r := h.mustCall("GET", path, role, nil, 200)
	recs, err := csv.NewReader(strings.NewReader(string(r.body))).ReadAll()
	if err != nil || len(recs) == 0 {
		h.t.Fatalf("%s: %v", path, err)
	}
	var rows []map[string]string
	for _, rec := range recs[1:] {
		m := map[string]string{}
		for i, col := range recs[0] {
			m[col] = rec[i]
		}
		rows = append(rows, m)
	}
	return recs[0], rows
}

// events returns the event stream as role.
func (h *harness) events(role oms.Role) []oms.Event {
	h.t.Helper()
	var p struct{ Events []oms.Event }
	h.mustCall("GET", "/v1/events?limit=1000", role, nil, 200).json(h.t, &p)
	return p.Events
}

// TestChannelKeyScope: a channel key bound to web sees web's orders only —
// in lists paged one by one, searches by number, the event stream and the
// order exports — without the customer's contact details; its own channel
// only; items without costs; and none of stock, supply or settings.
func TestChannelKeyScope(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		h := setup(t, e)
		w := setupAccessWorld(h)
		ch := oms.Role("channel@web")
		own, other := w.own["/v1/orders/{id}"], w.other["/v1/orders/{id}"]

		if got := h.orderNumbers("/v1/orders?status=", ch); !slices.Equal(got, []string{own, "1001"}) {
			t.Errorf("orders: %v, want web's %s and 1001", got, own)
		}
		if got := h.orderNumbers("/v1/orders?q="+other, ch); len(got) != 0 {
			t.Errorf("q= another channel's number: %v", got)
		}
		if got := h.orderNumbers("/v1/orders?q="+own, ch); !slices.Equal(got, []string{own}) {
			t.Errorf("q= its own number: %v", got)
		}
		if got := h.orderNumbers("/v1/orders?channel=b2b", ch); len(got) != 0 {
			t.Errorf("channel=b2b: %v", got)
		}
		if got := h.orderNumbers("/v1/orders?q=ann@example.com", oms.RoleAgent); len(got) != 4 {
			t.Errorf("an agent finds every order by email: %v", got)
		}
		if p := h.call("GET", "/v1/orders?q=ann@example.com", ch, nil).problem(t); p.Status != 403 || p.Errors[0].Field != "q" {
			t.Errorf("q= an email: %+v", p)
		}

		// The order, without the customer's contact details.
		var o map[string]any
		h.mustCall("GET", "/v1/orders/"+own, ch, nil, 200).json(t, &o)
		if c := o["customer"].(map[string]any); len(c) != 0 || o["ship_to"] != nil || o["billing"] != nil {
			t.Errorf("the order as the channel: customer %v, ship_to %v, billing %v", c, o["ship_to"], o["billing"])
		}

		// Its channel only.
		var cs struct{ Channels []oms.Channel }
		h.mustCall("GET", "/v1/channels", ch, nil, 200).json(t, &cs)
		if len(cs.Channels) != 1 || cs.Channels[0].Code != "web" {
			t.Errorf("channels %+v", cs.Channels)
		}

		// The events of its orders and its channel, none of stock or keys.
		evs := h.events(ch)
		var created []string
		for _, ev := range evs {
			switch {
			case ev.OrderID != "":
				var head oms.Order
				h.mustCall("GET", "/v1/orders/"+ev.OrderID, oms.RoleAgent, nil, 200).json(t, &head)
				if head.Channel != "web" {
					t.Errorf("event %s %s of a %s order", ev.ID, ev.Type, head.Channel)
				}
				if ev.Type == oms.EventOrderCreated {
					created = append(created, head.Number)
				}
			case ev.Type == oms.EventAvailabilityChanged || ev.Type == oms.EventSKUMapped:
				if !strings.HasPrefix(ev.Subject, "web/") {
					t.Errorf("event %s %s", ev.Type, ev.Subject)
				}
			case ev.Type == oms.EventChannelSaved:
				if ev.Subject != "web" {
					t.Errorf("event %s %s", ev.Type, ev.Subject)
				}
			case ev.Type == oms.EventItemSaved || ev.Type == oms.EventLocationSaved:
				if strings.Contains(string(ev.Data), "unit_cost") {
					t.Errorf("event %s carries a cost: %s", ev.Type, ev.Data)
				}
			default:
				t.Errorf("event %s %s %s shown to a channel key", ev.ID, ev.Type, ev.Subject)
			}
		}
		if !slices.Equal(created, []string{"1001", own}) {
			t.Errorf("order.created events of %v", created)
		}

		// The order exports: its channel's, without contact details.
		header, rows := h.csvFile("/v1/exports/orders", ch)
		if slices.Contains(header, "customer_email") || slices.Contains(header, "customer_name") || len(rows) != 2 {
			t.Errorf("orders export %v %v", header, rows)
		}
		for _, r := range rows {
			if r["channel"] != "web" {
				t.Errorf("export row %v", r)
			}
		}
		if _, rows := h.csvFile("/v1/exports/order-lines", ch); len(rows) != 2 {
			t.Errorf("order lines %v", rows)
		}

		// Items, without costs; no stock, supply or settings.
		var items struct{ Items []map[string]any }
		h.mustCall("GET", "/v1/items", ch, nil, 200).json(t, &items)
		for _, it := range items.Items {
			if _, ok := it["unit_cost"]; ok || it["sku"] == nil {
				t.Errorf("item %v", it)
			}
		}
		for _, path := range []string{"/v1/inventory", "/v1/inventory/mug", "/v1/inventory/mug/ledger", "/v1/inventory/mug/atp",
			"/v1/supply", "/v1/exports/inventory", "/v1/settings/screening", "/v1/settings/fulfillment", "/v1/settings/currency",
			"/v1/tax-rules", "/v1/fx-rates", "/v1/orders/" + own + "/payloads", "/v1/customers"} {
			if r := h.call("GET", path, ch, nil); r.status != 403 {
				t.Errorf("%s: status %d, want 403", path, r.status)
			}
		}
	})
}

// TestLocationKeyScope: a warehouse key bound to wh1 sees and moves only
// what is at wh1 — orders, fulfillments, returns, stock, the ledger,
// supply, events and exports, filtered before the page is cut — keeps the
// ship-to but not the customer's contact, and searches by order only.
func TestLocationKeyScope(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		h := setup(t, e)
		w := setupAccessWorld(h)
		wh := oms.Role("warehouse@wh1")
		own, other := w.own["/v1/orders/{id}"], w.other["/v1/orders/{id}"]

		if got := h.orderNumbers("/v1/orders?status=", wh); !slices.Equal(got, []string{own, "1001"}) {
			t.Errorf("orders: %v, want those at wh1: %s and 1001", got, own)
		}
		var o oms.Order
		h.mustCall("GET", "/v1/orders/"+own, wh, nil, 200).json(t, &o)
		if o.Customer != (oms.Customer{}) || o.ShipTo == nil || o.ShipTo.City != "Boston" {
			t.Errorf("the order as the warehouse: customer %+v, ship_to %+v", o.Customer, o.ShipTo)
		}

		// Search: by number, its own only; not by the customer's contact.
		if got := hits(h.search(own, wh)); !slices.Equal(got, []string{"exact:order:" + own}) {
			t.Errorf("search its number: %v", got)
		}
		if got := hits(h.search(other, wh)); len(got) != 0 {
			t.Errorf("search another's number: %v", got)
		}
		if got := hits(h.search("ann lee", wh)); len(got) != 0 {
			t.Errorf("search by the customer's name: %v", got)
		}
		if got := hits(h.search("ann lee", oms.RoleWarehouse)); len(got) != 0 {
			t.Errorf("search by the customer's name, unbound: %v", got)
		}
		for _, q := range []string{"ann@example.com", "+1 555 0100"} {
			if p := h.call("GET", "/v1/search?q="+url.QueryEscape(q), wh, nil).problem(t); p.Status != 403 || p.Errors[0].Field != "q" {
				t.Errorf("search %s: %+v", q, p)
			}
		}

		// Stock: only its balances, only the SKUs stocked there.
		var inv struct{ Inventory []oms.Stock }
		h.mustCall("GET", "/v1/inventory?limit=1", wh, nil, 200).json(t, &inv)
		if len(inv.Inventory) != 1 || inv.Inventory[0].SKU != "mug" || len(inv.Inventory[0].Locations) != 1 ||
			inv.Inventory[0].Locations[0].Location != "wh1" {
			t.Errorf("inventory %+v", inv.Inventory)
		}
		var st oms.Stock
		h.mustCall("GET", "/v1/inventory/cup", wh, nil, 200).json(t, &st)
		if st.OnHand != 0 || len(st.Locations) != 0 {
			t.Errorf("cup, only at wh2: %+v", st)
		}
		var ledger struct{ Entries []oms.LedgerEntry }
		h.mustCall("GET", "/v1/inventory/cup/ledger", wh, nil, 200).json(t, &ledger)
		if len(ledger.Entries) != 0 {
			t.Errorf("cup's movements at wh2: %+v", ledger.Entries)
		}
		h.mustCall("GET", "/v1/inventory/mug/ledger?limit=1", wh, nil, 200).json(t, &ledger)
		if len(ledger.Entries) != 1 || ledger.Entries[0].Location != "wh1" {
			t.Errorf("mug's movements %+v", ledger.Entries)
		}
		var sup struct{ Supply []oms.Supply }
		h.mustCall("GET", "/v1/supply", wh, nil, 200).json(t, &sup)
		if len(sup.Supply) != 1 || sup.Supply[0].Location != "wh1" {
			t.Errorf("supply %+v", sup.Supply)
		}

		// Returns: of its orders; receiving restocks at its locations only.
		var rets struct{ Returns []oms.Return }
		h.mustCall("GET", "/v1/returns", wh, nil, 200).json(t, &rets)
		if len(rets.Returns) != 1 || rets.Returns[0].ID != w.own["/v1/returns/{id}"] {
			t.Errorf("returns %+v", rets.Returns)
		}
		if r := h.call("GET", "/v1/returns?order="+other, wh, nil); r.status != 404 {
			t.Errorf("returns of another's order: status %d", r.status)
		}
		h.mustCall("POST", "/v1/returns/"+w.own["/v1/returns/{id}"]+"/approve", oms.RoleAgent, nil, 200)
		p := h.call("POST", "/v1/returns/"+w.own["/v1/returns/{id}"]+"/receive", wh,
			`{"units":[{"line_id":"1001-1","quantity":1,"condition":"new","disposition":"restock","location":"wh2"}]}`).problem(t)
		if p.Status != 403 || p.Errors[0].Field != "units[0].location" {
			t.Errorf("restock into wh2: %+v", p)
		}
		h.mustCall("POST", "/v1/returns/"+w.own["/v1/returns/{id}"]+"/receive", wh,
			`{"units":[{"line_id":"1001-1","quantity":1,"condition":"new","disposition":"restock","location":"wh1"}]}`, 200)

		// A wave's moves: its own go ahead, another's is not found.
		var batch struct {
			Moved, Failed int
			Results       []struct {
				Moved   bool
				Problem *struct{ Code string }
			}
		}
		h.mustCall("POST", "/v1/fulfillments/moves", wh, `{"moves":[{"fulfillment_id":"`+other+`-F1","status":"picking"},
			{"fulfillment_id":"`+own+`-F1","status":"picking"}]}`, 200).json(t, &batch)
		if batch.Moved != 1 || batch.Failed != 1 || batch.Results[0].Problem == nil || batch.Results[0].Problem.Code != oms.ENOTFOUND ||
			!batch.Results[1].Moved {
			t.Errorf("batch %+v", batch)
		}
		var f oms.Fulfillment
		h.mustCall("GET", "/v1/fulfillments/"+other+"-F1", oms.RoleWarehouse, nil, 200).json(t, &f)
		if f.Status != oms.FulfillmentPending {
			t.Errorf("another's fulfillment moved: %s", f.Status)
		}

		// Events: its orders', its location's stock; no keys.
		for _, ev := range h.events(wh) {
			switch {
			case ev.OrderID != "":
				var head oms.Order
				h.mustCall("GET", "/v1/orders/"+ev.OrderID, oms.RoleAgent, nil, 200).json(t, &head)
				if head.Number != own && head.Number != "1001" {
					t.Errorf("event %s %s of order %s", ev.ID, ev.Type, head.Number)
				}
			case ev.Type == oms.EventInventoryAdjusted || strings.HasPrefix(ev.Type, "supply."):
				if !strings.Contains(string(ev.Data), `"location":"wh1"`) {
					t.Errorf("event %s %s", ev.Type, ev.Data)
				}
			case strings.HasPrefix(ev.Type, "api_key."):
				t.Errorf("event %s shown to a warehouse key", ev.Type)
			}
		}

		// Exports: its orders, stock and movements; no costs or contacts.
		header, rows := h.csvFile("/v1/exports/inventory", wh)
		if slices.Contains(header, "unit_cost") || slices.Contains(header, "stock_value") || len(rows) != 1 || rows[0]["location"] != "wh1" {
			t.Errorf("inventory export %v %v", header, rows)
		}
		if _, rows := h.csvFile("/v1/exports/ledger", wh); len(rows) == 0 || slices.ContainsFunc(rows, func(r map[string]string) bool { return r["location"] != "wh1" }) {
			t.Errorf("ledger export %v", rows)
		}
		header, rows = h.csvFile("/v1/exports/orders", wh)
		if slices.Contains(header, "customer_email") || len(rows) != 2 {
			t.Errorf("orders export %v %v", header, rows)
		}
	})
}

// TestCostsAndContacts: only admin and manager keys see unit costs, in
// items and item events; agents see the customer's contact, warehouse keys
// the ship-to only; no key but an admin sees API key events, and none of
// them carries the secret's prefix.
func TestCostsAndContacts(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		h := setup(t, e)
		h.seed()
		h.mustCall("POST", "/v1/orders", oms.RoleManager, orderBody("W-1", 1), 201)
		var created struct {
			Prefix string `json:"prefix"`
			Secret string `json:"secret"`
		}
		h.mustCall("POST", "/v1/api-keys", oms.RoleAdmin, `{"name":"desk","role":"agent"}`, 201).json(t, &created)
		for role, sees := range map[oms.Role]bool{oms.RoleAdmin: true, oms.RoleManager: true, oms.RoleAgent: false,
			oms.RoleWarehouse: false, oms.RoleChannel: false} {
			var it map[string]any
			h.mustCall("GET", "/v1/items/mug", role, nil, 200).json(t, &it)
			if _, ok := it["unit_cost"]; ok != sees {
				t.Errorf("item as %s: %v", role, it)
			}
			for _, ev := range h.events(role) {
				if ev.Type == oms.EventItemSaved && strings.Contains(string(ev.Data), "unit_cost") != sees {
					t.Errorf("item.saved as %s: %s", role, ev.Data)
				}
				if strings.HasPrefix(ev.Type, "api_key.") && role != oms.RoleAdmin {
					t.Errorf("%s shown to %s", ev.Type, role)
				}
				if strings.Contains(string(ev.Data), created.Prefix) || strings.Contains(string(ev.Data), `"prefix"`) {
					t.Errorf("event %s carries the key's prefix: %s", ev.Type, ev.Data)
				}
			}
		}
		var adminEvents []string
		for _, ev := range h.events(oms.RoleAdmin) {
			adminEvents = append(adminEvents, ev.Type)
		}
		if !slices.Contains(adminEvents, oms.EventAPIKeyCreated) {
			t.Errorf("the admin does not see the key's event: %v", adminEvents)
		}
		for role, want := range map[oms.Role]string{oms.RoleAgent: "customer ship_to", oms.RoleManager: "customer ship_to",
			oms.RoleWarehouse: "ship_to", oms.RoleChannel: ""} {
			var o map[string]json.RawMessage
			h.mustCall("GET", "/v1/orders/1001", role, nil, 200).json(t, &o)
			var got []string
			if string(o["customer"]) != "{}" {
				got = append(got, "customer")
			}
			if o["ship_to"] != nil {
				got = append(got, "ship_to")
			}
			if strings.Join(got, " ") != want {
				t.Errorf("the order as %s shows %v, want %q", role, got, want)
			}
		}
	})
}

// TestOrderEventKinds: an order's own events show a key only the kinds it
// may read: internal notes and cases to those who read them.
func TestOrderEventKinds(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		h := setup(t, e)
		h.seed()
		h.mustCall("POST", "/v1/orders", oms.RoleManager, orderBody("W-1", 1), 201)
		h.mustCall("POST", "/v1/orders/1001/notes", oms.RoleAgent, `{"body":"called the customer"}`, 201)
		for role, notes := range map[oms.Role]bool{oms.RoleAgent: true, oms.RoleManager: true, oms.RoleWarehouse: false, oms.RoleChannel: false} {
			var es struct{ Events []oms.Event }
			h.mustCall("GET", "/v1/orders/1001/events", role, nil, 200).json(t, &es)
			var types []string
			for _, ev := range es.Events {
				types = append(types, ev.Type)
			}
			if slices.Contains(types, oms.EventNoteAdded) != notes || !slices.Contains(types, oms.EventOrderCreated) {
				t.Errorf("the order's events as %s: %v", role, types)
			}
		}
	})
}

// TestAPIKeyScopeOverAPI: POST /v1/api-keys binds a channel key to its
// channels (required, existing) and a warehouse key to locations; the
// answer says so; a key of another role takes neither.
func TestAPIKeyScopeOverAPI(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		h := setup(t, e)
		h.seed()
		for _, c := range []struct {
			body  string
			field string
		}{
			{`{"name":"shop","role":"channel"}`, "channels"},
			{`{"name":"shop","role":"channel","channels":[]}`, "channels"},
			{`{"name":"shop","role":"channel","channels":["web","nope"]}`, "channels[1]"},
			{`{"name":"desk","role":"agent","channels":["web"]}`, "channels"},
			{`{"name":"desk","role":"agent","locations":["wh1"]}`, "locations"},
			{`{"name":"dock","role":"warehouse","locations":["nowhere"]}`, "locations[0]"},
		} {
			p := h.mustCall("POST", "/v1/api-keys", oms.RoleAdmin, c.body, 400).problem(t)
			if len(p.Errors) != 1 || p.Errors[0].Field != c.field {
				t.Errorf("%s: %+v, want the field %s", c.body, p.Errors, c.field)
			}
		}
		var k struct {
			oms.APIKey
			Secret string `json:"secret"`
		}
		h.mustCall("POST", "/v1/api-keys", oms.RoleAdmin, `{"name":"dock","role":"warehouse","locations":["wh1"]}`, 201).json(t, &k)
		if fmt.Sprint(k.Locations) != "[wh1]" || k.Channels != nil {
			t.Errorf("the key %+v", k.APIKey)
		}
		h.keys["dock"] = k.Secret
		h.mustCall("GET", "/v1/locations/wh1/fulfillments", "dock", nil, 200)
		h.mustCall("GET", "/v1/locations/shop/fulfillments", "dock", nil, 404)
		h.mustCall("POST", "/v1/api-keys", oms.RoleAdmin, `{"name":"web","role":"channel","channels":["web"]}`, 201).json(t, &k)
		if fmt.Sprint(k.Channels) != "[web]" {
			t.Errorf("the key %+v", k.APIKey)
		}
		h.keys["web"] = k.Secret
		h.mustCall("POST", "/v1/orders", "web", orderBody("W-1", 1), 201)
		if p := h.mustCall("POST", "/v1/orders", "web", strings.Replace(orderBody("B-1", 1), `"web"`, `"b2b"`, 1), 403).problem(t); len(p.Errors) != 1 || p.Errors[0].Field != "channel" {
			t.Errorf("into b2b: %+v", p)
		}
	})
}
