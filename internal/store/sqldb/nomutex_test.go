package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	sqlite3 "modernc.org/sqlite/lib"
)

// connMutex is the SQLite mutex of one connection of the pool: 0 when the
// connection goes without one.
func connMutex(t *testing.T, pool *sql.DB) uintptr {
	t.Helper()
	c, err := pool.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	var m uintptr
	err = c.Raw(func(dc any) error {
		h := connHandle(dc)
		if h == 0 {
			return fmt.Errorf("no database handle in %T", dc)
		}
		m = at[sqlite3.Tsqlite3](h).Fmutex
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestNoMutex proves that the connections oms opens to a SQLite file go
// without SQLite's connection mutex, that a connection whose DSN does not
// ask keeps it, and that the pools still work side by side: a writer
// committing while readers read, each connection used by one goroutine at a
// time.
func TestNoMutex(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "oms.db")
	before := noMutexDropped.Load()
	db, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { db.Close() }()
	if m := connMutex(t, db.Write); m != 0 {
		t.Errorf("the writer's connection has SQLite's mutex %#x, want none", m)
	}
	if m := connMutex(t, db.Read); m != 0 {
		t.Errorf("a reader's connection has SQLite's mutex %#x, want none", m)
	}
	// The writer and a reader at least (the checkpointer opens its
	// connection at its first tick).
	if n := noMutexDropped.Load() - before; n < 2 {
		t.Errorf("%d connections went without the mutex, want at least 2", n)
	}
	plain, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer plain.Close()
	if m := connMutex(t, plain); m == 0 {
		t.Error("a connection whose DSN does not ask lost its mutex")
	}

	if _, err := db.Write.Exec("CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER NOT NULL)"); err != nil {
		t.Fatal(err)
	}
	const writes, readers = 200, 8
	var wg sync.WaitGroup
	wg.Go(func() {
		for i := range writes {
			err := db.Update(ctx, func(tx *Tx) error {
				_, err := tx.ExecContext(ctx, "INSERT INTO t (id, v) VALUES ($1, $2)", i, i*2)
				return err
			})
			if err != nil {
				t.Error(err)
				return
			}
		}
	})
	for range readers {
		wg.Go(func() {
			for range writes {
				var n, sum int64
				if err := db.Read.QueryRowContext(ctx, "SELECT COUNT(*), COALESCE(SUM(v), 0) FROM t").Scan(&n, &sum); err != nil {
					t.Error(err)
					return
				}
				if sum != n*(n-1) {
					t.Errorf("a reader saw %d rows summing to %d, want %d", n, sum, n*(n-1))
					return
				}
			}
		})
	}
	wg.Wait()
	var n int
	if err := db.Read.QueryRowContext(ctx, "SELECT COUNT(*) FROM t").Scan(&n); err != nil || n != writes {
		t.Fatalf("%d rows (%v), want %d", n, err, writes)
	}

	// A context that ends interrupts a long query from the driver's
	// goroutine that watches it, and the connection serves the next one.
	db.Read.SetMaxOpenConns(1)
	short, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
	defer cancel()
	err = db.Read.QueryRowContext(short, `WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c)
SELECT COUNT(*) FROM c`).Scan(&n)
	if err == nil {
		t.Fatal("an endless query returned without an error")
	}
	if !errors.Is(err, context.DeadlineExceeded) && !strings.Contains(err.Error(), "interrupt") {
		t.Fatalf("an endless query ended with %v, want the deadline or an interrupt", err)
	}
	if err := db.Read.QueryRowContext(ctx, "SELECT COUNT(*) FROM t").Scan(&n); err != nil || n != writes {
		t.Fatalf("after an interrupted query: %d rows (%v), want %d", n, err, writes)
	}
}

// TestNoMutexUnreachable proves that a connection the hook cannot reach
// fails to open, rather than keeping its mutex unnoticed.
func TestNoMutexUnreachable(t *testing.T) {
	if err := dropMutex(nil, "file:x?"+noMutexParam); err == nil {
		t.Error("a nil connection: no error")
	}
	if err := dropMutex(nil, "file:x"); err != nil {
		t.Errorf("a DSN that does not ask: %v", err)
	}
}
