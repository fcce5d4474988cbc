package httpapi_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/store/storetest"
)

// returnsOrder is a web order of 3 mugs at 1250 with a 150 discount and 90
// tax, shipping 600: total 3750 − 150 + 600 + 90 = 4290.
func returnsOrder(ext string) string {
	return fmt.Sprintf(`{"channel":"web","external_id":%q,"currency":"USD",
		"customer":{"email":"ann@example.com","name":"Ann Lee"},
		"ship_to":{"name":"Ann Lee","line1":"2 Elm St","city":"Boston","region":"MA","postal_code":"02108","country":"US"},
		"lines":[{"sku":"mug","quantity":3,"unit_price":1250,"discount":150,"tax":90}],"shipping_price":600}`, ext)
}

// shipAll ships every open fulfillment of the order.
func (h *harness) shipAll(order string) {
	h.t.Helper()
	var fs struct{ Fulfillments []oms.Fulfillment }
	h.mustCall("GET", "/v1/orders/"+order+"/fulfillments", oms.RoleWarehouse, nil, 200).json(h.t, &fs)
	for _, f := range fs.Fulfillments {
		if f.Status == oms.FulfillmentPending {
			h.mustCall("POST", "/v1/fulfillments/"+f.ID+"/ship", oms.RoleWarehouse, `{"carrier":"UPS","tracking_number":"1Z1"}`, 200)
		}
	}
}

// balance is the stock of sku at location.
func (h *harness) balance(sku, location string) oms.Balance {
	h.t.Helper()
	var s oms.Stock
	h.mustCall("GET", "/v1/inventory/"+sku, oms.RoleAgent, nil, 200).json(h.t, &s)
	for _, b := range s.Locations {
		if b.Location == location {
			return b
		}
	}
	return oms.Balance{}
}

func (h *harness) wantStock(sku, location string, onHand, reserved int64) {
	h.t.Helper()
	if b := h.balance(sku, location); b.OnHand != onHand || b.Reserved != reserved {
		h.t.Errorf("%s at %s: on hand %d reserved %d, want %d and %d", sku, location, b.OnHand, b.Reserved, onHand, reserved)
	}
}

func (h *harness) refunds(order string) oms.OrderRefunds {
	h.t.Helper()
	var fs oms.OrderRefunds
	h.mustCall("GET", "/v1/orders/"+order+"/refunds", oms.RoleAgent, nil, 200).json(h.t, &fs)
	return fs
}

func (h *harness) wantRefunded(order string, refunded int64) {
	h.t.Helper()
	if fs := h.refunds(order); fs.Refunded != refunded || fs.Left != fs.Paid-refunded || fs.Refunded > fs.Paid {
		h.t.Errorf("order %s: refunded %d of %d (left %d), want %d", order, fs.Refunded, fs.Paid, fs.Left, refunded)
	}
}

// TestReturnsEndToEnd: order → ship → partial return → receive (one unit
// restocked, one scrapped; the restocked one goes to a backorder) → refund
// → exchange → second return, with exact stock and money at each step.
func TestReturnsEndToEnd(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		h := setup(t, e)
		h.seed()
		h.mustCall("PUT", "/v1/items/mug-l", oms.RoleManager, `{"name":"Large mug","unit_cost":500,"currency":"USD"}`, 201)
		h.mustCall("POST", "/v1/inventory/adjustments", oms.RoleWarehouse, `{"sku":"mug-l","location":"wh1","delta":2,"reason":"receive"}`, 201)

		var o oms.Order
		h.mustCall("POST", "/v1/orders", oms.RoleChannel, returnsOrder("R-1"), 201).json(t, &o)
		if o.Total != 4290 {
			t.Fatalf("total %d", o.Total)
		}
		h.shipAll(o.ID)
		h.wantStock("mug", "wh1", 2, 0)
		// A b2b order takes the other 2 mugs and waits for a third.
		var b oms.Order
		h.mustCall("POST", "/v1/orders", oms.RoleChannel, strings.Replace(returnsOrder("B-1"), `"web"`, `"b2b"`, 1), 201).json(t, &b)
		if b.Status != oms.StatusBackordered || b.Lines[0].Open != 1 {
			t.Fatalf("b2b order %s, open %d", b.Status, b.Lines[0].Open)
		}
		h.wantStock("mug", "wh1", 2, 2)
		line := o.Lines[0].ID

		// A partial return: 2 of the 3 mugs.
		var r oms.Return
		h.mustCall("POST", "/v1/orders/"+o.ID+"/returns", oms.RoleAgent, `{"lines":[{"line_id":"`+line+`","quantity":2,
			"reason":"damaged","condition":"damaged"}],"comment":"Two arrived chipped"}`, 201).json(t, &r)
		if r.Status != oms.ReturnRequested || r.Refund != (oms.RefundQuote{Goods: 2400, Tax: 60, Total: 2460}) || r.Source != "staff" {
			t.Fatalf("requested return %+v", r)
		}
		first := r.ID
		if c := h.call("POST", "/v1/returns/"+r.ID+"/receive", oms.RoleWarehouse, `{"units":[]}`); c.status != 409 {
			t.Errorf("received a requested return: %d %s", c.status, c.body)
		}
		if c := h.call("POST", "/v1/returns/"+r.ID+"/approve", oms.RoleWarehouse, nil); c.status != 403 {
			t.Errorf("warehouse approved: %d", c.status)
		}
		h.mustCall("POST", "/v1/returns/"+r.ID+"/approve", oms.RoleAgent, nil, 200).json(t, &r)
		// Receive: one back into stock, one scrapped.
		h.mustCall("POST", "/v1/returns/"+r.ID+"/receive", oms.RoleWarehouse, `{"units":[
			{"line_id":"`+line+`","quantity":1,"condition":"opened","disposition":"restock","location":"wh1"},
			{"line_id":"`+line+`","quantity":1,"condition":"damaged","disposition":"scrap"}]}`, 200).json(t, &r)
		if r.Status != oms.ReturnReceived || len(r.Units) != 2 || r.Units[0].LedgerID == 0 || r.Units[1].LedgerID != 0 ||
			r.Lines[0].Received != 2 || r.Refund.Total != 2460 {
			t.Fatalf("received return %+v", r)
		}
		// The restocked mug went to the b2b order waiting for it.
		h.wantStock("mug", "wh1", 3, 3)
		var ledger struct{ Entries []oms.LedgerEntry }
		h.mustCall("GET", "/v1/inventory/mug/ledger?limit=2", oms.RoleAgent, nil, 200).json(t, &ledger)
		if len(ledger.Entries) != 2 || ledger.Entries[1].Kind != oms.MoveReturn || ledger.Entries[1].Delta != 1 ||
			ledger.Entries[1].ID != r.Units[0].LedgerID || ledger.Entries[1].OrderID != o.ID ||
			ledger.Entries[0].Kind != oms.MoveReserve || ledger.Entries[0].OrderID != b.ID {
			t.Errorf("ledger %+v", ledger.Entries)
		}
		h.mustCall("GET", "/v1/orders/"+b.ID, oms.RoleAgent, nil, 200).json(t, &b)
		if b.Lines[0].Open != 0 || b.Lines[0].Allocated != 3 {
			t.Errorf("b2b order after the restock: %+v", b.Lines[0])
		}
		h.mustCall("GET", "/v1/orders/"+o.ID, oms.RoleAgent, nil, 200).json(t, &o)
		if o.Lines[0].Returned != 2 || o.Lines[0].Shipped != 3 {
			t.Errorf("line after receipt %+v", o.Lines[0])
		}

		// Refund: warehouse and channel keys cannot; the agent closes it.
		for _, role := range []oms.Role{oms.RoleWarehouse, oms.RoleChannel} {
			if c := h.call("POST", "/v1/returns/"+r.ID+"/close", role, `{}`); c.status != 403 {
				t.Errorf("%s closed a return with its refund: %d", role, c.status)
			}
			if c := h.call("POST", "/v1/orders/"+o.ID+"/refunds", role, `{"kind":"manual","amount":1,"reason":"x"}`); c.status != 403 {
				t.Errorf("%s refunded: %d", role, c.status)
			}
		}
		h.mustCall("POST", "/v1/returns/"+r.ID+"/close", oms.RoleAgent, `{"payment_reference":"re_123"}`, 200).json(t, &r)
		if r.Status != oms.ReturnClosed || r.RefundID == "" {
			t.Fatalf("closed return %+v", r)
		}
		h.wantRefunded(o.ID, 2460)
		fs := h.refunds(o.ID)
		if f := fs.Refunds[0]; f.Kind != oms.RefundReturn || f.Amount != 2460 || f.Currency != "USD" || f.ReturnID != r.ID ||
			f.PaymentReference != "re_123" || !strings.HasPrefix(f.Actor, "api_key:") {
			t.Errorf("refund %+v", f)
		}
		// A goodwill credit within the agent's limit; above it a manager must.
		h.mustCall("POST", "/v1/orders/"+o.ID+"/refunds", oms.RoleAgent, `{"kind":"appeasement","amount":500,"reason":"Sorry for the chips"}`, 201)
		set := oms.DefaultReturnSettings()
		set.AgentRefundLimit = map[string]int64{"USD": 100}
		h.mustCall("PUT", "/v1/settings/returns", oms.RoleManager, set, 200)
		if c := h.call("POST", "/v1/orders/"+o.ID+"/refunds", oms.RoleAgent, `{"kind":"manual","amount":200,"reason":"price match"}`); c.status != 403 {
			t.Errorf("agent refunded above the limit: %d", c.status)
		}
		h.mustCall("POST", "/v1/orders/"+o.ID+"/refunds", oms.RoleManager, `{"kind":"manual","amount":200,"reason":"price match"}`, 201)
		h.wantRefunded(o.ID, 3160)
		h.mustCall("PUT", "/v1/settings/returns", oms.RoleManager, oms.DefaultReturnSettings(), 200)

		// An exchange of the last mug for a large one that is short: 409, nothing written.
		exchange := func(qty int) string {
			return fmt.Sprintf(`{"lines":[{"line_id":%q,"quantity":1,"reason":"size_fit"}],
				"exchange":[{"sku":"mug-l","quantity":%d,"unit_price":1400}]}`, line, qty)
		}
		var short oms.Return
		h.mustCall("POST", "/v1/orders/"+o.ID+"/returns", oms.RoleAgent, exchange(3), 201).json(t, &short)
		before, _ := h.db.Counts(ctx)
		if c := h.call("POST", "/v1/returns/"+short.ID+"/approve", oms.RoleAgent, nil); c.status != 409 || c.problem(t).Code != oms.EOUTOFSTOCK {
			t.Fatalf("approving a short exchange: %d %s", c.status, c.body)
		}
		after, _ := h.db.Counts(ctx)
		if fmt.Sprint(before) != fmt.Sprint(after) {
			t.Errorf("a refused exchange wrote: %v → %v", before, after)
		}
		h.wantStock("mug-l", "wh1", 2, 0)
		h.mustCall("POST", "/v1/returns/"+short.ID+"/reject", oms.RoleAgent, nil, 200)

		// The exchange that fits: its order is placed, reserved and linked both ways.
		h.mustCall("POST", "/v1/orders/"+o.ID+"/returns", oms.RoleAgent, exchange(1), 201).json(t, &r)
		// The last unit carries the remainders and the whole shipping (rule: full when all came back).
		if r.Refund != (oms.RefundQuote{Goods: 1200, Tax: 30, Shipping: 600, Total: 1830}) || r.ExchangeTotal != 1400 ||
			r.PriceDifference == nil || *r.PriceDifference != -430 {
			t.Fatalf("exchange quote %+v, difference %v", r.Refund, r.PriceDifference)
		}
		h.mustCall("POST", "/v1/returns/"+r.ID+"/approve", oms.RoleAgent, nil, 200).json(t, &r)
		if r.ExchangeOrderID == "" {
			t.Fatal("no exchange order")
		}
		var x oms.Order
		h.mustCall("GET", "/v1/orders/"+r.ExchangeOrderID, oms.RoleAgent, nil, 200).json(t, &x)
		if x.Channel != "web" || x.Customer.Email != "ann@example.com" || x.ShipTo == nil || x.ShipTo.Line1 != "2 Elm St" ||
			x.Total != 1400 || x.Status != oms.StatusAllocated || len(x.Links) != 1 || x.Links[0].Kind != "exchange_of" ||
			x.Links[0].OrderID != o.ID || x.Links[0].ReturnID != r.ID {
			t.Fatalf("exchange order %+v", x)
		}
		h.mustCall("GET", "/v1/orders/"+o.ID, oms.RoleAgent, nil, 200).json(t, &o)
		if len(o.Links) != 1 || o.Links[0].Kind != "exchange" || o.Links[0].OrderID != x.ID {
			t.Errorf("original's links %+v", o.Links)
		}
		h.wantStock("mug-l", "wh1", 2, 1)
		h.mustCall("POST", "/v1/returns/"+r.ID+"/receive", oms.RoleWarehouse, `{"units":[
			{"line_id":"`+line+`","quantity":1,"condition":"new","disposition":"restock","location":"wh1"}]}`, 200).json(t, &r)
		h.wantStock("mug", "wh1", 4, 3)
		// The refund is the value returned less the replacement: 1830 − 1400.
		h.mustCall("POST", "/v1/returns/"+r.ID+"/close", oms.RoleManager, `{}`, 200).json(t, &r)
		h.wantRefunded(o.ID, 3590)

		// The second return: the large mug of the exchange order.
		h.shipAll(x.ID)
		h.wantStock("mug-l", "wh1", 1, 0)
		var r2 oms.Return
		h.mustCall("POST", "/v1/orders/"+x.ID+"/returns", oms.RoleAgent, `{"lines":[{"line_id":"`+x.Lines[0].ID+`","quantity":1,"reason":"defective"}]}`, 201).json(t, &r2)
		h.mustCall("POST", "/v1/returns/"+r2.ID+"/approve", oms.RoleManager, nil, 200)
		h.mustCall("POST", "/v1/returns/"+r2.ID+"/receive", oms.RoleWarehouse, `{"units":[
			{"line_id":"`+x.Lines[0].ID+`","quantity":1,"condition":"defective","disposition":"scrap"}]}`, 200)
		h.wantStock("mug-l", "wh1", 1, 0)
		h.mustCall("POST", "/v1/returns/"+r2.ID+"/close", oms.RoleManager, `{"reason":"defective large mug"}`, 200).json(t, &r2)
		h.wantRefunded(x.ID, 1400)
		h.wantRefunded(o.ID, 3590)

		var page struct{ Returns []oms.Return }
		h.mustCall("GET", "/v1/returns?order="+o.ID, oms.RoleWarehouse, nil, 200).json(t, &page)
		if len(page.Returns) != 3 || page.Returns[0].ID != r.ID || page.Returns[1].Status != oms.ReturnRejected {
			t.Errorf("the order's returns %+v", page.Returns)
		}
		h.mustCall("GET", "/v1/returns?status=closed", oms.RoleAgent, nil, 200).json(t, &page)
		if len(page.Returns) != 3 {
			t.Errorf("%d closed returns", len(page.Returns))
		}
		if c := h.call("GET", "/v1/returns", oms.RoleChannel, nil); c.status != 403 {
			t.Errorf("a channel key read returns: %d", c.status)
		}

		// The timeline tells the story in words.
		var tl struct{ Entries []oms.TimelineEntry }
		h.mustCall("GET", "/v1/orders/"+o.ID+"/timeline", oms.RoleAgent, nil, 200).json(t, &tl)
		var said []string
		for _, en := range tl.Entries {
			said = append(said, en.Summary)
		}
		all := strings.Join(said, "\n")
		for _, want := range []string{"Return " + first + " requested: 2 units, refund value 24.60 USD",
			"received: 1 restocked, 1 scrapped", "Refund ref_1 of 24.60 USD (return for " + first,
			"Refund ref_2 of 5.00 USD (appeasement): Sorry for the chips", "exchange order " + x.ID + " placed"} {
			if !strings.Contains(all, want) {
				t.Errorf("timeline lacks %q:\n%s", want, all)
			}
		}
		h.mustCall("GET", "/v1/orders/"+x.ID+"/timeline", oms.RoleAgent, nil, 200).json(t, &tl)
		if !strings.Contains(tl.Entries[0].Summary+tl.Entries[1].Summary, "Exchange order for return "+r.ID) {
			t.Errorf("exchange order timeline starts %q, %q", tl.Entries[0].Summary, tl.Entries[1].Summary)
		}
	})
}

// TestReturnBadInput: each bad request is a problem naming the field (or
// a conflict for an illegal move), and changes nothing.
func TestReturnBadInput(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		h := setup(t, e)
		h.seed()
		var o oms.Order
		h.mustCall("POST", "/v1/orders", oms.RoleChannel, returnsOrder("R-1"), 201).json(t, &o)
		h.shipAll(o.ID)
		line := o.Lines[0].ID
		var closed oms.Return
		h.mustCall("POST", "/v1/orders/"+o.ID+"/returns", oms.RoleAgent, `{"lines":[{"line_id":"`+line+`","quantity":1,"reason":"other"}]}`, 201).json(t, &closed)
		h.mustCall("POST", "/v1/returns/"+closed.ID+"/approve", oms.RoleAgent, nil, 200)
		h.mustCall("POST", "/v1/returns/"+closed.ID+"/receive", oms.RoleWarehouse, `{"units":[{"line_id":"`+line+`","quantity":1,"condition":"new","disposition":"scrap"}]}`, 200)
		h.mustCall("POST", "/v1/returns/"+closed.ID+"/close", oms.RoleAgent, `{}`, 200)
		var open oms.Return
		h.mustCall("POST", "/v1/orders/"+o.ID+"/returns", oms.RoleAgent, `{"lines":[{"line_id":"`+line+`","quantity":1,"reason":"other"}]}`, 201).json(t, &open)
		h.mustCall("POST", "/v1/returns/"+open.ID+"/approve", oms.RoleAgent, nil, 200)
		left := h.refunds(o.ID).Left

		ret := func(l string) string { return `{"lines":[` + l + `]}` }
		cases := []struct {
			name, method, path, body string
			status                   int
			field                    string
		}{
			{"more than shipped and not returned", "POST", "/v1/orders/" + o.ID + "/returns", ret(`{"line_id":"` + line + `","quantity":2,"reason":"other"}`), 400, "lines[0].quantity"},
			{"unknown line", "POST", "/v1/orders/" + o.ID + "/returns", ret(`{"line_id":"9999-1","quantity":1,"reason":"other"}`), 400, "lines[0].line_id"},
			{"bad reason", "POST", "/v1/orders/" + o.ID + "/returns", ret(`{"line_id":"` + line + `","quantity":1,"reason":"bored"}`), 400, "lines[0].reason"},
			{"quantity as text", "POST", "/v1/orders/" + o.ID + "/returns", ret(`{"line_id":"` + line + `","quantity":"1","reason":"other"}`), 400, "lines[0].quantity"},
			{"no lines", "POST", "/v1/orders/" + o.ID + "/returns", `{"lines":[]}`, 400, "lines"},
			{"unknown exchange sku", "POST", "/v1/orders/" + o.ID + "/returns", `{"lines":[{"line_id":"` + line + `","quantity":1,"reason":"other"}],"exchange":[{"sku":"nope","quantity":1,"unit_price":1}]}`, 400, "exchange[0].sku"},
			{"unknown field", "POST", "/v1/orders/" + o.ID + "/returns", `{"lines":[],"refund":1}`, 400, "refund"},
			{"refund more than paid", "POST", "/v1/orders/" + o.ID + "/refunds", fmt.Sprintf(`{"kind":"manual","amount":%d,"reason":"x"}`, left+1), 400, "amount"},
			{"refund of nothing", "POST", "/v1/orders/" + o.ID + "/refunds", `{"kind":"manual","amount":0,"reason":"x"}`, 400, "amount"},
			{"refund kind", "POST", "/v1/orders/" + o.ID + "/refunds", `{"kind":"return","amount":1,"reason":"x"}`, 400, "kind"},
			{"refund without reason", "POST", "/v1/orders/" + o.ID + "/refunds", `{"kind":"manual","amount":1}`, 400, "reason"},
			{"an empty refund names its kind", "POST", "/v1/orders/" + o.ID + "/refunds", `{}`, 400, "kind"},
			{"an empty refund names its reason", "POST", "/v1/orders/" + o.ID + "/refunds", `{}`, 400, "reason"},
			{"a refund without amount names its reason", "POST", "/v1/orders/" + o.ID + "/refunds", `{"kind":"manual"}`, 400, "reason"},
			{"a return link for 0 days", "POST", "/v1/orders/" + o.ID + "/return-link", `{"expires_in_days":0}`, 400, "expires_in_days"},
			{"a return link for a year and a day", "POST", "/v1/orders/" + o.ID + "/return-link", `{"expires_in_days":366}`, 400, "expires_in_days"},
			{"approve with a body", "POST", "/v1/returns/" + open.ID + "/approve", `{"note":"ok"}`, 400, "note"},
			{"scrap at a location", "POST", "/v1/returns/" + open.ID + "/receive", `{"units":[{"line_id":"` + line + `","quantity":1,"condition":"opened","disposition":"scrap","location":"wh1"}]}`, 400, "units[0].location"},
			{"receive at an unknown location", "POST", "/v1/returns/" + open.ID + "/receive", `{"units":[{"line_id":"` + line + `","quantity":1,"condition":"new","disposition":"restock","location":"mars"}]}`, 400, "units[0].location"},
			{"receive more than returned", "POST", "/v1/returns/" + open.ID + "/receive", `{"units":[{"line_id":"` + line + `","quantity":2,"condition":"new","disposition":"scrap"}]}`, 400, "units[0].quantity"},
			{"receive a bad disposition", "POST", "/v1/returns/" + open.ID + "/receive", `{"units":[{"line_id":"` + line + `","quantity":1,"condition":"new","disposition":"sell"}]}`, 400, "units[0].disposition"},
			{"illegal move: approve a closed return", "POST", "/v1/returns/" + closed.ID + "/approve", "", 409, ""},
			{"illegal move: reject an approved return", "POST", "/v1/returns/" + open.ID + "/reject", "", 409, ""},
			{"illegal move: close an approved return", "POST", "/v1/returns/" + open.ID + "/close", `{}`, 409, ""},
			{"unknown return", "GET", "/v1/returns/ret_999", "", 404, ""},
			{"bad status filter", "GET", "/v1/returns?status=lost", "", 400, "status"},
			{"bad settings", "PUT", "/v1/settings/returns", `{"reasons":[],"shipping_refund":"half","restocking_fee":{"kind":"none","amount":0},"link_days":30}`, 400, "shipping_refund"},
		}
		before, _ := h.db.Counts(ctx)
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				role := oms.RoleManager
				var body any
				if c.body != "" {
					body = c.body
				}
				r := h.call(c.method, c.path, role, body)
				if r.status != c.status {
					t.Fatalf("status %d, want %d: %s", r.status, c.status, r.body)
				}
				if p := r.problem(t); c.field != "" && !names(p, c.field) {
					t.Errorf("problem does not name %s: %+v", c.field, p)
				}
			})
		}
		after, _ := h.db.Counts(ctx)
		if fmt.Sprint(before) != fmt.Sprint(after) {
			t.Errorf("bad input wrote: %v → %v", before, after)
		}
		var got oms.Return
		h.mustCall("GET", "/v1/returns/"+open.ID, oms.RoleAgent, nil, 200).json(t, &got)
		if got.Status != oms.ReturnApproved || got.Version != open.Version+1 || h.refunds(o.ID).Left != left {
			t.Errorf("bad input changed the return or the refunds: %+v", got)
		}
	})
}

// TestReturnLink: a signed link opens one order's portal, where the
// customer sees what may be returned and starts a return; a link for order
// A never reads or acts on order B, and a tampered link is not found.
func TestReturnLink(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		h := setup(t, e)
		h.seed()
		var a, b oms.Order
		h.mustCall("POST", "/v1/orders", oms.RoleChannel, orderBody("A", 2), 201).json(t, &a)
		h.mustCall("POST", "/v1/orders", oms.RoleChannel, orderBody("B", 1), 201).json(t, &b)
		h.shipAll(a.ID)
		h.shipAll(b.ID)
		if c := h.call("POST", "/v1/orders/"+a.ID+"/return-link", oms.RoleWarehouse, `{}`); c.status != 403 {
			t.Errorf("warehouse made a return link: %d", c.status)
		}
		var la, lb oms.ReturnLink
		h.mustCall("POST", "/v1/orders/"+a.ID+"/return-link", oms.RoleAgent, `{}`, 201).json(t, &la)
		h.mustCall("POST", "/v1/orders/"+b.ID+"/return-link", oms.RoleAgent, `{"expires_in_days":7}`, 201).json(t, &lb)
		if la.OrderID != a.ID || la.Path != "/v1/return-portal/"+la.Token || la.ExpiresAt.Sub(lb.ExpiresAt).Hours() < 22*24 {
			t.Fatalf("links %+v %+v", la, lb)
		}
		var p oms.Portal
		h.mustCall("GET", la.Path, "", nil, 200).json(t, &p)
		if p.OrderID != a.ID || len(p.Lines) != 1 || p.Lines[0].Returnable != 2 || len(p.Reasons) != 7 {
			t.Fatalf("portal %+v", p)
		}
		var pr oms.PortalReturn
		h.mustCall("POST", la.Path+"/returns", "", `{"lines":[{"line_id":"`+a.Lines[0].ID+`","quantity":1,"reason":"no_longer_needed"}],"comment":"Too big"}`, 201).json(t, &pr)
		var r oms.Return
		h.mustCall("GET", "/v1/returns/"+pr.ID, oms.RoleAgent, nil, 200).json(t, &r)
		if r.OrderID != a.ID || r.Source != oms.SourceLink || r.Comment != "Too big" || r.RequestedBy != "return_link:"+a.ID {
			t.Errorf("portal return %+v", r)
		}
		h.mustCall("GET", la.Path, "", nil, 200).json(t, &p)
		if p.Lines[0].Returnable != 1 || len(p.Returns) != 1 || p.Returns[0].ID != r.ID {
			t.Errorf("portal after the return %+v", p)
		}
		// A's link cannot reach B: not with B's line, not with B's payload under A's signature.
		before, _ := h.db.Counts(ctx)
		if c := h.call("POST", la.Path+"/returns", "", `{"lines":[{"line_id":"`+b.Lines[0].ID+`","quantity":1,"reason":"other"}]}`); c.status != 400 || !names(c.problem(t), "lines[0].line_id") {
			t.Errorf("A's link returned B's line: %d %s", c.status, c.body)
		}
		payloadB, _, _ := strings.Cut(lb.Token, ".")
		_, sigA, _ := strings.Cut(la.Token, ".")
		for _, tok := range []string{payloadB + "." + sigA, la.Token + "x", "x" + la.Token, "nonsense", la.Token[:len(la.Token)-3] + "abc"} {
			if c := h.call("GET", "/v1/return-portal/"+tok, "", nil); c.status != 404 {
				t.Errorf("tampered link %q read: %d %s", tok, c.status, c.body)
			}
			if c := h.call("POST", "/v1/return-portal/"+tok+"/returns", "", `{"lines":[{"line_id":"`+b.Lines[0].ID+`","quantity":1,"reason":"other"}]}`); c.status != 404 {
				t.Errorf("tampered link %q returned: %d %s", tok, c.status, c.body)
			}
		}
		if c := h.call("POST", la.Path+"/returns", "", `{"lines":[{"line_id":"`+a.Lines[0].ID+`","quantity":1,"reason":"other"}],"exchange":[]}`); c.status != 400 {
			t.Errorf("the portal took an exchange field: %d", c.status)
		}
		after, _ := h.db.Counts(ctx)
		if fmt.Sprint(before) != fmt.Sprint(after) {
			t.Errorf("refused portal requests wrote: %v → %v", before, after)
		}
	})
}

// TestExchangeReplacementCancelled: the refund of an exchange takes off
// only what the customer still gets of the replacement — all of it while
// it stands, nothing once it is cancelled, and for a replacement cancelled
// in part, the units left.
func TestExchangeReplacementCancelled(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		h := setup(t, e)
		h.seed()
		h.mustCall("PUT", "/v1/items/mug-l", oms.RoleManager, `{"name":"Large mug","unit_cost":500,"currency":"USD"}`, 201)
		h.mustCall("POST", "/v1/inventory/adjustments", oms.RoleWarehouse, `{"sku":"mug-l","location":"wh1","delta":5,"reason":"receive"}`, 201)
		h.mustCall("POST", "/v1/inventory/adjustments", oms.RoleWarehouse, `{"sku":"mug","location":"wh1","delta":10,"reason":"receive"}`, 201)
		var paid int64
		for _, c := range []struct {
			name   string
			cancel string // the replacement's cancellation: "" none, "all", or a quantity
			credit int64  // what is taken off the return's value
		}{
			{"standing", "", 2 * 700},
			{"cancelled", "all", 0},
			{"cancelled in part", "1", 700},
		} {
			var o oms.Order
			h.mustCall("POST", "/v1/orders", oms.RoleChannel, returnsOrder("X-"+c.name), 201).json(t, &o)
			h.shipAll(o.ID)
			var r oms.Return
			h.mustCall("POST", "/v1/orders/"+o.ID+"/returns", oms.RoleAgent, `{"lines":[{"line_id":"`+o.Lines[0].ID+
				`","quantity":1,"reason":"other"}],"exchange":[{"sku":"mug-l","quantity":2,"unit_price":700}]}`, 201).json(t, &r)
			h.mustCall("POST", "/v1/returns/"+r.ID+"/approve", oms.RoleAgent, nil, 200).json(t, &r)
			switch c.cancel {
			case "all":
				h.mustCall("POST", "/v1/orders/"+r.ExchangeOrderID+"/cancel", oms.RoleManager, `{}`, 200)
			case "1":
				var x oms.Order
				h.mustCall("GET", "/v1/orders/"+r.ExchangeOrderID, oms.RoleAgent, nil, 200).json(t, &x)
				h.mustCall("POST", "/v1/orders/"+x.ID+"/cancel", oms.RoleManager, `{"lines":[{"line_id":"`+x.Lines[0].ID+`","quantity":1}]}`, 200)
			}
			h.mustCall("POST", "/v1/returns/"+r.ID+"/receive", oms.RoleWarehouse, `{"units":[{"line_id":"`+o.Lines[0].ID+
				`","quantity":1,"condition":"new","disposition":"restock","location":"wh1"}]}`, 200)
			h.mustCall("POST", "/v1/returns/"+r.ID+"/close", oms.RoleManager, `{}`, 200)
			if got, want := h.refunds(o.ID).Refunded, max(r.Refund.Total-c.credit, 0); got != want {
				t.Errorf("%s: refunded %d, want %d", c.name, got, want)
			}
			// The exchange counts once in the customer's lifetime value:
			// the original less its refund, and of a replacement that
			// stands only its total above the return's value, which paid
			// for it (the lifetime value counts an order's total whatever
			// of it was cancelled since, unless all of it was).
			paid += o.Total - max(r.Refund.Total-c.credit, 0)
			if c.cancel != "all" {
				paid += max(1400-r.Refund.Total, 0)
			}
		}
		var v oms.CustomerView
		h.mustCall("GET", "/v1/customers/ann@example.com", oms.RoleAgent, nil, 200).json(t, &v)
		if lv := v.LifetimeValue.ByCurrency; len(lv) != 1 || lv[0].Amount != paid {
			t.Errorf("lifetime value %+v, want %d", lv, paid)
		}
	})
}
