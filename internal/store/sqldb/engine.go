package sqldb

import (
	"errors"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// Engine is the narrow seam between SQLite and PostgreSQL.
type Engine struct {
	Name      string
	ForUpdate string                    // row-lock suffix for SELECT; SQLite's single writer needs none
	ForShare  string                    // shared row-lock suffix for SELECT
	LockOf    func(alias string) string // row-lock suffix for one table of a join
	Retryable func(error) bool
	Unique    func(error) bool
	Overflow  func(error) bool    // integer arithmetic went past 64 bits
	NotNull   func(error) bool    // a NOT NULL column was given NULL
	Rebind    func(string) string // parameter style the engine parses fastest
	// ByteOrder follows a text column to compare and sort it by its bytes
	// (UTF-8 code points), as Go compares strings, whatever the database's
	// collation: SKU pages and prefixes are ranges in that order.
	ByteOrder string
}

// SQLite is the embedded engine.
var SQLite = Engine{
	Name:   "sqlite",
	Rebind: rebindQuestion,
	LockOf: func(string) string { return "" },
	Retryable: func(err error) bool {
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
	Unique: func(err error) bool {
		var e *sqlite.Error
		return errors.As(err, &e) && (e.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE || e.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY)
	},
	// SQLite reports SUM's overflow with the generic SQLITE_ERROR code and
	// no extended one, so its message is all there is to tell it by.
	Overflow: func(err error) bool {
		var e *sqlite.Error
		return errors.As(err, &e) && e.Code() == sqlite3.SQLITE_ERROR && strings.Contains(e.Error(), "integer overflow")
	},
	NotNull: func(err error) bool {
		var e *sqlite.Error
		return errors.As(err, &e) && e.Code() == sqlite3.SQLITE_CONSTRAINT_NOTNULL
	},
}

// Postgres is the scale engine.
var Postgres = Engine{
	Name:      "postgres",
	Rebind:    func(q string) string { return q },
	ForUpdate: " FOR UPDATE",
	ForShare:  " FOR SHARE",
	ByteOrder: ` COLLATE "C"`,
	LockOf:    func(alias string) string { return " FOR UPDATE OF " + alias },
	Retryable: func(err error) bool {
		var e *pgconn.PgError
		return errors.As(err, &e) && (e.Code == "40001" || e.Code == "40P01")
	},
	Unique: func(err error) bool {
		var e *pgconn.PgError
		return errors.As(err, &e) && e.Code == "23505"
	},
	Overflow: func(err error) bool {
		var e *pgconn.PgError
		return errors.As(err, &e) && e.Code == "22003" // numeric_value_out_of_range
	},
	NotNull: func(err error) bool {
		var e *pgconn.PgError
		return errors.As(err, &e) && e.Code == "23502"
	},
}

// Dialect is the engine's SQL where the engines differ, as the packages
// above the store's areas (the report read model) use it.
type Dialect struct{ e Engine }

// Dialect returns the engine's SQL differences.
func (db *DB) Dialect() Dialect { return Dialect{db.Engine} }

// Dialect returns the engine's SQL differences.
func (tx *Tx) Dialect() Dialect { return Dialect{tx.db.Engine} }

// Name is the engine: sqlite or postgres.
func (d Dialect) Name() string { return d.e.Name }

// ForUpdate is the row-lock suffix for a SELECT (empty on SQLite, whose
// single writer needs none).
func (d Dialect) ForUpdate() string { return d.e.ForUpdate }

// ForShare is the shared row-lock suffix for a SELECT.
func (d Dialect) ForShare() string { return d.e.ForShare }

// NotNull reports whether err is a NOT NULL column refusing NULL.
func (d Dialect) NotNull(err error) bool { return d.e.NotNull(err) }

// InList returns "expr IN ($n, …)" on SQLite and "expr = ANY($n::type[])"
// on PostgreSQL, with its arguments appended to args.
func (d Dialect) InList(expr, pgType string, vals []any, args []any) (string, []any) {
	return d.e.InList(expr, pgType, vals, args)
}

// RowSource returns the rows as a source for INSERT … <source>, with its
// arguments appended to args; it panics unless every row has a value per
// column.
func (d Dialect) RowSource(cols []Column, rows [][]any, args []any) (string, []any) {
	return d.e.RowSource(cols, rows, args)
}

// RowTable returns the rows as a table expression with named columns, for
// UPDATE … FROM or a join: "(SELECT …) AS alias".
func (d Dialect) RowTable(cols []Column, rows [][]any, args []any, alias string) (string, []any) {
	return d.e.RowTable(cols, rows, args, alias)
}
