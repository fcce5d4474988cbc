package httpapi_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/store/storetest"
)

// editAnswer is the body of POST /v1/orders/{id}/edits.
type editAnswer struct {
	TotalBefore int64         `json:"total_before"`
	TotalAfter  int64         `json:"total_after"`
	Difference  int64         `json:"difference"`
	Currency    string        `json:"currency"`
	Edit        oms.OrderEdit `json:"edit"`
	Order       oms.Order     `json:"order"`
}

// edit sends the operations (a JSON array) as an agent, with If-Match.
func (h *harness) edit(id, etag, ops string, want int) response {
	h.t.Helper()
	r := h.call("POST", "/v1/orders/"+id+"/edits", oms.RoleAgent, `{"operations":`+ops+`}`, "If-Match", etag)
	if r.status != want {
		h.t.Fatalf("edit %s: status %d, want %d: %s", ops, r.status, want, r.body)
	}
	return r
}

// stock returns on hand and reserved of the SKU at wh1.
func (h *harness) stock(sku string) (onHand, reserved int64) {
	h.t.Helper()
	var s oms.Stock
	h.mustCall("GET", "/v1/inventory/"+sku, oms.RoleAgent, nil, 200).json(h.t, &s)
	for _, b := range s.Locations {
		if b.Location == "wh1" {
			return b.OnHand, b.Reserved
		}
	}
	return 0, 0
}

// seedCups adds SKU cup with 10 units at wh1.
func (h *harness) seedCups() {
	h.t.Helper()
	h.mustCall("PUT", "/v1/items/cup", oms.RoleManager, `{"name":"Cup","unit_cost":120,"currency":"USD"}`, 201)
	h.mustCall("POST", "/v1/inventory/adjustments", oms.RoleWarehouse, `{"sku":"cup","location":"wh1","delta":10,"reason":"receive","reference":"PO-2"}`, 201)
}

// TestOrderEdits walks an order through every edit operation and checks the
// stock, the money, the record and the timeline after each.
func TestOrderEdits(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		h := setup(t, e)
		h.seed()
		h.seedCups()
		var o oms.Order
		r := h.mustCall("POST", "/v1/orders", oms.RoleChannel, orderBody("W-1", 2), 201)
		r.json(t, &o)
		// 2 × 12.50 − 1.00 discount + 0.80 tax + 5.00 shipping
		if o.Total != 2980 || r.header.Get("ETag") != `"1"` {
			t.Fatalf("placed: total %d, ETag %s", o.Total, r.header.Get("ETag"))
		}
		steps := []struct {
			name        string
			ops         string
			total       int64
			mug, cup    int64 // reserved at wh1 after
			lineQty     []int64
			changeMatch string
		}{
			{"raise the mugs to 3", `[{"op":"set_quantity","line_id":"` + o.Number + `-1","quantity":3}]`,
				// 37.50 − 1.50 + 1.20 + 5.00: discount and tax scale with the quantity
				4220, 3, 0, []int64{3}, "quantity 2 → 3"},
			{"add 2 cups", `[{"op":"add_line","sku":"cup","quantity":2,"unit_price":300,"tax":24}]`,
				4220 + 600 + 24, 3, 2, []int64{3, 2}, "added cup × 2"},
			{"cancel a cup: released, the amounts stay", `[{"op":"cancel_line","line_id":"` + o.Number + `-2","quantity":1}]`,
				4844, 3, 1, []int64{3, 2}, "1 cancelled"},
			{"lower the mugs to 1", `[{"op":"set_quantity","line_id":"` + o.Number + `-1","quantity":1}]`,
				// 12.50 − 0.50 + 0.40 + 6.00 cups + 0.24 + 5.00
				1250 - 50 + 40 + 600 + 24 + 500, 1, 1, []int64{1, 2}, "quantity 3 → 1"},
			{"remove the cups and move the order", `[{"op":"remove_line","line_id":"` + o.Number + `-2"},
				{"op":"set_ship_to","ship_to":{"line1":"9 Oak Ave","city":"Denver","region":"CO","postal_code":"80202","country":"US"}}]`,
				1250 - 50 + 40 + 500, 1, 0, []int64{1, 0}, "removed"},
		}
		version := int64(1)
		total := o.Total
		for i, s := range steps {
			var a editAnswer
			r := h.edit(o.ID, fmt.Sprintf(`"%d"`, version), s.ops, 200)
			r.json(t, &a)
			if a.TotalBefore != total || a.TotalAfter != s.total || a.Difference != s.total-total || a.Order.Total != s.total {
				t.Errorf("%s: totals %d → %d (%d), order %d; want %d → %d", s.name, a.TotalBefore, a.TotalAfter, a.Difference, a.Order.Total, total, s.total)
			}
			if a.Order.Version != version+1 || r.header.Get("ETag") != fmt.Sprintf(`"%d"`, version+1) {
				t.Errorf("%s: version %d, ETag %s", s.name, a.Order.Version, r.header.Get("ETag"))
			}
			if a.Edit.ID != fmt.Sprintf("%s-E%d", o.Number, i+1) || !strings.HasPrefix(a.Edit.Actor, "api_key:") ||
				!strings.Contains(strings.Join(a.Edit.Changes, ";"), s.changeMatch) || a.Edit.VersionBefore != version {
				t.Errorf("%s: edit %+v", s.name, a.Edit)
			}
			for j, q := range s.lineQty {
				if l := a.Order.Lines[j]; l.Quantity != q || !l.Balanced() {
					t.Errorf("%s: line %d %+v, want quantity %d", s.name, j, l, q)
				}
			}
			if _, mug := h.stock("mug"); mug != s.mug {
				t.Errorf("%s: %d mugs reserved, want %d", s.name, mug, s.mug)
			}
			if _, cup := h.stock("cup"); cup != s.cup {
				t.Errorf("%s: %d cups reserved, want %d", s.name, cup, s.cup)
			}
			version, total = a.Order.Version, s.total
		}
		var got oms.Order
		h.mustCall("GET", "/v1/orders/"+o.ID, oms.RoleAgent, nil, 200).json(t, &got)
		if got.ShipTo.City != "Denver" || got.Total != total || got.Status != oms.StatusAllocated || len(got.Allocations) != 1 {
			t.Errorf("order after the edits: %s %+v %d %+v", got.Status, got.ShipTo, got.Total, got.Allocations)
		}
		// The record: who, when, before and after.
		var es struct{ Edits []oms.OrderEdit }
		h.mustCall("GET", "/v1/orders/"+o.ID+"/edits", oms.RoleAgent, nil, 200).json(t, &es)
		if len(es.Edits) != len(steps) {
			t.Fatalf("%d edits recorded", len(es.Edits))
		}
		last := es.Edits[len(es.Edits)-1]
		if last.Before.ShipTo.City != "Boston" || last.After.ShipTo.City != "Denver" || last.Before.Lines[1].Quantity != 2 ||
			last.After.Lines[1].Quantity != 0 || last.Difference != -624 || last.CreatedAt.IsZero() {
			t.Errorf("last edit %+v", last)
		}
		// The ledger shows the releases; the timeline tells the story.
		var ledger struct{ Entries []oms.LedgerEntry }
		h.mustCall("GET", "/v1/inventory/cup/ledger", oms.RoleAgent, nil, 200).json(t, &ledger)
		var released int64
		for _, l := range ledger.Entries {
			if l.Kind == oms.MoveRelease {
				released -= l.ReservedDelta
			}
		}
		if released != 2 {
			t.Errorf("%d cups released in the ledger, want 2", released)
		}
		var tl struct{ Entries []oms.TimelineEntry }
		h.mustCall("GET", "/v1/orders/"+o.ID+"/timeline", oms.RoleAgent, nil, 200).json(t, &tl)
		var edits []string
		for _, en := range tl.Entries {
			if en.Type == oms.EventOrderEdited {
				edits = append(edits, en.Summary)
			}
		}
		if len(edits) != len(steps) || !strings.Contains(edits[0], "quantity 2 → 3") || !strings.Contains(edits[0], "+12.40 USD") {
			t.Errorf("timeline edits %q", edits)
		}
	})
}

// TestEditPreconditions: an edit needs If-Match; a stale one changes
// nothing; of two edits made on the same version exactly one wins; cancel
// and holds honour If-Match when sent.
func TestEditPreconditions(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		h := setup(t, e)
		h.seed()
		var o oms.Order
		h.mustCall("POST", "/v1/orders", oms.RoleChannel, orderBody("W-1", 1), 201).json(t, &o)
		path := "/v1/orders/" + o.ID + "/edits"
		body := `{"operations":[{"op":"set_quantity","line_id":"` + o.Number + `-1","quantity":2}]}`
		before, _ := h.db.Counts(ctx)
		for _, c := range []struct {
			name, ifMatch string
			status        int
			code          string
		}{
			{"no If-Match", "", 428, oms.EVERSION},
			{"a star guards nothing", "*", 428, oms.EVERSION},
			{"stale", `"7"`, 412, oms.ESTALE},
			{"weak never matches", `W/"1"`, 412, oms.ESTALE},
			{"not a version", `"v1"`, 412, oms.ESTALE},
			{"two tags", `"1", "2"`, 400, oms.EINVALID},
		} {
			var hdr []string
			if c.ifMatch != "" {
				hdr = []string{"If-Match", c.ifMatch}
			}
			r := h.call("POST", path, oms.RoleAgent, body, hdr...)
			if r.status != c.status {
				t.Fatalf("%s: status %d: %s", c.name, r.status, r.body)
			}
			p := r.problem(t)
			if p.Code != c.code || len(p.Errors) != 1 || p.Errors[0].Field != "If-Match" {
				t.Errorf("%s: problem %+v", c.name, p)
			}
			if c.status == 412 && !strings.Contains(p.Errors[0].Message, `"1"`) {
				t.Errorf("%s: the problem does not name the current version: %+v", c.name, p.Errors)
			}
		}
		if after, _ := h.db.Counts(ctx); fmt.Sprint(before) != fmt.Sprint(after) {
			t.Errorf("refused edits wrote rows:\n%v\n%v", before, after)
		}
		// Two agents edit the same version at once: one wins, one is told.
		var wg sync.WaitGroup
		statuses := make([]int, 2)
		for i := range statuses {
			wg.Add(1)
			go func() {
				defer wg.Done()
				statuses[i] = h.call("POST", path, oms.RoleAgent, body, "If-Match", `"1"`).status
			}()
		}
		wg.Wait()
		if !(statuses[0] == 200 && statuses[1] == 412 || statuses[0] == 412 && statuses[1] == 200) {
			t.Fatalf("concurrent edits on one version: %v", statuses)
		}
		var got oms.Order
		h.mustCall("GET", "/v1/orders/"+o.ID, oms.RoleAgent, nil, 200).json(t, &got)
		if got.Version != 2 || got.Lines[0].Quantity != 2 {
			t.Errorf("after the race: version %d, quantity %d", got.Version, got.Lines[0].Quantity)
		}
		// Cancel and holds: a stale If-Match is refused, the right one goes ahead.
		for _, c := range []struct{ path, body string }{
			{"/v1/orders/" + o.ID + "/holds", `{"type":"manual","reason":"check"}`},
			{"/v1/orders/" + o.ID + "/release", `{}`},
			{"/v1/orders/" + o.ID + "/cancel", `{}`},
		} {
			if r := h.call("POST", c.path, oms.RoleAgent, c.body, "If-Match", `"1"`); r.status != 412 {
				t.Errorf("%s with a stale If-Match: %d", c.path, r.status)
			}
			r := h.call("POST", c.path, oms.RoleAgent, c.body, "If-Match", fmt.Sprintf(`"%d"`, got.Version))
			if r.status != 200 {
				t.Fatalf("%s: %d %s", c.path, r.status, r.body)
			}
			r.json(t, &got)
			if r.header.Get("ETag") != fmt.Sprintf(`"%d"`, got.Version) {
				t.Errorf("%s: ETag %s for version %d", c.path, r.header.Get("ETag"), got.Version)
			}
		}
		if got.Status != oms.StatusCancelled || got.Version != 5 {
			t.Errorf("after hold, release, cancel: %s version %d", got.Status, got.Version)
		}
	})
}

// TestEditRefused: bad edits get a problem naming the field and change
// nothing; roles are checked.
func TestEditRefused(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		h := setup(t, e)
		h.seed()
		h.seedCups()
		cups := func(ext string, qty int) string { return strings.Replace(orderBody(ext, qty), `"mug"`, `"cup"`, 1) }
		var shipped, open, whole, delivered oms.Order
		// Half of an order of 2 cups ships; another ships whole, a third
		// ships and is delivered.
		h.mustCall("POST", "/v1/orders", oms.RoleChannel, cups("W-1", 2), 201).json(t, &shipped)
		h.mustCall("POST", "/v1/fulfillments/"+shipped.Number+"-F1/ship", oms.RoleWarehouse,
			`{"carrier":"UPS","tracking_number":"1Z","lines":[{"line_id":"`+shipped.Number+`-1","quantity":1}]}`, 200)
		h.mustCall("POST", "/v1/orders", oms.RoleChannel, orderBody("W-2", 2), 201).json(t, &open)
		h.mustCall("POST", "/v1/fulfillments/"+open.Number+"-F1/pick", oms.RoleWarehouse, nil, 200)
		h.mustCall("POST", "/v1/orders", oms.RoleChannel, cups("W-3", 1), 201).json(t, &whole)
		h.mustCall("POST", "/v1/fulfillments/"+whole.Number+"-F1/ship", oms.RoleWarehouse, `{"carrier":"UPS","tracking_number":"2Z"}`, 200)
		h.mustCall("POST", "/v1/orders", oms.RoleChannel, cups("W-4", 1), 201).json(t, &delivered)
		h.mustCall("POST", "/v1/fulfillments/"+delivered.Number+"-F1/ship", oms.RoleWarehouse, `{"carrier":"UPS","tracking_number":"3Z"}`, 200)
		h.mustCall("POST", "/v1/fulfillments/"+delivered.Number+"-F1/deliver", oms.RoleWarehouse, nil, 200)
		for _, o := range []*oms.Order{&shipped, &open, &whole, &delivered} {
			h.mustCall("GET", "/v1/orders/"+o.ID, oms.RoleAgent, nil, 200).json(t, o)
		}
		if shipped.Status != oms.StatusPartiallyShipped || whole.Status != oms.StatusShipped || delivered.Status != oms.StatusDelivered {
			t.Fatalf("statuses %s, %s, %s", shipped.Status, whole.Status, delivered.Status)
		}
		s1, o1 := shipped.Number+"-1", open.Number+"-1"
		addCup := `[{"op":"add_line","sku":"cup","quantity":1,"unit_price":300}]`
		cases := []struct {
			name   string
			order  oms.Order
			role   oms.Role
			ops    string
			status int
			field  string
		}{
			{"unknown line", open, oms.RoleAgent, `[{"op":"set_quantity","line_id":"9-9","quantity":1}]`, 400, "operations[0].line_id"},
			{"quantity 0", open, oms.RoleAgent, `[{"op":"set_quantity","line_id":"` + o1 + `","quantity":0}]`, 400, "operations[0].quantity"},
			{"negative quantity", open, oms.RoleAgent, `[{"op":"set_quantity","line_id":"` + o1 + `","quantity":-1}]`, 400, "operations[0].quantity"},
			{"fractional quantity", open, oms.RoleAgent, `[{"op":"set_quantity","line_id":"` + o1 + `","quantity":1.5}]`, 400, "operations[0].quantity"},
			{"bad country", open, oms.RoleAgent, `[{"op":"set_ship_to","ship_to":{"line1":"1 Rue","city":"Paris","country":"XX"}}]`, 400, "operations[0].ship_to.country"},
			{"unknown sku", open, oms.RoleAgent, `[{"op":"add_line","sku":"plate","quantity":1,"unit_price":100}]`, 400, "operations[0].sku"},
			{"a field the op does not take", open, oms.RoleAgent, `[{"op":"remove_line","line_id":"` + o1 + `","sku":"cup"}]`, 400, "operations[0].sku"},
			{"unknown op", open, oms.RoleAgent, `[{"op":"merge"}]`, 400, "operations[0].op"},
			{"a good op then a bad one", open, oms.RoleAgent, `[{"op":"add_line","sku":"cup","quantity":1,"unit_price":300},
				{"op":"set_quantity","line_id":"` + o1 + `","quantity":0}]`, 400, "operations[1].quantity"},
			{"a shipped line", shipped, oms.RoleAgent, `[{"op":"set_quantity","line_id":"` + s1 + `","quantity":2}]`, 409, "operations[0].line_id"},
			{"the address after shipping", shipped, oms.RoleAgent, `[{"op":"set_ship_to","ship_to":{"line1":"1 Main","city":"Reno","country":"US"}}]`, 409, "operations[0].ship_to"},
			{"below what is being picked", open, oms.RoleAgent, `[{"op":"set_quantity","line_id":"` + o1 + `","quantity":1}]`, 409, "operations[0].quantity"},
			{"a line added to a shipped order", whole, oms.RoleAgent, addCup, 409, ""},
			{"a line added to a delivered order", delivered, oms.RoleAgent, addCup, 409, ""},
			{"the address of a delivered order", delivered, oms.RoleAgent, `[{"op":"set_ship_to","ship_to":{"line1":"1 Main","city":"Reno","country":"US"}}]`, 409, ""},
			{"more than the stock on a channel that rejects backorders", open, oms.RoleManager, `[{"op":"set_quantity","line_id":"` + o1 + `","quantity":9}]`, 409, ""},
			{"warehouse may not edit", open, oms.RoleWarehouse, `[{"op":"set_quantity","line_id":"` + o1 + `","quantity":3}]`, 403, ""},
			{"channel may not edit", open, oms.RoleChannel, `[{"op":"set_quantity","line_id":"` + o1 + `","quantity":3}]`, 403, ""},
		}
		before, _ := h.db.Counts(ctx)
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				r := h.call("POST", "/v1/orders/"+c.order.ID+"/edits", c.role, `{"operations":`+c.ops+`}`, "If-Match", fmt.Sprintf(`"%d"`, c.order.Version))
				if r.status != c.status {
					t.Fatalf("status %d, want %d: %s", r.status, c.status, r.body)
				}
				p := r.problem(t)
				if c.field != "" && (len(p.Errors) == 0 || p.Errors[0].Field != c.field) {
					t.Errorf("problem %+v, want field %s", p, c.field)
				}
				if c.name == "more than the stock on a channel that rejects backorders" && (p.Code != oms.EOUTOFSTOCK || len(p.Short) != 1) {
					t.Errorf("out of stock: %+v", p)
				}
				if (c.order.ID == whole.ID || c.order.ID == delivered.ID) &&
					(p.Code != oms.ECONFLICT || !strings.Contains(p.Detail, "only before it ships")) {
					t.Errorf("edit of a %s order: %+v", c.order.Status, p)
				}
			})
		}
		if after, _ := h.db.Counts(ctx); fmt.Sprint(before) != fmt.Sprint(after) {
			t.Errorf("refused edits wrote rows:\n%v\n%v", before, after)
		}
		var got oms.Order
		h.mustCall("GET", "/v1/orders/"+open.ID, oms.RoleAgent, nil, 200).json(t, &got)
		if got.Version != open.Version || got.Lines[0].Quantity != 2 {
			t.Errorf("refused edits changed the order: version %d, was %d; quantity %d", got.Version, open.Version, got.Lines[0].Quantity)
		}
		for _, o := range []oms.Order{whole, delivered} {
			var got oms.Order
			h.mustCall("GET", "/v1/orders/"+o.ID, oms.RoleAgent, nil, 200).json(t, &got)
			if got.Version != o.Version || got.Status != o.Status || len(got.Lines) != 1 {
				t.Errorf("a refused edit changed order %s: version %d → %d, %s → %s, %d lines", o.Number,
					o.Version, got.Version, o.Status, got.Status, len(got.Lines))
			}
		}
		// Picked units stay, but more may be added; the order holds 2 of
		// the 5 mugs, so 2 more fit.
		var a editAnswer
		h.edit(open.ID, fmt.Sprintf(`"%d"`, got.Version), `[{"op":"set_quantity","line_id":"`+o1+`","quantity":4}]`, 200).json(t, &a)
		if l := a.Order.Lines[0]; l.Allocated != 4 || a.Difference != 2*1250-100+80 {
			t.Errorf("raised while picking: %+v, difference %d", l, a.Difference)
		}
	})
}

// TestEditBackorder: a channel that takes backorders keeps the extra units
// open, and stock that arrives later allocates them.
func TestEditBackorder(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		h := setup(t, e)
		h.seed()
		var o oms.Order
		h.mustCall("POST", "/v1/orders", oms.RoleChannel, strings.Replace(orderBody("B-1", 4), `"web"`, `"b2b"`, 1), 201).json(t, &o)
		var a editAnswer
		h.edit(o.ID, `"1"`, `[{"op":"set_quantity","line_id":"`+o.Number+`-1","quantity":7}]`, 200).json(t, &a)
		if l := a.Order.Lines[0]; l.Allocated != 5 || l.Open != 2 || a.Order.Status != oms.StatusBackordered {
			t.Fatalf("backordered edit: %+v %s", l, a.Order.Status)
		}
		h.mustCall("POST", "/v1/inventory/adjustments", oms.RoleWarehouse, `{"sku":"mug","location":"wh1","delta":2,"reason":"receive"}`, 201)
		var got oms.Order
		h.mustCall("GET", "/v1/orders/"+o.ID, oms.RoleAgent, nil, 200).json(t, &got)
		if got.Lines[0].Allocated != 7 || got.Status != oms.StatusAllocated {
			t.Errorf("after the receipt: %+v %s", got.Lines[0], got.Status)
		}
	})
}

// TestEditComputedTax: an order whose tax oms computed is taxed again by
// the rules recorded at placement, and by the new destination's when it
// moves.
func TestEditComputedTax(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		h := setup(t, e)
		h.seed()
		h.mustCall("PUT", "/v1/tax-rules/US-MA", oms.RoleManager, `{"rate":"0.0625","name":"MA sales tax"}`, 201)
		h.mustCall("PUT", "/v1/tax-rules/US-CO", oms.RoleManager, `{"rate":"0.029","name":"CO sales tax"}`, 201)
		var o oms.Order
		body := strings.Replace(orderBody("T-1", 1), `,"discount":100,"tax":80`, "", 1)
		h.mustCall("POST", "/v1/orders", oms.RoleChannel, body, 201).json(t, &o)
		// 12.50 × 6.25 % = 0.78125 → 0.78; shipping 5.00 → 0.3125 → 0.31.
		if o.ComputedTax == nil || o.TaxTotal != 78+31 {
			t.Fatalf("placed: tax %d, computed %+v", o.TaxTotal, o.ComputedTax)
		}
		// The rate changes; the order keeps the rate it was placed under.
		h.mustCall("PUT", "/v1/tax-rules/US-MA", oms.RoleManager, `{"rate":"0.07","name":"MA sales tax"}`, 200)
		var a editAnswer
		h.edit(o.ID, `"1"`, `[{"op":"set_quantity","line_id":"`+o.Number+`-1","quantity":3}]`, 200).json(t, &a)
		// 37.50 × 6.25 % = 2.34375 → 2.34
		if a.Order.Lines[0].Tax != 234 || a.Order.TaxTotal != 234+31 || a.TotalAfter != 3750+500+265 {
			t.Errorf("raised: line tax %d, tax %d, total %d", a.Order.Lines[0].Tax, a.Order.TaxTotal, a.TotalAfter)
		}
		h.edit(o.ID, `"2"`, `[{"op":"set_ship_to","ship_to":{"line1":"9 Oak Ave","city":"Denver","region":"CO","postal_code":"80202","country":"US"}}]`, 200).json(t, &a)
		// Colorado: 37.50 × 2.9 % = 1.0875 → 1.09; 5.00 → 0.145 → 0.14 (half to even)
		if a.Order.TaxTotal != 109+14 || a.Order.ComputedTax.Destination != "US-CO" || a.Difference != 123-265 {
			t.Errorf("moved: tax %d, computed %+v, difference %d", a.Order.TaxTotal, a.Order.ComputedTax, a.Difference)
		}
		// Its tax is oms's to compute.
		h.edit(o.ID, `"3"`, `[{"op":"add_line","sku":"mug","quantity":1,"unit_price":100,"tax":5}]`, 400)
	})
}

// TestVersionBumps: every change to an order moves its version on, so that
// an If-Match read before it fails: fulfillment steps and holds as much as
// edits and cancels.
func TestVersionBumps(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		h := setup(t, e)
		h.seed()
		var o oms.Order
		h.mustCall("POST", "/v1/orders", oms.RoleChannel, orderBody("W-1", 1), 201).json(t, &o)
		f := "/v1/fulfillments/" + o.Number + "-F1"
		steps := []struct{ path, body string }{
			{f + "/pick", ""},
			{"/v1/orders/" + o.ID + "/holds", `{"type":"manual","reason":"check"}`},
			{"/v1/orders/" + o.ID + "/release", ""},
			{f + "/pack", ""},
			{f + "/ship", `{"carrier":"UPS","tracking_number":"1Z"}`},
			{f + "/deliver", ""},
		}
		for i, s := range steps {
			var body any
			if s.body != "" {
				body = s.body
			}
			h.mustCall("POST", s.path, oms.RoleManager, body, 200)
			r := h.mustCall("GET", "/v1/orders/"+o.ID, oms.RoleAgent, nil, 200)
			if want := fmt.Sprintf(`"%d"`, i+2); r.header.Get("ETag") != want {
				t.Errorf("after %s: ETag %s, want %s", s.path, r.header.Get("ETag"), want)
			}
		}
	})
}

// TestEditOutOfStock: an edit refused for want of stock lists, as placement
// does, per SKU the units it asked for and those available; a pre-order
// item is raised on a channel that rejects backorders, as it is placed.
func TestEditOutOfStock(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		h := setup(t, e)
		h.seed()
		var o oms.Order
		h.mustCall("POST", "/v1/orders", oms.RoleChannel, orderBody("W-1", 1), 201).json(t, &o)
		// 4 mugs are left: placement asks for 45 and finds 4.
		p := h.mustCall("POST", "/v1/orders", oms.RoleChannel, orderBody("W-2", 45), 409).problem(t)
		if fmt.Sprint(p.Short) != "[{mug 45 4}]" {
			t.Errorf("placement short %v", p.Short)
		}
		l1 := o.Number + "-1"
		for _, c := range []struct{ name, ops, short string }{
			{"raise the line", `[{"op":"set_quantity","line_id":"` + l1 + `","quantity":50}]`, "[{mug 49 4}]"},
			{"add a line", `[{"op":"add_line","sku":"mug","quantity":10,"unit_price":1250}]`, "[{mug 10 4}]"},
			{"both", `[{"op":"set_quantity","line_id":"` + l1 + `","quantity":3},
				{"op":"add_line","sku":"mug","quantity":5,"unit_price":1250}]`, "[{mug 7 4}]"},
		} {
			p := h.edit(o.ID, `"1"`, c.ops, 409).problem(t)
			if p.Code != oms.EOUTOFSTOCK || fmt.Sprint(p.Short) != c.short {
				t.Errorf("%s: %s %v, want short %s", c.name, p.Code, p.Short, c.short)
			}
		}
		// A pre-order waits for supply on any channel: placed, added or raised.
		h.mustCall("PUT", "/v1/items/pre", oms.RoleManager,
			`{"name":"Pre","unit_cost":100,"currency":"USD","preorder":true,"release_date":"2027-03-01T00:00:00Z"}`, 201)
		var pre oms.Order
		h.mustCall("POST", "/v1/orders", oms.RoleChannel, strings.Replace(orderBody("W-3", 2), `"mug"`, `"pre"`, 1), 201).json(t, &pre)
		if pre.Status != oms.StatusBackordered {
			t.Fatalf("pre-order placed %s", pre.Status)
		}
		var a editAnswer
		h.edit(pre.ID, `"1"`, `[{"op":"set_quantity","line_id":"`+pre.Number+`-1","quantity":3}]`, 200).json(t, &a)
		h.edit(pre.ID, `"2"`, `[{"op":"add_line","sku":"pre","quantity":1,"unit_price":1250}]`, 200).json(t, &a)
		if l := a.Order.Lines; l[0].Open != 3 || l[1].Open != 1 || a.Order.Status != oms.StatusBackordered {
			t.Errorf("pre-order raised: %+v %s", l, a.Order.Status)
		}
	})
}
