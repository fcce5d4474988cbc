package store

import (
	"context"

	"github.com/omshq/oms/internal/store/sqldb"
)

// maxAttempts bounds the retries of a transaction that lost a race.
const maxAttempts = sqldb.MaxAttempts

// Unit runs fn as one unit of work: every store call made with the context
// fn is given joins one write transaction, which commits when fn returns
// nil and is rolled back when it returns an error (which Unit returns) or
// panics. A transient conflict met by any of its calls runs fn again from
// the start, with a fresh transaction, so fn must be safe to run again and
// must not act outside the store before Unit returns. Order placement
// inside a unit runs in the unit's transaction, alone, rather than in a
// batch with other orders. fn makes its store calls one at a time. A Unit
// inside a unit joins it. (See sqldb.DB.Unit.)
func (db *DB) Unit(ctx context.Context, fn func(ctx context.Context) error) error {
	return db.SQL.Unit(ctx, fn)
}

// Fault steps: where Options.Fault is called (see sqldb's units of work).
// A unit's steps run in this order; StepPlaceBatch runs in every placement
// transaction.
const (
	// StepClaimed: an Idempotency-Key was claimed, the request's effect
	// not yet made.
	StepClaimed = sqldb.StepClaimed
	// StepEffect: the request's effect was made, its answer not yet
	// recorded under the key.
	StepEffect = sqldb.StepEffect
	// StepCommit: the unit's writes are done, not yet committed.
	StepCommit = sqldb.StepCommit
	// StepCommitted: the unit committed; its caller has not yet answered.
	StepCommitted = sqldb.StepCommitted
	// StepPlaceBatch: a batch of orders is being placed, in its
	// transaction, with the batch's deadline on the context.
	StepPlaceBatch = sqldb.StepPlaceBatch
	// StepLoadItems: items are about to be read into the catalog's cache
	// by SKU, one statement.
	StepLoadItems = sqldb.StepLoadItems
)
