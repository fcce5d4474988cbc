package oms

import (
	"slices"
	"time"
)

// Status is an order's state, derived from its lines and fulfillments; it
// is never set by hand.
type Status string

// The order statuses.
const (
	StatusPending          Status = "pending"           // accepted, not yet allocated
	StatusBackordered      Status = "backordered"       // some quantity waits for stock
	StatusAllocated        Status = "allocated"         // every open unit is reserved at a location
	StatusOnHold           Status = "on_hold"           // stopped for review; its stock stays reserved
	StatusReadyForPickup   Status = "ready_for_pickup"  // every unit waits at the store counter
	StatusPartiallyShipped Status = "partially_shipped" // some units shipped, some not yet
	StatusShipped          Status = "shipped"           // every unit not cancelled has shipped
	StatusDelivered        Status = "delivered"         // every unit shipped was delivered or picked up
	StatusCancelled        Status = "cancelled"         // every unit was cancelled
)

// Statuses lists every status, for validating filters.
var Statuses = []Status{StatusPending, StatusBackordered, StatusAllocated, StatusOnHold, StatusReadyForPickup,
	StatusPartiallyShipped, StatusShipped, StatusDelivered, StatusCancelled}

// Customer is who placed an order, as the order recorded them.
type Customer struct {
	Email string `json:"email,omitempty"`
	Name  string `json:"name,omitempty"`
	Phone string `json:"phone,omitempty"`
}

// Line is one SKU on an order. Its quantity is always split into open
// (waiting for stock), allocated (reserved at a location), shipped and
// cancelled units.
type Line struct {
	ID        string `json:"id"`
	SKU       string `json:"sku"`
	Quantity  int64  `json:"quantity"`
	UnitPrice int64  `json:"unit_price"`
	// Subtotal is the line before discount: quantity × unit price, or the
	// channel's own line amount when it does not divide into whole units.
	Subtotal  int64 `json:"subtotal"`
	Discount  int64 `json:"discount"` // for the whole line, in minor units
	Tax       int64 `json:"tax"`      // for the whole line, in minor units
	Allocated int64 `json:"allocated"`
	Open      int64 `json:"open"`
	Shipped   int64 `json:"shipped"`
	Cancelled int64 `json:"cancelled"`
	Returned  int64 `json:"returned"`
	// PromisedDate is when the open units can be expected, from the supply
	// due and the orders waiting ahead; absent when nothing waits or no
	// known supply covers it.
	PromisedDate *time.Time `json:"promised_date,omitempty"`
}

// Balanced reports whether the line's quantities add up: ordered = open +
// allocated + shipped + cancelled, none negative, and returned ≤ shipped.
func (l *Line) Balanced() bool {
	return l.Open >= 0 && l.Allocated >= 0 && l.Shipped >= 0 && l.Cancelled >= 0 && l.Returned >= 0 &&
		l.Quantity == l.Open+l.Allocated+l.Shipped+l.Cancelled && l.Returned <= l.Shipped
}

// Allocation is part of a line reserved at one location.
type Allocation struct {
	LineID   string `json:"line_id"`
	Location string `json:"location"`
	Quantity int64  `json:"quantity"`
}

// Order is a customer's order from one channel.
type Order struct {
	ID         string   `json:"id"`
	Number     string   `json:"number"`
	Channel    string   `json:"channel"`
	ExternalID string   `json:"external_id"`
	Status     Status   `json:"status"`
	Currency   string   `json:"currency"`
	Customer   Customer `json:"customer"`
	ShipTo     *Address `json:"ship_to,omitempty"`
	// PickupLocation is the location the customer collects the order from,
	// for store pickup; empty for an order to ship.
	PickupLocation string   `json:"pickup_location,omitempty"`
	Billing        *Address `json:"billing,omitempty"`
	Incoterm       string   `json:"incoterm,omitempty"` // DDP or DAP, for cross-border shipments
	// Holds are the holds in force; the timeline keeps the released ones.
	Holds []Hold `json:"holds"`
	// For an order a channel sent: the total it stated, where oms's totals
	// differ from the channel's (flagged, never absorbed), and whether the
	// marketplace fulfils it from its own stock.
	ChannelTotal       *int64       `json:"channel_total,omitempty"`
	Mismatches         []string     `json:"mismatches,omitempty"`
	FulfilledByChannel bool         `json:"fulfilled_by_channel,omitempty"`
	Lines              []Line       `json:"lines"`
	Allocations        []Allocation `json:"allocations"`
	TaxesIncluded      bool         `json:"taxes_included"`
	Totals
	// Base is the totals in the business's base currency at the rate of
	// the order's date; absent when no base currency was set when the order
	// was placed, or no rate for its date is known yet.
	Base *BaseTotals `json:"base,omitempty"`
	// ComputedTax says how oms computed the tax of an order that arrived
	// without any; absent when the channel gave the tax.
	ComputedTax *TaxComputation `json:"computed_tax,omitempty"`
	// Links are the orders an exchange ties to this one.
	Links []OrderLink `json:"links,omitempty"`
	// AmountsUnknown says the channel sent the order already cancelled and
	// without its amounts: every amount of the order and its lines is
	// unknown, stored as 0 and written as null (see MarshalJSON).
	AmountsUnknown bool `json:"amounts_unknown,omitempty"`

	PlacedAt  time.Time `json:"placed_at"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
	Version   int64     `json:"version"`
}

// DeriveStatus computes an order's status from its lines, the state of its
// fulfillments, and whether it is held.
func DeriveStatus(lines []Line, fulfillments []FulfillmentState, held bool) Status {
	var qty, open, allocated, shipped, cancelled int64
	for _, l := range lines {
		qty += l.Quantity
		open += l.Open
		allocated += l.Allocated
		shipped += l.Shipped
		cancelled += l.Cancelled
	}
	live := qty - cancelled
	atCounter := open == 0 && waitingAtCounter(fulfillments)
	switch {
	case len(lines) == 0:
		return StatusPending
	case live == 0:
		// Lines without units are cancelled too: a marketplace zeroes the
		// lines of an order it cancels, and an edit never leaves an order
		// without units.
		return StatusCancelled
	case shipped == live && allArrived(fulfillments):
		return StatusDelivered
	case shipped == live && !atCounter:
		return StatusShipped
	case held:
		return StatusOnHold
	case atCounter:
		return StatusReadyForPickup
	case shipped > 0:
		return StatusPartiallyShipped
	case open > 0:
		return StatusBackordered
	case allocated == live:
		return StatusAllocated
	}
	return StatusPending
}

// allArrived reports whether some fulfillment's units left stock and every
// such one was delivered or picked up.
func allArrived(fs []FulfillmentState) bool {
	n := 0
	for _, f := range fs {
		if f.Shipped {
			if f.Status != FulfillmentDelivered && f.Status != FulfillmentPickedUp {
				return false
			}
			n++
		}
	}
	return n > 0
}

// waitingAtCounter reports whether everything not yet finished waits at a
// store counter: every fulfillment not delivered, picked up or cancelled is
// ready for pickup, and there is at least one.
func waitingAtCounter(fs []FulfillmentState) bool {
	n := 0
	for _, f := range fs {
		switch f.Status {
		case FulfillmentDelivered, FulfillmentPickedUp, FulfillmentCancelled:
		case FulfillmentReadyForPickup:
			n++
		default:
			return false
		}
	}
	return n > 0
}

// Refresh recomputes the derived fields of o — the status — from its lines,
// its holds and the given state of its fulfillments.
func (o *Order) Refresh(fulfillments ...FulfillmentState) {
	o.Status = DeriveStatus(o.Lines, fulfillments, o.Held())
}

// Held reports whether an active hold stops the order.
func (o *Order) Held() bool {
	return slices.ContainsFunc(o.Holds, Hold.Active)
}

// Line returns the line with the id, or nil.
func (o *Order) Line(id string) *Line {
	for i := range o.Lines {
		if o.Lines[i].ID == id {
			return &o.Lines[i]
		}
	}
	return nil
}
