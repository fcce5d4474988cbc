package store

import (
	"time"

	"github.com/omshq/oms"
)

// ReportQuery is what a report is asked for: a date range (required), how
// to group time, and filters; each report uses those that make sense for it
// and says which in its description.
type ReportQuery struct {
	Range    oms.Range
	Period   oms.Period // default day
	Channel  string     // channel code
	Location string     // location code
	SKU      string
	By       string // the dimension to break figures down by, where the report offers one
	// At is the moment a point-in-time report (inventory) describes; zero: now.
	At time.Time
}
