package store_test

import (
	"sync"
	"testing"
	"time"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/store"
	"github.com/omshq/oms/internal/store/reports"
	"github.com/omshq/oms/internal/store/storetest"
)

// shippedOrder places a web order of qty A at 1000 each (shipping 500)
// and ships it all from east.
func shippedOrder(t *testing.T, db *store.DB, ext string, qty int64) *oms.Order {
	t.Helper()
	receive(t, db, "A", "east", qty)
	d := draft("web", ext, oms.LineDraft{SKU: "A", Quantity: qty, UnitPrice: 1000, Discount: 7, Tax: 73})
	o, _, err := db.PlaceOrder(ctx, d, oms.System("test"))
	must(t, err)
	fs, err := db.OrderFulfillments(ctx, o.ID)
	must(t, err)
	_, err = db.MoveFulfillment(ctx, fs[0].ID, oms.FulfillmentMove{To: oms.FulfillmentShipped}, oms.System("test"))
	must(t, err)
	o, err = db.Order(ctx, o.ID)
	must(t, err)
	return o
}

// TestManySmallReturnsStore returns an order one unit at a time under the
// proportional shipping rule, with a goodwill credit in between: the
// refunds never pass the total, and at the end they are exactly it.
func TestManySmallReturnsStore(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		db := setup(t, e)
		set := oms.DefaultReturnSettings()
		set.ShippingRefund = oms.ShippingRefundProportional
		must(t, db.PutReturnSettings(ctx, set, oms.System("test")))
		o := shippedOrder(t, db, "small", 7)
		_, err := db.RefundOrder(ctx, o.ID, oms.RefundRequest{Kind: oms.RefundAppeasement, Amount: 300, Reason: "late"},
			oms.Principal{Name: "test", Role: oms.RoleAgent})
		must(t, err)
		for i := 0; i < 7; i++ {
			returnUnits(t, db, o, 1)
			fs, err := db.Refunds(ctx, o.ID)
			must(t, err)
			if fs.Refunded > fs.Paid {
				t.Fatalf("after return %d: refunded %d of %d", i+1, fs.Refunded, fs.Paid)
			}
		}
		fs, err := db.Refunds(ctx, o.ID)
		must(t, err)
		if fs.Refunded != o.Total || fs.Left != 0 || len(fs.Refunds) != 8 {
			t.Errorf("refunded %d of %d in %d refunds", fs.Refunded, o.Total, len(fs.Refunds))
		}
		if b := stock(t, db, "A")["east"]; b.OnHand != 7 || b.Reserved != 0 {
			t.Errorf("east %+v", b)
		}
	})
}

// TestCheckFindsReturnViolations proves each return and refund invariant
// can fail: it breaks one behind the store's back and expects a report.
func TestCheckFindsReturnViolations(t *testing.T) {
	tampers := []string{
		"UPDATE refunds SET amount = amount + 100000",
		"UPDATE refunds SET currency = 'EUR'",
		"UPDATE returns SET status = 'received'",
		"UPDATE order_lines SET qty_returned = qty_returned - 1 WHERE qty_returned > 0",
		"UPDATE return_lines SET received = received - 1",
		"UPDATE return_units SET ledger_id = NULL",
		"UPDATE ledger SET delta = delta + 1, on_hand_after = on_hand_after + 1 WHERE kind = 'return'",
		"UPDATE return_units SET quantity = quantity + 1",
		"DELETE FROM return_units",
	}
	checkCatches(t, tampers, func(t *testing.T, db *store.DB) {
		returnUnits(t, db, shippedOrder(t, db, "x1", 2), 1)
	})
}

// TestReturnLinkExpires: a link opens its order's portal until it expires,
// and is not found after.
func TestReturnLinkExpires(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		now := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
		db, err := store.Open(ctx, e.DSN(t), store.Options{Feed: reports.New(), Now: func() time.Time { return now }})
		must(t, err)
		t.Cleanup(func() { db.Close() })
		t.Cleanup(func() { storetest.AssertInvariants(t, db) })
		seed(t, db)
		o := shippedOrder(t, db, "x1", 1)
		l, err := db.CreateReturnLink(ctx, o.Number, 1, oms.System("test"))
		must(t, err)
		if !l.ExpiresAt.Equal(now.Add(24 * time.Hour)) {
			t.Errorf("expires %v", l.ExpiresAt)
		}
		p, err := db.ReturnPortal(ctx, l.Token)
		must(t, err)
		if p.OrderID != o.ID || p.Lines[0].Returnable != 1 {
			t.Errorf("portal %+v", p)
		}
		now = now.Add(24 * time.Hour)
		_, err = db.ReturnPortal(ctx, l.Token)
		wantCode(t, err, oms.ENOTFOUND)
		_, err = db.PortalReturn(ctx, l.Token, oms.ReturnRequest{Lines: []oms.ReturnLine{{LineID: o.Lines[0].ID, Quantity: 1, Reason: "other"}}})
		wantCode(t, err, oms.ENOTFOUND)
		rs, err := db.Returns(ctx, oms.ReturnFilter{Order: o.ID, Limit: 10})
		must(t, err)
		if len(rs) != 0 {
			t.Errorf("an expired link started %d returns", len(rs))
		}
	})
}

// TestConcurrentRefunds: refunds racing on one order never pass its total.
func TestConcurrentRefunds(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		db := setup(t, e)
		o := shippedOrder(t, db, "race", 7) // total 7566
		var wg sync.WaitGroup
		var mu sync.Mutex
		ok := 0
		for range 10 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, err := db.RefundOrder(ctx, o.ID, oms.RefundRequest{Kind: oms.RefundManual, Amount: 1000, Reason: "race"},
					oms.Principal{Name: "test", Role: oms.RoleManager})
				if err == nil {
					mu.Lock()
					ok++
					mu.Unlock()
				} else if oms.ErrorCode(err) != oms.EINVALID {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		fs, err := db.Refunds(ctx, o.ID)
		must(t, err)
		if ok != 7 || fs.Refunded != 7000 || len(fs.Refunds) != 7 {
			t.Errorf("%d refunds succeeded, %d refunded of %d", ok, fs.Refunded, fs.Paid)
		}
	})
}
