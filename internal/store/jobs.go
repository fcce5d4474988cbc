package store

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/metrics"
)

// jobHooks connect the store to the server's durable job queue (River,
// see internal/jobs), which lives in the same database, and to its
// metrics. The webhook deliveries' jobs are internal/store/webhooks'
// (SetWebhookQueue).
type jobHooks struct {
	// sqliteDSN opens more connections to the SQLite file, as the writer's.
	sqliteDSN string
	// allocateLater enqueues, in the caller's transaction, a job that
	// gives an item's stock to the orders still waiting for it; nil: none.
	allocateLater func(ctx context.Context, tx *sql.Tx, itemID int64) error
	// metrics records orders placed and refused, stock reserved and the
	// order writer's batches; nil records nothing.
	metrics *metrics.Metrics
}

// SetMetrics makes the store record in m the orders placed and refused,
// the stock they reserved or found short, and the order writer's batches
// (size, and each order's wait in the queue). Call it before the store is
// used.
func (db *DB) SetMetrics(m *metrics.Metrics) { db.jobs.metrics = m }

// countPlaced records what became of an order handed to place: placed
// (reserving stock, or finding too little to reserve all of it), a repeat
// of one placed before (not counted), or refused for the error's code.
func (h *jobHooks) countPlaced(channel string, o *oms.Order, created bool, err error) {
	m := h.metrics
	if m == nil {
		return
	}
	if err != nil {
		code := oms.ErrorCode(err)
		if code == "" {
			code = "error"
		}
		m.OrderRefused(code)
		if code == oms.EOUTOFSTOCK {
			m.StockShort()
		}
		return
	}
	if !created || o == nil {
		return
	}
	m.OrderPlaced(channel)
	var reserved, open int64
	for _, l := range o.Lines {
		reserved += l.Allocated
		open += l.Open
	}
	if reserved > 0 {
		m.StockReserved(int(reserved))
	}
	if open > 0 {
		m.StockShort()
	}
}

// JobPool returns a connection pool for the durable job queue and whether
// the caller owns it (and must close it). It is the store's writer: on
// PostgreSQL its one pool; on SQLite its one writing connection, so that
// the queue's writes (fetching jobs, completing them, electing a leader)
// wait their turn in line with the store's transactions rather than
// outside SQLite's lock, where a busy writer starved them for seconds.
func (db *DB) JobPool() (*sql.DB, bool, error) {
	return db.write, false, nil
}

// Pools returns the statistics of the store's connection pools by name:
// "write" and "read" on SQLite, "postgres" on PostgreSQL (one pool).
func (db *DB) Pools() map[string]func() sql.DBStats {
	if db.Engine() == "postgres" {
		return map[string]func() sql.DBStats{"postgres": db.write.Stats}
	}
	return map[string]func() sql.DBStats{"write": db.write.Stats, "read": db.read.Stats}
}

// SetBackorderQueue makes a stock movement that could not serve every
// waiting order in its own transaction (it serves the oldest hundred)
// enqueue, in that transaction, a job that serves the rest: enqueue is
// called with the transaction and the item's id, and the job calls
// AllocateBackorders. Without it the rest wait for the next movement of
// the item. Call it before the store is used.
func (db *DB) SetBackorderQueue(enqueue func(ctx context.Context, tx *sql.Tx, itemID int64) error) {
	db.jobs.allocateLater = enqueue
}

// allocateLater enqueues the job that serves the item's waiting orders
// beyond those this transaction served.
func (tx *Tx) allocateLater(ctx context.Context, itemID int64) error {
	if tx.db.jobs.allocateLater == nil {
		return nil
	}
	if err := tx.db.jobs.allocateLater(ctx, tx.SQL(), itemID); err != nil {
		return fmt.Errorf("enqueue allocating backorders: %w", err)
	}
	return nil
}

// AllocateBackorders gives the item's unreserved stock to the orders
// waiting for it, oldest first, a hundred at most (and enqueues itself
// again when more may wait, see SetBackorderQueue).
func (db *DB) AllocateBackorders(ctx context.Context, itemID int64, by oms.Principal) error {
	return db.update(ctx, func(tx *Tx) error { return tx.allocateWaiting(ctx, itemID, by.Actor()) })
}
