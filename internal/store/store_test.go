package store_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/store"
	"github.com/omshq/oms/internal/store/reports"
	"github.com/omshq/oms/internal/store/storetest"
)

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

func stock(t testing.TB, db *store.DB, sku string) map[string]oms.Balance {
	t.Helper()
	s, err := db.Stock(ctx, sku)
	must(t, err)
	out := make(map[string]oms.Balance)
	for _, b := range s.Locations {
		out[b.Location] = b
	}
	return out
}

func wantCode(t testing.TB, err error, code string) *oms.Error {
	t.Helper()
	var e *oms.Error
	if !errors.As(err, &e) || e.Code != code {
		t.Fatalf("error = %v, want code %s", err, code)
	}
	return e
}

func TestPutCatalog(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		db := setup(t, e)
		created, err := db.PutChannel(ctx, &oms.Channel{Code: "web", Name: "Web store", Kind: "shopify", Currency: "EUR", BackorderPolicy: oms.BackorderAccept}, oms.System("test"))
		must(t, err)
		if created {
			t.Error("second put of web reported created")
		}
		c, err := db.Channel(ctx, "web")
		must(t, err)
		if c.Name != "Web store" || c.Currency != "EUR" || c.BackorderPolicy != oms.BackorderAccept || c.Kind != "shopify" {
			t.Errorf("channel not replaced: %+v", c)
		}
		lat, lon := 40.7, -74.0
		created, err = db.PutLocation(ctx, &oms.Location{Code: "nyc", Active: true, Name: "NYC", Kind: "store", CanShip: true,
			Address: oms.Address{Line1: "1 Main St", City: "New York", Country: "US"}, Latitude: &lat, Longitude: &lon}, oms.System("test"))
		must(t, err)
		if !created {
			t.Error("new location not reported created")
		}
		l, err := db.Location(ctx, "nyc")
		must(t, err)
		if l.Address.City != "New York" || *l.Latitude != 40.7 || !l.CanShip {
			t.Errorf("location = %+v", l)
		}
		_, err = db.PutItem(ctx, &oms.Item{SKU: "C", Name: "", UnitCost: -1, Currency: "XXX"}, oms.System("test"))
		e2 := wantCode(t, err, oms.EINVALID)
		if len(e2.Fields) != 3 {
			t.Errorf("fields = %+v, want name, unit_cost, currency", e2.Fields)
		}
		_, err = db.Channel(ctx, "nope")
		wantCode(t, err, oms.ENOTFOUND)
	})
}

func TestAdjustInventory(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		db := setup(t, e)
		receive(t, db, "A", "east", 10)
		d := int64(-3)
		_, err := db.AdjustInventory(ctx, oms.Adjustment{SKU: "A", Location: "east", Reason: oms.MoveDamage, Delta: &d}, oms.System("test"))
		must(t, err)
		n := int64(20)
		entry, err := db.AdjustInventory(ctx, oms.Adjustment{SKU: "A", Location: "east", Reason: oms.MoveCount, SetOnHand: &n, Reference: "cycle count"}, oms.System("test"))
		must(t, err)
		if entry.Delta != 13 || entry.OnHandAfter != 20 {
			t.Errorf("count entry = %+v, want delta 13 to 20", entry)
		}
		if b := stock(t, db, "A")["east"]; b.OnHand != 20 || b.Available != 20 {
			t.Errorf("east = %+v", b)
		}
		ledger, err := db.Ledger(ctx, oms.Principal{}, "A", 0, 2)
		must(t, err)
		if len(ledger) != 2 || ledger[0].Kind != oms.MoveCount || ledger[1].Kind != oms.MoveDamage {
			t.Errorf("ledger page = %+v", ledger)
		}
		older, err := db.Ledger(ctx, oms.Principal{}, "A", ledger[1].ID, 10)
		must(t, err)
		if len(older) != 1 || older[0].Kind != oms.MoveReceive {
			t.Errorf("second page = %+v", older)
		}
		// Stock that orders reserved cannot be adjusted away.
		_, created, err := db.PlaceOrder(ctx, draft("web", "o1", line("A", 15)), oms.System("test"))
		must(t, err)
		if !created {
			t.Fatal("order not created")
		}
		d = -6
		_, err = db.AdjustInventory(ctx, oms.Adjustment{SKU: "A", Location: "east", Reason: oms.MoveAdjust, Delta: &d}, oms.System("test"))
		wantCode(t, err, oms.ECONFLICT)
		n = 14
		_, err = db.AdjustInventory(ctx, oms.Adjustment{SKU: "A", Location: "east", Reason: oms.MoveCount, SetOnHand: &n}, oms.System("test"))
		wantCode(t, err, oms.ECONFLICT)
		if b := stock(t, db, "A")["east"]; b.OnHand != 20 || b.Reserved != 15 || b.Available != 5 {
			t.Errorf("east after refused adjustments = %+v", b)
		}
		_, err = db.AdjustInventory(ctx, oms.Adjustment{SKU: "Z", Location: "east", Reason: oms.MoveReceive, Delta: &n}, oms.System("test"))
		if e := wantCode(t, err, oms.EINVALID); e.Fields[0].Field != "sku" {
			t.Errorf("fields = %+v", e.Fields)
		}
		_, err = db.AdjustInventory(ctx, oms.Adjustment{SKU: "A", Location: "nowhere", Reason: oms.MoveReceive, Delta: &n}, oms.System("test"))
		if e := wantCode(t, err, oms.EINVALID); e.Fields[0].Field != "location" {
			t.Errorf("fields = %+v", e.Fields)
		}
	})
}

func TestPlaceOrderAllocates(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		db := setup(t, e)
		receive(t, db, "A", "east", 3)
		receive(t, db, "A", "west", 10)
		receive(t, db, "A", "shop", 100) // cannot ship: never allocated
		receive(t, db, "B", "west", 5)
		o, created, err := db.PlaceOrder(ctx, draft("web", "o1", line("A", 5), line("B", 2)), oms.System("test"))
		must(t, err)
		if !created || o.Status != oms.StatusAllocated || o.Number != "1001" {
			t.Fatalf("order = %+v, created %v", o, created)
		}
		got := map[string]int64{}
		for _, a := range o.Allocations {
			got[a.LineID[:0]+fmt.Sprint(lineSKU(o, a.LineID), "@", a.Location)] += a.Quantity
		}
		// West alone has everything: one shipment beats splitting A with east.
		want := map[string]int64{"A@west": 5, "B@west": 2}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("allocations = %v, want %v", got, want)
		}
		if o.Subtotal != 7000 || o.ShippingTotal != 500 || o.Total != 7500 {
			t.Errorf("totals = %+v", o.Totals)
		}
		if b := stock(t, db, "A"); b["east"].Reserved != 0 || b["west"].Reserved != 5 || b["shop"].Reserved != 0 {
			t.Errorf("stock A = %+v", b)
		}
		again, err := db.Order(ctx, o.ID)
		must(t, err)
		byNumber, err := db.Order(ctx, "#1001")
		must(t, err)
		if fmt.Sprint(again) != fmt.Sprint(o) || byNumber.ID != o.ID {
			t.Errorf("stored order differs:\n got %+v\nwant %+v", again, o)
		}
		events, err := db.OrderEvents(ctx, o.Number)
		must(t, err)
		if len(events) != 1 || events[0].Type != oms.EventOrderCreated {
			t.Errorf("events = %+v", events)
		}
	})
}

func lineSKU(o *oms.Order, id string) string {
	if l := o.Line(id); l != nil {
		return l.SKU
	}
	return "?"
}

func TestPlaceOrderBackorderPolicy(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		db := setup(t, e)
		receive(t, db, "A", "east", 2)
		_, _, err := db.PlaceOrder(ctx, draft("web", "r1", line("A", 3), line("B", 1)), oms.System("test"))
		oe := wantCode(t, err, oms.EOUTOFSTOCK)
		if fmt.Sprint(oe.Short) != "[{A 3 2} {B 1 0}]" {
			t.Errorf("short = %+v", oe.Short)
		}
		orders, _, err := db.ListOrders(ctx, oms.OrderFilter{Limit: 10})
		must(t, err)
		if len(orders) != 0 || stock(t, db, "A")["east"].Reserved != 0 {
			t.Fatalf("a rejected order wrote something: %d orders, stock %+v", len(orders), stock(t, db, "A"))
		}
		o, created, err := db.PlaceOrder(ctx, draft("b2b", "b1", line("A", 3), line("B", 1)), oms.System("test"))
		must(t, err)
		if !created || o.Status != oms.StatusBackordered {
			t.Fatalf("status = %s", o.Status)
		}
		if l := o.Lines[0]; l.Allocated != 2 || l.Open != 1 {
			t.Errorf("line A = %+v", l)
		}
		if l := o.Lines[1]; l.Allocated != 0 || l.Open != 1 {
			t.Errorf("line B = %+v", l)
		}
	})
}

func TestPlaceOrderRejectsBadReferences(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		db := setup(t, e)
		cases := []struct {
			name  string
			d     *oms.OrderDraft
			field string
		}{
			{"unknown channel", draft("nope", "x", line("A", 1)), "channel"},
			{"unknown sku", draft("web", "x", line("A", 1), line("ZZ", 1)), "lines[1].sku"},
			{"currency not the channel's", func() *oms.OrderDraft { d := draft("web", "x", line("A", 1)); d.Currency = "EUR"; return d }(), "currency"},
			{"zero quantity", draft("web", "x", line("A", 0)), "lines[0].quantity"},
		}
		for _, c := range cases {
			_, _, err := db.PlaceOrder(ctx, c.d, oms.System("test"))
			e := wantCode(t, err, oms.EINVALID)
			if e.Fields[0].Field != c.field {
				t.Errorf("%s: field = %s, want %s", c.name, e.Fields[0].Field, c.field)
			}
		}
		orders, _, _ := db.ListOrders(ctx, oms.OrderFilter{Limit: 10})
		if len(orders) != 0 {
			t.Errorf("%d orders written by bad requests", len(orders))
		}
	})
}

func TestCancelOrder(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		db := setup(t, e)
		receive(t, db, "A", "east", 3)
		receive(t, db, "A", "west", 3)
		o, _, err := db.PlaceOrder(ctx, draft("b2b", "c1", line("A", 8), line("B", 1)), oms.System("test"))
		must(t, err)
		// Line A: 3 east, 3 west, 2 open. Cancelling 3 takes the 2 open, then 1 from west.
		o, err = db.CancelOrder(ctx, o.Number, 0, []oms.CancelLine{{LineID: o.Lines[0].ID, Quantity: 3}}, oms.System("test"))
		must(t, err)
		if l := o.Lines[0]; l.Open != 0 || l.Allocated != 5 || l.Cancelled != 3 {
			t.Errorf("line A = %+v", l)
		}
		if b := stock(t, db, "A"); b["east"].Reserved != 3 || b["west"].Reserved != 2 {
			t.Errorf("stock = %+v", b)
		}
		_, err = db.CancelOrder(ctx, o.Number, 0, []oms.CancelLine{{LineID: o.Lines[0].ID, Quantity: 6}}, oms.System("test"))
		wantCode(t, err, oms.EINVALID)
		_, err = db.CancelOrder(ctx, o.Number, 0, []oms.CancelLine{{LineID: "ln_nope", Quantity: 1}}, oms.System("test"))
		wantCode(t, err, oms.EINVALID)
		o, err = db.CancelOrder(ctx, o.ID, 0, nil, oms.System("test"))
		must(t, err)
		if o.Status != oms.StatusCancelled || len(o.Allocations) != 0 || o.Version != 3 {
			t.Errorf("order = %+v", o)
		}
		if b := stock(t, db, "A"); b["east"].Reserved != 0 || b["west"].Reserved != 0 {
			t.Errorf("stock = %+v", b)
		}
		_, err = db.CancelOrder(ctx, o.ID, 0, nil, oms.System("test"))
		wantCode(t, err, oms.ECONFLICT)
		_, err = db.CancelOrder(ctx, "ord_missing", 0, nil, oms.System("test"))
		wantCode(t, err, oms.ENOTFOUND)
		events, err := db.OrderEvents(ctx, o.ID)
		must(t, err)
		var types []string
		for _, e := range events {
			types = append(types, e.Type)
		}
		if fmt.Sprint(types) != "[order.created order.backordered order.lines_cancelled order.cancelled]" {
			t.Errorf("timeline = %v", types)
		}
	})
}

func TestListOrders(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		db := setup(t, e)
		receive(t, db, "A", "east", 5)
		for i := range 7 {
			d := draft("b2b", fmt.Sprint("L", i), line("A", 1))
			if i == 6 {
				d.Customer = oms.Customer{Email: "bob@example.com", Name: "Bob Stone", Phone: "+15550001"}
			}
			_, _, err := db.PlaceOrder(ctx, d, oms.System("test"))
			must(t, err)
		}
		page, next, err := db.ListOrders(ctx, oms.OrderFilter{Limit: 4})
		must(t, err)
		if len(page) != 4 || page[0].ExternalID != "L6" || next == 0 {
			t.Fatalf("first page: %d orders, first %s, next %d", len(page), page[0].ExternalID, next)
		}
		rest, next2, err := db.ListOrders(ctx, oms.OrderFilter{Limit: 4, After: next})
		must(t, err)
		if len(rest) != 3 || rest[2].ExternalID != "L0" || next2 != 0 {
			t.Fatalf("second page: %d orders, next %d", len(rest), next2)
		}
		back, _, err := db.ListOrders(ctx, oms.OrderFilter{Limit: 10, Status: oms.StatusBackordered})
		must(t, err)
		if len(back) != 2 {
			t.Errorf("backordered = %d, want 2", len(back))
		}
		for _, q := range []string{"BOB@example.com", "+15550001", "bob st", "L6", page[0].Number, "#" + page[0].Number} {
			got, _, err := db.ListOrders(ctx, oms.OrderFilter{Limit: 10, Query: q})
			must(t, err)
			if len(got) != 1 || got[0].ExternalID != "L6" {
				t.Errorf("q=%q found %d orders", q, len(got))
			}
		}
		none, _, err := db.ListOrders(ctx, oms.OrderFilter{Limit: 10, Channel: "web"})
		must(t, err)
		if len(none) != 0 {
			t.Errorf("channel web has %d orders", len(none))
		}
	})
}

// TestNoOversell races 200 single-unit orders for 50 units: exactly 50 win,
// the rest are told out_of_stock, and nothing goes negative. The orders are
// spread over several connection pools, standing in for several servers.
func TestNoOversell(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		dsn := e.DSN(t)
		var dbs []*store.DB
		for range 3 {
			db, err := store.Open(ctx, dsn, store.Options{Feed: reports.New()})
			must(t, err)
			t.Cleanup(func() { db.Close() })
			dbs = append(dbs, db)
		}
		seed(t, dbs[0])
		receive(t, dbs[0], "A", "east", 30)
		receive(t, dbs[0], "A", "west", 20)
		var mu sync.Mutex
		results := map[string]int{}
		var wg sync.WaitGroup
		for i := range 200 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, _, err := dbs[i%len(dbs)].PlaceOrder(ctx, draft("web", fmt.Sprint("race-", i), line("A", 1)), oms.System("test"))
				mu.Lock()
				defer mu.Unlock()
				results[oms.ErrorCode(err)]++
				if code := oms.ErrorCode(err); code != "" && code != oms.EOUTOFSTOCK {
					t.Errorf("order %d: %v", i, err)
				}
			}()
		}
		wg.Wait()
		if results[""] != 50 || results[oms.EOUTOFSTOCK] != 150 {
			t.Errorf("results = %v, want 50 accepted and 150 out_of_stock", results)
		}
		s, err := dbs[1].Stock(ctx, "A")
		must(t, err)
		if s.Reserved != 50 || s.Available != 0 || s.OnHand != 50 {
			t.Errorf("stock = %+v", s)
		}
		storetest.AssertInvariants(t, dbs[2])
	})
}

// TestIdempotentExternalID sends the same order 20 times at once: one order,
// one reservation, and every caller gets that order.
func TestIdempotentExternalID(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		dsn := e.DSN(t)
		db1, err := store.Open(ctx, dsn, store.Options{Feed: reports.New()})
		must(t, err)
		defer db1.Close()
		db2, err := store.Open(ctx, dsn, store.Options{Feed: reports.New()})
		must(t, err)
		defer db2.Close()
		seed(t, db1)
		receive(t, db1, "A", "east", 5)
		var wg sync.WaitGroup
		var mu sync.Mutex
		ids := map[string]int{}
		createdCount := 0
		for i := range 20 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				db := db1
				if i%2 == 1 {
					db = db2
				}
				o, created, err := db.PlaceOrder(ctx, draft("web", "same", line("A", 2)), oms.System("test"))
				mu.Lock()
				defer mu.Unlock()
				if err != nil {
					t.Errorf("attempt %d: %v", i, err)
					return
				}
				ids[o.ID]++
				if created {
					createdCount++
				}
			}()
		}
		wg.Wait()
		if len(ids) != 1 || createdCount != 1 {
			t.Errorf("ids = %v, created %d times", ids, createdCount)
		}
		if s, _ := db1.Stock(ctx, "A"); s.Reserved != 2 {
			t.Errorf("reserved = %d, want 2", s.Reserved)
		}
		storetest.AssertInvariants(t, db1)
	})
}

func TestIdempotencyKeys(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		db := setup(t, e)
		r := oms.IdempotentRequest{APIKeyID: "key_1", Key: "k1", Method: "POST", Path: "/v1/orders", Hash: []byte{1}}
		answer := oms.StoredResponse{Status: 201, ContentType: "application/json", Body: []byte(`{"a":1}`)}
		// A claim made outside a unit of work, as an older oms made them,
		// commits alone: until it is finished, a repeat is told to wait.
		got, err := db.ClaimIdempotency(ctx, r)
		if err != nil || got != nil {
			t.Fatalf("first claim = %v, %v", got, err)
		}
		_, err = db.ClaimIdempotency(ctx, r)
		wantCode(t, err, oms.ECONFLICT)
		must(t, db.FinishIdempotency(ctx, r, answer))
		got, err = db.ClaimIdempotency(ctx, r)
		if err != nil || got == nil || got.Status != 201 || string(got.Body) != `{"a":1}` {
			t.Fatalf("replay = %+v, %v", got, err)
		}
		other := r
		other.Hash = []byte{2}
		_, err = db.ClaimIdempotency(ctx, other)
		wantCode(t, err, oms.EIDEMPOTENCY)
		// Another API key may use the same key string. In a unit of work
		// that fails, the claim is undone with the rest.
		r2 := r
		r2.APIKeyID = "key_2"
		failed := errors.New("the request failed")
		err = db.Unit(ctx, func(ctx context.Context) error {
			if got, err := db.ClaimIdempotency(ctx, r2); err != nil || got != nil {
				t.Fatalf("claim by another key = %v, %v", got, err)
			}
			return failed
		})
		if !errors.Is(err, failed) {
			t.Fatalf("unit = %v, want its function's error", err)
		}
		must(t, db.Unit(ctx, func(ctx context.Context) error {
			if got, err := db.ClaimIdempotency(ctx, r2); err != nil || got != nil {
				t.Fatalf("claim after a failed unit = %v, %v", got, err)
			}
			return db.FinishIdempotency(ctx, r2, answer)
		}))
		if got, err := db.ClaimIdempotency(ctx, r2); err != nil || got == nil || got.Status != 201 {
			t.Fatalf("replay after the unit = %+v, %v", got, err)
		}
	})
}

func TestAPIKeys(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		db := storetest.Open(t, e)
		k, secret, err := db.CreateAPIKey(ctx, "ops", oms.RoleManager, oms.System("test"))
		must(t, err)
		got, err := db.Authenticate(ctx, secret)
		must(t, err)
		if got.ID != k.ID || got.Role != oms.RoleManager {
			t.Errorf("authenticated as %+v", got)
		}
		_, err = db.Authenticate(ctx, secret+"x")
		wantCode(t, err, oms.EUNAUTHORIZED)
		_, _, err = db.CreateAPIKey(ctx, "x", oms.Role("root"), oms.System("test"))
		wantCode(t, err, oms.EINVALID)
		if n, _ := db.CountAPIKeys(ctx); n != 1 {
			t.Errorf("keys = %d", n)
		}
	})
}

// TestCheckFindsViolations proves the checker can fail: it breaks each
// invariant behind the store's back and expects a report.
func TestCheckFindsViolations(t *testing.T) {
	tampers := []string{
		"UPDATE balances SET on_hand = on_hand + 1",
		"UPDATE balances SET reserved = reserved - 1",
		"UPDATE order_lines SET qty_open = qty_open + 1, quantity = quantity + 1",
		"UPDATE orders SET status = 'shipped'",
		"UPDATE orders SET total = total + 1",
		"DELETE FROM events WHERE type = 'order.created'",
		"UPDATE allocations SET position = 7",
		"UPDATE order_lines SET order_seq = 99",
		"UPDATE orders SET channel_id = 99",
		"UPDATE ledger SET location_id = 99 WHERE kind = 'reserve'",
		"UPDATE rollup_sales SET gross = gross + 1 WHERE grain = 1 AND item_id = 0",
		"UPDATE rollup_sales SET units = units - 1 WHERE grain = 30 AND item_id > 0",
		"DELETE FROM rollup_sales WHERE grain = 7",
	}
	checkCatches(t, tampers, func(t *testing.T, db *store.DB) {
		receive(t, db, "A", "east", 5)
		_, _, err := db.PlaceOrder(ctx, draft("web", "x1", line("A", 2)), oms.System("test"))
		must(t, err)
		must(t, reportsOf(db).FoldReports(ctx))
		// Today is in its day rows only until it is rolled up into its week
		// and month.
		must(t, store.RollForTest(ctx, db, time.Now().AddDate(0, 0, 1)))
		must(t, reportsOf(db).FoldReports(ctx))
	})
}

// TestCheckServiceReferences proves the checker finds notes and cases
// that lost what they refer to.
func TestCheckServiceReferences(t *testing.T) {
	tampers := []string{
		"UPDATE notes SET order_seq = 99 WHERE order_seq IS NOT NULL",
		"UPDATE notes SET customer_id = 99 WHERE customer_id IS NOT NULL",
		"UPDATE cases SET order_seq = 99",
		"UPDATE cases SET customer_id = 99",
		"DELETE FROM case_messages",
		"UPDATE case_messages SET case_id = 99",
	}
	checkCatches(t, tampers, func(t *testing.T, db *store.DB) {
		receive(t, db, "A", "east", 5)
		o, _, err := db.PlaceOrder(ctx, draft("web", "x1", line("A", 2)), oms.System("test"))
		must(t, err)
		_, err = db.AddOrderNote(ctx, o.ID, "called", oms.System("test"))
		must(t, err)
		_, err = db.AddCustomerNote(ctx, o.Customer.Email, "VIP", oms.System("test"))
		must(t, err)
		_, err = db.OpenCase(ctx, oms.CaseRequest{Order: o.ID, Subject: "Late", Message: "Where is it?"}, oms.System("test"))
		must(t, err)
	})
}

func put(_ bool, err error) error { return err }
