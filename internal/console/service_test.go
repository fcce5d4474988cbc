package console_test

import (
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/omshq/oms"
)

// TestReturnForms: the return forms show each problem by its field and
// change nothing; a post without the CSRF token is refused; a user bound
// to a store sees and receives only its own orders' returns, and no
// customers or cases.
func TestReturnForms(t *testing.T) {
	storetestRun(t, func(t *testing.T, s *shop) {
		s.shipAll(t, s.ship)
		mug := s.order(t, s.ship).Lines[0].ID
		ann := newClient(t, s.url)
		tok := ann.signIn("ann@example.com")
		path := "/orders/" + s.ship.Number + "/return"
		if st, body := ann.get(path); st != http.StatusOK || !strings.Contains(body, `id="qty-`+mug+`"`) {
			t.Fatalf("the return form: %d", st)
		}
		st, body := ann.post(path, url.Values{"csrf": {tok}, "qty-" + mug: {"3"}, "reason-" + mug: {"damaged"}})
		if st != http.StatusUnprocessableEntity || !strings.Contains(html.UnescapeString(body), "must be between 1 and 2") {
			t.Errorf("returning more than shipped: %d\n%s", st, body)
		}
		st, body = ann.post(path, url.Values{"csrf": {tok}, "qty-" + mug: {"0"}})
		if st != http.StatusUnprocessableEntity || !strings.Contains(body, "choose at least one unit") {
			t.Errorf("returning nothing: %d", st)
		}
		st, body = ann.post(path, url.Values{"csrf": {tok}, "qty-" + mug: {"1"}, "reason-" + mug: {"damaged"},
			"exchange_sku": {"TEE-2"}, "exchange_quantity": {"1"}, "exchange_price": {"abc"}})
		if st != http.StatusUnprocessableEntity || !strings.Contains(body, `id="ex-price" name="exchange_price" inputmode="decimal" value="abc" aria-invalid="true"`) {
			t.Errorf("an exchange at a bad price: %d\n%s", st, body)
		}
		if rs, _ := s.db.Returns(ctx, oms.ReturnFilter{Order: s.ship.ID, Limit: 5}); len(rs) != 0 {
			t.Fatalf("refused forms made returns: %+v", rs)
		}
		st, _ = ann.post(path, url.Values{"csrf": {tok}, "qty-" + mug: {"2"}, "reason-" + mug: {"damaged"}})
		rs, err := s.db.Returns(ctx, oms.ReturnFilter{Order: s.ship.ID, Limit: 5})
		must(t, err)
		if st != http.StatusSeeOther || len(rs) != 1 {
			t.Fatalf("starting a return: %d, %+v", st, rs)
		}
		ret := rs[0]
		if st, _ := ann.post("/returns/"+ret.ID+"/approve", url.Values{}); st != http.StatusForbidden {
			t.Errorf("approving without the CSRF token: %d", st)
		}
		if st, _ := ann.post("/returns/"+ret.ID+"/receive", url.Values{"csrf": {tok}}); st != http.StatusForbidden {
			t.Errorf("an agent receiving: %d, want 403", st)
		}
		if st, _ := ann.post("/returns/"+ret.ID+"/approve", url.Values{"csrf": {tok}}); st != http.StatusSeeOther {
			t.Fatalf("approving: %d", st)
		}

		// An exchange: a tee back, another tee out at 20.00.
		tee := s.order(t, s.ship).Lines[1].ID
		st, _ = ann.post(path, url.Values{"csrf": {tok}, "qty-" + tee: {"1"}, "reason-" + tee: {"size_fit"},
			"exchange_sku": {"TEE-2"}, "exchange_quantity": {"1"}, "exchange_price": {"20.00"}})
		ex, err := s.db.Returns(ctx, oms.ReturnFilter{Order: s.ship.ID, Limit: 5})
		must(t, err)
		if st != http.StatusSeeOther || len(ex) != 2 || len(ex[0].Exchange) != 1 || ex[0].Exchange[0].SKU != "TEE-2" ||
			ex[0].Exchange[0].UnitPrice != 2000 || ex[0].Lines[0].LineID != tee {
			t.Fatalf("starting an exchange: %d, %+v", st, ex)
		}
		if st, body := ann.get("/returns/" + ex[0].ID); st != http.StatusOK || !strings.Contains(body, "Exchange") {
			t.Errorf("the exchange's page: %d", st)
		}

		// Restocking needs a location; the numbers must be numbers.
		wes := newClient(t, s.url)
		wtok := wes.signIn("wes@example.com")
		st, body = wes.post("/returns/"+ret.ID+"/receive", url.Values{"csrf": {wtok}, "restock-" + mug: {"1"}, "condition-restock-" + mug: {"new"}})
		if st != http.StatusUnprocessableEntity || !strings.Contains(body, "is required to restock") {
			t.Errorf("restocking nowhere: %d", st)
		}
		st, body = wes.post("/returns/"+ret.ID+"/receive", url.Values{"csrf": {wtok}, "location": {"east"}, "scrap-" + mug: {"x"}})
		if st != http.StatusUnprocessableEntity || !strings.Contains(body, "whole number of units") {
			t.Errorf("scrapping x units: %d", st)
		}
		if got, _ := s.db.Return(ctx, ret.ID); got.Status != oms.ReturnApproved {
			t.Fatalf("refused receipts changed the return: %s", got.Status)
		}

		// Receive both mugs; a refund above an agent's limit is refused on
		// the form, and the return stays received.
		if st, _ := wes.post("/returns/"+ret.ID+"/receive", url.Values{"csrf": {wtok}, "location": {"east"}, "restock-" + mug: {"2"},
			"condition-restock-" + mug: {"new"}}); st != http.StatusSeeOther {
			t.Fatalf("receiving: %d", st)
		}
		set, err := s.db.ReturnSettings(ctx)
		must(t, err)
		set.AgentRefundLimit = map[string]int64{"USD": 100}
		must(t, s.db.PutReturnSettings(ctx, set, oms.System("test")))
		st, body = ann.post("/returns/"+ret.ID+"/close", url.Values{"csrf": {tok}})
		if st != http.StatusUnprocessableEntity || !strings.Contains(body, "above an agent&#39;s limit") || !strings.Contains(body, `id="close-form"`) {
			t.Errorf("a refund above the agent's limit: %d\n%s", st, body)
		}
		if got, _ := s.db.Return(ctx, ret.ID); got.Status != oms.ReturnReceived {
			t.Fatalf("a refused refund closed the return: %s", got.Status)
		}

		// Sam, bound to the shop, sees no return of east's order, and
		// cannot receive it; customers and cases are not his.
		sam := newClient(t, s.url)
		stok := sam.signIn("sam@example.com")
		if st, body := sam.get("/returns"); st != http.StatusOK || strings.Contains(body, ret.ID) {
			t.Errorf("the clerk's returns: %d, lists %s", st, ret.ID)
		}
		if st, _ := sam.get("/returns/" + ret.ID); st != http.StatusNotFound {
			t.Errorf("another location's return: %d, want 404", st)
		}
		if st, _ := sam.post("/returns/"+ret.ID+"/receive", url.Values{"csrf": {stok}, "location": {"shop"}, "restock-" + mug: {"1"}, "condition-restock-" + mug: {"new"}}); st != http.StatusNotFound {
			t.Errorf("receiving another location's return: %d, want 404", st)
		}
		for _, p := range []string{"/customers", "/customers/ann.buyer@example.com", "/cases"} {
			if st, _ := sam.get(p); st != http.StatusForbidden {
				t.Errorf("the clerk at %s: %d, want 403", p, st)
			}
		}
		if st, _ := sam.post("/customers/ann.buyer@example.com/notes", url.Values{"csrf": {stok}, "body": {"hi"}}); st != http.StatusForbidden {
			t.Errorf("the clerk adding a customer note: %d", st)
		}
		if got, _ := s.db.Return(ctx, ret.ID); got.Status != oms.ReturnReceived || len(got.Units) != 1 {
			t.Fatalf("the clerk changed the return: %s", got.Status)
		}
	})
}

// TestCaseForms: problems show by the field; the queue's filter is
// checked; a case opens on the customer's page.
func TestCaseForms(t *testing.T) {
	storetestRun(t, func(t *testing.T, s *shop) {
		cs, err := s.db.OpenCase(ctx, oms.CaseRequest{Customer: "ann.buyer@example.com", Subject: "Refund?", Message: "Please"}, oms.System("test"))
		must(t, err)
		ann := newClient(t, s.url)
		tok := ann.signIn("ann@example.com")
		n := "/cases/" + itoa(cs.Number)
		if st, _ := ann.get("/cases?status=lost"); st != http.StatusUnprocessableEntity {
			t.Errorf("a bad status filter: %d", st)
		}
		if st, body := ann.get("/cases?status="); st != http.StatusOK || !strings.Contains(body, "Refund?") {
			t.Errorf("every case: %d", st)
		}
		// An assignee set through the API, not a user, stays a choice.
		assignee := "team-billing"
		_, err = s.db.UpdateCase(ctx, cs.ID, oms.CaseChange{Assignee: &assignee}, oms.System("test"))
		must(t, err)
		if _, body := ann.get(n); !strings.Contains(body, `<option value="team-billing" selected>`) {
			t.Errorf("the API's assignee is not the selected choice")
		}
		st, body := ann.post(n+"/messages", url.Values{"csrf": {tok}, "body": {""}})
		if st != http.StatusUnprocessableEntity || !strings.Contains(body, `id="reply-error"`) {
			t.Errorf("an empty reply: %d\n%s", st, body)
		}
		st, body = ann.post(n, url.Values{"csrf": {tok}, "status": {"lost"}})
		if st != http.StatusUnprocessableEntity || !strings.Contains(body, "upd-status-error") {
			t.Errorf("a bad status: %d\n%s", st, body)
		}
		if c, _ := s.db.Case(ctx, cs.ID); c.Status != cs.Status || len(c.Messages) != 1 {
			t.Errorf("refused forms changed the case: %+v", c)
		}
		st, body = ann.post("/customers/ann.buyer@example.com/notes", url.Values{"csrf": {tok}, "body": {""}})
		if st != http.StatusUnprocessableEntity || !strings.Contains(body, `id="note-error"`) {
			t.Errorf("an empty customer note: %d\n%s", st, body)
		}
		st, body = ann.post("/customers/ann.buyer@example.com/cases", url.Values{"csrf": {tok}, "subject": {""}, "message": {"Hello"}})
		if st != http.StatusUnprocessableEntity || !strings.Contains(body, `id="case-subject-error"`) {
			t.Errorf("a case without a subject: %d\n%s", st, body)
		}
		st, _ = ann.post("/customers/ann.buyer@example.com/cases", url.Values{"csrf": {tok}, "subject": {"Damaged mug"},
			"message": {"It arrived broken"}, "from_customer": {"1"}})
		cases, err := s.db.Cases(ctx, oms.CaseFilter{Customer: "ann.buyer@example.com", Limit: 5})
		must(t, err)
		if st != http.StatusSeeOther || len(cases) != 2 || cases[0].Subject != "Damaged mug" || oms.ActorLabel(cases[0].OpenedBy) != "Ann Lee (agent)" {
			t.Errorf("opening a case: %d, %+v", st, cases)
		}
		if st, _ := ann.get("/customers/nobody@example.com"); st != http.StatusNotFound {
			t.Errorf("an unknown customer: %d", st)
		}
		if st, body := ann.get("/customers?q=Buyer"); st != http.StatusOK || !strings.Contains(body, "ann.buyer@example.com") {
			t.Errorf("customers named Buyer: %d", st)
		}
	})
}
