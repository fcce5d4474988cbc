package reports_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/store"
	"github.com/omshq/oms/internal/store/storetest"
)

// TestStockPendingCosts: a shipment's cost of goods is its item's cost
// when it shipped, whether the report reads it from a pending delta or
// from the folded rollup, and however the cost changes before the fold;
// a past day's inventory is valued at the cost of that day.
func TestStockPendingCosts(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		db, c := openStockDB(t, e)
		c.at("2026-03-30")
		receive(t, db, "A", "east", 10)
		o, _, err := db.PlaceOrder(ctx, draft("web", "c1", line("A", 4)), oms.System("test"))
		must(t, err)
		fs, err := db.OrderFulfillments(ctx, o.ID)
		must(t, err)
		_, err = db.MoveFulfillment(ctx, fs[0].ID, oms.FulfillmentMove{To: oms.FulfillmentShipped}, oms.System("test"))
		must(t, err)
		c.at("2026-03-31")
		must(t, put(db.PutItem(ctx, &oms.Item{SKU: "A", Name: "Apple", UnitCost: 300, Currency: "USD"}, oms.System("test"))))

		read := func() []string {
			t.Helper()
			rep, err := reportsOf(db).TurnoverReport(ctx, oms.ReportQuery{Range: rangeOf("2026-03-30", "2026-03-30"), SKU: "A"}, 90)
			must(t, err)
			out := table(rep, "sku", "opening_on_hand", "received", "sold", "closing_on_hand", "cogs")
			inv, err := reportsOf(db).InventoryReport(ctx, oms.ReportQuery{At: rangeOf("", "2026-03-30").To, SKU: "A"})
			must(t, err)
			return append(out, table(inv, "sku", "location", "on_hand", "reserved", "unit_cost", "stock_value")...)
		}
		want := []string{"A 0 10 4 6 400", "A east 6 0 100 600"}
		wantTable(t, "pending", read(), want)
		if n := count(t, db, "stock_pending"); n == 0 {
			t.Fatal("no pending stock delta")
		}
		must(t, reportsOf(db).FoldReports(ctx))
		wantTable(t, "folded", read(), want)
		storetest.AssertInvariants(t, db)
	})
}

// TestCheckFindsLostStockDeltas: oms check reads the pending stock deltas
// with the rollup; losing them, or losing the folded rows they add to, is
// found.
func TestCheckFindsLostStockDeltas(t *testing.T) {
	for _, lose := range []string{"DELETE FROM stock_pending", "DELETE FROM stock_rollup"} {
		t.Run(lose, func(t *testing.T) {
			storetest.Run(t, func(t *testing.T, e storetest.Engine) {
				db, c := openStockDB(t, e)
				c.at("2026-03-30")
				receive(t, db, "A", "east", 10)
				must(t, reportsOf(db).FoldReports(ctx))
				c.at("2026-03-31")
				_, _, err := db.PlaceOrder(ctx, draft("web", "c1", line("A", 4)), oms.System("test"))
				must(t, err)
				receive(t, db, "A", "east", 1)
				if r, err := db.Check(ctx); err != nil || len(r.Violations) > 0 {
					t.Fatalf("before: %v %v", r.Violations, err)
				}
				must(t, db.Exec(ctx, lose))
				r, err := db.Check(ctx)
				must(t, err)
				if !slices.ContainsFunc(r.Violations, func(v string) bool { return strings.HasPrefix(v, "stock rollup:") }) {
					t.Errorf("check found no stock rollup violation: %q", r.Violations)
				}
			})
		})
	}
}

// TestStockFoldOrder: deltas folded a few at a time, each fold under way
// while more movements are journalled, leave the rollup as one fold of
// them all would, and the reports read the same throughout.
func TestStockFoldOrder(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		one, c1 := openStockDB(t, e)
		many, c2 := openStockDB(t, e)
		for i := range 12 {
			day := time.Date(2026, 3, 25+i, 0, 0, 0, 0, time.UTC).Format(time.DateOnly) // across a month's end
			c1.at(day)
			c2.at(day)
			for _, db := range []*store.DB{one, many} {
				receive(t, db, "A", "east", 3)
				_, _, err := db.PlaceOrder(ctx, draft("web", fmt.Sprint("o", i), line("A", 2)), oms.System("test"))
				must(t, err)
			}
			if i%5 == 4 {
				must(t, reportsOf(many).FoldReports(ctx))
			}
		}
		inv := func(db *store.DB) []string {
			rep, err := reportsOf(db).InventoryReport(ctx, oms.ReportQuery{At: rangeOf("", "2026-04-01").To})
			must(t, err)
			return table(rep, "sku", "location", "on_hand", "reserved", "unit_cost")
		}
		wantTable(t, "inventory, partly folded", inv(many), inv(one))
		must(t, reportsOf(one).FoldReports(ctx))
		must(t, reportsOf(many).FoldReports(ctx))
		wantTable(t, "inventory, folded", inv(many), inv(one))
		wantTable(t, "rollup", dumpStockRollup(t, many), dumpStockRollup(t, one))
		wantTable(t, "inventory at the end", inv(one), []string{"A east 24 16 100"})
	})
}
