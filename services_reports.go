package oms

import (
	"context"
	"time"
)

// ReportQuery is what a report is asked for: a date range (required), how
// to group time, and filters; each report uses those that make sense for it
// and says which in its description.
type ReportQuery struct {
	Range    Range
	Period   Period // default day
	Channel  string // channel code
	Location string // location code
	SKU      string
	By       string // the dimension to break figures down by, where the report offers one
	// At is the moment a point-in-time report (inventory) describes; zero: now.
	At time.Time
}

// ReportSettings are the settings of the reports.
type ReportSettings struct {
	// ShipPromiseHours is the promise the fulfillment report's on-time rate
	// measures against: a shipment is on time when it ships less than this
	// many hours after its order was placed.
	ShipPromiseHours int64 `json:"ship_promise_hours"`
}

// DefaultShipPromiseHours is the ship promise until one is set.
const DefaultShipPromiseHours = 48

// Reports is the reporting read model: the reports the API serves, read
// from rollups that every change to an order or to stock keeps, their
// settings, and the upkeep of the rollups (folding, rebuilding, checking).
type Reports interface {
	// SalesReport is the sales of the range by period: orders, units and
	// money, optionally broken down by channel, SKU, location or currency.
	SalesReport(ctx context.Context, q ReportQuery) (*Report, error)
	// MarginReport is gross margin by SKU, channel or location.
	MarginReport(ctx context.Context, q ReportQuery) (*Report, error)
	// FulfillmentReport is how fast orders shipped and were delivered, and
	// how many shipped within the ship promise.
	FulfillmentReport(ctx context.Context, q ReportQuery) (*Report, error)
	// ReturnsReport is the units returned and why.
	ReturnsReport(ctx context.Context, q ReportQuery) (*Report, error)
	// InventoryReport is the stock and its value at a moment (q.At).
	InventoryReport(ctx context.Context, q ReportQuery) (*Report, error)
	// TurnoverReport is stock turnover and days of cover by SKU, with the
	// items that sold nothing for deadDays flagged dead stock.
	TurnoverReport(ctx context.Context, q ReportQuery, deadDays int) (*Report, error)
	// StockoutReport is the days items were out of stock and the units
	// backordered meanwhile.
	StockoutReport(ctx context.Context, q ReportQuery) (*Report, error)

	// ReportSettings returns the report settings.
	ReportSettings(ctx context.Context) (ReportSettings, error)
	// PutReportSettings replaces the report settings. It returns EINVALID
	// naming ship_promise_hours unless it is from 1 to 8760 (a year).
	PutReportSettings(ctx context.Context, s ReportSettings, by Principal) error

	// FoldReports adds every pending rollup delta to the rollup tables:
	// the order rollups' and the stock rollup's.
	FoldReports(ctx context.Context) error
	// OldestPendingFold returns, for each journal of rollup deltas (the
	// order rollups', then the stock rollup's), the id of its oldest delta
	// not yet folded, 0 when none waits.
	OldestPendingFold(ctx context.Context) ([2]int64, error)
	// RebuildReports recomputes every rollup from the orders and the
	// ledger, calling progress as it goes (progress may be nil).
	RebuildReports(ctx context.Context, progress func(name string, done, total int64)) error
	// CheckReports adds to r what is wrong with the rollups: each one
	// recomputed from the orders and the ledger must equal what the reports
	// read.
	CheckReports(ctx context.Context, r *CheckReport) error
}
