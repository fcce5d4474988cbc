package reports

import (
	"context"
	"time"

	"github.com/omshq/oms"
)

// inventoryColumns are the inventory report's columns.
var inventoryColumns = []oms.ReportColumn{
	{Name: "sku", Type: oms.ColText, Doc: "the item"},
	{Name: "location", Type: oms.ColText, Doc: "the location's code"},
	{Name: "on_hand", Type: oms.ColInteger, Doc: "units physically at the location"},
	{Name: "reserved", Type: oms.ColInteger, Doc: "units of on hand allocated to orders"},
	{Name: "safety_stock", Type: oms.ColInteger, Doc: "units held back from sale (the current setting: its history is not kept)"},
	{Name: "available", Type: oms.ColInteger, Doc: "on_hand − reserved − safety_stock, at least 0"},
	{Name: "unit_cost", Type: oms.ColMoney, Doc: "the item's unit cost: now, the current cost; in the past, the cost at the last movement on or before that day"},
	{Name: "stock_value", Type: oms.ColMoney, Doc: "on_hand × unit_cost"},
	{Name: "currency", Type: oms.ColText, Doc: "the currency of this row's money: the base currency, or the item's cost currency when it could not be converted"},
	{Name: "cost_currency", Type: oms.ColText, Doc: "the currency the item's cost is kept in"},
}

// InventoryReport returns on hand, reserved, available and stock value per
// SKU and location: now when q.At is zero (from the balances), else as they
// stood at q.At (from the stock rollup and the ledger). Values are converted
// into the base currency at the rates in force on the day described. It
// returns EINVALID naming sku or location when unknown, or channel, and
// ECONFLICT when a stock value does not fit in 64 bits (oms.TooLarge).
func (db *Reports) InventoryReport(ctx context.Context, q oms.ReportQuery) (*oms.Report, error) {
	rep := &oms.Report{Name: "inventory", Columns: inventoryColumns}
	err := db.rollupView(ctx, func(tx *txn) error {
		f, err := tx.stockFilter(ctx, q)
		if err != nil {
			return err
		}
		var rows map[[2]int64]*stockRow
		day := tx.now
		if q.At.IsZero() {
			rows, err = tx.stockRows(ctx, selectBalancesNow, f.item, f.location)
		} else {
			day = q.At.Add(-time.Nanosecond)
			rows, err = tx.stockAt(ctx, q.At, f)
			at := q.At.UTC()
			rep.To = &at
		}
		if err != nil {
			return err
		}
		money, err := tx.stockMoney(ctx, day)
		if err != nil {
			return err
		}
		rep.Currency = money.reportCurrency()
		for _, r := range sortedStock(rows) {
			value, err := oms.StockValue(r.sku, r.code, r.onHand, r.cost, r.currency)
			if err != nil {
				return err
			}
			cur, v := money.convert(r.currency, r.cost, value)
			rep.Row(r.sku, r.code, r.onHand, r.reserved, r.safety, oms.Available(r.onHand, r.reserved, r.safety),
				v[0], v[1], cur, r.currency)
		}
		rep.Notes = money.notes()
		return nil
	})
	if err != nil {
		return nil, err
	}
	return rep, nil
}
