package store

import (
	"context"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/store/inventory"
	"github.com/omshq/oms/internal/store/lifecycle"
	"github.com/omshq/oms/internal/store/orders"
)

// The hand-made stock movements and the supply live in
// internal/store/inventory (inventory.Stockroom). They work in the store's
// transactions, so that their movements go through the ledger (apply) and
// are on the change feed: stockStore runs them, and stockTx is the
// catalog, ledger and waiting orders in one.
type stockStore struct{ db *DB }

func (s stockStore) Update(ctx context.Context, fn func(inventory.Tx) error) error {
	return s.db.Update(ctx, func(tx *Tx) error { return fn(stockTx{lifecycle.TxOf(tx)}) })
}

func (s stockStore) View(ctx context.Context, fn func(inventory.Tx) error) error {
	return s.db.View(ctx, func(tx *Tx) error { return fn(stockTx{lifecycle.TxOf(tx)}) })
}

func (stockStore) LocationScope(p oms.Principal, expr string, arg func(any) string) string {
	return orders.LocationScope(p, expr, arg)
}

func (s stockStore) SKUPage(col, after, prefix string, args []any) (string, []any) {
	return s.db.DB.Engine.SKUPage(col, after, prefix, args)
}

// stockTx is a store transaction as inventory.Tx.
type stockTx struct{ *lifecycle.Tx }

func (t stockTx) Item(ctx context.Context, sku string) (int64, error) {
	_, id, err := t.Tx.Item(ctx, sku)
	return id, err
}

func (t stockTx) Location(ctx context.Context, code string) (int64, error) {
	_, id, err := t.Tx.Location(ctx, code)
	return id, err
}

func (t stockTx) EnsureBalance(ctx context.Context, item, location int64) error {
	_, err := t.ExecContext(ctx, orders.EnsureBalance, item, location, t.Now())
	return err
}

func (t stockTx) LockBalance(ctx context.Context, item, location int64) (onHand, reserved int64, err error) {
	err = t.QueryRowContext(ctx, orders.SelectBalanceForCount+t.DB.Engine.ForUpdate, item, location).Scan(&onHand, &reserved)
	return onHand, reserved, err
}

func (t stockTx) Move(ctx context.Context, m inventory.Move) (oms.LedgerEntry, error) {
	return t.Apply(ctx, orders.Move{ItemID: m.Item, LocationID: m.Location, SKU: m.SKU, Location: m.LocationCode,
		Kind: m.Kind, Delta: m.Delta, Reference: m.Reference, Actor: m.Actor})
}
