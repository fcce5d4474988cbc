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
	q := tx.statement(query)
	ctx = tx.unwatched(ctx)
	if s := tx.stmt(ctx, q); s != nil {
		return s.ExecContext(ctx, args...)
	}
	return tx.tx.ExecContext(ctx, q, args...)
}

// QueryContext runs a query in the transaction.
func (tx *Tx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	q := tx.statement(query)
	ctx = tx.unwatched(ctx)
	if s := tx.stmt(ctx, q); s != nil {
		return s.QueryContext(ctx, args...)
	}
	return tx.tx.QueryContext(ctx, q, args...)
}

// QueryRowContext runs a query expected to return at most one row.
func (tx *Tx) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	q := tx.statement(query)
	ctx = tx.unwatched(ctx)
	if s := tx.stmt(ctx, q); s != nil {
		return s.QueryRowContext(ctx, args...)
	}
	return tx.tx.QueryRowContext(ctx, q, args...)
}

// statement is the query as the transaction runs it: rebound for its
// engine, and with its conflict clause (EndOnError).
func (tx *Tx) statement(query string) string {
	k := textKey{query, tx.whole}
	if tx.stmts == nil {
		return k.form(tx.db.Engine)
	}
	return tx.stmts.text(k, tx.db.Engine)
}

// form makes the text of the query for the engine.
func (k textKey) form(e Engine) string {
	q := e.Rebind(k.query)
	if k.whole {
		q = rollbackOnConflict(q)
	}
	return q
}

// EndOnError declares that the transaction ends at its first failed
// statement: the caller rolls it back, and runs it again or gives up, but
// never goes on in it after an error. On SQLite its inserts and updates
// then run as INSERT OR ROLLBACK and UPDATE OR ROLLBACK, and SQLite keeps no
// statement journal for them: a statement that may change several rows and
// fail part-way otherwise first copies every page it changes, so that it
// can undo itself alone and leave the transaction open; for an order
// batch that copying was about 6 % of the SQLite writer's CPU. A failed
// statement then ends the transaction in SQLite at once; the rollback the
// caller runs finds nothing to undo. In a unit of work, whose calls are
// undone one at a time (and in a transaction that runs savepoints), it
// must not be used; in a unit's call it does nothing.
func (tx *Tx) EndOnError() { tx.whole = tx.own && tx.db.Engine.Name == "sqlite" }

// rollbackOnConflict gives an INSERT or UPDATE statement SQLite's OR
// ROLLBACK conflict clause; other statements, and those with a clause of
// their own, are left as they are. An upsert's ON CONFLICT clause still
// decides for its own constraint.
func rollbackOnConflict(q string) string {
	t := strings.TrimLeft(q, " \t\n")
	switch {
	case strings.HasPrefix(t, "INSERT INTO "):
		return "INSERT OR ROLLBACK INTO " + t[len("INSERT INTO "):]
	case strings.HasPrefix(t, "UPDATE ") && !strings.HasPrefix(t, "UPDATE OR "):
		return "UPDATE OR ROLLBACK " + t[len("UPDATE "):]
	}
	return q
}

// unwatched returns the context a statement of the transaction runs
// under. For every statement run under a context that can end, SQLite's
// driver starts a goroutine that waits for the end and a progress handler
// that polls for it: an order batch runs some fifteen statements, and the
// watching cost about 3 % of the SQLite writer's CPU. On SQLite's writer
// connection a statement therefore runs under its context without the
// end, after checking that the context has not ended: a batch past its
// deadline fails at its next statement, as before, but a statement that
// has started runs to its end. A write transaction's statements are short
// (the writer holds the database's one write lock), and reads, where a
// long query may be cut short, keep the watch.
func (tx *Tx) unwatched(ctx context.Context) context.Context {
	if tx.stmts != &tx.db.stmts || ctx.Err() != nil {
		return ctx // an ended context fails the statement at once
	}
	return context.WithoutCancel(ctx)
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
