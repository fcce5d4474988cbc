package store

import (
	"context"

	"github.com/omshq/oms/internal/store/fxrates"
	"github.com/omshq/oms/internal/store/sqldb"
)

// updateRebasing is the store's write transaction as an import of exchange
// rates runs it (fxrates.Writer): the orders it rebases go on the change feed.
func (db *DB) updateRebasing(ctx context.Context, fn func(*sqldb.Tx, fxrates.Rebased) error) error {
	return db.Update(ctx, func(tx *Tx) error { return fn(tx.Tx, tx.OrdersRebased) })
}
