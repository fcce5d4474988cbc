package httpapi_test

import (
	"strings"
	"testing"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/store/storetest"
)

// TestCustomerService: notes on an order and its customer, a case that
// moves through its statuses with its service times, and the order's
// timeline merging all of it with the order's events.
func TestCustomerService(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		h := setup(t, e)
		h.seed()
		var o oms.Order
		h.mustCall("POST", "/v1/orders", oms.RoleChannel, orderBody("W-1", 1), 201).json(t, &o)

		var n oms.Note
		h.mustCall("POST", "/v1/orders/"+o.ID+"/notes", oms.RoleAgent, `{"body":"Customer called:\nleave at the door"}`, 201).json(t, &n)
		if n.OrderID != o.ID || !strings.HasPrefix(n.Author, "api_key:") || !strings.HasPrefix(n.ID, "note_") {
			t.Errorf("note %+v", n)
		}
		if r := h.call("POST", "/v1/orders/"+o.ID+"/notes", oms.RoleWarehouse, `{"body":"x"}`); r.status != 403 {
			t.Errorf("warehouse wrote a note: %d", r.status)
		}
		if r := h.call("GET", "/v1/orders/"+o.ID+"/notes", oms.RoleChannel, nil); r.status != 403 {
			t.Errorf("a channel key read internal notes: %d", r.status)
		}
		// A customer note by email, however it is written, and by id.
		h.mustCall("POST", "/v1/customers/%20ANN@example.com%20/notes", oms.RoleAgent, `{"body":"VIP"}`, 201).json(t, &n)
		if !strings.HasPrefix(n.Customer, "cus_") {
			t.Fatalf("customer note %+v", n)
		}
		var notes struct{ Notes []oms.Note }
		h.mustCall("GET", "/v1/customers/"+n.Customer+"/notes", oms.RoleAgent, nil, 200).json(t, &notes)
		if len(notes.Notes) != 1 || notes.Notes[0].Body != "VIP" {
			t.Errorf("customer notes %+v", notes.Notes)
		}
		if r := h.call("GET", "/v1/customers/nobody@example.com/notes", oms.RoleAgent, nil); r.status != 404 {
			t.Errorf("unknown customer: %d", r.status)
		}

		// A case: the customer asks, staff answer, the customer replies, it is resolved.
		var c oms.Case
		h.mustCall("POST", "/v1/cases", oms.RoleAgent, `{"order":"`+o.Number+`","subject":"Where is my order?",
			"message":"It has not arrived.","from_customer":true,"assignee":"sam"}`, 201).json(t, &c)
		if c.Status != oms.CaseOpen || c.OrderID != o.ID || c.Customer != n.Customer || c.Email != "ann@example.com" ||
			len(c.Messages) != 1 || c.FirstResponseAt != nil || c.Assignee != "sam" {
			t.Fatalf("opened case %+v", c)
		}
		path := "/v1/cases/" + c.ID
		h.mustCall("POST", path+"/messages", oms.RoleAgent, `{"body":"Checking with the carrier.","internal":true}`, 200).json(t, &c)
		if c.Status != oms.CaseOpen || c.FirstResponseAt != nil {
			t.Errorf("an internal note answered the customer: %s %v", c.Status, c.FirstResponseAt)
		}
		h.mustCall("POST", path+"/messages", oms.RoleAgent, `{"body":"It ships today."}`, 200).json(t, &c)
		if c.Status != oms.CasePending || c.FirstResponseAt == nil || c.FirstResponseSeconds == nil || *c.FirstResponseSeconds < 0 {
			t.Errorf("after the first reply: %s, first response %v", c.Status, c.FirstResponseSeconds)
		}
		first := *c.FirstResponseAt
		h.mustCall("POST", path+"/messages", oms.RoleAgent, `{"body":"Thanks!","from_customer":true}`, 200).json(t, &c)
		if c.Status != oms.CaseOpen {
			t.Errorf("a customer's reply left the case %s", c.Status)
		}
		h.mustCall("POST", path+"/messages", oms.RoleAgent, `{"body":"You're welcome."}`, 200).json(t, &c)
		if !c.FirstResponseAt.Equal(first) {
			t.Errorf("the first response moved from %v to %v", first, c.FirstResponseAt)
		}
		h.mustCall("PATCH", path, oms.RoleAgent, `{"status":"resolved"}`, 200).json(t, &c)
		if c.Status != oms.CaseResolved || c.ResolvedAt == nil || c.ResolutionSeconds == nil || len(c.Messages) != 5 {
			t.Errorf("resolved case %+v", c)
		}
		// The customer writes again: the case reopens and its resolution is cleared.
		c = oms.Case{}
		h.mustCall("POST", path+"/messages", oms.RoleAgent, `{"body":"It came broken.","from_customer":true}`, 200).json(t, &c)
		if c.Status != oms.CaseOpen || c.ResolvedAt != nil || c.Version != 7 {
			t.Errorf("reopened case: %s, resolved %v, version %d", c.Status, c.ResolvedAt, c.Version)
		}
		var got oms.Case
		h.mustCall("GET", path, oms.RoleAgent, nil, 200).json(t, &got)
		if got.Status != c.Status || len(got.Messages) != 6 || got.Messages[5].Body != "It came broken." || !got.FirstResponseAt.Equal(first) {
			t.Errorf("stored case %+v", got)
		}
		var page struct{ Cases []oms.Case }
		h.mustCall("GET", "/v1/cases?status=open&customer=ann@example.com", oms.RoleAgent, nil, 200).json(t, &page)
		if len(page.Cases) != 1 || page.Cases[0].ID != c.ID {
			t.Errorf("open cases of the customer: %+v", page.Cases)
		}
		h.mustCall("GET", "/v1/cases?status=resolved", oms.RoleAgent, nil, 200).json(t, &page)
		if len(page.Cases) != 0 {
			t.Errorf("%d resolved cases", len(page.Cases))
		}

		// The timeline: the order's events, the note and the case, in time order.
		var tl struct{ Entries []oms.TimelineEntry }
		h.mustCall("GET", "/v1/orders/"+o.ID+"/timeline", oms.RoleAgent, nil, 200).json(t, &tl)
		kinds := map[string]int{}
		for i, en := range tl.Entries {
			kinds[en.Kind+" "+en.Type]++
			if i > 0 && en.At.Before(tl.Entries[i-1].At) {
				t.Errorf("entry %d (%s) before entry %d", i, en.Type, i-1)
			}
		}
		if tl.Entries[0].Type != oms.EventOrderCreated || kinds["note note.added"] != 1 || kinds["case case.opened"] != 1 ||
			kinds["case case.message_added"] != 5 || kinds["event case.updated"] != 1 {
			t.Errorf("timeline kinds %v", kinds)
		}
		for _, en := range tl.Entries {
			if en.Kind == "note" && !strings.Contains(en.Summary, "leave at the door") {
				t.Errorf("note entry %q", en.Summary)
			}
		}

		// Bad input is named and writes nothing.
		for _, c := range []struct {
			method, path, body, field string
		}{
			{"POST", "/v1/orders/" + o.ID + "/notes", `{"body":"  "}`, "body"},
			{"POST", "/v1/cases", `{"order":"` + o.ID + `","message":"hi"}`, "subject"},
			{"POST", "/v1/cases", `{"subject":"Hi","message":"hi"}`, "customer"},
			{"POST", "/v1/cases", `{"customer":"nobody@example.com","subject":"Hi","message":"hi"}`, "customer"},
			{"POST", "/v1/cases", `{"order":"` + o.ID + `","subject":"two\nlines","message":"hi"}`, "subject"},
			{"PATCH", path, `{"status":"closed"}`, "status"},
			{"PATCH", path, `{}`, "status"},
			{"POST", path + "/messages", `{"body":"x","from_customer":true,"internal":true}`, "internal"},
		} {
			r := h.call(c.method, c.path, oms.RoleAgent, c.body)
			if r.status != 400 || !names(r.problem(t), c.field) {
				t.Errorf("%s %s %s: %d %s", c.method, c.path, c.body, r.status, r.body)
			}
		}
		h.mustCall("GET", path, oms.RoleAgent, nil, 200).json(t, &got)
		if got.Version != 7 || len(got.Messages) != 6 {
			t.Errorf("bad input changed the case: version %d", got.Version)
		}
		if r := h.call("GET", "/v1/cases/case_999", oms.RoleAgent, nil); r.status != 404 {
			t.Errorf("unknown case: %d", r.status)
		}
	})
}
