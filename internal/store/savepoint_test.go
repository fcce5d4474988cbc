package store

import (
	"context"
	"testing"

	"github.com/omshq/oms"
)

// TestSavepoint proves a step that fails after writing leaves nothing
// behind, while what the transaction wrote before and after it commits.
func TestSavepoint(t *testing.T) {
	ctx := context.Background()
	db := openTempSQLite(t)
	set := func(tx *Tx, key string) error {
		_, err := tx.ExecContext(ctx, "INSERT INTO settings (key, value, updated_at) VALUES ($1, 'x', $2)", key, tx.Now())
		return err
	}
	err := db.Update(ctx, func(tx *Tx) error {
		if err := set(tx, "before"); err != nil {
			return err
		}
		err := tx.Savepoint(ctx, func() error {
			if err := set(tx, "undone"); err != nil {
				return err
			}
			return oms.Errorf(oms.ECONFLICT, "refused after writing")
		})
		if oms.ErrorCode(err) != oms.ECONFLICT {
			t.Errorf("savepoint returned %v, want the step's error", err)
		}
		if err := tx.Savepoint(ctx, func() error { return set(tx, "kept") }); err != nil {
			return err
		}
		return set(tx, "after")
	})
	if err != nil {
		t.Fatal(err)
	}
	for key, want := range map[string]int{"before": 1, "undone": 0, "kept": 1, "after": 1} {
		var n int
		if err := db.Read.QueryRowContext(ctx, "SELECT COUNT(*) FROM settings WHERE key = ?", key).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != want {
			t.Errorf("%s: %d rows, want %d", key, n, want)
		}
	}
}
