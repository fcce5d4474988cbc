// Package sqldb is the store's engine seam: the connection to SQLite or
// PostgreSQL and its pools, the engines' differences, transactions with
// their clock and retries, units of work, bulk row sources, the SQLite
// statement caches and the schema migrations. The store's areas build on
// it and on nothing of each other's below it; it knows nothing of orders
// or stock.
package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/bits"
	"math/rand/v2"
	"net/url"
	"runtime"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/omshq/oms"
)

// DB is an open database: its engine, its pools and its clock.
type DB struct {
	Engine Engine
	// Write is the pool writes go through (SQLite: one connection, so
	// writers queue here and not on SQLITE_BUSY); Read the pool reads go
	// through (SQLite: a pool of read-only connections; PostgreSQL: the
	// same pool as Write).
	Write, Read *sql.DB
	now         func() time.Time
	// stmts are the SQLite writer's prepared statements; readStmts those
	// of the read pool (see stmtcache.go).
	stmts, readStmts stmtCache
	// checkpoints copies SQLite's log into the database file.
	checkpoints *Ticker
	// faults is Options.Fault.
	faults func(ctx context.Context, step string) error
	// SQLiteWriterDSN is the SQLite writer's data source name, pragmas
	// included ("" on PostgreSQL): a pool of its own to the same file
	// opens with it.
	SQLiteWriterDSN string

	logCounted bool // the SQLite writer writes its log through walBufVFSName
}

// Options tune Open.
type Options struct {
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// MaxConns bounds the PostgreSQL pool and the SQLite read pool; 0 picks a default.
	MaxConns int
	// SQLiteSync is SQLite's synchronous mode: "full" (the default) or
	// "normal" (see store.Options.SQLiteSync).
	SQLiteSync string
	// Fault, when set, is called at each named step of a unit of work (the
	// Step constants) with the step's context (see store.Options.Fault).
	Fault func(ctx context.Context, step string) error
}

// Open opens the database named by dsn — a PostgreSQL URL or key=value
// string, or a SQLite file path — without migrating it. Its errors may
// quote the dsn: see RedactError.
func Open(dsn string, opt Options) (*DB, error) {
	db := &DB{now: opt.Now, faults: opt.Fault}
	if db.now == nil {
		db.now = time.Now
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
	return db, nil
}

// IsPostgres reports whether dsn names a PostgreSQL database: a URL, or a
// key=value string that starts with a connection key (host=, dbname=, …).
func IsPostgres(dsn string) bool {
	return isPostgresURL(dsn) || keyValueDSN.MatchString(dsn)
}

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
	db.Engine, db.Write, db.Read = Postgres, pool, pool
	return nil
}

// sqlitePragmas are applied to every connection, in this order: wait for
// locks rather than fail at once, write-ahead logging so readers never block
// the writer, enforce foreign keys, and the synchronous mode (see
// Options.SQLiteSync).
// writerCacheKiB is the SQLite writer connection's page cache, in KiB; it
// fills only as far as the writer touches pages.
const writerCacheKiB = 32 << 10

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
	// Every connection goes without SQLite's connection mutex (nomutex.go).
	registerNoMutex()
	base := "file:" + (&url.URL{Path: path}).EscapedPath() + "?" + noMutexParam + "&" + fmt.Sprintf(sqlitePragmas, sync)
	// The writer keeps its statement and savepoint journals in memory: a
	// batch of moves or orders would otherwise write them to a temporary
	// file, undone or not. It keeps writerCacheKiB of pages, not SQLite's
	// 2 MB: the pages a batch of orders touches — balances, the stock
	// rollup, the indexes of orders and of the ledger — outgrew that and
	// were read again from the file, one system call each.
	writer := base + "&_txlock=immediate"
	if sync == "FULL" {
		// The writer gathers each commit's log writes into one (walbuf.go).
		if err := registerWalBufVFS(); err != nil {
			return fmt.Errorf("open sqlite %s: %w", path, err)
		}
		writer += "&vfs=" + walBufVFSName
		db.logCounted = true
	}
	w, err := sql.Open("sqlite", writer+
		fmt.Sprintf("&_pragma=wal_autocheckpoint(%d)&_pragma=temp_store(MEMORY)&_pragma=cache_size(-%d)", walBackstop, writerCacheKiB))
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
	db.Engine, db.Write, db.Read, db.checkpoints = SQLite, w, r, ck
	db.SQLiteWriterDSN = writer
	db.stmts.limit, db.readStmts.limit = stmtCacheSize, readStmtCacheSize
	return nil
}

// Close closes the statement caches and every connection.
func (db *DB) Close() error {
	db.stmts.close()
	db.readStmts.close()
	err := errors.Join(db.checkpoints.Close(), db.Write.Close())
	if db.Read != db.Write {
		err = errors.Join(err, db.Read.Close())
	}
	return err
}

// Now is the database's clock.
func (db *DB) Now() time.Time { return db.now() }

// Ping checks that the database answers.
func (db *DB) Ping(ctx context.Context) error {
	return db.Read.PingContext(ctx)
}

// Tx is one database transaction with the time it runs at.
type Tx struct {
	tx    *sql.Tx
	db    *DB
	now   time.Time
	stmts *stmtCache // the pool's statement cache (SQLite's), or nil
	// own: the transaction is its own, not a call in a unit of work.
	// whole: its inserts and updates roll it back whole when they fail
	// (EndOnError).
	own, whole bool
}

// Now is the time the transaction runs at, from the database's clock.
func (tx *Tx) Now() time.Time { return tx.now }

// Engine is the transaction's engine.
func (tx *Tx) Engine() Engine { return tx.db.Engine }

// SQL is the transaction as database/sql has it, for a library that
// writes in it (a job queue's enqueue).
func (tx *Tx) SQL() *sql.Tx { return tx.tx }

// MaxAttempts bounds the retries of a transaction that lost a race.
const MaxAttempts = 12

// Update runs fn in a read-write transaction and commits it, running the
// whole of fn again when the engine reports a transient conflict
// (PostgreSQL's serialization failures and deadlocks, SQLite's busy
// database), so fn must be safe to run again. In a unit of work (the
// context Unit hands its function) fn runs in the unit's transaction.
func (db *DB) Update(ctx context.Context, fn func(*Tx) error) error {
	return db.Run(ctx, db.Write, nil, fn)
}

// View runs fn in a read-only transaction on the read pool (in the unit's
// transaction in a unit of work).
func (db *DB) View(ctx context.Context, fn func(*Tx) error) error {
	return db.Run(ctx, db.Read, &sql.TxOptions{ReadOnly: db.Engine.Name == "postgres"}, fn)
}

// Snapshot runs fn in a transaction on the read pool that sees the
// database as of one moment (REPEATABLE READ on PostgreSQL; a SQLite read
// transaction is one), read-only when readOnly.
func (db *DB) Snapshot(ctx context.Context, readOnly bool, fn func(*Tx) error) error {
	opts := &sql.TxOptions{ReadOnly: readOnly}
	if db.Engine.Name == "postgres" {
		opts.Isolation = sql.LevelRepeatableRead
	}
	return db.Run(ctx, db.Read, opts, fn)
}

// Run runs fn in a transaction of pool with opts, retried as Update
// retries, or in the unit of work the context carries.
func (db *DB) Run(ctx context.Context, pool *sql.DB, opts *sql.TxOptions, fn func(*Tx) error) error {
	if u := unitOf(ctx, db); u != nil {
		return u.run(ctx, fn) // in the caller's unit of work: its transaction, reads included
	}
	return db.Retry(ctx, func() error { return db.try(ctx, pool, opts, fn) })
}

// Retry runs a transaction with try until it commits, fails for good, or
// has failed MaxAttempts times on a serialization failure or deadlock. An
// overflow of a sum or product is ETOOLARGE.
func (db *DB) Retry(ctx context.Context, try func() error) error {
	for attempt := 1; ; attempt++ {
		err := try()
		if err != nil && db.Engine.Overflow(err) {
			return oms.TooLarge("a sum or product of amounts or quantities")
		}
		if err == nil || !db.Engine.Retryable(err) || attempt == MaxAttempts {
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
	tx := &Tx{tx: stx, db: db, now: db.now().UTC().Truncate(time.Microsecond), own: true}
	if c := db.stmtCache(pool); c != nil {
		tx.stmts = c
		defer c.prepareWanted(ctx, pool)
	}
	if err := fn(tx); err != nil {
		stx.Rollback()
		return err
	}
	if err := stx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// Exec runs one statement on the writer, outside any transaction: for
// statements an engine refuses inside one (PRAGMA wal_checkpoint,
// CHECKPOINT).
func (db *DB) Exec(ctx context.Context, query string, args ...any) error {
	_, err := db.Write.ExecContext(ctx, db.Engine.Rebind(query), args...)
	return err
}

// QueryRow runs a query on the read pool, outside any transaction.
func (db *DB) QueryRow(ctx context.Context, query string, args ...any) *sql.Row {
	return db.Read.QueryRowContext(ctx, query, args...)
}

// Each runs the query and calls fn for each row.
func (tx *Tx) Each(ctx context.Context, q string, args []any, fn func(*sql.Rows) error) error {
	rows, err := tx.QueryContext(ctx, q, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// InsertRows inserts rows into table in as few statements as the engines'
// parameter limits allow, each followed by suffix (such as ON CONFLICT).
func (tx *Tx) InsertRows(ctx context.Context, table string, cols []Column, rows [][]any, suffix string) error {
	per := len(rows)
	sqlite := tx.db.Engine.Name == "sqlite"
	if sqlite {
		per = max(1, 30000/len(cols))
	}
	for len(rows) > 0 {
		n := min(per, len(rows))
		if sqlite {
			n = 1 << (bits.Len(uint(n)) - 1) // a size the writer keeps prepared
		}
		src, args := tx.db.Engine.RowSource(cols, rows[:n], nil)
		q := "INSERT INTO " + table + " (" + ColumnNames(cols) + ") " + src + suffix
		if _, err := tx.ExecContext(ctx, q, args...); err != nil {
			return fmt.Errorf("insert %s: %w", table, err)
		}
		rows = rows[n:]
	}
	return nil
}

// InUnit reports whether ctx carries a unit of work of db.
func (db *DB) InUnit(ctx context.Context) bool { return unitOf(ctx, db) != nil }

// Pool runs single-statement reads outside a transaction: on a pool, or in
// the unit of work the context carries.
type Pool struct {
	db    *sql.DB
	stmts *stmtCache // the pool's prepared statements, or nil
	owner *DB
}

// ReadPool runs single-statement reads on the read pool, or in the unit of
// work the context carries.
func (db *DB) ReadPool() Pool { return Pool{db.Read, db.stmtCache(db.Read), db} }

// QueryContext runs a query.
func (p Pool) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if u := unitOf(ctx, p.owner); u != nil {
		return u.query(ctx, query, args...)
	}
	q := p.owner.Engine.Rebind(query)
	if s := p.stmt(ctx, q); s != nil {
		return s.QueryContext(ctx, args...)
	}
	return p.db.QueryContext(ctx, q, args...)
}

// QueryRowContext runs a query expected to return at most one row.
func (p Pool) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if u := unitOf(ctx, p.owner); u != nil {
		return u.queryRow(ctx, query, args...)
	}
	q := p.owner.Engine.Rebind(query)
	if s := p.stmt(ctx, q); s != nil {
		return s.QueryRowContext(ctx, args...)
	}
	return p.db.QueryRowContext(ctx, q, args...)
}

// stmt returns the prepared form of q, or nil; it first prepares the
// statements that ran twice unprepared, holding no connection of the pool.
func (p Pool) stmt(ctx context.Context, q string) *sql.Stmt {
	if p.stmts == nil {
		return nil
	}
	if s := p.stmts.get(q); s != nil {
		return s
	}
	p.stmts.prepareWanted(ctx, p.db)
	return nil
}
