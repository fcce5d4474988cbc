package store

import (
	"context"
	"math"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/omshq/oms"
)

// TestOverflowErrors: each engine tells its integer overflow, and only it,
// by its code; DB.run answers it as oms.TooLarge.
func TestOverflowErrors(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, t.TempDir()+"/oms.db", Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int64
	sumErr := db.read.QueryRowContext(ctx, "SELECT SUM(x) FROM (SELECT 9223372036854775807 AS x UNION ALL SELECT 1) s").Scan(&n)
	dupErr := db.write.QueryRowContext(ctx, "SELECT 1 FROM nope").Scan(&n)
	for _, c := range []struct {
		name   string
		engine engine
		err    error
		want   bool
	}{
		{"numeric_value_out_of_range", postgres, &pgconn.PgError{Code: "22003"}, true},
		{"unique violation", postgres, &pgconn.PgError{Code: "23505"}, false},
		{"SUM overflow", sqliteEngine, sumErr, true},
		{"another SQLite error", sqliteEngine, dupErr, false},
	} {
		if got := c.engine.overflow(c.err); got != c.want {
			t.Errorf("%s: overflow = %v, want %v (%v)", c.name, got, c.want, c.err)
		}
	}
	err = db.view(ctx, func(tx *Tx) error {
		return tx.QueryRowContext(ctx, "SELECT SUM(x) FROM (SELECT 9223372036854775807 AS x UNION ALL SELECT 1) s").Scan(&n)
	})
	if oms.ErrorCode(err) != oms.ECONFLICT {
		t.Errorf("a SUM past 64 bits: %v", err)
	}
}

// TestRollupSumOverflow: on SQLite, whose + turns an overflow into floating
// point, a rollup sum past 64 bits is refused as oms.TooLarge and the row
// keeps its value.
func TestRollupSumOverflow(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, t.TempDir()+"/oms.db", Options{FoldEvery: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	row := func(units int64) [][]any {
		return [][]any{{int64(0), int64(20_000), int64(1), int64(1), "damaged", int64(0), units}}
	}
	upsert := func(units int64) error {
		return db.update(ctx, func(tx *Tx) error { return tx.upsertRollup(ctx, "rollup_returns", returnRollCol, 6, row(units)) })
	}
	if err := upsert(math.MaxInt64 - 1); err != nil {
		t.Fatal(err)
	}
	if err := upsert(1); err != nil {
		t.Fatal(err)
	}
	if err := upsert(1); oms.ErrorCode(err) != oms.ECONFLICT {
		t.Fatalf("a sum past 64 bits: %v", err)
	}
	if err := upsert(math.MinInt64); err != nil {
		t.Fatalf("back down: %v", err)
	}
	var got any
	if err := db.read.QueryRowContext(ctx, "SELECT units FROM rollup_returns").Scan(&got); err != nil || got != int64(-1) {
		t.Errorf("units %v (%T): %v", got, got, err)
	}
}
