package storetest

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/store"
)

// The fixture the store's tests and the reports' tests share.

// by is who the fixture acts as.
var by = oms.System("test")

// Setup opens a fresh database on the engine with two channels (web
// rejects backorders, b2b accepts them), three locations and two items,
// and checks the invariants when the test ends.
func Setup(t *testing.T, e Engine) *store.DB {
	t.Helper()
	db := Open(t, e)
	Seed(t, db)
	t.Cleanup(func() { AssertInvariants(t, db) })
	return db
}

// Seed adds the fixture's channels, locations and items to db.
func Seed(t testing.TB, db *store.DB) {
	t.Helper()
	ctx := context.Background()
	Must(t, put(db.PutChannel(ctx, &oms.Channel{Code: "web", Name: "Web", Kind: "web", Currency: "USD", BackorderPolicy: oms.BackorderReject}, by)))
	Must(t, put(db.PutChannel(ctx, &oms.Channel{Code: "b2b", Name: "B2B", Kind: "api", Currency: "USD", BackorderPolicy: oms.BackorderAccept}, by)))
	Must(t, put(db.PutLocation(ctx, &oms.Location{Code: "east", Active: true, Name: "East", Kind: "warehouse", CanShip: true, Priority: 1}, by)))
	Must(t, put(db.PutLocation(ctx, &oms.Location{Code: "west", Active: true, Name: "West", Kind: "warehouse", CanShip: true, Priority: 2}, by)))
	Must(t, put(db.PutLocation(ctx, &oms.Location{Code: "shop", Active: true, Name: "Shop", Kind: "store", CanShip: false, CanPickup: true, Priority: 0}, by)))
	Must(t, put(db.PutItem(ctx, &oms.Item{SKU: "A", Name: "Apple", UnitCost: 100, Currency: "USD"}, by)))
	Must(t, put(db.PutItem(ctx, &oms.Item{SKU: "B", Name: "Banana", UnitCost: 50, Currency: "USD"}, by)))
}

func put(_ bool, err error) error { return err }

// Must fails the test at once on an error.
func Must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// Receive receives n units of the SKU at the location.
func Receive(t testing.TB, db *store.DB, sku, loc string, n int64) {
	t.Helper()
	_, err := db.AdjustInventory(context.Background(), oms.Adjustment{SKU: sku, Location: loc, Reason: oms.MoveReceive, Delta: &n}, by)
	Must(t, err)
}

// Draft is an order of the lines on the channel, by Ann, with 5.00 shipping.
func Draft(channel, ext string, lines ...oms.LineDraft) *oms.OrderDraft {
	return &oms.OrderDraft{Channel: channel, ExternalID: ext, Currency: "USD",
		Customer: oms.Customer{Email: "Ann@Example.com", Name: "Ann"}, Lines: lines, ShippingPrice: 500}
}

// Line is qty units of the SKU at 10.00.
func Line(sku string, qty int64) oms.LineDraft {
	return oms.LineDraft{SKU: sku, Quantity: qty, UnitPrice: 1000}
}

// ReturnUnits returns, receives (restocked at east) and closes n units of
// the order's first line.
func ReturnUnits(t *testing.T, db *store.DB, o *oms.Order, n int64) *oms.Return {
	t.Helper()
	ctx := context.Background()
	r, err := db.CreateReturn(ctx, o.ID, oms.ReturnRequest{Lines: []oms.ReturnLine{{LineID: o.Lines[0].ID, Quantity: n,
		Reason: "damaged"}}}, oms.SourceStaff, by)
	Must(t, err)
	_, err = db.ApproveReturn(ctx, r.ID, by)
	Must(t, err)
	_, err = db.ReceiveReturn(ctx, r.ID, []oms.Receipt{{LineID: o.Lines[0].ID, Quantity: n, Condition: "new",
		Disposition: oms.DispositionRestock, Location: "east"}}, by)
	Must(t, err)
	r, err = db.CloseReturn(ctx, r.ID, oms.CloseRequest{PaymentReference: "psp_1"}, oms.Principal{Name: "test", Role: oms.RoleManager})
	Must(t, err)
	return r
}

// CheckCatches proves that db.Check finds each tampering: on a fresh
// fixture prepared by prepare, the check passes; after the statement, it
// reports a violation.
func CheckCatches(t *testing.T, tampers []string, prepare func(*testing.T, *store.DB)) {
	Run(t, func(t *testing.T, e Engine) {
		for _, q := range tampers {
			t.Run(q, func(t *testing.T) {
				ctx := context.Background()
				db := Open(t, e)
				Seed(t, db)
				prepare(t, db)
				if r, err := db.Check(ctx); err != nil || len(r.Violations) > 0 || r.Orders == 0 || r.Lines == 0 {
					t.Fatalf("before tampering: %+v, %v", r, err)
				}
				Must(t, db.Exec(ctx, q))
				r, err := db.Check(ctx)
				Must(t, err)
				if len(r.Violations) == 0 {
					t.Errorf("check found nothing after %q", q)
				}
			})
		}
	})
}

// ReportRows runs a report and returns its rows as JSON, one string a row.
func ReportRows(t *testing.T, run func(context.Context, oms.ReportQuery) (*oms.Report, error), q oms.ReportQuery) []string {
	t.Helper()
	rep, err := run(context.Background(), q)
	Must(t, err)
	var out []string
	for _, r := range rep.Rows {
		b, err := json.Marshal(r)
		Must(t, err)
		out = append(out, string(b))
	}
	return out
}
