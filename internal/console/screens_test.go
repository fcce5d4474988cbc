package console_test

import (
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/console"
	"github.com/omshq/oms/internal/demo"
	"github.com/omshq/oms/internal/store"
	"github.com/omshq/oms/internal/store/reports"
)

// TestScreenshots writes a PNG of each main screen, over oms demo's data,
// to OMS_SCREENSHOT_DIR (make screenshots); without it, it skips.
func TestScreenshots(t *testing.T) {
	if os.Getenv("OMS_SCREENSHOT_DIR") == "" {
		t.Skip("set OMS_SCREENSHOT_DIR (make screenshots) to write the screens")
	}
	clock := &demo.Clock{}
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "oms.db"), store.Options{Now: clock.Now, SQLiteSync: "normal", Feed: reports.New()})
	must(t, err)
	defer db.Close()
	_, err = demo.Run(ctx, db, clock, demo.Options{Orders: 1500, Days: 14, Seed: 1, End: time.Now().UTC()})
	must(t, err)
	_, err = db.CreateUser(ctx, oms.NewUser{Email: "ann@example.com", Name: "Ann Lee", Role: oms.RoleAdmin, Password: password}, oms.System("test"))
	must(t, err)
	srv := httptest.NewServer(console.New(db.Services(), console.Options{FX: db}))
	defer srv.Close()
	// An order with a shipment, a hold or a note reads best: the newest
	// shipped one.
	shipped, _, err := db.ListOrders(ctx, oms.OrderFilter{Status: oms.StatusShipped, Limit: 1})
	must(t, err)
	b := newTab(t, srv.URL)
	b.do(chromedp.Navigate(srv.URL + "/login"))
	b.screenshot("login")
	b.signIn("ann@example.com")
	b.screenshot("orders")
	top, err := chromedp.Run(b.ctx, chromedp.CaptureScreenshot()) // the first screenful, for the README
	must(t, err)
	must(t, os.WriteFile(filepath.Join(os.Getenv("OMS_SCREENSHOT_DIR"), "orders-top.png"), top, 0o644))
	if len(shipped) > 0 {
		b.do(chromedp.Navigate(srv.URL + "/orders/" + shipped[0].Number))
		b.screenshot("order")
	}
	b.do(chromedp.Navigate(srv.URL + "/users"))
	b.screenshot("users")
	b.do(chromedp.Navigate(srv.URL+"/"), waitFor(`document.querySelector('#chart')?.dataset.drawn === 'true'`))
	b.screenshot("home")
	b.do(chromedp.Navigate(srv.URL + "/inventory"))
	b.screenshot("inventory")
	if stock, _, err := db.ListStock(ctx, oms.StockFilter{Limit: 1}); err == nil && len(stock) > 0 {
		b.do(chromedp.Navigate(srv.URL + "/inventory/" + stock[0].SKU))
		b.screenshot("item")
	}
	b.do(chromedp.Navigate(srv.URL + "/supply"))
	b.screenshot("supply")
	if locs, err := db.Locations(ctx); err == nil && len(locs) > 0 {
		b.do(chromedp.Navigate(srv.URL + "/fulfillment?location=" + locs[0].Code))
		b.screenshot("fulfillment")
	}
	// The close of the day: three parcels packed at a location, then
	// shipped in one go.
	if locs, err := db.Locations(ctx); err == nil {
		for _, l := range locs {
			fs, err := db.LocationFulfillments(ctx, l.Code, []oms.FulfillmentStatus{oms.FulfillmentPending}, 50)
			must(t, err)
			packed := 0
			for _, f := range fs {
				if packed < 3 && f.Location == l.Code && !f.Pickup {
					_, err := db.MoveFulfillment(ctx, f.ID, oms.FulfillmentMove{To: oms.FulfillmentPacked}, oms.System("test"))
					must(t, err)
					packed++
				}
			}
			if packed == 0 {
				continue
			}
			b.do(chromedp.Navigate(srv.URL + "/fulfillment?location=" + l.Code))
			b.screenshot("fulfillment-close")
			b.do(run(`(document.querySelector('#close-carrier').value = 'UPS', document.querySelectorAll('#close-form input[id^=close-tracking-]').forEach((e, i) => e.value = '1Z99900' + i), true)`),
				chromedp.Click(chromedp.CSS("#close-ship")), waitFor(`!!document.querySelector('#close-summary')`))
			b.screenshot("fulfillment-closed")
			break
		}
	}
	b.do(chromedp.Navigate(srv.URL + "/customers"))
	b.screenshot("customers")
	if cs, _, err := db.ListCustomers(ctx, oms.CustomerFilter{Limit: 1}); err == nil && len(cs) > 0 {
		b.do(chromedp.Navigate(srv.URL + "/customers/" + cs[0].ID))
		b.screenshot("customer")
	}
	b.do(chromedp.Navigate(srv.URL + "/cases?status="))
	b.screenshot("cases")
	if cs, err := db.Cases(ctx, oms.CaseFilter{Limit: 1}); err == nil && len(cs) > 0 {
		b.do(chromedp.Navigate(srv.URL + "/cases/" + itoa(cs[0].Number)))
		b.screenshot("case")
	}
	b.do(chromedp.Navigate(srv.URL + "/returns"))
	b.screenshot("returns")
	if rs, err := db.Returns(ctx, oms.ReturnFilter{Limit: 1}); err == nil && len(rs) > 0 {
		b.do(chromedp.Navigate(srv.URL + "/returns/" + rs[0].ID))
		b.screenshot("return")
	}
	if len(shipped) > 0 {
		link, err := db.CreateReturnLink(ctx, shipped[0].ID, 0, oms.System("test"))
		must(t, err)
		b.do(chromedp.Navigate(srv.URL + "/return/" + link.Token))
		b.screenshot("return-portal")
	}
	settingsScreens(t, b, db, srv.URL)
	b.do(chromedp.Navigate(srv.URL + "/reports"))
	b.screenshot("reports")
	for _, r := range []string{"sales", "fulfillment", "returns", "margin"} {
		b.do(chromedp.Navigate(srv.URL+"/reports/"+r), waitFor(`document.querySelector('#report-chart')?.dataset.drawn === 'true'`))
		b.screenshot("report-" + r)
	}
	b.do(chromedp.Navigate(srv.URL + "/reports/sales?from=" + time.Now().UTC().AddDate(0, 0, -13).Format(time.DateOnly) + "&to=" +
		time.Now().UTC().Format(time.DateOnly) + "&by=channel"))
	b.do(waitFor(`document.querySelector('#report-chart')?.dataset.drawn === 'true'`))
	b.screenshot("report-sales-by-channel")
	b.do(chromedp.Navigate(srv.URL + "/reports/inventory"))
	b.screenshot("report-inventory")
	if open, _, err := db.ListOrders(ctx, oms.OrderFilter{Status: oms.StatusAllocated, Limit: 1}); err == nil && len(open) > 0 {
		b.do(chromedp.Navigate(srv.URL + "/orders/" + open[0].Number))
		b.screenshot("order-open")
		b.do(chromedp.Navigate(srv.URL + "/orders/" + open[0].Number + "/edit"))
		b.screenshot("order-edit")
	}
	b.do(chromedp.EmulateViewport(390, 844), chromedp.Navigate(srv.URL+"/orders"))
	b.screenshot("orders-phone")
	b.do(chromedp.Navigate(srv.URL+"/"), waitFor(`document.querySelector('#chart')?.dataset.drawn === 'true'`))
	b.screenshot("home-phone")
	b.do(chromedp.Navigate(srv.URL + "/inventory"))
	b.screenshot("inventory-phone")
	for _, page := range []string{"supply", "fulfillment", "customers", "cases", "returns", "reports", "reports/sales"} {
		b.do(chromedp.Navigate(srv.URL + "/" + page))
		b.screenshot(strings.ReplaceAll(page, "/", "-") + "-phone")
	}
	settingsPhoneScreens(t, b, db, srv.URL)
}
