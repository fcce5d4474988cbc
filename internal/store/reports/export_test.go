package reports

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/omshq/oms/internal/store"
)

// FoldSomeForTest folds the oldest n pending rollup deltas, leaving the
// rest pending.
func FoldSomeForTest(ctx context.Context, db *store.DB, n int) error {
	r := Of(db)
	return r.update(ctx, func(tx *txn) error { _, err := tx.foldRollups(ctx, n); return err })
}

// RollForTest moves the report rollups' watermark to day: the days before
// it go to their week and month rows at the next fold.
func RollForTest(ctx context.Context, db *store.DB, day time.Time) error {
	return Of(db).Roll(ctx, day)
}

// open opens the database at dsn with the read model; the store is closed
// when the test ends.
func open(t testing.TB, ctx context.Context, dsn string, opt store.Options) *Reports {
	t.Helper()
	r := New()
	opt.Feed = r
	db, err := store.Open(ctx, dsn, opt)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return r
}

// openTempSQLite opens a fresh SQLite database with the folder held off.
func openTempSQLite(t *testing.T) *Reports {
	t.Helper()
	return open(t, context.Background(), filepath.Join(t.TempDir(), "oms.db"), store.Options{FoldEvery: -1})
}

// columnNames lists the columns' names, comma-separated.
func columnNames(cols []column) string {
	names := make([]string, len(cols))
	for i, c := range cols {
		names[i] = c.name
	}
	return strings.Join(names, ", ")
}
