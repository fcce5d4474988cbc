package console_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/omshq/oms"
)

// shipAll ships every fulfillment of the order.
func (s *shop) shipAll(t *testing.T, o *oms.Order) {
	t.Helper()
	for _, f := range s.fulfillments(t, o) {
		_, err := s.db.MoveFulfillment(ctx, f.ID, oms.FulfillmentMove{To: oms.FulfillmentShipped,
			Tracking: oms.Tracking{Carrier: "UPS", TrackingNumber: "1Z" + f.ID}}, oms.System("test"))
		must(t, err)
	}
}

// TestBrowserReturnFlow: an agent starts a return of two shipped mugs
// from the order page and approves it; the warehouse receives one into
// stock and scraps the other; the agent refunds. Stock, the return, the
// refund and the order's timeline agree after each step.
func TestBrowserReturnFlow(t *testing.T) {
	storetestRun(t, func(t *testing.T, s *shop) {
		s.shipAll(t, s.ship)
		mugLine := s.order(t, s.ship).Lines[0].ID
		b := newTab(t, s.url)
		b.signIn("ann@example.com")
		b.do(chromedp.Navigate(b.base+"/orders/"+s.ship.Number),
			chromedp.Click(chromedp.CSS("#start-return-link")),
			waitFor(`location.pathname === '/orders/`+s.ship.Number+`/return'`),
			chromedp.SetValue(chromedp.CSS("#qty-"+mugLine), "2"),
			chromedp.SetValue(chromedp.CSS("#reason-"+mugLine), "damaged"))
		b.screenshot("return-new")
		b.do(chromedp.Click(chromedp.CSS("#start-return")), flash("return is started"))
		rs, err := s.db.Returns(ctx, oms.ReturnFilter{Order: s.ship.ID, Limit: 10})
		must(t, err)
		if len(rs) != 1 || rs[0].Status != oms.ReturnRequested || len(rs[0].Lines) != 1 || rs[0].Lines[0].Quantity != 2 ||
			rs[0].Lines[0].Reason != "damaged" || oms.ActorLabel(rs[0].RequestedBy) != "Ann Lee (agent)" {
			t.Fatalf("the return: %+v", rs)
		}
		ret := rs[0]
		b.do(chromedp.Click(chromedp.CSS("#approve")), flash("approved"))
		b.signOut()

		// The warehouse receives: one mug back into stock at east, one
		// scrapped.
		mug := s.balance(t, "MUG-1", "east")
		b.signIn("wes@example.com")
		b.do(chromedp.Navigate(b.base+"/returns?status=approved"),
			chromedp.Click(chromedp.CSS(`#return-results a[href="/returns/`+ret.ID+`"]`)),
			waitFor(`location.pathname === '/returns/`+ret.ID+`' && document.readyState === 'complete' && !!document.querySelector('#receive')`))
		b.screenshot("return")
		b.do(chromedp.SetValue(chromedp.CSS("#rcv-location"), "east"),
			chromedp.SetValue(chromedp.CSS("#restock-"+mugLine), "1"),
			chromedp.SetValue(chromedp.CSS("#scrap-"+mugLine), "1"),
			chromedp.SetValue(chromedp.CSS("#condition-restock-"+mugLine), "opened"),
			chromedp.Click(chromedp.CSS("#receive")), flash("received"))
		got, err := s.db.Return(ctx, ret.ID)
		must(t, err)
		if got.Status != oms.ReturnReceived || len(got.Units) != 2 {
			t.Fatalf("after receiving: %s, units %+v", got.Status, got.Units)
		}
		for _, u := range got.Units {
			if u.Quantity != 1 || (u.Disposition == oms.DispositionRestock) != (u.Location == "east") ||
				(u.Disposition == oms.DispositionRestock) != (u.Condition == "opened") {
				t.Errorf("received unit %+v", u)
			}
		}
		if now := s.balance(t, "MUG-1", "east"); now.OnHand != mug.OnHand+1 || now.Reserved != mug.Reserved {
			t.Errorf("mugs at east after receiving: %+v, was %+v", now, mug)
		}
		if got := b.text("#return-units"); !strings.Contains(got, "restocked at east") || !strings.Contains(got, "scrapped") {
			t.Errorf("received units on the page: %q", got)
		}
		b.signOut()

		// The agent refunds and closes it.
		b.signIn("ann@example.com")
		b.do(chromedp.Navigate(b.base + "/returns/" + ret.ID))
		want := b.text("#refund-amount")
		b.do(chromedp.SendKeys(chromedp.CSS("#pay-ref"), "PSP-42"),
			chromedp.Click(chromedp.CSS("#refund")), flash("refunded"))
		if got, err = s.db.Return(ctx, ret.ID); err != nil || got.Status != oms.ReturnClosed || got.RefundID == "" {
			t.Fatalf("after the refund: %+v, %v", got, err)
		}
		refunds, err := s.db.Refunds(ctx, s.ship.ID)
		must(t, err)
		if len(refunds.Refunds) != 1 || refunds.Refunds[0].Amount != got.Refund.Total || got.Refund.Total <= 0 ||
			!strings.HasPrefix(want, fmt.Sprint(got.Refund.Total/100)) {
			t.Errorf("refunds %+v; the return's refund %+v; the page offered %q", refunds, got.Refund, want)
		}
		if now := s.balance(t, "MUG-1", "east"); now.OnHand != mug.OnHand+1 {
			t.Errorf("mugs at east after the refund: %+v", now)
		}
		b.do(chromedp.Navigate(b.base + "/orders/" + s.ship.Number))
		tl := b.text(".timeline")
		for _, w := range []string{"Ann Lee (agent)", "Wes Park (warehouse)"} {
			if !strings.Contains(tl, w) {
				t.Errorf("the order's timeline does not name %s:\n%s", w, tl)
			}
		}
		if !strings.Contains(strings.ToLower(tl), "return") || !strings.Contains(strings.ToLower(tl), "refund") {
			t.Errorf("the order's timeline shows no return or refund:\n%s", tl)
		}
		if o := s.order(t, s.ship); o.Lines[0].Returned != 2 {
			t.Errorf("the mug line after the return: %+v", o.Lines[0])
		}
		storetestInvariants(t, s)
	})
}

// TestBrowserCustomerAndCase: an agent finds a customer, sees their orders
// and lifetime value, adds a note; answers their case and resolves it.
func TestBrowserCustomerAndCase(t *testing.T) {
	storetestRun(t, func(t *testing.T, s *shop) {
		cs, err := s.db.OpenCase(ctx, oms.CaseRequest{Order: s.ship.Number, Subject: "Where is my parcel?",
			Message: "It has been a week.", FromCustomer: true}, oms.System("test"))
		must(t, err)
		b := newTab(t, s.url)
		b.signIn("ann@example.com")
		b.do(chromedp.Navigate(b.base+"/customers"),
			chromedp.SendKeys(chromedp.CSS("#cq"), "ann.buyer@example.com\n"),
			waitFor(`location.search.includes('q=ann.buyer')`),
			waitFor(`document.querySelectorAll('#customer-results tbody tr').length === 1`),
			chromedp.Click(chromedp.CSS(`#customer-results tbody a`)),
			waitFor(`location.pathname.startsWith('/customers/') && !!document.querySelector('#ltv')`))
		if got := b.text("#customer-orders"); !strings.Contains(got, "#"+s.ship.Number) || strings.Contains(got, "#"+s.pickup.Number) {
			t.Errorf("the customer's orders:\n%s", got)
		}
		if got := b.text("#ltv"); !strings.Contains(got, "90.00 USD") {
			t.Errorf("lifetime value: %q", got)
		}
		if got := b.text("#customer-cases"); !strings.Contains(got, "Where is my parcel?") {
			t.Errorf("the customer's cases: %q", got)
		}
		b.do(chromedp.SendKeys(chromedp.CSS("#note-body"), "Prefers email"),
			chromedp.Click(chromedp.CSS(".note-form button")), flash("note"))
		if got := b.text("#customer-notes"); !strings.Contains(got, "Prefers email") || !strings.Contains(got, "Ann Lee (agent)") {
			t.Errorf("the customer's notes: %q", got)
		}
		b.screenshot("customer")

		// The queue of open cases, then the case.
		b.do(chromedp.Navigate(b.base+"/cases"),
			chromedp.Click(chromedp.CSS(`#case-results a[href="/cases/`+fmt.Sprint(cs.Number)+`"]`)),
			waitFor(`location.pathname === '/cases/`+fmt.Sprint(cs.Number)+`'`),
			chromedp.SendKeys(chromedp.CSS("#reply-body"), "It ships today."),
			chromedp.Click(chromedp.CSS("#reply-form button")), flash("message"))
		c, err := s.db.Case(ctx, cs.ID)
		must(t, err)
		if len(c.Messages) != 2 || c.Messages[1].Body != "It ships today." || c.FirstResponseAt == nil {
			t.Fatalf("the case after the reply: %+v", c)
		}
		if got := b.text("#case-messages"); !strings.Contains(got, "Ann Lee (agent)") {
			t.Errorf("the reply does not name Ann: %q", got)
		}
		b.do(chromedp.SetValue(chromedp.CSS("#upd-status"), "resolved"),
			chromedp.SetValue(chromedp.CSS("#upd-assignee"), "ann@example.com"),
			chromedp.Click(chromedp.CSS("#case-update button")), flash("updated"))
		if c, err = s.db.Case(ctx, cs.ID); err != nil || c.Status != oms.CaseResolved || c.Assignee != "ann@example.com" {
			t.Fatalf("the case after the update: %+v, %v", c, err)
		}
		b.screenshot("case")
		b.do(chromedp.EmulateViewport(390, 844), chromedp.Navigate(b.base+"/cases?status="))
		b.screenshot("cases-phone")
		b.do(chromedp.EmulateViewport(1280, 900))
		b.do(chromedp.Navigate(b.base + "/cases?status=resolved"))
		if got := b.text("#case-results"); !strings.Contains(got, "Where is my parcel?") {
			t.Errorf("resolved cases: %q", got)
		}
	})
}

// TestBrowserReturnPortal: a customer opens the return link, with no
// sign-in, sees the store's name, checks the refund and asks for the
// return: the same return the API makes.
func TestBrowserReturnPortal(t *testing.T) {
	storetestRun(t, func(t *testing.T, s *shop) {
		s.shipAll(t, s.ship)
		// An agent makes the link on the order's page.
		agent := newTab(t, s.url)
		agent.signIn("ann@example.com")
		agent.do(chromedp.Navigate(agent.base+"/orders/"+s.ship.Number),
			chromedp.Click(chromedp.CSS("#make-return-link")), waitFor(`!!document.querySelector('#return-link')`))
		address := eval[string](agent, `document.querySelector('#return-link').value`)
		token := strings.TrimPrefix(address, s.url+"/return/")
		if token == address || token == "" {
			t.Fatalf("the return link %q is not under %s/return/", address, s.url)
		}
		tee := s.order(t, s.ship).Lines[1].ID
		b := newTab(t, s.url) // the customer: not signed in
		b.do(chromedp.Navigate(address))
		if got := b.text("#store-name"); got != "Web store" {
			t.Errorf("the store's name: %q", got)
		}
		b.do(chromedp.SetValue(chromedp.CSS("#qty-"+tee), "1"),
			chromedp.SetValue(chromedp.CSS("#reason-"+tee), "size_fit"),
			chromedp.Click(chromedp.CSS("#portal-quote-button")),
			waitFor(`!!document.querySelector('#portal-quote')`))
		quote := b.text("#portal-quote")
		b.screenshot("return-portal")
		b.do(chromedp.EmulateViewport(390, 844))
		b.screenshot("return-portal-phone")
		b.do(chromedp.EmulateViewport(1280, 900))
		b.do(chromedp.Click(chromedp.CSS("#portal-submit")), waitFor(`!!document.querySelector('#return-created')`))
		rs, err := s.db.Returns(ctx, oms.ReturnFilter{Order: s.ship.ID, Limit: 10})
		must(t, err)
		if len(rs) != 1 || rs[0].Source != "return_link" || rs[0].Lines[0].LineID != tee || rs[0].Lines[0].Quantity != 1 ||
			rs[0].Lines[0].Reason != "size_fit" {
			t.Fatalf("the portal's return: %+v", rs)
		}
		want := strings.Fields(b.text("#return-created strong:nth-of-type(2)"))
		if len(want) == 0 || !strings.Contains(quote, want[0]) {
			t.Errorf("quoted %q, the return's refund %v", quote, want)
		}
		// A bad token is not found; a post without the form's token is
		// refused.
		c := newClient(t, s.url)
		if st, _ := c.get("/return/" + token + "x"); st != http.StatusNotFound {
			t.Errorf("a bad token: %d", st)
		}
		if st, _ := c.post("/return/"+token, url.Values{"qty-" + tee: {"1"}, "reason-" + tee: {"size_fit"}}); st != http.StatusForbidden {
			t.Errorf("a post without the CSRF token: %d", st)
		}
	})
}
