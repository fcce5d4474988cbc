package httpapi

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/httpapi/answer"
	"github.com/omshq/oms/internal/httpapi/decode"
	"github.com/omshq/oms/internal/httpapi/paging"
	"github.com/omshq/oms/internal/store"
)

// Outgoing webhooks: endpoints, their secrets, their delivery logs, retry
// and replay.

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
	ExpiresInSeconds decode.Int `json:"expires_in_seconds,omitempty"`
}

type webhookReplayRequest struct {
	From string `json:"from"` // RFC 3339: events from then on
	To   string `json:"to"`   // RFC 3339: events before then
}

type webhookReplayAnswer struct {
	Queued int `json:"queued"` // deliveries queued
}

func (req webhookEndpointRequest) input(allowPrivate bool) oms.WebhookEndpointInput {
	return oms.WebhookEndpointInput{URL: req.URL, Description: req.Description, EventTypes: req.EventTypes,
		Enabled: req.Enabled, AllowPrivate: allowPrivate}
}

func (s *Server) createWebhookEndpoint(w http.ResponseWriter, r *http.Request) error {
	var req webhookEndpointRequest
	if err := decode.Request(r, &req); err != nil {
		return err
	}
	if req.Enabled != nil {
		return oms.Invalid("enabled", "is set with PATCH: a new endpoint is enabled")
	}
	e, secret, err := s.svc.Webhooks.CreateWebhookEndpoint(r.Context(), req.input(s.webhooksAllowPrivate), viewer(r))
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store") // the answer holds a secret
	return answer.JSON(w, http.StatusCreated, webhookEndpointCreated{WebhookEndpoint: e, Secret: secret})
}

func (s *Server) listWebhookEndpoints(w http.ResponseWriter, r *http.Request) error {
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
	eps, next, err := s.svc.Webhooks.WebhookEndpoints(r.Context(), after, limit)
	if err != nil {
		return err
	}
	page := webhookEndpointPage{WebhookEndpoints: nonNil(eps)}
	if next != "" {
		page.NextCursor = &next
	}
	return answer.JSON(w, http.StatusOK, page)
}

func (s *Server) getWebhookEndpoint(w http.ResponseWriter, r *http.Request) error {
	e, err := s.svc.Webhooks.WebhookEndpoint(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	return answer.JSON(w, http.StatusOK, e)
}

func (s *Server) updateWebhookEndpoint(w http.ResponseWriter, r *http.Request) error {
	var req webhookEndpointRequest
	if err := decode.Request(r, &req); err != nil {
		return err
	}
	e, err := s.svc.Webhooks.UpdateWebhookEndpoint(r.Context(), r.PathValue("id"), req.input(s.webhooksAllowPrivate), viewer(r))
	if err != nil {
		return err
	}
	return answer.JSON(w, http.StatusOK, e)
}

func (s *Server) deleteWebhookEndpoint(w http.ResponseWriter, r *http.Request) error {
	if err := s.svc.Webhooks.DeleteWebhookEndpoint(r.Context(), r.PathValue("id"), viewer(r)); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) rotateWebhookSecret(w http.ResponseWriter, r *http.Request) error {
	var req webhookRotateRequest
	overlap, err := rotationOverlap(r, &req, &req.ExpiresInSeconds, store.DefaultWebhookOverlap, store.MaxWebhookOverlap)
	if err != nil {
		return err
	}
	e, secret, err := s.svc.Webhooks.RotateWebhookSecret(r.Context(), r.PathValue("id"), overlap, viewer(r))
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	return answer.JSON(w, http.StatusOK, webhookEndpointCreated{WebhookEndpoint: e, Secret: secret})
}

func (s *Server) listWebhookDeliveries(w http.ResponseWriter, r *http.Request) error {
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
	ds, next, err := s.svc.Webhooks.WebhookDeliveries(r.Context(), r.PathValue("id"), status, before, limit)
	if err != nil {
		return err
	}
	page := webhookDeliveryPage{Deliveries: nonNil(ds)}
	if next != 0 {
		c := strconv.FormatInt(next, 10)
		page.NextCursor = &c
	}
	return answer.JSON(w, http.StatusOK, page)
}

func (s *Server) retryWebhookDelivery(w http.ResponseWriter, r *http.Request) error {
	d, err := s.svc.Webhooks.RetryWebhookDelivery(r.Context(), r.PathValue("id"), r.PathValue("delivery_id"))
	if err != nil {
		return err
	}
	return answer.JSON(w, http.StatusOK, d)
}

func (s *Server) replayWebhookEvents(w http.ResponseWriter, r *http.Request) error {
	var req webhookReplayRequest
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
	from, to := parseTime(&p, "from", req.From), parseTime(&p, "to", req.To)
	if err := p.Err(); err != nil {
		return err
	}
	n, err := s.svc.Webhooks.ReplayWebhookEvents(r.Context(), r.PathValue("id"), *from, *to)
	if err != nil {
		return err
	}
	return answer.JSON(w, http.StatusAccepted, webhookReplayAnswer{Queued: n})
}
