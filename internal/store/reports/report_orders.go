package reports

import (
	"context"
	"fmt"

	"github.com/omshq/oms"
)

// The order reports read the rollups that oms.Contribute fills: every
// figure of an order counts on the UTC day it was placed.

// The rollup_sales measures the reports read, by name.
const (
	mOrders = iota
	mUnits
	mCancelledUnits
	mShippedUnits
	mReturnedUnits
	mGross
	mDiscounts
	mCancellations
	mReturns
	mTax
	mShipping
	mCost
	mCostMissing
	mUnconverted
	mBackordered
	mSplit
	mRefundReturn
	mRefundManual
	mRefundAppeasement
	mRestocked
	mOtherBase
)

// salesSums are the rollup_sales sums for the measures above. Money is in
// the report's base currency, of the orders placed under it alone; the
// orders placed under another (mOtherBase) count in orders and units only,
// like those not converted yet (mUnconverted). Money is in each order's own
// currency, of every order, when original: by currency, or with no base
// currency set.
func salesSums(r *resolved) []measure {
	original := r.By == "currency" || r.base == ""
	money := func(c string) measure {
		if original {
			return measure{col: c}
		}
		return measure{col: "base_" + c, base: "="}
	}
	inBase := func(c string) measure {
		if original {
			return measure{col: c}
		}
		return measure{col: c, base: "="}
	}
	ms := plain("orders", "units", "units_cancelled", "units_shipped", "units_returned")
	ms = append(ms, money("gross"), money("discounts"), money("cancellations"), money("returns"), money("tax"),
		money("shipping"), inBase("cost"), inBase("cost_missing"), inBase("unconverted"))
	ms = append(ms, plain("backordered", "split")...)
	ms = append(ms, money("refund_return"), money("refund_manual"), money("refund_appeasement"), measure{col: "units_restocked"},
		measure{col: "orders", base: "<>"})
	return ms
}

// Which rollup_sales rows hold what: the orders' own figures, their orders
// by shipping location (with the split and backorder flags), and their
// lines (see lineRowsFor).
const (
	orderRows    = "orders"
	locationRows = "locations"
	lineRows     = "lines"
)

// lineRowsFor picks, of the three ways the lines' figures are kept, the one
// with the fewest rows that still answers the query: by SKU over all
// locations, by location over all SKUs, or by SKU and location.
func lineRowsFor(r *resolved) (rows []pred, item, loc string) {
	bySKU := r.item != 0 || r.By == "sku"
	byLoc := r.location != 0 || r.By == "location"
	switch {
	case bySKU && byLoc:
		return []pred{{"item_id", ">", 0}, {"location_id", ">=", 0}}, "item_id", "location_id"
	case bySKU:
		return []pred{{"item_id", ">", 0}, {"location_id", "=", -1}}, "item_id", ""
	}
	return []pred{{"item_id", "=", -1}}, "", "location_id"
}

// byDocs describe the breakdown columns.
var byDocs = map[string]string{
	"channel":  "the channel's code",
	"sku":      "the SKU",
	"location": "the code of the location the units ship from; empty for units not at a location (waiting for stock, or cancelled)",
	"currency": "the orders' own currency: money in this row is in it",
	"reason":   "the reason given for the return",
}

// salesRead reads rollup_sales for the query: the rows that carry the
// breakdown and filters asked for.
func (tx *txn) salesRead(ctx context.Context, r *resolved, rows, dim string) (sums, error) {
	item, loc := "", ""
	var where []pred
	switch rows {
	case lineRows:
		where, item, loc = lineRowsFor(r)
	case locationRows:
		where, loc = []pred{{"item_id", "=", 0}, {"location_id", ">", 0}}, "location_id"
	default:
		where = []pred{{"item_id", "=", 0}, {"location_id", "=", 0}}
	}
	return tx.read(ctx, r, rollupRead{table: "rollup_sales", dims: dimsOf(dim), where: append(r.filterPreds("channel_id", item, loc), where...),
		sums: salesSums(r)})
}

// dimColumn is the rollup column of the query's breakdown.
func dimColumn(by string) string {
	switch by {
	case "channel":
		return "channel_id"
	case "sku":
		return "item_id"
	case "location":
		return "location_id"
	case "currency", "reason":
		return by
	}
	return ""
}

// SalesReport answers the sales report: orders, units, gross sales,
// discounts, cancellations, returns, net sales, tax, shipping and average
// order value by period, and by channel, SKU, location or currency. It
// returns EINVALID naming the field for an unknown filter or breakdown.
func (db *Reports) SalesReport(ctx context.Context, q oms.ReportQuery) (*oms.Report, error) {
	var rep *oms.Report
	err := db.rollupView(ctx, func(tx *txn) error {
		r, err := tx.resolve(ctx, q, []string{"channel", "sku", "location", "currency"}, "channel location sku")
		if err != nil {
			return err
		}
		rep = r.newReport("sales", true)
		if r.By == "currency" {
			rep.Currency = ""
		}
		rep.Columns = append(rep.Columns, salesColumns...)
		byLines := r.By == "sku" || r.By == "location" || r.item != 0 || r.location != 0
		rows := orderRows
		if byLines {
			rows = lineRows
		}
		money, err := tx.salesRead(ctx, r, rows, dimColumn(r.By))
		if err != nil {
			return err
		}
		for _, c := range cells(money) {
			n := money.get(c, mOrders)
			net := money.get(c, mGross) - money.get(c, mDiscounts) - money.get(c, mCancellations) - money.get(c, mReturns)
			var shipping any
			if !byLines {
				shipping = money.get(c, mShipping)
			}
			r.row(rep, c, n, money.get(c, mUnits), money.get(c, mGross), money.get(c, mDiscounts), money.get(c, mCancellations),
				money.get(c, mReturns), net, money.get(c, mTax), shipping, average(net, n))
		}
		if r.By != "currency" {
			unconvertedNote(rep, money)
		}
		if err := tx.unknownAmountsNote(ctx, r, rep); err != nil {
			return err
		}
		if byLines {
			rep.Notes = append(rep.Notes, "by SKU or location, shipping (charged per order) is not split, and tax is the lines' (without shipping's)")
		}
		return nil
	})
	return rep, err
}

// selectUnknownAmounts counts the orders placed in a range whose amounts
// are unknown, through their own small index.
const selectUnknownAmounts = `
SELECT COUNT(*) FROM orders o WHERE o.amounts_unknown AND o.placed_at >= $1 AND o.placed_at < $2
    AND ($3 = 0 OR o.channel_id = $3)
    AND ($4 = 0 OR EXISTS (SELECT 1 FROM order_lines l WHERE l.order_seq = o.seq AND l.item_id = $4))`

// unknownAmountsNote says how many of the report's orders came without
// amounts. Such an order was cancelled before oms saw it: it counts in
// orders and units (all cancelled) but adds nothing to any amount — not 0
// to gross sales and cancellations, which would be as wrong as any other
// figure; its net sales, like any cancelled order's, are 0 either way. Its
// units are at no location, so a location filter leaves it out.
func (tx *txn) unknownAmountsNote(ctx context.Context, r *resolved, rep *oms.Report) error {
	if r.location != 0 {
		return nil
	}
	var n int64
	err := tx.QueryRowContext(ctx, selectUnknownAmounts, oms.DayOf(r.Range.From), dayCeil(r.Range.To), r.channel, r.item).Scan(&n)
	if err != nil || n == 0 {
		return err
	}
	rep.Notes = append(rep.Notes, fmt.Sprintf("%d orders were cancelled on their channel before oms saw them, and the channel "+
		"stated no amounts (amounts_unknown): they count in orders and units but in no amount, cancellations included", n))
	return nil
}

// average is total ÷ n rounded half away from zero, or nil when n is 0.
func average(total, n int64) any {
	if n == 0 {
		return nil
	}
	q, r := total/n, total%n
	if 2*abs(r) >= n {
		if total < 0 {
			q--
		} else {
			q++
		}
	}
	return q
}

func abs(n int64) int64 {
	if n < 0 {
		return -n
	}
	return n
}

var salesColumns = []oms.ReportColumn{
	{Name: "orders", Type: oms.ColInteger, Doc: "orders placed; by SKU, the orders with a line of it; by location, the orders with units at or shipped from it (for location \"\", with units waiting for stock or cancelled)"},
	{Name: "units", Type: oms.ColInteger, Doc: "units ordered, cancelled ones included"},
	{Name: "gross_sales", Type: oms.ColMoney, Doc: "the lines' subtotals (quantity × unit price, before discounts), as priced (tax-inclusive prices include their tax)"},
	{Name: "discounts", Type: oms.ColMoney, Doc: "the lines' discounts"},
	{Name: "cancellations", Type: oms.ColMoney, Doc: "the value of cancelled units: (subtotal − discount) × cancelled ÷ quantity, per line, rounded down"},
	{Name: "returns", Type: oms.ColMoney, Doc: "the value of units received back: (subtotal − discount) × returned ÷ quantity, per line, rounded down"},
	{Name: "net_sales", Type: oms.ColMoney, Doc: "gross_sales − discounts − cancellations − returns"},
	{Name: "tax", Type: oms.ColMoney, Doc: "tax of the orders (of their lines and shipping); by SKU or location, of the lines only"},
	{Name: "shipping", Type: oms.ColMoney, Doc: "shipping charged; empty by SKU or location"},
	{Name: "average_order_value", Type: oms.ColMoney, Doc: "net_sales ÷ orders, rounded half away from zero; empty without orders"},
}

// MarginReport answers the margin report: units sold, net sales, cost of
// goods sold, margin and margin rate by period and by SKU (the default),
// channel or location. It returns EINVALID naming the field for an unknown
// filter or breakdown.
func (db *Reports) MarginReport(ctx context.Context, q oms.ReportQuery) (*oms.Report, error) {
	var rep *oms.Report
	err := db.rollupView(ctx, func(tx *txn) error {
		if q.By == "" {
			q.By = "sku"
		}
		r, err := tx.resolve(ctx, q, []string{"sku", "channel", "location"}, "channel location sku")
		if err != nil {
			return err
		}
		rep = r.newReport("margin", true)
		rep.Columns = append(rep.Columns, marginColumns...)
		s, err := tx.salesRead(ctx, r, lineRows, dimColumn(r.By))
		if err != nil {
			return err
		}
		for _, c := range cells(s) {
			net := s.get(c, mGross) - s.get(c, mDiscounts) - s.get(c, mCancellations) - s.get(c, mReturns)
			cost := s.get(c, mCost)
			sold := s.get(c, mUnits) - s.get(c, mCancelledUnits) - s.get(c, mReturnedUnits)
			r.row(rep, c, sold, net, cost, net-cost, oms.Ratio(net-cost, net))
		}
		unconvertedNote(rep, s)
		if n := s.total(mCostMissing); n > 0 {
			rep.Notes = append(rep.Notes, fmt.Sprintf("%d units have a unit cost in a currency that could not be converted to the base currency, or too large to multiply by their units: their cost is left out", n))
		}
		return nil
	})
	return rep, err
}

var marginColumns = []oms.ReportColumn{
	{Name: "units_sold", Type: oms.ColInteger, Doc: "units ordered − cancelled − returned"},
	{Name: "net_sales", Type: oms.ColMoney, Doc: "gross sales − discounts − cancellations − returns (as in the sales report)"},
	{Name: "cost_of_goods", Type: oms.ColMoney, Doc: "unit cost at the time of sale × units kept or lost: ordered − cancelled − returned to stock (units returned and scrapped stay a cost)"},
	{Name: "margin", Type: oms.ColMoney, Doc: "net_sales − cost_of_goods"},
	{Name: "margin_rate", Type: oms.ColRatio, Doc: "margin ÷ net_sales; empty when net_sales is 0"},
}

const reportSettingsKey = "reports"

// ReportSettings returns the report settings.
func (db *Reports) ReportSettings(ctx context.Context) (oms.ReportSettings, error) {
	var s oms.ReportSettings
	err := db.view(ctx, func(tx *txn) (err error) {
		s, err = tx.reportSettings(ctx)
		return err
	})
	return s, err
}

func (tx *txn) reportSettings(ctx context.Context) (oms.ReportSettings, error) {
	s := oms.ReportSettings{ShipPromiseHours: oms.DefaultShipPromiseHours}
	return s, tx.Setting(ctx, reportSettingsKey, &s)
}

// PutReportSettings replaces the report settings. It returns EINVALID naming
// ship_promise_hours unless it is from 1 to 8760 (a year).
func (db *Reports) PutReportSettings(ctx context.Context, s oms.ReportSettings, by oms.Principal) error {
	if s.ShipPromiseHours < 1 || s.ShipPromiseHours > 8760 {
		return oms.Invalid("ship_promise_hours", "must be a whole number of hours from 1 to 8760")
	}
	return db.update(ctx, func(tx *txn) error { return tx.PutSetting(ctx, reportSettingsKey, s, by) })
}
