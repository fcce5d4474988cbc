package console

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/omshq/oms"
)

// API keys and webhook endpoints: apikeys:manage (admins), as in the
// API's route table. A key's or an endpoint's secret is shown on the page
// that answers its creation, and never again.

func (c *Console) apiKeysPage(w http.ResponseWriter, r *http.Request, s oms.Session) {
	c.showKeys(w, r, s, http.StatusOK, page{Flash: settingsFlashes[r.URL.Query().Get("done")]}, settingsData{})
}

func (c *Console) showKeys(w http.ResponseWriter, r *http.Request, s oms.Session, status int, p page, d settingsData) {
	if !s.User.Role.Allows(oms.PermAPIKeyManage) {
		c.forbidden(w, r, &s, "Only admins manage API keys.")
		return
	}
	var err error
	if d.Keys, err = c.act.ApiKeys(r.Context(), 200); err != nil {
		c.fault(w, r, &s, err)
		return
	}
	d.KeyRoles = oms.Roles
	p.Session, p.Title, p.Settings = &s, "API keys", d
	c.renderSettings(w, r, status, "settings_keys", p)
}

// addAPIKey makes a key and shows its secret this once.
func (c *Console) addAPIKey(w http.ResponseWriter, r *http.Request, s oms.Session) {
	if !s.User.Role.Allows(oms.PermAPIKeyManage) {
		c.forbidden(w, r, &s, "Only admins manage API keys.")
		return
	}
	k, secret, err := c.act.CreateAPIKey(r.Context(), s.User, strings.TrimSpace(r.PostFormValue("name")), oms.Role(r.PostFormValue("role")),
		oms.KeyScope{Channels: codes(r.PostFormValue("channels")), Locations: codes(r.PostFormValue("locations"))})
	if err != nil {
		c.refused(w, r, s, "key", err, func(status int, p page) {
			moveProblems(p.Errors, "channels", func(k string) bool { return strings.HasPrefix(k, "channels") })
			moveProblems(p.Errors, "locations", func(k string) bool { return strings.HasPrefix(k, "locations") })
			c.showKeys(w, r, s, status, p, settingsData{})
		})
		return
	}
	w.Header().Set("Cache-Control", "no-store") // the page holds a secret
	c.showKeys(w, r, s, http.StatusCreated, page{Flash: "The API key is created."}, settingsData{NewKey: &k, Secret: secret})
}

func (c *Console) revokeKey(w http.ResponseWriter, r *http.Request, s oms.Session) {
	c.settingsAction(w, r, s, oms.PermAPIKeyManage, "revoke", "/settings/api-keys?done=revoked", func() error {
		return c.act.RevokeAPIKey(r.Context(), s.User, r.PathValue("id"))
	}, func(status int, p page) { c.showKeys(w, r, s, status, p, settingsData{}) })
}

// rotateKey gives the key a new secret, shown this once; the old one
// keeps working for a day, for the integration to change over.
func (c *Console) rotateKey(w http.ResponseWriter, r *http.Request, s oms.Session) {
	if !s.User.Role.Allows(oms.PermAPIKeyManage) {
		c.forbidden(w, r, &s, "Only admins manage API keys.")
		return
	}
	k, secret, err := c.act.RotateAPIKey(r.Context(), s.User, r.PathValue("id"))
	if err != nil {
		c.refused(w, r, s, "revoke", err, func(status int, p page) { c.showKeys(w, r, s, status, p, settingsData{}) })
		return
	}
	w.Header().Set("Cache-Control", "no-store") // the page holds a secret
	c.showKeys(w, r, s, http.StatusOK, page{Flash: "The key has a new secret; the old one works for 24 hours more."},
		settingsData{NewKey: &k, Secret: secret})
}

// Webhook endpoints.

func (c *Console) webhooksPage(w http.ResponseWriter, r *http.Request, s oms.Session) {
	c.showEndpoints(w, r, s, http.StatusOK, page{Flash: settingsFlashes[r.URL.Query().Get("done")]}, settingsData{})
}

func (c *Console) showEndpoints(w http.ResponseWriter, r *http.Request, s oms.Session, status int, p page, d settingsData) {
	if !s.User.Role.Allows(oms.PermAPIKeyManage) {
		c.forbidden(w, r, &s, "Only admins manage webhooks.")
		return
	}
	var err error
	if d.Endpoints, err = c.act.WebhookEndpoints(r.Context(), 200); err != nil {
		c.fault(w, r, &s, err)
		return
	}
	p.Session, p.Title, p.Settings = &s, "Webhooks", d
	c.renderSettings(w, r, status, "settings_webhooks", p)
}

// addEndpoint makes an endpoint and shows its signing secret this once.
func (c *Console) addEndpoint(w http.ResponseWriter, r *http.Request, s oms.Session) {
	if !s.User.Role.Allows(oms.PermAPIKeyManage) {
		c.forbidden(w, r, &s, "Only admins manage webhooks.")
		return
	}
	u, desc := strings.TrimSpace(r.PostFormValue("url")), strings.TrimSpace(r.PostFormValue("description"))
	types := codes(r.PostFormValue("event_types"))
	if types == nil {
		types = []string{}
	}
	e, secret, err := c.act.CreateWebhookEndpoint(r.Context(), s.User, oms.WebhookEndpointInput{URL: &u, Description: &desc, EventTypes: types})
	if err != nil {
		c.refused(w, r, s, "endpoint", err, func(status int, p page) {
			moveProblems(p.Errors, "event_types", func(k string) bool { return strings.HasPrefix(k, "event_types") })
			c.showEndpoints(w, r, s, status, p, settingsData{})
		})
		return
	}
	w.Header().Set("Cache-Control", "no-store") // the page holds a secret
	c.showEndpoints(w, r, s, http.StatusCreated, page{Flash: "The endpoint is created."}, settingsData{NewEndpoint: &e, Secret: secret})
}

// deliveryStatuses are the delivery log's filters.
var deliveryStatuses = []string{oms.DeliveryPending, oms.DeliveryFailed, oms.DeliverySucceeded, oms.DeliveryDead}

func (c *Console) endpointPage(w http.ResponseWriter, r *http.Request, s oms.Session) {
	c.showEndpoint(w, r, s, http.StatusOK, page{Flash: settingsFlashes[r.URL.Query().Get("done")]}, "")
}

// showEndpoint shows the endpoint and its delivery log, newest first, of
// the ?status= given.
func (c *Console) showEndpoint(w http.ResponseWriter, r *http.Request, s oms.Session, status int, p page, secret string) {
	if !s.User.Role.Allows(oms.PermAPIKeyManage) {
		c.forbidden(w, r, &s, "Only admins manage webhooks.")
		return
	}
	d := settingsData{Statuses: deliveryStatuses, Status: r.URL.Query().Get("status"), Secret: secret}
	if d.Status != "" && !slices.Contains(deliveryStatuses, d.Status) {
		p.Form, p.Errors, status = "filter", map[string]string{"status": "must be pending, failed, succeeded or dead"}, http.StatusUnprocessableEntity
		d.Status = ""
	}
	var before int64
	if v := r.URL.Query().Get("before"); v != "" {
		if before, _ = strconv.ParseInt(v, 10, 64); before <= 0 {
			p.Form, p.Errors, status = "filter", map[string]string{"status": "the page asked for is not one this log gave"}, http.StatusUnprocessableEntity
			before = 0
		}
	}
	e, err := c.act.WebhookEndpoint(r.Context(), r.PathValue("id"))
	if err != nil {
		c.fault(w, r, &s, err)
		return
	}
	d.Endpoint = &e
	if d.Deliveries, d.Older, err = c.act.WebhookDeliveries(r.Context(), e.ID, d.Status, before, 50); err != nil {
		c.fault(w, r, &s, err)
		return
	}
	p.Session, p.Title, p.Settings = &s, "Webhook endpoint", d
	c.renderSettings(w, r, status, "settings_webhook", p)
}

// endpointMove enables, disables or deletes the endpoint, or gives it a
// new secret (shown this once; the old one signs too for a day).
func (c *Console) endpointMove(w http.ResponseWriter, r *http.Request, s oms.Session) {
	id := r.PathValue("id")
	if r.PathValue("move") == "rotate" {
		if !s.User.Role.Allows(oms.PermAPIKeyManage) {
			c.forbidden(w, r, &s, "Only admins manage webhooks.")
			return
		}
		_, secret, err := c.act.RotateWebhookSecret(r.Context(), s.User, id)
		if err != nil {
			c.refused(w, r, s, "endpoint", err, func(status int, p page) { c.showEndpoint(w, r, s, status, p, "") })
			return
		}
		w.Header().Set("Cache-Control", "no-store") // the page holds a secret
		c.showEndpoint(w, r, s, http.StatusOK, page{Flash: "The endpoint has a new secret; events are signed with the old one too for 24 hours."}, secret)
		return
	}
	back := map[string]string{"enable": "/settings/webhooks/" + url.PathEscape(id) + "?done=enabled",
		"disable": "/settings/webhooks/" + url.PathEscape(id) + "?done=disabled", "delete": "/settings/webhooks?done=deleted"}[r.PathValue("move")]
	if back == "" {
		c.fault(w, r, &s, oms.Errorf(oms.ENOTFOUND, "there is no such action on an endpoint"))
		return
	}
	c.settingsAction(w, r, s, oms.PermAPIKeyManage, "endpoint", back, func() error {
		if r.PathValue("move") == "delete" {
			return c.act.DeleteWebhookEndpoint(r.Context(), s.User, id)
		}
		on := r.PathValue("move") == "enable"
		return c.act.UpdateWebhookEndpoint(r.Context(), s.User, id, oms.WebhookEndpointInput{Enabled: &on})
	}, func(status int, p page) { c.showEndpoint(w, r, s, status, p, "") })
}

func (c *Console) retryDelivery(w http.ResponseWriter, r *http.Request, s oms.Session) {
	id := r.PathValue("id")
	c.settingsAction(w, r, s, oms.PermAPIKeyManage, "retry", "/settings/webhooks/"+url.PathEscape(id)+"?done=retried", func() error {
		return c.act.RetryWebhookDelivery(r.Context(), id, r.PathValue("delivery"))
	}, func(status int, p page) { c.showEndpoint(w, r, s, status, p, "") })
}
