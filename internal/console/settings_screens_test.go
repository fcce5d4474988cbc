package console_test

import (
	"os"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/fx"
	"github.com/omshq/oms/internal/store"
)

// settingsScreens writes the Settings screens for TestScreenshots: with
// the ECB's rates imported, a SKU mapping, a tax rule, an API key and a
// webhook endpoint, so that no screen is empty.
func settingsScreens(t *testing.T, b *tab, db *store.DB, base string) {
	t.Helper()
	xml, err := os.Open(ecbFile)
	must(t, err)
	defer xml.Close()
	rates, err := fx.ParseECB(xml)
	must(t, err)
	_, err = db.ImportRates(ctx, rates, oms.System("test"))
	must(t, err)
	chs, err := db.Channels(ctx)
	must(t, err)
	items, _, err := db.ListItems(ctx, oms.ItemFilter{Limit: 2})
	must(t, err)
	if len(chs) > 0 && len(items) > 0 {
		must(t, db.PutSKUMapping(ctx, oms.SKUMapping{Channel: chs[0].Code, ListingSKU: "PACK-" + items[0].SKU,
			Components: []oms.SKUComponent{{SKU: items[0].SKU, Quantity: 2}}}, oms.System("test")))
	}
	for _, r := range []oms.TaxRule{{Country: "DE", Rate: "0.19", Inclusive: true, Name: "MwSt"},
		{Country: "CA", Rate: "0.05", Name: "GST"}, {Country: "CA", Region: "QC", Rate: "0.09975", Name: "QST"}} {
		_, err := db.PutTaxRule(ctx, &r, oms.System("test"))
		must(t, err)
	}
	_, _, err = db.CreateAPIKey(ctx, "Shop sync", oms.RoleChannel, oms.System("test"), oms.KeyScope{Channels: []string{chs[0].Code}})
	must(t, err)
	u, desc := "https://erp.example.com/oms/events", "ERP"
	e, _, err := db.CreateWebhookEndpoint(ctx, oms.WebhookEndpointInput{URL: &u, Description: &desc, EventTypes: []string{"order.*"}}, oms.System("test"))
	must(t, err)
	_, err = db.ReplayWebhookEvents(ctx, e.ID, time.Now().Add(-24*time.Hour), time.Now().Add(time.Hour))
	must(t, err)
	shots := []struct{ path, name string }{
		{"/settings", "settings"}, {"/settings/channels", "settings-channels"}, {"/settings/locations", "settings-locations"},
		{"/settings/tax-rules", "settings-tax"}, {"/settings/fx-rates?date=2025-11-14", "settings-fx"},
		{"/settings/screening", "settings-screening"}, {"/settings/returns", "settings-returns"},
		{"/settings/api-keys", "settings-keys"}, {"/settings/webhooks", "settings-webhooks"}, {"/settings/webhooks/" + e.ID, "settings-webhook"},
	}
	if len(chs) > 0 {
		shots = append(shots, struct{ path, name string }{"/settings/channels/" + chs[0].Code, "settings-channel"})
	}
	for _, s := range shots {
		b.do(chromedp.Navigate(base+s.path), loaded(`!!document.querySelector('h1')`))
		b.screenshot(s.name)
	}
}

// settingsPhoneScreens writes the Settings screens at phone width.
func settingsPhoneScreens(t *testing.T, b *tab, db *store.DB, base string) {
	t.Helper()
	chs, err := db.Channels(ctx)
	must(t, err)
	for _, s := range []struct{ path, name string }{{"/settings", "settings-phone"}, {"/settings/channels/" + chs[0].Code, "settings-channel-phone"},
		{"/settings/locations", "settings-locations-phone"}, {"/settings/api-keys", "settings-keys-phone"}} {
		b.do(chromedp.Navigate(base+s.path), loaded(`!!document.querySelector('h1')`))
		b.screenshot(s.name)
	}
}
