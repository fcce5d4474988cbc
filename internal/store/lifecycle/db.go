// Package lifecycle changes placed orders: edits, cancellations, holds,
// sourcing again after a rejection or when stock arrives, the
// fulfillments' moves on the floor, pickup expiry and the allocation of
// backorders. It works on the orders' tables and transaction
// (internal/store/orders); order placement (internal/store/placement)
// builds on it, and the store (internal/store) composes both.
package lifecycle

import (
	"context"

	"github.com/omshq/oms/internal/store/orders"
	"github.com/omshq/oms/internal/store/sqldb"
)

// DB is the orders' part of the store with what changes placed orders.
type DB struct{ *orders.DB }

// New is the lifecycle of orders over the orders' part of the store.
func New(o *orders.DB) *DB { return &DB{o} }

// Tx is the orders' transaction as the lifecycle uses it.
type Tx struct{ *orders.Tx }

// TxOf is the lifecycle's transaction over the orders' tx.
func TxOf(tx *orders.Tx) *Tx { return &Tx{tx} }

// update runs fn in a read-write transaction (orders.DB.Update).
func (db *DB) update(ctx context.Context, fn func(*Tx) error) error {
	return db.DB.Update(ctx, func(tx *orders.Tx) error { return fn(&Tx{tx}) })
}

// view runs fn in a read-only transaction (orders.DB.View).
func (db *DB) view(ctx context.Context, fn func(*Tx) error) error {
	return db.DB.View(ctx, func(tx *orders.Tx) error { return fn(&Tx{tx}) })
}

// column is a column of a set-based statement (sqldb.Column).
type column = sqldb.Column
