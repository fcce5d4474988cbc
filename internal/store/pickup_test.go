package store_test

import (
	"sync"
	"testing"
	"time"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/store"
	"github.com/omshq/oms/internal/store/reports"
	"github.com/omshq/oms/internal/store/storetest"
)

// clock is a settable time for tests.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func TestPickupExpiry(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		c := &clock{t: time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)}
		db, err := store.Open(ctx, e.DSN(t), store.Options{Feed: reports.New(), Now: c.now})
		must(t, err)
		t.Cleanup(func() { db.Close() })
		seed(t, db)
		t.Cleanup(func() { storetest.AssertInvariants(t, db) })
		must(t, db.PutFulfillmentSettings(ctx, oms.FulfillmentSettings{PickupExpiryDays: 3}, oms.System("test")))
		wantCode(t, db.PutFulfillmentSettings(ctx, oms.FulfillmentSettings{}, oms.System("test")), oms.EINVALID)
		receive(t, db, "A", "shop", 5)
		var ids []string
		for _, ext := range []string{"uncollected", "collected"} {
			d := draft("b2b", ext, line("A", 2))
			d.PickupLocation = "shop"
			o, _, err := db.PlaceOrder(ctx, d, oms.System("test"))
			must(t, err)
			ids = append(ids, o.ID)
			move(t, db, o.Number+"-F1", oms.FulfillmentMove{To: oms.FulfillmentReadyForPickup})
		}
		c.add(2 * 24 * time.Hour)
		move(t, db, "1002-F1", oms.FulfillmentMove{To: oms.FulfillmentPickedUp})
		if n, err := db.ExpirePickups(ctx, oms.System("test")); err != nil || n != 0 {
			t.Fatalf("expired %d after 2 days: %v", n, err)
		}
		c.add(2 * 24 * time.Hour)
		n, err := db.ExpirePickups(ctx, oms.System("test"))
		must(t, err)
		if n != 1 || status(t, db, ids[0]) != oms.StatusCancelled || status(t, db, ids[1]) != oms.StatusDelivered {
			t.Errorf("expired %d: %s, %s", n, status(t, db, ids[0]), status(t, db, ids[1]))
		}
		if b := stock(t, db, "A")["shop"]; b.OnHand != 3 || b.Reserved != 0 {
			t.Errorf("shop = %+v", b)
		}
		if n, _ := db.ExpirePickups(ctx, oms.System("test")); n != 0 {
			t.Errorf("expired again: %d", n)
		}
		events, err := db.OrderEvents(ctx, ids[0])
		must(t, err)
		if last := events[len(events)-1]; last.Type != oms.EventOrderCancelled {
			t.Errorf("last event = %s", last.Type)
		}
	})
}

func TestTransfers(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		db := setup(t, e)
		receive(t, db, "A", "east", 5)
		eta := time.Now().Add(48 * time.Hour)
		s, err := db.CreateTransfer(ctx, oms.Transfer{SKU: "A", From: "east", To: "west", Quantity: 3, ETA: eta}, oms.System("test"))
		must(t, err)
		if s.Kind != "transfer" || s.Location != "west" || s.Status != "open" {
			t.Fatalf("transfer = %+v", s)
		}
		if b := stock(t, db, "A"); b["east"].OnHand != 2 || b["west"].OnHand != 0 {
			t.Errorf("in transit: %+v", b)
		}
		_, err = db.CreateTransfer(ctx, oms.Transfer{SKU: "A", From: "east", To: "west", Quantity: 3, ETA: eta}, oms.System("test"))
		wantCode(t, err, oms.ECONFLICT)
		_, err = db.CreateTransfer(ctx, oms.Transfer{SKU: "A", From: "east", To: "east", Quantity: 1, ETA: eta}, oms.System("test"))
		wantCode(t, err, oms.EINVALID)
		_, err = db.ReceiveSupply(ctx, s.ID, 0, oms.System("dock"))
		must(t, err)
		if b := stock(t, db, "A"); b["east"].OnHand != 2 || b["west"].OnHand != 3 {
			t.Errorf("received: %+v", b)
		}
		ledger, err := db.Ledger(ctx, oms.Principal{}, "A", 0, 10)
		must(t, err)
		if ledger[0].Kind != oms.MoveTransfer || ledger[1].Kind != oms.MoveTransfer {
			t.Errorf("ledger = %+v", ledger[:2])
		}
	})
}

// TestPickupFromAnotherLocation: with pickup transfers on, what the store
// lacks comes from a warehouse, shipped to the store, and everything is
// handed over at the counter.
func TestPickupFromAnotherLocation(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		db := setup(t, e)
		must(t, db.PutFulfillmentSettings(ctx, oms.FulfillmentSettings{PickupExpiryDays: 5, PickupTransfers: true}, oms.System("test")))
		receive(t, db, "A", "shop", 1)
		receive(t, db, "A", "east", 5)
		d := draft("web", "bopis", line("A", 3))
		d.PickupLocation = "shop"
		o, _, err := db.PlaceOrder(ctx, d, oms.System("test"))
		must(t, err)
		if got := locations(o); len(got) != 2 || o.Status != oms.StatusAllocated {
			t.Fatalf("placed at %v, %s", got, o.Status)
		}
		fs := fulfillments(t, db, o.Number)
		var local, transfer oms.Fulfillment
		for _, f := range fs {
			if f.Location == "shop" {
				local = f
			} else {
				transfer = f
			}
		}
		if !transfer.Pickup || transfer.DeliverTo != "shop" || transfer.Location != "east" || local.DeliverTo != "" {
			t.Fatalf("fulfillments = %+v", fs)
		}
		_, err = db.MoveFulfillment(ctx, transfer.ID, oms.FulfillmentMove{To: oms.FulfillmentReadyForPickup}, oms.System("test"))
		wantCode(t, err, oms.ECONFLICT)
		_, err = db.MoveFulfillment(ctx, local.ID, oms.FulfillmentMove{To: oms.FulfillmentShipped}, oms.System("test"))
		wantCode(t, err, oms.ECONFLICT)
		move(t, db, transfer.ID, oms.FulfillmentMove{To: oms.FulfillmentShipped, Tracking: oms.Tracking{Carrier: "van"}})
		if b := stock(t, db, "A")["east"]; b.OnHand != 3 || b.Reserved != 0 {
			t.Errorf("east after shipping to the store = %+v", b)
		}
		if s := status(t, db, o.ID); s != oms.StatusPartiallyShipped {
			t.Errorf("status while on the way = %s", s)
		}
		at, err := db.LocationFulfillments(ctx, "shop", nil, 50)
		must(t, err)
		if len(at) != 1 || at[0].ID != local.ID {
			t.Errorf("shop sees %+v before the parcel is ready", at)
		}
		move(t, db, local.ID, oms.FulfillmentMove{To: oms.FulfillmentReadyForPickup})
		move(t, db, transfer.ID, oms.FulfillmentMove{To: oms.FulfillmentReadyForPickup})
		if s := status(t, db, o.ID); s != oms.StatusReadyForPickup {
			t.Errorf("status with everything at the counter = %s", s)
		}
		at, err = db.LocationFulfillments(ctx, "shop", nil, 50)
		must(t, err)
		if len(at) != 2 {
			t.Errorf("shop sees %d fulfillments, want both", len(at))
		}
		move(t, db, local.ID, oms.FulfillmentMove{To: oms.FulfillmentPickedUp})
		move(t, db, transfer.ID, oms.FulfillmentMove{To: oms.FulfillmentPickedUp})
		if s := status(t, db, o.ID); s != oms.StatusDelivered {
			t.Errorf("status = %s", s)
		}
		if b := stock(t, db, "A"); b["east"].OnHand != 3 || b["shop"].OnHand != 0 || b["shop"].Reserved != 0 {
			t.Errorf("stock = %+v", b)
		}
	})
}

// TestPickupWaitsForItsStore proves that a pickup order waiting for stock
// takes none that arrives elsewhere (transfers off), while a shipped order
// behind it does, and takes what arrives at its store.
func TestPickupWaitsForItsStore(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		db := setup(t, e)
		d := draft("b2b", "pickup", line("A", 2))
		d.PickupLocation = "shop"
		pickup, _, err := db.PlaceOrder(ctx, d, oms.System("test"))
		must(t, err)
		shipped, _, err := db.PlaceOrder(ctx, draft("b2b", "ship", line("A", 2)), oms.System("test"))
		must(t, err)
		if status(t, db, pickup.ID) != oms.StatusBackordered || status(t, db, shipped.ID) != oms.StatusBackordered {
			t.Fatalf("before stock: %s, %s", status(t, db, pickup.ID), status(t, db, shipped.ID))
		}
		receive(t, db, "A", "east", 5)
		if status(t, db, pickup.ID) != oms.StatusBackordered || status(t, db, shipped.ID) != oms.StatusAllocated {
			t.Errorf("after stock at east: pickup %s, shipped %s", status(t, db, pickup.ID), status(t, db, shipped.ID))
		}
		receive(t, db, "A", "shop", 2)
		if s := status(t, db, pickup.ID); s != oms.StatusAllocated {
			t.Errorf("after stock at the shop: pickup %s", s)
		}
	})
}
