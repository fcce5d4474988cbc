package console_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/omshq/oms"
)

// TestCloseDay: a warehouse user ships east's packed parcels in one
// batch, each with its carrier (or the one for all) and tracking number;
// a row missing its tracking number ships nothing and is named; a parcel
// that is no longer packed is refused in the summary while the others
// ship; a user bound to the shop cannot close east's day, through the
// page or by posting the form; without CSRF nothing goes.
func TestCloseDay(t *testing.T) {
	storetestRun(t, func(t *testing.T, s *shop) {
		second, _, err := s.db.PlaceOrder(ctx, &oms.OrderDraft{Channel: "web", ExternalID: "W-200", Currency: "USD",
			Customer: oms.Customer{Email: "di@example.com", Name: "Di Ray"},
			ShipTo:   &oms.Address{Line1: "4 Pine St", City: "Springfield", Country: "US"},
			Lines:    []oms.LineDraft{{SKU: "MUG-1", Quantity: 1, UnitPrice: 1250}}}, oms.System("test"))
		must(t, err)
		f1, f2 := s.fulfillments(t, s.ship)[0].ID, s.fulfillments(t, second)[0].ID
		for _, id := range []string{f1, f2} {
			_, err := s.db.MoveFulfillment(ctx, id, oms.FulfillmentMove{To: oms.FulfillmentPacked}, oms.System("test"))
			must(t, err)
		}
		w := newClient(t, s.url)
		tok := w.signIn("wes@example.com")
		st, body := w.get("/fulfillment?location=east")
		if st != http.StatusOK || !strings.Contains(body, `id="close-form"`) || !strings.Contains(body, `id="pick-`+f1+`"`) || !strings.Contains(body, `id="pick-`+f2+`"`) {
			t.Fatalf("the close of the day: %d\n%s", st, body)
		}
		form := url.Values{"csrf": {tok}, "location": {"east"}, "f": {f1, f2}, "carrier": {"UPS"},
			"tracking-" + f1: {"1Z001"}, "carrier-" + f2: {"DHL"}}
		st, body = w.post("/fulfillment/close", form)
		if st != http.StatusUnprocessableEntity || !strings.Contains(body, "is required for a parcel to a customer") || !strings.Contains(body, "Nothing was shipped") {
			t.Fatalf("a row without its tracking number: %d\n%s", st, body)
		}
		if fs := s.fulfillments(t, s.ship); fs[0].Status != oms.FulfillmentPacked {
			t.Fatalf("a refused close shipped %s: %s", f1, fs[0].Status)
		}
		if st, _ := w.post("/fulfillment/close", url.Values{"csrf": {tok}, "location": {"east"}}); st != http.StatusUnprocessableEntity {
			t.Errorf("a close with no parcel picked: %d", st)
		}

		// Sam, bound to shop, may not close east's day.
		sc := newClient(t, s.url)
		sct := sc.signIn("sam@example.com")
		form.Set("tracking-"+f2, "JD002")
		if st, _ := sc.post("/fulfillment/close", url.Values{"csrf": {sct}, "location": {"east"}, "f": {f1}, "carrier": {"UPS"}, "tracking-" + f1: {"X"}}); st != http.StatusNotFound {
			t.Errorf("a shop-bound user closing east: %d", st)
		}
		if _, body := sc.get("/fulfillment?location=east"); strings.Contains(body, f1) {
			t.Error("a shop-bound user sees east's parcels")
		}
		if st, _ := w.post("/fulfillment/close", url.Values{"location": {"east"}, "f": {f1}, "carrier": {"UPS"}, "tracking-" + f1: {"X"}}); st != http.StatusForbidden {
			t.Errorf("a close without CSRF: %d", st)
		}

		st, body = w.post("/fulfillment/close", form)
		if st != http.StatusOK || !strings.Contains(body, "Shipped 2 of 2.") || !strings.Contains(body, `id="close-none"`) {
			t.Fatalf("close: %d\n%s", st, body)
		}
		got1, got2 := s.fulfillments(t, s.ship)[0], s.fulfillments(t, second)[0]
		if got1.Status != oms.FulfillmentShipped || got1.Carrier != "UPS" || got1.TrackingNumber != "1Z001" ||
			got2.Status != oms.FulfillmentShipped || got2.Carrier != "DHL" || got2.TrackingNumber != "JD002" {
			t.Fatalf("after the close: %+v\n%+v", got1, got2)
		}
		tl, err := s.db.OrderTimeline(ctx, second.ID)
		must(t, err)
		if last := tl[len(tl)-1]; oms.ActorLabel(last.Actor) != "Wes Park (warehouse)" {
			t.Errorf("the shipment's actor: %+v", last)
		}

		// A parcel shipped meanwhile (on another screen): named, and the
		// close ships nothing until it is unticked.
		third, _, err := s.db.PlaceOrder(ctx, &oms.OrderDraft{Channel: "web", ExternalID: "W-201", Currency: "USD",
			Customer: oms.Customer{Email: "ed@example.com", Name: "Ed Wood"},
			ShipTo:   &oms.Address{Line1: "5 Birch St", City: "Springfield", Country: "US"},
			Lines:    []oms.LineDraft{{SKU: "TEE-2", Quantity: 1, UnitPrice: 2000}}}, oms.System("test"))
		must(t, err)
		f3 := s.fulfillments(t, third)[0].ID
		_, err = s.db.MoveFulfillment(ctx, f3, oms.FulfillmentMove{To: oms.FulfillmentPacked}, oms.System("test"))
		must(t, err)
		st, body = w.post("/fulfillment/close", url.Values{"csrf": {tok}, "location": {"east"}, "f": {f1, f3}, "carrier": {"UPS"},
			"tracking-" + f1: {"1Z001"}, "tracking-" + f3: {"1Z003"}})
		if st != http.StatusUnprocessableEntity || !strings.Contains(body, "is not a packed parcel of east") {
			t.Errorf("a close naming a shipped parcel: %d\n%s", st, body)
		}
		if s.fulfillments(t, third)[0].Status != oms.FulfillmentPacked {
			t.Error("a close refused for one row shipped another")
		}
		storetestInvariants(t, s)
	})
}
