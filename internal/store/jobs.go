package store

import (
	"context"
	"database/sql"

	"github.com/omshq/oms/internal/metrics"
)

// SetMetrics makes the store record in m the orders placed and refused,
// the stock they reserved or found short, and the order writer's batches
// (size, and each order's wait in the queue). Call it before the store is
// used.
func (db *DB) SetMetrics(m *metrics.Metrics) { db.Jobs.Metrics = m }

// JobPool returns a connection pool for the durable job queue and whether
// the caller owns it (and must close it). It is the store's writer: on
// PostgreSQL its one pool; on SQLite its one writing connection, so that
// the queue's writes (fetching jobs, completing them, electing a leader)
// wait their turn in line with the store's transactions rather than
// outside SQLite's lock, where a busy writer starved them for seconds.
func (db *DB) JobPool() (*sql.DB, bool, error) {
	return db.Write, false, nil
}

// Pools returns the statistics of the store's connection pools by name:
// "write" and "read" on SQLite, "postgres" on PostgreSQL (one pool).
func (db *DB) Pools() map[string]func() sql.DBStats {
	if db.Engine() == "postgres" {
		return map[string]func() sql.DBStats{"postgres": db.Write.Stats}
	}
	return map[string]func() sql.DBStats{"write": db.Write.Stats, "read": db.Read.Stats}
}

// SetBackorderQueue makes a stock movement that could not serve every
// waiting order in its own transaction (it serves the oldest hundred)
// enqueue, in that transaction, a job that serves the rest: enqueue is
// called with the transaction and the item's id, and the job calls
// AllocateBackorders. Without it the rest wait for the next movement of
// the item. Call it before the store is used.
func (db *DB) SetBackorderQueue(enqueue func(ctx context.Context, tx *sql.Tx, itemID int64) error) {
	db.Jobs.AllocateLater = enqueue
}
