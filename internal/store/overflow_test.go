package store

import (
	"context"
	"testing"

	"github.com/omshq/oms/internal/store/sqldb"

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
	sumErr := db.Read.QueryRowContext(ctx, "SELECT SUM(x) FROM (SELECT 9223372036854775807 AS x UNION ALL SELECT 1) s").Scan(&n)
	dupErr := db.Write.QueryRowContext(ctx, "SELECT 1 FROM nope").Scan(&n)
	for _, c := range []struct {
		name   string
		engine sqldb.Engine
		err    error
		want   bool
	}{
		{"numeric_value_out_of_range", sqldb.Postgres, &pgconn.PgError{Code: "22003"}, true},
		{"unique violation", sqldb.Postgres, &pgconn.PgError{Code: "23505"}, false},
		{"SUM overflow", sqldb.SQLite, sumErr, true},
		{"another SQLite error", sqldb.SQLite, dupErr, false},
	} {
		if got := c.engine.Overflow(c.err); got != c.want {
			t.Errorf("%s: overflow = %v, want %v (%v)", c.name, got, c.want, c.err)
		}
	}
	err = db.View(ctx, func(tx *Tx) error {
		return tx.QueryRowContext(ctx, "SELECT SUM(x) FROM (SELECT 9223372036854775807 AS x UNION ALL SELECT 1) s").Scan(&n)
	})
	if oms.ErrorCode(err) != oms.ECONFLICT {
		t.Errorf("a SUM past 64 bits: %v", err)
	}
}
