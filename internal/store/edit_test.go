package store_test

import (
	"testing"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/store"
	"github.com/omshq/oms/internal/store/storetest"
)

// TestEditOrderReleases: units an edit gives back go to the order waiting
// for them, in the same transaction; versions guard the edit and, through
// IfMatch, a cancellation.
func TestEditOrderReleases(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		db := setup(t, e)
		receive(t, db, "A", "east", 2)
		x, _, err := db.PlaceOrder(ctx, draft("web", "x1", line("A", 2)), oms.System("test"))
		must(t, err)
		waiting, _, err := db.PlaceOrder(ctx, draft("b2b", "b1", line("A", 1)), oms.System("test"))
		must(t, err)
		if waiting.Status != oms.StatusBackordered {
			t.Fatalf("waiting order is %s", waiting.Status)
		}
		lower := []oms.EditOp{{Kind: oms.EditQuantity, LineID: x.Lines[0].ID, Quantity: 1}}
		_, _, err = db.EditOrder(ctx, x.ID, 0, lower, oms.System("agent"))
		wantCode(t, err, oms.EVERSION)
		_, _, err = db.EditOrder(ctx, x.ID, 2, lower, oms.System("agent"))
		wantCode(t, err, oms.ESTALE)
		o, rec, err := db.EditOrder(ctx, x.ID, 1, lower, oms.System("agent"))
		must(t, err)
		if o.Lines[0].Allocated != 1 || o.Total != 1500 || rec.Difference != -1000 || rec.VersionAfter != 2 || o.Version != 2 {
			t.Errorf("edited: %+v total %d, edit %+v", o.Lines[0], o.Total, rec)
		}
		got, err := db.Order(ctx, waiting.ID)
		must(t, err)
		if got.Status != oms.StatusAllocated || got.Lines[0].Allocated != 1 {
			t.Errorf("the released unit did not go to the waiting order: %s %+v", got.Status, got.Lines[0])
		}
		if b := stock(t, db, "A")["east"]; b.OnHand != 2 || b.Reserved != 2 {
			t.Errorf("east A: %+v", b)
		}
		_, err = db.CancelOrder(ctx, x.ID, 1, nil, oms.System("agent"))
		wantCode(t, err, oms.ESTALE)
		o, err = db.CancelOrder(ctx, x.ID, 2, nil, oms.System("agent"))
		must(t, err)
		if o.Status != oms.StatusCancelled || o.Version != 3 {
			t.Errorf("guarded cancel: %s version %d", o.Status, o.Version)
		}
		es, err := db.OrderEdits(ctx, x.Number)
		must(t, err)
		if len(es) != 1 || es[0].ID != x.Number+"-E1" || es[0].Actor != "agent" || es[0].Before.Lines[0].Quantity != 2 {
			t.Errorf("edits %+v", es)
		}
	})
}

// TestCheckFindsEditViolations proves the edit checks can fail.
func TestCheckFindsEditViolations(t *testing.T) {
	tampers := []string{
		"UPDATE order_edits SET difference = difference + 1",
		"DELETE FROM events WHERE type = 'order.edited'",
		"UPDATE orders SET version = 1",
		"UPDATE order_lines SET subtotal = 5 WHERE quantity = 0",
		"UPDATE order_edits SET order_seq = 99",
	}
	checkCatches(t, tampers, func(t *testing.T, db *store.DB) {
		receive(t, db, "A", "east", 5)
		receive(t, db, "B", "east", 5)
		o, _, err := db.PlaceOrder(ctx, draft("web", "x1", line("A", 2), line("B", 1)), oms.System("test"))
		must(t, err)
		_, _, err = db.EditOrder(ctx, o.ID, 1, []oms.EditOp{{Kind: oms.EditRemoveLine, LineID: o.Lines[1].ID}}, oms.System("test"))
		must(t, err)
	})
}
