package store

import (
	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/store/webhooks"
	"github.com/omshq/oms/internal/webhook"
)

// The webhook endpoints, the outbox with its cursors, the delivery queue
// and the delivery log live in internal/store/webhooks (webhooks.Hooks).
// They write no order and no stock, so they run in the seam's transactions
// and read the events table themselves; what they export keeps its name
// here.

// Names of the outbox cursors.
const (
	CursorWebhooks = webhooks.CursorWebhooks
	CursorNATS     = webhooks.CursorNATS
)

// The overlap of a webhook secret's rotation: how long the replaced secret
// keeps signing beside the new one.
const (
	DefaultWebhookOverlap = webhooks.DefaultWebhookOverlap
	MaxWebhookOverlap     = webhooks.MaxWebhookOverlap
)

// MaxReplayEvents bounds the events one replay reads.
const MaxReplayEvents = webhooks.MaxReplayEvents

// OutboxEvent is an event as the outbox's readers see it: with its seq.
type OutboxEvent = webhooks.OutboxEvent

// WebhookJob is a delivery claimed for one attempt (webhooks.WebhookJob).
type WebhookJob = webhooks.WebhookJob

// WebhookResult is an attempt a job made (webhooks.WebhookResult).
type WebhookResult = webhooks.WebhookResult

// WebhookEvent is an event as webhook delivers it: keyed by its order.
func WebhookEvent(e oms.Event) webhook.Event { return webhooks.WebhookEvent(e) }
