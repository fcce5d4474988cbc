package store_test

import (
	"fmt"
	"sync"
	"testing"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/store"
	"github.com/omshq/oms/internal/store/storetest"
)

// TestConcurrentCustomers: orders racing in from many callers at once —
// batched together or apart, on either engine — make one customer per
// email and one per channel identity, and every order has its customer.
func TestConcurrentCustomers(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		db := setup(t, e)
		var wg sync.WaitGroup
		for i := range 40 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				d := draft("b2b", fmt.Sprintf("c%d", i), line("A", 1))
				switch i % 3 {
				case 0:
					d.Customer.Email = fmt.Sprintf("Person%d@Example.com", i%2)
				case 1:
					d.Customer.Email, d.CustomerID = fmt.Sprintf("p%d@example.com", i), "shop-1"
				case 2:
					d.Customer.Email, d.CustomerID = "", "shop-2"
				}
				if _, _, err := db.PlaceOrder(ctx, d, oms.System("test")); err != nil {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		cs, _, err := db.ListCustomers(ctx, oms.CustomerFilter{Limit: 100})
		must(t, err)
		if len(cs) != 4 {
			t.Errorf("%d customers, want person0, person1, shop-1 and shop-2: %+v", len(cs), cs)
		}
		total := int64(0)
		for _, c := range cs {
			v, _, err := db.Customer(ctx, c.ID, 0, 100)
			must(t, err)
			total += v.OrderCount
		}
		if total != 40 {
			t.Errorf("the customers have %d orders, want 40", total)
		}
	})
}

// TestCustomerUnitsReturned: the view counts the returned units of every
// order of the customer.
func TestCustomerUnitsReturned(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		db := storetest.Open(t, e) // the lines are shipped by hand, so without invariants
		seed(t, db)
		for _, ext := range []string{"r1", "r2"} {
			_, _, err := db.PlaceOrder(ctx, draft("b2b", ext, line("A", 3), line("B", 2)), oms.System("test"))
			must(t, err)
		}
		// Returns are recorded by their own feature; here the lines say so directly.
		if _, err := store.RawForTest(db).Exec("UPDATE order_lines SET qty_shipped = qty_open, qty_open = 0, qty_returned = qty_open - 1"); err != nil {
			t.Fatal(err)
		}
		v, _, err := db.Customer(ctx, "ann@example.com", 0, 10)
		must(t, err)
		if v.UnitsReturned != 2*(2+1) {
			t.Errorf("units returned %d, want 6", v.UnitsReturned)
		}
	})
}

// TestCheckFindsCustomerViolations: oms check sees a broken customer or
// search index.
func TestCheckFindsCustomerViolations(t *testing.T) {
	tampers := []string{
		"DELETE FROM order_search",
		"UPDATE order_search SET terms = 'someone else'",
		"UPDATE customers SET email = upper(email) WHERE email IS NOT NULL",
		"UPDATE orders SET customer_id = NULL",
		"UPDATE orders SET customer_name = 'Someone Else'",
		"UPDATE fulfillments SET tracking_number = 'NEW1'",
		"DELETE FROM customer_identities",
		"UPDATE orders SET customer_id = (SELECT MIN(id) FROM customers)",
	}
	checkCatches(t, tampers, func(t *testing.T, db *store.DB) {
		receive(t, db, "A", "east", 5)
		d := draft("web", "x1", line("A", 2))
		d.Customer.Email, d.CustomerID = "", "shop-9"
		_, _, err := db.PlaceOrder(ctx, d, oms.System("test"))
		must(t, err)
		_, _, err = db.PlaceOrder(ctx, draft("web", "x2", line("A", 1)), oms.System("test"))
		must(t, err)
	})
}

// TestSearchStore: the store's search over a few orders, each tier.
func TestSearchStore(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		db := setup(t, e)
		o, _, err := db.PlaceOrder(ctx, draft("b2b", "ext-1", line("A", 1)), oms.System("test"))
		must(t, err)
		q, err := oms.ParseSearch("ann")
		must(t, err)
		rs, err := db.Search(ctx, q, oms.SearchOptions{Customers: true})
		must(t, err)
		if len(rs) != 2 || rs[0].Type != "customer" || rs[1].Order == nil || rs[1].Order.Number != o.Number || rs[1].Match != oms.MatchWords {
			t.Errorf("results %+v", rs)
		}
	})
}
