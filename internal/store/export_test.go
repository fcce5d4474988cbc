package store

import (
	"context"
	"database/sql"
	"time"
)

// RawForTest exposes the write pool so that tests can break invariants behind
// the store's back.
func RawForTest(db *DB) *sql.DB { return db.write }

// OpenAtVersionForTest migrates the database named by dsn up to schema
// version only and returns its write pool and a function that closes it,
// so that a test can write rows as an older oms would have.
func OpenAtVersionForTest(ctx context.Context, dsn string, version int64) (*sql.DB, func(), error) {
	db := &DB{feed: nopFeed{}}
	var err error
	if IsPostgres(dsn) {
		err = db.openPostgres(dsn, Options{})
	} else {
		err = db.openSQLite(dsn, Options{})
	}
	if err != nil {
		return nil, nil, err
	}
	if err := db.migrateTo(ctx, version); err != nil {
		db.write.Close()
		return nil, nil, err
	}
	return db.write, func() {
		if db.read != db.write {
			db.read.Close()
		}
		db.write.Close()
	}, nil
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
func QueuedForTest(db *DB) int { return len(db.placer.queue) }

// SetBatchTimeoutForTest changes the deadline of an order batch.
func SetBatchTimeoutForTest(db *DB, d time.Duration) { db.batchTimeout = d }
