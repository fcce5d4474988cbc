package openapi

import (
	"encoding/json"

	"github.com/omshq/oms"
)

// The messages oms sends to webhook endpoints, in the document's
// x-webhooks (OpenAPI 3.1's webhooks, in a 3.0 document): one entry per
// event type, each a POST of {type, timestamp, data} with the Standard
// Webhooks headers.

// webhookMessage is the body of every webhook message.
type webhookMessage struct {
	Type      string          `json:"type"`      // the event type
	Timestamp string          `json:"timestamp"` // when the event happened, RFC 3339
	Data      json.RawMessage `json:"data"`      // the event's data, as GET /v1/events shows it
}

// webhookEventTypes are the event types oms writes, with what each means.
var webhookEventTypes = []struct{ typ, doc string }{
	{oms.EventOrderCreated, "An order was placed: sourced and reserved as far as stock allows, the rest backordered."},
	{oms.EventOrderSourced, "Open units were sourced again: after a rejection, or when stock arrived."},
	{oms.EventOrderHeld, "A hold was put on the order."},
	{oms.EventOrderReleased, "A hold was released."},
	{oms.EventOrderEdited, "Lines, quantities or the ship-to changed before fulfillment."},
	{oms.EventOrderCancelled, "Every unit of the order was cancelled."},
	{oms.EventOrderLineCancelled, "Some units were cancelled."},
	{oms.EventOrderChannelUpdated, "The channel sent a newer version of the order."},
	{oms.EventOrderBaseRecorded, "The order's base-currency totals were recorded."},
	{oms.EventOrderBackordered, "The order was placed, or left after a rejection or an edit, with units waiting for stock."},
	{oms.EventOrderAllocated, "Every open unit of a waiting order is reserved now: its backorders were filled."},
	{oms.EventOrderShipped, "The order's last open units shipped."},
	{oms.EventOrderDelivered, "Every shipped unit of the order was delivered."},
	{oms.EventOrderPickedUp, "Every unit of the order was handed over, the last ones at a store counter."},
	{"fulfillment.picking", "A fulfillment is being picked."},
	{"fulfillment.packed", "A fulfillment was packed."},
	{"fulfillment.shipped", "A fulfillment was shipped, with its carrier and tracking."},
	{"fulfillment.delivered", "A fulfillment was delivered."},
	{"fulfillment.ready_for_pickup", "A pickup order is ready at the store."},
	{"fulfillment.picked_up", "A pickup order was collected."},
	{"fulfillment.cancelled", "A fulfillment was cancelled."},
	{oms.EventFulfillmentRejected, "A location could not find the units."},
	{oms.EventReturnRequested, "A return was requested."},
	{oms.EventReturnApproved, "A return was approved."},
	{oms.EventReturnRejected, "A return was rejected."},
	{oms.EventReturnReceived, "A return's units arrived."},
	{oms.EventReturnClosed, "A return was closed."},
	{oms.EventRefundCreated, "A refund was made."},
	{oms.EventExchangeCreated, "An exchange's replacement order was placed."},
	{oms.EventReturnLinkCreated, "A return portal link was made."},
	{oms.EventNoteAdded, "A note was added to an order."},
	{oms.EventCaseOpened, "A customer case was opened."},
	{oms.EventCaseMessage, "A message was added to a case."},
	{oms.EventCaseUpdated, "A case's status or assignee changed."},
	{oms.EventInventoryAdjusted, "Stock moved: received, adjusted, counted, damaged."},
	{oms.EventAvailabilityChanged, "What a channel may sell of a SKU changed: {channel, sku, available, previous}."},
	{oms.EventInventoryLowStock, "What a channel may sell of a SKU fell to the channel's low_stock threshold or below (not to zero)."},
	{oms.EventInventoryOutOfStock, "What a channel may sell of a SKU fell to zero."},
	{oms.EventInventoryBackInStock, "What a channel may sell of a SKU rose above zero (also the first time it is published)."},
	{oms.EventSupplyCreated, "Expected supply was recorded."},
	{oms.EventSupplyReceived, "Expected supply was received into stock."},
	{oms.EventTransferShipped, "A transfer left its source location."},
	{oms.EventChannelSaved, "A channel was created or changed."},
	{oms.EventLocationSaved, "A location was created or changed."},
	{oms.EventItemSaved, "An item was created or changed."},
	{oms.EventSKUMapped, "A channel's listing SKU was mapped."},
	{oms.EventSettingsSaved, "Settings were changed."},
	{oms.EventFXRatesImported, "Exchange rates were imported."},
	{oms.EventTaxRuleSaved, "A tax rule was created or changed."},
	{oms.EventTaxRuleDeleted, "A tax rule was deleted."},
	{oms.EventAPIKeyCreated, "An API key was created."},
	{oms.EventAPIKeyRotated, "An API key got a new secret."},
	{oms.EventAPIKeyRevoked, "An API key was revoked."},
	{oms.EventWebhookEndpointCreated, "A webhook endpoint was created."},
	{oms.EventWebhookEndpointUpdated, "A webhook endpoint was changed, enabled or disabled."},
	{oms.EventWebhookEndpointDeleted, "A webhook endpoint was deleted."},
	{oms.EventWebhookEndpointRotated, "A webhook endpoint got a new secret."},
	{oms.EventWebhookEndpointDisabled, "A webhook endpoint was disabled because its receiver answered 410 Gone."},
	{oms.EventUserCreated, "A console user was created."},
	{oms.EventUserDisabled, "A console user was disabled."},
}

const webhookMessageDoc = "Sent by Standard Webhooks: the headers webhook-id (the event id, the same on every " +
	"retry and replay), webhook-timestamp (unix seconds) and webhook-signature (`v1,` and the base64 " +
	"HMAC-SHA256 of `id.timestamp.body` under the endpoint's secret; two during a rotation's overlap). " +
	"Answer 2xx within 15 s; anything else is retried for more than 3 days; 410 disables the endpoint."
