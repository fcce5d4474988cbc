package store

import (
	"context"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/store/check"
)

// The invariant check (Check, Counts) lives in internal/store/check
// (check.Auditor). It reads one snapshot of the store, which checkStore
// opens, and checkTx lends it the change feed's reader, whose read models
// are checked in the same snapshot.
type checkStore struct{ db *DB }

func (s checkStore) Snapshot(ctx context.Context, fn func(check.Tx) error) error {
	return s.db.Snapshot(ctx, true, func(tx *Tx) error { return fn(checkTx{tx}) })
}

// checkTx is a store transaction as check.Tx.
type checkTx struct{ *Tx }

func (t checkTx) CheckFeed(ctx context.Context, r *oms.CheckReport) error {
	return t.DB.Feed().Check(ctx, t.Tx, r)
}
