// Package webhooks keeps oms's outbound webhooks in the database: the
// endpoints that subscribed to events, with their secrets and their
// rotation (endpoint.go); the outbox that fans the events table out into
// pending deliveries and that the event stream's relay reads, each reader
// behind a cursor (outbox.go); the delivery queue that the durable jobs
// claim an endpoint's deliveries from (queue.go); and the claims of a round,
// the attempts recorded, the delivery log, retry and replay (delivery.go).
// It implements those methods of *store.DB on the engine seam (sqldb): it
// writes no order and no stock, so its transactions are the seam's, and
// nothing of it is on the store's change feed. Signing and sending a
// message is internal/webhook's.
package webhooks

import (
	"context"
	"database/sql"
	"time"

	"github.com/omshq/oms/internal/store/sqldb"
)

// Hooks is the webhook endpoints, outbox and deliveries of a database.
type Hooks struct {
	// sql is the engine seam; engine, read and now are its engine, read
	// pool and clock, kept at hand.
	sql    *sqldb.DB
	engine engine
	read   *sql.DB
	now    func() time.Time
	// jobs: the durable job queue's hooks (SetWebhookQueue).
	jobs jobHooks
}

// New returns the webhooks kept in s.
func New(s *sqldb.DB) *Hooks {
	return &Hooks{sql: s, engine: engine{Engine: s.Engine, name: s.Engine.Name}, read: s.Read, now: s.Now}
}

// jobHooks connect the webhooks to the server's durable job queue (River,
// see internal/jobs), which lives in the same database.
type jobHooks struct {
	// deliverLater enqueues, in the caller's transaction, the webhook
	// delivery jobs of endpoints; nil: none (see SetWebhookQueue).
	deliverLater func(ctx context.Context, tx *sql.Tx, endpointIDs []string) error
}

// Tx is one transaction of the seam (sqldb.Tx) with the time it runs at,
// as the webhooks' methods use it.
type Tx struct {
	*sqldb.Tx
	db  *Hooks
	now time.Time // the seam's Now
}

// update runs fn in a read-write transaction and commits it, retrying the
// whole transaction when the engine reports a transient conflict.
func (db *Hooks) update(ctx context.Context, fn func(*Tx) error) error {
	return db.sql.Update(ctx, db.inTx(fn))
}

// view runs fn in a read-only transaction.
func (db *Hooks) view(ctx context.Context, fn func(*Tx) error) error {
	return db.sql.View(ctx, db.inTx(fn))
}

// inTx is fn as the seam runs it.
func (db *Hooks) inTx(fn func(*Tx) error) func(*sqldb.Tx) error {
	return func(stx *sqldb.Tx) error { return fn(&Tx{Tx: stx, db: db, now: stx.Now()}) }
}

// addEvent records an event in the transaction (sqldb.Tx.AddEvent).
func (tx *Tx) addEvent(ctx context.Context, typ, subject, orderID, actor string, data any) error {
	return tx.AddEvent(ctx, typ, subject, orderID, actor, data)
}

// engine is the seam's engine (sqldb.Engine) under the names the webhooks'
// SQL uses.
type engine struct {
	sqldb.Engine
	name string
}

// column is a column of a set-based statement, with its PostgreSQL type.
type column struct{ name, pgType string }

// rowTable is sqldb.Engine.RowTable over the webhooks' columns.
func (e engine) rowTable(cols []column, rows [][]any, args []any, alias string) (string, []any) {
	seam := make([]sqldb.Column, len(cols))
	for i, c := range cols {
		seam[i] = sqldb.Column{Name: c.name, Type: c.pgType}
	}
	return e.RowTable(seam, rows, args, alias)
}

// scanner is a row to scan (sqldb.Scanner).
type scanner = sqldb.Scanner

// newID returns a new unique, time-ordered id with the prefix (sqldb.NewID).
func newID(prefix string) string { return sqldb.NewID(prefix) }

// eventID is the public id of the event with sequence number seq
// (sqldb.EventID).
func eventID(seq int64) string { return sqldb.EventID(seq) }

// notFound returns an ENOTFOUND error.
func notFound(format string, args ...any) error { return sqldb.NotFound(format, args...) }

// splitLines splits a newline-separated column (sqldb.SplitLines).
func splitLines(s string) []string { return sqldb.SplitLines(s) }

// utcPtr is the time in UTC, or nil when it is NULL (sqldb.UTCPtr).
func utcPtr(t sql.NullTime) *time.Time { return sqldb.UTCPtr(t) }
