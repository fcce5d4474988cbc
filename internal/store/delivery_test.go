package store_test

import (
	"testing"
	"time"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/store"
	"github.com/omshq/oms/internal/store/storetest"
)

// TestDeliveryMemory: a webhook delivery id is remembered for
// DeliveryMemory and then forgotten — swept, or recorded again over its old
// row when it brings a change — and a delivery read again after that still
// changes nothing, and records nothing.
func TestDeliveryMemory(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		now := time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)
		db := storetest.OpenWith(t, e, store.Options{Now: func() time.Time { return now }})
		seed(t, db)
		t.Cleanup(func() { storetest.AssertInvariants(t, db) })
		in := func(ext string) *oms.Ingested {
			return &oms.Ingested{Draft: *draft("", ext, line("A", 1)), UpdatedAt: now.Add(-time.Hour)}
		}
		seen := func(id string) string {
			t.Helper()
			orderID, ok, err := db.Delivery(ctx, "b2b", id)
			must(t, err)
			if !ok {
				return ""
			}
			return orderID
		}
		res, err := db.IngestDelivery(ctx, "b2b", "d-1", in("E-1"), []byte(`{"id":"E-1"}`), oms.System("test"))
		must(t, err)
		if res.Outcome != oms.IngestCreated || seen("d-1") != res.Order.ID || seen("d-2") != "" {
			t.Fatalf("outcome %s; d-1 %q, d-2 %q", res.Outcome, seen("d-1"), seen("d-2"))
		}
		if id, ok, err := db.Delivery(ctx, "web", "d-1"); err != nil || ok || id != "" {
			t.Errorf("another channel's delivery d-1: %q %v %v", id, ok, err)
		}
		_, err = db.IngestDelivery(ctx, "b2b", "d-2", in("E-2"), []byte(`{"id":"E-2"}`), oms.System("test"))
		must(t, err)

		now = now.Add(store.DeliveryMemory - time.Minute)
		n, err := db.ForgetDeliveries(ctx)
		must(t, err)
		if n != 0 || seen("d-1") == "" {
			t.Fatalf("forgot %d deliveries before their time; d-1 %q", n, seen("d-1"))
		}
		now = now.Add(2 * time.Minute)
		if seen("d-1") != "" || seen("d-2") != "" {
			t.Errorf("deliveries remembered past DeliveryMemory")
		}
		// d-1 comes again before any sweep: read again, a repeat of its
		// order that changes nothing — and, changing nothing, records nothing.
		res, err = db.IngestDelivery(ctx, "b2b", "d-1", in("E-1"), []byte(`{"id":"E-1"}`), oms.System("test"))
		must(t, err)
		if res.Outcome != oms.IngestDuplicate || seen("d-1") != "" {
			t.Errorf("d-1 again: outcome %s, remembered %q", res.Outcome, seen("d-1"))
		}
		// d-2 comes with a newer version of its order: applied, and its id
		// recorded again over the forgotten row.
		newer := in("E-2")
		newer.UpdatedAt = now
		res, err = db.IngestDelivery(ctx, "b2b", "d-2", newer, []byte(`{"id":"E-2","v":2}`), oms.System("test"))
		must(t, err)
		if res.Outcome != oms.IngestUpdated || seen("d-2") != res.Order.ID {
			t.Errorf("d-2 again: outcome %s, remembered %q", res.Outcome, seen("d-2"))
		}
		n, err = db.ForgetDeliveries(ctx)
		must(t, err)
		if n != 1 || seen("d-1") != "" || seen("d-2") == "" {
			t.Errorf("forgot %d deliveries, want 1 (d-1)", n)
		}
	})
}
