package console_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/console"
	"github.com/omshq/oms/internal/store/storetest"
)

// TestSignIn: pages need a session (a page redirects to /login, a post is
// refused); a wrong password is refused with the form shown again; the
// session cookie is HttpOnly and SameSite=Lax; sign-out ends the session,
// and sign-out everywhere every session of the user.
func TestSignIn(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		s := newShop(t, e)
		c := newClient(t, s.url)
		if st, _ := c.get("/orders/" + s.ship.Number); st != http.StatusSeeOther {
			t.Errorf("order page without a session: %d, want 303 to /login", st)
		}
		_, body := c.get("/login")
		tok := csrf(t, body)
		st, body := c.post("/login", url.Values{"csrf": {tok}, "email": {"ann@example.com"}, "password": {"wrong horse battery"}})
		if st != http.StatusUnauthorized || !strings.Contains(body, "the email or the password is not right") ||
			!strings.Contains(body, `value="ann@example.com"`) {
			t.Errorf("wrong password: %d\n%s", st, body)
		}
		if st, _ := c.post("/login", url.Values{"email": {"ann@example.com"}, "password": {password}}); st != http.StatusForbidden {
			t.Errorf("sign-in without the form's CSRF token: %d, want 403", st)
		}
		req, _ := http.NewRequest(http.MethodPost, s.url+"/login", strings.NewReader(url.Values{"csrf": {tok},
			"email": {"ann@example.com"}, "password": {password}, "next": {"https://evil.example/"}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		resp, err := c.http.Do(req)
		must(t, err)
		resp.Body.Close()
		if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || loc != "/orders" {
			t.Errorf("sign-in: %d to %q, want 303 to /orders (never another site)", resp.StatusCode, loc)
		}
		var session *http.Cookie
		for _, ck := range resp.Cookies() {
			if ck.Name == "oms_session" {
				session = ck
			}
		}
		if session == nil || !session.HttpOnly || session.SameSite != http.SameSiteLaxMode || session.Path != "/" {
			t.Fatalf("session cookie %+v", session)
		}
		st, body = c.get("/orders")
		if st != http.StatusOK || !strings.Contains(body, "Ann Lee") || !strings.Contains(body, "#"+s.ship.Number) {
			t.Fatalf("orders after sign-in: %d", st)
		}
		other := newClient(t, s.url)
		other.signIn("ann@example.com")
		if st, _ := c.post("/logout", url.Values{"csrf": {csrf(t, body)}}); st != http.StatusSeeOther {
			t.Errorf("sign-out: %d", st)
		}
		if st, _ := c.get("/orders"); st != http.StatusSeeOther {
			t.Errorf("orders after sign-out: %d, want 303 to /login", st)
		}
		if _, err := s.db.Session(ctx, session.Value); oms.ErrorCode(err) != oms.EUNAUTHORIZED {
			t.Errorf("the session after sign-out: %v", err)
		}
		tok = c.signIn("ann@example.com")
		if st, _ := c.post("/logout/everywhere", url.Values{"csrf": {tok}}); st != http.StatusSeeOther {
			t.Errorf("sign-out everywhere: %d", st)
		}
		if st, _ := other.get("/orders"); st != http.StatusSeeOther {
			t.Errorf("the other browser after sign-out everywhere: %d, want 303 to /login", st)
		}
	})
}

// TestCSRF: every form post without the session's CSRF token, with
// another's, or from another site is refused (403) and changes nothing.
func TestCSRF(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		s := newShop(t, e)
		c := newClient(t, s.url)
		tok := c.signIn("ann@example.com")
		w := newClient(t, s.url)
		wtok := w.signIn("wes@example.com")
		fid := s.fulfillments(t, s.ship)[0].ID
		n := s.ship.Number
		for _, p := range []struct {
			c    *client
			path string
			form url.Values
		}{
			{c, "/orders/" + n + "/hold", url.Values{"type": {"manual"}}},
			{c, "/orders/" + n + "/release", url.Values{}},
			{c, "/orders/" + n + "/cancel", url.Values{"line": {s.ship.Lines[0].ID}, "quantity": {"1"}}},
			{c, "/orders/" + n + "/notes", url.Values{"body": {"hello"}}},
			{c, "/logout", url.Values{}},
			{c, "/logout/everywhere", url.Values{}},
			{w, "/fulfillments/" + fid + "/ship", url.Values{"carrier": {"UPS"}, "tracking_number": {"1Z"}}},
			{w, "/fulfillment/" + fid + "/ship", url.Values{"location": {"east"}, "carrier": {"UPS"}, "tracking_number": {"1Z"}}},
			{w, "/fulfillment/" + fid + "/pack", url.Values{"location": {"east"}}},
			{w, "/inventory/MUG-1/adjust", url.Values{"location": {"east"}, "reason": {"adjust"}, "mode": {"delta"}, "quantity": {"-1"}}},
			{w, "/inventory/MUG-1/transfer", url.Values{"from": {"east"}, "to": {"shop"}, "quantity": {"1"}, "eta": {"2030-01-01"}}},
			{w, "/supply", url.Values{"sku": {"MUG-1"}, "location": {"east"}, "quantity": {"1"}, "eta": {"2030-01-01"}}},
			{w, "/supply/1/receive", url.Values{}},
		} {
			valid := tok
			if p.c == w {
				valid = wtok
			}
			cases := []struct {
				name    string
				token   string
				headers []string
			}{
				{"no token", "", nil},
				{"another session's token", map[bool]string{true: wtok, false: tok}[p.c == c], nil},
				{"from another site", valid, []string{"Origin", "https://evil.example"}},
				{"cross-site fetch", valid, []string{"Sec-Fetch-Site", "cross-site"}},
			}
			for _, k := range cases {
				form := url.Values{}
				for key, v := range p.form {
					form[key] = v
				}
				if k.token != "" {
					form.Set("csrf", k.token)
				}
				if st, _ := p.c.post(p.path, form, k.headers...); st != http.StatusForbidden {
					t.Errorf("POST %s, %s: %d, want 403", p.path, k.name, st)
				}
			}
		}
		if o := s.order(t, s.ship); o.Version != s.ship.Version || len(o.Holds) != 0 {
			t.Errorf("the order changed: version %d → %d", s.ship.Version, o.Version)
		}
		if f := s.fulfillments(t, s.ship)[0]; f.Status != oms.FulfillmentPending {
			t.Errorf("fulfillment %s is %s", f.ID, f.Status)
		}
		if b := s.balance(t, "MUG-1", "east"); b.OnHand != 10 {
			t.Errorf("east's mugs changed: %d on hand", b.OnHand)
		}
		if sup, err := s.db.ListSupply(ctx, oms.System("test"), oms.SupplyFilter{Limit: 10}); err != nil || len(sup) != 0 {
			t.Errorf("supply recorded: %v, %v", sup, err)
		}
		if st, _ := c.get("/orders"); st != http.StatusOK {
			t.Errorf("still signed in: %d", st)
		}
		// With the token, the same post goes through.
		if st, _ := c.post("/orders/"+n+"/notes", url.Values{"csrf": {tok}, "body": {"hello"}}); st != http.StatusSeeOther {
			t.Errorf("a note with the token: %d", st)
		}
	})
}

// TestLocationBound: a user bound to a store sees its pickups and acts on
// them, but another location's fulfillments are not found, through the
// page and by posting their forms directly.
func TestLocationBound(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		s := newShop(t, e)
		c := newClient(t, s.url)
		tok := c.signIn("sam@example.com")
		if st, body := c.get("/orders/" + s.ship.Number); st != http.StatusNotFound || strings.Contains(body, "ann.buyer") {
			t.Errorf("another location's order: %d, want 404", st)
		}
		_, body := c.get("/orders")
		if strings.Contains(body, "#"+s.ship.Number) || !strings.Contains(body, "#"+s.pickup.Number) {
			t.Errorf("the orders list shows another location's order, or not the store's own")
		}
		// Warehouse users do not read customers: the list, like the order's
		// page, shows them no customer's name or email.
		if strings.Contains(body, "bob@example.com") || strings.Contains(body, "Bob Stone") {
			t.Errorf("the orders list shows a warehouse user the customer")
		}
		wes := newClient(t, s.url)
		wes.signIn("wes@example.com")
		for _, path := range []string{"/orders", "/orders?q=" + s.ship.Number} {
			_, body := wes.get(path)
			if !strings.Contains(body, "#"+s.ship.Number) || strings.Contains(body, "ann.buyer@example.com") || strings.Contains(body, "Ann Buyer") {
				t.Errorf("GET %s for a warehouse user: the order is missing or shows its customer", path)
			}
		}
		agent := newClient(t, s.url)
		agent.signIn("ann@example.com")
		if _, body := agent.get("/orders"); !strings.Contains(body, "ann.buyer@example.com") {
			t.Errorf("the orders list hides the customer from an agent")
		}
		east := s.fulfillments(t, s.ship)[0]
		for _, path := range []string{"/fulfillments/" + east.ID + "/ship", "/fulfillments/" + east.ID + "/ready", "/fulfillments/" + east.ID + "/pickup"} {
			if st, _ := c.post(path, url.Values{"csrf": {tok}, "carrier": {"UPS"}, "tracking_number": {"1Z999"}}); st != http.StatusNotFound {
				t.Errorf("POST %s by a user of another location: %d, want 404", path, st)
			}
		}
		if f := s.fulfillments(t, s.ship)[0]; f.Status != oms.FulfillmentPending || f.TrackingNumber != "" {
			t.Errorf("east's fulfillment changed: %+v", f)
		}
		own := s.fulfillments(t, s.pickup)[0]
		if st, _ := c.post("/fulfillments/"+own.ID+"/ready", url.Values{"csrf": {tok}}); st != http.StatusSeeOther {
			t.Errorf("own pickup ready: %d", st)
		}
		if f := s.fulfillments(t, s.pickup)[0]; f.Status != oms.FulfillmentReadyForPickup {
			t.Errorf("own pickup is %s", f.Status)
		}
	})
}

// TestFormProblems: a refused action shows the problem next to its input;
// a change made to the order since the page was shown says so.
func TestFormProblems(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		s := newShop(t, e)
		c := newClient(t, s.url)
		tok := c.signIn("ann@example.com")
		n, v := s.ship.Number, itoa(s.ship.Version)
		if st, body := c.get("/orders?after=x"); st != http.StatusUnprocessableEntity || !strings.Contains(body, "There is no such page") {
			t.Errorf("a bad page of the orders: %d", st)
		}
		if st, body := c.get("/orders?status=lost"); st != http.StatusUnprocessableEntity || !strings.Contains(body, `id="status-error">is not an order status</p>`) {
			t.Errorf("a bad status filter: %d", st)
		}
		st, body := c.post("/orders/"+n+"/hold", url.Values{"csrf": {tok}, "version": {v}, "type": {"whim"}})
		if st != http.StatusUnprocessableEntity || !strings.Contains(body, `<p class="field-error" id="hold-type-error">must be one of fraud, payment, address, manual</p>`) {
			t.Errorf("bad hold type: %d\n%s", st, body)
		}
		st, body = c.post("/orders/"+n+"/cancel", url.Values{"csrf": {tok}, "version": {v}, "line": {s.ship.Lines[1].ID}, "quantity": {"99"}})
		if st != http.StatusUnprocessableEntity || !strings.Contains(body, `id="qty-`+s.ship.Lines[1].ID+`-error"`) {
			t.Errorf("cancelling more than the line: %d\n%s", st, body)
		}
		// A bad tracking link, shown next to its input on the order page.
		w := newClient(t, s.url)
		wtok := w.signIn("wes@example.com")
		fid := s.fulfillments(t, s.ship)[0].ID
		st, body = w.post("/fulfillments/"+fid+"/ship", url.Values{"csrf": {wtok}, "carrier": {"UPS"}, "tracking_number": {"1Z"}, "tracking_url": {"ftp://x"}})
		if st != http.StatusUnprocessableEntity || !strings.Contains(body, `<p class="field-error">must be an http(s) URL of at most 500 bytes</p>`) ||
			!strings.Contains(body, `value="1Z"`) {
			t.Errorf("a bad tracking link: %d\n%s", st, body)
		}
		if f := s.fulfillments(t, s.ship)[0]; f.Status != oms.FulfillmentPending {
			t.Errorf("a refused shipment shipped: %s", f.Status)
		}

		// Someone else holds the order: the page's version is stale.
		_, err := s.db.AddOrderNote(ctx, s.ship.ID, "x", oms.System("test"))
		must(t, err)
		_, err = s.db.PlaceHold(ctx, s.ship.ID, 0, oms.HoldPayment, "", oms.System("test"))
		must(t, err)
		_, err = s.db.ReleaseHolds(ctx, s.ship.ID, 0, "", oms.System("test"))
		must(t, err)
		st, body = c.post("/orders/"+n+"/cancel", url.Values{"csrf": {tok}, "version": {v}, "line": {s.ship.Lines[1].ID}, "quantity": {"1"}})
		if st != http.StatusConflict || !strings.Contains(body, "Someone changed this order") {
			t.Errorf("a stale version: %d\n%s", st, body)
		}
		if o := s.order(t, s.ship); o.Lines[1].Cancelled != 0 {
			t.Errorf("the stale cancel went through")
		}
	})
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// TestSignInThrottled: after five wrong passwords the email is locked out
// (429), even with the right one; behind a TLS proxy (Options.Secure) the
// cookies are Secure.
func TestSignInThrottled(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		s := newShop(t, e)
		c := newClient(t, s.url)
		_, body := c.get("/login")
		tok := csrf(t, body)
		for range oms.MaxFailedSignIns {
			if st, _ := c.post("/login", url.Values{"csrf": {tok}, "email": {"ann@example.com"}, "password": {"wrong horse battery"}}); st != http.StatusUnauthorized {
				t.Fatalf("a wrong password: %d", st)
			}
		}
		st, body := c.post("/login", url.Values{"csrf": {tok}, "email": {"ann@example.com"}, "password": {password}})
		if st != http.StatusTooManyRequests || !strings.Contains(body, "too many failed sign-ins") {
			t.Errorf("after %d failures: %d", oms.MaxFailedSignIns, st)
		}

		srv := httptest.NewServer(console.New(s.db.Services(), console.Options{Secure: true}))
		defer srv.Close()
		res, err := http.Get(srv.URL + "/login")
		must(t, err)
		res.Body.Close()
		if cks := res.Cookies(); len(cks) != 1 || !cks[0].Secure || !cks[0].HttpOnly {
			t.Errorf("cookies behind a TLS proxy: %+v", cks)
		}
	})
}
