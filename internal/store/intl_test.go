package store_test

import (
	"fmt"
	"io"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/channel/csvorders"
	"github.com/omshq/oms/internal/fx"
	"github.com/omshq/oms/internal/store"
	"github.com/omshq/oms/internal/store/storetest"
)

func fixtureRates(t *testing.T) []fx.Rate {
	t.Helper()
	f, err := os.Open("../../testdata/channels/ecb_eurofxref.xml")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rates, err := fx.ParseECB(f)
	if err != nil {
		t.Fatal(err)
	}
	return rates
}

func taxRule(t *testing.T, db *store.DB, key, rate string, inclusive bool, name string) {
	t.Helper()
	country, region, err := store.ParseTaxKey(key)
	must(t, err)
	_, err = db.PutTaxRule(ctx, &oms.TaxRule{Country: country, Region: region, Rate: rate, Inclusive: inclusive, Name: name}, oms.System("test"))
	must(t, err)
}

// Orders a channel sends as CSV: those whose tax cells are all empty are
// taxed by the rules of their destination; tax the rows give is kept as
// given and reconciled.
func TestIngestTaxFromCSV(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		db := setup(t, e)
		must(t, put(db.PutChannel(ctx, &oms.Channel{Code: "sheet", Name: "Sheet", Kind: "csv", Currency: "CAD", BackorderPolicy: oms.BackorderAccept}, oms.System("test"))))
		taxRule(t, db, "CA", "0.05", false, "GST")
		taxRule(t, db, "CA-QC", "0.09975", false, "QST")
		file := strings.Join([]string{
			"order_id,placed_at,currency,sku,quantity,unit_price,line_discount,line_tax,shipping,shipping_tax,ship_line1,ship_city,ship_region,ship_country",
			// No tax cells: (49.98 − 5.00) × 14.975 % = 6.735755 → 6.74 and
			// 10.00 × 14.975 % = 1.4975 → 1.50.
			"Q-1,2025-11-14T09:30:00Z,CAD,A,2,24.99,5.00,,10.00,,1 Rue,Montréal,QC,CA",
			// The channel's own tax, however it was reckoned, stays.
			"Q-2,2025-11-14T09:30:00Z,CAD,A,2,24.99,5.00,6.70,10.00,1.49,1 Rue,Montréal,QC,CA",
		}, "\n") + "\n"
		r, err := csvorders.NewReader(strings.NewReader(file))
		must(t, err)
		var got []*oms.Order
		for {
			in, _, err := r.Next()
			if err == io.EOF {
				break
			}
			must(t, err)
			res, err := db.IngestOrder(ctx, "sheet", in, []byte(file), oms.System("test"))
			must(t, err)
			got = append(got, res.Order)
		}
		q1, q2 := got[0], got[1]
		if q1.Lines[0].Tax != 674 || q1.Totals != (oms.Totals{Subtotal: 4998, DiscountTotal: 500, ShippingTotal: 1000, TaxTotal: 824, Total: 6322}) ||
			q1.ComputedTax == nil || q1.ComputedTax.Destination != "CA-QC" || len(q1.ComputedTax.Rules) != 2 || len(q1.Mismatches) != 0 {
			t.Errorf("Q-1: line tax %d, totals %+v, computed %+v, mismatches %v", q1.Lines[0].Tax, q1.Totals, q1.ComputedTax, q1.Mismatches)
		}
		if q2.Lines[0].Tax != 670 || q2.Totals != (oms.Totals{Subtotal: 4998, DiscountTotal: 500, ShippingTotal: 1000, TaxTotal: 819, Total: 6317}) ||
			q2.ComputedTax != nil || len(q2.Mismatches) != 0 || q2.ChannelTotal == nil || *q2.ChannelTotal != 6317 {
			t.Errorf("Q-2: line tax %d, totals %+v, computed %+v, mismatches %v", q2.Lines[0].Tax, q2.Totals, q2.ComputedTax, q2.Mismatches)
		}
		stored, err := db.Order(ctx, q1.ID)
		must(t, err)
		if stored.TaxTotal != 824 || stored.ComputedTax == nil || stored.ComputedTax.Rules[1].Rate != "0.09975" {
			t.Errorf("Q-1 read back: tax %d, computed %+v", stored.TaxTotal, stored.ComputedTax)
		}
	})
}

// A rate imported after an order is placed fills its base totals, in the
// import's transaction; the rates cache is cleared by the import, so the
// next order of that day converts at once.
func TestBaseTotalsFilledOnImport(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		db := setup(t, e)
		must(t, db.PutCurrencySettings(ctx, oms.CurrencySettings{BaseCurrency: "GBP"}, oms.System("test")))
		placed := time.Date(2025, 11, 15, 23, 59, 0, 0, time.UTC) // a Saturday
		d := draft("b2b", "B-1", line("A", 10))                   // 10 × 10.00 + 5.00 shipping = 105.00 USD
		d.PlacedAt = placed
		o, _, err := db.PlaceOrder(ctx, d, oms.System("test"))
		must(t, err)
		if o.Base != nil {
			t.Fatalf("base totals before any rate: %+v", o.Base)
		}
		res, err := db.ImportRates(ctx, fixtureRates(t), oms.System("test"))
		must(t, err)
		if res.OrdersFilled != 1 {
			t.Errorf("filled %d orders", res.OrdersFilled)
		}
		// USD → GBP at 0.88195 / 1.1612: 100.00 → 75.9516… → 75.95;
		// 5.00 → 3.7975… → 3.80; 105.00 → 79.7491… → 79.75.
		want := oms.BaseTotals{Currency: "GBP", Rate: "0.88195/1.1612", RateDate: "2025-11-14",
			Totals: oms.Totals{Subtotal: 7595, ShippingTotal: 380, Total: 7975}}
		got, err := db.Order(ctx, o.ID)
		must(t, err)
		if got.Base == nil || *got.Base != want || got.Version != 2 {
			t.Errorf("after the import: base %+v, version %d; want %+v", got.Base, got.Version, want)
		}
		d = draft("b2b", "B-2", line("A", 10))
		d.PlacedAt = placed
		o2, _, err := db.PlaceOrder(ctx, d, oms.System("test"))
		must(t, err)
		if o2.Base == nil || *o2.Base != want {
			t.Errorf("next order: base %+v", o2.Base)
		}
		// Filled once: a second import finds nothing waiting.
		res, err = db.ImportRates(ctx, fixtureRates(t), oms.System("test"))
		must(t, err)
		if res.OrdersFilled != 0 || res.Unchanged != 30 {
			t.Errorf("second import = %+v", res)
		}
		// A new base currency applies to orders placed from then on.
		must(t, db.PutCurrencySettings(ctx, oms.CurrencySettings{BaseCurrency: "USD"}, oms.System("test")))
		d = draft("b2b", "B-3", line("A", 10))
		d.PlacedAt = placed
		o3, _, err := db.PlaceOrder(ctx, d, oms.System("test"))
		must(t, err)
		if o3.Base == nil || o3.Base.Rate != "1" || o3.Base.Total != o3.Total || o3.Base.RateDate != "2025-11-15" {
			t.Errorf("order in the base currency: base %+v", o3.Base)
		}
		if got, _ := db.Order(ctx, o.ID); got.Base.Currency != "GBP" {
			t.Errorf("an earlier order's base changed to %+v", got.Base)
		}
	})
}

// Rates more than a week older than an order are not its rates: a gap in
// the rates leaves the orders in it without base totals.
func TestBaseTotalsRateAge(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		db := setup(t, e)
		must(t, db.PutCurrencySettings(ctx, oms.CurrencySettings{BaseCurrency: "EUR"}, oms.System("test")))
		var ids []string
		for i, day := range []int{8, 12, 27} {
			d := draft("b2b", fmt.Sprint("G-", i), line("A", 1))
			d.PlacedAt = time.Date(2025, 11, day, 12, 0, 0, 0, time.UTC)
			o, _, err := db.PlaceOrder(ctx, d, oms.System("test"))
			must(t, err)
			ids = append(ids, o.ID)
		}
		usd := func(day int, rate string) fx.Rate {
			r, _ := fx.ParseDecimal(rate)
			return fx.Rate{Date: time.Date(2025, 11, day, 0, 0, 0, 0, time.UTC), Base: "EUR", Currency: "USD", Rate: r}
		}
		// Rates of the 1st and the 20th: the 8th is 7 days after the 1st,
		// the 12th 11 days, the 27th 7 days after the 20th.
		res, err := db.ImportRates(ctx, []fx.Rate{usd(20, "1.25"), usd(1, "1.2")}, oms.System("test"))
		must(t, err)
		if res.OrdersFilled != 2 {
			t.Errorf("filled %d orders, want 2", res.OrdersFilled)
		}
		for i, want := range []string{"1/1.2", "", "1/1.25"} {
			o, err := db.Order(ctx, ids[i])
			must(t, err)
			got := "" // no base totals
			if o.Base != nil {
				got = o.Base.Rate
			}
			if got != want {
				t.Errorf("order %d: rate %q, want %q", i, got, want)
			}
		}
		if _, err := db.RatesOn(ctx, time.Date(2025, 11, 12, 0, 0, 0, 0, time.UTC)); oms.ErrorCode(err) != oms.ENOTFOUND {
			t.Errorf("rates on the 12th: %v", err)
		}
	})
}

// oms check recomputes every base total from the rate recorded beside it.
func TestCheckBaseTotals(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		db := storetest.Open(t, e)
		seed(t, db)
		must(t, db.PutCurrencySettings(ctx, oms.CurrencySettings{BaseCurrency: "EUR"}, oms.System("test")))
		_, err := db.ImportRates(ctx, fixtureRates(t), oms.System("test"))
		must(t, err)
		d := draft("b2b", "C-1", line("A", 1))
		d.PlacedAt = time.Date(2025, 11, 14, 12, 0, 0, 0, time.UTC)
		_, _, err = db.PlaceOrder(ctx, d, oms.System("test"))
		must(t, err)
		if r, err := db.Check(ctx); err != nil || len(r.Violations) != 0 {
			t.Fatalf("check: %v, %v", r.Violations, err)
		}
		for _, q := range []string{
			`UPDATE orders SET base_total = base_total + 1`,
			`UPDATE orders SET base_rate = '1/1.2'`,
			`UPDATE orders SET base_subtotal = NULL`,
		} {
			raw := store.RawForTest(db)
			if _, err := raw.Exec(q); err != nil {
				t.Fatal(err)
			}
			r, err := db.Check(ctx)
			must(t, err)
			// The report rollups, which summed the order as placed, disagree too.
			if len(r.Violations) == 0 || !strings.Contains(r.Violations[0], "base totals") {
				t.Errorf("%s: violations %v", q, r.Violations)
			}
			// Put it back as placed: 10.00 + 5.00 USD is 8.61 + 4.31 = 12.92 EUR.
			if _, err := raw.Exec(`UPDATE orders SET base_rate = '1/1.1612', base_subtotal = 861, base_total = 1292`); err != nil {
				t.Fatal(err)
			}
		}
		storetest.AssertInvariants(t, db)
	})
}
