package store_test

import (
	"testing"

	"github.com/omshq/oms"

	"github.com/omshq/oms/internal/store"
	"github.com/omshq/oms/internal/store/storetest"
)

// The events a unit of work adds record the request id its context
// carries, through the order writer's batches too; work without one records
// none.
func TestEventRequestID(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		db := setup(t, e)
		receive(t, db, "A", "east", 10)
		o, _, err := db.PlaceOrder(store.WithRequestID(ctx, "req-place"), draft("web", "o1", line("A", 2)), oms.System("test"))
		must(t, err)
		_, err = db.CancelOrder(store.WithRequestID(ctx, "req-cancel"), o.ID, 0, nil, oms.System("test"))
		must(t, err)
		o2, _, err := db.PlaceOrder(ctx, draft("web", "o2", line("A", 1)), oms.System("test"))
		must(t, err)
		events, err := db.OrderEvents(ctx, o.ID)
		must(t, err)
		want := map[string]string{"order.created": "req-place", "order.cancelled": "req-cancel"}
		for _, ev := range events {
			if w, ok := want[ev.Type]; ok && ev.RequestID != w {
				t.Errorf("%s: request id %q, want %q", ev.Type, ev.RequestID, w)
			}
			delete(want, ev.Type)
		}
		if len(want) > 0 {
			t.Errorf("events %v missing from %+v", want, events)
		}
		events, err = db.OrderEvents(ctx, o2.ID)
		must(t, err)
		for _, ev := range events {
			if ev.RequestID != "" {
				t.Errorf("%s without a request: request id %q", ev.Type, ev.RequestID)
			}
		}
	})
}

// PendingMigrations counts what the database lacks: none after Open, one
// when a migration's record is gone.
func TestPendingMigrations(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		db := setup(t, e)
		n, err := db.PendingMigrations(ctx)
		must(t, err)
		if n != 0 {
			t.Fatalf("%d pending after Open", n)
		}
		_, err = store.RawForTest(db).ExecContext(ctx, "DELETE FROM goose_db_version WHERE version_id = 12")
		must(t, err)
		if n, err = db.PendingMigrations(ctx); err != nil || n != 1 {
			t.Errorf("%d pending, %v; want 1", n, err)
		}
	})
}
