package orders

import (
	"context"
	"database/sql"
	"time"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/store/catalog"
	"github.com/omshq/oms/internal/store/fxrates"
	"github.com/omshq/oms/internal/store/settings"
	"github.com/omshq/oms/internal/store/sqldb"
)

// DB is the orders' part of an open oms database: the seam, the catalog's
// cache, the settings and rates the orders read, and the change feed's
// reader. The store (internal/store) composes it with the other areas.
type DB struct {
	// SQL is the engine seam: the pools, transactions and migrations.
	// Engine, the pools and now are its engine, pools and clock, kept at
	// hand (see sqldb.DB).
	SQL    *sqldb.DB
	Engine engine
	Write  *sql.DB // SQLite: one connection, so writers queue here and not on SQLITE_BUSY
	Read   *sql.DB // SQLite: a pool of read-only connections; PostgreSQL: the same pool as write
	now    func() time.Time
	// Cache is the catalog's, which placement reads in its own transaction.
	Cache   *catalog.Cache
	fulfill sqldb.Cached[oms.FulfillmentSettings]
	// The settings and exchange rates the orders read (their own
	// packages; the store embeds them).
	Settings *settings.Settings
	Rates    *fxrates.Rates
	// feed reads the change feed of every write transaction
	// (feed.go): the report read model.
	feed FeedReader
	// Jobs: see jobs.go.
	Jobs jobHooks
}

// New is the orders' part of the store over the open seam s, with the
// feed reader feed (nil: none).
func New(s *sqldb.DB, feed FeedReader, set *settings.Settings) *DB {
	if feed == nil {
		feed = NopFeed{}
	}
	return &DB{SQL: s, Engine: engineOf(s.Engine), Write: s.Write, Read: s.Read, now: s.Now,
		Cache: new(catalog.Cache), Settings: set, feed: feed, Jobs: jobHooks{sqliteDSN: s.SQLiteWriterDSN}}
}

// Tx is one database transaction with the time it runs at (the seam's,
// sqldb.Tx) and what the store keeps for it. Unexported helpers take a
// *Tx; every public method of DB runs one.
type Tx struct {
	*sqldb.Tx
	DB *DB

	// changes is what the transaction put on the change feed (feed.go),
	// published as it ends.
	changes changes
	// statusBefore is the stored status of each order saved in the
	// transaction, as it was before the first save (OrderMoved); LastActor
	// is the actor of the last event added.
	statusBefore map[string]oms.Status
	LastActor    string
}

// update runs fn in a read-write transaction and commits it, retrying the
// whole transaction when the engine reports a transient conflict.
func (db *DB) update(ctx context.Context, fn func(*Tx) error) error {
	return db.run(ctx, db.Write, nil, fn)
}

// view runs fn in a read-only transaction.
func (db *DB) view(ctx context.Context, fn func(*Tx) error) error {
	return db.run(ctx, db.Read, &sql.TxOptions{ReadOnly: db.Engine.Name == "postgres"}, fn)
}

// run runs fn in a transaction of the seam (sqldb.DB.Run: retried, or in
// the caller's unit of work) and publishes what it put on the change feed
// as it ends, before it commits.
func (db *DB) run(ctx context.Context, pool *sql.DB, opts *sql.TxOptions, fn func(*Tx) error) error {
	return db.SQL.Run(ctx, pool, opts, db.inTx(ctx, fn))
}

// inTx is fn as the seam runs it: in a store transaction over the seam's,
// whose change feed is published once fn succeeds.
func (db *DB) inTx(ctx context.Context, fn func(*Tx) error) func(*sqldb.Tx) error {
	return func(stx *sqldb.Tx) error {
		tx := &Tx{Tx: stx, DB: db}
		if err := fn(tx); err != nil {
			return err
		}
		return tx.publish(ctx)
	}
}

// retry runs a transaction with try until it commits, fails for good, or
// has failed too often on a transient conflict (sqldb.DB.Retry).
func (db *DB) retry(ctx context.Context, try func() error) error { return db.SQL.Retry(ctx, try) }

// engine is the seam between SQLite and PostgreSQL (sqldb.Engine), under
// the names the store's SQL uses, with the store's own SQL where they
// differ (search, scopes, SKU pages).
type engine struct {
	sqldb.Engine
}

// engineOf is the seam's engine under the store's names.
func engineOf(e sqldb.Engine) engine {
	return engine{Engine: e}
}

// notFound returns an ENOTFOUND error.
func notFound(format string, args ...any) error { return sqldb.NotFound(format, args...) }

// Ping checks that the database answers.
func (db *DB) Ping(ctx context.Context) error { return db.SQL.Ping(ctx) }
