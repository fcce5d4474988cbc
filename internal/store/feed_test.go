package store_test

import (
	"strings"
	"testing"
	"time"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/store"
	"github.com/omshq/oms/internal/store/storetest"
)

// A write path with no report code of its own — it locks the order it
// changes, or moves stock with the ledger's apply, and nothing more — is on
// the change feed, and the reports follow it: they agree with the checker,
// and show the change.
func TestChangeFeedReachesReports(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		db := setup(t, e)
		receive(t, db, "B", "east", 2)
		d := draft("b2b", "feed1", oms.LineDraft{SKU: "B", Quantity: 4, UnitPrice: 500})
		d.ShippingPrice = 0
		o, _, err := db.PlaceOrder(ctx, d, oms.System("test"))
		must(t, err)
		if o.Lines[0].Open != 2 {
			t.Fatalf("lines %+v, want 2 units open", o.Lines)
		}
		day := oms.DayOf(time.Now().UTC())
		q := oms.ReportQuery{Range: oms.Range{From: day.AddDate(0, 0, -1), To: day.AddDate(0, 0, 2)}, Period: oms.PeriodMonth}
		before := reportRows(t, reportsOf(db).SalesReport, q)
		if len(before) != 1 || !strings.Contains(before[0], `"cancellations":0,`) {
			t.Fatalf("sales before: %v", before)
		}

		must(t, store.CancelOpenUnitForTest(ctx, db, o.ID, 0))
		must(t, store.MoveStockForTest(ctx, db, "A", "west", oms.MoveReceive, 7))
		must(t, store.MoveStockForTest(ctx, db, "A", "west", oms.MoveDamage, -7)) // sold out at west: a stockout spell
		storetest.AssertInvariants(t, db)
		must(t, reportsOf(db).FoldReports(ctx))
		storetest.AssertInvariants(t, db)
		after := reportRows(t, reportsOf(db).SalesReport, q)
		if len(after) != 1 || !strings.Contains(after[0], `"cancellations":500,`) {
			t.Errorf("sales after a unit of 5.00 was cancelled: %v", after)
		}

		// The same change behind the seam's back is off the feed, and the
		// checker sees the reports disagree: the check above can fail.
		raw := store.RawForTest(db)
		const cancel = "UPDATE order_lines SET qty_open = qty_open - 1, qty_cancelled = qty_cancelled + 1 WHERE qty_open > 0"
		if _, err := raw.ExecContext(ctx, cancel); err != nil {
			t.Fatal(err)
		}
		r, err := db.Check(ctx)
		must(t, err)
		if !strings.Contains(strings.Join(r.Violations, "\n"), "rollup_sales") {
			t.Errorf("a change off the feed: violations %q, want one of rollup_sales", r.Violations)
		}
		const undo = "UPDATE order_lines SET qty_open = qty_open + 1, qty_cancelled = qty_cancelled - 1 WHERE qty_cancelled = 2"
		if _, err := raw.ExecContext(ctx, undo); err != nil {
			t.Fatal(err)
		}
	})
}

// reportsOf is the store's reports service: its feed reader's.
func reportsOf(db *store.DB) oms.Reports { return db.Services().Reports }
