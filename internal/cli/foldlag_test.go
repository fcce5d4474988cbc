package cli

import (
	"context"
	"testing"
	"time"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/store"
	"github.com/omshq/oms/internal/store/storetest"
)

// The fold lag is 0 with nothing to fold, grows while the oldest change
// waits, and is 0 again once it is folded; a stock delta waiting counts
// too.
func TestFoldLag(t *testing.T) {
	ctx := context.Background()
	db := storetest.OpenWith(t, storetest.Engines(t)[0], store.Options{FoldEvery: -1})
	f := &foldLag{db: db}
	if d, err := f.lag(ctx); err != nil || d != 0 {
		t.Fatalf("lag %s, %v on an empty database", d, err)
	}
	if _, err := db.PutChannel(ctx, &oms.Channel{Code: "web", Name: "Web", Kind: "web", Currency: "USD", BackorderPolicy: oms.BackorderAccept}, oms.System("test")); err != nil {
		t.Fatal(err)
	}
	if _, err := db.PutLocation(ctx, &oms.Location{Code: "east", Active: true, Name: "East", Kind: "warehouse", CanShip: true, Priority: 1}, oms.System("test")); err != nil {
		t.Fatal(err)
	}
	if _, err := db.PutItem(ctx, &oms.Item{SKU: "A", Name: "Apple", UnitCost: 100, Currency: "USD"}, oms.System("test")); err != nil {
		t.Fatal(err)
	}
	if _, _, err := db.PlaceOrder(ctx, &oms.OrderDraft{Channel: "web", ExternalID: "1", Currency: "USD",
		Customer: oms.Customer{Email: "ann@example.com", Name: "Ann"},
		Lines:    []oms.LineDraft{{SKU: "A", Quantity: 1, UnitPrice: 1000}}}, oms.System("test")); err != nil {
		t.Fatal(err)
	}
	if ids, err := reportsOf(db).OldestPendingFold(ctx); err != nil || ids[0] == 0 {
		t.Fatalf("oldest deltas %v after an order: %v", ids, err)
	}
	waitThenFold := func(what string) {
		t.Helper()
		f.lag(ctx)
		time.Sleep(300 * time.Millisecond)
		if d, err := f.lag(ctx); err != nil || d < 300*time.Millisecond {
			t.Errorf("lag %s, %v after %s waited 300 ms", d, err, what)
		}
		if err := foldRollups(db)(ctx); err != nil {
			t.Fatal(err)
		}
		if d, err := f.lag(ctx); err != nil || d != 0 {
			t.Errorf("lag %s, %v after folding %s", d, err, what)
		}
	}
	waitThenFold("the order's delta")
	// A receipt of an item no order waits for journals a stock delta alone.
	if _, err := db.PutItem(ctx, &oms.Item{SKU: "B", Name: "Banana", UnitCost: 50, Currency: "USD"}, oms.System("test")); err != nil {
		t.Fatal(err)
	}
	n := int64(1)
	if _, err := db.AdjustInventory(ctx, oms.Adjustment{SKU: "B", Location: "east", Reason: oms.MoveReceive, Delta: &n}, oms.System("test")); err != nil {
		t.Fatal(err)
	}
	if ids, err := reportsOf(db).OldestPendingFold(ctx); err != nil || ids[0] != 0 || ids[1] == 0 {
		t.Fatalf("oldest deltas %v after a receipt: %v", ids, err)
	}
	waitThenFold("the stock delta")
}
