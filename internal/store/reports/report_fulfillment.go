package reports

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/omshq/oms"
)

// FulfillmentReport answers the fulfillment report: fill rate, shipping and
// delivery times (median and p90), the on-time shipment rate against the
// ship promise, the split shipment rate and the backorder rate, by period
// and by channel or location. It returns EINVALID naming the field for an
// unknown filter or breakdown, and for a SKU filter (its figures are of
// orders and shipments, not SKUs).
func (db *Reports) FulfillmentReport(ctx context.Context, q oms.ReportQuery) (*oms.Report, error) {
	var rep *oms.Report
	err := db.rollupView(ctx, func(tx *txn) error {
		r, err := tx.resolve(ctx, q, []string{"channel", "location"}, "channel location")
		if err != nil {
			return err
		}
		set, err := tx.reportSettings(ctx)
		if err != nil {
			return err
		}
		rep = r.newReport("fulfillment", false)
		rep.Columns = append(rep.Columns, fulfillmentColumns(set.ShipPromiseHours)...)
		dim := dimColumn(r.By)
		units, err := tx.salesRead(ctx, r, lineRows, dim)
		if err != nil {
			return err
		}
		rows := orderRows
		if r.By == "location" || r.location != 0 {
			rows = locationRows
		}
		orders, err := tx.salesRead(ctx, r, rows, dim)
		if err != nil {
			return err
		}
		hist, err := tx.cycles(ctx, r, dim)
		if err != nil {
			return err
		}
		for _, c := range cells(units, orders, hist.cells()) {
			live := units.get(c, mUnits) - units.get(c, mCancelledUnits)
			shipped := units.get(c, mShippedUnits)
			n := orders.get(c, mOrders)
			sh, dl := hist[c][oms.CycleShipped[:1]], hist[c][oms.CycleDelivered[:1]]
			var onTime int64
			for h, k := range sh {
				if h < set.ShipPromiseHours {
					onTime += k
				}
			}
			r.row(rep, c, n, live, shipped, oms.Ratio(shipped, live), count(sh), pct(sh, 1, 2), pct(sh, 9, 10),
				oms.Ratio(onTime, count(sh)), count(dl), pct(dl, 1, 2), pct(dl, 9, 10),
				oms.Ratio(orders.get(c, mSplit), n), oms.Ratio(orders.get(c, mBackordered), n))
		}
		return nil
	})
	return rep, err
}

func fulfillmentColumns(promise int64) []oms.ReportColumn {
	return []oms.ReportColumn{
		{Name: "orders", Type: oms.ColInteger, Doc: "orders placed; by location, the orders with units at or shipped from it"},
		{Name: "units_ordered", Type: oms.ColInteger, Doc: "units ordered and not cancelled"},
		{Name: "units_shipped", Type: oms.ColInteger, Doc: "units shipped (or handed over at a pickup counter)"},
		{Name: "fill_rate", Type: oms.ColRatio, Doc: "units_shipped ÷ units_ordered"},
		{Name: "shipments", Type: oms.ColInteger, Doc: "shipments that shipped"},
		{Name: "ship_hours_median", Type: oms.ColInteger, Doc: "median hours from order placed to shipment shipped, in whole hours rounded down (whole days, as hours, from 240 hours)"},
		{Name: "ship_hours_p90", Type: oms.ColInteger, Doc: "90th percentile of the same"},
		{Name: "on_time_rate", Type: oms.ColRatio, Doc: fmt.Sprintf("shipments shipped less than the ship promise (%d hours; PUT /v1/settings/reports) after their order was placed ÷ shipments", promise)},
		{Name: "deliveries", Type: oms.ColInteger, Doc: "shipments delivered or picked up"},
		{Name: "delivery_hours_median", Type: oms.ColInteger, Doc: "median hours from order placed to shipment delivered or picked up (precision as ship_hours_median)"},
		{Name: "delivery_hours_p90", Type: oms.ColInteger, Doc: "90th percentile of the same"},
		{Name: "split_shipment_rate", Type: oms.ColRatio, Doc: "orders with units at or shipped from more than one location ÷ orders"},
		{Name: "backorder_rate", Type: oms.ColRatio, Doc: "orders some of whose units ever waited for stock ÷ orders"},
	}
}

// histograms are shipping-time counts per cell, by kind (s, d) and hours.
type histograms map[cell]map[string]map[int64]int64

func (h histograms) cells() sums {
	out := sums{}
	for c := range h {
		out[c] = nil
	}
	return out
}

// cycles reads the shipping-time histograms.
func (tx *txn) cycles(ctx context.Context, r *resolved, dim string) (histograms, error) {
	dims := []string{"kind"}
	if dim != "" {
		dims = []string{dim, "kind"} // "id:kind"
	}
	s, err := tx.read(ctx, r, rollupRead{table: "rollup_cycles", dims: dims, where: r.filterPreds("channel_id", "", "location_id"), sums: plain(bucketCols...)})
	if err != nil {
		return nil, err
	}
	out := histograms{}
	for c, v := range s {
		key, kind := cell{period: c.period}, c.dim
		if dim != "" {
			var id string
			id, kind, _ = strings.Cut(c.dim, ":")
			n, _ := strconv.ParseInt(id, 10, 64)
			key.dim = r.names[dim][n]
		}
		if out[key] == nil {
			out[key] = map[string]map[int64]int64{}
		}
		h := out[key][kind]
		if h == nil {
			h = map[int64]int64{}
			out[key][kind] = h
		}
		for i, n := range v {
			if n != 0 {
				h[oms.HourBuckets[i]] += n
			}
		}
	}
	return out, nil
}

func count(h map[int64]int64) int64 {
	var n int64
	for _, k := range h {
		n += k
	}
	return n
}

// pct is the num/den percentile of the histogram, or nil when it is empty.
func pct(h map[int64]int64, num, den int64) any {
	if b, ok := oms.Percentile(h, num, den); ok {
		return b
	}
	return nil
}

// ReturnsReport answers the returns report: units shipped and returned, the
// return rate, the value returned and refunds by kind, by period and by
// SKU, reason or channel. It returns EINVALID naming the field for an
// unknown filter or breakdown, and for a location filter.
func (db *Reports) ReturnsReport(ctx context.Context, q oms.ReportQuery) (*oms.Report, error) {
	var rep *oms.Report
	err := db.rollupView(ctx, func(tx *txn) error {
		r, err := tx.resolve(ctx, q, []string{"sku", "reason", "channel"}, "channel sku")
		if err != nil {
			return err
		}
		rep = r.newReport("returns", true)
		rep.Columns = append(rep.Columns, returnsColumns...)
		lineDim := dimColumn(r.By)
		if r.By == "reason" {
			lineDim = ""
		}
		lines, err := tx.salesRead(ctx, r, lineRows, lineDim)
		if err != nil {
			return err
		}
		refunds := sums{}
		withRefunds := r.item == 0 && (r.By == "" || r.By == "channel")
		if withRefunds {
			if refunds, err = tx.salesRead(ctx, r, orderRows, lineDim); err != nil {
				return err
			}
		}
		reasons := sums{}
		if r.By == "reason" {
			reasons, err = tx.read(ctx, r, rollupRead{table: "rollup_returns", dims: []string{"reason"},
				where: r.filterPreds("channel_id", "item_id", ""), sums: plain("units")})
			if err != nil {
				return err
			}
		}
		rowCells := cells(lines, refunds)
		if r.By == "reason" {
			rowCells = cells(reasons)
		}
		for _, c := range rowCells {
			shippedCell, returned := c, lines.get(c, mReturnedUnits)
			var value, rr, rm, ra, total any = lines.get(c, mReturns), nil, nil, nil, nil
			if r.By == "reason" {
				shippedCell.dim, returned, value = "", reasons.get(c, 0), nil
			}
			shipped := lines.get(shippedCell, mShippedUnits)
			if withRefunds {
				a, b, d := refunds.get(c, mRefundReturn), refunds.get(c, mRefundManual), refunds.get(c, mRefundAppeasement)
				rr, rm, ra, total = a, b, d, a+b+d
			}
			r.row(rep, c, shipped, returned, oms.Ratio(returned, shipped), value, rr, rm, ra, total)
		}
		unconvertedNote(rep, lines)
		if !withRefunds {
			rep.Notes = append(rep.Notes, "refunds are given per order, not per SKU or reason: see them by channel or without a breakdown")
		}
		return nil
	})
	return rep, err
}

var returnsColumns = []oms.ReportColumn{
	{Name: "units_shipped", Type: oms.ColInteger, Doc: "units shipped (units sold); by reason, of all reasons"},
	{Name: "units_returned", Type: oms.ColInteger, Doc: "units received back"},
	{Name: "return_rate", Type: oms.ColRatio, Doc: "units_returned ÷ units_shipped"},
	{Name: "returns", Type: oms.ColMoney, Doc: "the value of the units received back, as in the sales report; empty by reason"},
	{Name: "refunds_return", Type: oms.ColMoney, Doc: "refunds for returns"},
	{Name: "refunds_manual", Type: oms.ColMoney, Doc: "refunds given by hand (corrections)"},
	{Name: "refunds_appeasement", Type: oms.ColMoney, Doc: "goodwill credits"},
	{Name: "refunds_total", Type: oms.ColMoney, Doc: "all refunds; refund columns are empty by SKU or reason"},
}
