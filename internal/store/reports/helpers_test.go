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

// The shared fixture (storetest), under the names these tests use.
var (
	setup        = storetest.Setup
	seed         = storetest.Seed
	must         = storetest.Must
	receive      = storetest.Receive
	draft        = storetest.Draft
	line         = storetest.Line
	returnUnits  = storetest.ReturnUnits
	checkCatches = storetest.CheckCatches
	reportRows   = storetest.ReportRows
)

// reportsOf is the store's reports service.
func reportsOf(db *store.DB) oms.Reports { return db.Services().Reports }

func wantCode(t testing.TB, err error, code string) *oms.Error {
	t.Helper()
	var e *oms.Error
	if !errors.As(err, &e) || e.Code != code {
		t.Fatalf("error = %v, want code %s", err, code)
	}
	return e
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

func put(_ bool, err error) error { return err }

// foldUntil folds the reports again and again until stop is closed.
func foldUntil(t *testing.T, db *store.DB, stop <-chan struct{}) {
	for {
		select {
		case <-stop:
			return
		default:
		}
		if err := reportsOf(db).FoldReports(ctx); err != nil {
			t.Error(err)
			return
		}
	}
}
