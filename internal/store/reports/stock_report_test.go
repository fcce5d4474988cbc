package reports_test

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/store"
	rm "github.com/omshq/oms/internal/store/reports"
	"github.com/omshq/oms/internal/store/storetest"
)

// stockClock is a clock a test moves by hand.
type stockClock struct{ now time.Time }

func (c *stockClock) at(day string) {
	t, err := time.Parse(time.DateOnly, day)
	if err != nil {
		panic(err)
	}
	c.now = t.Add(10 * time.Hour)
}

// stockScenario runs every kind of movement over eleven days from Monday
// 2026-03-30, across the turn of a month, each at 10:00 UTC:
//
//	Mar 30  receive 10 A at east, 5 B at west
//	Mar 31  order 1 takes 4 A and ships
//	Apr 2   order 2 takes the other 6 A (A is out at east); order 3 (b2b) backorders 2 A
//	Apr 5   receive 3 A at east: order 3 takes 2 of them (A is back)
//	Apr 6   orders 2 and 3 ship: east holds 1 A
//	Apr 7   transfer 1 A from east to west (A is out at east)
//	Apr 8   the transfer arrives at west; 1 A of order 1 is returned to east (A is back)
//	Apr 9   1 B damaged at west, then counted at 3
func stockScenario(t *testing.T, db *store.DB, c *stockClock) {
	t.Helper()
	ship := func(o *oms.Order) {
		t.Helper()
		fs, err := db.OrderFulfillments(ctx, o.ID)
		must(t, err)
		for _, f := range fs {
			if f.Status != oms.FulfillmentShipped {
				_, err = db.MoveFulfillment(ctx, f.ID, oms.FulfillmentMove{To: oms.FulfillmentShipped}, oms.System("test"))
				must(t, err)
			}
		}
	}
	place := func(channel, ext string, qty int64) *oms.Order {
		t.Helper()
		o, _, err := db.PlaceOrder(ctx, draft(channel, ext, line("A", qty)), oms.System("test"))
		must(t, err)
		return o
	}
	c.at("2026-03-30")
	receive(t, db, "A", "east", 10)
	receive(t, db, "B", "west", 5)
	c.at("2026-03-31")
	o1 := place("web", "s1", 4)
	ship(o1)
	c.at("2026-04-02")
	o2 := place("web", "s2", 6)
	o3 := place("b2b", "s3", 2)
	c.at("2026-04-05")
	receive(t, db, "A", "east", 3)
	c.at("2026-04-06")
	ship(o2)
	ship(o3)
	c.at("2026-04-07")
	tr, err := db.CreateTransfer(ctx, oms.Transfer{SKU: "A", From: "east", To: "west", Quantity: 1, ETA: c.now.AddDate(0, 0, 1)}, oms.System("test"))
	must(t, err)
	c.at("2026-04-08")
	_, err = db.ReceiveSupply(ctx, tr.ID, 1, oms.System("test"))
	must(t, err)
	o1, err = db.Order(ctx, o1.ID)
	must(t, err)
	returnUnits(t, db, o1, 1)
	c.at("2026-04-09")
	d := int64(-1)
	_, err = db.AdjustInventory(ctx, oms.Adjustment{SKU: "B", Location: "west", Reason: oms.MoveDamage, Delta: &d}, oms.System("test"))
	must(t, err)
	n := int64(3)
	_, err = db.AdjustInventory(ctx, oms.Adjustment{SKU: "B", Location: "west", Reason: oms.MoveCount, SetOnHand: &n}, oms.System("test"))
	must(t, err)
}

func openStockDB(t *testing.T, e storetest.Engine) (*store.DB, *stockClock) {
	t.Helper()
	c := &stockClock{}
	c.at("2026-03-29")
	// No background fold: the tests fold when they mean to.
	db, err := store.Open(ctx, e.DSN(t), store.Options{Now: func() time.Time { return c.now }, Feed: rm.New(), FoldEvery: -1})
	must(t, err)
	t.Cleanup(func() { db.Close() })
	seed(t, db)
	return db, c
}

// table renders a report's rows as lines of values joined by spaces, the
// columns named first.
func table(rep *oms.Report, cols ...string) []string {
	idx := make([]int, len(cols))
	for i, name := range cols {
		idx[i] = -1
		for j, c := range rep.Columns {
			if c.Name == name {
				idx[i] = j
			}
		}
		if idx[i] < 0 {
			panic("no column " + name)
		}
	}
	var out []string
	for _, r := range rep.Rows {
		vals := make([]string, len(idx))
		for i, j := range idx {
			if r.Values[j] == nil {
				vals[i] = "-"
			} else {
				vals[i] = fmt.Sprint(r.Values[j])
			}
		}
		out = append(out, strings.Join(vals, " "))
	}
	return out
}

func wantTable(t *testing.T, what string, got, want []string) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s:\n got %q\nwant %q", what, got, want)
	}
}

func rangeOf(from, to string) oms.Range {
	var p oms.Problems
	r := oms.ParseRange(&p, from, to)
	if p.Err() != nil {
		panic(p.Err())
	}
	return r
}

func TestStockReports(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		db, c := openStockDB(t, e)
		stockScenario(t, db, c)
		// Nothing folded yet: the reports and the checker read the
		// rollup's pending deltas.
		if n := count(t, db, "stock_pending"); n == 0 || count(t, db, "stock_rollup") != 0 {
			t.Fatalf("before a fold: %d pending deltas, %d rollup rows", n, count(t, db, "stock_rollup"))
		}
		storetest.AssertInvariants(t, db)
		checkStockReports(t, db)
		// Folded, they read the same from the table.
		must(t, reportsOf(db).FoldReports(ctx))
		if n := count(t, db, "stock_pending"); n != 0 {
			t.Fatalf("after a fold: %d pending deltas", n)
		}
		storetest.AssertInvariants(t, db)
		checkStockReports(t, db)
		// Rebuilt from the ledger, the rollup is the same, row for row.
		before := dumpStockRollup(t, db)
		must(t, reportsOf(db).RebuildReports(ctx, nil))
		storetest.AssertInvariants(t, db)
		if after := dumpStockRollup(t, db); !reflect.DeepEqual(before, after) {
			t.Errorf("rebuilt rollup differs:\n before %q\n after %q", before, after)
		}
		checkStockReports(t, db)
	})
}

func checkStockReports(t *testing.T, db *store.DB) {
	t.Helper()
	inv := func(at time.Time, sku string) []string {
		t.Helper()
		rep, err := reportsOf(db).InventoryReport(ctx, oms.ReportQuery{At: at, SKU: sku})
		must(t, err)
		return table(rep, "sku", "location", "on_hand", "reserved", "available", "unit_cost", "stock_value", "currency")
	}
	wantTable(t, "inventory now", inv(time.Time{}, ""), []string{
		"A east 1 0 1 100 100 USD", "A west 1 0 1 100 100 USD", "B west 3 0 3 50 150 USD"})
	day := func(s string) time.Time { return rangeOf("", s).To } // the close of the day
	wantTable(t, "inventory at the close of Apr 2", inv(day("2026-04-02"), ""), []string{
		"A east 6 6 0 100 600 USD", "B west 5 0 5 50 250 USD"})
	wantTable(t, "inventory at Apr 5 09:00", inv(time.Date(2026, 4, 5, 9, 0, 0, 0, time.UTC), "A"), []string{
		"A east 6 6 0 100 600 USD"})
	wantTable(t, "inventory at Apr 5 11:00", inv(time.Date(2026, 4, 5, 11, 0, 0, 0, time.UTC), "A"), []string{
		"A east 9 8 1 100 900 USD"})
	wantTable(t, "inventory before anything", inv(day("2026-03-29"), ""), nil)

	turn := func(from, to, loc string, dead int) []string {
		t.Helper()
		rep, err := reportsOf(db).TurnoverReport(ctx, oms.ReportQuery{Range: rangeOf(from, to), Location: loc}, dead)
		must(t, err)
		return table(rep, "sku", "opening_on_hand", "received", "sold", "closing_on_hand", "average_on_hand", "cogs",
			"average_inventory_value", "turnover", "days_of_supply", "sell_through", "sold_recently", "dead_stock")
	}
	// A's daily closing on hand: 10 6 6 6 6 6 9 1 0 2 2 = 54 over 11 days;
	// B's: 5 ten times, then 3 = 53.
	wantTable(t, "turnover Mar 30 – Apr 9", turn("2026-03-30", "2026-04-09", "", 90), []string{
		"A 0 14 12 2 4.91 1200 491 2.4444 1.8 0.8571 12 no",
		"B 0 5 0 3 4.82 0 241 0.0000  0.0000 0 yes"})
	// Over March and April (whole months, 61 days): A holds 54 + 2 × 21
	// unit-days, B 53 + 3 × 21.
	wantTable(t, "turnover March – April", turn("2026-03-01", "2026-04-30", "", 3), []string{
		"A 0 14 12 2 1.57 1200 157 7.6250 10.2 0.8571 0 yes",
		"B 0 5 0 3 1.90 0 95 0.0000  0.0000 0 yes"})
	// From Apr 3, at east: A opens at 6, takes 3 + 1, ships 8, closes at 1;
	// closing on hand 6 6 9 1 0 1 1 1 = 25 over 8 days.
	wantTable(t, "turnover Apr 3 – Apr 10 at east", turn("2026-04-03", "2026-04-10", "east", 2), []string{
		"A 6 4 8 1 3.13 800 313 2.5600 1.0 0.8000 0 yes"})

	// Ranges that end before today: the opening stock is today's less the
	// changes since.
	wantTable(t, "turnover Mar 30 – Apr 2", turn("2026-03-30", "2026-04-02", "", 90), []string{
		"A 0 10 4 6 7.00 400 700 0.5714 6.0 0.4000 4 no",
		"B 0 5 0 5 5.00 0 250 0.0000  0.0000 0 yes"})
	wantTable(t, "turnover Apr 6 – Apr 7", turn("2026-04-06", "2026-04-07", "", 90), []string{
		"A 9 0 8 0 0.50 800 50 16.0000 0.0 0.8889 12 no",
		"B 5 0 0 5 5.00 0 250 0.0000  0.0000 0 yes"})

	outs := func(from, to string, p oms.Period, loc string) []string {
		t.Helper()
		rep, err := reportsOf(db).StockoutReport(ctx, oms.ReportQuery{Range: rangeOf(from, to), Period: p, Location: loc})
		must(t, err)
		return table(rep, "period", "sku", "location", "stockout_days", "stockouts", "backordered_orders", "backordered_units")
	}
	// Out at east Apr 2 – Apr 5 and Apr 7 – Apr 8: six days, two stockouts.
	wantTable(t, "stockouts by month", outs("2026-03-01", "2026-04-30", oms.PeriodMonth, ""), []string{
		"2026-04 A  6 2 1 2", "2026-04 A east 6 2 - -"})
	wantTable(t, "stockouts by week from Apr 3", outs("2026-04-03", "2026-04-09", oms.PeriodWeek, ""), []string{
		"2026-03-30 A  3 0 0 0", "2026-03-30 A east 3 0 - -", "2026-04-06 A  2 1 0 0", "2026-04-06 A east 2 1 - -"})
	wantTable(t, "stockouts at west", outs("2026-03-01", "2026-04-30", oms.PeriodMonth, "west"), nil)
}

func TestStockReportsBadInput(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		db, _ := openStockDB(t, e)
		r := rangeOf("2026-03-01", "2026-03-31")
		for name, q := range map[string]oms.ReportQuery{
			"sku": {Range: r, SKU: "NOPE"}, "location": {Range: r, Location: "nowhere"}, "channel": {Range: r, Channel: "web"},
		} {
			_, err := reportsOf(db).InventoryReport(ctx, q)
			wantField(t, err, name)
			_, err = reportsOf(db).TurnoverReport(ctx, q, 90)
			wantField(t, err, name)
			_, err = reportsOf(db).StockoutReport(ctx, q)
			wantField(t, err, name)
		}
		_, err := reportsOf(db).TurnoverReport(ctx, oms.ReportQuery{Range: r}, 0)
		wantField(t, err, "dead_days")
	})
}

func wantField(t *testing.T, err error, field string) {
	t.Helper()
	e := wantCode(t, err, oms.EINVALID)
	for _, f := range e.Fields {
		if f.Field == field {
			return
		}
	}
	t.Errorf("error %v does not name %s", err, field)
}

// TestCheckFindsStockRollupViolations tampers with the rollup and the
// spells: oms check must notice each.
func TestCheckFindsStockRollupViolations(t *testing.T) {
	tampers := []string{
		"UPDATE stock_rollup SET on_hand = on_hand + 1 WHERE span = 'day'",
		"UPDATE stock_rollup SET reserved = reserved + 1 WHERE span = 'day'",
		"UPDATE stock_rollup SET net = net + 1 WHERE span = 'month'",
		"UPDATE stock_rollup SET shipped = shipped + 1 WHERE span = 'day'",
		"DELETE FROM stock_rollup WHERE span = 'day'",
		"INSERT INTO stockout_spells (item_id, location_id, started_at) SELECT item_id, location_id, MIN(created_at) FROM ledger GROUP BY item_id, location_id",
	}
	checkCatches(t, tampers, func(t *testing.T, db *store.DB) {
		returnUnits(t, db, shippedOrder(t, db, "x1", 2), 1)
		must(t, reportsOf(db).FoldReports(ctx)) // the tampers change folded rows
	})
}

// count is the number of rows in table.
func count(t *testing.T, db *store.DB, table string) (n int64) {
	t.Helper()
	must(t, db.QueryRow(ctx, "SELECT COUNT(*) FROM "+table).Scan(&n))
	return n
}

// dumpStockRollup lists the stock rollup and the stockout spells as text.
func dumpStockRollup(t *testing.T, db *store.DB) []string {
	t.Helper()
	var out []string
	for _, q := range []string{
		`SELECT item_id, location_id, span, day, next_day, on_hand, reserved, net, unit_days, received, shipped, cogs, unit_cost
		 FROM stock_rollup ORDER BY item_id, location_id, span, day`,
		`SELECT item_id, location_id, started_at, COALESCE(ended_at, started_at), CASE WHEN ended_at IS NULL THEN 1 ELSE 0 END
		 FROM stockout_spells ORDER BY item_id, location_id, started_at`,
	} {
		must(t, db.View(ctx, func(tx *store.Tx) error {
			rows, err := tx.QueryContext(ctx, q)
			if err != nil {
				return err
			}
			defer rows.Close()
			cols, _ := rows.Columns()
			for rows.Next() {
				vals := make([]any, len(cols))
				ptrs := make([]any, len(cols))
				for i := range vals {
					ptrs[i] = &vals[i]
				}
				if err := rows.Scan(ptrs...); err != nil {
					return err
				}
				out = append(out, fmt.Sprint(vals...))
			}
			return rows.Err()
		}))
	}
	if len(out) < 10 {
		t.Fatalf("rollup has only %d rows: %q", len(out), out)
	}
	return out
}
