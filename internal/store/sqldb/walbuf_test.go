package sqldb

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"
)

// TestWalBuf proves the SQLite writer's log writes are gathered: a commit
// of a few hundred pages reaches the log in a handful of writes, what it
// wrote is there for the readers at once and after a reopen, and a
// transaction that spills pages to the log before its commit (and rewrites
// them there) leaves a sound database. A writer with synchronous=NORMAL
// does not gather.
func TestWalBuf(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "oms.db")
	db, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { db.Close() }()
	if _, err := db.Write.Exec("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)"); err != nil {
		t.Fatal(err)
	}
	fill := strings.Repeat("x", 400)
	const rows = 2000 // about 200 pages of 4 KiB
	before := walBufWrites.Load()
	err = db.Update(ctx, func(tx *Tx) error {
		for i := range rows {
			if _, err := tx.ExecContext(ctx, "INSERT INTO t (id, v) VALUES ($1, $2)", i, fill); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	writes := walBufWrites.Load() - before
	// ~200 frames of 4,120 bytes: 7 pieces of 124 KiB; unbuffered it is 400 writes.
	if writes < 1 || writes > 12 {
		t.Errorf("a commit of %d rows reached the log in %d writes, want 1–12", rows, writes)
	}
	var n int
	if err := db.Read.QueryRowContext(ctx, "SELECT COUNT(*) FROM t").Scan(&n); err != nil || n != rows {
		t.Fatalf("a reader after the commit counts %d rows (%v), want %d", n, err, rows)
	}

	// A page cache of 10 pages spills the transaction's pages to the log
	// before its commit; updating every row twice writes some pages again.
	if _, err := db.Write.Exec("PRAGMA cache_size = 10"); err != nil {
		t.Fatal(err)
	}
	err = db.Update(ctx, func(tx *Tx) error {
		for _, v := range []string{"y", "z"} {
			if _, err := tx.ExecContext(ctx, "UPDATE t SET v = $1 || substr(v, 2)", v); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	if db, err = Open(path, Options{}); err != nil {
		t.Fatal(err)
	}
	var check string
	if err := db.Read.QueryRowContext(ctx, "PRAGMA integrity_check").Scan(&check); err != nil || check != "ok" {
		t.Fatalf("integrity check after the reopen: %q, %v", check, err)
	}
	if err := db.Read.QueryRowContext(ctx, "SELECT COUNT(*) FROM t WHERE v LIKE 'z%' AND length(v) = 400").Scan(&n); err != nil || n != rows {
		t.Fatalf("after the reopen %d rows hold the last update (%v), want %d", n, err, rows)
	}

	normal, err := Open(filepath.Join(t.TempDir(), "normal.db"), Options{SQLiteSync: "normal"})
	if err != nil {
		t.Fatal(err)
	}
	defer normal.Close()
	before = walBufWrites.Load()
	if _, err := normal.Write.Exec("CREATE TABLE t (id INTEGER PRIMARY KEY)"); err != nil {
		t.Fatal(err)
	}
	if writes := walBufWrites.Load() - before; writes != 0 {
		t.Errorf("a writer with synchronous=NORMAL gathered %d writes, want none", writes)
	}
}

// TestWalBufRollback proves that frames a rolled-back transaction spilled
// to the log never overwrite what another connection commits there next:
// connection a spills and rolls back, b commits over the same part of the
// log, and a then reads b's pages from it.
func TestWalBufRollback(t *testing.T) {
	if err := registerWalBufVFS(); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "oms.db")
	open := func() *sql.DB {
		db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)"+
			"&_pragma=cache_size(10)&_txlock=immediate&vfs="+walBufVFSName)
		if err != nil {
			t.Fatal(err)
		}
		db.SetMaxOpenConns(1)
		t.Cleanup(func() { db.Close() })
		return db
	}
	a, b := open(), open()
	if _, err := a.Exec("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)"); err != nil {
		t.Fatal(err)
	}
	// With the log emptied, the rollback reads what it undoes from the
	// database file, not from the log.
	if _, err := a.Exec("PRAGMA wal_checkpoint(TRUNCATE)"); err != nil {
		t.Fatal(err)
	}
	fill := strings.Repeat("a", 400)
	tx, err := a.Begin()
	if err != nil {
		t.Fatal(err)
	}
	for i := range 500 {
		if _, err := tx.Exec("INSERT INTO t (id, v) VALUES (?, ?)", i, fill); err != nil {
			t.Fatal(err)
		}
	}
	// New overflow pages spill without reading any back: the spill's last
	// frames are still gathered when the transaction rolls back.
	if _, err := tx.Exec("INSERT INTO t (id, v) VALUES (-1, CAST(zeroblob(400000) AS TEXT))"); err != nil {
		t.Fatal(err)
	}
	if err := tx.Rollback(); err != nil {
		t.Fatal(err)
	}
	// b commits over the part of the log that a's rollback left, in one
	// transaction, so that no later frame stands in for one of these.
	fill = strings.Repeat("b", 400)
	tx, err = b.Begin()
	if err != nil {
		t.Fatal(err)
	}
	for i := range 3000 {
		if _, err := tx.Exec("INSERT INTO t (id, v) VALUES (?, ?)", i, fill); err != nil {
			t.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := a.QueryRow("SELECT COUNT(*) FROM t WHERE v = ?", fill).Scan(&n); err != nil || n != 3000 {
		t.Fatalf("a reads %d of b's rows (%v), want 3000", n, err)
	}
	a.Close()
	b.Close()
	c := open()
	var check string
	if err := c.QueryRow("PRAGMA integrity_check").Scan(&check); err != nil || check != "ok" {
		t.Fatalf("integrity check: %q, %v", check, err)
	}
	if err := c.QueryRow("SELECT COUNT(*) FROM t WHERE v = ?", fill).Scan(&n); err != nil || n != 3000 {
		t.Fatalf("after a reopen %d of b's rows (%v), want 3000", n, err)
	}
}
