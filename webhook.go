package oms

import "time"

// Event types of the webhook endpoints themselves, for the audit log.
const (
	EventWebhookEndpointCreated  = "webhook_endpoint.created"
	EventWebhookEndpointUpdated  = "webhook_endpoint.updated" // URL, event types, description or enabled changed
	EventWebhookEndpointDeleted  = "webhook_endpoint.deleted"
	EventWebhookEndpointRotated  = "webhook_endpoint.secret_rotated"
	EventWebhookEndpointDisabled = "webhook_endpoint.disabled" // the receiver answered 410 Gone
)

// WebhookEndpoint is a URL that receives the events it subscribed to,
// signed by the Standard Webhooks specification with its secret, which is
// shown once, when it is made or rotated.
type WebhookEndpoint struct {
	ID          string `json:"id"`
	URL         string `json:"url"`
	Description string `json:"description"`
	// EventTypes are the event types it receives: a type (order.created),
	// a prefix with a wildcard (order.*), or * for every type.
	EventTypes []string `json:"event_types"`
	Enabled    bool     `json:"enabled"`
	// DisabledReason says why a disabled endpoint is: "gone" when the
	// receiver answered 410 Gone, "manual" when it was disabled through the
	// API.
	DisabledReason string    `json:"disabled_reason,omitempty"`
	CreatedAt      time.Time `json:"created_at"`
	UpdatedAt      time.Time `json:"updated_at"`
	// PreviousSecretExpiresAt is when the secret the last rotation replaced
	// stops signing; absent once it has.
	PreviousSecretExpiresAt *time.Time `json:"previous_secret_expires_at,omitempty"`
}

// Webhook delivery states: pending (not yet attempted, or queued again by
// a retry or replay), failed (an attempt failed; another is scheduled),
// succeeded, and dead (the last attempt failed: kept for its owner to see
// and replay, never retried by itself).
const (
	DeliveryPending   = "pending"
	DeliveryFailed    = "failed"
	DeliverySucceeded = "succeeded"
	DeliveryDead      = "dead"
)

// WebhookDelivery is one event's delivery to one endpoint, with its last
// attempt.
type WebhookDelivery struct {
	ID         string `json:"id"`
	EndpointID string `json:"endpoint_id"`
	EventID    string `json:"event_id"` // sent as webhook-id
	EventType  string `json:"event_type"`
	OrderID    string `json:"order_id,omitempty"`
	Status     string `json:"status"`
	Attempts   int    `json:"attempts"`
	// NextAttemptAt is when a pending or failed delivery is tried next.
	NextAttemptAt  *time.Time `json:"next_attempt_at,omitempty"`
	LastAttemptAt  *time.Time `json:"last_attempt_at,omitempty"`
	LastStatusCode *int       `json:"last_status_code,omitempty"` // absent when no answer came
	LastLatencyMS  *int64     `json:"last_latency_ms,omitempty"`
	LastError      string     `json:"last_error,omitempty"`    // why no answer came
	LastResponse   string     `json:"last_response,omitempty"` // the first KiB of the last answer
	CreatedAt      time.Time  `json:"created_at"`
}

// WebhookEndpointInput is what makes or changes an endpoint. On a change,
// a nil field is left as it is.
type WebhookEndpointInput struct {
	URL         *string
	Description *string
	EventTypes  []string // nil: unchanged; on create, nil or empty is refused
	Enabled     *bool
	// AllowPrivate lets the URL name a loopback or private address (the
	// server's --webhooks-allow-private).
	AllowPrivate bool
}

// WebhookEndpointDeleted is the data of a webhook_endpoint.deleted event.
type WebhookEndpointDeleted struct {
	ID string `json:"id"`
}

// WebhookEndpointDisabled is the data of a webhook_endpoint.disabled event:
// the endpoint oms stopped sending to, and why.
type WebhookEndpointDisabled struct {
	ID     string `json:"id"`
	Reason string `json:"reason"`
}
