package console_test

import (
	"encoding/csv"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/omshq/oms"
)

// TestBrowserEditRefundReport: a manager edits an order through its edit
// page (a quantity up), meets the "someone changed this order" notice when
// the order changed under the form and reloads; records a goodwill credit
// from the order page; then opens the sales report, sees its chart drawn,
// and downloads its CSV, whose rows are the API's report's.
func TestBrowserEditRefundReport(t *testing.T) {
	storetestRun(t, func(t *testing.T, s *shop) {
		_, err := s.db.CreateUser(ctx, oms.NewUser{Email: "max@example.com", Name: "Max Boss", Role: oms.RoleManager, Password: password}, oms.System("test"))
		must(t, err)
		b := newTab(t, s.url)
		b.signIn("max@example.com")
		n, mug := s.ship.Number, s.ship.Lines[0]

		// Edit: the mug line from 2 to 3.
		b.do(chromedp.Navigate(b.base+"/orders/"+n), chromedp.Click(chromedp.CSS("#edit-link")),
			waitFor(`location.pathname === '/orders/`+n+`/edit' && document.readyState === 'complete' && !!document.querySelector('#save-edit')`))
		b.screenshot("order-edit")
		b.do(run(`(document.querySelector("#qty-`+mug.ID+`").value = "3", true)`),
			chromedp.Click(chromedp.CSS("#save-edit")), flash("The order is changed."))
		o := s.order(t, s.ship)
		if o.Lines[0].Quantity != 3 || o.Version != s.ship.Version+1 {
			t.Fatalf("after the edit: %+v, version %d", o.Lines[0], o.Version)
		}
		if got := b.text(".timeline"); !strings.Contains(got, "Max Boss (manager)") {
			t.Errorf("the timeline does not name Max:\n%s", got)
		}

		// Someone changes the order while the form is open: the edit is
		// not made, the notice offers a reload, which shows the order now.
		b.do(chromedp.Click(chromedp.CSS("#edit-link")), waitFor(`location.pathname === '/orders/`+n+`/edit' && document.readyState === 'complete' && !!document.querySelector('#save-edit')`))
		_, err = s.db.PlaceHold(ctx, o.ID, 0, oms.HoldManual, "checking the address", oms.System("test"))
		must(t, err)
		b.do(run(`(document.querySelector("#qty-`+mug.ID+`").value = "4", true)`),
			chromedp.Click(chromedp.CSS("#save-edit")), waitFor(`!!document.querySelector('#conflict')`))
		b.screenshot("order-edit-conflict")
		if got := s.order(t, s.ship); got.Lines[0].Quantity != 3 {
			t.Fatalf("an edit over a changed order went through: quantity %d", got.Lines[0].Quantity)
		}
		b.do(chromedp.Click(chromedp.CSS("#reload")),
			waitFor(`location.pathname === '/orders/`+n+`/edit' && !document.querySelector('#conflict') && !!document.querySelector('#save-edit')`))
		if got := eval[string](b, `document.querySelector('#edit-form input[name=version]')?.value || ''`); got != itoa(o.Version+1) {
			t.Errorf("the reloaded form is at version %s, want %d", got, o.Version+1)
		}

		// A goodwill credit from the order page.
		b.do(chromedp.Navigate(b.base+"/orders/"+n), chromedp.Click(chromedp.CSS("#refund-box summary")),
			chromedp.SetValue(chromedp.CSS("#refund-kind"), "appeasement"),
			chromedp.SendKeys(chromedp.CSS("#refund-amount"), "5.00"),
			chromedp.SendKeys(chromedp.CSS("#refund-reason"), "Parcel arrived late"),
			chromedp.Click(chromedp.CSS("#refund")), flash("The refund is recorded."))
		rs, err := s.db.Refunds(ctx, o.ID)
		must(t, err)
		if len(rs.Refunds) != 1 || rs.Refunds[0].Amount != 500 || rs.Refunds[0].Kind != "appeasement" || oms.ActorLabel(rs.Refunds[0].Actor) != "Max Boss (manager)" {
			t.Fatalf("refunds: %+v", rs.Refunds)
		}
		if got := eval[string](b, `document.querySelector('#refunded').textContent`); got != "5.00 USD" {
			t.Errorf("refunded on the page %q", got)
		}
		b.screenshot("order-actions")

		// The sales report, by channel: the chart drawn, and the CSV
		// download holding the API's rows.
		b.do(chromedp.Click(chromedp.CSS(`nav a[href="/reports"]`)),
			waitFor(`location.pathname === '/reports' && document.readyState === 'complete' && !!document.querySelector('#report-sales')`))
		b.screenshot("reports")
		b.do(chromedp.Click(chromedp.CSS("#report-sales")),
			waitFor(`location.pathname === '/reports/sales' && document.readyState === 'complete' && !!document.querySelector('#run-report')`),
			run(`(document.querySelector('#r-by').value = 'channel', document.querySelector('#run-report').click(), true)`),
			waitFor(`location.search.includes('by=channel') && document.readyState === 'complete'`),
			waitFor(`document.querySelector('#report-chart')?.dataset.drawn === 'true' && !!document.querySelector('#report-chart canvas')`))
		b.screenshot("report-sales")
		if got := b.text("#report-table tbody"); !strings.Contains(got, "web") {
			t.Errorf("the sales table:\n%s", got)
		}
		text := eval[string](b, `fetch(document.querySelector('#csv').href).then(r => r.headers.get('Content-Disposition'))`,
			chromedp.EvalAwaitPromise)
		if !strings.HasPrefix(text, `attachment; filename="sales_`) {
			t.Errorf("the download's Content-Disposition %q", text)
		}
		body := eval[string](b, `fetch(document.querySelector('#csv').href).then(r => r.text())`, chromedp.EvalAwaitPromise)
		got, err := csv.NewReader(strings.NewReader(body)).ReadAll()
		must(t, err)
		base, key := s.api(t)
		today := time.Now().UTC().Format(time.DateOnly)
		from := time.Now().UTC().AddDate(0, 0, -29).Format(time.DateOnly)
		want := apiCSV(t, base, key, "/v1/reports/sales?from="+from+"&to="+today+"&by=channel&period=day")
		if !slices.EqualFunc(got, want, slices.Equal) || len(got) != 2 || got[1][2] != "2" {
			t.Errorf("the CSV from the browser\n%q\nthe API's\n%q", got, want)
		}
	})
}
