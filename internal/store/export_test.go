package store

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
	"time"

	"github.com/omshq/oms/internal/store/sqldb"
)

// RawForTest exposes the write pool so that tests can break invariants behind
// the store's back.
func RawForTest(db *DB) *sql.DB { return db.Write }

// OpenAtVersionForTest migrates the database named by dsn up to schema
// version only and returns its write pool and a function that closes it,
// so that a test can write rows as an older oms would have.
func OpenAtVersionForTest(ctx context.Context, dsn string, version int64) (*sql.DB, func(), error) {
	s, err := sqldb.Open(dsn, sqldb.Options{})
	if err != nil {
		return nil, nil, err
	}
	db := newDB(s, nil)
	if err := db.migrateTo(ctx, version); err != nil {
		s.Close()
		return nil, nil, err
	}
	return db.Write, func() { s.Close() }, nil
}

// RollForTest moves the report rollups' watermark to day, through the
// feed reader (reports.Reports.Roll): the days before it go to their week
// and month rows at the next fold.
func RollForTest(ctx context.Context, db *DB, day time.Time) error {
	return db.feed.(interface {
		Roll(context.Context, time.Time) error
	}).Roll(ctx, day)
}

// QueuedForTest is how many orders wait for the order writers.
func QueuedForTest(db *DB) int { return db.Queued() }

// SetBatchTimeoutForTest changes the deadline of an order batch.
func SetBatchTimeoutForTest(db *DB, d time.Duration) { db.SetBatchTimeout(d) }

// openTempSQLite opens a fresh SQLite database for the test, without the
// background folder.
func openTempSQLite(t *testing.T) *DB {
	t.Helper()
	db, err := Open(context.Background(), filepath.Join(t.TempDir(), "oms.db"), Options{FoldEvery: -1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}
