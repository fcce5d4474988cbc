package store_test

import (
	"testing"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/store/storetest"
)

// TestResourceOrder: an order's units left waiting while the stock sat at
// a closed warehouse are placed there once it opens and the order is sent
// to sourcing again; allocated units stay where they were; the version
// guards it; an order with nothing waiting, or cancelled, is a conflict.
func TestResourceOrder(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		db := setup(t, e)
		west := &oms.Location{Code: "west", Active: false, Name: "West", Kind: "warehouse", CanShip: true, Priority: 2}
		must(t, put(db.PutLocation(ctx, west, oms.System("test"))))
		receive(t, db, "A", "east", 2)
		receive(t, db, "A", "west", 3)
		o, _, err := db.PlaceOrder(ctx, draft("b2b", "s1", line("A", 4)), oms.System("test"))
		must(t, err)
		if o.Lines[0].Allocated != 2 || o.Lines[0].Open != 2 || o.Status != oms.StatusBackordered {
			t.Fatalf("placed: %+v %s", o.Lines[0], o.Status)
		}
		// Nothing to be had yet: the attempt is recorded, nothing placed.
		o, err = db.ResourceOrder(ctx, o.ID, o.Version, oms.System("agent"))
		must(t, err)
		if o.Lines[0].Open != 2 {
			t.Fatalf("sourced from a closed warehouse: %+v", o.Lines[0])
		}
		west.Active = true
		must(t, put(db.PutLocation(ctx, west, oms.System("test"))))
		_, err = db.ResourceOrder(ctx, o.ID, o.Version+1, oms.System("agent"))
		wantCode(t, err, oms.ESTALE)
		got, err := db.ResourceOrder(ctx, o.Number, o.Version, oms.System("agent"))
		must(t, err)
		if got.Lines[0].Open != 0 || got.Lines[0].Allocated != 4 || got.Status != oms.StatusAllocated || got.Version != o.Version+1 {
			t.Fatalf("sourced again: %+v %s version %d", got.Lines[0], got.Status, got.Version)
		}
		if b := stock(t, db, "A"); b["east"].Reserved != 2 || b["west"].Reserved != 2 {
			t.Errorf("stock = %+v", b)
		}
		events, err := db.OrderEvents(ctx, o.ID)
		must(t, err)
		var sourced int
		for _, ev := range events {
			if ev.Type == oms.EventOrderSourced && ev.Actor == "agent" {
				sourced++
			}
		}
		if sourced != 2 || events[len(events)-1].Type != oms.EventOrderAllocated {
			t.Errorf("%d order.sourced events by the agent, want 2 (the last event %s)", sourced, events[len(events)-1].Type)
		}
		_, err = db.ResourceOrder(ctx, o.ID, 0, oms.System("agent"))
		wantCode(t, err, oms.ECONFLICT)
		_, err = db.CancelOrder(ctx, o.ID, 0, nil, oms.System("test"))
		must(t, err)
		_, err = db.ResourceOrder(ctx, o.ID, 0, oms.System("agent"))
		wantCode(t, err, oms.ECONFLICT)
		storetest.AssertInvariants(t, db)
	})
}
