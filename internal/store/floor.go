package store

import (
	"context"
	"database/sql"
	"time"

	"github.com/omshq/oms"
	fulfil "github.com/omshq/oms/internal/store/fulfillment"
	"github.com/omshq/oms/internal/store/lifecycle"
)

// The floor's work on fulfillments — moves, rejections, batches, a
// location's fulfillments and pick list, pickup expiry — lives in
// internal/store/fulfillment (fulfillment.Floor). It works in the store's
// transactions: an order's fulfillments are part of the order
// (fulfillment.go), and shipping, rejecting and cancelling move its stock
// and its allocation (fulfillment_ops.go, cancel.go, resource.go), so that
// all of it is on the change feed and in the reports. floorStore runs
// them, and floorTx lends the order mechanics.
type floorStore struct{ db *DB }

func (s floorStore) Update(ctx context.Context, fn func(fulfil.Tx) error) error {
	return s.db.Update(ctx, func(tx *Tx) error { return fn(floorTx{lifecycle.TxOf(tx)}) })
}

func (s floorStore) View(ctx context.Context, fn func(fulfil.Tx) error) error {
	return s.db.View(ctx, func(tx *Tx) error { return fn(floorTx{lifecycle.TxOf(tx)}) })
}

func (s floorStore) Read(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return s.db.Read.QueryContext(ctx, s.db.DB.Engine.Rebind(query), args...)
}

func (s floorStore) Now() time.Time { return s.db.Now() }

func (s floorStore) FulfillmentSettings(ctx context.Context) (oms.FulfillmentSettings, error) {
	return s.db.FulfillmentSettings(ctx)
}

// floorTx is a store transaction as fulfil.Tx.
type floorTx struct{ *lifecycle.Tx }

func (t floorTx) Fulfillments(ctx context.Context, where string, limit int, args ...any) ([]oms.Fulfillment, error) {
	fs, err := t.Tx.FulfillmentsLimit(ctx, where, limit, args...)
	return lifecycle.Plain(fs), err
}

func (t floorTx) OrderSeq(ctx context.Context, ref string) (int64, error) {
	h, err := t.Tx.OrderHead(ctx, ref, false)
	if err != nil {
		return 0, err
	}
	return h.IDs.Seq, nil
}

func (t floorTx) Location(ctx context.Context, code string) (int64, error) {
	_, id, err := t.Tx.Location(ctx, code)
	return id, err
}

func (t floorTx) Reject(ctx context.Context, id string, lines []oms.FulfillmentLine, reason, actor string) (*oms.Order, error) {
	number, err := t.Tx.Reject(ctx, id, lines, reason, actor)
	if err != nil {
		return nil, err
	}
	o, _, err := t.Tx.Order(ctx, number, false)
	return o, err
}
