package store_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/store"
	"github.com/omshq/oms/internal/store/storetest"
)

// TestSearchPendingList: on PostgreSQL the search index takes new orders
// into GIN's pending list; a search through the index finds them before
// the list is merged and after, and merging is safe to repeat. On SQLite
// merging does nothing.
func TestSearchPendingList(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		db := setup(t, e)
		for i := range 3 {
			_, _, err := db.PlaceOrder(ctx, draft("b2b", fmt.Sprintf("pend-%d", i), line("A", 1)), oms.System("test"))
			must(t, err)
		}
		if db.Engine() != "postgres" {
			pages, err := db.CleanSearchPending(ctx)
			if err != nil || pages != 0 {
				t.Fatalf("SQLite merge: %d pages, %v", pages, err)
			}
			return
		}
		raw := store.RawForTest(db)
		var opts string
		must(t, raw.QueryRowContext(ctx,
			"SELECT array_to_string(reloptions, ',') FROM pg_class WHERE oid = 'order_search_doc'::regclass").Scan(&opts))
		if opts != "fastupdate=on" {
			t.Fatalf("order_search_doc options %q, want fastupdate=on", opts)
		}
		// Through the index only, so that the pending list is what is read.
		count := func() int {
			t.Helper()
			conn, err := raw.Conn(ctx)
			must(t, err)
			defer conn.Close()
			tx, err := conn.BeginTx(ctx, nil)
			must(t, err)
			defer tx.Rollback()
			_, err = tx.ExecContext(ctx, "SET LOCAL enable_seqscan = off")
			must(t, err)
			var n int
			must(t, tx.QueryRowContext(ctx,
				"SELECT count(*) FROM order_search WHERE doc @@ to_tsquery('simple', 'ann')").Scan(&n))
			return n
		}
		if n := count(); n != 3 {
			t.Fatalf("before the merge the index finds %d orders, want 3", n)
		}
		// The background merger may have run first: any number of pages.
		_, err := db.CleanSearchPending(ctx)
		must(t, err)
		if n := count(); n != 3 {
			t.Fatalf("after the merge the index finds %d orders, want 3", n)
		}
		pages, err := db.CleanSearchPending(context.Background())
		if err != nil || pages != 0 {
			t.Errorf("second merge: %d pages, %v; want 0, nil", pages, err)
		}
	})
}
