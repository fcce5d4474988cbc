package store

import (
	"cmp"
	"context"
	"log/slog"
	"time"

	"github.com/omshq/oms/internal/store/catalog"
	"github.com/omshq/oms/internal/store/channels"
	"github.com/omshq/oms/internal/store/check"
	"github.com/omshq/oms/internal/store/customers"
	"github.com/omshq/oms/internal/store/export"
	fulfil "github.com/omshq/oms/internal/store/fulfillment"
	"github.com/omshq/oms/internal/store/fxrates"
	"github.com/omshq/oms/internal/store/idempotency"
	"github.com/omshq/oms/internal/store/inventory"
	"github.com/omshq/oms/internal/store/keys"
	"github.com/omshq/oms/internal/store/orders"
	"github.com/omshq/oms/internal/store/placement"
	"github.com/omshq/oms/internal/store/returns"
	"github.com/omshq/oms/internal/store/search"
	"github.com/omshq/oms/internal/store/settings"
	"github.com/omshq/oms/internal/store/sqldb"
	"github.com/omshq/oms/internal/store/users"
	"github.com/omshq/oms/internal/store/webhooks"
)

// DB is an open oms database.
type DB struct {
	// The orders' part (internal/store/orders) with the order writers
	// (internal/store/placement); their methods are the store's.
	*placement.DB
	// The areas that live in packages of their own, on the seam; their
	// methods are the store's.
	*users.Accounts
	*keys.Keyring
	*settings.Settings
	*idempotency.Answers
	*customers.Desk
	*returns.Counter
	*fxrates.Rates
	*channels.Registry
	*export.Exports
	*inventory.Stockroom
	*fulfil.Floor
	*webhooks.Hooks
	*catalog.Catalog
	*search.Index
	*check.Auditor

	// feed is the feed reader (Options.Feed), as the store starts it.
	feed FeedReader
	// log receives what background work has to say (Options.Log).
	log *slog.Logger
	// The background folder: the feed reader's Fold, every FoldEvery.
	folder *sqldb.Ticker
	// The background merger of the search index's pending list
	// (PostgreSQL; see CleanSearchPending).
	searchCleaner *sqldb.Ticker
}

// Tx is a transaction of the store (orders.Tx), as the report read model
// and other users of the seam take it.
type Tx = orders.Tx

// Options tune Open.
type Options struct {
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// MaxConns bounds the PostgreSQL pool and the SQLite read pool; 0 picks a default.
	MaxConns int
	// Writers is how many order batches may run at once: always 1 on SQLite;
	// 0 picks a default for PostgreSQL.
	Writers int
	// SQLiteSync is SQLite's synchronous mode: "full" (the default) syncs
	// the log at every commit, so an acknowledged order survives a power
	// cut; "normal" syncs at checkpoints only, faster but an acknowledged
	// order can be lost to a power cut (not to a crash of oms).
	SQLiteSync string
	// Feed reads the change feed of every write (see FeedReader): the
	// report read model, internal/store/reports. Nil: nothing reads it, and
	// no reports are kept.
	Feed FeedReader
	// FoldEvery is how often the feed reader's background work (Fold: the
	// report rollups' pending deltas folded) runs: 0 means every 5 seconds,
	// a negative value never (reports still fold before they read).
	FoldEvery time.Duration
	// SearchCleanEvery is how often, on PostgreSQL, the search index's
	// pending list is merged in the background (see CleanSearchPending): 0
	// means every 5 seconds, a negative value never (a job does it, or
	// PostgreSQL's autovacuum and gin_pending_list_limit).
	SearchCleanEvery time.Duration
	// Fault, when set, is called at each named step of a unit of work and
	// of order placement (the Step constants) with the step's context. An
	// error it returns fails the step; a panic stops the work there, as a
	// crash would. Tests use it to prove that work cut off at any step
	// takes effect once or not at all; it is nil in production.
	Fault func(ctx context.Context, step string) error
	// Log receives what the store has to say outside any request (a
	// background fold that failed); nil discards it.
	Log *slog.Logger
}

// defaultFoldEvery is how often the feed reader folds by default.
const defaultFoldEvery = 5 * time.Second

// fold is one run of the background folder: the feed reader's Fold.
func (db *DB) fold() {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := db.feed.Fold(ctx); err != nil {
		db.log.Warn("feed reader: background work failed", "err", err)
	}
}

// Open opens the database named by dsn — a PostgreSQL URL (postgres:// or
// postgresql://) or key=value string (host=… dbname=…), or a SQLite file
// path — and migrates it to the newest schema. Its errors never quote the
// dsn's password.
func Open(ctx context.Context, dsn string, opt Options) (*DB, error) {
	db, err := open(ctx, dsn, opt)
	return db, sqldb.RedactError(err, dsn)
}

func open(ctx context.Context, dsn string, opt Options) (*DB, error) {
	s, err := sqldb.Open(dsn, sqldb.Options{Now: opt.Now, MaxConns: opt.MaxConns, SQLiteSync: opt.SQLiteSync, Fault: opt.Fault})
	if err != nil {
		return nil, err
	}
	db := newDB(s, opt.Feed)
	if db.log = opt.Log; db.log == nil {
		db.log = slog.New(slog.DiscardHandler)
	}
	db.feed.Start(db)
	if err := db.migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	writers := opt.Writers
	if writers <= 0 || db.Engine() == "sqlite" {
		writers = placement.DefaultWriters(db.Engine())
	}
	db.StartPlacer(writers)
	if opt.FoldEvery >= 0 {
		db.folder = sqldb.StartTicker(cmp.Or(opt.FoldEvery, defaultFoldEvery), db.fold)
	}
	if opt.SearchCleanEvery >= 0 && db.Engine() == "postgres" {
		db.searchCleaner = sqldb.StartTicker(cmp.Or(opt.SearchCleanEvery, search.DefaultCleanEvery), db.cleanSearch)
	}
	return db, nil
}

// newDB is the store over the open seam s, with the feed reader feed (nil:
// none), not yet migrated.
func newDB(s *sqldb.DB, feed FeedReader) *DB {
	set := settings.New(s)
	// Without a reader the orders keep their own nothing-reader
	// (orders.NopFeed), which placement knows to skip.
	var reader orders.FeedReader
	if feed != nil {
		reader = feed
	} else {
		feed = nopFeed{}
	}
	o := orders.New(s, reader, set)
	db := &DB{DB: placement.New(o), Accounts: users.New(s), Keyring: keys.New(s), Settings: set,
		Answers: idempotency.New(s), feed: feed}
	db.Desk, db.Counter = customers.New(s, deskOrders{db}), returns.New(returnStore{db})
	db.Rates = fxrates.New(s, db.updateRebasing)
	o.Rates = db.Rates
	db.Registry = channels.New(s, db.channelHooks())
	db.Exports = export.New(s, db.exportHooks())
	db.Stockroom = inventory.New(stockStore{db})
	db.Floor = fulfil.New(floorStore{db})
	db.Hooks = webhooks.New(s)
	db.Catalog = catalog.New(s, o.Cache)
	db.Index = search.New(s, db.searchHooks())
	db.Auditor = check.New(s, checkStore{db})
	return db
}

// IsPostgres reports whether dsn names a PostgreSQL database: a URL, or a
// key=value string that starts with a connection key (host=, dbname=, …).
func IsPostgres(dsn string) bool { return sqldb.IsPostgres(dsn) }

// SQLitePath returns the file a SQLite dsn names: the dsn without a
// sqlite:// or file: prefix and without its query.
func SQLitePath(dsn string) string { return sqldb.SQLitePath(dsn) }

// RedactDSN returns dsn with its password masked, for messages.
func RedactDSN(dsn string) string { return sqldb.RedactDSN(dsn) }

// Engine returns "sqlite" or "postgres".
func (db *DB) Engine() string { return db.DB.Engine.Name }

// Close closes every connection.
func (db *DB) Close() error {
	db.Keyring.Close()
	db.folder.Close()
	db.searchCleaner.Close()
	db.StopPlacer()
	return db.SQL.Close()
}

// ParseTaxKey splits a tax rule's key into its country and region
// (settings.ParseTaxKey).
func ParseTaxKey(key string) (country, region string, err error) { return settings.ParseTaxKey(key) }
