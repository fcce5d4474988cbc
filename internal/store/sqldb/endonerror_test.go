package sqldb

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"testing"
)

func TestRollbackOnConflict(t *testing.T) {
	for q, want := range map[string]string{
		"INSERT INTO t (a) VALUES (?)":                            "INSERT OR ROLLBACK INTO t (a) VALUES (?)",
		"\n  INSERT INTO t (a) VALUES (?) ON CONFLICT DO NOTHING": "INSERT OR ROLLBACK INTO t (a) VALUES (?) ON CONFLICT DO NOTHING",
		"\nUPDATE balances SET reserved = 1 FROM v":               "UPDATE OR ROLLBACK balances SET reserved = 1 FROM v",
		"UPDATE OR IGNORE t SET a = 1":                            "UPDATE OR IGNORE t SET a = 1",
		"INSERT OR REPLACE INTO t (a) VALUES (1)":                 "INSERT OR REPLACE INTO t (a) VALUES (1)",
		"WITH n AS (SELECT 1) INSERT INTO t SELECT * FROM n":      "WITH n AS (SELECT 1) INSERT INTO t SELECT * FROM n",
		"DELETE FROM t WHERE a = 1":                               "DELETE FROM t WHERE a = 1",
		"SELECT a FROM t":                                         "SELECT a FROM t",
	} {
		if got := rollbackOnConflict(q); got != want {
			t.Errorf("rollbackOnConflict(%q) = %q, want %q", q, got, want)
		}
	}
}

// TestEndOnError: in a transaction that ends at its first error, a failing
// insert of several rows ends the transaction in SQLite at once (what it
// wrote before is gone even if the caller went on), the caller's rollback
// is harmless and the writer serves the next transaction. Without it the
// failing statement is undone alone. In a unit of work a call is undone
// alone whatever it declared, and the unit goes on.
func TestEndOnError(t *testing.T) {
	ctx := context.Background()
	db, err := Open(filepath.Join(t.TempDir(), "oms.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Write.Exec("CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER NOT NULL CHECK (v >= 0))"); err != nil {
		t.Fatal(err)
	}
	count := func() int {
		t.Helper()
		var n int
		if err := db.Read.QueryRowContext(ctx, "SELECT COUNT(*) FROM t").Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	// seen is how many rows the transaction sees after a statement of two
	// rows, the second refused, failed.
	failing := func(end bool) func(tx *Tx) (seen int, err error) {
		return func(tx *Tx) (int, error) {
			if end {
				tx.EndOnError()
			}
			if _, err := tx.ExecContext(ctx, "INSERT INTO t (id, v) VALUES ($1, $2)", 1, 1); err != nil {
				return 0, err
			}
			if _, err := tx.ExecContext(ctx, "INSERT INTO t (id, v) VALUES (2, 2), (3, -1)"); err == nil {
				return 0, errors.New("a refused row was written")
			}
			var n int
			err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM t").Scan(&n)
			return n, err
		}
	}
	errFailed := errors.New("failed")
	for _, c := range []struct {
		end  bool
		seen int
	}{{false, 1}, {true, 0}} {
		var seen int
		err := db.Update(ctx, func(tx *Tx) (err error) {
			if seen, err = failing(c.end)(tx); err != nil {
				return err
			}
			return errFailed
		})
		if !errors.Is(err, errFailed) {
			t.Fatalf("EndOnError %v: %v", c.end, err)
		}
		if seen != c.seen {
			t.Errorf("EndOnError %v: after the failed statement the transaction saw %d rows, want %d", c.end, seen, c.seen)
		}
		if n := count(); n != 0 {
			t.Fatalf("EndOnError %v: %d rows after the rollback, want none", c.end, n)
		}
	}
	if err := db.Update(ctx, func(tx *Tx) error {
		tx.EndOnError()
		_, err := tx.ExecContext(ctx, "INSERT INTO t (id, v) VALUES (4, 4), (5, 5)")
		return err
	}); err != nil || count() != 2 {
		t.Fatalf("the next transaction: %v, %d rows, want 2", err, count())
	}

	err = db.Unit(ctx, func(ctx context.Context) error {
		err := db.Update(ctx, func(tx *Tx) error {
			seen, err := failing(true)(tx)
			if err == nil && seen != 3 {
				t.Errorf("in a unit, after the failed statement the call saw %d rows, want 3", seen)
			}
			return errFailed
		})
		if !errors.Is(err, errFailed) {
			t.Errorf("the failing call: %v", err)
		}
		return db.Update(ctx, func(tx *Tx) error {
			_, err := tx.ExecContext(ctx, "INSERT INTO t (id, v) VALUES (6, 6)")
			return err
		})
	})
	if err != nil || count() != 3 {
		t.Fatalf("the unit: %v, %d rows, want 3", err, count())
	}
}

// TestStatementTexts: the writer's statement texts are made once for each
// query and conflict clause, and no more are kept than the bound.
func TestStatementTexts(t *testing.T) {
	db := openTempSQLite(t)
	tx := &Tx{db: db, stmts: &db.stmts}
	q := "INSERT INTO t (a, b) VALUES ($1, $2)"
	for _, c := range []struct {
		whole bool
		want  string
	}{{false, "INSERT INTO t (a, b) VALUES (?, ?)"}, {true, "INSERT OR ROLLBACK INTO t (a, b) VALUES (?, ?)"}, {false, "INSERT INTO t (a, b) VALUES (?, ?)"}} {
		tx.whole = c.whole
		if got := tx.statement(q); got != c.want {
			t.Errorf("whole %v: %q, want %q", c.whole, got, c.want)
		}
	}
	for i := range 3 * db.stmts.limit {
		tx.statement(fmt.Sprintf("SELECT %d WHERE x = $1", i))
	}
	if n := len(db.stmts.texts); n > 2*db.stmts.limit {
		t.Errorf("%d texts kept, want at most %d", n, 2*db.stmts.limit)
	}
}
