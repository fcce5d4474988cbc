package console_test

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/console"
	"github.com/omshq/oms/internal/store"
	"github.com/omshq/oms/internal/store/storetest"
)

var ctx = context.Background()

const password = "correct horse battery"

// shop is a small business: a web channel, a warehouse (east) that ships, a
// second warehouse (west), a store (shop) for pickups, two SKUs in stock;
// an order to ship from east (Ann's), and one to pick up at shop (Bob's);
// and its people: Ann Lee (agent), Wes Park (warehouse) and Sam Cruz
// (warehouse, bound to shop).
type shop struct {
	db             *store.DB
	url            string
	ship, pickup   *oms.Order
	agent, whs, sc oms.User
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func put(_ bool, err error) error { return err }

func newShop(t *testing.T, e storetest.Engine) *shop {
	t.Helper()
	db := storetest.Open(t, e)
	must(t, put(db.PutChannel(ctx, &oms.Channel{Code: "web", Name: "Web store", Kind: "web", Currency: "USD", BackorderPolicy: oms.BackorderAccept, SharePercent: 100}, oms.System("test"))))
	must(t, put(db.PutLocation(ctx, &oms.Location{Code: "east", Active: true, Name: "East", Kind: "warehouse", CanShip: true, Priority: 1}, oms.System("test"))))
	must(t, put(db.PutLocation(ctx, &oms.Location{Code: "shop", Active: true, Name: "Shop", Kind: "store", CanPickup: true, Priority: 2}, oms.System("test"))))
	must(t, put(db.PutItem(ctx, &oms.Item{SKU: "MUG-1", Name: "Mug", UnitCost: 400, Currency: "USD"}, oms.System("test"))))
	must(t, put(db.PutItem(ctx, &oms.Item{SKU: "TEE-2", Name: "Tee", UnitCost: 900, Currency: "USD"}, oms.System("test"))))
	for _, b := range []struct {
		sku, loc string
		n        int64
	}{{"MUG-1", "east", 10}, {"TEE-2", "east", 10}, {"MUG-1", "shop", 5}} {
		n := b.n
		_, err := db.AdjustInventory(ctx, oms.Adjustment{SKU: b.sku, Location: b.loc, Reason: oms.MoveReceive, Delta: &n}, oms.System("test"))
		must(t, err)
	}
	s := &shop{db: db}
	var err error
	s.ship, _, err = db.PlaceOrder(ctx, &oms.OrderDraft{Channel: "web", ExternalID: "W-100", Currency: "USD",
		Customer: oms.Customer{Email: "ann.buyer@example.com", Name: "Ann Buyer"},
		ShipTo:   &oms.Address{Name: "Ann Buyer", Line1: "1 Main St", City: "Springfield", PostalCode: "12345", Country: "US"},
		Lines:    []oms.LineDraft{{SKU: "MUG-1", Quantity: 2, UnitPrice: 1250}, {SKU: "TEE-2", Quantity: 3, UnitPrice: 2000}}, ShippingPrice: 500}, oms.System("test"))
	must(t, err)
	s.pickup, _, err = db.PlaceOrder(ctx, &oms.OrderDraft{Channel: "web", ExternalID: "W-101", Currency: "USD",
		Customer: oms.Customer{Email: "bob@example.com", Name: "Bob Stone"}, PickupLocation: "shop",
		Lines: []oms.LineDraft{{SKU: "MUG-1", Quantity: 1, UnitPrice: 1250}}}, oms.System("test"))
	must(t, err)
	for _, u := range []struct {
		dst *oms.User
		nu  oms.NewUser
	}{
		{&s.agent, oms.NewUser{Email: "ann@example.com", Name: "Ann Lee", Role: oms.RoleAgent}},
		{&s.whs, oms.NewUser{Email: "wes@example.com", Name: "Wes Park", Role: oms.RoleWarehouse}},
		{&s.sc, oms.NewUser{Email: "sam@example.com", Name: "Sam Cruz", Role: oms.RoleWarehouse, Locations: []string{"shop"}}},
	} {
		u.nu.Password = password
		*u.dst, err = db.CreateUser(ctx, u.nu, oms.System("test"))
		must(t, err)
	}
	srv := httptest.NewServer(console.New(db.Services(), console.Options{}))
	t.Cleanup(srv.Close)
	s.url = srv.URL
	return s
}

// order reads the order again.
func (s *shop) order(t testing.TB, o *oms.Order) *oms.Order {
	t.Helper()
	got, err := s.db.Order(ctx, o.ID)
	must(t, err)
	return got
}

// fulfillments returns the order's fulfillments.
func (s *shop) fulfillments(t testing.TB, o *oms.Order) []oms.Fulfillment {
	t.Helper()
	fs, err := s.db.OrderFulfillments(ctx, o.ID)
	must(t, err)
	return fs
}

// balance returns the SKU's balance at the location.
func (s *shop) balance(t testing.TB, sku, loc string) oms.Balance {
	t.Helper()
	st, err := s.db.Stock(ctx, sku)
	must(t, err)
	for _, b := range st.Locations {
		if b.Location == loc {
			return b
		}
	}
	t.Fatalf("no balance of %s at %s", sku, loc)
	return oms.Balance{}
}

// client is a browser without JavaScript: a cookie jar, no redirects
// followed.
type client struct {
	t    *testing.T
	base string
	http *http.Client
}

func newClient(t *testing.T, base string) *client {
	jar, _ := cookiejar.New(nil)
	return &client{t: t, base: base, http: &http.Client{Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// get returns the status and body of a GET.
func (c *client) get(path string) (int, string) {
	c.t.Helper()
	resp, err := c.http.Get(c.base + path)
	must(c.t, err)
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// post posts the form, with extra headers, and returns the status and body.
func (c *client) post(path string, form url.Values, headers ...string) (int, string) {
	c.t.Helper()
	req, err := http.NewRequest(http.MethodPost, c.base+path, strings.NewReader(form.Encode()))
	must(c.t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := c.http.Do(req)
	must(c.t, err)
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

var csrfInput = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// csrf returns the CSRF token of the page's forms.
func csrf(t testing.TB, body string) string {
	t.Helper()
	m := csrfInput.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no CSRF token on the page:\n%s", body)
	}
	return m[1]
}

// signIn signs the client in and returns the CSRF token of its session.
func (c *client) signIn(email string) string {
	c.t.Helper()
	_, body := c.get("/login")
	st, _ := c.post("/login", url.Values{"csrf": {csrf(c.t, body)}, "email": {email}, "password": {password}, "next": {"/orders"}})
	if st != http.StatusSeeOther {
		c.t.Fatalf("sign-in as %s: status %d", email, st)
	}
	st, body = c.get("/orders")
	if st != http.StatusOK {
		c.t.Fatalf("orders after sign-in: %d", st)
	}
	return csrf(c.t, body)
}

// storetestRun runs fn on a new shop on each engine.
func storetestRun(t *testing.T, fn func(t *testing.T, s *shop)) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) { fn(t, newShop(t, e)) })
}

// storetestInvariants checks every invariant of the shop's database.
func storetestInvariants(t *testing.T, s *shop) { storetest.AssertInvariants(t, s.db) }
