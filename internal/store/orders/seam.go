package orders

import (
	"context"
	"database/sql"
	"time"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/fx"
	"github.com/omshq/oms/internal/store/check"
	"github.com/omshq/oms/internal/store/sqldb"
)

// The engine seam as other packages use it (the report read model,
// internal/store/reports, above all): transactions with the store's
// retries, statements outside any, the engines' differences (Dialect),
// bulk row sources, and the clock. It is kept small on purpose; a package
// that needs more of the store asks for it here, by name.

// Update runs fn in a read-write transaction and commits it, running the
// whole of fn again when the engine reports a transient conflict
// (PostgreSQL's serialization failures and deadlocks, SQLite's busy
// database), so fn must be safe to run again. What fn changes is on the
// change feed like any other write of the store.
func (db *DB) Update(ctx context.Context, fn func(*Tx) error) error {
	return db.update(ctx, fn)
}

// View runs fn in a read-only transaction on the read pool.
func (db *DB) View(ctx context.Context, fn func(*Tx) error) error {
	return db.view(ctx, fn)
}

// Snapshot runs fn in a transaction on the read pool that sees the
// database as of one moment (REPEATABLE READ on PostgreSQL; a SQLite read
// transaction is one), read-only when readOnly.
func (db *DB) Snapshot(ctx context.Context, readOnly bool, fn func(*Tx) error) error {
	return db.SQL.Snapshot(ctx, readOnly, db.inTx(ctx, fn))
}

// Exec runs one statement on the writer, outside any transaction: for
// statements an engine refuses inside one (PRAGMA wal_checkpoint,
// CHECKPOINT).
func (db *DB) Exec(ctx context.Context, query string, args ...any) error {
	return db.SQL.Exec(ctx, query, args...)
}

// QueryRow runs a query on the read pool, outside any transaction.
func (db *DB) QueryRow(ctx context.Context, query string, args ...any) *sql.Row {
	return db.SQL.QueryRow(ctx, query, args...)
}

// Now is the store's clock.
func (db *DB) Now() time.Time { return db.now() }

// Dialect is the engine's SQL where the engines differ (sqldb.Dialect).
type Dialect = sqldb.Dialect

// Dialect returns the engine's SQL differences.
func (db *DB) Dialect() Dialect { return db.SQL.Dialect() }

// column is a column of a set-based statement of the store, with its
// PostgreSQL type (sqldb.Column).
type column = sqldb.Column

// A transaction's Now, Dialect, InsertRows and Each are the seam's
// (sqldb.Tx).

// setting reads the JSON setting under key into v (sqldb.Tx.Setting).
func (tx *Tx) setting(ctx context.Context, key string, v any) error { return tx.Setting(ctx, key, v) }

// The settings' statements and how long a cached one lasts (sqldb).
const (
	selectSetting = sqldb.SelectSetting
	upsertSetting = sqldb.UpsertSetting
	settingsTTL   = sqldb.SettingsTTL
)

// PutSetting saves v as the JSON setting under key, with the
// settings.saved event naming key.
func (tx *Tx) PutSetting(ctx context.Context, key string, v any, by oms.Principal) error {
	return tx.SaveSetting(ctx, key, v, by.Actor())
}

// CurrencySettings returns the base currency settings.
func (tx *Tx) CurrencySettings(ctx context.Context) (oms.CurrencySettings, error) {
	return tx.DB.Settings.CurrencyIn(ctx, tx.Seam())
}

// RatesOn returns the exchange rates in force on each day (UTC midnights),
// nil for a day without.
func (tx *Tx) RatesOn(ctx context.Context, days []time.Time) (map[time.Time]*fx.RateSet, error) {
	return tx.DB.Rates.RatesIn(ctx, tx.Seam(), days)
}

// ResolveFilters looks up the ids of the channel code, location code and
// SKU a query filters by (0 where empty). It records a problem under the
// field of each that names nothing, and of each refused names a reason
// for.
func (tx *Tx) ResolveFilters(ctx context.Context, p *oms.Problems, channel, location, sku string,
	refused func(field string) string) (channelID, locationID, itemID int64, err error) {
	ids, err := tx.resolveFilters(ctx, p, channel, location, sku, refused)
	return ids.channel, ids.location, ids.item, err
}

// Violations runs a check's query, whose rows are two texts and two
// integers (what, which, found, expected), and adds one violation named name to r per row
// (check.Violations).
func (tx *Tx) Violations(ctx context.Context, r *oms.CheckReport, name, q string) error {
	return check.Violations(ctx, tx.Tx, r, name, q)
}

// scanEach runs the query and calls fn for each row.
func (tx *Tx) scanEach(ctx context.Context, q string, args []any, fn func(*sql.Rows) error) error {
	return tx.Each(ctx, q, args, fn)
}

// TxOf is the store's transaction over the seam's stx, for an area package
// that calls back into the store in its own transaction.
func (db *DB) TxOf(stx *sqldb.Tx) *Tx { return &Tx{Tx: stx, DB: db} }

// scanner is a row to scan (sqldb.Scanner).
type scanner = sqldb.Scanner

// upsert runs insert (ON CONFLICT DO NOTHING RETURNING …) and, when the row
// already existed, update with the same arguments (sqldb.Tx.Upsert).
func (tx *Tx) upsert(ctx context.Context, insert, update string, args []any, dest ...any) (bool, error) {
	return tx.Upsert(ctx, insert, update, args, dest...)
}

// placeholders returns "$from, $from+1, …" for n parameters.
func placeholders(from, n int) string { return sqldb.Placeholders(from, n) }

// Seam is the seam's transaction under tx, for the areas that run on the
// seam alone.
func (tx *Tx) Seam() *sqldb.Tx { return tx.Tx }
