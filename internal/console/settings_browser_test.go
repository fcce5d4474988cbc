package console_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/store/storetest"
)

// TestBrowserSettings: an admin goes to Settings from the nav, maps a
// channel's listing SKU to a pack (an unknown SKU shown next to its input
// first), adds a tax rule, imports the ECB's rate file, and creates an API
// key (its secret shown once) and revokes it; the store agrees after each
// step.
func TestBrowserSettings(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		s := settingsShop(t, e)
		b := newTab(t, s.url)
		b.signIn("root@example.com")
		b.do(chromedp.Click(chromedp.CSS(`nav a[href="/settings"]`)), loaded(`location.pathname === '/settings'`))
		b.screenshot("settings")

		// A listing SKU of the web channel sells a pack of two mugs.
		b.do(chromedp.Click(chromedp.CSS(`a[href="/settings/channels"]`)), waitFor(`location.pathname === '/settings/channels'`),
			chromedp.Click(chromedp.CSS(`a[href="/settings/channels/web"]`)), waitFor(`!!document.querySelector('#mapping-form')`),
			chromedp.SendKeys(chromedp.CSS("#mapping-listing_sku"), "MUG-PACK"),
			chromedp.SendKeys(chromedp.CSS("#mapping-components"), "NOPE-9 2"),
			chromedp.Click(chromedp.CSS("#add-mapping")),
			waitFor(`document.querySelector('#mapping-components')?.getAttribute('aria-invalid') === 'true'`))
		if got := b.text("#mapping-components-error"); !strings.Contains(got, "NOPE-9") {
			t.Errorf("the unknown SKU's problem: %q", got)
		}
		b.do(run(`(document.querySelector("#mapping-components").value = "", true)`),
			chromedp.SendKeys(chromedp.CSS("#mapping-components"), "MUG-1 2"),
			chromedp.Click(chromedp.CSS("#add-mapping")), flash("mapping is saved"))
		ms, err := s.db.SKUMappings(ctx, "web")
		must(t, err)
		if len(ms) != 1 || ms[0].ListingSKU != "MUG-PACK" || len(ms[0].Components) != 1 || ms[0].Components[0] != (oms.SKUComponent{SKU: "MUG-1", Quantity: 2}) {
			t.Errorf("the mappings: %+v", ms)
		}
		if got := b.text("#map-MUG-PACK"); !strings.Contains(got, "MUG-1 × 2") {
			t.Errorf("the mapping on the page: %q", got)
		}
		b.screenshot("settings-channel")

		// Germany's VAT, included in prices.
		b.do(chromedp.Navigate(b.base+"/settings/tax-rules"), waitFor(`!!document.querySelector('#tax-form')`),
			chromedp.SendKeys(chromedp.CSS("#tax-country"), "DE"), chromedp.SendKeys(chromedp.CSS("#tax-rate"), "0.19"),
			chromedp.SendKeys(chromedp.CSS("#tax-name"), "MwSt"), chromedp.Click(chromedp.CSS("#tax-inclusive")),
			chromedp.Click(chromedp.CSS("#save-tax")), flash("tax rule is saved"))
		if r, err := s.db.TaxRule(ctx, "DE"); err != nil || r.Rate != "0.19" || !r.Inclusive || r.Name != "MwSt" {
			t.Errorf("the tax rule: %+v %v", r, err)
		}
		if got := b.text("#tax-DE"); !strings.Contains(got, "MwSt") {
			t.Errorf("the rule on the page: %q", got)
		}
		b.screenshot("settings-tax")

		// The ECB's daily file.
		path, err := filepath.Abs(ecbFile)
		must(t, err)
		b.do(chromedp.Navigate(b.base+"/settings/fx-rates"), waitFor(`!!document.querySelector('#fx-form')`),
			chromedp.SetUploadFiles(chromedp.CSS("#fx-file"), []string{path}),
			chromedp.Click(chromedp.CSS("#import-rates")), waitFor(`!!document.querySelector('#imported')`))
		if got := b.text("#rate-USD"); !strings.Contains(got, "1.1612") {
			t.Errorf("the USD rate on the page: %q", got)
		}
		if got := b.text("#imported"); !strings.Contains(got, "2025-11-14") {
			t.Errorf("what the import says: %q", got)
		}
		b.screenshot("settings-fx")

		// An API key for the web channel's integration, then revoked.
		b.do(chromedp.Navigate(b.base+"/settings/api-keys"), waitFor(`!!document.querySelector('#key-form')`),
			chromedp.SendKeys(chromedp.CSS("#key-name"), "Shop sync"), chromedp.SetValue(chromedp.CSS("#key-role"), "channel"),
			chromedp.SendKeys(chromedp.CSS("#key-channels"), "web"),
			chromedp.Click(chromedp.CSS("#create-key")), waitFor(`!!document.querySelector('#new-key code.secret')`))
		secret := b.text("#new-key code.secret")
		k, err := s.db.Authenticate(ctx, secret)
		if err != nil || k.Name != "Shop sync" || k.Role != oms.RoleChannel {
			t.Fatalf("the key shown: %+v %v", k, err)
		}
		b.screenshot("settings-keys")
		b.do(chromedp.Navigate(b.base+"/settings/api-keys"), waitFor(`!!document.querySelector('#key-`+k.ID+`')`))
		if strings.Contains(eval[string](b, `document.body.innerHTML`), secret) {
			t.Error("the key's secret is shown again")
		}
		b.do(chromedp.Click(chromedp.CSS("#revoke-"+k.ID)), flash("revoked"))
		if _, err := s.db.Authenticate(ctx, secret); oms.ErrorCode(err) != oms.EUNAUTHORIZED {
			t.Errorf("the revoked key: %v", err)
		}
		if eval[bool](b, `!!document.querySelector('#key-`+k.ID+`')`) {
			t.Error("the revoked key is still listed")
		}

		// Every input of every settings page has a label.
		for _, path := range []string{"/settings", "/settings/channels", "/settings/channels/web", "/settings/locations",
			"/settings/locations?edit=east", "/settings/tax-rules", "/settings/fx-rates", "/settings/screening", "/settings/returns",
			"/settings/api-keys", "/settings/webhooks"} {
			b.do(chromedp.Navigate(b.base+path), loaded(`!!document.querySelector('h1')`))
			if got := eval[string](b, `[...document.querySelectorAll('main input:not([type=hidden]), main select, main textarea')]`+
				`.filter(e => e.labels.length === 0).map(e => e.name).join(',')`); got != "" {
				t.Errorf("inputs without a label on %s: %s", path, got)
			}
		}

		// At phone width the index and a channel read in one column.
		b.do(chromedp.EmulateViewport(390, 844), chromedp.Navigate(b.base+"/settings"), loaded(`location.pathname === '/settings'`))
		b.screenshot("settings-phone")
		if w := eval[int](b, `document.documentElement.scrollWidth`); w > 400 {
			t.Errorf("the settings page is %dpx wide at phone width", w)
		}
		b.do(chromedp.Navigate(b.base+"/settings/channels/web"), loaded(`!!document.querySelector('#mapping-form')`))
		if w := eval[int](b, `document.documentElement.scrollWidth`); w > 400 {
			t.Errorf("the channel page is %dpx wide at phone width", w)
		}
		b.screenshot("settings-channel-phone")
	})
}

// loaded waits until the expression is true on a page that has finished
// loading.
func loaded(expr string) chromedp.Action[chromedp.Void] {
	return waitFor(expr + ` && document.readyState === 'complete'`)
}
