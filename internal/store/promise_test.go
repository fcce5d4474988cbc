package store_test

import (
	"testing"
	"time"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/store"
	"github.com/omshq/oms/internal/store/storetest"
)

// TestOrderWithUnknownSKUReads: an order a channel sent with a SKU oms does
// not know is held — and opens, by id and by number, with no promise for
// that line and the usual one for the others.
func TestOrderWithUnknownSKUReads(t *testing.T) {
	now := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		db := storetest.OpenWith(t, e, store.Options{Now: func() time.Time { return now }})
		seed(t, db)
		t.Cleanup(func() { storetest.AssertInvariants(t, db) })
		must(t, db.CreateSupply(ctx, &oms.Supply{SKU: "A", Location: "east", Kind: "purchase_order", Quantity: 5, ETA: now.AddDate(0, 0, 3)}, oms.System("test")))
		d := draft("", "u1", line("A", 1), line("NOPE", 2))
		res, err := db.IngestOrder(ctx, "b2b", &oms.Ingested{Draft: *d}, []byte(`{}`), oms.System("test"))
		must(t, err)
		if res.Order.Status != oms.StatusOnHold {
			t.Fatalf("status %s, holds %+v", res.Order.Status, res.Order.Holds)
		}
		for _, ref := range []string{res.Order.ID, res.Order.Number} {
			o, err := db.Order(ctx, ref)
			must(t, err)
			if len(o.Lines) != 2 || o.Lines[1].SKU != "NOPE" || o.Lines[1].Open != 2 || o.Lines[1].PromisedDate != nil {
				t.Errorf("%s: lines %+v", ref, o.Lines)
			}
			if p := o.Lines[0].PromisedDate; p == nil || !p.Equal(now.AddDate(0, 0, 3)) {
				t.Errorf("%s: known line promised %v, want the PO's day", ref, p)
			}
		}
	})
}

// TestPromiseFromUsableLocations: a promised date counts the free stock and
// the supply of the locations the order may draw on only — not a location
// that rejected units of it, nor one that cannot ship it, nor a warehouse
// for a pickup without transfers.
func TestPromiseFromUsableLocations(t *testing.T) {
	now := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	day := func(n int) time.Time { return now.AddDate(0, 0, n) }
	cases := []struct {
		name      string
		transfers bool
		pickup    string            // the pickup store; "" to ship
		stock     map[string]int64  // A received at each location before the order
		supply    map[string]int    // a PO of 5 A at each location, due in so many days
		reject    bool              // the order's first fulfillment is rejected
		want      func() *time.Time // the promise; nil for none
		setup     func(*store.DB)
	}{
		{
			name:  "the store that rejected the units still has them free: the PO's day",
			stock: map[string]int64{"west": 3}, supply: map[string]int{"east": 20}, reject: true,
			want: func() *time.Time { return ptr(day(20)) },
		},
		{
			name:  "the store that rejected the units is the only supply: none",
			stock: map[string]int64{"west": 3}, supply: map[string]int{"west": 5}, reject: true,
		},
		{
			name:   "a shipment does not count supply at a store that cannot ship",
			supply: map[string]int{"shop": 2, "east": 9},
			want:   func() *time.Time { return ptr(day(9)) },
		},
		{
			name:   "a shipment does not count a location serving other channels",
			supply: map[string]int{"west": 2, "east": 9},
			setup: func(db *store.DB) {
				must(t, put(db.PutLocation(ctx, &oms.Location{Code: "west", Active: true, Name: "West", Kind: "warehouse",
					CanShip: true, Priority: 2, Channels: []string{"web"}}, oms.System("test"))))
			},
			want: func() *time.Time { return ptr(day(9)) },
		},
		{
			name:   "a pickup without transfers waits for its store's supply",
			pickup: "shop", supply: map[string]int{"east": 2, "shop": 9},
			want: func() *time.Time { return ptr(day(9)) },
		},
		{
			name:   "a pickup without transfers and no supply at its store: none",
			pickup: "shop", supply: map[string]int{"east": 2},
		},
		{
			name:   "a pickup with transfers counts the warehouses",
			pickup: "shop", transfers: true, supply: map[string]int{"east": 2, "shop": 9},
			want: func() *time.Time { return ptr(day(2)) },
		},
		{
			name:   "a pickup whose store rejected its units, with transfers: the warehouses' supply",
			pickup: "shop", transfers: true, stock: map[string]int64{"shop": 3}, supply: map[string]int{"shop": 1, "east": 6}, reject: true,
			want: func() *time.Time { return ptr(day(6)) },
		},
	}
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				db := storetest.OpenWith(t, e, store.Options{Now: func() time.Time { return now }})
				seed(t, db)
				t.Cleanup(func() { storetest.AssertInvariants(t, db) })
				must(t, db.PutFulfillmentSettings(ctx, oms.FulfillmentSettings{PickupExpiryDays: 5, PickupTransfers: c.transfers}, oms.System("test")))
				if c.setup != nil {
					c.setup(db)
				}
				for loc, n := range c.stock {
					receive(t, db, "A", loc, n)
				}
				d := draft("b2b", "p", line("A", 2))
				d.PickupLocation = c.pickup
				o, _, err := db.PlaceOrder(ctx, d, oms.System("test"))
				must(t, err)
				if c.reject {
					o, err = db.RejectFulfillment(ctx, o.Number+"-F1", nil, "not on the shelf", oms.System("test"))
					must(t, err)
				}
				if o.Lines[0].Open != 2 {
					t.Fatalf("open %d: %+v", o.Lines[0].Open, o.Allocations)
				}
				for loc, days := range c.supply {
					must(t, db.CreateSupply(ctx, &oms.Supply{SKU: "A", Location: loc, Kind: "purchase_order", Quantity: 5, ETA: day(days)}, oms.System("test")))
				}
				got, err := db.Order(ctx, o.ID)
				must(t, err)
				var want *time.Time
				if c.want != nil {
					want = c.want()
				}
				if p := got.Lines[0].PromisedDate; (p == nil) != (want == nil) || p != nil && !p.Equal(*want) {
					t.Errorf("promised %v, want %v", p, want)
				}
			})
		}
	})
}
