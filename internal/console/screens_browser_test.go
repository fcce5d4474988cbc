package console_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/omshq/oms"
)

// TestBrowserScreens: a manager sees the home page's chart drawn, finds an
// item by SKU prefix, adjusts its stock through the form (a bad quantity
// shown next to its input first), and ships a fulfillment from the
// location's screen with tracking; a store clerk's fulfillment screen
// offers only the store.
func TestBrowserScreens(t *testing.T) {
	storetestRun(t, func(t *testing.T, s *shop) {
		_, err := s.db.CreateUser(ctx, oms.NewUser{Email: "max@example.com", Name: "Max Boss", Role: oms.RoleManager, Password: password}, oms.System("test"))
		must(t, err)
		b := newTab(t, s.url)
		b.signIn("max@example.com")
		b.do(chromedp.Click(chromedp.CSS(`nav a[href="/"]`)),
			waitFor(`document.querySelector('#chart')?.dataset.drawn === 'true' && !!document.querySelector('#chart canvas')`))
		if got := b.text("#today-orders"); got != "2" {
			t.Errorf("today's orders %q, want 2", got)
		}
		b.screenshot("home")

		// Inventory: the SKU prefix, then the item's page.
		b.do(chromedp.Click(chromedp.CSS(`nav a[href="/inventory"]`)), waitFor(`location.pathname === '/inventory'`),
			chromedp.SendKeys(chromedp.CSS("#sku"), "TEE"), // answers as one types
			waitFor(`location.search.includes('sku=TEE') && document.querySelectorAll('table.stock tbody tr').length === 1`))
		b.screenshot("inventory")
		b.do(chromedp.Click(chromedp.CSS(`a[href="/inventory/TEE-2"]`)), waitFor(`location.pathname === '/inventory/TEE-2'`),
			chromedp.SendKeys(chromedp.CSS("#adj-quantity"), "two"), chromedp.Click(chromedp.CSS("#adjust")),
			waitFor(`document.querySelector('#adj-quantity')?.getAttribute('aria-invalid') === 'true'`))
		if got := b.text("#adjust-form .field-error"); !strings.Contains(got, "whole number") {
			t.Errorf("the quantity's problem: %q", got)
		}
		tee := s.balance(t, "TEE-2", "east")
		b.do(chromedp.SetValue(chromedp.CSS("#adj-location"), "east"), chromedp.SetValue(chromedp.CSS("#adj-reason"), "count"),
			chromedp.Click(chromedp.CSS(`input[name=mode][value=set]`)),
			run(`(document.querySelector("#adj-quantity").value = "", true)`), chromedp.SendKeys(chromedp.CSS("#adj-quantity"), "12"),
			chromedp.SendKeys(chromedp.CSS("#adj-reference"), "cycle count"),
			chromedp.Click(chromedp.CSS("#adjust")), flash("adjusted"))
		if got := s.balance(t, "TEE-2", "east"); got.OnHand != 12 || got.Reserved != tee.Reserved {
			t.Errorf("tees after a count of 12: %+v, was %+v", got, tee)
		}
		if got := b.text("table.ledger tbody tr"); !strings.Contains(got, "cycle count") || !strings.Contains(got, "Max Boss") {
			t.Errorf("the newest ledger entry: %q", got)
		}
		b.screenshot("item")

		// Fulfillment at east: the pick list, then ship with tracking.
		f := s.fulfillments(t, s.ship)[0]
		b.do(chromedp.Navigate(b.base+"/fulfillment?location=east"), waitFor(`!!document.querySelector('#f-`+f.ID+`')`))
		if got := b.text(".picklist"); !strings.Contains(got, "MUG-1") || !strings.Contains(got, "TEE-2") {
			t.Errorf("the pick list:\n%s", got)
		}
		b.screenshot("fulfillment")
		b.do(chromedp.SendKeys(chromedp.CSS("#carrier-"+f.ID), "UPS"),
			chromedp.SendKeys(chromedp.CSS("#tracking-"+f.ID), "1Z999AA1"),
			chromedp.Click(chromedp.CSS("#ship-"+f.ID)), flash("shipped"))
		if f = s.fulfillments(t, s.ship)[0]; f.Status != oms.FulfillmentShipped || f.TrackingNumber != "1Z999AA1" {
			t.Fatalf("after shipping: %+v", f)
		}
		if got := b.text("#open-h"); !strings.Contains(got, "(0)") {
			t.Errorf("open fulfillments after shipping: %q", got)
		}

		clerk := newTab(t, s.url)
		clerk.signIn("sam@example.com")
		clerk.do(chromedp.Navigate(s.url+"/fulfillment"), waitFor(`!!document.querySelector('#f-location')`))
		if got := eval[int](clerk, `document.querySelectorAll('#f-location option').length`); got != 1 || clerk.text("#f-location") != "Shop (shop)" {
			t.Errorf("the clerk's locations: %d, %q", got, clerk.text("#f-location"))
		}
		clerk.do(chromedp.EmulateViewport(390, 844))
		clerk.screenshot("fulfillment-phone")
	})
}
