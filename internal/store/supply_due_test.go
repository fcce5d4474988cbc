package store_test

import (
	"testing"
	"time"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/store"
	"github.com/omshq/oms/internal/store/storetest"
)

// TestSupplyDue: the open supply of the SKUs asked for, by ETA — not
// another SKU's, not received or cancelled supply — and, for a principal
// bound to a location, only that due there.
func TestSupplyDue(t *testing.T) {
	now := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		db, err := store.Open(ctx, e.DSN(t), store.Options{Now: func() time.Time { return now }})
		must(t, err)
		t.Cleanup(func() { db.Close() })
		seed(t, db)
		day := func(n int) time.Time { return now.AddDate(0, 0, n) }
		late := &oms.Supply{SKU: "A", Location: "west", Kind: "purchase_order", Quantity: 3, ETA: day(9)}
		must(t, db.CreateSupply(ctx, late, oms.System("test")))
		soon := &oms.Supply{SKU: "A", Location: "east", Kind: "purchase_order", Quantity: 2, ETA: day(2)}
		must(t, db.CreateSupply(ctx, soon, oms.System("test")))
		done := &oms.Supply{SKU: "A", Location: "east", Kind: "purchase_order", Quantity: 1, ETA: day(1)}
		must(t, db.CreateSupply(ctx, done, oms.System("test")))
		_, err = db.ReceiveSupply(ctx, done.ID, 0, oms.System("test"))
		must(t, err)
		other := &oms.Supply{SKU: "B", Location: "east", Kind: "purchase_order", Quantity: 4, ETA: day(1)}
		must(t, db.CreateSupply(ctx, other, oms.System("test")))

		ids := func(ss []oms.Supply) []int64 {
			var out []int64
			for _, s := range ss {
				out = append(out, s.ID)
			}
			return out
		}
		got, err := db.SupplyDue(ctx, oms.System("test"), []string{"A", "NOPE"})
		must(t, err)
		if g := ids(got); len(g) != 2 || g[0] != soon.ID || g[1] != late.ID {
			t.Errorf("supply due of A: %v, want [%d %d]", g, soon.ID, late.ID)
		}
		got, err = db.SupplyDue(ctx, oms.System("test"), []string{"A", "B"})
		must(t, err)
		if g := ids(got); len(g) != 3 || g[0] != other.ID {
			t.Errorf("supply due of A and B: %v", g)
		}
		west := oms.Principal{Name: "clerk", Role: oms.RoleWarehouse, Locations: []string{"west"}}
		got, err = db.SupplyDue(ctx, west, []string{"A", "B"})
		must(t, err)
		if g := ids(got); len(g) != 1 || g[0] != late.ID {
			t.Errorf("supply due at west: %v, want [%d]", g, late.ID)
		}
		if got, err := db.SupplyDue(ctx, oms.System("test"), nil); err != nil || len(got) != 0 {
			t.Errorf("supply due of no SKUs: %v, %v", got, err)
		}
	})
}
