package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"
	"unsafe"

	sqlite3 "modernc.org/sqlite/lib"
)

// TestPageCacheSwaps: SQLite takes the process's page cache, B-tree splits
// that reuse freed pages swap page numbers through the spare one and the
// cache's highest page number comes back from it, and the database stays
// sound through them — including a transaction that grows the file and is
// rolled back, whose pages past the end must leave the cache.
func TestPageCacheSwaps(t *testing.T) {
	if !pcacheInstalled.Load() {
		t.Fatal("SQLite did not take the page cache")
	}
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "oms.db")
	db, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Write.Exec("CREATE TABLE t (k TEXT PRIMARY KEY, v TEXT NOT NULL) WITHOUT ROWID"); err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	want := map[string]string{}
	insert := func(tx *Tx, n int) error {
		for range n {
			k, v := fmt.Sprintf("%016x", rng.Uint64()), fmt.Sprintf("%0200d", rng.IntN(1000))
			if _, err := tx.ExecContext(ctx, "INSERT INTO t (k, v) VALUES ($1, $2)", k, v); err != nil {
				return err
			}
			want[k] = v
		}
		return nil
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(db.Update(ctx, func(tx *Tx) error { return insert(tx, 20000) }))
	// Every other key goes: the freed pages are reused by the splits below,
	// below the pages that split.
	must(db.Update(ctx, func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, "DELETE FROM t WHERE substr(k, 16, 1) IN ('0','2','4','6','8','a','c','e')")
		return err
	}))
	for k := range want {
		if strings.ContainsRune("02468ace", rune(k[15])) {
			delete(want, k)
		}
	}
	before := pcacheRestored.Load()
	for range 20 {
		must(db.Update(ctx, func(tx *Tx) error { return insert(tx, 500) }))
	}
	if pcacheRestored.Load() == before {
		t.Fatal("no split swapped pages through the spare number")
	}
	// The writer's cache: its highest page number is at least every page's
	// it holds, and not the spare number.
	c := at[sqlite3.TPCache1](pcacheLast.Load())
	var held uint32
	for h := range c.FnHash {
		for pg := *at[uintptr](c.FapHash + uintptr(h)*unsafe.Sizeof(uintptr(0))); pg != 0; pg = at[sqlite3.TPgHdr1](pg).FpNext {
			held = max(held, at[sqlite3.TPgHdr1](pg).FiKey)
		}
	}
	if spare := uint32(pendingByte/c.FszPage + 1); c.FiMaxKey < held || c.FiMaxKey >= spare {
		t.Errorf("the cache's highest page number is %d; it holds pages up to %d, and the spare number is %d", c.FiMaxKey, held, spare)
	}
	// A transaction that grows the file and fails: its pages past the end
	// of the file leave the cache, and the next one writes others there.
	errFail := errors.New("fail")
	err = db.Update(ctx, func(tx *Tx) error {
		for i := range 5000 {
			k := fmt.Sprintf("zz%014d", i)
			if _, err := tx.ExecContext(ctx, "INSERT INTO t (k, v) VALUES ($1, $2)", k, fmt.Sprintf("%0300d", i)); err != nil {
				return err
			}
		}
		return errFail // only once every row is in
	})
	if !errors.Is(err, errFail) {
		t.Fatalf("the failing transaction ended with %v", err)
	}
	for range 10 {
		must(db.Update(ctx, func(tx *Tx) error { return insert(tx, 500) }))
	}
	// Another connection changes every page: the writer's next transaction
	// finds the log moved and drops every page it holds, the highest
	// number telling it which.
	other, err := sql.Open("sqlite", "file:"+path)
	must(err)
	defer other.Close()
	_, err = other.Exec("UPDATE t SET v = 'o' || substr(v, 2)")
	must(err)
	for k, v := range want {
		want[k] = "o" + v[1:]
	}
	must(db.Update(ctx, func(tx *Tx) error { return insert(tx, 10) }))
	var check string
	must(db.Write.QueryRow("PRAGMA integrity_check").Scan(&check))
	if check != "ok" {
		t.Fatalf("integrity_check: %s", check)
	}
	got := map[string]string{}
	rows, err := db.Write.Query("SELECT k, v FROM t")
	must(err)
	for rows.Next() {
		var k, v string
		must(rows.Scan(&k, &v))
		got[k] = v
	}
	must(rows.Err())
	if len(got) != len(want) {
		t.Fatalf("%d rows, want %d", len(got), len(want))
	}
	for k, v := range want {
		if got[k] != v {
			t.Fatalf("row %s holds %q, want %q", k, got[k], v)
		}
	}
}
