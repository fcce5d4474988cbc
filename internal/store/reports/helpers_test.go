package reports_test

import (
	"context"
	"errors"
	"testing"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/store"
	"github.com/omshq/oms/internal/store/storetest"
)

// The store's test fixture, as the store's own tests set it up.

var ctx = context.Background()

// setup opens a fresh database on the engine with two channels (web rejects
// backorders, b2b accepts them), three locations and two items, and checks
// the invariants when the test ends.
func setup(t *testing.T, e storetest.Engine) *store.DB {
	t.Helper()
	db := storetest.Open(t, e)
	seed(t, db)
	t.Cleanup(func() { storetest.AssertInvariants(t, db) })
	return db
}

func seed(t testing.TB, db *store.DB) {
	t.Helper()
	by := oms.System("test")
	must(t, put(db.PutChannel(ctx, &oms.Channel{Code: "web", Name: "Web", Kind: "web", Currency: "USD", BackorderPolicy: oms.BackorderReject}, by)))
	must(t, put(db.PutChannel(ctx, &oms.Channel{Code: "b2b", Name: "B2B", Kind: "api", Currency: "USD", BackorderPolicy: oms.BackorderAccept}, by)))
	must(t, put(db.PutLocation(ctx, &oms.Location{Code: "east", Active: true, Name: "East", Kind: "warehouse", CanShip: true, Priority: 1}, by)))
	must(t, put(db.PutLocation(ctx, &oms.Location{Code: "west", Active: true, Name: "West", Kind: "warehouse", CanShip: true, Priority: 2}, by)))
	must(t, put(db.PutLocation(ctx, &oms.Location{Code: "shop", Active: true, Name: "Shop", Kind: "store", CanShip: false, CanPickup: true, Priority: 0}, by)))
	must(t, put(db.PutItem(ctx, &oms.Item{SKU: "A", Name: "Apple", UnitCost: 100, Currency: "USD"}, by)))
	must(t, put(db.PutItem(ctx, &oms.Item{SKU: "B", Name: "Banana", UnitCost: 50, Currency: "USD"}, by)))
}

func put(_ bool, err error) error { return err }

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func receive(t testing.TB, db *store.DB, sku, loc string, n int64) {
	t.Helper()
	_, err := db.AdjustInventory(ctx, oms.Adjustment{SKU: sku, Location: loc, Reason: oms.MoveReceive, Delta: &n}, oms.System("test"))
	must(t, err)
}

func draft(channel, ext string, lines ...oms.LineDraft) *oms.OrderDraft {
	return &oms.OrderDraft{Channel: channel, ExternalID: ext, Currency: "USD",
		Customer: oms.Customer{Email: "Ann@Example.com", Name: "Ann"}, Lines: lines, ShippingPrice: 500}
}

// reportsOf is the store's reports service.
func reportsOf(db *store.DB) oms.Reports { return db.Services().Reports }

func line(sku string, qty int64) oms.LineDraft {
	return oms.LineDraft{SKU: sku, Quantity: qty, UnitPrice: 1000}
}
func returnUnits(t *testing.T, db *store.DB, o *oms.Order, n int64) *oms.Return {
	t.Helper()
	r, err := db.CreateReturn(ctx, o.ID, oms.ReturnRequest{Lines: []oms.ReturnLine{{LineID: o.Lines[0].ID, Quantity: n,
		Reason: "damaged"}}}, oms.SourceStaff, oms.System("test"))
	must(t, err)
	_, err = db.ApproveReturn(ctx, r.ID, oms.System("test"))
	must(t, err)
	_, err = db.ReceiveReturn(ctx, r.ID, []oms.Receipt{{LineID: o.Lines[0].ID, Quantity: n, Condition: "new",
		Disposition: oms.DispositionRestock, Location: "east"}}, oms.System("test"))
	must(t, err)
	r, err = db.CloseReturn(ctx, r.ID, oms.CloseRequest{PaymentReference: "psp_1"}, oms.Principal{Name: "test", Role: oms.RoleManager})
	must(t, err)
	return r
}

func wantCode(t testing.TB, err error, code string) *oms.Error {
	t.Helper()
	var e *oms.Error
	if !errors.As(err, &e) || e.Code != code {
		t.Fatalf("error = %v, want code %s", err, code)
	}
	return e
}

// to report something.
func checkCatches(t *testing.T, tampers []string, prepare func(*testing.T, *store.DB)) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		for _, q := range tampers {
			t.Run(q, func(t *testing.T) {
				db := storetest.Open(t, e)
				seed(t, db)
				prepare(t, db)
				if r, err := db.Check(ctx); err != nil || len(r.Violations) > 0 || r.Orders == 0 || r.Lines == 0 {
					t.Fatalf("before tampering: %+v, %v", r, err)
				}
				if err := db.Exec(ctx, q); err != nil {
					t.Fatal(err)
				}
				r, err := db.Check(ctx)
				must(t, err)
				if len(r.Violations) == 0 {
					t.Errorf("check found nothing after %q", q)
				}
			})
		}
	})
}

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
