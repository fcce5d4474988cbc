package jobs_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/jobs"
	"github.com/omshq/oms/internal/store"
	"github.com/omshq/oms/internal/store/storetest"
)

// On SQLite River writes through a connection of its own while the store
// writes through its one writer: placement must not be starved by River's
// polling, leader election and periodic jobs. This measures placement
// latency with River idle-free (folding every 50 ms, polling every 50 ms)
// against placement without it, and fails when River's writes make an
// order wait long.
func TestSQLitePlacementNotStarved(t *testing.T) {
	if testing.Short() {
		t.Skip("measures for seconds")
	}
	db := storetest.Open(t, storetest.Engines(t)[0])
	must(t, put(db.PutChannel(ctx, &oms.Channel{Code: "web", Name: "Web", Kind: "web", Currency: "USD", BackorderPolicy: oms.BackorderAccept}, oms.System("test"))))
	must(t, put(db.PutLocation(ctx, &oms.Location{Code: "east", Active: true, Name: "East", Kind: "warehouse", CanShip: true, Priority: 1}, oms.System("test"))))
	must(t, put(db.PutItem(ctx, &oms.Item{SKU: "A", Name: "Apple", UnitCost: 100, Currency: "USD"}, oms.System("test"))))
	n := int64(1_000_000)
	_, err := db.AdjustInventory(ctx, oms.Adjustment{SKU: "A", Location: "east", Reason: oms.MoveReceive, Delta: &n}, oms.System("test"))
	must(t, err)
	seq := 0
	place := func(d time.Duration) []time.Duration {
		var lat []time.Duration
		for end := time.Now().Add(d); time.Now().Before(end); {
			seq++
			start := time.Now()
			_, _, err := db.PlaceOrder(ctx, &oms.OrderDraft{Channel: "web", ExternalID: fmt.Sprint("s", seq), Currency: "USD",
				Customer: oms.Customer{Email: "ann@example.com", Name: "Ann"},
				Lines:    []oms.LineDraft{{SKU: "A", Quantity: 1, UnitPrice: 1000}}}, oms.System("test"))
			must(t, err)
			lat = append(lat, time.Since(start))
		}
		slices.Sort(lat)
		return lat
	}
	q := func(lat []time.Duration, p float64) time.Duration { return lat[int(p*float64(len(lat)-1))] }
	without := place(2 * time.Second)
	opt := fast
	opt.FoldEvery, opt.PollEvery = 50*time.Millisecond, 50*time.Millisecond
	start(t, db, realWork(db), opt)
	with := place(3 * time.Second)
	t.Logf("placement without River: %d orders, p50 %s p99 %s max %s", len(without), q(without, .5), q(without, .99), without[len(without)-1])
	t.Logf("placement with River:    %d orders, p50 %s p99 %s max %s", len(with), q(with, .5), q(with, .99), with[len(with)-1])
	if m := with[len(with)-1]; m > 2*time.Second {
		t.Errorf("an order waited %s for River's writes", m)
	}
	if q(with, .99) > 10*q(without, .99)+50*time.Millisecond {
		t.Errorf("p99 %s with River, %s without", q(with, .99), q(without, .99))
	}
	// Starvation is what this looks for, not a slowdown: the two phases run
	// one after the other, so other work on the machine (other test
	// packages beside this one) can halve the second alone; a tenth of the
	// rate without River is what River's writes holding the writer look
	// like.
	if len(with) < len(without)/10 {
		t.Errorf("%d orders in 3 s with River, %d in 2 s without", len(with), len(without))
	}
}

// realWork is the store's work, as oms serve wires it.
func realWork(db *store.DB) jobs.Work {
	return jobs.Work{
		ExpirePickups:         func(ctx context.Context) (int, error) { return db.ExpirePickups(ctx, oms.System("oms")) },
		ForgetDeliveries:      db.ForgetDeliveries,
		ExpireIdempotencyKeys: db.ExpireIdempotencyKeys,
		FoldRollups:           db.Services().Reports.FoldReports,
		AllocateBackorders: func(ctx context.Context, itemID int64) error {
			return db.AllocateBackorders(ctx, itemID, oms.System("oms"))
		},
	}
}
