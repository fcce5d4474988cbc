package reports

import (
	"context"
	"fmt"
	"math/big"
	"math/rand/v2"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/store"
)

// TestReportsAtScale fills the rollups with the contributions of
// OMS_REPORT_SCALE synthetic orders (say 1000000) spread over the year to
// today — 4 channels, 200 SKUs, 4 locations, some split, cancelled,
// returned and refunded — through the same writer placement uses, then
// times each report over the year. It writes the rollups directly: the
// reports read nothing else, and placing a million orders would take far
// longer than timing their reports. Set OMS_TEST_POSTGRES_URL to include
// PostgreSQL.
func TestReportsAtScale(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("OMS_REPORT_SCALE"))
	if n == 0 {
		t.Skip("set OMS_REPORT_SCALE=1000000 to time the reports over that many orders")
	}
	engines := map[string]string{"sqlite": "file:" + t.TempDir() + "/scale.db"}
	if u := os.Getenv("OMS_TEST_POSTGRES_URL"); u != "" {
		engines["postgres"] = u
	}
	for name, dsn := range engines {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			db := open(t, ctx, dsn, store.Options{})
			if name == "postgres" {
				for _, tb := range orderRollups {
					if err := db.db.Exec(ctx, "DELETE FROM "+tb); err != nil {
						t.Fatal(err)
					}
				}
			}
			start := time.Now()
			fillScale(t, db, n)
			t.Logf("%s: %d orders' rollups written in %s", name, n, time.Since(start).Round(time.Millisecond))
			for _, tb := range orderRollups {
				var rows int64
				db.db.QueryRow(ctx, "SELECT COUNT(*) FROM "+tb).Scan(&rows)
				t.Logf("%s: %s holds %d rows", name, tb, rows)
			}
			now := time.Now().UTC()
			yr := oms.Range{From: oms.DayOf(now).AddDate(-1, 0, 1), To: oms.DayOf(now).AddDate(0, 0, 1)}
			for _, c := range []struct {
				report string
				run    func(context.Context, oms.ReportQuery) (*oms.Report, error)
				period oms.Period
				by     string
			}{
				{"sales", db.SalesReport, oms.PeriodMonth, ""}, {"sales", db.SalesReport, oms.PeriodMonth, "channel"},
				{"sales", db.SalesReport, oms.PeriodMonth, "sku"}, {"sales", db.SalesReport, oms.PeriodMonth, "location"},
				{"sales", db.SalesReport, oms.PeriodWeek, ""}, {"sales", db.SalesReport, oms.PeriodDay, "channel"},
				{"margin", db.MarginReport, oms.PeriodMonth, "sku"}, {"margin", db.MarginReport, oms.PeriodMonth, "channel"},
				{"fulfillment", db.FulfillmentReport, oms.PeriodMonth, ""}, {"fulfillment", db.FulfillmentReport, oms.PeriodMonth, "location"},
				{"fulfillment", db.FulfillmentReport, oms.PeriodWeek, "channel"},
				{"returns", db.ReturnsReport, oms.PeriodMonth, "sku"}, {"returns", db.ReturnsReport, oms.PeriodMonth, "reason"},
				{"returns", db.ReturnsReport, oms.PeriodMonth, "channel"},
			} {
				best := time.Hour
				var rows int
				for range 3 {
					t0 := time.Now()
					rep, err := c.run(ctx, oms.ReportQuery{Range: yr, Period: c.period, By: c.by})
					if err != nil {
						t.Fatal(err)
					}
					best, rows = min(best, time.Since(t0)), len(rep.Rows)
				}
				t.Logf("%s: %s period=%s by=%s: %d rows in %s", name, c.report, c.period, c.by, rows, best.Round(100*time.Microsecond))
			}
		})
	}
}

// fillScale writes the contributions of n synthetic orders over the year.
func fillScale(t *testing.T, db *Reports, n int) {
	ctx := context.Background()
	for i := range 4 {
		if err := db.db.Exec(ctx, `INSERT INTO channels (code, name, kind, currency, backorder_policy, created_at, updated_at)
VALUES ($1, $1, 'web', 'USD', 'reject', $2, $2) ON CONFLICT (code) DO NOTHING`, fmt.Sprintf("ch%d", i), time.Now()); err != nil {
			t.Fatal(err)
		}
	}
	r := rand.New(rand.NewPCG(1, 2))
	now := time.Now().UTC()
	curs := []string{"USD", "EUR", "GBP", "USD"}
	reasons := []string{"damaged", "size_fit", "defective", "no_longer_needed"}
	const chunk = 100000
	for done := 0; done < n; done += chunk {
		d := newDelta()
		for range min(chunk, n-done) {
			ch := r.Int64N(4)
			placed := now.Add(-time.Duration(r.Int64N(int64(365 * 24 * time.Hour))))
			f := &facts{base: "USD", rate: big.NewRat(1, 1), OrderFacts: oms.OrderFacts{PlacedAt: placed, Channel: ch + 1, Currency: curs[ch],
				Shipping: 500, Tax: 300, Backordered: r.IntN(20) == 0}}
			loc := 1 + r.Int64N(4)
			ship := placed.Add(time.Duration(1+r.IntN(72)) * time.Hour)
			deliv := ship.Add(time.Duration(24+r.IntN(96)) * time.Hour)
			s := oms.ShipmentFacts{Location: loc, Status: oms.FulfillmentDelivered, ShippedAt: &ship, DeliveredAt: &deliv, Lines: map[int]int64{}}
			for p := range 1 + r.IntN(3) {
				q := 1 + r.Int64N(3)
				l := oms.LineFacts{Item: 1 + r.Int64N(200), Quantity: q, Subtotal: q * 1500, Discount: 100, Tax: 100, Shipped: q,
					UnitCost: 600, CostKnown: true}
				if r.IntN(20) == 0 {
					l.Returned, l.Restocked = 1, 1
					f.Returns = append(f.Returns, oms.ReturnFacts{Position: p, Reason: reasons[r.IntN(4)], Units: 1})
					f.Refunds = append(f.Refunds, oms.RefundFacts{Kind: oms.RefundReturn, Amount: 1400})
				}
				f.Lines = append(f.Lines, l)
				s.Lines[p] = q
			}
			f.Shipments = []oms.ShipmentFacts{s}
			d.add(f, 1)
		}
		err := db.update(ctx, func(tx *txn) error {
			// As a running server leaves them: the days before today rolled up.
			if err := tx.rollTo(ctx, oms.EpochDay(oms.DayOf(now))); err != nil {
				return err
			}
			gs, err := tx.rolled(ctx, "")
			if err != nil {
				return err
			}
			return tx.writeDelta(ctx, d, gs)
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}
