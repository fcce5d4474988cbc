package oms

import (
	"reflect"
	"slices"
	"time"
)

// Event payloads: the data of an event of each type, as the store writes it
// and as an integrator reads it (GET /v1/events, and the outbound webhooks'
// {type, timestamp, data}). Fields are declared in the order of their JSON
// names, so that a payload encodes byte for byte as the map the store wrote
// before it had a type.

// OrderCreated is the data of order.created: an order was placed or
// ingested.
type OrderCreated struct {
	// AmountsUnknown is true when the channel sent no amounts; total is
	// then null.
	AmountsUnknown bool   `json:"amounts_unknown,omitempty"`
	Channel        string `json:"channel"`
	Currency       string `json:"currency"`
	ExternalID     string `json:"external_id"`
	// Lines is the number of lines.
	Lines int `json:"lines"`
	// Mismatches and Notes are present for an order ingested from a
	// channel: where its amounts disagree with oms's, and what the
	// adapter decided or could not use.
	Mismatches *[]string `json:"mismatches,omitempty"`
	Notes      *[]string `json:"notes,omitempty"`
	Number     string    `json:"number"`
	Sourcing   Sourcing  `json:"sourcing"`
	Status     Status    `json:"status"`
	Total      *int64    `json:"total"`
}

// OrderCancelled is the data of order.cancelled (every unit cancelled) and
// of order.lines_cancelled (some units).
type OrderCancelled struct {
	// Fulfillment and ReadySince name the pickup that expired, when
	// that is why the order was cancelled.
	Fulfillment string     `json:"fulfillment,omitempty"`
	Lines       []Line     `json:"lines"`
	Number      string     `json:"number"`
	ReadySince  *time.Time `json:"ready_since,omitempty"`
	Reason      string     `json:"reason,omitempty"`
	// Released is the stock the cancellation gave back.
	Released []ReleasedStock `json:"released"`
	Status   Status          `json:"status"`
}

// ReleasedStock is a reservation a cancellation gave back: a Release, with
// the field names it has always had in events.
type ReleasedStock struct {
	LineID   string `json:"LineID"`
	SKU      string `json:"SKU"`
	Location string `json:"Location"`
	Quantity int64  `json:"Quantity"`
}

// ReleasedStockOf returns the releases as an event carries them, nil for
// none.
func ReleasedStockOf(rs []Release) []ReleasedStock {
	if rs == nil {
		return nil
	}
	out := make([]ReleasedStock, len(rs))
	for i, r := range rs {
		out[i] = ReleasedStock(r)
	}
	return out
}

// OrderLinesCancelled is the data of order.lines_cancelled.
type OrderLinesCancelled OrderCancelled

// OrderSourced is the data of order.sourced: open units were sourced
// again, after a rejection or when stock arrived.
type OrderSourced struct {
	Number   string   `json:"number"`
	Reason   string   `json:"reason"`
	Sourcing Sourcing `json:"sourcing"`
}

// OrderHeld is the data of order.held.
type OrderHeld struct {
	Hold   Hold   `json:"hold"`
	Number string `json:"number"`
}

// OrderReleased is the data of order.released: holds were released.
type OrderReleased struct {
	// HoldsLeft is how many holds are still in force.
	HoldsLeft int      `json:"holds_left"`
	Number    string   `json:"number"`
	Type      HoldType `json:"type"`
}

// OrderEdited is the data of order.edited.
type OrderEdited struct {
	// Changes say in words what the edit did.
	Changes    []string `json:"changes"`
	Currency   string   `json:"currency"`
	Difference int64    `json:"difference"`
	Edit       string   `json:"edit"`
	Number     string   `json:"number"`
	Status     Status   `json:"status"`
	TotalAfter int64    `json:"total_after"`
	// TotalBefore is the order's total before the edit.
	TotalBefore int64 `json:"total_before"`
	Version     int64 `json:"version"`
}

// FulfillmentMoved is the data of the fulfillment.<status> events: a
// fulfillment moved to the status.
type FulfillmentMoved struct {
	Carrier        string            `json:"carrier"`
	Fulfillment    string            `json:"fulfillment"`
	Lines          []FulfillmentLine `json:"lines"`
	Location       string            `json:"location"`
	Order          string            `json:"order"`
	OrderStatus    Status            `json:"order_status"`
	Status         FulfillmentStatus `json:"status"`
	TrackingNumber string            `json:"tracking_number"`
}

// One type per fulfillment.<status> event, all of FulfillmentMoved's shape.
type (
	FulfillmentPickingEvent        FulfillmentMoved
	FulfillmentPackedEvent         FulfillmentMoved
	FulfillmentShippedEvent        FulfillmentMoved
	FulfillmentDeliveredEvent      FulfillmentMoved
	FulfillmentReadyForPickupEvent FulfillmentMoved
	FulfillmentPickedUpEvent       FulfillmentMoved
	FulfillmentCancelledEvent      FulfillmentMoved
)

// FulfillmentRejectedEvent is the data of fulfillment.rejected: a location
// could not find units.
type FulfillmentRejectedEvent struct {
	Fulfillment string `json:"fulfillment"`
	// Lines are the units the location gave back.
	Lines    []FulfillmentLine `json:"lines"`
	Location string            `json:"location"`
	Order    string            `json:"order"`
	Reason   string            `json:"reason"`
}

// InventoryAdjusted is the data of inventory.adjusted: the ledger entry of
// a hand-made movement.
type InventoryAdjusted LedgerEntry

// ReturnLinkCreated is the data of return_link.created: a link to the
// return portal was made. The link's token is a credential; the event
// says only when the link expires.
type ReturnLinkCreated struct {
	ExpiresAt time.Time `json:"expires_at"`
}

// ExchangeCreated is the data of exchange.created: an exchange's
// replacement order was placed.
type ExchangeCreated struct {
	Currency      string `json:"currency"`
	ExchangeOrder string `json:"exchange_order"`
	ExchangeTotal int64  `json:"exchange_total"`
	OriginalOrder string `json:"original_order"`
	// PriceDifference is the replacement total less the refund value, or
	// null when it is not known yet.
	PriceDifference *int64 `json:"price_difference"`
	Return          string `json:"return"`
}

// OrderBaseRecorded is the data of order.base_totals_recorded: the
// order's totals in the base currency, once its day's rate was known.
type OrderBaseRecorded struct {
	Base BaseTotals `json:"base"`
	// Number is the order's internal sequence number, as text.
	Number string `json:"number"`
}

// AvailabilityChanged is the data of inventory.availability_changed: what
// a channel may sell of a SKU changed.
type AvailabilityChanged struct {
	Available int64  `json:"available"`
	Channel   string `json:"channel"`
	// Listing is true when the SKU is a channel's listing SKU (a bundle).
	Listing  bool   `json:"listing,omitempty"`
	Previous int64  `json:"previous"`
	SKU      string `json:"sku"`
}

// OrderMoved is the data of the order-level status events (order.allocated,
// order.backordered, order.shipped, order.delivered, order.picked_up): the
// order's status moved from previous to status.
type OrderMoved struct {
	// Backordered is how many units wait for stock.
	Backordered int64 `json:"backordered"`
	// Lines are the order's lines as they are now.
	Lines    []Line `json:"lines"`
	Number   string `json:"number"`
	Previous Status `json:"previous"`
	Status   Status `json:"status"`
}

// One type per order-level status event, all of OrderMoved's shape.
type (
	OrderAllocatedEvent   OrderMoved
	OrderBackorderedEvent OrderMoved
	OrderShippedEvent     OrderMoved
	OrderDeliveredEvent   OrderMoved
	OrderPickedUpEvent    OrderMoved
)

// Event returns the order-level event of the order's status moving from
// m.Previous to m.Status, and m as its payload type; ok is false when the
// move has no such event. pickup says the change that moved it handed
// units over at a store counter.
func (m OrderMoved) Event(pickup bool) (typ string, data any, ok bool) {
	if m.Previous == m.Status {
		return "", nil, false
	}
	switch m.Status {
	case StatusAllocated:
		// From on_hold it is order.released; from ready_for_pickup or
		// partially_shipped no more units were reserved.
		if m.Previous == StatusPending || m.Previous == StatusBackordered {
			return EventOrderAllocated, OrderAllocatedEvent(m), true
		}
	case StatusBackordered:
		if m.Previous != StatusOnHold {
			return EventOrderBackordered, OrderBackorderedEvent(m), true
		}
	case StatusShipped:
		return EventOrderShipped, OrderShippedEvent(m), true
	case StatusDelivered:
		if pickup {
			return EventOrderPickedUp, OrderPickedUpEvent(m), true
		}
		return EventOrderDelivered, OrderDeliveredEvent(m), true
	}
	return "", nil, false
}

// StockThreshold is the data of inventory.low_stock, inventory.out_of_stock
// and inventory.back_in_stock: what a channel may sell of a SKU crossed one
// of the channel's thresholds.
type StockThreshold struct {
	Available int64  `json:"available"`
	Channel   string `json:"channel"`
	// Listing is true when the SKU is a channel's listing SKU (a bundle).
	Listing bool `json:"listing,omitempty"`
	// LowStock is the channel's low-stock threshold.
	LowStock int64  `json:"low_stock"`
	Previous int64  `json:"previous"`
	SKU      string `json:"sku"`
}

// One type per threshold event, all of StockThreshold's shape.
type (
	InventoryLowStockEvent    StockThreshold
	InventoryOutOfStockEvent  StockThreshold
	InventoryBackInStockEvent StockThreshold
)

// Events returns the threshold events of what a channel may sell moving
// from s.Previous to s.Available: out_of_stock on reaching zero,
// back_in_stock on rising above it, low_stock on falling to s.LowStock or
// below (but not to zero).
func (s StockThreshold) Events() (types []string, data []any) {
	prev, now := s.Previous, s.Available
	switch {
	case prev > 0 && now <= 0:
		types, data = append(types, EventInventoryOutOfStock), append(data, InventoryOutOfStockEvent(s))
	case prev <= 0 && now > 0:
		types, data = append(types, EventInventoryBackInStock), append(data, InventoryBackInStockEvent(s))
	}
	if now > 0 && now <= s.LowStock && prev > s.LowStock {
		types, data = append(types, EventInventoryLowStock), append(data, InventoryLowStockEvent(s))
	}
	return types, data
}

// SupplyReceived is the data of supply.received: units of a supply lot
// arrived, with their ledger entry.
type SupplyReceived struct {
	Ledger LedgerEntry `json:"ledger"`
	Supply *Supply     `json:"supply"`
}

// TransferShipped is the data of transfer.shipped: stock left a location
// for another, where it is expected as a supply lot.
type TransferShipped struct {
	From   string  `json:"from"`
	Supply *Supply `json:"supply"`
}

// TaxRuleDeleted is the data of tax_rule.deleted.
type TaxRuleDeleted struct {
	Key string `json:"key"`
}

// CaseOpened is the data of case.opened.
type CaseOpened struct {
	Case     string     `json:"case"`
	Customer string     `json:"customer"`
	Status   CaseStatus `json:"status"`
	Subject  string     `json:"subject"`
}

// ReturnRequestedEvent is the data of return.requested.
type ReturnRequestedEvent struct {
	Currency    string       `json:"currency"`
	Lines       []ReturnLine `json:"lines"`
	OrderNumber string       `json:"order_number"`
	// Refund is what the returned units are worth, as quoted.
	Refund RefundQuote  `json:"refund"`
	Return string       `json:"return"`
	Source string       `json:"source"`
	Status ReturnStatus `json:"status"`
	// Units is how many units the return sends back.
	Units int64 `json:"units"`
}

// ReturnMoved is the data of the return.<status> events after the
// request: the return moved to the status.
type ReturnMoved struct {
	Currency string `json:"currency"`
	// ExchangeOrder is the order the replacement lines became, or "".
	ExchangeOrder string       `json:"exchange_order"`
	Lines         []ReturnLine `json:"lines"`
	OrderNumber   string       `json:"order_number"`
	Refund        RefundQuote  `json:"refund"`
	// RefundID is the refund issued when the return closed, or "".
	RefundID string       `json:"refund_id"`
	Return   string       `json:"return"`
	Source   string       `json:"source"`
	Status   ReturnStatus `json:"status"`
	Units    int64        `json:"units"`
	// UnitsReceived is what was received, in what condition and where it
	// went.
	UnitsReceived []ReturnUnit `json:"units_received"`
}

// One type per return.<status> event after the request, all of
// ReturnMoved's shape.
type (
	ReturnApprovedEvent ReturnMoved
	ReturnRejectedEvent ReturnMoved
	ReturnReceivedEvent ReturnMoved
	ReturnClosedEvent   ReturnMoved
)

// Event returns the type of the event of a return moving to m.Status,
// and m as that event's payload type.
func (m ReturnMoved) Event() (string, any) {
	typ := "return." + string(m.Status)
	switch m.Status {
	case ReturnApproved:
		return typ, ReturnApprovedEvent(m)
	case ReturnRejected:
		return typ, ReturnRejectedEvent(m)
	case ReturnReceived:
		return typ, ReturnReceivedEvent(m)
	case ReturnClosed:
		return typ, ReturnClosedEvent(m)
	}
	return typ, m
}

// EventPayload is an event type with the Go type of its data.
type EventPayload struct {
	Type string
	// Data is a zero value of the data's type.
	Data any
}

// eventPayloads are the event types with a typed payload.
var eventPayloads = []EventPayload{
	{EventOrderCreated, OrderCreated{}},
	{EventOrderCancelled, OrderCancelled{}},
	{EventOrderLineCancelled, OrderLinesCancelled{}},
	{EventOrderSourced, OrderSourced{}},
	{EventOrderHeld, OrderHeld{}},
	{EventOrderReleased, OrderReleased{}},
	{EventOrderEdited, OrderEdited{}},
	{"fulfillment." + string(FulfillmentPicking), FulfillmentPickingEvent{}},
	{"fulfillment." + string(FulfillmentPacked), FulfillmentPackedEvent{}},
	{"fulfillment." + string(FulfillmentShipped), FulfillmentShippedEvent{}},
	{"fulfillment." + string(FulfillmentDelivered), FulfillmentDeliveredEvent{}},
	{"fulfillment." + string(FulfillmentReadyForPickup), FulfillmentReadyForPickupEvent{}},
	{"fulfillment." + string(FulfillmentPickedUp), FulfillmentPickedUpEvent{}},
	{"fulfillment." + string(FulfillmentCancelled), FulfillmentCancelledEvent{}},
	{EventFulfillmentRejected, FulfillmentRejectedEvent{}},
	{EventInventoryAdjusted, InventoryAdjusted{}},
	{EventSafetyStockSet, SafetyStockSet{}},
	{EventReturnLinkCreated, ReturnLinkCreated{}},
	{EventExchangeCreated, ExchangeCreated{}},
	{EventOrderBaseRecorded, OrderBaseRecorded{}},
	{EventAvailabilityChanged, AvailabilityChanged{}},
	{EventSupplyReceived, SupplyReceived{}},
	{EventOrderAllocated, OrderAllocatedEvent{}},
	{EventOrderBackordered, OrderBackorderedEvent{}},
	{EventOrderShipped, OrderShippedEvent{}},
	{EventOrderDelivered, OrderDeliveredEvent{}},
	{EventOrderPickedUp, OrderPickedUpEvent{}},
	{EventInventoryLowStock, InventoryLowStockEvent{}},
	{EventInventoryOutOfStock, InventoryOutOfStockEvent{}},
	{EventInventoryBackInStock, InventoryBackInStockEvent{}},
	{EventTransferShipped, TransferShipped{}},
	{EventTaxRuleDeleted, TaxRuleDeleted{}},
	{EventCaseOpened, CaseOpened{}},
	{EventReturnRequested, ReturnRequestedEvent{}},
	{EventReturnApproved, ReturnApprovedEvent{}},
	{EventReturnRejected, ReturnRejectedEvent{}},
	{EventReturnReceived, ReturnReceivedEvent{}},
	{EventReturnClosed, ReturnClosedEvent{}},
	// The saved or created thing itself.
	{EventChannelSaved, Channel{}},
	{EventLocationSaved, Location{}},
	{EventItemSaved, Item{}},
	{EventSupplyCreated, Supply{}},
	{EventRefundCreated, Refund{}},
	{EventWebhookEndpointCreated, WebhookEndpoint{}},
	{EventWebhookEndpointUpdated, WebhookEndpoint{}},
	{EventWebhookEndpointRotated, WebhookEndpoint{}},
	{EventWebhookEndpointDeleted, WebhookEndpointDeleted{}},
	{EventWebhookEndpointDisabled, WebhookEndpointDisabled{}},
	{EventUserCreated, User{}},
	{EventUserDisabled, User{}},
}

// EventPayloads returns the event types that have a typed payload, in a
// fixed order.
func EventPayloads() []EventPayload { return slices.Clone(eventPayloads) }

// PayloadType returns the Go type of the data of events of type typ, or
// false when the type has none. Data may be of the type or point to it.
func PayloadType(typ string) (reflect.Type, bool) {
	for _, p := range eventPayloads {
		if p.Type == typ {
			return reflect.TypeOf(p.Data), true
		}
	}
	return nil, false
}

// Event returns the type of the event of a fulfillment moving to m.Status,
// and m as that event's payload type.
func (m FulfillmentMoved) Event() (string, any) {
	typ := "fulfillment." + string(m.Status)
	switch m.Status {
	case FulfillmentPicking:
		return typ, FulfillmentPickingEvent(m)
	case FulfillmentPacked:
		return typ, FulfillmentPackedEvent(m)
	case FulfillmentShipped:
		return typ, FulfillmentShippedEvent(m)
	case FulfillmentDelivered:
		return typ, FulfillmentDeliveredEvent(m)
	case FulfillmentReadyForPickup:
		return typ, FulfillmentReadyForPickupEvent(m)
	case FulfillmentPickedUp:
		return typ, FulfillmentPickedUpEvent(m)
	case FulfillmentCancelled:
		return typ, FulfillmentCancelledEvent(m)
	}
	return typ, m
}
