package reports_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/store"
	"github.com/omshq/oms/internal/store/storetest"
)

// reportScenario places two orders on the seeded database and moves them:
//
//	w1 (web): A×2 at 10.00 less 2.00 (on the line), B×1 at 10.00, shipping 5.00; shipped
//	   from east 5 hours after placement, one A returned (damaged, restocked),
//	   a goodwill credit of 1.00.
//	b1 (b2b): A×3 at 10.00, B×4 at 5.00; east holds 2 B, so 2 wait for
//	   stock (a backorder); one A cancelled.
func reportScenario(t *testing.T, db *store.DB) (placed time.Time, refunded int64) {
	t.Helper()
	placed = time.Now().UTC().Add(-5*time.Hour - time.Minute).Truncate(time.Second)
	receive(t, db, "A", "east", 10)
	receive(t, db, "B", "east", 3)
	d := draft("web", "w1", oms.LineDraft{SKU: "A", Quantity: 2, UnitPrice: 1000, Discount: 200}, line("B", 1))
	d.PlacedAt = placed
	w1, _, err := db.PlaceOrder(ctx, d, oms.System("test"))
	must(t, err)
	fs, err := db.OrderFulfillments(ctx, w1.ID)
	must(t, err)
	if len(fs) != 1 || fs[0].Location != "east" {
		t.Fatalf("w1 fulfillments %+v", fs)
	}
	_, err = db.MoveFulfillment(ctx, fs[0].ID, oms.FulfillmentMove{To: oms.FulfillmentShipped}, oms.System("test"))
	must(t, err)
	w1, err = db.Order(ctx, w1.ID)
	must(t, err)
	r := returnUnits(t, db, w1, 1)
	_ = r
	_, err = db.RefundOrder(ctx, w1.ID, oms.RefundRequest{Kind: oms.RefundAppeasement, Amount: 100, Reason: "late"}, oms.Principal{Name: "test", Role: oms.RoleManager})
	must(t, err)
	rs, err := db.Refunds(ctx, w1.ID)
	must(t, err)
	refunded = rs.Refunded - 100

	d = draft("b2b", "b1", line("A", 3), oms.LineDraft{SKU: "B", Quantity: 4, UnitPrice: 500})
	d.PlacedAt, d.ShippingPrice = placed, 0
	b1, _, err := db.PlaceOrder(ctx, d, oms.System("test"))
	must(t, err)
	if b1.Lines[1].Open != 2 {
		t.Fatalf("b1 lines %+v", b1.Lines)
	}
	_, err = db.CancelOrder(ctx, b1.ID, 0, []oms.CancelLine{{LineID: b1.Lines[0].ID, Quantity: 1}}, oms.System("test"))
	must(t, err)
	return placed, refunded
}

func TestOrderReports(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		db := setup(t, e)
		placed, refunded := reportScenario(t, db)
		month := oms.PeriodMonth.Label(placed)
		q := oms.ReportQuery{Range: oms.Range{From: oms.DayOf(placed).AddDate(0, 0, -1), To: oms.DayOf(placed).AddDate(0, 0, 2)},
			Period: oms.PeriodMonth}
		by := func(b string) oms.ReportQuery { q := q; q.By = b; return q }
		p := `{"period":"` + month + `",`
		tests := []struct {
			name string
			run  func(context.Context, oms.ReportQuery) (*oms.Report, error)
			q    oms.ReportQuery
			want []string
		}{
			{"sales", reportsOf(db).SalesReport, q, []string{p + `"orders":2,"units":10,"gross_sales":8000,"discounts":200,"cancellations":1000,"returns":900,"net_sales":5900,"tax":0,"shipping":500,"average_order_value":2950}`}},
			{"sales by channel", reportsOf(db).SalesReport, by("channel"), []string{
				p + `"channel":"b2b","orders":1,"units":7,"gross_sales":5000,"discounts":0,"cancellations":1000,"returns":0,"net_sales":4000,"tax":0,"shipping":0,"average_order_value":4000}`,
				p + `"channel":"web","orders":1,"units":3,"gross_sales":3000,"discounts":200,"cancellations":0,"returns":900,"net_sales":1900,"tax":0,"shipping":500,"average_order_value":1900}`}},
			{"sales by sku", reportsOf(db).SalesReport, by("sku"), []string{
				p + `"sku":"A","orders":2,"units":5,"gross_sales":5000,"discounts":200,"cancellations":1000,"returns":900,"net_sales":2900,"tax":0,"shipping":null,"average_order_value":1450}`,
				p + `"sku":"B","orders":2,"units":5,"gross_sales":3000,"discounts":0,"cancellations":0,"returns":0,"net_sales":3000,"tax":0,"shipping":null,"average_order_value":1500}`}},
			{"sales by location", reportsOf(db).SalesReport, by("location"), []string{
				p + `"location":"","orders":1,"units":3,"gross_sales":2000,"discounts":0,"cancellations":1000,"returns":0,"net_sales":1000,"tax":0,"shipping":null,"average_order_value":1000}`,
				p + `"location":"east","orders":2,"units":7,"gross_sales":6000,"discounts":200,"cancellations":0,"returns":900,"net_sales":4900,"tax":0,"shipping":null,"average_order_value":2450}`}},
			{"sales of a SKU", reportsOf(db).SalesReport, func() oms.ReportQuery { q := q; q.SKU = "B"; q.Channel = "b2b"; return q }(), []string{
				p + `"orders":1,"units":4,"gross_sales":2000,"discounts":0,"cancellations":0,"returns":0,"net_sales":2000,"tax":0,"shipping":null,"average_order_value":2000}`}},
			{"margin", reportsOf(db).MarginReport, q, []string{
				p + `"sku":"A","units_sold":3,"net_sales":2900,"cost_of_goods":300,"margin":2600,"margin_rate":"0.8966"}`,
				p + `"sku":"B","units_sold":5,"net_sales":3000,"cost_of_goods":250,"margin":2750,"margin_rate":"0.9167"}`}},
			{"margin by channel", reportsOf(db).MarginReport, by("channel"), []string{
				p + `"channel":"b2b","units_sold":6,"net_sales":4000,"cost_of_goods":400,"margin":3600,"margin_rate":"0.9000"}`,
				p + `"channel":"web","units_sold":2,"net_sales":1900,"cost_of_goods":150,"margin":1750,"margin_rate":"0.9211"}`}},
			{"fulfillment", reportsOf(db).FulfillmentReport, q, []string{
				p + `"orders":2,"units_ordered":9,"units_shipped":3,"fill_rate":"0.3333","shipments":1,"ship_hours_median":5,"ship_hours_p90":5,"on_time_rate":"1.0000","deliveries":0,"delivery_hours_median":null,"delivery_hours_p90":null,"split_shipment_rate":"0.0000","backorder_rate":"0.5000"}`}},
			{"fulfillment by location", reportsOf(db).FulfillmentReport, by("location"), []string{
				p + `"location":"","orders":0,"units_ordered":2,"units_shipped":0,"fill_rate":"0.0000","shipments":0,"ship_hours_median":null,"ship_hours_p90":null,"on_time_rate":"","deliveries":0,"delivery_hours_median":null,"delivery_hours_p90":null,"split_shipment_rate":"","backorder_rate":""}`,
				p + `"location":"east","orders":2,"units_ordered":7,"units_shipped":3,"fill_rate":"0.4286","shipments":1,"ship_hours_median":5,"ship_hours_p90":5,"on_time_rate":"1.0000","deliveries":0,"delivery_hours_median":null,"delivery_hours_p90":null,"split_shipment_rate":"0.0000","backorder_rate":"0.5000"}`}},
			{"returns", reportsOf(db).ReturnsReport, q, []string{
				p + fmt.Sprintf(`"units_shipped":3,"units_returned":1,"return_rate":"0.3333","returns":900,"refunds_return":%d,"refunds_manual":0,"refunds_appeasement":100,"refunds_total":%d}`, refunded, refunded+100)}},
			{"returns by reason", reportsOf(db).ReturnsReport, by("reason"), []string{
				p + `"reason":"damaged","units_shipped":3,"units_returned":1,"return_rate":"0.3333","returns":null,"refunds_return":null,"refunds_manual":null,"refunds_appeasement":null,"refunds_total":null}`}},
			{"returns by sku", reportsOf(db).ReturnsReport, by("sku"), []string{
				p + `"sku":"A","units_shipped":2,"units_returned":1,"return_rate":"0.5000","returns":900,"refunds_return":null,"refunds_manual":null,"refunds_appeasement":null,"refunds_total":null}`,
				p + `"sku":"B","units_shipped":1,"units_returned":0,"return_rate":"0.0000","returns":0,"refunds_return":null,"refunds_manual":null,"refunds_appeasement":null,"refunds_total":null}`}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				got := reportRows(t, tt.run, tt.q)
				if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
					t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
				}
			})
		}
		// Rebuilding from the orders gives the same rollups, hence the same
		// reports, every one of them; oms check agrees before and after.
		storetest.AssertInvariants(t, db)
		must(t, reportsOf(db).RebuildReports(ctx, nil))
		for _, tt := range tests {
			if after := reportRows(t, tt.run, tt.q); strings.Join(after, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("%s after rebuild\n%s\nwant\n%s", tt.name, strings.Join(after, "\n"), strings.Join(tt.want, "\n"))
			}
		}
		storetest.AssertInvariants(t, db)
	})
}

func TestReportBadInput(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		db := setup(t, e)
		r := oms.Range{From: time.Now().AddDate(0, 0, -7), To: time.Now()}
		for _, tt := range []struct {
			name, field string
			run         func(context.Context, oms.ReportQuery) (*oms.Report, error)
			q           oms.ReportQuery
		}{
			{"unknown channel", "channel", reportsOf(db).SalesReport, oms.ReportQuery{Range: r, Channel: "nope"}},
			{"unknown location", "location", reportsOf(db).MarginReport, oms.ReportQuery{Range: r, Location: "nope"}},
			{"unknown sku", "sku", reportsOf(db).SalesReport, oms.ReportQuery{Range: r, SKU: "nope"}},
			{"bad breakdown", "by", reportsOf(db).SalesReport, oms.ReportQuery{Range: r, By: "reason"}},
			{"sku filter on fulfillment", "sku", reportsOf(db).FulfillmentReport, oms.ReportQuery{Range: r, SKU: "A"}},
			{"location filter on returns", "location", reportsOf(db).ReturnsReport, oms.ReportQuery{Range: r, Location: "east"}},
		} {
			t.Run(tt.name, func(t *testing.T) {
				_, err := tt.run(ctx, tt.q)
				e := wantCode(t, err, oms.EINVALID)
				if len(e.Fields) == 0 || e.Fields[0].Field != tt.field {
					t.Errorf("fields %+v, want %s", e.Fields, tt.field)
				}
			})
		}
	})
}

// TestPendingRollups holds the background folder off: the scenario's
// deltas stay pending, the checker counts them (and misses them when they
// are lost), and a report counts them without folding them.
func TestPendingRollups(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		open := func(t *testing.T) *store.DB {
			db := storetest.OpenWith(t, e, store.Options{FoldEvery: -1})
			seed(t, db)
			return db
		}
		pending := func(t *testing.T, db *store.DB) (n int) {
			must(t, db.QueryRow(ctx, "SELECT COUNT(*) FROM rollup_pending").Scan(&n))
			return n
		}
		t.Run("counted", func(t *testing.T) {
			db := open(t)
			placed, _ := reportScenario(t, db)
			if n := pending(t, db); n == 0 {
				t.Fatal("no pending deltas after the scenario")
			}
			storetest.AssertInvariants(t, db)
			q := oms.ReportQuery{Range: oms.Range{From: oms.DayOf(placed), To: oms.DayOf(placed).AddDate(0, 0, 1)}, Period: oms.PeriodDay}
			got := reportRows(t, reportsOf(db).SalesReport, q)
			want := `{"period":"` + oms.PeriodDay.Label(placed) + `","orders":2,"units":10,"gross_sales":8000,"discounts":200,"cancellations":1000,"returns":900,"net_sales":5900,"tax":0,"shipping":500,"average_order_value":2950}`
			if len(got) != 1 || got[0] != want {
				t.Errorf("sales %v, want %s", got, want)
			}
			if n := pending(t, db); n == 0 {
				t.Errorf("a report folded the pending deltas: it reads them beside the rollups")
			}
			storetest.AssertInvariants(t, db)
		})
		t.Run("lost", func(t *testing.T) {
			db := open(t)
			reportScenario(t, db)
			if err := db.Exec(ctx, "DELETE FROM rollup_pending WHERE id = (SELECT MAX(id) FROM rollup_pending)"); err != nil {
				t.Fatal(err)
			}
			r, err := db.Check(ctx)
			must(t, err)
			if len(r.Violations) == 0 {
				t.Error("check found nothing after a pending delta was lost")
			}
		})
	})
}

// TestCancelledCellsLeftOut: an order placed with no stock is counted
// under no location, then under east once stock arrives. The cell it left
// sums to zero and is left out of the report, before the move is folded,
// after, and with only the placement folded.
func TestCancelledCellsLeftOut(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		db := storetest.OpenWith(t, e, store.Options{FoldEvery: -1})
		seed(t, db)
		_, _, err := db.PlaceOrder(ctx, draft("b2b", "c1", line("B", 2)), oms.System("test"))
		must(t, err)
		day := time.Now().UTC().Format(time.DateOnly)
		q := oms.ReportQuery{Range: rangeOf(day, day), By: "location"}
		sales := reportsOf(db).SalesReport
		if rows := reportRows(t, sales, q); len(rows) != 1 || !strings.Contains(rows[0], `"location":""`) {
			t.Fatalf("before stock arrives: %q", rows)
		}
		must(t, reportsOf(db).FoldReports(ctx))
		receive(t, db, "B", "east", 5)
		want := reportRows(t, sales, q)
		if len(want) != 1 || !strings.Contains(want[0], `"location":"east"`) {
			t.Fatalf("the placement folded, the move pending: %q", want)
		}
		must(t, reportsOf(db).FoldReports(ctx))
		if got := reportRows(t, sales, q); strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("all folded:\n got %q\nwant %q", got, want)
		}
	})
}
