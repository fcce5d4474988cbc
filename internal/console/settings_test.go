package console_test

import (
	"bytes"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/console"
	"github.com/omshq/oms/internal/store/storetest"
)

// ecbFile is the ECB's daily reference-rate file (14 Nov 2025).
const ecbFile = "../../testdata/channels/ecb_eurofxref.xml"

// settingsShop is the shop with an admin (Rita Root) and a manager (Max
// Boss), served by a console with exchange rates.
func settingsShop(t *testing.T, e storetest.Engine) *shop {
	t.Helper()
	s := newShop(t, e)
	for _, nu := range []oms.NewUser{
		{Email: "root@example.com", Name: "Rita Root", Role: oms.RoleAdmin, Password: password},
		{Email: "max@example.com", Name: "Max Boss", Role: oms.RoleManager, Password: password},
	} {
		_, err := s.db.CreateUser(ctx, nu, oms.System("test"))
		must(t, err)
	}
	srv := httptest.NewServer(console.New(s.db.Services(), console.Options{FX: s.db}))
	t.Cleanup(srv.Close)
	s.url = srv.URL
	return s
}

// upload posts a multipart form with the file under "file".
func (c *client) upload(path, csrf, name string, content []byte) (int, string) {
	c.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	must(c.t, mw.WriteField("csrf", csrf))
	fw, err := mw.CreateFormFile("file", name)
	must(c.t, err)
	_, _ = fw.Write(content)
	must(c.t, mw.Close())
	req, err := http.NewRequest(http.MethodPost, c.base+path, &buf)
	must(c.t, err)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	resp, err := c.http.Do(req)
	must(c.t, err)
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// TestSettingsPermissions: every signed-in person sees the Settings index
// with the sections their role reads; the forms are only on the pages of
// those whose role may change them (the API's permission for the same
// operation), and a direct post from anyone else is refused and changes
// nothing.
func TestSettingsPermissions(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		s := settingsShop(t, e)
		agent := newClient(t, s.url)
		tok := agent.signIn("ann@example.com")
		st, body := agent.get("/settings")
		if st != http.StatusOK || !strings.Contains(body, `href="/settings/channels"`) || !strings.Contains(body, `href="/settings/tax-rules"`) ||
			strings.Contains(body, `href="/settings/api-keys"`) || strings.Contains(body, `action="/settings/store"`) {
			t.Errorf("an agent's Settings: %d\n%s", st, body)
		}
		for _, path := range []string{"/settings/channels", "/settings/channels/web", "/settings/locations", "/settings/tax-rules",
			"/settings/fx-rates", "/settings/screening", "/settings/returns"} {
			st, body := agent.get(path)
			if st != http.StatusOK || strings.Contains(body, `method="post" action="/settings`) {
				t.Errorf("an agent on %s: %d, want 200 without a settings form\n%s", path, st, body)
			}
		}
		for _, path := range []string{"/settings/api-keys", "/settings/webhooks"} {
			if st, _ := agent.get(path); st != http.StatusForbidden {
				t.Errorf("an agent on %s: %d, want 403", path, st)
			}
		}
		for _, p := range []struct {
			path string
			form url.Values
		}{
			{"/settings/store", url.Values{"name": {"Agent's shop"}}},
			{"/settings/channels", url.Values{"code": {"pos"}, "name": {"POS"}, "kind": {"pos"}, "currency": {"USD"}, "backorder_policy": {"reject"}}},
			{"/settings/channels/web", url.Values{"name": {"Renamed"}, "kind": {"web"}, "currency": {"USD"}, "backorder_policy": {"reject"}, "share_percent": {"10"}}},
			{"/settings/channels/web/sku-mappings", url.Values{"listing_sku": {"L-1"}, "components": {"MUG-1"}}},
			{"/settings/locations", url.Values{"code": {"north"}, "name": {"North"}, "kind": {"warehouse"}, "priority": {"1"}}},
			{"/settings/tax-rules", url.Values{"country": {"DE"}, "rate": {"0.19"}}},
			{"/settings/screening", url.Values{"window_minutes": {"60"}, "max_orders_per_email": {"3"}}},
			{"/settings/returns", url.Values{"reasons": {"other"}, "shipping_refund": {"none"}, "kind": {"none"}, "link_days": {"5"}}},
			{"/settings/api-keys", url.Values{"name": {"sneaky"}, "role": {"admin"}}},
			{"/settings/webhooks", url.Values{"url": {"https://hooks.example.com/x"}, "event_types": {"*"}}},
			{"/settings/api-keys/ak_nope/rotate", url.Values{}},
			{"/settings/webhooks/we_nope/rotate", url.Values{}},
		} {
			p.form.Set("csrf", tok)
			if st, _ := agent.post(p.path, p.form); st != http.StatusForbidden {
				t.Errorf("an agent's post to %s: %d, want 403", p.path, st)
			}
		}
		if st, _ := agent.upload("/settings/fx-rates", tok, "eurofxref.xml", []byte("<x/>")); st != http.StatusForbidden {
			t.Errorf("an agent's import of rates: %d, want 403", st)
		}
		ch, err := s.db.Channel(ctx, "web")
		must(t, err)
		if ch.Name != "Web store" || ch.SharePercent != 100 {
			t.Errorf("the channel after an agent's posts: %+v", ch)
		}
		if _, err := s.db.Channel(ctx, "pos"); oms.ErrorCode(err) != oms.ENOTFOUND {
			t.Errorf("a channel an agent posted: %v", err)
		}
		if rs, err := s.db.TaxRules(ctx); err != nil || len(rs) != 0 {
			t.Errorf("tax rules after an agent's post: %v %v", rs, err)
		}
		if ks, _, err := s.db.ListAPIKeys(ctx, "", 10); err != nil || len(ks) != 0 {
			t.Errorf("API keys after an agent's post: %v %v", ks, err)
		}
		if st, err := s.db.StoreSettings(ctx); err != nil || st.Name != "" {
			t.Errorf("the store's name after an agent's post: %+v %v", st, err)
		}

		// A manager changes the catalog's settings but not API keys.
		mgr := newClient(t, s.url)
		mtok := mgr.signIn("max@example.com")
		if _, body := mgr.get("/settings/channels"); !strings.Contains(body, `action="/settings/channels"`) {
			t.Errorf("a manager's channels page has no form to add one:\n%s", body)
		}
		if st, _ := mgr.post("/settings/api-keys", url.Values{"csrf": {mtok}, "name": {"k"}, "role": {"channel"}}); st != http.StatusForbidden {
			t.Errorf("a manager's post of an API key: %d, want 403", st)
		}
		// Without the CSRF token even an admin's post is refused.
		admin := newClient(t, s.url)
		admin.signIn("root@example.com")
		if st, _ := admin.post("/settings/tax-rules", url.Values{"country": {"DE"}, "rate": {"0.19"}}); st != http.StatusForbidden {
			t.Errorf("a post without the CSRF token: %d, want 403", st)
		}
	})
}

var secretCode = regexp.MustCompile(`<code class="secret">([^<]+)</code>`)

// TestSettingsChannels: a manager adds a channel (a taken code is refused
// next to its input), changes a channel's share and buffer (a share over
// 100 refused next to its input), has a webhook secret made (shown once,
// then only "set"), and maps a listing SKU to a pack (an unknown SKU
// refused next to the input).
func TestSettingsChannels(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		s := settingsShop(t, e)
		c := newClient(t, s.url)
		tok := c.signIn("max@example.com")
		st, body := c.post("/settings/channels", url.Values{"csrf": {tok}, "code": {"web"}, "name": {"Again"}, "kind": {"web"},
			"currency": {"USD"}, "backorder_policy": {"reject"}})
		if st != http.StatusUnprocessableEntity || !strings.Contains(body, `id="channel-code-error">is taken by another channel`) {
			t.Errorf("a taken code: %d\n%s", st, body)
		}
		st, body = c.post("/settings/channels", url.Values{"csrf": {tok}, "code": {"pos"}, "name": {"Till"}, "kind": {"pos"},
			"currency": {"usd"}, "backorder_policy": {"reject"}})
		if st != http.StatusSeeOther {
			t.Fatalf("adding a channel: %d\n%s", st, body)
		}
		if ch, err := s.db.Channel(ctx, "pos"); err != nil || ch.Name != "Till" || ch.Currency != "USD" || ch.SharePercent != 100 || ch.LowStock != oms.DefaultLowStock {
			t.Errorf("the new channel: %+v %v", ch, err)
		}
		form := url.Values{"csrf": {tok}, "name": {"Web store"}, "kind": {"web"}, "currency": {"USD"}, "backorder_policy": {"backorder"},
			"no_split_below": {"50.00"}, "low_stock": {"3"}, "share_percent": {"150"}, "buffer": {"2"}, "webhook_secret": {""}}
		st, body = c.post("/settings/channels/web", form)
		if st != http.StatusUnprocessableEntity || !strings.Contains(body, `id="channel-share_percent-error"`) || !strings.Contains(body, `value="150"`) {
			t.Errorf("a share of 150%%: %d\n%s", st, body)
		}
		form.Set("share_percent", "60")
		form.Set("new_secret", "on")
		st, body = c.post("/settings/channels/web", form)
		m := secretCode.FindStringSubmatch(body)
		if st != http.StatusOK || m == nil {
			t.Fatalf("saving with a new secret: %d\n%s", st, body)
		}
		ch, err := s.db.Channel(ctx, "web")
		must(t, err)
		if ch.SharePercent != 60 || ch.Buffer != 2 || ch.NoSplitBelow != 5000 || ch.LowStock != 3 || ch.BackorderPolicy != oms.BackorderAccept ||
			ch.WebhookSecret != m[1] {
			t.Errorf("the channel after saving: %+v (secret shown %q)", ch, m[1])
		}
		_, body = c.get("/settings/channels/web")
		if strings.Contains(body, m[1]) || !strings.Contains(body, "A secret is set") {
			t.Errorf("the channel's page shows its secret again, or not that one is set:\n%s", body)
		}
		// Saving without a secret keeps it.
		form.Del("new_secret")
		if st, _ := c.post("/settings/channels/web", form); st != http.StatusSeeOther {
			t.Errorf("saving again: %d", st)
		}
		if ch, _ := s.db.Channel(ctx, "web"); ch.WebhookSecret != m[1] {
			t.Errorf("the secret after saving without one: %q", ch.WebhookSecret)
		}

		st, body = c.post("/settings/channels/web/sku-mappings", url.Values{"csrf": {tok}, "listing_sku": {"MUG-PACK"}, "components": {"NOPE-1 2"}})
		if st != http.StatusUnprocessableEntity || !strings.Contains(body, `id="mapping-components-error"`) {
			t.Errorf("a mapping to an unknown SKU: %d\n%s", st, body)
		}
		if st, body := c.post("/settings/channels/web/sku-mappings", url.Values{"csrf": {tok}, "listing_sku": {"MUG-PACK"},
			"components": {"MUG-1 x2\nTEE-2"}}); st != http.StatusSeeOther {
			t.Fatalf("mapping a listing SKU: %d\n%s", st, body)
		}
		ms, err := s.db.SKUMappings(ctx, "web")
		must(t, err)
		if len(ms) != 1 || ms[0].ListingSKU != "MUG-PACK" || len(ms[0].Components) != 2 || ms[0].Components[0] != (oms.SKUComponent{SKU: "MUG-1", Quantity: 2}) ||
			ms[0].Components[1] != (oms.SKUComponent{SKU: "TEE-2", Quantity: 1}) {
			t.Errorf("the mappings: %+v", ms)
		}
		if _, body := c.get("/settings/channels/web"); !strings.Contains(body, "MUG-1 × 2") {
			t.Errorf("the mapping is not on the page:\n%s", body)
		}
		if st, _ := c.post("/settings/channels/web/sku-mappings/delete", url.Values{"csrf": {tok}, "listing_sku": {"MUG-PACK"}}); st != http.StatusSeeOther {
			t.Errorf("removing the mapping: %d", st)
		}
		if ms, _ := s.db.SKUMappings(ctx, "web"); len(ms) != 0 {
			t.Errorf("mappings after removing: %+v", ms)
		}
	})
}

// TestSettingsLocations: a manager adds a location (a bad country refused
// next to its input) and changes it.
func TestSettingsLocations(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		s := settingsShop(t, e)
		c := newClient(t, s.url)
		tok := c.signIn("max@example.com")
		form := url.Values{"csrf": {tok}, "code": {"north"}, "name": {"North DC"}, "kind": {"warehouse"}, "can_ship": {"on"}, "active": {"on"},
			"priority": {"3"}, "channels": {"web"}, "line1": {"9 Pier"}, "city": {"Boston"}, "country": {"XX"}}
		st, body := c.post("/settings/locations", form)
		if st != http.StatusUnprocessableEntity || !strings.Contains(body, `id="location-country-error"`) || !strings.Contains(body, `value="North DC"`) {
			t.Errorf("a bad country: %d\n%s", st, body)
		}
		form.Set("country", "us")
		if st, body := c.post("/settings/locations", form); st != http.StatusSeeOther {
			t.Fatalf("adding a location: %d\n%s", st, body)
		}
		l, err := s.db.Location(ctx, "north")
		must(t, err)
		if l.Name != "North DC" || !l.CanShip || l.CanPickup || !l.Active || l.Priority != 3 || len(l.Channels) != 1 || l.Address.Country != "US" {
			t.Errorf("the new location: %+v", l)
		}
		if st, _ := c.post("/settings/locations", form); st != http.StatusUnprocessableEntity {
			t.Errorf("adding a taken code: %d, want 422", st)
		}
		if _, body := c.get("/settings/locations?edit=north"); !strings.Contains(body, `name="editing"`) || !strings.Contains(body, `value="Boston"`) {
			t.Errorf("the edit form:\n%s", body)
		}
		form.Set("editing", "1")
		form.Set("priority", "0")
		form.Del("active")
		form.Set("channels", "")
		if st, body := c.post("/settings/locations", form); st != http.StatusSeeOther {
			t.Fatalf("changing the location: %d\n%s", st, body)
		}
		if l, _ = s.db.Location(ctx, "north"); l.Active || l.Priority != 0 || len(l.Channels) != 0 {
			t.Errorf("the changed location: %+v", l)
		}
	})
}

// TestSettingsTaxAndRates: a manager adds a tax rule (a rate of "19"
// refused next to its input), deletes it; imports the ECB's file (a file
// that is not one refused next to the input) and sees its rates.
func TestSettingsTaxAndRates(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		s := settingsShop(t, e)
		c := newClient(t, s.url)
		tok := c.signIn("max@example.com")
		st, body := c.post("/settings/tax-rules", url.Values{"csrf": {tok}, "country": {"de"}, "rate": {"19"}, "name": {"MwSt"}})
		if st != http.StatusUnprocessableEntity || !strings.Contains(body, `id="tax-rate-error"`) {
			t.Errorf("a rate of 19: %d\n%s", st, body)
		}
		if st, body := c.post("/settings/tax-rules", url.Values{"csrf": {tok}, "country": {"de"}, "rate": {"0.19"}, "name": {"MwSt"},
			"inclusive": {"on"}}); st != http.StatusSeeOther {
			t.Fatalf("adding a tax rule: %d\n%s", st, body)
		}
		r, err := s.db.TaxRule(ctx, "DE")
		must(t, err)
		if r.Rate != "0.19" || !r.Inclusive || r.Name != "MwSt" {
			t.Errorf("the rule: %+v", r)
		}
		if _, body := c.get("/settings/tax-rules"); !strings.Contains(body, `id="tax-DE"`) {
			t.Errorf("the rule is not listed:\n%s", body)
		}
		if st, _ := c.post("/settings/tax-rules/DE/delete", url.Values{"csrf": {tok}}); st != http.StatusSeeOther {
			t.Errorf("deleting the rule: %d", st)
		}
		if _, err := s.db.TaxRule(ctx, "DE"); oms.ErrorCode(err) != oms.ENOTFOUND {
			t.Errorf("the rule after deleting: %v", err)
		}

		xml, err := os.ReadFile(ecbFile)
		must(t, err)
		st, body = c.upload("/settings/fx-rates", tok, "rates.xml", bytes.Replace(xml, []byte(`rate='1.1612'`), []byte(`rate='-1'`), 1))
		if st != http.StatusUnprocessableEntity || !strings.Contains(body, `id="fx-file-error"`) || !strings.Contains(body, "must be above zero") {
			t.Errorf("a bad rate file: %d\n%s", st, body)
		}
		st, body = c.upload("/settings/fx-rates", tok, "eurofxref-daily.xml", xml)
		if st != http.StatusOK || !strings.Contains(body, `id="imported"`) || !regexp.MustCompile(`id="rate-USD"><th scope="row">USD</th><td class="num">1.1612<`).MatchString(body) {
			t.Fatalf("importing the ECB file: %d\n%s", st, body)
		}
		set, err := s.db.RatesOn(ctx, time.Date(2025, 11, 14, 0, 0, 0, 0, time.UTC))
		must(t, err)
		if set.Rates["GBP"].String() != "0.88195" {
			t.Errorf("GBP after the import: %v", set.Rates["GBP"])
		}
		if st, body := c.get("/settings/fx-rates?date=2025-11-16"); st != http.StatusOK || !strings.Contains(body, "rates of 2025-11-14") {
			t.Errorf("the rates on a Sunday: %d\n%s", st, body)
		}
		if st, body := c.get("/settings/fx-rates?date=soon"); st != http.StatusUnprocessableEntity || !strings.Contains(body, `id="date-date-error"`) {
			t.Errorf("a bad date: %d\n%s", st, body)
		}
	})
}

// TestSettingsScreeningAndReturns: the screening rules and the return
// settings are saved as the forms say; bad values are refused next to
// their inputs.
func TestSettingsScreeningAndReturns(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		s := settingsShop(t, e)
		c := newClient(t, s.url)
		tok := c.signIn("max@example.com")
		st, body := c.post("/settings/screening", url.Values{"csrf": {tok}, "max_orders_per_email": {"3"}, "window_minutes": {""}})
		if st != http.StatusUnprocessableEntity || !strings.Contains(body, `id="screening-window_minutes-error"`) {
			t.Errorf("a count without a window: %d\n%s", st, body)
		}
		st, body = c.post("/settings/screening", url.Values{"csrf": {tok}, "max_total": {"USD ten"}})
		if st != http.StatusUnprocessableEntity || !strings.Contains(body, `id="screening-max_total-error"`) {
			t.Errorf("a bad amount: %d\n%s", st, body)
		}
		if st, body := c.post("/settings/screening", url.Values{"csrf": {tok}, "max_total": {"USD 5000.00\neur 250"}, "billing_must_match": {"on"},
			"max_orders_per_email": {"3"}, "window_minutes": {"60"}}); st != http.StatusSeeOther {
			t.Fatalf("saving the screening rules: %d\n%s", st, body)
		}
		sc, err := s.db.Screening(ctx)
		must(t, err)
		if sc.MaxTotal["USD"] != 500000 || sc.MaxTotal["EUR"] != 25000 || !sc.BillingMustMatch || sc.CheckAddress || sc.MaxOrdersPerEmail != 3 || sc.WindowMinutes != 60 {
			t.Errorf("the screening rules: %+v", sc)
		}
		if _, body := c.get("/settings/screening"); !strings.Contains(body, "USD 5000.00") {
			t.Errorf("the screening page does not show the limit:\n%s", body)
		}

		form := url.Values{"csrf": {tok}, "reasons": {"damaged, too_small"}, "shipping_refund": {"proportional"}, "kind": {"percent"},
			"amount": {"1000"}, "fee_exempt_reasons": {"damaged"}, "agent_refund_limit": {"USD 50.00"}, "link_days": {"0"}}
		st, body = c.post("/settings/returns", form)
		if st != http.StatusUnprocessableEntity || !strings.Contains(body, `id="returns-link_days-error"`) {
			t.Errorf("link days of 0: %d\n%s", st, body)
		}
		form.Set("link_days", "14")
		if st, body := c.post("/settings/returns", form); st != http.StatusSeeOther {
			t.Fatalf("saving the return settings: %d\n%s", st, body)
		}
		rs, err := s.db.ReturnSettings(ctx)
		must(t, err)
		if len(rs.Reasons) != 2 || rs.Reasons[1] != "too_small" || rs.ShippingRefund != "proportional" || rs.RestockingFee != (oms.RestockingFee{Kind: "percent", Amount: 1000}) ||
			rs.AgentRefundLimit["USD"] != 5000 || len(rs.AgentRefundLimit) != 1 || rs.LinkDays != 14 {
			t.Errorf("the return settings: %+v", rs)
		}
	})
}

// TestSettingsKeysAndWebhooks: an admin creates an API key (its secret
// shown once, and it authenticates), revokes it (it no longer does);
// creates a webhook endpoint (its secret shown once; a bad URL refused
// next to its input), disables and enables it, and retries a delivery
// from its log.
func TestSettingsKeysAndWebhooks(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		s := settingsShop(t, e)
		c := newClient(t, s.url)
		tok := c.signIn("root@example.com")
		st, body := c.post("/settings/api-keys", url.Values{"csrf": {tok}, "name": {"Sync"}, "role": {"overlord"}})
		if st != http.StatusUnprocessableEntity || !strings.Contains(body, `id="key-role-error"`) {
			t.Errorf("a bad role: %d\n%s", st, body)
		}
		st, body = c.post("/settings/api-keys", url.Values{"csrf": {tok}, "name": {"Sync"}, "role": {"channel"}, "channels": {"web"}})
		m := secretCode.FindStringSubmatch(body)
		if st != http.StatusCreated || m == nil {
			t.Fatalf("creating a key: %d\n%s", st, body)
		}
		k, err := s.db.Authenticate(ctx, m[1])
		if err != nil || k.Name != "Sync" || k.Role != oms.RoleChannel || len(k.Channels) != 1 {
			t.Fatalf("the new key: %+v %v", k, err)
		}
		if _, body := c.get("/settings/api-keys"); strings.Contains(body, m[1]) || !strings.Contains(body, `id="key-`+k.ID+`"`) {
			t.Errorf("the keys page after creating: shows the secret, or not the key:\n%s", body)
		}
		st, body = c.post("/settings/api-keys/"+k.ID+"/rotate", url.Values{"csrf": {tok}})
		rotated := secretCode.FindStringSubmatch(body)
		if st != http.StatusOK || rotated == nil || rotated[1] == m[1] {
			t.Fatalf("a new secret for the key: %d\n%s", st, body)
		}
		for _, secret := range []string{rotated[1], m[1]} { // the old one until the overlap ends
			if got, err := s.db.Authenticate(ctx, secret); err != nil || got.ID != k.ID {
				t.Errorf("the key's secret after rotating: %+v %v", got, err)
			}
		}
		m = rotated
		if st, _ := c.post("/settings/api-keys/"+k.ID+"/revoke", url.Values{"csrf": {tok}}); st != http.StatusSeeOther {
			t.Errorf("revoking: %d", st)
		}
		if _, err := s.db.Authenticate(ctx, m[1]); oms.ErrorCode(err) != oms.EUNAUTHORIZED {
			t.Errorf("the revoked key authenticates: %v", err)
		}

		st, body = c.post("/settings/webhooks", url.Values{"csrf": {tok}, "url": {"ftp://hooks.example.com/x"}, "event_types": {"*"}})
		if st != http.StatusUnprocessableEntity || !strings.Contains(body, `id="endpoint-url-error"`) {
			t.Errorf("a bad URL: %d\n%s", st, body)
		}
		st, body = c.post("/settings/webhooks", url.Values{"csrf": {tok}, "url": {"https://hooks.example.com/oms"}, "event_types": {"order.*, fulfillment.shipped"},
			"description": {"ERP"}})
		m = secretCode.FindStringSubmatch(body)
		if st != http.StatusCreated || m == nil || !strings.HasPrefix(m[1], "whsec_") {
			t.Fatalf("creating an endpoint: %d\n%s", st, body)
		}
		es, _, err := s.db.WebhookEndpoints(ctx, "", 10)
		must(t, err)
		if len(es) != 1 || es[0].URL != "https://hooks.example.com/oms" || len(es[0].EventTypes) != 2 || !es[0].Enabled {
			t.Fatalf("the endpoints: %+v", es)
		}
		id := es[0].ID
		st, body = c.post("/settings/webhooks/"+id+"/rotate", url.Values{"csrf": {tok}})
		if r := secretCode.FindStringSubmatch(body); st != http.StatusOK || r == nil || r[1] == m[1] || !strings.HasPrefix(r[1], "whsec_") {
			t.Errorf("a new secret for the endpoint: %d\n%s", st, body)
		}
		if e, _ := s.db.WebhookEndpoint(ctx, id); e.PreviousSecretExpiresAt == nil {
			t.Errorf("the endpoint after rotating keeps no previous secret: %+v", e)
		}
		if _, body := c.get("/settings/webhooks/" + id); strings.Contains(body, `class="secret"`) {
			t.Errorf("the endpoint's page shows a secret again:\n%s", body)
		}
		if st, _ := c.post("/settings/webhooks/"+id+"/disable", url.Values{"csrf": {tok}}); st != http.StatusSeeOther {
			t.Errorf("disabling: %d", st)
		}
		if e, _ := s.db.WebhookEndpoint(ctx, id); e.Enabled {
			t.Errorf("the endpoint after disabling: %+v", e)
		}
		if st, _ := c.post("/settings/webhooks/"+id+"/enable", url.Values{"csrf": {tok}}); st != http.StatusSeeOther {
			t.Errorf("enabling: %d", st)
		}
		if e, _ := s.db.WebhookEndpoint(ctx, id); !e.Enabled {
			t.Errorf("the endpoint after enabling: %+v", e)
		}
		n, err := s.db.ReplayWebhookEvents(ctx, id, time.Now().Add(-time.Hour), time.Now().Add(time.Hour))
		must(t, err)
		ds, _, err := s.db.WebhookDeliveries(ctx, id, "", 0, 10)
		must(t, err)
		if n == 0 || len(ds) == 0 {
			t.Fatalf("no deliveries to retry: %d replayed, %d in the log", n, len(ds))
		}
		st, body = c.get("/settings/webhooks/" + id)
		if st != http.StatusOK || !strings.Contains(body, `id="delivery-`+ds[0].ID+`"`) {
			t.Errorf("the delivery log: %d\n%s", st, body)
		}
		if st, body := c.post("/settings/webhooks/"+id+"/deliveries/"+ds[0].ID+"/retry", url.Values{"csrf": {tok}}); st != http.StatusSeeOther {
			t.Errorf("retrying: %d\n%s", st, body)
		}
		if st, _ := c.post("/settings/webhooks/"+id+"/deliveries/wd_nope/retry", url.Values{"csrf": {tok}}); st != http.StatusNotFound {
			t.Errorf("retrying a delivery that does not exist: %d, want 404", st)
		}
		if st, _ := c.post("/settings/webhooks/"+id+"/delete", url.Values{"csrf": {tok}}); st != http.StatusSeeOther {
			t.Errorf("deleting: %d", st)
		}
		if _, err := s.db.WebhookEndpoint(ctx, id); oms.ErrorCode(err) != oms.ENOTFOUND {
			t.Errorf("the endpoint after deleting: %v", err)
		}
	})
}

// TestSettingsStoreName: the store's name set on the Settings page is the
// one customers see on the return page; without it, the channel's.
func TestSettingsStoreName(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		s := settingsShop(t, e)
		s.shipAll(t, s.ship)
		link, err := s.db.CreateReturnLink(ctx, s.ship.ID, 0, oms.System("test"))
		must(t, err)
		customer := newClient(t, s.url)
		if _, body := customer.get("/return/" + link.Token); !strings.Contains(body, `id="store-name">Web store<`) {
			t.Errorf("the return page without a store name:\n%s", body)
		}
		c := newClient(t, s.url)
		tok := c.signIn("max@example.com")
		st, body := c.post("/settings/store", url.Values{"csrf": {tok}, "name": {"Acme\x01"}})
		if st != http.StatusUnprocessableEntity || !strings.Contains(body, `id="store-name-error"`) {
			t.Errorf("a name with a control character: %d\n%s", st, body)
		}
		if st, _ := c.post("/settings/store", url.Values{"csrf": {tok}, "name": {" Acme Goods "}}); st != http.StatusSeeOther {
			t.Errorf("saving the name: %d", st)
		}
		if _, body := customer.get("/return/" + link.Token); !strings.Contains(body, `id="store-name">Acme Goods<`) {
			t.Errorf("the return page with a store name:\n%s", body)
		}
	})
}
