package store_test

import (
	"fmt"
	"testing"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/store"
	"github.com/omshq/oms/internal/store/storetest"
)

func fulfillments(t *testing.T, db *store.DB, ref string) map[string]oms.Fulfillment {
	t.Helper()
	fs, err := db.OrderFulfillments(ctx, ref)
	must(t, err)
	out := map[string]oms.Fulfillment{}
	for _, f := range fs {
		out[f.ID] = f
	}
	return out
}

func move(t *testing.T, db *store.DB, id string, m oms.FulfillmentMove) *oms.Fulfillment {
	t.Helper()
	f, err := db.MoveFulfillment(ctx, id, m, oms.System("test"))
	must(t, err)
	return f
}

func status(t *testing.T, db *store.DB, ref string) oms.Status {
	t.Helper()
	o, err := db.Order(ctx, ref)
	must(t, err)
	return o.Status
}

// TestFulfillmentLifecycle splits an order over two locations and follows
// both fulfillments to delivery, one of them in two parcels.
func TestFulfillmentLifecycle(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		db := setup(t, e)
		receive(t, db, "A", "east", 5)
		receive(t, db, "B", "west", 5)
		o, _, err := db.PlaceOrder(ctx, draft("web", "f1", line("A", 1), line("B", 2)), oms.System("test"))
		must(t, err)
		fs := fulfillments(t, db, o.Number)
		east, west := fs["1001-F1"], fs["1001-F2"]
		if len(fs) != 2 || east.Location != "east" || west.Location != "west" || east.Status != oms.FulfillmentPending {
			t.Fatalf("fulfillments = %+v", fs)
		}
		picks, err := db.PickList(ctx, "west", 50)
		must(t, err)
		if len(picks) != 1 || picks[0].SKU != "B" || picks[0].Quantity != 2 || picks[0].Fulfillments[0].ID != west.ID {
			t.Errorf("west pick list = %+v", picks)
		}
		move(t, db, east.ID, oms.FulfillmentMove{To: oms.FulfillmentPicking})
		move(t, db, east.ID, oms.FulfillmentMove{To: oms.FulfillmentPacked})
		f := move(t, db, east.ID, oms.FulfillmentMove{To: oms.FulfillmentShipped,
			Tracking: oms.Tracking{Carrier: "UPS", TrackingNumber: "1Z999", TrackingURL: "https://ups.example/1Z999"}})
		if f.Status != oms.FulfillmentShipped || f.TrackingNumber != "1Z999" || f.ShippedAt == nil {
			t.Errorf("shipped fulfillment = %+v", f)
		}
		if s := status(t, db, o.ID); s != oms.StatusPartiallyShipped {
			t.Errorf("order status = %s", s)
		}
		if b := stock(t, db, "A")["east"]; b.OnHand != 4 || b.Reserved != 0 {
			t.Errorf("east A after shipping = %+v", b)
		}
		// West ships one B now and one later.
		move(t, db, west.ID, oms.FulfillmentMove{To: oms.FulfillmentShipped, Tracking: oms.Tracking{Carrier: "DHL"},
			Lines: []oms.FulfillmentLine{{LineID: o.Lines[1].ID, Quantity: 1}}})
		fs = fulfillments(t, db, o.Number)
		rest, ok := fs["1001-F3"]
		if !ok || rest.Status != oms.FulfillmentPending || rest.Quantity(o.Lines[1].ID) != 1 || fs[west.ID].Quantity(o.Lines[1].ID) != 1 {
			t.Fatalf("after a partial shipment: %+v", fs)
		}
		move(t, db, rest.ID, oms.FulfillmentMove{To: oms.FulfillmentShipped})
		if s := status(t, db, o.ID); s != oms.StatusShipped {
			t.Errorf("order status = %s, want shipped", s)
		}
		for _, id := range []string{east.ID, west.ID} {
			move(t, db, id, oms.FulfillmentMove{To: oms.FulfillmentDelivered})
		}
		if s := status(t, db, o.ID); s != oms.StatusShipped {
			t.Errorf("order status = %s with a parcel still in transit", s)
		}
		move(t, db, rest.ID, oms.FulfillmentMove{To: oms.FulfillmentDelivered})
		got, err := db.Order(ctx, o.ID)
		must(t, err)
		if got.Status != oms.StatusDelivered || got.Lines[1].Shipped != 2 || len(got.Allocations) != 0 {
			t.Errorf("delivered order = %+v", got)
		}
		if b := stock(t, db, "B")["west"]; b.OnHand != 3 || b.Reserved != 0 {
			t.Errorf("west B = %+v", b)
		}
		// Nothing more can happen to a delivered parcel.
		_, err = db.MoveFulfillment(ctx, east.ID, oms.FulfillmentMove{To: oms.FulfillmentCancelled}, oms.System("test"))
		wantCode(t, err, oms.ECONFLICT)
	})
}

// TestRejectResources has a location reject what it cannot find: the units
// are released and sourced again from another location.
func TestRejectResources(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		db := setup(t, e)
		receive(t, db, "A", "east", 2)
		receive(t, db, "A", "west", 5)
		o, _, err := db.PlaceOrder(ctx, draft("web", "r1", line("A", 2)), oms.System("test"))
		must(t, err)
		if got := locations(o); fmt.Sprint(got) != "[east]" {
			t.Fatalf("placed at %v", got)
		}
		o, err = db.RejectFulfillment(ctx, "1001-F1", nil, "shelf empty", oms.System("test"))
		must(t, err)
		if got := locations(o); fmt.Sprint(got) != "[west]" || o.Status != oms.StatusAllocated {
			t.Errorf("after rejection: at %v, status %s", got, o.Status)
		}
		fs := fulfillments(t, db, o.Number)
		if fs["1001-F1"].Status != oms.FulfillmentCancelled || fs["1001-F2"].Location != "west" || fs["1001-F2"].Status != oms.FulfillmentPending {
			t.Errorf("fulfillments = %+v", fs)
		}
		if b := stock(t, db, "A"); b["east"].Reserved != 0 || b["west"].Reserved != 2 {
			t.Errorf("stock = %+v", b)
		}
		d, err := db.OrderSourcing(ctx, o.Number)
		must(t, err)
		if v := verdict(t, d, "west"); !v.Chosen {
			t.Errorf("latest sourcing = %+v", d)
		}
		events, err := db.OrderEvents(ctx, o.ID)
		must(t, err)
		var types []string
		for _, e := range events {
			types = append(types, e.Type)
		}
		if fmt.Sprint(types) != "[order.created fulfillment.rejected order.sourced]" {
			t.Errorf("timeline = %v", types)
		}
		// Rejected again at west with no other stock: the units wait.
		o, err = db.RejectFulfillment(ctx, "1001-F2", nil, "damaged", oms.System("test"))
		must(t, err)
		if o.Status != oms.StatusBackordered || o.Lines[0].Open != 2 {
			t.Errorf("after the second rejection: %s, open %d", o.Status, o.Lines[0].Open)
		}
	})
}

// TestBackordersFilledOldestFirst receives stock for three waiting orders:
// the two oldest get it.
func TestBackordersFilledOldestFirst(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		db := setup(t, e)
		var refs []string
		for i := range 3 {
			o, _, err := db.PlaceOrder(ctx, draft("b2b", fmt.Sprint("w", i), line("A", 1)), oms.System("test"))
			must(t, err)
			if o.Status != oms.StatusBackordered {
				t.Fatalf("order %d = %s", i, o.Status)
			}
			refs = append(refs, o.Number)
		}
		receive(t, db, "A", "west", 2)
		want := []oms.Status{oms.StatusAllocated, oms.StatusAllocated, oms.StatusBackordered}
		for i, ref := range refs {
			if s := status(t, db, ref); s != want[i] {
				t.Errorf("order %s = %s, want %s", ref, s, want[i])
			}
		}
		if fs := fulfillments(t, db, refs[0]); len(fs) != 1 {
			t.Errorf("filled backorder has %d fulfillments", len(fs))
		}
		// A cancellation frees a unit for the last one.
		_, err := db.CancelOrder(ctx, refs[0], 0, nil, oms.System("test"))
		must(t, err)
		if s := status(t, db, refs[2]); s != oms.StatusAllocated {
			t.Errorf("last order after a cancellation = %s", s)
		}
	})
}

func TestPickupFlow(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		db := setup(t, e)
		receive(t, db, "A", "shop", 3)
		d := draft("web", "pk", line("A", 2))
		d.PickupLocation = "shop"
		o, _, err := db.PlaceOrder(ctx, d, oms.System("test"))
		must(t, err)
		_, err = db.MoveFulfillment(ctx, "1001-F1", oms.FulfillmentMove{To: oms.FulfillmentShipped}, oms.System("test"))
		wantCode(t, err, oms.ECONFLICT)
		move(t, db, "1001-F1", oms.FulfillmentMove{To: oms.FulfillmentReadyForPickup})
		if s := status(t, db, o.ID); s != oms.StatusReadyForPickup {
			t.Errorf("status = %s", s)
		}
		move(t, db, "1001-F1", oms.FulfillmentMove{To: oms.FulfillmentPickedUp})
		if s := status(t, db, o.ID); s != oms.StatusDelivered {
			t.Errorf("status = %s", s)
		}
		if b := stock(t, db, "A")["shop"]; b.OnHand != 1 || b.Reserved != 0 {
			t.Errorf("shop = %+v", b)
		}
	})
}

// TestFulfillmentBadMoves: each refused move names the problem and changes
// nothing.
func TestFulfillmentBadMoves(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		db := setup(t, e)
		receive(t, db, "A", "east", 5)
		o, _, err := db.PlaceOrder(ctx, draft("web", "b1", line("A", 2)), oms.System("test"))
		must(t, err)
		_, err = db.CancelOrder(ctx, o.Number, 0, []oms.CancelLine{{LineID: o.Lines[0].ID, Quantity: 2}}, oms.System("test"))
		must(t, err)
		o2, _, err := db.PlaceOrder(ctx, draft("web", "b2", line("A", 2)), oms.System("test"))
		must(t, err)
		before, err := db.Counts(ctx)
		must(t, err)
		cases := []struct {
			name string
			id   string
			m    oms.FulfillmentMove
			code string
		}{
			{"ship more than the fulfillment holds", "1002-F1", oms.FulfillmentMove{To: oms.FulfillmentShipped,
				Lines: []oms.FulfillmentLine{{LineID: o2.Lines[0].ID, Quantity: 3}}}, oms.EINVALID},
			{"ship a line not in it", "1002-F1", oms.FulfillmentMove{To: oms.FulfillmentShipped,
				Lines: []oms.FulfillmentLine{{LineID: "1001-1", Quantity: 1}}}, oms.EINVALID},
			{"tracking on a cancelled fulfillment", "1001-F1", oms.FulfillmentMove{To: oms.FulfillmentShipped,
				Tracking: oms.Tracking{TrackingNumber: "X"}}, oms.ECONFLICT},
			{"tracking when not shipping", "1002-F1", oms.FulfillmentMove{To: oms.FulfillmentPicking,
				Tracking: oms.Tracking{TrackingNumber: "X"}}, oms.EINVALID},
			{"pickup steps on a shipment", "1002-F1", oms.FulfillmentMove{To: oms.FulfillmentReadyForPickup}, oms.ECONFLICT},
			{"deliver before shipping", "1002-F1", oms.FulfillmentMove{To: oms.FulfillmentDelivered}, oms.ECONFLICT},
			{"bad tracking url", "1002-F1", oms.FulfillmentMove{To: oms.FulfillmentShipped,
				Tracking: oms.Tracking{TrackingURL: "javascript:alert(1)"}}, oms.EINVALID},
			{"unknown fulfillment", "1002-F9", oms.FulfillmentMove{To: oms.FulfillmentPicking}, oms.ENOTFOUND},
			{"not a fulfillment id", "nope", oms.FulfillmentMove{To: oms.FulfillmentPicking}, oms.ENOTFOUND},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				_, err := db.MoveFulfillment(ctx, c.id, c.m, oms.System("test"))
				wantCode(t, err, c.code)
			})
		}
		after, err := db.Counts(ctx)
		must(t, err)
		if fmt.Sprint(before) != fmt.Sprint(after) || status(t, db, o2.ID) != oms.StatusAllocated {
			t.Errorf("refused moves changed something: %v → %v", before, after)
		}
	})
}
