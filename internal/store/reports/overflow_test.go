package reports

import (
	"context"
	"math"
	"testing"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/store"
)

// TestRollupSumOverflow: on SQLite, whose + turns an overflow into floating
// point, a rollup sum past 64 bits is refused as oms.TooLarge and the row
// keeps its value.
func TestRollupSumOverflow(t *testing.T) {
	ctx := context.Background()
	db := open(t, ctx, t.TempDir()+"/oms.db", store.Options{FoldEvery: -1})
	row := func(units int64) [][]any {
		return [][]any{{int64(0), int64(20_000), int64(1), int64(1), "damaged", int64(0), units}}
	}
	upsert := func(units int64) error {
		return db.update(ctx, func(tx *txn) error { return tx.upsertRollup(ctx, "rollup_returns", returnRollCol, 6, row(units)) })
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
	if err := db.db.QueryRow(ctx, "SELECT units FROM rollup_returns").Scan(&got); err != nil || got != int64(-1) {
		t.Errorf("units %v (%T): %v", got, got, err)
	}
}
