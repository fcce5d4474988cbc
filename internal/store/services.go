package store

import "github.com/omshq/oms"

// *DB implements every service of the root package.
var (
	_ oms.Orders       = (*DB)(nil)
	_ oms.Holds        = (*DB)(nil)
	_ oms.Inventory    = (*DB)(nil)
	_ oms.Fulfillments = (*DB)(nil)
	_ oms.Returns      = (*DB)(nil)
	_ oms.Customers    = (*DB)(nil)
	_ oms.Channels     = (*DB)(nil)
	_ oms.Keys         = (*DB)(nil)
	_ oms.Admin        = (*DB)(nil)
	_ oms.EventLog     = (*DB)(nil)
	_ oms.Idempotency  = (*DB)(nil)
	_ oms.Webhooks     = (*DB)(nil)
	_ oms.Users        = (*DB)(nil)
)

// Services returns the store as each of the root package's services, and
// its feed reader (Options.Feed) as the reports, when it serves them.
func (db *DB) Services() oms.Services {
	var reports oms.Reports
	if db != nil { // a nil store serves a route table alone
		reports, _ = db.Feed().(oms.Reports)
	}
	return oms.Services{Orders: db, Holds: db, Inventory: db, Fulfillments: db, Returns: db,
		Customers: db, Channels: db, Keys: db, Admin: db, EventLog: db, Idempotency: db, Webhooks: db, Users: db,
		Reports: reports}
}
