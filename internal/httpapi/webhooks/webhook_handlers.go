package webhooks

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/httpapi/answer"
	"github.com/omshq/oms/internal/httpapi/decode"
	"github.com/omshq/oms/internal/httpapi/handle"
	"github.com/omshq/oms/internal/httpapi/paging"
	"github.com/omshq/oms/internal/store"
)

// Handlers answers the routes of outgoing webhooks: endpoints, their
// secrets, their delivery logs, retry and replay.
type Handlers struct {
	webhooks oms.Webhooks
	// AllowPrivate lets endpoints name loopback and private addresses (the
	// server's --webhooks-allow-private). Set it before serving.
	AllowPrivate bool
}

// New returns the handlers over the webhooks service.
func New(webhooks oms.Webhooks) *Handlers { return &Handlers{webhooks: webhooks} }

// WebhookEndpointRequest is the body of POST /v1/webhook-endpoints and
// PATCH /v1/webhook-endpoints/{id}.
type WebhookEndpointRequest struct {
	URL         *string  `json:"url"`
	EventTypes  []string `json:"event_types"`
	Description *string  `json:"description,omitempty"`
	// Enabled turns delivery off and on again (PATCH only).
	Enabled *bool `json:"enabled,omitempty"`
}

// WebhookEndpointCreated is the answer to POST /v1/webhook-endpoints and
// POST /v1/webhook-endpoints/{id}/rotate-secret: the endpoint and its secret.
type WebhookEndpointCreated struct {
	oms.WebhookEndpoint
	Secret string `json:"secret" secret:"true"` // shown once
}

// WebhookEndpointPage is the answer to GET /v1/webhook-endpoints.
type WebhookEndpointPage struct {
	WebhookEndpoints []oms.WebhookEndpoint `json:"webhook_endpoints"`
	NextCursor       *string               `json:"next_cursor"`
}

// WebhookDeliveryPage is the answer to GET /v1/webhook-endpoints/{id}/deliveries.
type WebhookDeliveryPage struct {
	Deliveries []oms.WebhookDelivery `json:"deliveries"`
	NextCursor *string               `json:"next_cursor"`
}

// WebhookRotateRequest is the body of POST /v1/webhook-endpoints/{id}/rotate-secret.
type WebhookRotateRequest struct {
	// ExpiresInSeconds is how long the replaced secret keeps signing
	// beside the new one: 0 to 604800 (7 days); 86400 when absent.
	ExpiresInSeconds decode.Int `json:"expires_in_seconds,omitempty"`
}

// WebhookReplayRequest is the body of POST /v1/webhook-endpoints/{id}/replay.
type WebhookReplayRequest struct {
	From string `json:"from"` // RFC 3339: events from then on
	To   string `json:"to"`   // RFC 3339: events before then
}

// WebhookReplayAnswer is the answer to POST /v1/webhook-endpoints/{id}/replay.
type WebhookReplayAnswer struct {
	Queued int `json:"queued"` // deliveries queued
}

func (req WebhookEndpointRequest) input(allowPrivate bool) oms.WebhookEndpointInput {
	return oms.WebhookEndpointInput{URL: req.URL, Description: req.Description, EventTypes: req.EventTypes,
		Enabled: req.Enabled, AllowPrivate: allowPrivate}
}

// CreateWebhookEndpoint answers POST /v1/webhook-endpoints.
func (h *Handlers) CreateWebhookEndpoint(w http.ResponseWriter, r *http.Request) error {
	var req WebhookEndpointRequest
	if err := decode.Request(r, &req); err != nil {
		return err
	}
	if req.Enabled != nil {
		return oms.Invalid("enabled", "is set with PATCH: a new endpoint is enabled")
	}
	e, secret, err := h.webhooks.CreateWebhookEndpoint(r.Context(), req.input(h.AllowPrivate), handle.Viewer(r))
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store") // the answer holds a secret
	return answer.JSON(w, http.StatusCreated, WebhookEndpointCreated{WebhookEndpoint: e, Secret: secret})
}

// ListWebhookEndpoints answers GET /v1/webhook-endpoints.
func (h *Handlers) ListWebhookEndpoints(w http.ResponseWriter, r *http.Request) error {
	q, err := paging.Query(r)
	if err != nil {
		return err
	}
	limit, err := paging.Limit(q, paging.DefaultLimit, paging.MaxLimit)
	if err != nil {
		return err
	}
	after := q.Get("after")
	if after != "" && !strings.HasPrefix(after, "we_") {
		return oms.Invalid("after", "is not a cursor this API returned")
	}
	eps, next, err := h.webhooks.WebhookEndpoints(r.Context(), after, limit)
	if err != nil {
		return err
	}
	page := WebhookEndpointPage{WebhookEndpoints: answer.NonNil(eps)}
	if next != "" {
		page.NextCursor = &next
	}
	return answer.JSON(w, http.StatusOK, page)
}

// GetWebhookEndpoint answers GET /v1/webhook-endpoints/{id}.
func (h *Handlers) GetWebhookEndpoint(w http.ResponseWriter, r *http.Request) error {
	e, err := h.webhooks.WebhookEndpoint(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	return answer.JSON(w, http.StatusOK, e)
}

// UpdateWebhookEndpoint answers PATCH /v1/webhook-endpoints/{id}.
func (h *Handlers) UpdateWebhookEndpoint(w http.ResponseWriter, r *http.Request) error {
	var req WebhookEndpointRequest
	if err := decode.Request(r, &req); err != nil {
		return err
	}
	e, err := h.webhooks.UpdateWebhookEndpoint(r.Context(), r.PathValue("id"), req.input(h.AllowPrivate), handle.Viewer(r))
	if err != nil {
		return err
	}
	return answer.JSON(w, http.StatusOK, e)
}

// DeleteWebhookEndpoint answers DELETE /v1/webhook-endpoints/{id}.
func (h *Handlers) DeleteWebhookEndpoint(w http.ResponseWriter, r *http.Request) error {
	if err := h.webhooks.DeleteWebhookEndpoint(r.Context(), r.PathValue("id"), handle.Viewer(r)); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// RotateWebhookSecret answers POST /v1/webhook-endpoints/{id}/rotate-secret.
func (h *Handlers) RotateWebhookSecret(w http.ResponseWriter, r *http.Request) error {
	var req WebhookRotateRequest
	overlap, err := decode.RotationOverlap(r, &req, &req.ExpiresInSeconds, store.DefaultWebhookOverlap, store.MaxWebhookOverlap)
	if err != nil {
		return err
	}
	e, secret, err := h.webhooks.RotateWebhookSecret(r.Context(), r.PathValue("id"), overlap, handle.Viewer(r))
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	return answer.JSON(w, http.StatusOK, WebhookEndpointCreated{WebhookEndpoint: e, Secret: secret})
}

// ListWebhookDeliveries answers GET /v1/webhook-endpoints/{id}/deliveries.
func (h *Handlers) ListWebhookDeliveries(w http.ResponseWriter, r *http.Request) error {
	q, err := paging.Query(r)
	if err != nil {
		return err
	}
	limit, err := paging.Limit(q, paging.DefaultLimit, paging.MaxLimit)
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
	ds, next, err := h.webhooks.WebhookDeliveries(r.Context(), r.PathValue("id"), status, before, limit)
	if err != nil {
		return err
	}
	page := WebhookDeliveryPage{Deliveries: answer.NonNil(ds)}
	if next != 0 {
		c := strconv.FormatInt(next, 10)
		page.NextCursor = &c
	}
	return answer.JSON(w, http.StatusOK, page)
}

// RetryWebhookDelivery answers POST /v1/webhook-endpoints/{id}/deliveries/{delivery_id}/retry.
func (h *Handlers) RetryWebhookDelivery(w http.ResponseWriter, r *http.Request) error {
	d, err := h.webhooks.RetryWebhookDelivery(r.Context(), r.PathValue("id"), r.PathValue("delivery_id"))
	if err != nil {
		return err
	}
	return answer.JSON(w, http.StatusOK, d)
}

// ReplayWebhookEvents answers POST /v1/webhook-endpoints/{id}/replay.
func (h *Handlers) ReplayWebhookEvents(w http.ResponseWriter, r *http.Request) error {
	var req WebhookReplayRequest
	if err := decode.Request(r, &req); err != nil {
		return err
	}
	var p oms.Problems
	if req.From == "" {
		p.Add("from", "is required")
	}
	if req.To == "" {
		p.Add("to", "is required")
	}
	from, to := decode.ParseTime(&p, "from", req.From), decode.ParseTime(&p, "to", req.To)
	if err := p.Err(); err != nil {
		return err
	}
	n, err := h.webhooks.ReplayWebhookEvents(r.Context(), r.PathValue("id"), *from, *to)
	if err != nil {
		return err
	}
	return answer.JSON(w, http.StatusAccepted, WebhookReplayAnswer{Queued: n})
}
