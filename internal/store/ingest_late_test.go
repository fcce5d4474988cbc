package store_test

import (
	"testing"
	"time"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/store"
	"github.com/omshq/oms/internal/store/storetest"
)

// lateCancelled is an order a channel sent already cancelled, its lines
// zeroed and its amounts dropped, as Amazon sends one.
func lateCancelled(ext string) *oms.Ingested {
	d := oms.OrderDraft{ExternalID: ext, Currency: "USD", Cancelled: true,
		Lines:    []oms.LineDraft{{SKU: "A"}, {SKU: "B"}},
		PlacedAt: time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)}
	return &oms.Ingested{Draft: d, Cancelled: true, AmountsUnknown: true, UpdatedAt: d.PlacedAt.Add(time.Hour)}
}

// TestIngestLateCancelled: an order first seen cancelled without amounts is
// stored as cancelled, its lines of quantity 0, its amounts unknown, and
// reads back so; nothing is reserved and the invariants hold.
func TestIngestLateCancelled(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		db := setup(t, e)
		receive(t, db, "A", "east", 5)
		res, err := db.IngestOrder(ctx, "web", lateCancelled("AMZ-1"), []byte(`{"AmazonOrderId":"AMZ-1"}`), oms.System("test"))
		must(t, err)
		o, err := db.Order(ctx, res.Order.ID)
		must(t, err)
		if res.Outcome != oms.IngestCreated || o.Status != oms.StatusCancelled || !o.AmountsUnknown || len(o.Lines) != 2 ||
			o.Lines[0].Quantity != 0 || o.Total != 0 || len(o.Allocations) != 0 {
			t.Errorf("outcome %s, order %+v", res.Outcome, o)
		}
		if b := stock(t, db, "A")["east"]; b.Reserved != 0 || b.OnHand != 5 {
			t.Errorf("stock %+v", b)
		}
		orders, _, err := db.ListOrders(ctx, oms.OrderFilter{Limit: 10})
		must(t, err)
		if len(orders) != 1 || !orders[0].AmountsUnknown {
			t.Errorf("listed %+v", orders)
		}
	})
}

// TestCheckFindsUnknownAmountViolations: an order whose amounts are unknown
// must be cancelled and carry no amount.
func TestCheckFindsUnknownAmountViolations(t *testing.T) {
	tampers := []string{
		"UPDATE orders SET amounts_unknown = TRUE WHERE NOT amounts_unknown",
		"UPDATE orders SET shipping_total = 500, total = total + 500 WHERE amounts_unknown",
	}
	checkCatches(t, tampers, func(t *testing.T, db *store.DB) {
		receive(t, db, "A", "east", 5)
		_, _, err := db.PlaceOrder(ctx, draft("web", "x1", line("A", 2)), oms.System("test"))
		must(t, err)
		_, err = db.IngestOrder(ctx, "web", lateCancelled("AMZ-1"), []byte(`{}`), oms.System("test"))
		must(t, err)
	})
}
