package store_test

import (
	"strings"
	"testing"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/store"
	"github.com/omshq/oms/internal/store/storetest"
)

// TestPickupAtStoreThatNeverHeldTheSKU: with pickup transfers on, a pickup
// at a store with no stock row for the item is filled from a warehouse —
// when placed, when simulated, and when stock arrives for a pickup order
// that waits — just as at a store whose count is zero.
func TestPickupAtStoreThatNeverHeldTheSKU(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		db := setup(t, e)
		must(t, db.PutFulfillmentSettings(ctx, oms.FulfillmentSettings{PickupExpiryDays: 5, PickupTransfers: true}, oms.System("test")))
		receive(t, db, "A", "east", 50)
		if _, ok := stock(t, db, "A")["shop"]; ok {
			t.Fatal("the shop has a stock row for A")
		}
		d := draft("web", "bopis", line("A", 3))
		d.PickupLocation = "shop"
		sim, err := db.SimulateSourcing(ctx, d)
		must(t, err)
		if len(sim.Placements) != 1 || sim.Placements[0].Location != "east" || strings.Contains(sim.Summary, "unknown") {
			t.Errorf("simulation: %+v", sim)
		}
		if v := verdict(t, sim, "shop"); !v.Eligible || v.Reason != "has none of the order's open units" {
			t.Errorf("shop = %+v", v)
		}
		o, _, err := db.PlaceOrder(ctx, d, oms.System("test"))
		must(t, err)
		if o.Status != oms.StatusAllocated || locations(o)[0] != "east" {
			t.Fatalf("placed: %s at %v", o.Status, locations(o))
		}
		for _, f := range fulfillments(t, db, o.Number) {
			if !f.Pickup || f.DeliverTo != "shop" {
				t.Errorf("fulfillment %+v does not go to the shop", f)
			}
		}

		// B is nowhere: a pickup order for it waits, and takes what the
		// warehouse receives.
		d = draft("b2b", "bopis-wait", line("B", 2))
		d.PickupLocation = "shop"
		w, _, err := db.PlaceOrder(ctx, d, oms.System("test"))
		must(t, err)
		if w.Status != oms.StatusBackordered {
			t.Fatalf("waiting pickup: %s", w.Status)
		}
		po := &oms.Supply{SKU: "B", Location: "west", Kind: "purchase_order", Quantity: 2, ETA: w.PlacedAt.AddDate(0, 0, 7)}
		must(t, db.CreateSupply(ctx, po, oms.System("test")))
		_, err = db.ReceiveSupply(ctx, po.ID, 0, oms.System("dock"))
		must(t, err)
		got, err := db.Order(ctx, w.ID)
		must(t, err)
		if got.Status != oms.StatusAllocated || len(got.Allocations) != 1 || got.Allocations[0].Location != "west" {
			t.Errorf("after the warehouse received B: %s, %+v", got.Status, got.Allocations)
		}
		if _, ok := stock(t, db, "B")["shop"]; ok {
			t.Error("the shop got a stock row for B")
		}
	})
}

// TestSourcingWeighsEveryActiveLocation: a location that never held the
// SKU still has a verdict; an inactive one without stock does not clutter
// the explanation; a location created a moment ago is seen at once.
func TestSourcingWeighsEveryActiveLocation(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		db := setup(t, e)
		receive(t, db, "A", "east", 5)
		must(t, put(db.PutLocation(ctx, &oms.Location{Code: "old", Name: "Old", Kind: "warehouse", CanShip: true}, oms.System("test"))))
		sim, err := db.SimulateSourcing(ctx, draft("web", "x", line("A", 1)))
		must(t, err)
		if v := verdict(t, sim, "west"); !v.Eligible || v.Chosen || v.Reason != "has none of the order's open units" {
			t.Errorf("west = %+v", v)
		}
		if v := verdict(t, sim, "shop"); v.Eligible || v.Reason != "does not ship" {
			t.Errorf("shop = %+v", v)
		}
		for _, v := range sim.Sites {
			if v.Location == "old" {
				t.Errorf("inactive location without stock weighed: %+v", v)
			}
		}
		must(t, put(db.PutLocation(ctx, &oms.Location{Code: "north", Name: "North", Kind: "warehouse", CanShip: true, Active: true}, oms.System("test"))))
		sim, err = db.SimulateSourcing(ctx, draft("web", "x", line("A", 1)))
		must(t, err)
		verdict(t, sim, "north")
	})
}

// TestSourcingNamesLineIDs: a stored decision names each placement's line
// by its id — when the order is placed and when it is sourced again — and
// one stored before line ids were written reads with them.
func TestSourcingNamesLineIDs(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		db := setup(t, e)
		receive(t, db, "A", "east", 2)
		receive(t, db, "B", "east", 2)
		receive(t, db, "B", "west", 2)
		o, _, err := db.PlaceOrder(ctx, draft("web", "ids", line("A", 1), line("B", 2)), oms.System("test"))
		must(t, err)
		check := func(when string) {
			t.Helper()
			d, err := db.OrderSourcing(ctx, o.Number)
			must(t, err)
			if len(d.Placements) == 0 {
				t.Fatalf("%s: no placements", when)
			}
			for _, p := range d.Placements {
				if p.LineID != o.Lines[p.Line].ID {
					t.Errorf("%s: placement %+v, want line id %s", when, p, o.Lines[p.Line].ID)
				}
			}
		}
		check("placed")
		raw := store.RawForTest(db)
		_, err = raw.Exec(`UPDATE events SET data = REPLACE(REPLACE(data, '"line_id":"1001-1",', ''), '"line_id":"1001-2",', '') WHERE type = 'order.created'`)
		must(t, err)
		var n int
		must(t, raw.QueryRow(`SELECT COUNT(*) FROM events WHERE data LIKE '%line_id%'`).Scan(&n))
		if n != 0 {
			t.Fatalf("%d events still name line ids", n)
		}
		check("stored without line ids")
		_, err = db.RejectFulfillment(ctx, o.Number+"-F1", nil, "shelf empty", oms.System("test"))
		must(t, err)
		d, err := db.OrderSourcing(ctx, o.Number)
		must(t, err)
		if len(d.Placements) != 1 || d.Placements[0].Location != "west" {
			t.Fatalf("sourced again: %+v", d)
		}
		check("sourced again")
	})
}
