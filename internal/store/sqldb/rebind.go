package sqldb

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
	q := tx.db.Engine.Rebind(query)
	if s := tx.stmt(ctx, q); s != nil {
		return s.ExecContext(ctx, args...)
	}
	return tx.tx.ExecContext(ctx, q, args...)
}

// QueryContext runs a query in the transaction.
func (tx *Tx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	q := tx.db.Engine.Rebind(query)
	if s := tx.stmt(ctx, q); s != nil {
		return s.QueryContext(ctx, args...)
	}
	return tx.tx.QueryContext(ctx, q, args...)
}

// QueryRowContext runs a query expected to return at most one row.
func (tx *Tx) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	q := tx.db.Engine.Rebind(query)
	if s := tx.stmt(ctx, q); s != nil {
		return s.QueryRowContext(ctx, args...)
	}
	return tx.tx.QueryRowContext(ctx, q, args...)
}

// rebindQuestion turns "$12" into "?12" — or, when the parameters appear
// exactly once each in order ($1, $2, $3 …), into plain "?", which SQLite
// binds without looking up a name at all. Our SQL has no '$' inside string
// literals, so every '$' followed by a digit is a parameter.
func rebindQuestion(q string) string {
	if !strings.Contains(q, "$") {
		return q
	}
	b := make([]byte, 0, len(q))
	next, inOrder := 1, true
	for i := 0; i < len(q); i++ {
		if q[i] != '$' || i+1 == len(q) || q[i+1] < '0' || q[i+1] > '9' {
			b = append(b, q[i])
			continue
		}
		j := i + 1
		n := 0
		for j < len(q) && q[j] >= '0' && q[j] <= '9' {
			n = n*10 + int(q[j]-'0')
			j++
		}
		inOrder = inOrder && n == next
		next++
		b = append(b, '?')
		b = append(b, q[i+1:j]...)
		i = j - 1
	}
	if !inOrder {
		return string(b)
	}
	// Drop the numbers: "?1, ?2" becomes "?, ?".
	out := b[:0]
	for i := 0; i < len(b); i++ {
		out = append(out, b[i])
		if b[i] == '?' {
			for i+1 < len(b) && b[i+1] >= '0' && b[i+1] <= '9' {
				i++
			}
		}
	}
	return string(out)
}
