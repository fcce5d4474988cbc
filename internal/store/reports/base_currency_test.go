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

// Orders keep the base currency they were placed under: a report in one
// base currency adds the amounts and cost of the orders placed under it
// alone, and counts the others in orders and units, with a note; by
// currency it shows every order in its own. The same holds with the
// changes pending, folded, and rebuilt.
func TestReportsKeepBaseCurrenciesApart(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		db := storetest.OpenWith(t, e, store.Options{FoldEvery: -1})
		seed(t, db)
		must(t, put(db.PutItem(ctx, &oms.Item{SKU: "E", Name: "Euro-costed", UnitCost: 300, Currency: "EUR"}, oms.System("test"))))
		must(t, put(db.PutChannel(ctx, &oms.Channel{Code: "eu", Name: "EU", Kind: "api", Currency: "EUR", BackorderPolicy: oms.BackorderAccept}, oms.System("test"))))
		base := func(c string) {
			must(t, db.PutCurrencySettings(ctx, oms.CurrencySettings{BaseCurrency: c}, oms.System("test")))
		}
		place := func(ext, currency string, l oms.LineDraft) {
			d := draft(map[string]string{"USD": "b2b", "EUR": "eu"}[currency], ext, l)
			d.Currency, d.ShippingPrice = currency, 0
			d.PlacedAt = time.Date(2025, 11, 14, 12, 0, 0, 0, time.UTC)
			o, _, err := db.PlaceOrder(ctx, d, oms.System("test"))
			must(t, err)
			if o.Base == nil || o.Base.Currency != currency || o.Base.Rate != "1" {
				t.Fatalf("%s: base %+v", ext, o.Base)
			}
		}
		base("USD")
		place("U-1", "USD", line("A", 10)) // 100.00 USD, cost 10 × 1.00 USD
		base("EUR")
		place("E-1", "EUR", line("E", 1)) // 10.00 EUR, cost 3.00 EUR

		q := oms.ReportQuery{Range: rangeOf("2025-11-14", "2025-11-14")}
		by := func(b string) oms.ReportQuery { q := q; q.By = b; return q }
		const p = `{"period":"2025-11-14",`
		const other = "1 orders were placed under another base currency"
		tests := []struct {
			name, base string
			run        func(context.Context, oms.ReportQuery) (*oms.Report, error)
			q          oms.ReportQuery
			want       []string
			note       string
		}{
			{"sales in EUR", "EUR", reportsOf(db).SalesReport, q, []string{
				p + `"orders":2,"units":11,"gross_sales":1000,"discounts":0,"cancellations":0,"returns":0,"net_sales":1000,"tax":0,"shipping":0,"average_order_value":500}`}, other + " than EUR"},
			{"sales in USD", "USD", reportsOf(db).SalesReport, q, []string{
				p + `"orders":2,"units":11,"gross_sales":10000,"discounts":0,"cancellations":0,"returns":0,"net_sales":10000,"tax":0,"shipping":0,"average_order_value":5000}`}, other + " than USD"},
			{"sales by currency", "EUR", reportsOf(db).SalesReport, by("currency"), []string{
				p + `"currency":"EUR","orders":1,"units":1,"gross_sales":1000,"discounts":0,"cancellations":0,"returns":0,"net_sales":1000,"tax":0,"shipping":0,"average_order_value":1000}`,
				p + `"currency":"USD","orders":1,"units":10,"gross_sales":10000,"discounts":0,"cancellations":0,"returns":0,"net_sales":10000,"tax":0,"shipping":0,"average_order_value":10000}`}, ""},
			{"sales by sku in EUR", "EUR", reportsOf(db).SalesReport, by("sku"), []string{
				p + `"sku":"A","orders":1,"units":10,"gross_sales":0,"discounts":0,"cancellations":0,"returns":0,"net_sales":0,"tax":0,"shipping":null,"average_order_value":0}`,
				p + `"sku":"E","orders":1,"units":1,"gross_sales":1000,"discounts":0,"cancellations":0,"returns":0,"net_sales":1000,"tax":0,"shipping":null,"average_order_value":1000}`}, other + " than EUR"},
			{"margin in EUR", "EUR", reportsOf(db).MarginReport, q, []string{
				p + `"sku":"A","units_sold":10,"net_sales":0,"cost_of_goods":0,"margin":0,"margin_rate":""}`,
				p + `"sku":"E","units_sold":1,"net_sales":1000,"cost_of_goods":300,"margin":700,"margin_rate":"0.7000"}`}, other + " than EUR"},
			{"margin in USD", "USD", reportsOf(db).MarginReport, q, []string{
				p + `"sku":"A","units_sold":10,"net_sales":10000,"cost_of_goods":1000,"margin":9000,"margin_rate":"0.9000"}`,
				p + `"sku":"E","units_sold":1,"net_sales":0,"cost_of_goods":0,"margin":0,"margin_rate":""}`}, other + " than USD"},
			{"returns in EUR", "EUR", reportsOf(db).ReturnsReport, q, []string{
				p + `"units_shipped":0,"units_returned":0,"return_rate":"","returns":0,"refunds_return":0,"refunds_manual":0,"refunds_appeasement":0,"refunds_total":0}`}, other + " than EUR"},
			// With none set, each order's amounts are summed in its own
			// currency, as the report's note says.
			{"sales with no base", "", reportsOf(db).SalesReport, q, []string{
				p + `"orders":2,"units":11,"gross_sales":11000,"discounts":0,"cancellations":0,"returns":0,"net_sales":11000,"tax":0,"shipping":0,"average_order_value":5500}`}, "no base currency is set"},
		}
		check := func(t *testing.T) {
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					base(tt.base)
					got := reportRows(t, tt.run, tt.q)
					if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
						t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
					}
					rep, err := tt.run(ctx, tt.q)
					must(t, err)
					notes := strings.Join(rep.Notes, "\n")
					if tt.note != "" && !strings.Contains(notes, tt.note) || tt.note == "" && strings.Contains(notes, "base currency") {
						t.Errorf("notes %q, want %q", rep.Notes, tt.note)
					}
				})
			}
		}
		t.Run("pending", check)
		must(t, reportsOf(db).FoldReports(ctx))
		t.Run("folded", check)
		base("EUR")
		sameAfterRebuild(t, db, map[string]func(context.Context, oms.ReportQuery) (*oms.Report, error){
			"sales": reportsOf(db).SalesReport, "margin": reportsOf(db).MarginReport}, q)
		t.Run("rebuilt", check)
	})
}
