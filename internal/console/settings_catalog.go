package console

import (
	"crypto/rand"
	"encoding/base64"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/omshq/oms"
	"github.com/omshq/oms/money"
)

// Channels, their SKU mappings, and locations: catalog:read to see,
// catalog:write to change (the API's PUT /v1/channels/{code} and its
// sku-mappings, PUT /v1/locations/{code}).

func (c *Console) channelsPage(w http.ResponseWriter, r *http.Request, s oms.Session) {
	c.showChannels(w, r, s, http.StatusOK, page{})
}

func (c *Console) showChannels(w http.ResponseWriter, r *http.Request, s oms.Session, status int, p page) {
	if !s.User.Role.Allows(oms.PermCatalogRead) {
		c.forbidden(w, r, &s, "Your role does not read channels.")
		return
	}
	d := settingsData{ChannelKinds: oms.ChannelKinds}
	var err error
	if d.Channels, err = c.act.Channels(r.Context()); err != nil {
		c.fault(w, r, &s, err)
		return
	}
	p.Session, p.Title, p.Settings = &s, "Channels", d
	c.renderSettings(w, r, status, "settings_channels", p)
}

// addChannel creates a channel; a code that is taken is refused (its page
// changes it).
func (c *Console) addChannel(w http.ResponseWriter, r *http.Request, s oms.Session) {
	code := strings.TrimSpace(r.PostFormValue("code"))
	c.settingsAction(w, r, s, oms.PermCatalogWrite, "channel", "/settings/channels/"+url.PathEscape(code)+"?done=channelnew", func() error {
		if _, err := c.act.Channel(r.Context(), code); err == nil {
			return oms.Invalid("code", "is taken by another channel: change that one on its page")
		} else if oms.ErrorCode(err) != oms.ENOTFOUND {
			return err
		}
		ch := oms.Channel{Code: code, SharePercent: 100, LowStock: oms.DefaultLowStock}
		if err := channelForm(r, &ch); err != nil {
			return err
		}
		_, err := c.act.PutChannel(r.Context(), s.User, &ch)
		return err
	}, func(status int, p page) { c.showChannels(w, r, s, status, p) })
}

// channelForm reads the channel form into ch, naming the inputs that are
// not numbers.
func channelForm(r *http.Request, ch *oms.Channel) error {
	var p oms.Problems
	ch.Name = strings.TrimSpace(r.PostFormValue("name"))
	ch.Kind = r.PostFormValue("kind")
	ch.Currency = strings.ToUpper(strings.TrimSpace(r.PostFormValue("currency")))
	ch.BackorderPolicy = oms.BackorderPolicy(r.PostFormValue("backorder_policy"))
	if v := strings.TrimSpace(r.PostFormValue("no_split_below")); v != "" {
		if _, ok := money.Lookup(ch.Currency); ok {
			n, err := money.Parse(v, ch.Currency)
			if err != nil {
				p.Add("no_split_below", "must be an amount of %s, such as 50.00", ch.Currency)
			}
			ch.NoSplitBelow = n
		}
	} else if r.PostForm.Has("no_split_below") {
		ch.NoSplitBelow = 0
	}
	for _, f := range []struct {
		name string
		dst  *int64
	}{{"buffer", &ch.Buffer}, {"low_stock", &ch.LowStock}} {
		if v := strings.TrimSpace(r.PostFormValue(f.name)); v != "" || r.PostForm.Has(f.name) {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				p.Add(f.name, "must be a whole number")
			}
			*f.dst = n
		}
	}
	if r.PostForm.Has("share_percent") {
		n, err := strconv.Atoi(strings.TrimSpace(r.PostFormValue("share_percent")))
		if err != nil {
			p.Add("share_percent", "must be a whole number from 0 to 100")
		}
		ch.SharePercent = n
	}
	if err := p.Err(); err != nil {
		return err
	}
	return nil
}

func (c *Console) channelPage(w http.ResponseWriter, r *http.Request, s oms.Session) {
	c.showChannel(w, r, s, http.StatusOK, page{Flash: settingsFlashes[r.URL.Query().Get("done")]}, "")
}

// showChannel shows the channel with its mappings, and the secret just
// made for it (this once).
func (c *Console) showChannel(w http.ResponseWriter, r *http.Request, s oms.Session, status int, p page, secret string) {
	if !s.User.Role.Allows(oms.PermCatalogRead) {
		c.forbidden(w, r, &s, "Your role does not read channels.")
		return
	}
	d := settingsData{ChannelKinds: oms.ChannelKinds, Secret: secret}
	var err error
	if d.Channel, err = c.act.Channel(r.Context(), r.PathValue("code")); err != nil {
		c.fault(w, r, &s, err)
		return
	}
	if d.Mappings, err = c.act.SkuMappings(r.Context(), d.Channel.Code); err != nil {
		c.fault(w, r, &s, err)
		return
	}
	p.Session, p.Title, p.Settings = &s, d.Channel.Name, d
	c.renderSettings(w, r, status, "settings_channel", p)
}

// editChannel changes the channel: its fields, and its webhook secret when
// one is typed in, or a new one made here (shown once) when asked for.
func (c *Console) editChannel(w http.ResponseWriter, r *http.Request, s oms.Session) {
	if !s.User.Role.Allows(oms.PermCatalogWrite) {
		c.forbidden(w, r, &s, "Your role may not change channels.")
		return
	}
	ch, err := c.act.Channel(r.Context(), r.PathValue("code"))
	if err != nil {
		c.fault(w, r, &s, err)
		return
	}
	show := func(status int, p page) { c.showChannel(w, r, s, status, p, "") }
	if err := channelForm(r, ch); err != nil {
		c.refused(w, r, s, "channel", err, show)
		return
	}
	var made string
	ch.WebhookSecret = r.PostFormValue("webhook_secret")
	if r.PostFormValue("new_secret") == "on" {
		if made, err = newSecret(); err != nil {
			c.fault(w, r, &s, err)
			return
		}
		ch.WebhookSecret = made
	}
	if ch.WebhookSecret != "" && (len(ch.WebhookSecret) > 200 || strings.TrimSpace(ch.WebhookSecret) != ch.WebhookSecret) {
		c.refused(w, r, s, "channel", oms.Invalid("webhook_secret", "must be at most 200 bytes without surrounding spaces"), show)
		return
	}
	if _, err := c.act.PutChannel(r.Context(), s.User, ch); err != nil {
		c.refused(w, r, s, "channel", err, show)
		return
	}
	if made == "" {
		http.Redirect(w, r, "/settings/channels/"+url.PathEscape(ch.Code)+"?done=channel", http.StatusSeeOther)
		return
	}
	c.showChannel(w, r, s, http.StatusOK, page{Flash: "The channel is saved with a new webhook secret."}, made)
}

// newSecret makes up a webhook secret of 256 random bits.
func newSecret() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// addMapping maps a listing SKU of the channel to its components: one per
// line, "SKU" or "SKU 2" (or "SKU x2") for a pack or bundle.
func (c *Console) addMapping(w http.ResponseWriter, r *http.Request, s oms.Session) {
	code := r.PathValue("code")
	show := func(status int, p page) {
		moveProblems(p.Errors, "components", func(k string) bool { return k == "sku" || k == "quantity" })
		c.showChannel(w, r, s, status, p, "")
	}
	c.settingsAction(w, r, s, oms.PermCatalogWrite, "mapping", "/settings/channels/"+url.PathEscape(code)+"?done=mapping", func() error {
		m := oms.SKUMapping{Channel: code, ListingSKU: strings.TrimSpace(r.PostFormValue("listing_sku"))}
		var p oms.Problems
		if m.ListingSKU == "" {
			p.Add("listing_sku", "is required")
		}
		m.Components = components(&p, r.PostFormValue("components"))
		if err := p.Err(); err != nil {
			return err
		}
		return c.act.PutSKUMapping(r.Context(), s.User, m)
	}, show)
}

// components reads the mapping's components, one a line.
func components(p *oms.Problems, v string) []oms.SKUComponent {
	var out []oms.SKUComponent
	for _, line := range strings.Split(v, "\n") {
		fs := strings.Fields(line)
		if len(fs) == 0 {
			continue
		}
		comp := oms.SKUComponent{SKU: fs[0], Quantity: 1}
		if len(fs) > 1 {
			q := strings.TrimLeft(strings.Join(fs[1:], ""), "x×*")
			n, err := strconv.ParseInt(q, 10, 64)
			if err != nil || len(fs) > 3 {
				p.Add("components", "%q: write a SKU, then optionally how many of it (TEE-1 2)", strings.TrimSpace(line))
				continue
			}
			comp.Quantity = n
		}
		out = append(out, comp)
	}
	if len(out) == 0 && len(*p) == 0 {
		p.Add("components", "is required: the oms SKU the listing sells, or the SKUs of its bundle, one a line")
	}
	return out
}

func (c *Console) deleteMapping(w http.ResponseWriter, r *http.Request, s oms.Session) {
	code := r.PathValue("code")
	c.settingsAction(w, r, s, oms.PermCatalogWrite, "unmap", "/settings/channels/"+url.PathEscape(code)+"?done=unmapped", func() error {
		return c.act.DeleteSKUMapping(r.Context(), s.User, code, r.PostFormValue("listing_sku"))
	}, func(status int, p page) { c.showChannel(w, r, s, status, p, "") })
}

// Locations.

func (c *Console) locationsPage(w http.ResponseWriter, r *http.Request, s oms.Session) {
	c.showLocations(w, r, s, http.StatusOK, page{Flash: settingsFlashes[r.URL.Query().Get("done")]})
}

// showLocations lists the locations, with the form for a new one, or for
// the one named by ?edit=.
func (c *Console) showLocations(w http.ResponseWriter, r *http.Request, s oms.Session, status int, p page) {
	if !s.User.Role.Allows(oms.PermCatalogRead) {
		c.forbidden(w, r, &s, "Your role does not read locations.")
		return
	}
	d := settingsData{LocationKinds: oms.LocationKinds}
	var err error
	if d.Locations, err = c.act.Locations(r.Context()); err != nil {
		c.fault(w, r, &s, err)
		return
	}
	d.LocationForm = oms.Location{Kind: "warehouse", CanShip: true, Active: true, Priority: 1}
	if code := r.URL.Query().Get("edit"); code != "" {
		if d.Location, err = c.act.Location(r.Context(), code); err != nil {
			c.fault(w, r, &s, err)
			return
		}
		d.LocationForm = *d.Location
	}
	if d.Channels, err = c.act.Channels(r.Context()); err != nil {
		c.fault(w, r, &s, err)
		return
	}
	p.Session, p.Title, p.Settings = &s, "Locations", d
	c.renderSettings(w, r, status, "settings_locations", p)
}

// putLocationForm creates or changes a location (changing when the form
// says which one it edits).
func (c *Console) putLocationForm(w http.ResponseWriter, r *http.Request, s oms.Session) {
	code := strings.TrimSpace(r.PostFormValue("code"))
	editing := r.PostFormValue("editing") != ""
	back := "/settings/locations?done=location"
	c.settingsAction(w, r, s, oms.PermCatalogWrite, "location", back, func() error {
		if !editing {
			if _, err := c.act.Location(r.Context(), code); err == nil {
				return oms.Invalid("code", "is taken by another location: change that one with its Edit link")
			} else if oms.ErrorCode(err) != oms.ENOTFOUND {
				return err
			}
		}
		var p oms.Problems
		l := oms.Location{Code: code, Name: strings.TrimSpace(r.PostFormValue("name")), Kind: r.PostFormValue("kind"),
			CanShip: r.PostFormValue("can_ship") == "on", CanPickup: r.PostFormValue("can_pickup") == "on",
			Active: r.PostFormValue("active") == "on", Channels: codes(r.PostFormValue("channels")),
			Address: oms.Address{Line1: strings.TrimSpace(r.PostFormValue("line1")), Line2: strings.TrimSpace(r.PostFormValue("line2")),
				City: strings.TrimSpace(r.PostFormValue("city")), Region: strings.TrimSpace(r.PostFormValue("region")),
				PostalCode: strings.TrimSpace(r.PostFormValue("postal_code")), Country: strings.ToUpper(strings.TrimSpace(r.PostFormValue("country")))}}
		if l.Channels == nil {
			l.Channels = []string{}
		}
		n, err := strconv.Atoi(strings.TrimSpace(r.PostFormValue("priority")))
		if err != nil {
			p.Add("priority", "must be a whole number: lower ships first")
		}
		l.Priority = n
		l.Latitude = coordinate(&p, r, "latitude")
		l.Longitude = coordinate(&p, r, "longitude")
		if err := p.Err(); err != nil {
			return err
		}
		_, err = c.act.PutLocation(r.Context(), s.User, &l)
		return err
	}, func(status int, p page) {
		if editing {
			r.URL.RawQuery = "edit=" + url.QueryEscape(code)
		}
		moveProblems(p.Errors, "channels", func(k string) bool { return strings.HasPrefix(k, "channels") })
		c.showLocations(w, r, s, status, p)
	})
}

// coordinate reads an optional decimal degree.
func coordinate(p *oms.Problems, r *http.Request, name string) *float64 {
	v := strings.TrimSpace(r.PostFormValue(name))
	if v == "" {
		return nil
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil {
		p.Add(name, "must be a decimal number of degrees, such as 40.7357")
		return nil
	}
	return &f
}
