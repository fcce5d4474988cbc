package reports_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/fx"
	"github.com/omshq/oms/internal/store"
	"github.com/omshq/oms/internal/store/storetest"
)

// eurRate is the ECB's USD per euro on a day of November 2025.
func eurRate(t *testing.T, day int, rate string) fx.Rate {
	t.Helper()
	r, ok := fx.ParseDecimal(rate)
	if !ok {
		t.Fatalf("rate %q", rate)
	}
	return fx.Rate{Date: time.Date(2025, 11, day, 0, 0, 0, 0, time.UTC), Base: "EUR", Currency: "USD", Rate: r}
}

// sameAfterRebuild checks the rollups against the orders (oms check), then
// rebuilds them and checks that each report reads as it did.
func sameAfterRebuild(t *testing.T, db *store.DB, runs map[string]func(context.Context, oms.ReportQuery) (*oms.Report, error), q oms.ReportQuery) {
	t.Helper()
	storetest.AssertInvariants(t, db)
	before := map[string]string{}
	for name, run := range runs {
		before[name] = strings.Join(reportRows(t, run, q), "\n")
	}
	must(t, reportsOf(db).RebuildReports(ctx, nil))
	for name, run := range runs {
		if after := strings.Join(reportRows(t, run, q), "\n"); after != before[name] {
			t.Errorf("%s after rebuild\n%s\nbefore\n%s", name, after, before[name])
		}
	}
	storetest.AssertInvariants(t, db)
}

// An order without an exchange rate for its day counts in neither the base
// currency's sales nor its cost, even when its lines' unit cost is already
// in the base currency; once the rate arrives it counts in both.
func TestMarginLeavesOutUnconvertedOrders(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		db := setup(t, e)
		must(t, db.PutCurrencySettings(ctx, oms.CurrencySettings{BaseCurrency: "EUR"}, oms.System("test")))
		must(t, put(db.PutItem(ctx, &oms.Item{SKU: "E", Name: "Euro-costed", UnitCost: 1000, Currency: "EUR"}, oms.System("test"))))
		d := draft("b2b", "NR-1", oms.LineDraft{SKU: "E", Quantity: 1, UnitPrice: 5000}) // 50.00 USD
		d.PlacedAt = time.Date(2025, 11, 14, 12, 0, 0, 0, time.UTC)
		o, _, err := db.PlaceOrder(ctx, d, oms.System("test"))
		must(t, err)
		if o.Base != nil {
			t.Fatalf("base totals without a rate: %+v", o.Base)
		}
		q := oms.ReportQuery{Range: rangeOf("2025-11-14", "2025-11-14")}
		margin := func(t *testing.T, want string) {
			t.Helper()
			rep, err := reportsOf(db).MarginReport(ctx, q)
			must(t, err)
			got := reportRows(t, reportsOf(db).MarginReport, q)
			if len(got) != 1 || got[0] != want {
				t.Errorf("margin %v, want %s", got, want)
			}
			noted := strings.Contains(strings.Join(rep.Notes, "\n"), "1 orders have no exchange rate")
			if unconverted := o.Base == nil; noted != unconverted {
				t.Errorf("unconverted %v, notes %q", unconverted, rep.Notes)
			}
		}
		margin(t, `{"period":"2025-11-14","sku":"E","units_sold":1,"net_sales":0,"cost_of_goods":0,"margin":0,"margin_rate":""}`)
		runs := map[string]func(context.Context, oms.ReportQuery) (*oms.Report, error){
			"margin": reportsOf(db).MarginReport, "sales": reportsOf(db).SalesReport}
		sameAfterRebuild(t, db, runs, q)

		// 1.25 USD to the euro: 50.00 USD is 40.00 EUR.
		_, err = db.ImportRates(ctx, []fx.Rate{eurRate(t, 14, "1.25")}, oms.System("test"))
		must(t, err)
		o, err = db.Order(ctx, o.ID)
		must(t, err)
		if o.Base == nil {
			t.Fatal("the import filled no base totals")
		}
		margin(t, `{"period":"2025-11-14","sku":"E","units_sold":1,"net_sales":4000,"cost_of_goods":1000,"margin":3000,"margin_rate":"0.7500"}`)
		sameAfterRebuild(t, db, runs, q)
	})
}
