package reports_test

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/store"
	rm "github.com/omshq/oms/internal/store/reports"
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

// TestStockFoldConcurrent: orders placed and stock received while folds
// run side by side — on PostgreSQL in two stores on one database, as two
// servers — leave the rollup agreeing with the balances, and oms check
// finds nothing wrong midway, with deltas pending and folds under way.
func TestStockFoldConcurrent(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		dsn := e.DSN(t)
		open := func() *store.DB {
			db, err := store.Open(ctx, dsn, store.Options{Feed: rm.New(), FoldEvery: -1})
			must(t, err)
			t.Cleanup(func() { db.Close() })
			return db
		}
		dbs := []*store.DB{open()}
		if e.Name == "postgres" {
			dbs = append(dbs, open())
		}
		seed(t, dbs[0])
		receive(t, dbs[0], "A", "east", 400)
		receive(t, dbs[0], "B", "west", 400)
		var work, folds sync.WaitGroup
		stop := make(chan struct{})
		for i, db := range dbs {
			folds.Go(func() { foldUntil(t, db, stop) })
			for w := range 3 {
				work.Go(func() {
					for n := range 15 {
						_, _, err := db.PlaceOrder(ctx, draft("web", fmt.Sprint(i, "-", w, "-", n), line("A", 2), line("B", 1)), oms.System("test"))
						if err != nil {
							t.Error(err)
							return
						}
					}
				})
			}
			work.Go(func() {
				for range 10 {
					receive(t, db, "B", "east", 1)
				}
			})
		}
		work.Go(func() {
			for range 3 {
				if r, err := dbs[0].Check(ctx); err != nil || len(r.Violations) > 0 {
					t.Errorf("check midway: %q %v", r.Violations, err)
				}
			}
		})
		work.Wait()
		close(stop)
		folds.Wait()
		if t.Failed() {
			return
		}
		storetest.AssertInvariants(t, dbs[0])
		must(t, reportsOf(dbs[0]).FoldReports(ctx))
		if n := count(t, dbs[0], "stock_pending"); n != 0 {
			t.Errorf("%d pending deltas after the last fold", n)
		}
		storetest.AssertInvariants(t, dbs[0])
		inv := func(at time.Time) []string {
			rep, err := reportsOf(dbs[0]).InventoryReport(ctx, oms.ReportQuery{At: at})
			must(t, err)
			return table(rep, "sku", "location", "on_hand", "reserved")
		}
		wantTable(t, "inventory from the rollup", inv(time.Now().Add(time.Hour)), inv(time.Time{}))
	})
}
