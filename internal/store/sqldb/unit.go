package sqldb

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"time"
)

// A unit of work is one write transaction that several store calls share:
// the calls made with the context Unit hands its function join it, reads
// included, so they see what the unit wrote before them, and it commits
// once, at the end — all of it or none. The API runs a request that carries
// an Idempotency-Key as a unit, so that the request's effect and the answer
// stored under the key commit together: a server that dies in between
// leaves neither, and a retry runs the request again, or replays the answer
// it finds.
//
// Each call in a unit runs inside a savepoint: a call that fails undoes its
// own writes and nothing else, as if it had run in a transaction of its own.
// A transient conflict (PostgreSQL's 40001 and 40P01) cannot be retried
// call by call — the unit's earlier statements hold locks and read state
// the retry depends on — so it marks the unit, and Unit runs the whole
// function again.

// Fault steps: where Options.Fault is called. A unit's steps run in this
// order; StepPlaceBatch runs in every placement transaction.
const (
	// StepClaimed: an Idempotency-Key was claimed, the request's effect
	// not yet made.
	StepClaimed = "idempotency.claimed"
	// StepEffect: the request's effect was made, its answer not yet
	// recorded under the key.
	StepEffect = "idempotency.effect"
	// StepCommit: the unit's writes are done, not yet committed.
	StepCommit = "unit.commit"
	// StepCommitted: the unit committed; its caller has not yet answered.
	StepCommitted = "unit.committed"
	// StepPlaceBatch: a batch of orders is being placed, in its
	// transaction, with the batch's deadline on the context.
	StepPlaceBatch = "place.batch"
	// StepLoadItems: items are about to be read into the catalog's cache
	// by SKU, one statement, in a placement's or an edit's transaction.
	StepLoadItems = "catalog.load_items"
)

type unitKey struct{}

// unit is a unit of work under way.
type unit struct {
	db    *DB
	tx    *sql.Tx
	now   time.Time
	stmts *stmtCache
	// retry is the transient conflict one of the unit's calls met: the
	// unit ends and runs again.
	retry error
	// broken is set when the transaction can no longer be used.
	broken error
}

// unitOf returns the unit of work ctx carries for db, or nil.
func unitOf(ctx context.Context, db *DB) *unit {
	if u, ok := ctx.Value(unitKey{}).(*unit); ok && u.db == db {
		return u
	}
	return nil
}

// Unit runs fn as one unit of work: every store call made with the context
// fn is given joins one write transaction, which commits when fn returns
// nil and is rolled back when it returns an error (which Unit returns) or
// panics. A transient conflict met by any of its calls runs fn again from
// the start, with a fresh transaction, so fn must be safe to run again and
// must not act outside the store before Unit returns. Order placement
// inside a unit runs in the unit's transaction, alone, rather than in a
// batch with other orders. fn makes its store calls one at a time. A Unit
// inside a unit joins it.
func (db *DB) Unit(ctx context.Context, fn func(ctx context.Context) error) error {
	if unitOf(ctx, db) != nil {
		return fn(ctx)
	}
	return db.Retry(ctx, func() error { return db.tryUnit(ctx, fn) })
}

func (db *DB) tryUnit(ctx context.Context, fn func(ctx context.Context) error) error {
	stx, err := db.Write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	u := &unit{db: db, tx: stx, now: db.now().UTC().Truncate(time.Microsecond), stmts: db.stmtCache(db.Write)}
	if u.stmts != nil {
		defer u.stmts.prepareWanted(ctx, db.Write) // after the transaction ends: deferred first, runs last
	}
	committed := false
	defer func() {
		if !committed {
			stx.Rollback() // a panic too: as a crash would, it leaves nothing
		}
	}()
	err = fn(context.WithValue(ctx, unitKey{}, u))
	switch {
	case u.retry != nil:
		return u.retry
	case u.broken != nil:
		return u.broken
	case err != nil:
		return err
	}
	if err := db.Fault(ctx, StepCommit); err != nil {
		return err
	}
	if err := stx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	committed = true
	return db.Fault(ctx, StepCommitted)
}

// run runs fn, one store call, in the unit: inside a savepoint, so that a
// call that fails undoes its own writes only.
func (u *unit) run(ctx context.Context, fn func(*Tx) error) error {
	if u.retry != nil || u.broken != nil {
		return cmp.Or(u.retry, u.broken) // the unit ends without committing
	}
	tx := &Tx{tx: u.tx, db: u.db, now: u.now, stmts: u.stmts}
	if _, err := tx.ExecContext(ctx, "SAVEPOINT unit_call"); err != nil {
		return u.fail(err)
	}
	err := fn(tx)
	if err != nil {
		if _, rerr := tx.ExecContext(ctx, "ROLLBACK TO SAVEPOINT unit_call"); rerr != nil {
			return u.fail(rerr)
		}
	}
	if _, rerr := tx.ExecContext(ctx, "RELEASE SAVEPOINT unit_call"); rerr != nil {
		return u.fail(rerr)
	}
	if err != nil && u.db.Engine.Retryable(err) {
		u.retry = err
	}
	return err
}

// fail marks the unit's transaction unusable, or to be run again when err
// is a transient conflict, and returns err.
func (u *unit) fail(err error) error {
	if u.db.Engine.Retryable(err) {
		u.retry = err
	} else {
		u.broken = fmt.Errorf("unit of work: %w", err)
	}
	return err
}

// query and queryRow run the single-statement reads of the read pool in
// the unit, so that they see its writes.
func (u *unit) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	tx := &Tx{tx: u.tx, db: u.db, stmts: u.stmts}
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil && u.db.Engine.Retryable(err) {
		u.retry = err
	}
	return rows, err
}

func (u *unit) queryRow(ctx context.Context, query string, args ...any) *sql.Row {
	tx := &Tx{tx: u.tx, db: u.db, stmts: u.stmts}
	return tx.QueryRowContext(ctx, query, args...)
}

// Fault calls Options.Fault at the step, when set (DB.Fault).
func (tx *Tx) Fault(ctx context.Context, step string) error { return tx.db.Fault(ctx, step) }

// Fault calls Options.Fault at the step, when set.
func (db *DB) Fault(ctx context.Context, step string) error {
	if db.faults == nil {
		return nil
	}
	return db.faults(ctx, step)
}
