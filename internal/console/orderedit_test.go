package console_test

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/omshq/oms"
)

// TestOrderEdit: an agent edits an order at the version the page showed —
// a quantity up, a line added, the address — and the order, its stock
// and its timeline (naming Ann Lee (agent)) follow; an edit made over a
// stale page changes nothing and says someone changed the order, with a
// reload link; bad input is named next to its input; a warehouse user
// may not edit, and a user bound to another location does not find the
// order.
func TestOrderEdit(t *testing.T) {
	storetestRun(t, func(t *testing.T, s *shop) {
		a := newClient(t, s.url)
		tok := a.signIn("ann@example.com")
		n := s.ship.Number
		mug, tee := s.ship.Lines[0], s.ship.Lines[1]
		st, body := a.get("/orders/" + n)
		if st != http.StatusOK || !strings.Contains(body, `id="edit-link"`) || !strings.Contains(body, `id="refund-form"`) {
			t.Fatalf("the order page's edit and refund actions: %d\n%s", st, body)
		}
		st, body = a.get("/orders/" + n + "/edit")
		if st != http.StatusOK || !strings.Contains(body, `name="qty-`+mug.ID+`"`) || !strings.Contains(body, `id="ship_city" name="ship_city" value="Springfield"`) {
			t.Fatalf("the edit form: %d\n%s", st, body)
		}
		o := s.order(t, s.ship)
		v := itoa(o.Version)
		reserved := s.balance(t, "MUG-1", "east").Reserved
		form := url.Values{"csrf": {tok}, "version": {v}, "qty-" + mug.ID: {"3"}, "qty-" + tee.ID: {"3"},
			"add_sku": {"TEE-2"}, "add_quantity": {"1"}, "add_unit_price": {"19.50"},
			"ship_name": {"Ann Buyer"}, "ship_line1": {"9 Elm St"}, "ship_city": {"Springfield"}, "ship_postal_code": {"12345"}, "ship_country": {"us"}}
		if st, body := a.post("/orders/"+n+"/edit", form); st != http.StatusSeeOther {
			t.Fatalf("edit: %d\n%s", st, body)
		}
		o = s.order(t, s.ship)
		if o.Version != s.ship.Version+1 || o.Lines[0].Quantity != 3 || len(o.Lines) != 3 || o.Lines[2].SKU != "TEE-2" ||
			o.Lines[2].UnitPrice != 1950 || o.ShipTo.Line1 != "9 Elm St" || o.ShipTo.Country != "US" {
			t.Fatalf("after the edit: version %d, lines %+v, ship-to %+v", o.Version, o.Lines, o.ShipTo)
		}
		if got := s.balance(t, "MUG-1", "east").Reserved; got != reserved+1 {
			t.Errorf("MUG-1 reserved at east %d, want %d", got, reserved+1)
		}
		if _, body := a.get("/orders/" + n + "?done=edit"); !strings.Contains(body, "The order is changed.") || !strings.Contains(body, "Ann Lee (agent)") {
			t.Errorf("the order after the edit:\n%s", body)
		}
		es, err := s.db.OrderEdits(ctx, o.ID)
		must(t, err)
		if len(es) != 1 || oms.ActorLabel(es[0].Actor) != "Ann Lee (agent)" {
			t.Errorf("edits: %+v", es)
		}

		// The same form again, at the version it was shown at: someone
		// (Ann, a moment ago) changed the order, so nothing changes.
		form.Set("qty-"+mug.ID, "4")
		st, body = a.post("/orders/"+n+"/edit", form)
		if st != http.StatusConflict || !strings.Contains(body, `id="conflict"`) || !strings.Contains(body, "Someone changed this order") ||
			!strings.Contains(body, `href="/orders/`+n+`/edit" id="reload"`) || !strings.Contains(body, `value="`+itoa(o.Version)+`"`) {
			t.Fatalf("a stale edit: %d\n%s", st, body)
		}
		if got := s.order(t, s.ship); got.Version != o.Version || got.Lines[0].Quantity != 3 {
			t.Errorf("a stale edit changed the order: version %d, quantity %d", got.Version, got.Lines[0].Quantity)
		}

		// Bad input, named next to its input; nothing changes.
		v = itoa(o.Version)
		for _, c := range []struct {
			form  url.Values
			input string
			says  string
		}{
			{url.Values{"qty-" + mug.ID: {"many"}}, "qty-" + mug.ID, "must be a whole number of units"},
			{url.Values{"qty-" + mug.ID: {"0"}}, "qty-" + mug.ID, ""},
			{url.Values{"add_sku": {"NOPE-9"}, "add_quantity": {"1"}, "add_unit_price": {"5.00"}}, "add_sku", ""},
			{url.Values{"add_sku": {"TEE-2"}, "add_quantity": {"1"}, "add_unit_price": {"five"}}, "add_unit_price", "must be an amount in USD"},
			{url.Values{"ship_line1": {"9 Elm St"}, "ship_city": {"Springfield"}, "ship_country": {"Narnia"}}, "ship_country", ""},
		} {
			c.form.Set("csrf", tok)
			c.form.Set("version", v)
			st, body := a.post("/orders/"+n+"/edit", c.form)
			if st != http.StatusUnprocessableEntity || !strings.Contains(body, `id="`+c.input+`-error"`) || !strings.Contains(body, c.says) {
				t.Errorf("edit %v: %d, want the problem next to %s\n%s", c.form, st, c.input, body)
			}
		}
		if got := s.order(t, s.ship); got.Version != o.Version {
			t.Errorf("refused edits changed the order: version %d → %d", o.Version, got.Version)
		}
		if st, body := a.post("/orders/"+n+"/edit", url.Values{"csrf": {tok}, "version": {v}}); st != http.StatusUnprocessableEntity || !strings.Contains(body, "Nothing is changed") {
			t.Errorf("an edit changing nothing: %d", st)
		}

		// A warehouse user may not edit; Sam (bound to shop) does not find
		// an order shipping from east; without CSRF nothing goes.
		w := newClient(t, s.url)
		wt := w.signIn("wes@example.com")
		if st, _ := w.post("/orders/"+n+"/edit", url.Values{"csrf": {wt}, "version": {v}, "qty-" + mug.ID: {"1"}}); st != http.StatusForbidden {
			t.Errorf("a warehouse user's edit: %d", st)
		}
		if _, body := w.get("/orders/" + n); strings.Contains(body, `id="edit-link"`) || strings.Contains(body, `id="refund-form"`) {
			t.Error("the order page offers a warehouse user the edit or the refund")
		}
		sc := newClient(t, s.url)
		sct := sc.signIn("sam@example.com")
		if st, _ := sc.post("/orders/"+n+"/refund", url.Values{"csrf": {sct}, "kind": {"appeasement"}, "amount": {"1.00"}, "reason": {"x"}}); st != http.StatusForbidden {
			t.Errorf("a warehouse user's refund: %d", st)
		}
		if st, _ := a.post("/orders/"+n+"/edit", url.Values{"version": {v}, "qty-" + mug.ID: {"1"}}); st != http.StatusForbidden {
			t.Errorf("an edit without CSRF: %d", st)
		}
		if got := s.order(t, s.ship); got.Version != o.Version {
			t.Errorf("refused edits changed the order: version %d → %d", o.Version, got.Version)
		}
		storetestInvariants(t, s)
	})
}

// TestOrderRefund: an agent records a goodwill credit and the order's
// refunds and timeline show it by Ann Lee (agent); more than what is left,
// no amount or no reason are named next to their inputs.
func TestOrderRefund(t *testing.T) {
	storetestRun(t, func(t *testing.T, s *shop) {
		a := newClient(t, s.url)
		tok := a.signIn("ann@example.com")
		n := s.ship.Number
		refund := func(kind, amount, reason string) (int, string) {
			return a.post("/orders/"+n+"/refund", url.Values{"csrf": {tok}, "kind": {kind}, "amount": {amount}, "reason": {reason}})
		}
		if st, body := refund("appeasement", "7.50", "Parcel arrived late"); st != http.StatusSeeOther {
			t.Fatalf("goodwill credit: %d\n%s", st, body)
		}
		rs, err := s.db.Refunds(ctx, s.ship.ID)
		must(t, err)
		if len(rs.Refunds) != 1 || rs.Refunds[0].Amount != 750 || rs.Refunds[0].Kind != "appeasement" ||
			oms.ActorLabel(rs.Refunds[0].Actor) != "Ann Lee (agent)" || rs.Left != s.ship.Total-750 {
			t.Fatalf("refunds: %+v", rs)
		}
		_, body := a.get("/orders/" + n + "?done=refund")
		if !strings.Contains(body, "The refund is recorded.") || !strings.Contains(body, `<span id="refunded">7.50 USD</span>`) {
			t.Errorf("the order after the refund:\n%s", body)
		}
		for _, c := range []struct{ kind, amount, reason, input, says string }{
			{"appeasement", "500.00", "too much", "refund-amount", "must be at most 82.50 USD"},
			{"appeasement", "", "none", "refund-amount", "must be an amount in USD"},
			{"appeasement", "1.00", "", "refund-reason", ""},
			{"bribe", "1.00", "why", "refund-kind", "must be manual or appeasement"},
		} {
			st, body := refund(c.kind, c.amount, c.reason)
			if st != http.StatusUnprocessableEntity || !strings.Contains(body, `id="`+c.input+`-error"`) || !strings.Contains(body, c.says) {
				t.Errorf("refund %+v: %d\n%s", c, st, body)
			}
		}
		if rs, _ := s.db.Refunds(ctx, s.ship.ID); len(rs.Refunds) != 1 {
			t.Errorf("refused refunds were recorded: %+v", rs.Refunds)
		}
	})
}

// TestOrderResource: units that wait while stock sits at a location that
// was closed are placed when an agent sends the order to sourcing again;
// the timeline names her; an order with nothing waiting says so; a page
// shown at an older version is a conflict.
func TestOrderResource(t *testing.T) {
	storetestRun(t, func(t *testing.T, s *shop) {
		west := &oms.Location{Code: "west", Active: false, Name: "West", Kind: "warehouse", CanShip: true, Priority: 3}
		must(t, put(s.db.PutLocation(ctx, west, oms.System("test"))))
		five := int64(5)
		_, err := s.db.AdjustInventory(ctx, oms.Adjustment{SKU: "TEE-2", Location: "west", Reason: oms.MoveReceive, Delta: &five}, oms.System("test"))
		must(t, err)
		o, _, err := s.db.PlaceOrder(ctx, &oms.OrderDraft{Channel: "web", ExternalID: "W-300", Currency: "USD",
			Customer: oms.Customer{Email: "cy@example.com", Name: "Cy Twombly"},
			ShipTo:   &oms.Address{Line1: "3 Oak St", City: "Springfield", Country: "US"},
			Lines:    []oms.LineDraft{{SKU: "TEE-2", Quantity: 10, UnitPrice: 2000}}}, oms.System("test"))
		must(t, err)
		if o.Lines[0].Open != 3 {
			t.Fatalf("the order leaves %d units waiting, want 3", o.Lines[0].Open)
		}
		west.Active = true
		must(t, put(s.db.PutLocation(ctx, west, oms.System("test"))))
		a := newClient(t, s.url)
		tok := a.signIn("ann@example.com")
		_, body := a.get("/orders/" + o.Number)
		if !strings.Contains(body, `id="resource"`) || !strings.Contains(body, "3 units wait for stock") {
			t.Fatalf("the order page does not offer sourcing again:\n%s", body)
		}
		if st, body := a.post("/orders/"+o.Number+"/source", url.Values{"csrf": {tok}, "version": {itoa(o.Version + 1)}}); st != http.StatusConflict || !strings.Contains(body, `id="conflict"`) {
			t.Errorf("sourcing from a stale page: %d", st)
		}
		if st, body := a.post("/orders/"+o.Number+"/source", url.Values{"csrf": {tok}, "version": {itoa(o.Version)}}); st != http.StatusSeeOther {
			t.Fatalf("source again: %d\n%s", st, body)
		}
		got := s.order(t, o)
		if got.Lines[0].Open != 0 || got.Lines[0].Allocated != 10 || s.balance(t, "TEE-2", "west").Reserved != 3 {
			t.Fatalf("after sourcing again: line %+v, west %+v", got.Lines[0], s.balance(t, "TEE-2", "west"))
		}
		tl, err := s.db.OrderTimeline(ctx, o.ID)
		must(t, err)
		if last := tl[len(tl)-1]; !slices.ContainsFunc(tl, func(e oms.TimelineEntry) bool {
			return e.Type == oms.EventOrderSourced && oms.ActorLabel(e.Actor) == "Ann Lee (agent)"
		}) {
			t.Errorf("the timeline has no sourcing by Ann; last %+v", last)
		}
		if st, body := a.post("/orders/"+o.Number+"/source", url.Values{"csrf": {tok}, "version": {itoa(got.Version)}}); st != http.StatusUnprocessableEntity || !strings.Contains(body, "no units waiting") {
			t.Errorf("sourcing an order with nothing waiting: %d", st)
		}
		w := newClient(t, s.url)
		wt := w.signIn("wes@example.com")
		if st, _ := w.post("/orders/"+o.Number+"/source", url.Values{"csrf": {wt}}); st != http.StatusForbidden {
			t.Errorf("a warehouse user sourcing: %d", st)
		}
		storetestInvariants(t, s)
	})
}
