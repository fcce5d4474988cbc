// Package placement places orders: the order writers that take queued
// placements and run them in batches, a batch's planning and writes (the
// orders, their lines, reservations, ledger, events and search
// documents, the customers they name), the orders channels send in their
// own format, screening, and the currency conversion and taxes an order
// is placed with. It works on the orders' tables and transaction
// (internal/store/orders); the store (internal/store) composes it.
package placement

import (
	"context"
	"time"

	"github.com/omshq/oms/internal/store/lifecycle"
	"github.com/omshq/oms/internal/store/orders"
	"github.com/omshq/oms/internal/store/sqldb"
)

// DB is the orders' part of the store and their lifecycle, with the order
// writers.
type DB struct {
	*lifecycle.DB
	placer       *placer
	batchTimeout time.Duration
}

// New is placement over the orders' part of the store; the order writers
// start with StartPlacer.
func New(o *orders.DB) *DB { return &DB{DB: lifecycle.New(o), batchTimeout: batchTimeout} }

// Tx is the orders' transaction as placement uses it.
type Tx struct {
	*lifecycle.Tx
	// reservedAt is when the batch placed in the transaction sent its
	// reservation: from then to the commit it holds the stock.
	reservedAt time.Time
}

// update runs fn in a read-write transaction (orders.DB.Update).
func (db *DB) update(ctx context.Context, fn func(*Tx) error) error {
	return db.DB.Update(ctx, func(tx *orders.Tx) error { return fn(&Tx{Tx: lifecycle.TxOf(tx)}) })
}

// view runs fn in a read-only transaction (orders.DB.View).
func (db *DB) view(ctx context.Context, fn func(*Tx) error) error {
	return db.DB.View(ctx, func(tx *orders.Tx) error { return fn(&Tx{Tx: lifecycle.TxOf(tx)}) })
}

// column is a column of a set-based statement (sqldb.Column).
type column = sqldb.Column

func minutes(n int) time.Duration { return time.Duration(n) * time.Minute }
