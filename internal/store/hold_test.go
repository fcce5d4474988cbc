package store_test

import (
	"fmt"
	"testing"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/store/storetest"
)

func TestHoldAndRelease(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		db := setup(t, e)
		receive(t, db, "A", "east", 5)
		o, _, err := db.PlaceOrder(ctx, draft("web", "h1", line("A", 2)), oms.System("test"))
		must(t, err)
		o, err = db.PlaceHold(ctx, o.Number, 0, oms.HoldPayment, "card declined", oms.System("agent"))
		must(t, err)
		if o.Status != oms.StatusOnHold || len(o.Holds) != 1 || o.Holds[0].Reason != "card declined" {
			t.Fatalf("held order = %s %+v", o.Status, o.Holds)
		}
		if got, _ := db.Order(ctx, o.ID); got.Status != oms.StatusOnHold || len(got.Holds) != 1 {
			t.Errorf("stored = %s %+v", got.Status, got.Holds)
		}
		if b := stock(t, db, "A")["east"]; b.Reserved != 2 {
			t.Errorf("a hold released stock: %+v", b)
		}
		_, err = db.MoveFulfillment(ctx, "1001-F1", oms.FulfillmentMove{To: oms.FulfillmentPicking}, oms.System("test"))
		wantCode(t, err, oms.ECONFLICT)
		if picks, _ := db.PickList(ctx, "east", 50); len(picks) != 0 {
			t.Errorf("held order on the pick list: %+v", picks)
		}
		_, err = db.ReleaseHolds(ctx, o.Number, 0, oms.HoldFraud, oms.System("manager"))
		wantCode(t, err, oms.ECONFLICT)
		_, err = db.PlaceHold(ctx, o.Number, 0, "vibes", "", oms.System("agent"))
		wantCode(t, err, oms.EINVALID)
		o, err = db.ReleaseHolds(ctx, o.Number, 0, "", oms.System("manager"))
		must(t, err)
		if o.Status != oms.StatusAllocated || len(o.Holds) != 0 {
			t.Errorf("released = %s %+v", o.Status, o.Holds)
		}
		move(t, db, "1001-F1", oms.FulfillmentMove{To: oms.FulfillmentPicking})
		// Cancel from hold.
		o2, _, err := db.PlaceOrder(ctx, draft("web", "h2", line("A", 1)), oms.System("test"))
		must(t, err)
		_, err = db.PlaceHold(ctx, o2.ID, 0, oms.HoldFraud, "", oms.System("agent"))
		must(t, err)
		o2, err = db.CancelOrder(ctx, o2.ID, 0, nil, oms.System("agent"))
		must(t, err)
		if o2.Status != oms.StatusCancelled {
			t.Errorf("cancelled from hold = %s", o2.Status)
		}
		events, err := db.OrderEvents(ctx, o.ID)
		must(t, err)
		var types []string
		for _, e := range events {
			types = append(types, e.Type)
		}
		if fmt.Sprint(types) != "[order.created order.held order.released fulfillment.picking]" {
			t.Errorf("timeline = %v", types)
		}
	})
}

func TestScreeningHoldsAtPlacement(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		db := setup(t, e)
		receive(t, db, "A", "east", 50)
		must(t, db.PutScreening(ctx, oms.Screening{MaxTotal: map[string]int64{"USD": 20_000}, BillingMustMatch: true,
			MaxOrdersPerEmail: 3, WindowMinutes: 60, CheckAddress: true}, oms.System("test")))
		rules, err := db.Screening(ctx)
		must(t, err)
		if rules.MaxOrdersPerEmail != 3 || rules.MaxTotal["USD"] != 20_000 {
			t.Fatalf("rules = %+v", rules)
		}
		good := &oms.Address{Line1: "1 Elm St", City: "Boston", PostalCode: "02108", Country: "US"}
		place := func(ext string, qty int64, edit func(d *oms.OrderDraft)) *oms.Order {
			d := draft("web", ext, line("A", qty))
			d.Customer.Email = ext + "@example.com"
			d.ShipTo = good
			if edit != nil {
				edit(d)
			}
			o, _, err := db.PlaceOrder(ctx, d, oms.System("test"))
			must(t, err)
			return o
		}
		if o := place("clean", 1, nil); o.Status != oms.StatusAllocated {
			t.Errorf("clean order = %s %+v", o.Status, o.Holds)
		}
		if o := place("big", 25, nil); o.Status != oms.StatusOnHold || o.Holds[0].Type != oms.HoldFraud {
			t.Errorf("big order = %s %+v", o.Status, o.Holds)
		}
		if o := place("abroad", 1, func(d *oms.OrderDraft) { d.Billing = &oms.Address{Line1: "x", City: "y", Country: "FR"} }); o.Status != oms.StatusOnHold {
			t.Errorf("billing abroad = %s", o.Status)
		}
		if o := place("zip", 1, func(d *oms.OrderDraft) {
			d.ShipTo = &oms.Address{Line1: "1 Elm St", City: "Boston", PostalCode: "BOSTON", Country: "US"}
		}); o.Status != oms.StatusOnHold || o.Holds[0].Type != oms.HoldAddress {
			t.Errorf("bad zip = %s %+v", o.Status, o.Holds)
		}
		var statuses []oms.Status
		for i := range 4 {
			o := place(fmt.Sprint("burst-", i), 1, func(d *oms.OrderDraft) { d.Customer.Email = "burst@example.com" })
			statuses = append(statuses, o.Status)
		}
		if fmt.Sprint(statuses) != "[allocated allocated allocated on_hold]" {
			t.Errorf("burst = %v", statuses)
		}
		// Different emails, one door: the third order to it waits.
		must(t, db.PutScreening(ctx, oms.Screening{MaxOrdersPerAddress: 2, WindowMinutes: 60}, oms.System("test")))
		statuses = nil
		for i := range 3 {
			o := place(fmt.Sprint("door-", i), 1, func(d *oms.OrderDraft) {
				d.ShipTo = &oms.Address{Line1: "9  Dock  St", City: "Boston", PostalCode: "02110", Country: "US"}
				if i == 2 {
					d.ShipTo.Line1 = "9 dock st"
				}
			})
			statuses = append(statuses, o.Status)
		}
		if fmt.Sprint(statuses) != "[allocated allocated on_hold]" {
			t.Errorf("same door = %v", statuses)
		}
		bad := oms.Screening{MaxOrdersPerEmail: 1}
		wantCode(t, db.PutScreening(ctx, bad, oms.System("test")), oms.EINVALID)
	})
}
