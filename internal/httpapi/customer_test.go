package httpapi_test

import (
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/store/storetest"
)

// customerOrder is an order on the backorder channel (b2b) with the given
// customer JSON, placed at the given day of November 2026; its total is
// 1000 × qty.
func customerOrder(ext, customer string, qty, day int) string {
	return fmt.Sprintf(`{"channel":"b2b","external_id":%q,"currency":"USD","customer":%s,
		"lines":[{"sku":"mug","quantity":%d,"unit_price":1000}],"placed_at":"2026-11-%02dT12:00:00Z"}`, ext, customer, qty, day)
}

func (h *harness) search(q string, role oms.Role) []oms.SearchResult {
	h.t.Helper()
	var a struct{ Results []oms.SearchResult }
	h.mustCall("GET", "/v1/search?q="+url.QueryEscape(q), role, nil, 200).json(h.t, &a)
	return a.Results
}

// hits describes results as "match:type:ref" (order number or customer id).
func hits(rs []oms.SearchResult) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		ref := ""
		if r.Order != nil {
			ref = r.Order.Number
		} else if r.Customer != nil {
			ref = r.Customer.ID
		}
		out[i] = string(r.Match) + ":" + r.Type + ":" + ref
	}
	return out
}

// TestCustomerDedupe: one customer for an email however it is written, and
// one for a channel identity whatever its email; an order with an identity
// and no email still has a customer.
func TestCustomerDedupe(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		h := setup(t, e)
		h.seed()
		var o1, o2, b1, b2, c1 oms.Order
		h.mustCall("POST", "/v1/orders", oms.RoleChannel, customerOrder("A-1", `{"email":"Ann@Example.com","name":"Ann Lee"}`, 1, 1), 201).json(t, &o1)
		h.mustCall("POST", "/v1/orders", oms.RoleChannel, customerOrder("A-2", `{"email":"ANN@EXAMPLE.COM"}`, 1, 2), 201).json(t, &o2)
		h.mustCall("POST", "/v1/orders", oms.RoleChannel, customerOrder("B-1", `{"email":"bob@old.example","name":"Bob Stone","external_id":"C-9"}`, 1, 3), 201).json(t, &b1)
		h.mustCall("POST", "/v1/orders", oms.RoleChannel, customerOrder("B-2", `{"email":"bob@new.example","external_id":"C-9"}`, 1, 4), 201).json(t, &b2)
		h.mustCall("POST", "/v1/orders", oms.RoleChannel, customerOrder("C-1", `{"name":"Cy Young","external_id":"C-10"}`, 1, 5), 201).json(t, &c1)

		var page struct {
			Customers  []oms.CustomerRecord
			NextCursor *string `json:"next_cursor"`
		}
		h.mustCall("GET", "/v1/customers", oms.RoleAgent, nil, 200).json(t, &page)
		if len(page.Customers) != 3 {
			t.Fatalf("customers %+v, want ann, bob and cy", page.Customers)
		}
		cy, bob, ann := page.Customers[0], page.Customers[1], page.Customers[2]
		if ann.Email != "ann@example.com" || ann.Name != "Ann Lee" || len(ann.Identities) != 0 {
			t.Errorf("ann %+v", ann)
		}
		if bob.Email != "bob@old.example" || len(bob.Identities) != 1 || bob.Identities[0].Channel != "b2b" || bob.Identities[0].ExternalID != "C-9" {
			t.Errorf("bob %+v", bob)
		}
		if cy.Email != "" || cy.Name != "Cy Young" || len(cy.Identities) != 1 || cy.Identities[0].ExternalID != "C-10" {
			t.Errorf("cy %+v", cy)
		}
		var v oms.CustomerView
		h.mustCall("GET", "/v1/customers/"+bob.ID, oms.RoleAgent, nil, 200).json(t, &v)
		if v.OrderCount != 2 || len(v.Orders) != 2 || v.Orders[0].Number != b2.Number || v.Orders[1].Number != b1.Number {
			t.Errorf("bob's orders %+v", v.Orders)
		}
		// Bob's record keeps the email he first gave, and his new one finds
		// him through the order that gave it — in the view and in the list;
		// an email no order gave finds no one.
		h.mustCall("GET", "/v1/customers/Bob@New.example", oms.RoleAgent, nil, 200).json(t, &v)
		if v.ID != bob.ID || v.Email != "bob@old.example" || v.OrderCount != 2 {
			t.Errorf("bob by his new email: %+v", v)
		}
		h.mustCall("GET", "/v1/customers?q=bob%40new.example", oms.RoleAgent, nil, 200).json(t, &page)
		if len(page.Customers) != 1 || page.Customers[0].ID != bob.ID {
			t.Errorf("customers?q=bob@new.example: %+v", page.Customers)
		}
		if r := h.call("GET", "/v1/customers/nobody@new.example", oms.RoleAgent, nil); r.status != 404 {
			t.Errorf("an email no order gave: %d", r.status)
		}
		h.mustCall("GET", "/v1/customers/%20Ann@EXAMPLE.com%20", oms.RoleAgent, nil, 200).json(t, &v)
		if v.ID != ann.ID || v.OrderCount != 2 {
			t.Errorf("ann by email: %+v", v)
		}
		// The list filters by email, name prefix and channel customer id, and pages.
		for q, want := range map[string]string{"ANN@example.com": ann.ID, "bob": bob.ID, "C-10": cy.ID, "cy yo": cy.ID} {
			h.mustCall("GET", "/v1/customers?q="+url.QueryEscape(q), oms.RoleAgent, nil, 200).json(t, &page)
			if len(page.Customers) != 1 || page.Customers[0].ID != want {
				t.Errorf("customers?q=%s: %+v, want %s", q, page.Customers, want)
			}
		}
		h.mustCall("GET", "/v1/customers?limit=2", oms.RoleAgent, nil, 200).json(t, &page)
		if len(page.Customers) != 2 || page.NextCursor == nil {
			t.Fatalf("first page %+v", page)
		}
		h.mustCall("GET", "/v1/customers?limit=2&after="+*page.NextCursor, oms.RoleAgent, nil, 200).json(t, &page)
		if len(page.Customers) != 1 || page.Customers[0].ID != ann.ID || page.NextCursor != nil {
			t.Errorf("second page %+v", page)
		}
	})
}

// TestCustomerView: the figures of a customer's history, exact.
func TestCustomerView(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		h := setup(t, e)
		h.seed() // 5 mugs at wh1
		ann := `{"email":"ann@example.com","name":"Ann Lee"}`
		var shipped, cancelled, kept oms.Order
		h.mustCall("POST", "/v1/orders", oms.RoleChannel, customerOrder("V-1", ann, 2, 3), 201).json(t, &shipped)
		h.mustCall("POST", "/v1/orders", oms.RoleChannel, customerOrder("V-2", ann, 1, 9), 201).json(t, &cancelled)
		h.mustCall("POST", "/v1/orders", oms.RoleChannel, customerOrder("V-3", ann, 3, 6), 201).json(t, &kept)
		h.mustCall("POST", "/v1/orders/"+cancelled.Number+"/cancel", oms.RoleAgent, `{}`, 200)
		var fl struct{ Fulfillments []oms.Fulfillment }
		h.mustCall("GET", "/v1/orders/"+shipped.Number+"/fulfillments", oms.RoleAgent, nil, 200).json(t, &fl)
		h.mustCall("POST", "/v1/fulfillments/"+fl.Fulfillments[0].ID+"/ship", oms.RoleWarehouse, `{"carrier":"UPS","tracking_number":"1ZV1"}`, 200)
		var c oms.Case
		h.mustCall("POST", "/v1/cases", oms.RoleAgent, `{"customer":"ann@example.com","subject":"Broken","message":"It broke."}`, 201).json(t, &c)
		h.mustCall("POST", "/v1/cases", oms.RoleAgent, `{"order":"`+kept.Number+`","subject":"Late","message":"Where is it?"}`, 201).json(t, &c)
		h.mustCall("PATCH", "/v1/cases/"+c.ID, oms.RoleAgent, `{"status":"resolved"}`, 200)
		// A case about an order that does not exist names the field, as one
		// about an unknown customer does.
		refused(t, h.call("POST", "/v1/cases", oms.RoleAgent, `{"order":"99999","subject":"Late","message":"?"}`), 400, "order")
		refused(t, h.call("POST", "/v1/cases", oms.RoleAgent, `{"customer":"nobody@example.com","subject":"Late","message":"?"}`), 400, "customer")

		var v oms.CustomerView
		h.mustCall("GET", "/v1/customers/ann@example.com?limit=2", oms.RoleAgent, nil, 200).json(t, &v)
		lv := v.LifetimeValue
		if v.OrderCount != 3 || v.UnitsReturned != 0 || v.OpenCases != 1 ||
			len(lv.ByCurrency) != 1 || lv.ByCurrency[0] != (oms.Amount{Currency: "USD", Amount: 5000, Orders: 2}) || lv.BaseComplete {
			t.Errorf("figures: orders %d, returned %d, open cases %d, value %+v", v.OrderCount, v.UnitsReturned, v.OpenCases, lv)
		}
		// A refund comes off the lifetime value; a return counts.
		h.mustCall("POST", "/v1/orders/"+shipped.Number+"/refunds", oms.RoleManager, `{"kind":"appeasement","amount":300,"reason":"late"}`, 201)
		h.mustCall("POST", "/v1/orders/"+shipped.Number+"/returns", oms.RoleAgent,
			`{"lines":[{"line_id":"`+shipped.Lines[0].ID+`","quantity":1,"reason":"damaged"}]}`, 201)
		h.mustCall("GET", "/v1/customers/ann@example.com?limit=2", oms.RoleAgent, nil, 200).json(t, &v)
		lv = v.LifetimeValue
		if len(lv.ByCurrency) != 1 || lv.ByCurrency[0] != (oms.Amount{Currency: "USD", Amount: 4700, Orders: 2}) ||
			len(lv.Refunded) != 1 || lv.Refunded[0] != (oms.Amount{Currency: "USD", Amount: 300, Orders: 1}) || v.Returns != 1 {
			t.Errorf("after a refund and a return: value %+v, returns %d", lv, v.Returns)
		}
		if v.FirstOrderAt == nil || v.FirstOrderAt.Day() != 3 || v.LastOrderAt == nil || v.LastOrderAt.Day() != 9 {
			t.Errorf("first %v, last %v", v.FirstOrderAt, v.LastOrderAt)
		}
		// Newest first, by when oms took them; two to a page.
		if len(v.Orders) != 2 || v.Orders[0].Number != kept.Number || v.Orders[1].Number != cancelled.Number ||
			v.Orders[1].Status != oms.StatusCancelled || v.NextCursor == nil {
			t.Fatalf("first page of orders %+v", v.Orders)
		}
		h.mustCall("GET", "/v1/customers/"+v.ID+"?limit=2&after="+*v.NextCursor, oms.RoleAgent, nil, 200).json(t, &v)
		if len(v.Orders) != 1 || v.Orders[0].Number != shipped.Number || v.Orders[0].Total != 2000 || v.NextCursor != nil {
			t.Errorf("second page of orders %+v", v.Orders)
		}
		if r := h.call("GET", "/v1/customers/cus_999", oms.RoleAgent, nil); r.status != 404 {
			t.Errorf("unknown customer: %d", r.status)
		}
	})
}

// TestSearch: each field is found, exact matches come first, then orders
// with every word, then prefixes; newest first within each.
func TestSearch(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		h := setup(t, e)
		h.seed()
		var ann1, ann2, leeExt, leeson, cy oms.Order
		h.mustCall("POST", "/v1/orders", oms.RoleChannel, customerOrder("S-1", `{"email":"ann@example.com","name":"Ann Lee","phone":"+1 555 0100"}`, 1, 1), 201).json(t, &ann1)
		h.mustCall("POST", "/v1/orders", oms.RoleChannel, customerOrder("S-2", `{"email":"ann@example.com","name":"Ann Lee"}`, 1, 2), 201).json(t, &ann2)
		h.mustCall("POST", "/v1/orders", oms.RoleChannel, customerOrder("lee", `{"email":"zed@example.com","name":"Zed Park"}`, 1, 3), 201).json(t, &leeExt)
		h.mustCall("POST", "/v1/orders", oms.RoleChannel, customerOrder("S-4", `{"email":"kim@example.com","name":"Kim Leeson"}`, 1, 4), 201).json(t, &leeson)
		h.mustCall("POST", "/v1/orders", oms.RoleChannel, customerOrder("S-5", `{"name":"Cy Young","external_id":"SHOP-77"}`, 1, 5), 201).json(t, &cy)
		var fl struct{ Fulfillments []oms.Fulfillment }
		h.mustCall("GET", "/v1/orders/"+ann1.Number+"/fulfillments", oms.RoleAgent, nil, 200).json(t, &fl)
		h.mustCall("POST", "/v1/fulfillments/"+fl.Fulfillments[0].ID+"/ship", oms.RoleWarehouse, `{"carrier":"UPS","tracking_number":"1Z999AA10123456784"}`, 200)

		orders := func(rs []oms.SearchResult) []string {
			var out []string
			for _, h := range hits(rs) {
				if strings.Contains(h, ":order:") {
					out = append(out, h)
				}
			}
			return out
		}
		for _, tt := range []struct {
			name, q string
			want    []string
		}{
			{"number", ann2.Number, []string{"exact:order:" + ann2.Number}},
			{"number with #", "#" + ann2.Number, []string{"exact:order:" + ann2.Number}},
			{"external id", "S-4", []string{"exact:order:" + leeson.Number}},
			{"email, any case", "ANN@example.com", []string{"exact:order:" + ann2.Number, "exact:order:" + ann1.Number}},
			{"email as far as typed", "ann@exam", []string{"prefix:order:" + ann2.Number, "prefix:order:" + ann1.Number}},
			{"an email's domain matches nothing", "example.com", nil},
			{"phone as stored", "+1 555 0100", []string{"exact:order:" + ann1.Number}},
			{"phone digits", "15550100", []string{"words:order:" + ann1.Number}},
			{"tracking", "1Z999AA10123456784", []string{"exact:order:" + ann1.Number}},
			{"tracking lower case", "1z999aa10123456784", []string{"words:order:" + ann1.Number}},
			{"channel customer id", "SHOP-77", []string{"exact:order:" + cy.Number}},
			{"name", "ann lee", []string{"words:order:" + ann2.Number, "words:order:" + ann1.Number}},
			{"name prefix", "Leeso", []string{"prefix:order:" + leeson.Number}},
			{"short prefix is not searched", "le", nil},
			{"relevance: exact, then words, then prefix", "lee", []string{"exact:order:" + leeExt.Number,
				"words:order:" + ann2.Number, "words:order:" + ann1.Number, "prefix:order:" + leeson.Number}},
			{"nothing", "nobody", nil},
		} {
			t.Run(tt.name, func(t *testing.T) {
				if got := orders(h.search(tt.q, oms.RoleAgent)); strings.Join(got, " ") != strings.Join(tt.want, " ") {
					t.Errorf("search %q\n got %v\nwant %v", tt.q, got, tt.want)
				}
			})
		}
		// Customers come with their tier, ahead of its orders, for keys that may read them.
		var annID string
		all := h.search("lee", oms.RoleAgent)
		for _, r := range all {
			if r.Type == "customer" && r.Customer.Email == "ann@example.com" {
				annID = r.Customer.ID
			}
		}
		want := []string{"exact:customer:", "exact:order:" + leeExt.Number, "words:customer:" + annID,
			"words:order:" + ann2.Number, "words:order:" + ann1.Number, "prefix:customer:", "prefix:order:" + leeson.Number}
		got := hits(all)
		if len(got) != len(want) {
			t.Fatalf("search lee as agent: %v", got)
		}
		for i := range want {
			if !strings.HasPrefix(got[i], want[i]) {
				t.Errorf("result %d: %s, want %s…", i, got[i], want[i])
			}
		}
		for _, r := range h.search("lee", oms.RoleWarehouse) {
			if r.Type != "order" {
				t.Errorf("warehouse saw a %s", r.Type)
			}
		}
		// The order list's q is served by the same index: the external id, or every word.
		var page struct{ Orders []oms.Order }
		h.mustCall("GET", "/v1/orders?q=Lee", oms.RoleAgent, nil, 200).json(t, &page)
		var listed []string
		for _, o := range page.Orders {
			listed = append(listed, o.Number)
		}
		if want := []string{leeson.Number, leeExt.Number, ann2.Number, ann1.Number}; strings.Join(listed, " ") != strings.Join(want, " ") {
			t.Errorf("orders?q=Lee: %v, want %v", listed, want)
		}
		var a struct{ Results []oms.SearchResult }
		h.mustCall("GET", "/v1/search?q=lee&limit=2", oms.RoleAgent, nil, 200).json(t, &a)
		if got := orders(a.Results); len(got) != 2 {
			t.Errorf("limit 2: %v", got)
		}
	})
}

// TestSearchKeepsUp: the index follows a channel's change of the customer's
// contact.
func TestSearchKeepsUp(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		h := setup(t, e)
		h.seedChannels()
		body := fixture(t, "shopify_order.json")
		var o oms.Order
		h.mustCall("POST", "/v1/channels/shop/orders", oms.RoleChannel, body, 201).json(t, &o)
		var v oms.CustomerView
		h.mustCall("GET", "/v1/customers/siobhan.oceallaigh@example.ie", oms.RoleAgent, nil, 200).json(t, &v)
		if len(v.Identities) != 1 || v.Identities[0].Channel != "shop" || v.Identities[0].ExternalID != "7719302845761" {
			t.Errorf("identities %+v", v.Identities)
		}
		if got := hits(h.search("Siobhán", oms.RoleAgent)); len(got) != 2 || got[1] != "words:order:"+o.Number {
			t.Errorf("search by name: %v", got)
		}
		newer := mutate(t, body, func(m map[string]any) {
			m["updated_at"] = "2025-11-14T12:00:00+01:00"
			m["customer"].(map[string]any)["first_name"] = "Saoirse"
		})
		h.mustCall("POST", "/v1/channels/shop/orders", oms.RoleChannel, newer, 200)
		if got := hits(h.search("saoirse", oms.RoleAgent)); len(got) != 2 {
			t.Errorf("search by the new name: %v", got)
		}
	})
}

// TestCustomerSearchAccess: who may search, and who may see customers.
func TestCustomerSearchAccess(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		h := setup(t, e)
		h.seed()
		h.mustCall("POST", "/v1/orders", oms.RoleChannel, orderBody("W-1", 1), 201)
		for _, c := range []struct {
			path   string
			role   oms.Role
			status int
		}{
			{"/v1/search?q=ann", oms.RoleAgent, 200},
			{"/v1/search?q=ann", oms.RoleManager, 200},
			{"/v1/search?q=ann", oms.RoleWarehouse, 200},
			{"/v1/search?q=ann", oms.RoleChannel, 403},
			{"/v1/customers", oms.RoleAgent, 200},
			{"/v1/customers", oms.RoleWarehouse, 403},
			{"/v1/customers", oms.RoleChannel, 403},
			{"/v1/customers/ann@example.com", oms.RoleManager, 200},
			{"/v1/customers/ann@example.com", oms.RoleWarehouse, 403},
			{"/v1/customers/ann@example.com", oms.RoleChannel, 403},
		} {
			if r := h.call("GET", c.path, c.role, nil); r.status != c.status {
				t.Errorf("%s as %s: %d, want %d", c.path, c.role, r.status, c.status)
			}
		}
		// A phone in international form is refused a warehouse key; written
		// otherwise it finds, for that key, only numbers, external ids and
		// tracking numbers: not the order whose customer has the phone.
		refused(t, h.call("GET", "/v1/search?q=%2B1%20555%200100", oms.RoleWarehouse, nil), 403, "q")
		for _, q := range []string{"555 0100", "15550100", "555-0100"} {
			if got := hits(h.search(q, oms.RoleAgent)); len(got) == 0 {
				t.Errorf("an agent's search for %q: nothing", q)
			}
			if got := hits(h.search(q, oms.RoleWarehouse)); len(got) != 0 {
				t.Errorf("a warehouse key's search for %q: %v", q, got)
			}
		}
	})
}

// TestSearchBadInput: a bad query names its field and writes nothing.
func TestSearchBadInput(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		h := setup(t, e)
		h.seed()
		before, err := h.db.Counts(ctx)
		if err != nil {
			t.Fatal(err)
		}
		long := strings.Repeat("x", oms.MaxSearchQuery+1)
		for _, c := range []struct{ method, path, body, field string }{
			{"GET", "/v1/search", "", "q"},
			{"GET", "/v1/search?q=%20%20", "", "q"},
			{"GET", "/v1/search?q=" + long, "", "q"},
			{"GET", "/v1/search?q=a%00b", "", "q"},
			{"GET", "/v1/search?q=ann&limit=101", "", "limit"},
			{"GET", "/v1/customers?q=" + long, "", "q"},
			{"GET", "/v1/customers/ann@example.com?after=zzz", "", "after"},
			{"POST", "/v1/orders", customerOrder("X-1", `{"email":"x@example.com","external_id":"`+strings.Repeat("9", 256)+`"}`, 1, 1), "customer.external_id"},
		} {
			r := h.call(c.method, c.path, oms.RoleAdmin, c.body)
			if r.status != 400 {
				t.Errorf("%s %s: %d, want 400: %s", c.method, c.path, r.status, r.body)
				continue
			}
			if p := r.problem(t); len(p.Errors) == 0 || p.Errors[0].Field != c.field {
				t.Errorf("%s %s: problem %+v, want field %s", c.method, c.path, p, c.field)
			}
		}
		after, err := h.db.Counts(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(before) != fmt.Sprint(after) {
			t.Errorf("bad input wrote: %v → %v", before, after)
		}
	})
}
