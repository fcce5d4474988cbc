package store

import (
	"context"
	"database/sql"
	"strings"
)

// SQL is written with PostgreSQL's numbered parameters ($1, $2 …), which
// SQLite also accepts, but SQLite treats "$1" as a named parameter and looks
// each one up in a list: parsing a statement with n of them costs n². The
// form "?1" means the same to SQLite and costs n, so statements are rebound
// to it on SQLite.

// ExecContext runs a statement in the transaction.
func (tx *Tx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return tx.Tx.ExecContext(ctx, tx.db.engine.rebind(query), args...)
}

// QueryContext runs a query in the transaction.
func (tx *Tx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return tx.Tx.QueryContext(ctx, tx.db.engine.rebind(query), args...)
}

// QueryRowContext runs a query expected to return at most one row.
func (tx *Tx) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	return tx.Tx.QueryRowContext(ctx, tx.db.engine.rebind(query), args...)
}

// rebindQuestion turns "$12" into "?12". Our SQL has no '$' inside string
// literals, so every '$' followed by a digit is a parameter.
func rebindQuestion(q string) string {
	if !strings.Contains(q, "$") {
		return q
	}
	b := []byte(q)
	for i := 0; i+1 < len(b); i++ {
		if b[i] == '$' && b[i+1] >= '0' && b[i+1] <= '9' {
			b[i] = '?'
		}
	}
	return string(b)
}
