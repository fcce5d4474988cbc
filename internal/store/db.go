package store

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/url"
	"runtime"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/tax"
)

// DB is an open oms database.
type DB struct {
	engine    engine
	write     *sql.DB // SQLite: one connection, so writers queue here and not on SQLITE_BUSY
	read      *sql.DB // SQLite: a pool of read-only connections; PostgreSQL: the same pool as write
	now       func() time.Time
	cache     catalogCache
	screening settingCache[oms.Screening]
	fulfill   settingCache[oms.FulfillmentSettings]
	centroids settingCache[bool] // whether any postal centroids are loaded
	placer    *placer
	// International: the base currency, the tax rules and the exchange
	// rates in force by day, which order placement reads with every batch.
	currency settingCache[oms.CurrencySettings]
	taxRules settingCache[tax.Rules]
	rates    rateCache
	// feed reads the change feed of every write transaction (feed.go):
	// the report read model.
	feed FeedReader
	// log receives what background work has to say (Options.Log).
	log *slog.Logger
	// The background folder: the feed reader's Fold, every FoldEvery.
	folder *ticker
	// The background merger of the search index's pending list
	// (PostgreSQL; see CleanSearchPending).
	searchCleaner *ticker
	// stmts are the SQLite writer's prepared statements; readStmts those
	// of the read pool (see stmtcache.go).
	stmts, readStmts stmtCache
	// checkpoints copies SQLite's log into the database file.
	checkpoints *ticker
	// faults is Options.Fault.
	faults func(ctx context.Context, step string) error
	// batchTimeout bounds an order batch's transaction (see placeTogether).
	batchTimeout time.Duration
	// jobs: see jobs.go.
	jobs jobHooks
}

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
	return db, redactError(err, dsn)
}

func open(ctx context.Context, dsn string, opt Options) (*DB, error) {
	db := &DB{now: opt.Now, faults: opt.Fault, batchTimeout: batchTimeout, feed: opt.Feed}
	if db.now == nil {
		db.now = time.Now
	}
	if db.feed == nil {
		db.feed = nopFeed{}
	}
	if db.log = opt.Log; db.log == nil {
		db.log = slog.New(slog.DiscardHandler)
	}
	var err error
	if IsPostgres(dsn) {
		err = db.openPostgres(dsn, opt)
	} else {
		err = db.openSQLite(dsn, opt)
	}
	if err != nil {
		return nil, err
	}
	db.feed.Start(db)
	if err := db.migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	writers := opt.Writers
	if writers <= 0 || db.engine.name == "sqlite" {
		writers = defaultWriters(db.engine.name)
	}
	db.startPlacer(writers)
	if opt.FoldEvery >= 0 {
		db.folder = startTicker(cmp.Or(opt.FoldEvery, defaultFoldEvery), db.fold)
	}
	if opt.SearchCleanEvery >= 0 && db.engine.name == "postgres" {
		db.searchCleaner = startTicker(cmp.Or(opt.SearchCleanEvery, defaultSearchCleanEvery), db.cleanSearch)
	}
	return db, nil
}

// IsPostgres reports whether dsn names a PostgreSQL database: a URL, or a
// key=value string that starts with a connection key (host=, dbname=, …).
func IsPostgres(dsn string) bool {
	return isPostgresURL(dsn) || keyValueDSN.MatchString(dsn)
}

// Engine returns "sqlite" or "postgres".
func (db *DB) Engine() string { return db.engine.name }

func (db *DB) openPostgres(dsn string, opt Options) error {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return fmt.Errorf("open postgres: %w", err)
	}
	// Every statement here is a short OLTP query; JIT compiling one costs
	// tens of milliseconds and pays off only on long analytical scans, which
	// stale statistics can make the planner expect.
	if _, set := cfg.RuntimeParams["jit"]; !set {
		cfg.RuntimeParams["jit"] = "off"
	}
	pool := stdlib.OpenDB(*cfg)
	n := opt.MaxConns
	if n == 0 {
		n = 4 * runtime.GOMAXPROCS(0)
	}
	pool.SetMaxOpenConns(n)
	pool.SetMaxIdleConns(n)
	pool.SetConnMaxIdleTime(5 * time.Minute)
	db.engine, db.write, db.read = postgres, pool, pool
	return nil
}

// sqlitePragmas are applied to every connection, in this order: wait for
// locks rather than fail at once, write-ahead logging so readers never block
// the writer, enforce foreign keys, and the synchronous mode (see
// Options.SQLiteSync).
const sqlitePragmas = "_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)&_pragma=synchronous(%s)&_time_format=sqlite"

// SQLitePath returns the file a SQLite dsn names: the dsn without a
// sqlite:// or file: prefix and without its query.
func SQLitePath(dsn string) string {
	path := strings.TrimPrefix(dsn, "sqlite://")
	path = strings.TrimPrefix(path, "file:")
	if i := strings.IndexByte(path, '?'); i >= 0 {
		path = path[:i]
	}
	return path
}

func (db *DB) openSQLite(dsn string, opt Options) error {
	path := SQLitePath(dsn)
	sync := "FULL"
	switch strings.ToLower(opt.SQLiteSync) {
	case "", "full":
	case "normal":
		sync = "NORMAL"
	default:
		return fmt.Errorf("sqlite synchronous mode %q: use full or normal", opt.SQLiteSync)
	}
	base := "file:" + (&url.URL{Path: path}).EscapedPath() + "?" + fmt.Sprintf(sqlitePragmas, sync)
	// The writer keeps its statement and savepoint journals in memory: a
	// batch of moves or orders would otherwise write them to a temporary
	// file, undone or not.
	w, err := sql.Open("sqlite", base+"&_txlock=immediate"+fmt.Sprintf("&_pragma=wal_autocheckpoint(%d)&_pragma=temp_store(MEMORY)", walBackstop))
	if err != nil {
		return fmt.Errorf("open sqlite %s: %w", path, err)
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	w.SetConnMaxIdleTime(0)
	// The first connection creates the file and switches it to WAL before any
	// reader opens it.
	if err := w.Ping(); err != nil {
		w.Close()
		return fmt.Errorf("open sqlite %s: %w", path, err)
	}
	r, err := sql.Open("sqlite", base+"&_pragma=query_only(1)")
	if err != nil {
		w.Close()
		return fmt.Errorf("open sqlite %s: %w", path, err)
	}
	n := opt.MaxConns
	if n == 0 {
		n = max(4, 2*runtime.GOMAXPROCS(0))
	}
	r.SetMaxOpenConns(n)
	r.SetMaxIdleConns(n)
	ck, err := startCheckpointer(base)
	if err != nil {
		w.Close()
		r.Close()
		return fmt.Errorf("open sqlite %s: %w", path, err)
	}
	db.engine, db.write, db.read, db.checkpoints = sqliteEngine, w, r, ck
	db.jobs.sqliteDSN = base + "&_txlock=immediate"
	db.stmts.limit, db.readStmts.limit = stmtCacheSize, readStmtCacheSize
	return nil
}

// Close closes every connection.
func (db *DB) Close() error {
	db.cache.keyUse.close()
	db.folder.close()
	db.searchCleaner.close()
	db.stopPlacer()
	db.stmts.close()
	db.readStmts.close()
	err := errors.Join(db.checkpoints.close(), db.write.Close())
	if db.read != db.write {
		err = errors.Join(err, db.read.Close())
	}
	return err
}

// Tx is one database transaction with the time it runs at. Unexported helpers
// take a *Tx; every public method of DB runs one.
type Tx struct {
	*sql.Tx
	db  *DB
	now time.Time

	// changes is what the transaction put on the change feed (feed.go),
	// published as it ends.
	changes changes
	// stmts is the pool's statement cache (SQLite's), or nil.
	stmts *stmtCache
	// statusBefore is the stored status of each order saved in the
	// transaction, as it was before the first save (orderMoved); lastActor
	// is the actor of the last event added.
	statusBefore map[string]oms.Status
	lastActor    string
}

// maxAttempts bounds the retries of a transaction that lost a race.
const maxAttempts = 12

// update runs fn in a read-write transaction and commits it, retrying the
// whole transaction when the engine reports a transient conflict.
func (db *DB) update(ctx context.Context, fn func(*Tx) error) error {
	return db.run(ctx, db.write, nil, fn)
}

// view runs fn in a read-only transaction.
func (db *DB) view(ctx context.Context, fn func(*Tx) error) error {
	return db.run(ctx, db.read, &sql.TxOptions{ReadOnly: db.engine.name == "postgres"}, fn)
}

func (db *DB) run(ctx context.Context, pool *sql.DB, opts *sql.TxOptions, fn func(*Tx) error) error {
	if u := unitOf(ctx, db); u != nil {
		return u.run(ctx, fn) // in the caller's unit of work: its transaction, reads included
	}
	return db.retry(ctx, func() error { return db.try(ctx, pool, opts, fn) })
}

// retry runs a transaction with try until it commits, fails for good, or
// has failed maxAttempts times on a serialization failure or deadlock. An
// overflow of a sum or product is ETOOLARGE.
func (db *DB) retry(ctx context.Context, try func() error) error {
	for attempt := 1; ; attempt++ {
		err := try()
		if err != nil && db.engine.overflow(err) {
			return oms.TooLarge("a sum or product of amounts or quantities")
		}
		if err == nil || !db.engine.retryable(err) || attempt == maxAttempts {
			return err
		}
		// Back off a little, with jitter, so that the racers spread out.
		d := time.Duration(rand.IntN(1<<min(attempt, 8))) * time.Millisecond
		select {
		case <-ctx.Done():
			return err
		case <-time.After(d):
		}
	}
}

func (db *DB) try(ctx context.Context, pool *sql.DB, opts *sql.TxOptions, fn func(*Tx) error) error {
	stx, err := pool.BeginTx(ctx, opts)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	tx := &Tx{Tx: stx, db: db, now: db.now().UTC().Truncate(time.Microsecond)}
	if c := db.stmtCache(pool); c != nil {
		tx.stmts = c
		defer c.prepareWanted(ctx, pool)
	}
	if err := fn(tx); err != nil {
		stx.Rollback()
		return err
	}
	if err := tx.publish(ctx); err != nil {
		stx.Rollback()
		return err
	}
	if err := stx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// engine is the narrow seam between SQLite and PostgreSQL.
type engine struct {
	name      string
	forUpdate string                    // row-lock suffix for SELECT; SQLite's single writer needs none
	forShare  string                    // shared row-lock suffix for SELECT
	lockOf    func(alias string) string // row-lock suffix for one table of a join
	retryable func(error) bool
	unique    func(error) bool
	overflow  func(error) bool    // integer arithmetic went past 64 bits
	notNull   func(error) bool    // a NOT NULL column was given NULL
	rebind    func(string) string // parameter style the engine parses fastest
	// byteOrder follows a text column to compare and sort it by its bytes
	// (UTF-8 code points), as Go compares strings, whatever the database's
	// collation: SKU pages and prefixes are ranges in that order.
	byteOrder string
}

var sqliteEngine = engine{
	name:   "sqlite",
	rebind: rebindQuestion,
	lockOf: func(string) string { return "" },
	retryable: func(err error) bool {
		var e *sqlite.Error
		if !errors.As(err, &e) {
			return false
		}
		switch e.Code() & 0xff {
		case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED:
			return true
		}
		return false
	},
	unique: func(err error) bool {
		var e *sqlite.Error
		return errors.As(err, &e) && (e.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE || e.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY)
	},
	// SQLite reports SUM's overflow with the generic SQLITE_ERROR code and
	// no extended one, so its message is all there is to tell it by.
	overflow: func(err error) bool {
		var e *sqlite.Error
		return errors.As(err, &e) && e.Code() == sqlite3.SQLITE_ERROR && strings.Contains(e.Error(), "integer overflow")
	},
	notNull: func(err error) bool {
		var e *sqlite.Error
		return errors.As(err, &e) && e.Code() == sqlite3.SQLITE_CONSTRAINT_NOTNULL
	},
}

var postgres = engine{
	name:      "postgres",
	rebind:    func(q string) string { return q },
	forUpdate: " FOR UPDATE",
	forShare:  " FOR SHARE",
	byteOrder: ` COLLATE "C"`,
	lockOf:    func(alias string) string { return " FOR UPDATE OF " + alias },
	retryable: func(err error) bool {
		var e *pgconn.PgError
		return errors.As(err, &e) && (e.Code == "40001" || e.Code == "40P01")
	},
	unique: func(err error) bool {
		var e *pgconn.PgError
		return errors.As(err, &e) && e.Code == "23505"
	},
	overflow: func(err error) bool {
		var e *pgconn.PgError
		return errors.As(err, &e) && e.Code == "22003" // numeric_value_out_of_range
	},
	notNull: func(err error) bool {
		var e *pgconn.PgError
		return errors.As(err, &e) && e.Code == "23502"
	},
}

// notFound returns an ENOTFOUND error.
func notFound(format string, args ...any) error {
	return oms.Errorf(oms.ENOTFOUND, format, args...)
}

// Ping checks that the database answers.
func (db *DB) Ping(ctx context.Context) error {
	return db.read.PingContext(ctx)
}

func minutes(n int) time.Duration { return time.Duration(n) * time.Minute }
