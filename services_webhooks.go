package oms

import (
	"context"
	"time"
)

// Webhooks keeps the endpoints that events are sent to and their delivery
// logs. The sending itself runs in the background (internal/outbox), from
// the events table: the outbox every change writes in its own transaction.
type Webhooks interface {
	// CreateWebhookEndpoint makes an enabled endpoint and returns it with its
	// new secret ("whsec_…"), which cannot be read again; EINVALID names the
	// field of a bad URL or event type pattern.
	CreateWebhookEndpoint(ctx context.Context, in WebhookEndpointInput, by Principal) (WebhookEndpoint, string, error)
	// WebhookEndpoint returns the endpoint, or ENOTFOUND.
	WebhookEndpoint(ctx context.Context, id string) (WebhookEndpoint, error)
	// WebhookEndpoints returns a page of the endpoints, newest first, and the
	// id to ask for the next page after ("" on the last page).
	WebhookEndpoints(ctx context.Context, after string, limit int) ([]WebhookEndpoint, string, error)
	// UpdateWebhookEndpoint changes the fields given and returns the endpoint.
	UpdateWebhookEndpoint(ctx context.Context, id string, in WebhookEndpointInput, by Principal) (WebhookEndpoint, error)
	// DeleteWebhookEndpoint deletes the endpoint and its delivery log.
	DeleteWebhookEndpoint(ctx context.Context, id string, by Principal) error
	// RotateWebhookSecret gives the endpoint a new secret, returned once;
	// the replaced one signs too until overlap has passed.
	RotateWebhookSecret(ctx context.Context, id string, overlap time.Duration, by Principal) (WebhookEndpoint, string, error)
	// WebhookDeliveries returns the endpoint's delivery log, newest event
	// first, of one status when status is not empty, and the seq to ask for
	// the next page before (0 on the last page).
	WebhookDeliveries(ctx context.Context, endpointID, status string, before int64, limit int) ([]WebhookDelivery, int64, error)
	// RetryWebhookDelivery queues the delivery again, whatever its state.
	RetryWebhookDelivery(ctx context.Context, endpointID, id string) (WebhookDelivery, error)
	// ReplayWebhookEvents queues again every event from from to before to
	// that the endpoint subscribes to, and returns how many.
	ReplayWebhookEvents(ctx context.Context, endpointID string, from, to time.Time) (int, error)
}
