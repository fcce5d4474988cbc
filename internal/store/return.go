package store

import (
	"context"
	"errors"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/store/lifecycle"
	"github.com/omshq/oms/internal/store/orders"
	"github.com/omshq/oms/internal/store/placement"
	"github.com/omshq/oms/internal/store/returns"
)

// Returns and refunds live in internal/store/returns (returns.Counter).
// They work in the store's transactions, so that what they change of an
// order or of stock is on the change feed: returnStore runs them, and
// returnTx is the orders and stock in one.
type returnStore struct{ db *DB }

func (s returnStore) Update(ctx context.Context, fn func(returns.Tx) error) error {
	return s.db.Update(ctx, func(tx *Tx) error { return fn(returnTx{lifecycle.TxOf(tx)}) })
}

func (s returnStore) View(ctx context.Context, fn func(returns.Tx) error) error {
	return s.db.View(ctx, func(tx *Tx) error { return fn(returnTx{lifecycle.TxOf(tx)}) })
}

func (returnStore) OrderScope(p oms.Principal, o string, arg func(any) string) string {
	return orders.OrderScope(p, o, arg)
}

// returnTx is a store transaction as returns.Tx: the seam's statements,
// and the store's orders and stock.
type returnTx struct{ *lifecycle.Tx }

func (t returnTx) Order(ctx context.Context, ref string, lock bool) (*oms.Order, returns.Keys, error) {
	o, ids, err := t.Tx.Order(ctx, ref, lock)
	return o, returns.Keys{Seq: ids.Seq, Items: ids.Items}, err
}

func (t returnTx) OrderHead(ctx context.Context, ref string, lock bool) (*oms.Order, int64, error) {
	o, err := t.Tx.OrderHead(ctx, ref, lock)
	if err != nil {
		return nil, 0, err
	}
	return o.Order, o.IDs.Seq, nil
}

func (t returnTx) ItemExists(ctx context.Context, sku string) error {
	_, _, err := t.Tx.Item(ctx, sku)
	return err
}

func (t returnTx) Location(ctx context.Context, code string) (int64, error) {
	_, id, err := t.Tx.Location(ctx, code)
	return id, err
}

func (t returnTx) Restock(ctx context.Context, r returns.Restock) (int64, error) {
	if _, err := t.ExecContext(ctx, orders.EnsureBalance, r.Item, r.Location, t.Now()); err != nil {
		return 0, err
	}
	e, err := t.Apply(ctx, orders.Move{ItemID: r.Item, LocationID: r.Location, SKU: r.SKU, Location: r.LocationCode,
		Kind: oms.MoveReturn, Delta: r.Quantity, Reference: r.Reference, OrderID: r.OrderID, Actor: r.Actor})
	return e.ID, err
}

func (t returnTx) PlaceExchange(ctx context.Context, d *oms.OrderDraft, actor string) (*oms.Order, int64, error) {
	p := &orders.Pending{Draft: d, Actor: actor, Ctx: ctx, Done: make(chan struct{})}
	if err := (&placement.Tx{Tx: t.Tx}).PlaceBatch(ctx, []*orders.Pending{p}, true, true); err != nil {
		return nil, 0, err
	}
	switch {
	case errors.Is(p.Err, placement.ErrDuplicate):
		return nil, 0, returns.ErrOrderExists
	case p.Err != nil:
		return nil, 0, p.Err
	}
	return p.Order, p.IDs.Seq, nil
}
