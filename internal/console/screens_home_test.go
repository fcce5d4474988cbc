package console_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/console"
)

// TestHomeInventoryFulfillment: the home page counts today's orders by
// channel and links the orders waiting; the inventory lists items ×
// locations, filters by SKU prefix and location, adjusts stock (a bad
// quantity named by its field), records and receives a purchase order;
// the fulfillment screen ships with tracking and hands over a pickup; a
// store-bound user sees and moves only their location's fulfillments,
// through the page and by posting the form directly.
func TestHomeInventoryFulfillment(t *testing.T) {
	storetestRun(t, func(t *testing.T, s *shop) {
		_, err := s.db.CreateUser(ctx, oms.NewUser{Email: "max@example.com", Name: "Max Boss", Role: oms.RoleManager, Password: password}, oms.System("test"))
		must(t, err)
		m := newClient(t, s.url)
		m.signIn("max@example.com")
		st, body := m.get("/")
		if st != http.StatusOK || !strings.Contains(body, `id="today-orders">2<`) || !strings.Contains(body, `id="today-units">6<`) ||
			!strings.Contains(body, `href="/orders?status=backordered"`) || !strings.Contains(body, `id="chart-data"`) ||
			!strings.Contains(body, "/assets/vendor/uPlot.iife.min.js") {
			t.Fatalf("home: %d\n%s", st, body)
		}
		if !strings.Contains(body, `id="late-none"`) {
			t.Errorf("orders placed now are late to ship:\n%s", body)
		}
		// Three days on, east's fulfillment and the shop's pickup are late.
		later := httptest.NewServer(console.New(s.db.Services(), console.Options{
			Now: func() time.Time { return time.Now().Add(72 * time.Hour) }}))
		defer later.Close()
		lm := newClient(t, later.URL)
		lm.signIn("max@example.com")
		if _, body := lm.get("/"); !strings.Contains(body, `<a href="/fulfillment?location=east">east</a>: <strong>1</strong>`) ||
			!strings.Contains(body, `<a href="/fulfillment?location=shop">shop</a>: <strong>1</strong>`) {
			t.Errorf("late to ship three days on:\n%s", body)
		}

		w := newClient(t, s.url)
		tok := w.signIn("wes@example.com")
		if st, body := w.get("/"); st != http.StatusOK || strings.Contains(body, "Today by channel") {
			t.Errorf("home for a role without reports: %d, shows the figures: %v", st, strings.Contains(body, "Today by channel"))
		}
		st, body = w.get("/inventory")
		if st != http.StatusOK || !strings.Contains(body, `href="/inventory/MUG-1"`) || !strings.Contains(body, `href="/inventory/TEE-2"`) {
			t.Fatalf("inventory: %d\n%s", st, body)
		}
		if _, body := w.get("/inventory?sku=TEE"); strings.Contains(body, "MUG-1") || !strings.Contains(body, "TEE-2") {
			t.Errorf("inventory?sku=TEE lists:\n%s", body)
		}
		if st, body := w.get("/inventory?location=nowhere"); st != http.StatusUnprocessableEntity || !strings.Contains(body, `id="location-error"`) {
			t.Errorf("inventory at an unknown location: %d", st)
		}
		before := s.balance(t, "MUG-1", "east")
		st, body = w.post("/inventory/MUG-1/adjust", url.Values{"csrf": {tok}, "location": {"east"}, "reason": {"adjust"}, "mode": {"delta"}, "quantity": {"lots"}})
		if st != http.StatusUnprocessableEntity || !strings.Contains(body, "must be a whole number") {
			t.Errorf("adjust by lots: %d", st)
		}
		if st, _ := w.post("/inventory/MUG-1/adjust", url.Values{"location": {"east"}, "reason": {"adjust"}, "quantity": {"5"}}); st != http.StatusForbidden {
			t.Errorf("adjust without CSRF: %d, want 403", st)
		}
		if st, _ := w.post("/inventory/MUG-1/adjust", url.Values{"csrf": {tok}, "location": {"east"}, "reason": {"damage"}, "mode": {"delta"}, "quantity": {"-3"}, "reference": {"dropped"}}); st != http.StatusSeeOther {
			t.Fatalf("adjust: %d", st)
		}
		if got := s.balance(t, "MUG-1", "east"); got.OnHand != before.OnHand-3 {
			t.Errorf("on hand after -3: %d, was %d", got.OnHand, before.OnHand)
		}
		if _, body := w.get("/inventory/MUG-1"); !strings.Contains(body, "dropped") || !strings.Contains(body, "Wes Park") {
			t.Errorf("the ledger does not show the adjustment by Wes:\n%s", body)
		}
		eta := time.Now().UTC().AddDate(0, 0, 7).Format(time.DateOnly)
		if st, _ := w.post("/inventory/MUG-1/transfer", url.Values{"csrf": {tok}, "from": {"east"}, "to": {"shop"}, "quantity": {"2"}, "eta": {eta}}); st != http.StatusSeeOther {
			t.Fatalf("transfer: %d", st)
		}
		if got := s.balance(t, "MUG-1", "east"); got.OnHand != before.OnHand-5 {
			t.Errorf("east's mugs after sending 2: %d, was %d", got.OnHand, before.OnHand-3)
		}
		if st, body := w.get("/inventory/MUG-1"); st != http.StatusOK || !strings.Contains(body, "transfer from east") {
			t.Errorf("the item page does not show the transfer due at shop: %d", st)
		}
		if st, body := w.post("/inventory/MUG-1/transfer", url.Values{"csrf": {tok}, "from": {"east"}, "to": {"shop"}, "quantity": {"999"}, "eta": {eta}}); st != http.StatusUnprocessableEntity || !strings.Contains(body, "field-error") && !strings.Contains(body, "alert error") {
			t.Errorf("transfer of more than east has: %d", st)
		}
		if st, _ := w.post("/supply", url.Values{"csrf": {tok}, "sku": {"TEE-2"}, "location": {"east"}, "quantity": {"4"}, "eta": {eta}, "reference": {"PO-7"}}); st != http.StatusSeeOther {
			t.Fatalf("record a purchase order: %d", st)
		}
		if st, body := w.post("/supply", url.Values{"csrf": {tok}, "sku": {"TEE-2"}, "location": {"east"}, "quantity": {"4"}, "eta": {"soon"}}); st != http.StatusUnprocessableEntity || !strings.Contains(body, "must be a date") {
			t.Errorf("a purchase order due soon: %d", st)
		}
		if _, body := w.get("/inventory?sku=TEE-2"); !strings.Contains(body, "4 <span class=\"sub\">ETA "+eta) {
			t.Errorf("inventory does not show 4 incoming:\n%s", body)
		}
		sup, err := s.db.ListSupply(ctx, oms.System("test"), oms.SupplyFilter{SKU: "TEE-2", Status: "open", Limit: 10})
		must(t, err)
		tee := s.balance(t, "TEE-2", "east")
		if st, _ := w.post("/supply/"+itoa(sup[0].ID)+"/receive", url.Values{"csrf": {tok}}); st != http.StatusSeeOther {
			t.Fatalf("receive: %d", st)
		}
		if got := s.balance(t, "TEE-2", "east"); got.OnHand != tee.OnHand+4 {
			t.Errorf("on hand after receiving 4: %d, was %d", got.OnHand, tee.OnHand)
		}

		var shipF, pickF oms.Fulfillment
		for _, f := range s.fulfillments(t, s.ship) {
			shipF = f
		}
		for _, f := range s.fulfillments(t, s.pickup) {
			pickF = f
		}
		st, body = w.get("/fulfillment?location=east")
		if st != http.StatusOK || !strings.Contains(body, `id="f-`+shipF.ID+`"`) || !strings.Contains(body, "Pick list") {
			t.Fatalf("fulfillment at east: %d\n%s", st, body)
		}
		sc := newClient(t, s.url)
		stok := sc.signIn("sam@example.com")
		if st, body := sc.get("/inventory"); st != http.StatusOK || strings.Contains(body, "<td>east</td>") || !strings.Contains(body, "<td>shop</td>") {
			t.Errorf("the shop clerk's inventory shows east, or not shop: %d\n%s", st, body)
		}
		if st, body := sc.post("/inventory/MUG-1/adjust", url.Values{"csrf": {stok}, "location": {"east"}, "reason": {"adjust"}, "mode": {"delta"}, "quantity": {"1"}}); st != http.StatusUnprocessableEntity || !strings.Contains(body, "field-error") {
			t.Errorf("the shop clerk adjusts east: %d", st)
		}
		if got := s.balance(t, "MUG-1", "east"); got.OnHand != before.OnHand-5 {
			t.Errorf("east's mugs after the clerk's refused adjustment: %d", got.OnHand)
		}
		if st, _ := sc.get("/fulfillment?location=east"); st != http.StatusNotFound {
			t.Errorf("a shop clerk at east's fulfillments: %d, want 404", st)
		}
		if st, _ := sc.post("/fulfillment/"+shipF.ID+"/ship", url.Values{"csrf": {stok}, "location": {"east"}, "carrier": {"UPS"}, "tracking_number": {"1Z9"}}); st != http.StatusNotFound {
			t.Errorf("a shop clerk ships east's fulfillment: %d, want 404", st)
		}
		if st, _ := w.post("/fulfillment/"+shipF.ID+"/pack", url.Values{"csrf": {tok}, "location": {"east"}}); st != http.StatusSeeOther {
			t.Fatalf("pack: %d", st)
		}
		if f := s.fulfillments(t, s.ship)[0]; f.Status != oms.FulfillmentPacked {
			t.Errorf("after packing: %s", f.Status)
		}
		if st, _ := w.post("/fulfillment/"+shipF.ID+"/teleport", url.Values{"csrf": {tok}, "location": {"east"}}); st != http.StatusNotFound {
			t.Errorf("an unknown move: %d, want 404", st)
		}
		if st, _ := w.post("/fulfillment/"+shipF.ID+"/ship", url.Values{"csrf": {tok}, "location": {"east"}, "carrier": {"UPS"}, "tracking_number": {"1Z999"}}); st != http.StatusSeeOther {
			t.Fatalf("ship: %d", st)
		}
		for _, f := range s.fulfillments(t, s.ship) {
			if f.ID == shipF.ID && (f.Status != oms.FulfillmentShipped || f.TrackingNumber != "1Z999" || f.Carrier != "UPS") {
				t.Errorf("shipped fulfillment: %+v", f)
			}
		}
		if st, body := sc.get("/fulfillment"); st != http.StatusOK || !strings.Contains(body, `id="ready-`+pickF.ID+`"`) || strings.Contains(body, shipF.ID) {
			t.Fatalf("the clerk's fulfillment screen: %d\n%s", st, body)
		}
		if st, _ := sc.post("/fulfillment/"+pickF.ID+"/ready", url.Values{"csrf": {stok}, "location": {"shop"}}); st != http.StatusSeeOther {
			t.Fatalf("ready: %d", st)
		}
		if st, body := sc.get("/fulfillment?location=shop"); st != http.StatusOK || !strings.Contains(body, `id="collected-`+pickF.ID+`"`) {
			t.Fatalf("pickups at shop: %d", st)
		}
		if st, _ := sc.post("/fulfillment/"+pickF.ID+"/collected", url.Values{"csrf": {stok}, "location": {"shop"}}); st != http.StatusSeeOther {
			t.Fatalf("collected: %d", st)
		}
		if o := s.order(t, s.pickup); o.Status != oms.StatusDelivered {
			t.Errorf("the pickup order after collection: %s", o.Status)
		}
		storetestInvariants(t, s)
	})
}
