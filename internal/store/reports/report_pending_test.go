package reports_test

import (
	"encoding/json"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/demo"
	"github.com/omshq/oms/internal/store"
	rm "github.com/omshq/oms/internal/store/reports"
	"github.com/omshq/oms/internal/store/storetest"
)

// TestReportsReadPending runs a small demo business with the background
// folder held off, then asks every order report, by every period,
// breakdown and filter: with every delta pending, with part of them folded,
// with the first days rolled up into week and month rows, with every delta
// folded, and with every day rolled up. The answers must not differ: a
// report reads pending deltas exactly as folding would write them, and
// days not rolled up from day rows.
func TestReportsReadPending(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		clock := &demo.Clock{}
		db := storetest.OpenWith(t, e, store.Options{FoldEvery: -1, Now: clock.Now})
		end := time.Date(2026, 11, 26, 23, 0, 0, 0, time.UTC)
		if _, err := demo.Run(ctx, db, clock, demo.Options{Orders: 400, Days: 12, End: end, Seed: 5}); err != nil {
			t.Fatal(err)
		}
		pending := func() (n int) {
			must(t, db.QueryRow(ctx, "SELECT COUNT(*) FROM rollup_pending").Scan(&n))
			return n
		}
		top, err := reportsOf(db).SalesReport(ctx, oms.ReportQuery{Range: oms.Range{From: end.AddDate(0, 0, -30), To: end}, By: "sku"})
		must(t, err)
		if len(top.Rows) == 0 {
			t.Fatal("no sales by SKU after the demo")
		}
		sku := top.Rows[0].Values[1].(string)
		reports := map[string]func(oms.ReportQuery) (*oms.Report, error){
			"sales":  func(q oms.ReportQuery) (*oms.Report, error) { return reportsOf(db).SalesReport(ctx, q) },
			"margin": func(q oms.ReportQuery) (*oms.Report, error) { return reportsOf(db).MarginReport(ctx, q) },
			"fulfillment": func(q oms.ReportQuery) (*oms.Report, error) {
				return reportsOf(db).FulfillmentReport(ctx, q)
			},
			"returns": func(q oms.ReportQuery) (*oms.Report, error) { return reportsOf(db).ReturnsReport(ctx, q) },
		}
		answers := func() map[string]string {
			out := map[string]string{}
			for name, run := range reports {
				for _, p := range []oms.Period{oms.PeriodDay, oms.PeriodWeek, oms.PeriodMonth} {
					for _, by := range []string{"", "channel", "sku", "location", "currency", "reason"} {
						for _, f := range []oms.ReportQuery{{}, {Channel: "web"}, {Location: "wh-east"}, {SKU: sku}} {
							q := f
							q.Range, q.Period, q.By = oms.Range{From: end.AddDate(0, 0, -13), To: end}, p, by
							key := fmt.Sprintf("%s %s by=%s %+v", name, p, by, f)
							rep, err := run(q)
							if err != nil {
								out[key] = oms.ErrorCode(err)
								continue
							}
							b, err := json.Marshal(rep.Rows)
							must(t, err)
							out[key] = string(b)
						}
					}
				}
			}
			return out
		}
		all := pending()
		if all < 20 {
			t.Fatalf("%d deltas pending after the demo", all)
		}
		unfolded := answers()
		answered := 0
		for _, a := range unfolded {
			if len(a) > 20 {
				answered++
			}
		}
		if answered < len(unfolded)/2 {
			t.Fatalf("only %d of %d queries have rows", answered, len(unfolded))
		}
		must(t, rm.FoldSomeForTest(ctx, db, all/2))
		if n := pending(); n == 0 || n == all {
			t.Fatalf("%d of %d deltas pending after folding half", n, all)
		}
		compare := func(state string, got map[string]string) {
			t.Helper()
			for k, want := range unfolded {
				if got[k] != want {
					t.Errorf("%s, %s:\n got %s\nwant %s", state, k, got[k], want)
				}
			}
		}
		compare("half folded", answers())
		// Week and month rows hold the days before the watermark: roll the
		// first week up, fold the rest, roll everything up.
		must(t, rm.RollForTest(ctx, db, end.AddDate(0, 0, -6)))
		compare("half folded, rolled up to 6 days ago", answers())
		storetest.AssertInvariants(t, db)
		must(t, reportsOf(db).FoldReports(ctx))
		if n := pending(); n != 0 {
			t.Fatalf("%d deltas pending after folding", n)
		}
		compare("all folded", answers())
		must(t, rm.RollForTest(ctx, db, end))
		compare("all folded, rolled up to today", answers())
		storetest.AssertInvariants(t, db)
	})
}

// TestRollsRaceFolds places orders while the clock crosses days, cancels
// orders of days already rolled up, and meanwhile two folders fold and a
// roller moves the watermark: the rollups must end as the orders sum to,
// on both engines (on PostgreSQL the folders are separate transactions
// racing the roll; on SQLite the sliced fold must notice a roll).
func TestRollsRaceFolds(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		clock := &demo.Clock{}
		start := time.Date(2026, 5, 4, 10, 0, 0, 0, time.UTC)
		clock.Set(start)
		db := storetest.OpenWith(t, e, store.Options{FoldEvery: -1, Now: clock.Now})
		seed(t, db)
		receive(t, db, "A", "east", 10_000)
		receive(t, db, "B", "west", 10_000)
		stop := make(chan struct{})
		var done atomic.Int64 // orders placed
		var folders, workers sync.WaitGroup
		for range 2 {
			folders.Go(func() { foldUntil(t, db, stop) })
		}
		for w := range 3 {
			workers.Go(func() {
				var placed []string
				for i := range 40 {
					o, _, err := db.PlaceOrder(ctx, draft("web", fmt.Sprintf("w%d-%d", w, i), line("A", 1+int64(i%3)), line("B", 1)), oms.System("test"))
					if err != nil {
						t.Error(err)
						return
					}
					placed = append(placed, o.ID)
					done.Add(1)
					if i%8 == 7 {
						// An order of an earlier day, likely rolled up by now.
						if _, err := db.CancelOrder(ctx, placed[i-7], 0, nil, oms.System("test")); err != nil {
							t.Error(err)
							return
						}
					}
				}
			})
		}
		// A new day, rolled up at once, after every 25 orders placed.
		workers.Go(func() {
			for d := 1; d <= 4; d++ {
				for done.Load() < int64(25*d) {
					time.Sleep(time.Millisecond)
				}
				clock.Set(start.AddDate(0, 0, d))
				if err := rm.RollForTest(ctx, db, clock.Now()); err != nil {
					t.Error(err)
				}
			}
		})
		workers.Wait()
		close(stop)
		folders.Wait()
		must(t, reportsOf(db).FoldReports(ctx))
		var rolled int64
		must(t, db.QueryRow(ctx, "SELECT rolled_until FROM rollup_state").Scan(&rolled))
		if want := oms.EpochDay(start.AddDate(0, 0, 4)); rolled != want {
			t.Errorf("watermark %d, want %d", rolled, want)
		}
		storetest.AssertInvariants(t, db)
	})
}
