package store

import (
	"context"
	"time"
)

// The engine seam as other packages use it: a write transaction with the
// store's retries, a statement outside any transaction, and the time a
// transaction runs at. Engine names the engine, for the SQL that differs.

// Update runs fn in a read-write transaction and commits it, running the
// whole of fn again when the engine reports a transient conflict
// (PostgreSQL's serialization failures and deadlocks, SQLite's busy
// database), so fn must be safe to run again. What fn changes is on the
// change feed like any other write of the store.
func (db *DB) Update(ctx context.Context, fn func(*Tx) error) error {
	return db.update(ctx, fn)
}

// Exec runs one statement on the writer, outside any transaction: for
// statements an engine refuses inside one (PRAGMA wal_checkpoint,
// CHECKPOINT).
func (db *DB) Exec(ctx context.Context, query string, args ...any) error {
	_, err := db.write.ExecContext(ctx, db.engine.rebind(query), args...)
	return err
}

// Now is the time the transaction runs at, from the store's clock.
func (tx *Tx) Now() time.Time { return tx.now }
