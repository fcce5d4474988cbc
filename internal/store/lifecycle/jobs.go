package lifecycle

import (
	"context"

	"github.com/omshq/oms"
)

// AllocateBackorders gives the item's unreserved stock to the orders
// waiting for it, oldest first, a hundred at most (and enqueues itself
// again when more may wait, see SetBackorderQueue).
func (db *DB) AllocateBackorders(ctx context.Context, itemID int64, by oms.Principal) error {
	return db.update(ctx, func(tx *Tx) error { return tx.AllocateWaiting(ctx, itemID, by.Actor()) })
}
