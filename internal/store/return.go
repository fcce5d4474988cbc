package store

import (
	"context"
	"errors"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/store/returns"
)

// Returns and refunds live in internal/store/returns (returns.Counter).
// They work in the store's transactions, so that what they change of an
// order or of stock is on the change feed: returnStore runs them, and
// returnTx is the orders and stock in one.
type returnStore struct{ db *DB }

func (s returnStore) Update(ctx context.Context, fn func(returns.Tx) error) error {
	return s.db.update(ctx, func(tx *Tx) error { return fn(returnTx{tx}) })
}

func (s returnStore) View(ctx context.Context, fn func(returns.Tx) error) error {
	return s.db.view(ctx, func(tx *Tx) error { return fn(returnTx{tx}) })
}

func (returnStore) OrderScope(p oms.Principal, o string, arg func(any) string) string {
	return orderScope(p, o, arg)
}

// returnTx is a store transaction as returns.Tx: the seam's statements,
// and the store's orders and stock.
type returnTx struct{ *Tx }

func (t returnTx) Order(ctx context.Context, ref string, lock bool) (*oms.Order, returns.Keys, error) {
	o, ids, err := t.order(ctx, ref, lock)
	return o, returns.Keys{Seq: ids.seq, Items: ids.items}, err
}

func (t returnTx) OrderHead(ctx context.Context, ref string, lock bool) (*oms.Order, int64, error) {
	o, err := t.orderHead(ctx, ref, lock)
	if err != nil {
		return nil, 0, err
	}
	return o.Order, o.ids.seq, nil
}

func (t returnTx) SaveLineQuantities(ctx context.Context, o *oms.Order, seq int64) error {
	return t.saveLineQuantities(ctx, o, seq)
}

func (t returnTx) ItemExists(ctx context.Context, sku string) error {
	_, _, err := t.item(ctx, sku)
	return err
}

func (t returnTx) Location(ctx context.Context, code string) (int64, error) {
	_, id, err := t.location(ctx, code)
	return id, err
}

func (t returnTx) Restock(ctx context.Context, r returns.Restock) (int64, error) {
	if _, err := t.ExecContext(ctx, ensureBalance, r.Item, r.Location, t.Now()); err != nil {
		return 0, err
	}
	e, err := t.apply(ctx, move{itemID: r.Item, locationID: r.Location, sku: r.SKU, location: r.LocationCode,
		kind: oms.MoveReturn, delta: r.Quantity, reference: r.Reference, orderID: r.OrderID, actor: r.Actor})
	return e.ID, err
}

func (t returnTx) AllocateWaiting(ctx context.Context, item int64, actor string) error {
	return t.allocateWaiting(ctx, item, actor)
}

func (t returnTx) PlaceExchange(ctx context.Context, d *oms.OrderDraft, actor string) (*oms.Order, int64, error) {
	p := &pending{draft: d, actor: actor, ctx: ctx, done: make(chan struct{})}
	if err := t.placeBatch(ctx, []*pending{p}, true, true); err != nil {
		return nil, 0, err
	}
	switch {
	case errors.Is(p.err, errDuplicate):
		return nil, 0, returns.ErrOrderExists
	case p.err != nil:
		return nil, 0, p.err
	}
	return p.order, p.ids.seq, nil
}

// orderLinks reads the orders an exchange ties to the order
// (returns.Links).
func orderLinks(ctx context.Context, q querier, seq int64) ([]oms.OrderLink, error) {
	return returns.Links(ctx, q, seq)
}

// returnRef parses a return id (returns.Number).
func returnRef(ref string) (int64, error) { return returns.Number(ref) }
