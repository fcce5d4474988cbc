package store

import (
	"context"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/store/export"
	"github.com/omshq/oms/internal/store/orders"
	"github.com/omshq/oms/internal/store/sqldb"
)

// exportHooks are what the exports need of the rest of the store: who sees
// which orders and locations, the lines' ids, and the filters' lookups.
func (db *DB) exportHooks() export.Hooks {
	return export.Hooks{OrderScope: orders.OrderScope, LocationScope: orders.LocationScope, LineID: orders.LineID,
		CheckFilters: func(ctx context.Context, stx *sqldb.Tx, p *oms.Problems, channel, location, sku string) error {
			_, _, _, err := db.TxOf(stx).ResolveFilters(ctx, p, channel, location, sku, orders.TakesAll)
			return err
		}}
}
