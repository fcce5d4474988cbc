package store_test

import (
	"encoding/json"
	"slices"
	"testing"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/store"
	"github.com/omshq/oms/internal/store/storetest"
)

// orderLife returns the types of the order's order-level status events
// (order.allocated, order.backordered, order.shipped, order.delivered,
// order.picked_up), in order, and checks each one follows the event of the
// change that caused it.
func orderLife(t *testing.T, db *store.DB, ref string) []string {
	t.Helper()
	evs, err := db.OrderEvents(ctx, ref)
	must(t, err)
	var out []string
	for i, e := range evs {
		switch e.Type {
		case oms.EventOrderAllocated, oms.EventOrderBackordered, oms.EventOrderShipped, oms.EventOrderDelivered, oms.EventOrderPickedUp:
			out = append(out, e.Type)
			if i == 0 {
				t.Errorf("%s is the order's first event", e.Type)
			}
			var m oms.OrderMoved
			must(t, json.Unmarshal(e.Data, &m))
			if m.Number == "" || m.Status == m.Previous || len(m.Lines) == 0 {
				t.Errorf("%s data = %s", e.Type, e.Data)
			}
			if (e.Type == oms.EventOrderBackordered) != (m.Backordered > 0) {
				t.Errorf("%s with %d units backordered", e.Type, m.Backordered)
			}
		}
	}
	return out
}

func TestOrderLifeEvents(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		db := setup(t, e)
		receive(t, db, "A", "east", 1)
		// Placed with 2 of 3 units waiting: backordered; stock arrives:
		// allocated; shipped in two parts: shipped once; delivered.
		o, _, err := db.PlaceOrder(ctx, draft("b2b", "life-1", line("A", 3)), oms.System("test"))
		must(t, err)
		if got := orderLife(t, db, o.ID); !slices.Equal(got, []string{oms.EventOrderBackordered}) {
			t.Fatalf("after placement: %v", got)
		}
		receive(t, db, "A", "east", 5)
		if st := status(t, db, o.ID); st != oms.StatusAllocated {
			t.Fatalf("status %s", st)
		}
		fs := fulfillments(t, db, o.ID)
		var fid string
		for id := range fs {
			fid = id
		}
		move(t, db, fid, oms.FulfillmentMove{To: oms.FulfillmentShipped, Lines: []oms.FulfillmentLine{{LineID: o.Lines[0].ID, Quantity: 1}}})
		if got := orderLife(t, db, o.ID); !slices.Equal(got, []string{oms.EventOrderBackordered, oms.EventOrderAllocated}) {
			t.Fatalf("after a partial shipment: %v", got)
		}
		for id, f := range fulfillments(t, db, o.ID) {
			if f.Status == oms.FulfillmentPending {
				move(t, db, id, oms.FulfillmentMove{To: oms.FulfillmentShipped})
			}
		}
		for id := range fulfillments(t, db, o.ID) {
			move(t, db, id, oms.FulfillmentMove{To: oms.FulfillmentDelivered})
		}
		want := []string{oms.EventOrderBackordered, oms.EventOrderAllocated, oms.EventOrderShipped, oms.EventOrderDelivered}
		if got := orderLife(t, db, o.ID); !slices.Equal(got, want) {
			t.Errorf("order life = %v, want %v", got, want)
		}

		// Allocated at once: no order-level event at placement; a rolled
		// back change writes none.
		o2, _, err := db.PlaceOrder(ctx, draft("b2b", "life-2", line("A", 1)), oms.System("test"))
		must(t, err)
		if got := orderLife(t, db, o2.ID); len(got) != 0 {
			t.Errorf("allocated order: %v", got)
		}
	})
}

func TestOrderPickedUpEvent(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		db := setup(t, e)
		receive(t, db, "A", "shop", 2)
		d := draft("b2b", "pick-1", line("A", 2))
		d.PickupLocation = "shop"
		o, _, err := db.PlaceOrder(ctx, d, oms.System("test"))
		must(t, err)
		move(t, db, o.Number+"-F1", oms.FulfillmentMove{To: oms.FulfillmentReadyForPickup})
		move(t, db, o.Number+"-F1", oms.FulfillmentMove{To: oms.FulfillmentPickedUp})
		if got := orderLife(t, db, o.ID); !slices.Equal(got, []string{oms.EventOrderPickedUp}) {
			t.Errorf("order life = %v", got)
		}
	})
}

func TestStockThresholdEvents(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		db := setup(t, e)
		must(t, put(db.PutChannel(ctx, &oms.Channel{Code: "web", Name: "Web", Kind: "web", Currency: "USD",
			BackorderPolicy: oms.BackorderReject, SharePercent: 100, LowStock: 2}, oms.System("test"))))
		var sweep store.AvailabilitySweep
		seen := 0
		step := func(delta int64, want ...string) {
			t.Helper()
			if delta != 0 {
				_, err := db.AdjustInventory(ctx, oms.Adjustment{SKU: "A", Location: "east", Reason: oms.MoveAdjust, Delta: &delta}, oms.System("test"))
				must(t, err)
			}
			_, err := db.PublishAvailability(ctx, &sweep, true)
			must(t, err)
			evs, err := db.Events(ctx, oms.Principal{}, "", "", 10000)
			must(t, err)
			var got []string
			for _, e := range evs[seen:] {
				var s oms.StockThreshold
				switch e.Type {
				case oms.EventInventoryLowStock, oms.EventInventoryOutOfStock, oms.EventInventoryBackInStock:
					must(t, json.Unmarshal(e.Data, &s))
					if s.SKU != "A" || s.LowStock != 2 && s.Channel == "web" {
						t.Errorf("%s data = %s", e.Type, e.Data)
					}
					if s.Channel == "web" {
						got = append(got, e.Type)
					}
				}
			}
			seen = len(evs)
			if !slices.Equal(got, want) {
				t.Errorf("after %+d: web's events %v, want %v", delta, got, want)
			}
		}
		step(5, oms.EventInventoryBackInStock)
		step(-1)
		step(-2, oms.EventInventoryLowStock)
		step(-1)
		step(-1, oms.EventInventoryOutOfStock)
		step(4, oms.EventInventoryBackInStock)
		step(-3, oms.EventInventoryLowStock)
	})
}
