package oms

import (
	"encoding/json"
	"time"
)

// Event types. An event is written in the same transaction as the change it
// records; together they are the order timeline, the audit log and the outbox
// for webhooks and the event stream.
const (
	EventOrderCreated        = "order.created"
	EventOrderCancelled      = "order.cancelled"       // every unit cancelled
	EventOrderLineCancelled  = "order.lines_cancelled" // some units cancelled
	EventOrderSourced        = "order.sourced"         // open units sourced again: after a rejection, or when stock arrived
	EventInventoryAdjusted   = "inventory.adjusted"
	EventSafetyStockSet      = "inventory.safety_stock_set" // the units kept back from sale at a location changed
	EventFulfillmentRejected = "fulfillment.rejected"       // a location could not find units
	// Fulfillment moves are "fulfillment." + the new status: fulfillment.picking,
	// fulfillment.shipped, fulfillment.ready_for_pickup …
	EventChannelSaved        = "channel.saved"
	EventLocationSaved       = "location.saved"
	EventItemSaved           = "item.saved"
	EventAPIKeyCreated       = "api_key.created"
	EventAPIKeyRevoked       = "api_key.revoked"
	EventAPIKeyRotated       = "api_key.rotated" // a new secret; the previous one works until its overlap ends
	EventSettingsSaved       = "settings.saved"
	EventSupplyCreated       = "supply.created"
	EventSupplyReceived      = "supply.received"
	EventTransferShipped     = "transfer.shipped"
	EventSKUMapped           = "sku.mapped"
	EventOrderChannelUpdated = "order.channel_updated"      // the channel sent a newer version
	EventOrderStaleIgnored   = "order.stale_update_ignored" // written by earlier versions for a stale version, which now writes nothing
	EventAvailabilityChanged = "inventory.availability_changed"
	EventOrderHeld           = "order.held"
	EventOrderReleased       = "order.released" // a hold was released
	EventOrderEdited         = "order.edited"   // lines, quantities or the ship-to changed before fulfillment
	EventNoteAdded           = "note.added"
	EventCaseOpened          = "case.opened"
	EventCaseMessage         = "case.message_added"
	EventCaseUpdated         = "case.updated" // status or assignee changed
	// International: exchange rates, tax rules, and base totals recorded
	// after the order was placed, when the rate for its date arrived.
	EventFXRatesImported   = "fx_rates.imported"
	EventTaxRuleSaved      = "tax_rule.saved"
	EventTaxRuleDeleted    = "tax_rule.deleted"
	EventOrderBaseRecorded = "order.base_totals_recorded"
	// Returns and refunds: a return moves requested → approved → received
	// → closed, or is rejected; refund.created is for finance systems.
	EventReturnRequested   = "return.requested"
	EventReturnApproved    = "return.approved"
	EventReturnRejected    = "return.rejected"
	EventReturnReceived    = "return.received"
	EventReturnClosed      = "return.closed"
	EventRefundCreated     = "refund.created"
	EventExchangeCreated   = "exchange.created" // an exchange's replacement order was placed
	EventReturnLinkCreated = "return_link.created"
	// The order's life, at the order's level: its status moved. Written in
	// the transaction of the change that moved it, after that change's own
	// event.
	EventOrderAllocated   = "order.allocated"   // every open unit reserved after placement: backorders filled
	EventOrderBackordered = "order.backordered" // placed or left with units waiting for stock
	EventOrderShipped     = "order.shipped"     // the order's last open units shipped
	EventOrderDelivered   = "order.delivered"   // every shipped unit delivered
	EventOrderPickedUp    = "order.picked_up"   // every unit handed over, the last at a store counter
	// Stock crossing a channel's thresholds, per (channel, SKU): what the
	// channel may sell fell to its low-stock threshold or below, to zero,
	// or rose above zero again.
	EventInventoryLowStock    = "inventory.low_stock"
	EventInventoryOutOfStock  = "inventory.out_of_stock"
	EventInventoryBackInStock = "inventory.back_in_stock"
)

// Event is a fact that happened.
type Event struct {
	ID        string          `json:"id"`
	Type      string          `json:"type"`
	Subject   string          `json:"subject"` // what it is about: an order id, a SKU, a code
	OrderID   string          `json:"order_id,omitempty"`
	Actor     string          `json:"actor,omitempty"`
	Data      json.RawMessage `json:"data"`
	CreatedAt time.Time       `json:"created_at"`
	// RequestID is the X-Request-Id of the API request that caused the
	// event, when one did.
	RequestID string `json:"request_id,omitempty"`
}
