package sqldb

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
)

// TestStmtCache proves the SQLite writer prepares a statement it runs
// again and again, and then runs it prepared, with the same results.
func TestStmtCache(t *testing.T) {
	ctx := context.Background()
	db := openTempSQLite(t)
	for i := range 4 {
		var n int
		err := db.Update(ctx, func(tx *Tx) error {
			in, args := tx.db.Engine.InList("seq", "bigint", []any{int64(1), int64(2), int64(i)}, nil)
			if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM orders WHERE "+in, args...).Scan(&n); err != nil {
				return err
			}
			_, err := tx.ExecContext(ctx, "INSERT INTO settings (key, value, updated_at) VALUES ($1, $2, $3) ON CONFLICT (key) DO UPDATE SET value = excluded.value", "test", "x", tx.now)
			return err
		})
		if err != nil || n != 0 {
			t.Fatalf("run %d: %d, %v", i, n, err)
		}
	}
	db.stmts.mu.Lock()
	defer db.stmts.mu.Unlock()
	if len(db.stmts.stmts) < 2 {
		t.Errorf("%d statements prepared after four runs of two: %v", len(db.stmts.stmts), db.stmts.stmts)
	}
}

// TestReadStmtCache proves the SQLite read pool prepares the reads it runs
// again and again, outside a transaction and in one, and that a prepared
// read sees what was committed after it was prepared and holds no snapshot
// between runs: the log can still be checkpointed to nothing.
func TestReadStmtCache(t *testing.T) {
	ctx := context.Background()
	db := openTempSQLite(t)
	set := func(v string) {
		t.Helper()
		err := db.Update(ctx, func(tx *Tx) error {
			_, err := tx.ExecContext(ctx, "INSERT INTO settings (key, value, updated_at) VALUES ($1, $2, $3) ON CONFLICT (key) DO UPDATE SET value = excluded.value", "test", v, tx.now)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	const (
		outside = "SELECT value FROM settings WHERE key = $1"
		inside  = "SELECT value || '' FROM settings WHERE key = $1"
	)
	read := func() (a, b string) {
		t.Helper()
		if err := db.ReadPool().QueryRowContext(ctx, outside, "test").Scan(&a); err != nil {
			t.Fatal(err)
		}
		err := db.View(ctx, func(tx *Tx) error { return tx.QueryRowContext(ctx, inside, "test").Scan(&b) })
		if err != nil {
			t.Fatal(err)
		}
		return a, b
	}
	for i := range 4 {
		v := fmt.Sprintf("v%d", i)
		set(v)
		if a, b := read(); a != v || b != v {
			t.Fatalf("run %d: read %q outside a transaction and %q in one, want %q", i, a, b, v)
		}
	}
	db.readStmts.mu.Lock()
	for _, q := range []string{outside, inside} {
		if db.readStmts.stmts[db.Engine.Rebind(q)] == nil {
			t.Errorf("%q is not prepared after four runs", q)
		}
	}
	db.readStmts.mu.Unlock()
	// The background checkpointer would make a checkpoint that starts
	// while its own runs answer busy before looking at any reader: stop it,
	// so that busy here can only mean a snapshot held.
	if err := db.checkpoints.Close(); err != nil {
		t.Fatal(err)
	}
	db.checkpoints = nil
	var busy, log, done int
	if err := db.Write.QueryRowContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)").Scan(&busy, &log, &done); err != nil || busy != 0 || log != 0 {
		t.Errorf("checkpoint after prepared reads: busy %d, log %d frames (%v); a prepared read holds a snapshot", busy, log, err)
	}
}

// TestReadStmtCacheConcurrent runs the same reads from many goroutines at
// once, so that a text is noted, prepared and used by several of them at
// the same moment: none may find its prepared statement closed under it.
func TestReadStmtCacheConcurrent(t *testing.T) {
	ctx := context.Background()
	db := openTempSQLite(t)
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for g := range 16 {
		wg.Go(func() {
			for i := range 300 {
				var n int
				// A few texts, each new to the cache in turn, in step across
				// the goroutines.
				q := fmt.Sprintf("SELECT COUNT(*) + %d FROM settings WHERE key <> $1", i/3)
				err := db.ReadPool().QueryRowContext(ctx, q, "x").Scan(&n)
				if err == nil {
					err = db.View(ctx, func(tx *Tx) error { return tx.QueryRowContext(ctx, q, "y").Scan(&n) })
				}
				if err != nil {
					errs <- fmt.Errorf("goroutine %d, read %d: %w", g, i, err)
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

// openTempSQLite opens a fresh SQLite database for the test, migrated.
func openTempSQLite(t *testing.T) *DB {
	t.Helper()
	db, err := Open(filepath.Join(t.TempDir(), "oms.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Migrate(context.Background(), 0, nil); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}
