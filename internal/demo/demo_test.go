package demo_test

import (
	"context"
	"testing"
	"time"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/demo"
	"github.com/omshq/oms/internal/store"
	"github.com/omshq/oms/internal/store/storetest"
)

// TestDemo runs a small demo on each engine: every invariant holds, the
// business did everything a business does, and every order and event is
// dated within the demo's days.
func TestDemo(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		ctx := context.Background()
		clock := &demo.Clock{}
		db, err := store.Open(ctx, e.DSN(t), store.Options{Now: clock.Now})
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		end := time.Date(2026, 11, 26, 23, 0, 0, 0, time.UTC)
		sum, err := demo.Run(ctx, db, clock, demo.Options{Orders: 800, Days: 20, End: end, Seed: 7})
		if err != nil {
			t.Fatal(err)
		}
		if sum.Orders < 500 || sum.Shipped == 0 || sum.Delivered == 0 || sum.PickedUp == 0 || sum.Restocks == 0 ||
			sum.Returns == 0 || sum.Items != 200 {
			t.Errorf("summary: %s", sum)
		}
		r, err := db.Check(ctx)
		if err != nil || len(r.Violations) > 0 || r.Orders != int(sum.Orders+sum.Exchanges) {
			t.Fatalf("check: %+v %v", r, err)
		}
		statuses := map[oms.Status]int{}
		first := end
		for after := int64(0); ; {
			os, next, err := db.ListOrders(ctx, oms.OrderFilter{Limit: 200, After: after})
			if err != nil {
				t.Fatal(err)
			}
			for _, o := range os {
				statuses[o.Status]++
				if o.PlacedAt.Before(first) {
					first = o.PlacedAt
				}
				if o.PlacedAt.After(end) || o.CreatedAt.Before(o.PlacedAt.Add(-time.Hour)) {
					t.Fatalf("order %s placed %v, created %v", o.Number, o.PlacedAt, o.CreatedAt)
				}
			}
			if next == 0 {
				break
			}
			after = next
		}
		if first.Before(end.AddDate(0, 0, -20)) || first.After(end.AddDate(0, 0, -18)) {
			t.Errorf("the first order was placed %v", first)
		}
		if statuses[oms.StatusDelivered] == 0 || statuses[oms.StatusShipped]+statuses[oms.StatusAllocated] == 0 {
			t.Errorf("statuses %v", statuses)
		}
		if clock.Now().After(end.Add(time.Hour)) {
			t.Errorf("the clock ran to %v", clock.Now())
		}
	})
}
