package store_test

import (
	"testing"
	"time"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/store"
	"github.com/omshq/oms/internal/store/reports"
	"github.com/omshq/oms/internal/store/storetest"
)

func TestSupplyPromisesAndReceipts(t *testing.T) {
	now := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		db, err := store.Open(ctx, e.DSN(t), store.Options{Feed: reports.New(), Now: func() time.Time { return now }})
		must(t, err)
		t.Cleanup(func() { db.Close() })
		seed(t, db)
		t.Cleanup(func() { storetest.AssertInvariants(t, db) })
		receive(t, db, "A", "east", 1)
		day := func(n int) time.Time { return now.AddDate(0, 0, n) }
		po := &oms.Supply{SKU: "A", Location: "west", Kind: "purchase_order", Reference: "PO-7", Quantity: 3, ETA: day(5)}
		must(t, db.CreateSupply(ctx, po, oms.System("test")))
		must(t, db.CreateSupply(ctx, &oms.Supply{SKU: "A", Location: "east", Kind: "transfer", Quantity: 10, ETA: day(20)}, oms.System("test")))
		wantCode(t, db.CreateSupply(ctx, &oms.Supply{SKU: "ZZ", Location: "west", Kind: "purchase_order", Quantity: 1, ETA: day(1)}, oms.System("test")), oms.EINVALID)
		wantCode(t, db.CreateSupply(ctx, &oms.Supply{SKU: "A", Location: "west", Kind: "gift", Quantity: 0}, oms.System("test")), oms.EINVALID)

		// Order 1 takes the unit in stock and waits for 2; order 2 waits for 3.
		o1, _, err := db.PlaceOrder(ctx, draft("b2b", "s1", line("A", 3)), oms.System("test"))
		must(t, err)
		o2, _, err := db.PlaceOrder(ctx, draft("b2b", "s2", line("A", 3)), oms.System("test"))
		must(t, err)
		got1, err := db.Order(ctx, o1.ID)
		must(t, err)
		got2, err := db.Order(ctx, o2.ID)
		must(t, err)
		// Order 1's 2 units come with the PO on day 5; order 2's 3 need the PO's
		// last unit and the transfer, day 20.
		if p := got1.Lines[0].PromisedDate; p == nil || !p.Equal(day(5)) {
			t.Errorf("order 1 promised %v, want day 5", p)
		}
		if p := got2.Lines[0].PromisedDate; p == nil || !p.Equal(day(20)) {
			t.Errorf("order 2 promised %v, want day 20", p)
		}
		atp, err := db.AvailableToPromise(ctx, "A")
		must(t, err)
		if atp.Available != 0 || atp.Waiting != 5 || len(atp.Timeline) != 3 || atp.Timeline[1].Net != -2 || atp.Timeline[2].ATP != 8 {
			t.Errorf("atp = %+v", atp)
		}
		// Receiving 2 of the PO fills order 1; the rest of it goes to order 2.
		s, err := db.ReceiveSupply(ctx, po.ID, 2, oms.System("dock"))
		must(t, err)
		if s.Received != 2 || s.Status != "open" {
			t.Errorf("supply = %+v", s)
		}
		if st := status(t, db, o1.ID); st != oms.StatusAllocated {
			t.Errorf("order 1 = %s", st)
		}
		_, err = db.ReceiveSupply(ctx, po.ID, 5, oms.System("dock"))
		wantCode(t, err, oms.EINVALID)
		s, err = db.ReceiveSupply(ctx, po.ID, 0, oms.System("dock"))
		must(t, err)
		if s.Status != "received" {
			t.Errorf("supply = %+v", s)
		}
		_, err = db.ReceiveSupply(ctx, po.ID, 0, oms.System("dock"))
		wantCode(t, err, oms.ECONFLICT)
		if o, _ := db.Order(ctx, o2.ID); o.Lines[0].Allocated != 1 || o.Lines[0].Open != 2 {
			t.Errorf("order 2 = %+v", o.Lines[0])
		}
		if b := stock(t, db, "A")["west"]; b.OnHand != 3 || b.Reserved != 3 {
			t.Errorf("west = %+v", b)
		}
	})
}

func TestPreorders(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		db := setup(t, e)
		release := time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC)
		must(t, put(db.PutItem(ctx, &oms.Item{SKU: "NEW", Name: "Next year's model", Currency: "USD", Preorder: true, ReleaseDate: &release}, oms.System("test"))))
		it, err := db.Item(ctx, "NEW")
		must(t, err)
		if !it.Preorder || it.ReleaseDate == nil || !it.ReleaseDate.Equal(release) {
			t.Fatalf("item = %+v", it)
		}
		must(t, db.CreateSupply(ctx, &oms.Supply{SKU: "NEW", Location: "east", Kind: "purchase_order", Quantity: 5,
			ETA: time.Date(2027, 2, 1, 0, 0, 0, 0, time.UTC)}, oms.System("test")))
		// A rejecting channel takes a pre-order; the regular item still has to be in stock.
		o, created, err := db.PlaceOrder(ctx, draft("web", "pre1", line("NEW", 2)), oms.System("test"))
		must(t, err)
		if !created || o.Status != oms.StatusBackordered {
			t.Fatalf("pre-order = %s", o.Status)
		}
		_, _, err = db.PlaceOrder(ctx, draft("web", "pre2", line("NEW", 1), line("A", 1)), oms.System("test"))
		wantCode(t, err, oms.EOUTOFSTOCK)
		got, err := db.Order(ctx, o.ID)
		must(t, err)
		if p := got.Lines[0].PromisedDate; p == nil || !p.Equal(release) {
			t.Errorf("pre-order promised %v, want the release date", p)
		}
	})
}
