package store

import (
	"context"
	"path/filepath"
	"testing"
)

// TestStmtCache proves the SQLite writer prepares a statement it runs
// again and again, and then runs it prepared, with the same results.
func TestStmtCache(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "oms.db"), Options{FoldEvery: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for i := range 4 {
		var n int
		err := db.update(ctx, func(tx *Tx) error {
			in, args := tx.db.engine.inList("seq", "bigint", []any{int64(1), int64(2), int64(i)}, nil)
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
