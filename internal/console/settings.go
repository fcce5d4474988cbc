package console

import (
	"html/template"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/console/act"
	"github.com/omshq/oms/money"
)

// The Settings screens: the store's name, channels (with their webhook
// secrets, SKU mappings and availability share and buffer), locations, tax
// rules, exchange rates, screening rules, return settings, API keys and
// webhook endpoints. Each form calls the service method the API's handler
// for the same operation calls (package act), and needs the
// permission the API's route table gives that operation; a user without it
// sees the settings but not the form, and a post of it is refused.

// FXRates imports and reads exchange rates (see act.FXRates).
type FXRates = act.FXRates

// settingsRoutes adds the Settings screens to the console's routes.
func (c *Console) settingsRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /settings", c.user(c.settingsPage))
	mux.HandleFunc("POST /settings/store", c.user(c.putStore))
	mux.HandleFunc("GET /settings/channels", c.user(c.channelsPage))
	mux.HandleFunc("POST /settings/channels", c.user(c.addChannel))
	mux.HandleFunc("GET /settings/channels/{code}", c.user(c.channelPage))
	mux.HandleFunc("POST /settings/channels/{code}", c.user(c.editChannel))
	mux.HandleFunc("POST /settings/channels/{code}/sku-mappings", c.user(c.addMapping))
	mux.HandleFunc("POST /settings/channels/{code}/sku-mappings/delete", c.user(c.deleteMapping))
	mux.HandleFunc("GET /settings/locations", c.user(c.locationsPage))
	mux.HandleFunc("POST /settings/locations", c.user(c.putLocationForm))
	mux.HandleFunc("GET /settings/tax-rules", c.user(c.taxRulesPage))
	mux.HandleFunc("POST /settings/tax-rules", c.user(c.putTaxRuleForm))
	mux.HandleFunc("POST /settings/tax-rules/{key}/delete", c.user(c.deleteTaxRuleForm))
	mux.HandleFunc("GET /settings/fx-rates", c.user(c.fxPage))
	mux.Handle("POST /settings/fx-rates", limitBody(maxRatesFile, c.user(c.importRatesForm)))
	mux.HandleFunc("GET /settings/screening", c.user(c.screeningPage))
	mux.HandleFunc("POST /settings/screening", c.user(c.putScreeningForm))
	mux.HandleFunc("GET /settings/returns", c.user(c.returnSettingsPage))
	mux.HandleFunc("POST /settings/returns", c.user(c.putReturnSettingsForm))
	mux.HandleFunc("GET /settings/api-keys", c.user(c.apiKeysPage))
	mux.HandleFunc("POST /settings/api-keys", c.user(c.addAPIKey))
	mux.HandleFunc("POST /settings/api-keys/{id}/revoke", c.user(c.revokeKey))
	mux.HandleFunc("POST /settings/api-keys/{id}/rotate", c.user(c.rotateKey))
	mux.HandleFunc("GET /settings/webhooks", c.user(c.webhooksPage))
	mux.HandleFunc("POST /settings/webhooks", c.user(c.addEndpoint))
	mux.HandleFunc("GET /settings/webhooks/{id}", c.user(c.endpointPage))
	mux.HandleFunc("POST /settings/webhooks/{id}/{move}", c.user(c.endpointMove))
	mux.HandleFunc("POST /settings/webhooks/{id}/deliveries/{delivery}/retry", c.user(c.retryDelivery))
}

// settingsData is what the Settings screens show; each screen fills its
// part.
type settingsData struct {
	On       bool              // a Settings screen: the nav marks Settings
	Sections []settingsSection // the index
	Store    oms.StoreSettings

	Channels      []oms.Channel
	Channel       *oms.Channel
	Mappings      []oms.SKUMapping
	ChannelKinds  []string
	Secret        string // a secret made just now, shown this once
	Locations     []oms.Location
	Location      *oms.Location // the one being changed
	LocationForm  oms.Location  // what the location form shows
	LocationKinds []string

	TaxRules []oms.TaxRule

	RatesDay  string // the day asked for (YYYY-MM-DD)
	RatesDate string // the ECB day of the rates in force then
	Rates     []rateRow
	NoRates   string // why there are none
	Imported  *oms.FXImport

	Screening oms.Screening
	Returns   oms.ReturnSettings
	FeeKinds  []string

	Keys     []oms.APIKey
	KeyRoles []oms.Role
	NewKey   *oms.APIKey

	Endpoints   []oms.WebhookEndpoint
	Endpoint    *oms.WebhookEndpoint
	NewEndpoint *oms.WebhookEndpoint
	Deliveries  []oms.WebhookDelivery
	Older       int64  // the delivery log's next page, 0: none
	Status      string // the delivery log's filter
	Statuses    []string
}

// settingsSection is one link of the Settings index.
type settingsSection struct {
	Href, Title, About string
}

// rateRow is one currency's euro rate.
type rateRow struct {
	Currency, Rate string
}

// settingsPages are the Settings screens' templates: each with the layout
// and the fields' partials.
var settingsPages = []string{"settings", "settings_channels", "settings_channel", "settings_locations",
	"settings_tax", "settings_fx", "settings_screening", "settings_returns", "settings_keys",
	"settings_webhooks", "settings_webhook"}

// parseSettingsPages adds the Settings screens to ps.
func parseSettingsPages(ps pages) {
	fm := template.FuncMap{"field": newField, "joined": func(v []string) string { return strings.Join(v, ", ") },
		"minor": formatMinor, "perLine": perLine, "val": fieldValue, "checked": checked,
		"coord": func(f *float64) string {
			if f == nil {
				return ""
			}
			return strconv.FormatFloat(*f, 'f', -1, 64)
		}}
	for _, name := range settingsPages {
		ps[name] = template.Must(template.New("layout.html").Funcs(funcs).Funcs(fm).ParseFS(templateFS,
			"templates/layout.html", "templates/settings_parts.html", "templates/"+name+".html"))
	}
}

// field is one labelled input of a settings form: its value is what was
// posted when the form was refused, else the setting's current value; its
// problem is shown under it and tied to it for screen readers.
type field struct {
	ID, Name, Label, Hint, Type, Value, Err string
	Required                                bool
	Attrs                                   template.HTMLAttr
}

// newField makes the field named name of form (the problem and posted
// value from p), with the value def otherwise; opts are "required",
// "type=…", "hint=…" and other attributes as name=value.
func newField(p page, form, name, label string, def any, opts ...string) field {
	f := field{ID: form + "-" + name, Name: name, Label: label, Type: "text", Err: p.Err(form, name)}
	f.Value = toString(def)
	if p.Form == form && p.Values != nil {
		f.Value = p.Values.Get(name)
	}
	var attrs []string
	for _, o := range opts {
		k, v, _ := strings.Cut(o, "=")
		switch k {
		case "required":
			f.Required = true
		case "type":
			f.Type = v
		case "hint":
			f.Hint = v
		case "min", "max", "step", "inputmode", "autocomplete", "placeholder", "pattern", "maxlength":
			attrs = append(attrs, k+`="`+template.HTMLEscapeString(v)+`"`)
		}
	}
	f.Attrs = template.HTMLAttr(strings.Join(attrs, " ")) // names from this file, values escaped
	return f
}

// fieldValue is what was posted in the input when the form was refused,
// else def.
func fieldValue(p page, form, name string, def any) string {
	if p.Form == form && p.Values != nil {
		return p.Values.Get(name)
	}
	return toString(def)
}

// checked is whether the checkbox was posted ticked when the form was
// refused, else def.
func checked(p page, form, name string, def bool) bool {
	if p.Form == form && p.Values != nil {
		return p.Values.Get(name) == "on"
	}
	return def
}

// formatMinor writes minor units as a decimal of the currency (no grouping,
// so that it reads back).
func formatMinor(amount int64, currency string) string { return money.Format(amount, currency) }

// perLine writes currency amounts one per line: "USD 100.00".
func perLine(m map[string]int64) string {
	var lines []string
	for _, cur := range slices.Sorted(maps.Keys(m)) {
		lines = append(lines, cur+" "+formatMinor(m[cur], cur))
	}
	return strings.Join(lines, "\n")
}

// maxRatesFile bounds an uploaded ECB file (the full history is ~6 MB).
const maxRatesFile = 32 << 20

// limitBody refuses request bodies over n bytes.
func limitBody(n int64, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, n)
		h.ServeHTTP(w, r)
	})
}

// The Settings index, and the store's name.

func (c *Console) settingsPage(w http.ResponseWriter, r *http.Request, s oms.Session) {
	c.showSettings(w, r, s, http.StatusOK, page{Flash: settingsFlashes[r.URL.Query().Get("done")]})
}

func (c *Console) showSettings(w http.ResponseWriter, r *http.Request, s oms.Session, status int, p page) {
	u := s.User.Role
	var d settingsData
	add := func(ok bool, href, title, about string) {
		if ok {
			d.Sections = append(d.Sections, settingsSection{href, title, about})
		}
	}
	add(u.Allows(oms.PermCatalogRead), "/settings/channels", "Channels", "Where orders come from: currency, backorders, webhook secrets, SKU mappings, the share and buffer of stock each may sell.")
	add(u.Allows(oms.PermCatalogRead), "/settings/locations", "Locations", "Warehouses and stores: what each ships or hands over, its priority, address and channels.")
	add(u.Allows(oms.PermSettingsRead), "/settings/tax-rules", "Tax rules", "The rate charged by country and region, included in prices or added to them.")
	add(u.Allows(oms.PermSettingsRead), "/settings/fx-rates", "Exchange rates", "Import the European Central Bank's reference rates; see those in force.")
	add(u.Allows(oms.PermSettingsRead), "/settings/screening", "Screening", "Which orders are held for review before they are fulfilled.")
	add(u.Allows(oms.PermReturnRead), "/settings/returns", "Returns", "Return reasons, shipping refunds, the restocking fee, agents' refund limits and return links.")
	add(u.Allows(oms.PermAPIKeyManage), "/settings/api-keys", "API keys", "The keys integrations use: create, list and revoke them.")
	add(u.Allows(oms.PermAPIKeyManage), "/settings/webhooks", "Webhooks", "The endpoints oms sends events to, and their delivery log.")
	add(u.Allows(manageUsers), "/users", "Users", "The people who sign in to this console, and their roles.")
	var err error
	if d.Store, err = c.act.StoreSettings(r.Context()); err != nil {
		c.fault(w, r, &s, err)
		return
	}
	p.Session, p.Title, p.Settings = &s, "Settings", d
	c.renderSettings(w, r, status, "settings", p)
}

// renderSettings renders a Settings screen.
func (c *Console) renderSettings(w http.ResponseWriter, r *http.Request, status int, name string, p page) {
	p.Settings.On = true
	c.render(w, r, status, name, p)
}

// settingsFlashes say what a settings form did, after its redirect.
var settingsFlashes = map[string]string{
	"store":      "The store's name is saved.",
	"channel":    "The channel is saved.",
	"mapping":    "The SKU mapping is saved.",
	"unmapped":   "The SKU mapping is removed.",
	"location":   "The location is saved.",
	"tax":        "The tax rule is saved.",
	"untaxed":    "The tax rule is deleted: orders placed from now on are not taxed by it.",
	"screening":  "The screening rules are saved.",
	"returns":    "The return settings are saved.",
	"revoked":    "The API key is revoked: every server refuses it within a second.",
	"enabled":    "The endpoint is enabled: events are sent to it again.",
	"disabled":   "The endpoint is disabled: no events are sent to it until it is enabled.",
	"deleted":    "The endpoint and its delivery log are deleted.",
	"retried":    "The delivery is queued to be sent again.",
	"channelnew": "The channel is created.",
}

func (c *Console) putStore(w http.ResponseWriter, r *http.Request, s oms.Session) {
	c.settingsAction(w, r, s, oms.PermCatalogWrite, "store", "/settings?done=store", func() error {
		return c.act.PutStoreSettings(r.Context(), s.User, oms.StoreSettings{Name: strings.TrimSpace(r.PostFormValue("name"))})
	}, func(status int, p page) { c.showSettings(w, r, s, status, p) })
}

// settingsAction runs a settings form that needs perm, then goes to back
// (saying what was done) or shows the page again with the problems next
// to the inputs.
func (c *Console) settingsAction(w http.ResponseWriter, r *http.Request, s oms.Session, perm oms.Permission, form, back string,
	act func() error, show func(status int, p page)) {
	if !s.User.Role.Allows(perm) {
		c.forbidden(w, r, &s, "Your role may not change these settings.")
		return
	}
	err := act()
	if err == nil {
		http.Redirect(w, r, back, http.StatusSeeOther)
		return
	}
	c.refused(w, r, s, form, err, show)
}

// refused shows the form's page again with the problem of each input, or
// answers an error that is not the form's.
func (c *Console) refused(w http.ResponseWriter, r *http.Request, s oms.Session, form string, err error, show func(status int, p page)) {
	switch oms.ErrorCode(err) {
	case oms.EINVALID, oms.ECONFLICT, oms.EFORBIDDEN:
		errs, formErr := fieldErrors(err)
		show(http.StatusUnprocessableEntity, page{Form: form, Errors: errs, FormError: formErr, Values: r.PostForm})
		return
	}
	c.fault(w, r, &s, err)
}

// codes splits a comma-separated list of codes, dropping empty ones.
func codes(v string) []string {
	var out []string
	for _, c := range strings.Split(v, ",") {
		if c = strings.TrimSpace(c); c != "" {
			out = append(out, c)
		}
	}
	return out
}

// moveProblems renames the problems of the fields to into: the input
// that holds them all.
func moveProblems(errs map[string]string, into string, match func(string) bool) {
	for k, v := range errs {
		if k != into && match(k) {
			if errs[into] != "" {
				errs[into] += "; "
			}
			errs[into] += v
			delete(errs, k)
		}
	}
}

// isCurrency reports whether a problem's field is a currency code: an
// amount of a per-currency map (max_total.USD).
func isCurrency(k string) bool {
	return len(k) == 3 && strings.ToUpper(k) == k
}
