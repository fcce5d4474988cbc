package store

import (
	"context"
	"fmt"

	"github.com/omshq/oms/internal/store/inventory"
	"github.com/omshq/oms/internal/store/lifecycle"
	"github.com/omshq/oms/internal/store/orders"
)

// CancelOpenUnitForTest is a write path with no report code: it cancels
// one open (unallocated) unit of the order's line through the ordinary
// seam — the order locked to change it, its rows updated — as a new write
// path would.
func CancelOpenUnitForTest(ctx context.Context, db *DB, ref string, line int) error {
	return db.Update(ctx, func(tx *Tx) error {
		_, ids, err := tx.Order(ctx, ref, true)
		if err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE order_lines SET qty_open = qty_open - 1, qty_cancelled = qty_cancelled + 1
WHERE order_seq = $1 AND position = $2 AND qty_open > 0`, ids.Seq, line)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return fmt.Errorf("line %d of %s has no open unit", line, ref)
		}
		_, err = tx.ExecContext(ctx, "UPDATE orders SET version = version + 1 WHERE seq = $1", ids.Seq)
		return err
	})
}

// MoveStockForTest is a write path with no report code: it moves stock
// through the ordinary seam (apply), writing no event.
func MoveStockForTest(ctx context.Context, db *DB, sku, location, kind string, delta int64) error {
	return db.Update(ctx, func(tx *Tx) error {
		itemID, locID, err := inventory.ItemAndLocation(ctx, stockTx{lifecycle.TxOf(tx)}, sku, location)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, orders.EnsureBalance, itemID, locID, tx.Now()); err != nil {
			return err
		}
		_, err = tx.Apply(ctx, orders.Move{ItemID: itemID, LocationID: locID, SKU: sku, Location: location, Kind: kind,
			Delta: delta, Actor: "test"})
		return err
	})
}
