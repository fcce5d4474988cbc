package console_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/omshq/oms"
)

// The browser tests drive Debian's chromium through chromedp: one browser
// for the test binary, a fresh browser context (its own cookies) per
// test. Without chromium they skip, unless OMS_TEST_REQUIRE_BROWSER is set
// (as CI sets it), when they fail. With OMS_SCREENSHOT_DIR set they write
// PNGs of the main screens there.

var browser context.Context // nil when there is no browser

func TestMain(m *testing.M) {
	var cancel func()
	if path := chromiumPath(); path != "" {
		opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(path), chromedp.NoSandbox,
			chromedp.Flag("disable-gpu", true), chromedp.Flag("disable-dev-shm-usage", true), chromedp.WindowSize(1280, 900))
		actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
		bctx, cancelBrowser := chromedp.NewContext(actx)
		if err := chromedp.Do(bctx); err != nil { // starts the browser
			fmt.Fprintf(os.Stderr, "console tests: starting %s: %v\n", path, err)
			os.Exit(1)
		}
		browser, cancel = bctx, func() { cancelBrowser(); cancelAlloc() }
	}
	code := m.Run()
	if cancel != nil {
		cancel()
	}
	os.Exit(code)
}

func chromiumPath() string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// tab is one browser context on the console.
type tab struct {
	t    *testing.T
	ctx  context.Context
	base string
}

func newTab(t *testing.T, base string) *tab {
	t.Helper()
	if browser == nil {
		if os.Getenv("OMS_TEST_REQUIRE_BROWSER") != "" {
			t.Fatal("no chromium on PATH, and OMS_TEST_REQUIRE_BROWSER is set: install it (apt-get install chromium)")
		}
		t.Skip("no chromium on PATH: the browser tests skip (install it with apt-get install chromium)")
	}
	ctx, cancel := chromedp.NewContext(browser, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 900)); err != nil {
		t.Fatal(err)
	}
	return &tab{t: t, ctx: ctx, base: base}
}

// do runs the steps, failing the test on the first error.
func (b *tab) do(steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		loc, _ := chromedp.Run(b.ctx, chromedp.Location())
		body, _ := chromedp.Run(b.ctx, chromedp.Evaluate[string](`document.body ? document.body.innerText : ""`))
		b.t.Fatalf("in the browser at %s: %v\npage text:\n%s", loc, err, body)
	}
}

// eval returns the value of a JavaScript expression in the page.
func eval[T any](b *tab, expr string, opts ...chromedp.EvaluateOption) T {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr, opts...))
	if err != nil {
		b.t.Fatalf("evaluating %s: %v", expr, err)
	}
	return v
}

// waitFor waits until the JavaScript expression is true, asking again
// while a navigation replaces the page.
func waitFor(expr string) chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		deadline := time.Now().Add(20 * time.Second)
		var last error
		for time.Now().Before(deadline) {
			ok, err := chromedp.Evaluate[bool](expr)(ctx, t)
			if err == nil && ok {
				return chromedp.Void{}, nil
			}
			last = err
			select {
			case <-ctx.Done():
				return chromedp.Void{}, ctx.Err()
			case <-time.After(50 * time.Millisecond):
			}
		}
		return chromedp.Void{}, fmt.Errorf("waiting for %s: not true after 20s (last error: %v)", expr, last)
	}
}

// run evaluates JavaScript in the page for its effect.
func run(expr string) chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		_, err := chromedp.Evaluate[bool](expr)(ctx, t)
		return chromedp.Void{}, err
	}
}

// flash waits for the message an action shows when it went through.
func flash(text string) chromedp.Action[chromedp.Void] {
	return waitFor(fmt.Sprintf(`(document.querySelector('.alert.ok')?.textContent || '').includes(%q)`, text))
}

// text returns the text of the first element the CSS selector matches.
func (b *tab) text(sel string) string {
	b.t.Helper()
	return eval[string](b, fmt.Sprintf(`(document.querySelector(%q)?.innerText || '')`, sel))
}

// signIn fills the sign-in form as a person would.
func (b *tab) signIn(email string) {
	b.t.Helper()
	b.do(chromedp.Navigate(b.base+"/login"),
		chromedp.SendKeys(chromedp.CSS("#email"), email),
		chromedp.SendKeys(chromedp.CSS("#password"), password),
		chromedp.Click(chromedp.CSS(`form[action="/login"] button[type=submit]`)),
		waitFor(`document.querySelector('h1')?.textContent.trim() === 'Orders'`))
}

// signOut uses the account menu.
func (b *tab) signOut() {
	b.t.Helper()
	b.do(chromedp.Click(chromedp.CSS(".account summary")),
		chromedp.Click(chromedp.CSS(`form[action="/logout"] button`)),
		waitFor(`location.pathname === '/login'`))
}

// screenshot writes a PNG of the whole page to OMS_SCREENSHOT_DIR, if set.
func (b *tab) screenshot(name string) {
	b.t.Helper()
	dir := os.Getenv("OMS_SCREENSHOT_DIR")
	if dir == "" {
		return
	}
	png, err := chromedp.Run(b.ctx, chromedp.FullScreenshot(100))
	must(b.t, err)
	must(b.t, os.MkdirAll(dir, 0o755))
	must(b.t, os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644))
}

// TestBrowserOrderFlow: an agent signs in, finds an order by the
// customer's email, holds and releases it, cancels a unit and adds a note;
// a warehouse user ships it with tracking and hands over a store pickup.
// After each step the page and the store agree: status, lines, stock and
// a timeline naming the person.
func TestBrowserOrderFlow(t *testing.T) {
	storetestRun(t, func(t *testing.T, s *shop) {
		b := newTab(t, s.url)
		must(t, put(s.db.PutItem(ctx, &oms.Item{SKU: "CAP-3", Name: "Cap", UnitCost: 300, Currency: "USD"}, oms.System("test"))))
		caps := int64(100)
		_, err := s.db.AdjustInventory(ctx, oms.Adjustment{SKU: "CAP-3", Location: "east", Reason: oms.MoveReceive, Delta: &caps}, oms.System("test"))
		must(t, err)
		for i, name := range []string{"Chloe Martin", "Diego Alvarez", "Priya Shah", "Tom Becker", "Yuki Tanaka", "Lena Fischer"} {
			_, _, err := s.db.PlaceOrder(ctx, &oms.OrderDraft{Channel: "web", ExternalID: fmt.Sprint("W-2", i), Currency: "USD",
				Customer: oms.Customer{Email: strings.ToLower(strings.Fields(name)[0]) + "@example.com", Name: name},
				ShipTo:   &oms.Address{Line1: "2 Side St", City: "Portland", Country: "US"},
				Lines:    []oms.LineDraft{{SKU: "CAP-3", Quantity: int64(i%3 + 1), UnitPrice: 1800}}, ShippingPrice: 500}, oms.System("test"))
			must(t, err)
		}
		b.do(chromedp.Navigate(b.base + "/login"))
		b.screenshot("login")
		b.signIn("ann@example.com")
		b.screenshot("orders")

		// The search box answers as one types (htmx), and the address
		// follows, so that the search can be bookmarked.
		b.do(chromedp.SendKeys(chromedp.CSS("#q"), "Priya"),
			waitFor(`document.querySelectorAll('#order-results tbody tr').length === 1`),
			waitFor(`location.search.includes('q=Priya')`))
		if got := b.text("#order-results tbody"); !strings.Contains(got, "Priya Shah") {
			t.Fatalf("search as one types found:\n%s", got)
		}

		// Search by the customer's email: the one order, and only it.
		b.do(run(`(document.querySelector("#q").value = "", true)`),
			chromedp.SendKeys(chromedp.CSS("#q"), "ann.buyer@example.com\n"),
			waitFor(`location.search.includes('q=ann.buyer')`),
			waitFor(`document.querySelectorAll('#order-results tbody tr').length === 1`))
		if got := b.text("#order-results tbody"); !strings.Contains(got, "#"+s.ship.Number) || !strings.Contains(got, "Ann Buyer") {
			t.Fatalf("search by email found:\n%s", got)
		}
		b.do(chromedp.Click(chromedp.CSS(`#order-results a[href="/orders/`+s.ship.Number+`"]`)),
			waitFor(`location.pathname === '/orders/`+s.ship.Number+`' && document.readyState === 'complete' && !!document.querySelector('#order-total')`))
		if got := b.text("#order-total"); got != "90.00 USD" {
			t.Errorf("order total %q, want 90.00 USD", got)
		}
		mug := s.balance(t, "MUG-1", "east")

		// Hold, with a reason: on hold on the page and in the store, its
		// stock still reserved, the timeline naming Ann.
		b.do(chromedp.Click(chromedp.CSS("#hold-box summary")),
			chromedp.SetValue(chromedp.CSS("#hold-type"), "fraud"),
			chromedp.SendKeys(chromedp.CSS("#hold-reason"), "Card country mismatch"),
			chromedp.Click(chromedp.CSS("#hold")), flash("on hold"))
		o := s.order(t, s.ship)
		if o.Status != oms.StatusOnHold || len(o.Holds) != 1 || o.Holds[0].Type != oms.HoldFraud ||
			oms.ActorLabel(o.Holds[0].PlacedBy) != "Ann Lee (agent)" {
			t.Fatalf("after hold: %s, holds %+v", o.Status, o.Holds)
		}
		if got := b.text("#order-status"); got != "On hold" {
			t.Errorf("status on the page %q", got)
		}
		if got := s.balance(t, "MUG-1", "east"); got.Reserved != mug.Reserved {
			t.Errorf("holding released stock: reserved %d → %d", mug.Reserved, got.Reserved)
		}
		if got := b.text(".timeline"); !strings.Contains(got, "Ann Lee (agent)") {
			t.Errorf("the timeline does not name Ann:\n%s", got)
		}

		// Release.
		b.do(chromedp.Click(chromedp.CSS("#release")), flash("released"))
		if o = s.order(t, s.ship); o.Status != oms.StatusAllocated || len(o.Holds) != 0 {
			t.Fatalf("after release: %s, holds %+v", o.Status, o.Holds)
		}
		if got := b.text("#order-status"); got != "Allocated" {
			t.Errorf("status on the page %q", got)
		}

		// Cancel one unit of the tee: the line shows it, stock is released.
		tee := o.Lines[1]
		teeBefore := s.balance(t, "TEE-2", "east")
		row := "#line-" + tee.ID
		b.do(chromedp.Click(chromedp.CSS(row+" summary")),
			chromedp.SetValue(chromedp.CSS("#qty-"+tee.ID), "1"),
			chromedp.Click(chromedp.CSS(row+" button.danger")), flash("cancelled"))
		if o = s.order(t, s.ship); o.Lines[1].Cancelled != 1 || o.Lines[1].Allocated != 2 {
			t.Fatalf("after cancelling a unit: %+v", o.Lines[1])
		}
		if got := s.balance(t, "TEE-2", "east"); got.Reserved != teeBefore.Reserved-1 || got.OnHand != teeBefore.OnHand {
			t.Errorf("stock after cancelling a unit: %+v, was %+v", got, teeBefore)
		}
		if got := b.text(row); !strings.Contains(got, "1 cancelled") {
			t.Errorf("the line on the page: %q", got)
		}

		// A note.
		b.do(chromedp.SendKeys(chromedp.CSS("#note-body"), "Customer called about delivery"),
			chromedp.Click(chromedp.CSS(".note-form button")), flash("note"))
		if got := b.text(".timeline li"); !strings.Contains(got, "Customer called about delivery") || !strings.Contains(got, "Ann Lee (agent)") {
			t.Errorf("the newest timeline entry: %q", got)
		}
		b.screenshot("order")
		b.do(chromedp.EmulateViewport(390, 844))
		b.screenshot("order-phone")
		b.do(chromedp.Navigate(b.base + "/orders"))
		b.screenshot("orders-phone")
		b.do(chromedp.EmulateViewport(1280, 900))
		b.signOut()

		// Ship with tracking, as the warehouse.
		b.signIn("wes@example.com")
		f := s.fulfillments(t, s.ship)[0]
		mug, tee0 := s.balance(t, "MUG-1", "east"), s.balance(t, "TEE-2", "east")
		b.do(chromedp.Navigate(b.base+"/orders/"+s.ship.Number),
			chromedp.SendKeys(chromedp.CSS("#carrier-"+f.ID), "UPS"),
			chromedp.SendKeys(chromedp.CSS("#tracking-"+f.ID), "1Z999AA10123456784"),
			chromedp.Click(chromedp.CSS("#f-"+f.ID+" .ship-form button")), flash("shipped"))
		f = s.fulfillments(t, s.ship)[0]
		if f.Status != oms.FulfillmentShipped || f.Carrier != "UPS" || f.TrackingNumber != "1Z999AA10123456784" {
			t.Fatalf("after shipping: %+v", f)
		}
		if got := s.balance(t, "MUG-1", "east"); got.OnHand != mug.OnHand-2 || got.Reserved != mug.Reserved-2 {
			t.Errorf("mugs after shipping: %+v, was %+v", got, mug)
		}
		if got := s.balance(t, "TEE-2", "east"); got.OnHand != tee0.OnHand-2 || got.Reserved != tee0.Reserved-2 {
			t.Errorf("tees after shipping: %+v, was %+v", got, tee0)
		}
		if got := b.text("#f-" + f.ID + " .tracking"); !strings.Contains(got, "1Z999AA10123456784") {
			t.Errorf("tracking on the page: %q", got)
		}
		if o = s.order(t, s.ship); o.Status != oms.StatusShipped {
			t.Errorf("order after shipping: %s", o.Status)
		}

		// Store pickup: ready, then collected.
		p := s.fulfillments(t, s.pickup)[0]
		shop := s.balance(t, "MUG-1", "shop")
		b.do(chromedp.Navigate(b.base+"/orders/"+s.pickup.Number),
			chromedp.Click(chromedp.CSS("#f-"+p.ID+` form[action$="/ready"] button`)), flash("ready for pickup"),
			chromedp.Click(chromedp.CSS("#f-"+p.ID+` form[action$="/pickup"] button`)), flash("collected"))
		if p = s.fulfillments(t, s.pickup)[0]; p.Status != oms.FulfillmentPickedUp {
			t.Fatalf("pickup after collection: %s", p.Status)
		}
		if got := s.balance(t, "MUG-1", "shop"); got.OnHand != shop.OnHand-1 || got.Reserved != shop.Reserved-1 {
			t.Errorf("store stock after collection: %+v, was %+v", got, shop)
		}
		if got := b.text(".timeline"); !strings.Contains(got, "Wes Park (warehouse)") {
			t.Errorf("the timeline does not name Wes:\n%s", got)
		}
		storetestInvariants(t, s)
	})
}

// TestBrowserLocationBound: a clerk bound to the store cannot open an
// order of another location, and posting that location's fulfillment
// form from the page is not found; a post without the CSRF token is
// refused.
func TestBrowserLocationBound(t *testing.T) {
	storetestRun(t, func(t *testing.T, s *shop) {
		b := newTab(t, s.url)
		b.signIn("sam@example.com")
		if got := b.text("#order-results"); strings.Contains(got, "#"+s.ship.Number) || !strings.Contains(got, "#"+s.pickup.Number) {
			t.Errorf("the store clerk's orders:\n%s", got)
		}
		b.do(chromedp.Navigate(b.base + "/orders/" + s.ship.Number))
		if got := b.text("h1"); got != "Not found" {
			t.Errorf("another location's order: %q, want Not found", got)
		}
		f := s.fulfillments(t, s.ship)[0]
		post := func(path, body string) int {
			return eval[int](b, fmt.Sprintf(`fetch(%q, {method: 'POST', headers: {'Content-Type': 'application/x-www-form-urlencoded'}, body: %s}).then(r => r.status)`,
				path, body), chromedp.EvalAwaitPromise)
		}
		withToken := `'csrf=' + encodeURIComponent(document.querySelector('input[name=csrf]').value) + '&carrier=UPS&tracking_number=1Z1'`
		if st := post("/fulfillments/"+f.ID+"/ship", withToken); st != 404 {
			t.Errorf("posting another location's ship form: %d, want 404", st)
		}
		own := s.fulfillments(t, s.pickup)[0]
		if st := post("/fulfillments/"+own.ID+"/ready", `'carrier=UPS'`); st != 403 {
			t.Errorf("a post without the CSRF token: %d, want 403", st)
		}
		if f2 := s.fulfillments(t, s.ship)[0]; f2.Status != f.Status || f2.TrackingNumber != "" {
			t.Errorf("another location's fulfillment changed: %+v", f2)
		}
		if f2 := s.fulfillments(t, s.pickup)[0]; f2.Status != own.Status {
			t.Errorf("a post without the token changed the pickup: %s", f2.Status)
		}
		// Its own pickup, through the page.
		b.do(chromedp.Navigate(b.base+"/orders/"+s.pickup.Number),
			chromedp.Click(chromedp.CSS("#f-"+own.ID+` form[action$="/ready"] button`)), flash("ready for pickup"))
	})
}
