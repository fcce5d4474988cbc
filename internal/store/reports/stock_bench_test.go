package reports_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/omshq/oms"
	rm "github.com/omshq/oms/internal/store/reports"
	"github.com/omshq/oms/internal/store/storetest"
)

// BenchmarkStockReportsYear times each stock report over a year of rollup
// rows as a business of a million orders a year leaves them: 1,000 items at
// 3 locations, every balance moving every day (1.1 million day rows).
func BenchmarkStockReportsYear(b *testing.B) {
	for _, e := range storetest.Engines(b) {
		b.Run(e.Name, func(b *testing.B) {
			db := storetest.Open(b, e)
			seed(b, db)
			for i := range 1000 {
				sku := fmt.Sprintf("Y%04d", i)
				must(b, put(db.PutItem(ctx, &oms.Item{SKU: sku, Name: sku, UnitCost: 250, Currency: "USD"}, oms.System("bench"))))
				for _, loc := range []string{"east", "west", "shop"} {
					receive(b, db, sku, loc, 500)
				}
			}
			now := time.Now().UTC()
			must(b, rm.FillStockHistoryForTest(ctx, db, 366, now.AddDate(0, 0, 1)))
			year := rangeOf(now.AddDate(0, 0, -364).Format(time.DateOnly), now.Format(time.DateOnly))
			reports := []struct {
				name string
				run  func() (*oms.Report, error)
			}{
				{"inventory_now", func() (*oms.Report, error) { return reportsOf(db).InventoryReport(ctx, oms.ReportQuery{}) }},
				{"inventory_past_day", func() (*oms.Report, error) {
					return reportsOf(db).InventoryReport(ctx, oms.ReportQuery{At: rangeOf("", now.AddDate(0, 0, -100).Format(time.DateOnly)).To})
				}},
				{"turnover_year", func() (*oms.Report, error) {
					return reportsOf(db).TurnoverReport(ctx, oms.ReportQuery{Range: year}, 90)
				}},
				{"turnover_year_one_sku", func() (*oms.Report, error) {
					return reportsOf(db).TurnoverReport(ctx, oms.ReportQuery{Range: year, SKU: "Y0007"}, 90)
				}},
				{"stockouts_year_by_month", func() (*oms.Report, error) {
					return reportsOf(db).StockoutReport(ctx, oms.ReportQuery{Range: year, Period: oms.PeriodMonth})
				}},
			}
			for _, r := range reports {
				b.Run(r.name, func(b *testing.B) {
					for b.Loop() {
						rep, err := r.run()
						must(b, err)
						if len(rep.Rows) == 0 {
							b.Fatal("no rows")
						}
					}
				})
			}
		})
	}
}
