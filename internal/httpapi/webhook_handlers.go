package httpapi

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/store"
)

// Outgoing webhooks: endpoints, their secrets, their delivery logs, retry
// and replay.

const webhookEndpointDoc = "oms POSTs each event whose type matches `event_types` to `url` as " +
	"`{\"type\", \"timestamp\", \"data\"}`, signed by the Standard Webhooks specification " +
	"(`webhook-id` is the event id, `webhook-signature` is `v1,` and the base64 HMAC-SHA256 of " +
	"`id.timestamp.body` under the secret). The answer holds the `secret` (`whsec_…`) once. " +
	"Delivery is retried with backoff for more than 3 days; a 410 answer disables the endpoint; " +
	"events of one order arrive in order. The URL may not name a loopback or private address " +
	"unless the server runs with --webhooks-allow-private."

// WebhooksAllowPrivate lets endpoints name loopback and private addresses
// (the server's --webhooks-allow-private). Call it before serving.
func (s *Server) WebhooksAllowPrivate(allow bool) { s.webhooksAllowPrivate = allow }

type webhookEndpointRequest struct {
	URL         *string  `json:"url"`
	EventTypes  []string `json:"event_types"`
	Description *string  `json:"description,omitempty"`
	// Enabled turns delivery off and on again (PATCH only).
	Enabled *bool `json:"enabled,omitempty"`
}

type webhookEndpointCreated struct {
	oms.WebhookEndpoint
	Secret string `json:"secret" secret:"true"` // shown once
}

type webhookEndpointPage struct {
	WebhookEndpoints []oms.WebhookEndpoint `json:"webhook_endpoints"`
	NextCursor       *string               `json:"next_cursor"`
}

type webhookDeliveryPage struct {
	Deliveries []oms.WebhookDelivery `json:"deliveries"`
	NextCursor *string               `json:"next_cursor"`
}

type webhookRotateRequest struct {
	// ExpiresInSeconds is how long the replaced secret keeps signing
	// beside the new one: 0 to 604800 (7 days); 86400 when absent.
	ExpiresInSeconds Int `json:"expires_in_seconds,omitempty"`
}

type webhookReplayRequest struct {
	From string `json:"from"` // RFC 3339: events from then on
	To   string `json:"to"`   // RFC 3339: events before then
}

type webhookReplayAnswer struct {
	Queued int `json:"queued"` // deliveries queued
}

func (s *Server) webhookRoutes() []route {
	page := []param{{"limit", "integer", "page size, 1–200 (default 50)"}, {"after", "string", "next_cursor of the previous page"}}
	p := oms.PermAPIKeyManage // admin only: an endpoint receives every event it names
	return []route{
		{method: "POST", path: "/v1/webhook-endpoints", perm: p, doc: webhookEndpointDoc,
			summary: "Subscribe a URL to events (the signing secret is shown once)", request: webhookEndpointRequest{},
			response: webhookEndpointCreated{}, status: []int{201}, handle: s.createWebhookEndpoint},
		{method: "GET", path: "/v1/webhook-endpoints", perm: p, summary: "List the webhook endpoints, newest first",
			response: webhookEndpointPage{}, status: []int{200}, query: page, handle: s.listWebhookEndpoints},
		{method: "GET", path: "/v1/webhook-endpoints/{id}", perm: p, summary: "Get a webhook endpoint (never its secret)",
			response: oms.WebhookEndpoint{}, status: []int{200}, handle: s.getWebhookEndpoint},
		{method: "PATCH", path: "/v1/webhook-endpoints/{id}", perm: p, summary: "Change a webhook endpoint's URL, event types, description, or enable or disable it",
			request: webhookEndpointRequest{}, response: oms.WebhookEndpoint{}, status: []int{200}, handle: s.updateWebhookEndpoint},
		{method: "DELETE", path: "/v1/webhook-endpoints/{id}", perm: p, summary: "Delete a webhook endpoint and its delivery log",
			status: []int{204}, handle: s.deleteWebhookEndpoint},
		{method: "POST", path: "/v1/webhook-endpoints/{id}/rotate-secret", perm: p,
			summary: "Give a webhook endpoint a new secret, shown once; both sign every message until expires_in_seconds (default 86400, at most 604800) has passed",
			request: webhookRotateRequest{}, response: webhookEndpointCreated{}, status: []int{200}, handle: s.rotateWebhookSecret},
		{method: "GET", path: "/v1/webhook-endpoints/{id}/deliveries", perm: p,
			summary:  "The endpoint's delivery log, newest event first: status, attempts, last response code, latency and error",
			response: webhookDeliveryPage{}, status: []int{200}, handle: s.listWebhookDeliveries,
			query: append([]param{{"status", "string", "pending, failed, succeeded or dead"}}, page...)},
		{method: "POST", path: "/v1/webhook-endpoints/{id}/deliveries/{delivery_id}/retry", perm: p,
			summary:  "Queue a delivery again (a dead one too): it goes out at once, in its order's place, with the whole retry schedule ahead",
			response: oms.WebhookDelivery{}, status: []int{200}, handle: s.retryWebhookDelivery},
		{method: "POST", path: "/v1/webhook-endpoints/{id}/replay", perm: p,
			summary: "Queue again every event from `from` to before `to` that the endpoint subscribes to, delivered before or not (at most 10000 events in the range)",
			request: webhookReplayRequest{}, response: webhookReplayAnswer{}, status: []int{202}, handle: s.replayWebhookEvents},
	}
}

func (req webhookEndpointRequest) input(allowPrivate bool) store.WebhookEndpointInput {
	return store.WebhookEndpointInput{URL: req.URL, Description: req.Description, EventTypes: req.EventTypes,
		Enabled: req.Enabled, AllowPrivate: allowPrivate}
}

func (s *Server) createWebhookEndpoint(w http.ResponseWriter, r *http.Request) error {
	var req webhookEndpointRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	if req.Enabled != nil {
		return oms.Invalid("enabled", "is set with PATCH: a new endpoint is enabled")
	}
	e, secret, err := s.db.CreateWebhookEndpoint(r.Context(), req.input(s.webhooksAllowPrivate), actor(r))
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store") // the answer holds a secret
	return writeJSON(w, http.StatusCreated, webhookEndpointCreated{WebhookEndpoint: e, Secret: secret})
}

func (s *Server) listWebhookEndpoints(w http.ResponseWriter, r *http.Request) error {
	q, err := query(r)
	if err != nil {
		return err
	}
	limit, err := limitParam(q, defaultLimit, maxLimit)
	if err != nil {
		return err
	}
	after := q.Get("after")
	if after != "" && !strings.HasPrefix(after, "we_") {
		return oms.Invalid("after", "is not a cursor this API returned")
	}
	eps, next, err := s.db.WebhookEndpoints(r.Context(), after, limit)
	if err != nil {
		return err
	}
	page := webhookEndpointPage{WebhookEndpoints: nonNil(eps)}
	if next != "" {
		page.NextCursor = &next
	}
	return writeJSON(w, http.StatusOK, page)
}

func (s *Server) getWebhookEndpoint(w http.ResponseWriter, r *http.Request) error {
	e, err := s.db.WebhookEndpoint(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, e)
}

func (s *Server) updateWebhookEndpoint(w http.ResponseWriter, r *http.Request) error {
	var req webhookEndpointRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	e, err := s.db.UpdateWebhookEndpoint(r.Context(), r.PathValue("id"), req.input(s.webhooksAllowPrivate), actor(r))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, e)
}

func (s *Server) deleteWebhookEndpoint(w http.ResponseWriter, r *http.Request) error {
	if err := s.db.DeleteWebhookEndpoint(r.Context(), r.PathValue("id"), actor(r)); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) rotateWebhookSecret(w http.ResponseWriter, r *http.Request) error {
	var req webhookRotateRequest
	if r.ContentLength != 0 {
		if err := decode(r, &req); err != nil {
			return err
		}
	}
	overlap := store.DefaultWebhookOverlap
	if req.ExpiresInSeconds.Set() {
		var p oms.Problems
		n := req.ExpiresInSeconds.Value(&p, "expires_in_seconds", false)
		if most := int64(store.MaxWebhookOverlap / time.Second); len(p) == 0 && (n < 0 || n > most) {
			p.Add("expires_in_seconds", "must be from 0 to %d (7 days)", most)
		}
		if err := p.Err(); err != nil {
			return err
		}
		overlap = time.Duration(n) * time.Second
	}
	e, secret, err := s.db.RotateWebhookSecret(r.Context(), r.PathValue("id"), overlap, actor(r))
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	return writeJSON(w, http.StatusOK, webhookEndpointCreated{WebhookEndpoint: e, Secret: secret})
}

func (s *Server) listWebhookDeliveries(w http.ResponseWriter, r *http.Request) error {
	q, err := query(r)
	if err != nil {
		return err
	}
	limit, err := limitParam(q, defaultLimit, maxLimit)
	if err != nil {
		return err
	}
	status := q.Get("status")
	switch status {
	case "", oms.DeliveryPending, oms.DeliveryFailed, oms.DeliverySucceeded, oms.DeliveryDead:
	default:
		return oms.Invalid("status", "must be pending, failed, succeeded or dead")
	}
	var before int64
	if v := q.Get("after"); v != "" {
		if before, err = strconv.ParseInt(v, 10, 64); err != nil || before <= 0 {
			return oms.Invalid("after", "is not a cursor this API returned")
		}
	}
	ds, next, err := s.db.WebhookDeliveries(r.Context(), r.PathValue("id"), status, before, limit)
	if err != nil {
		return err
	}
	page := webhookDeliveryPage{Deliveries: nonNil(ds)}
	if next != 0 {
		c := strconv.FormatInt(next, 10)
		page.NextCursor = &c
	}
	return writeJSON(w, http.StatusOK, page)
}

func (s *Server) retryWebhookDelivery(w http.ResponseWriter, r *http.Request) error {
	d, err := s.db.RetryWebhookDelivery(r.Context(), r.PathValue("id"), r.PathValue("delivery_id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, d)
}

func (s *Server) replayWebhookEvents(w http.ResponseWriter, r *http.Request) error {
	var req webhookReplayRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	var p oms.Problems
	if req.From == "" {
		p.Add("from", "is required")
	}
	if req.To == "" {
		p.Add("to", "is required")
	}
	from, to := parseTime(&p, "from", req.From), parseTime(&p, "to", req.To)
	if err := p.Err(); err != nil {
		return err
	}
	n, err := s.db.ReplayWebhookEvents(r.Context(), r.PathValue("id"), *from, *to)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusAccepted, webhookReplayAnswer{Queued: n})
}
