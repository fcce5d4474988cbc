package store

import (
	"context"
	"database/sql"
	"time"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/fx"
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
	opts := &sql.TxOptions{ReadOnly: readOnly}
	if db.engine.name == "postgres" {
		opts.Isolation = sql.LevelRepeatableRead
	}
	return db.run(ctx, db.read, opts, fn)
}

// Exec runs one statement on the writer, outside any transaction: for
// statements an engine refuses inside one (PRAGMA wal_checkpoint,
// CHECKPOINT).
func (db *DB) Exec(ctx context.Context, query string, args ...any) error {
	_, err := db.write.ExecContext(ctx, db.engine.rebind(query), args...)
	return err
}

// QueryRow runs a query on the read pool, outside any transaction.
func (db *DB) QueryRow(ctx context.Context, query string, args ...any) *sql.Row {
	return db.read.QueryRowContext(ctx, query, args...)
}

// Now is the store's clock.
func (db *DB) Now() time.Time { return db.now() }

// Now is the time the transaction runs at, from the store's clock.
func (tx *Tx) Now() time.Time { return tx.now }

// Dialect is the engine's SQL where the engines differ.
type Dialect struct{ e engine }

// Dialect returns the engine's SQL differences.
func (db *DB) Dialect() Dialect { return Dialect{db.engine} }

// Dialect returns the engine's SQL differences.
func (tx *Tx) Dialect() Dialect { return Dialect{tx.db.engine} }

// Name is the engine: sqlite or postgres.
func (d Dialect) Name() string { return d.e.name }

// ForUpdate is the row-lock suffix for a SELECT (empty on SQLite, whose
// single writer needs none).
func (d Dialect) ForUpdate() string { return d.e.forUpdate }

// ForShare is the shared row-lock suffix for a SELECT.
func (d Dialect) ForShare() string { return d.e.forShare }

// NotNull reports whether err is a NOT NULL column refusing NULL.
func (d Dialect) NotNull(err error) bool { return d.e.notNull(err) }

// Column is a column of a bulk statement, with its PostgreSQL type.
type Column struct{ Name, Type string }

func columnsOf(cols []Column) []column {
	out := make([]column, len(cols))
	for i, c := range cols {
		out[i] = column{c.Name, c.Type}
	}
	return out
}

// InList returns "expr IN ($n, …)" on SQLite and "expr = ANY($n::type[])"
// on PostgreSQL, with its arguments appended to args.
func (d Dialect) InList(expr, pgType string, vals []any, args []any) (string, []any) {
	return d.e.inList(expr, pgType, vals, args)
}

// RowSource returns the rows as a source for INSERT … <source>, with its
// arguments appended to args; it panics unless every row has a value per
// column.
func (d Dialect) RowSource(cols []Column, rows [][]any, args []any) (string, []any) {
	return d.e.rowSource(columnsOf(cols), rows, args)
}

// RowTable returns the rows as a table expression with named columns, for
// UPDATE … FROM or a join: "(SELECT …) AS alias".
func (d Dialect) RowTable(cols []Column, rows [][]any, args []any, alias string) (string, []any) {
	return d.e.rowTable(columnsOf(cols), rows, args, alias)
}

// InsertRows inserts rows into table in as few statements as the engines'
// parameter limits allow, each followed by suffix (such as ON CONFLICT).
func (tx *Tx) InsertRows(ctx context.Context, table string, cols []Column, rows [][]any, suffix string) error {
	return tx.insertRowsThen(ctx, table, columnsOf(cols), rows, suffix)
}

// Each runs the query and calls fn for each row.
func (tx *Tx) Each(ctx context.Context, q string, args []any, fn func(*sql.Rows) error) error {
	return tx.scanEach(ctx, q, args, fn)
}

// Setting reads the JSON setting under key into v; v keeps its defaults
// when the setting was never saved.
func (tx *Tx) Setting(ctx context.Context, key string, v any) error { return tx.setting(ctx, key, v) }

// PutSetting saves v as the JSON setting under key, with the
// settings.saved event naming key.
func (tx *Tx) PutSetting(ctx context.Context, key string, v any, by oms.Principal) error {
	return tx.putSetting(ctx, key, v, by.Actor())
}

// CurrencySettings returns the base currency settings.
func (tx *Tx) CurrencySettings(ctx context.Context) (oms.CurrencySettings, error) {
	return tx.currencySettings(ctx)
}

// RatesOn returns the exchange rates in force on each day (UTC midnights),
// nil for a day without.
func (tx *Tx) RatesOn(ctx context.Context, days []time.Time) (map[time.Time]*fx.RateSet, error) {
	return tx.ratesOn(ctx, days)
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
// integers (what, which, found, expected), and adds one violation named name to r per row.
func (tx *Tx) Violations(ctx context.Context, r *oms.CheckReport, name, q string) error {
	return tx.violations(ctx, r, name, q)
}

// scanEach runs the query and calls fn for each row.
func (tx *Tx) scanEach(ctx context.Context, q string, args []any, fn func(*sql.Rows) error) error {
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
