package store_test

import (
	"fmt"
	"testing"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/store"
	"github.com/omshq/oms/internal/store/storetest"
)

// batchScenario places two orders, one split over east and west, and
// returns the moves of a day's batch: some go, some are refused, and some
// depend on a move before them in the batch.
func batchScenario(t *testing.T, db *store.DB) []oms.BatchMove {
	t.Helper()
	receive(t, db, "A", "east", 5)
	receive(t, db, "B", "west", 5)
	o1, _, err := db.PlaceOrder(ctx, draft("web", "m1", line("A", 1), line("B", 2)), oms.System("test"))
	must(t, err)
	_, _, err = db.PlaceOrder(ctx, draft("web", "m2", line("A", 2)), oms.System("test"))
	must(t, err)
	mv := func(id string, to oms.FulfillmentStatus) oms.BatchMove {
		return oms.BatchMove{Fulfillment: id, FulfillmentMove: oms.FulfillmentMove{To: to}}
	}
	ship := mv("1002-F1", oms.FulfillmentShipped)
	ship.Tracking = oms.Tracking{Carrier: "UPS", TrackingNumber: "1Z1002"}
	tooMany := mv("1001-F2", oms.FulfillmentShipped)
	tooMany.Lines = []oms.FulfillmentLine{{LineID: o1.Lines[1].ID, Quantity: 3}}
	part := mv("1001-F2", oms.FulfillmentShipped)
	part.Lines = []oms.FulfillmentLine{{LineID: o1.Lines[1].ID, Quantity: 1}}
	return []oms.BatchMove{
		mv("1002-F1", oms.FulfillmentDelivered), // not shipped yet
		ship,
		mv("1002-F1", oms.FulfillmentDelivered), // shipped by the move before it
		tooMany,
		mv("1001-F1", oms.FulfillmentPicking),
		part,                                 // leaves 1001-F3 pending
		mv("1001-F1", oms.FulfillmentPacked), // after picking, in the batch's order
		mv("1001-F9", oms.FulfillmentPicking),
		mv("nope", oms.FulfillmentPicking),
		mv("1001-F3", oms.FulfillmentCancelled), // made by the partial shipment; its unit goes back
		{Fulfillment: "1001-F1", FulfillmentMove: oms.FulfillmentMove{To: oms.FulfillmentShipped,
			Tracking: oms.Tracking{TrackingURL: "javascript:alert(1)"}}},
	}
}

// TestMoveFulfillments makes a batch of moves, some refused, and checks
// each result, what moved and what did not, and that the batch leaves the
// same state as making its moves one by one.
func TestMoveFulfillments(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		db := setup(t, e)
		moves := batchScenario(t, db)
		before, err := db.Events(ctx, oms.Principal{}, "", "", 1000)
		must(t, err)
		res, err := db.MoveFulfillments(ctx, moves, oms.System("carrier"))
		must(t, err)
		want := []string{oms.ECONFLICT, "", "", oms.EINVALID, "", "", "", oms.ENOTFOUND, oms.ENOTFOUND, "", oms.EINVALID}
		if len(res) != len(moves) {
			t.Fatalf("%d results for %d moves", len(res), len(moves))
		}
		moved := 0
		for i, r := range res {
			if got := oms.ErrorCode(r.Err); got != want[i] {
				t.Errorf("move %d (%s → %s): error %v, want code %q", i, moves[i].Fulfillment, moves[i].To, r.Err, want[i])
			}
			if r.Err == nil {
				moved++
				if r.Fulfillment == nil || r.Fulfillment.ID != moves[i].Fulfillment || r.Fulfillment.Status != moves[i].To {
					t.Errorf("move %d: fulfillment %+v", i, r.Fulfillment)
				}
			} else if r.Fulfillment != nil {
				t.Errorf("move %d was refused but returned %+v", i, r.Fulfillment)
			}
		}
		fs := fulfillments(t, db, "1001")
		if fs["1001-F1"].Status != oms.FulfillmentPacked || fs["1001-F2"].Status != oms.FulfillmentShipped ||
			fs["1001-F3"].Status != oms.FulfillmentCancelled {
			t.Errorf("order 1001's fulfillments: %+v", fs)
		}
		if f := fulfillments(t, db, "1002")["1002-F1"]; f.Status != oms.FulfillmentDelivered || f.TrackingNumber != "1Z1002" {
			t.Errorf("1002-F1 = %+v", f)
		}
		// East shipped 2 A and holds 1 for 1001-F1; west shipped 1 B and let
		// the cancelled one go (no other location has B to take it over).
		if a, b := stock(t, db, "A")["east"], stock(t, db, "B")["west"]; a.OnHand != 3 || a.Reserved != 1 || b.OnHand != 4 || b.Reserved != 0 {
			t.Errorf("stock: A east %+v, B west %+v", a, b)
		}
		after, err := db.Events(ctx, oms.Principal{}, "", "", 1000)
		must(t, err)
		byActor := 0
		for _, ev := range after[len(before):] {
			if ev.Actor == "carrier" && ev.Type != oms.EventFulfillmentRejected {
				byActor++
			}
		}
		if byActor < moved {
			t.Errorf("%d fulfillment events by the batch for %d moves", byActor, moved)
		}

		// The same moves one by one, on a database of their own.
		one := setup(t, e)
		for i, m := range batchScenario(t, one) {
			_, err := one.MoveFulfillment(ctx, m.Fulfillment, m.FulfillmentMove, oms.System("carrier"))
			if got := oms.ErrorCode(err); got != want[i] {
				t.Errorf("one by one, move %d: error %v, want code %q", i, err, want[i])
			}
		}
		for _, ref := range []string{"1001", "1002"} {
			if a, b := statuses(t, db, ref), statuses(t, one, ref); a != b {
				t.Errorf("order %s: batch left %s, one by one %s", ref, a, b)
			}
		}
		for _, sku := range []string{"A", "B"} {
			if a, b := fmt.Sprint(stock(t, db, sku)), fmt.Sprint(stock(t, one, sku)); a != b {
				t.Errorf("%s: batch left %s, one by one %s", sku, a, b)
			}
		}
	})
}

func statuses(t *testing.T, db *store.DB, ref string) string {
	t.Helper()
	o, err := db.Order(ctx, ref)
	must(t, err)
	fs, err := db.OrderFulfillments(ctx, ref)
	must(t, err)
	s := string(o.Status)
	for _, f := range fs {
		s += fmt.Sprintf(" %s:%s:%v", f.ID, f.Status, f.Lines)
	}
	return s
}

// TestMoveFulfillmentsLimit refuses a batch over the limit, moving nothing.
func TestMoveFulfillmentsLimit(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		db := setup(t, e)
		receive(t, db, "A", "east", 5)
		_, _, err := db.PlaceOrder(ctx, draft("web", "l1", line("A", 1)), oms.System("test"))
		must(t, err)
		moves := make([]oms.BatchMove, oms.MaxBatchMoves+1)
		for i := range moves {
			moves[i] = oms.BatchMove{Fulfillment: "1001-F1", FulfillmentMove: oms.FulfillmentMove{To: oms.FulfillmentPicking}}
		}
		_, err = db.MoveFulfillments(ctx, moves, oms.System("test"))
		wantCode(t, err, oms.EINVALID)
		if f := fulfillments(t, db, "1001")["1001-F1"]; f.Status != oms.FulfillmentPending {
			t.Errorf("a refused batch moved %s to %s", f.ID, f.Status)
		}
	})
}
