package oms

import (
	"strconv"
	"time"
)

// Ingested is an order as a channel adapter read it from the channel's own
// payload: the draft to place, and what the channel said about it that the
// draft cannot carry. Adapters fill it from raw bytes and nothing else; the
// store decides what to do with it.
type Ingested struct {
	// Draft is the order to place. Draft.Channel is left empty (the caller
	// knows the channel); Draft.ExternalID is the channel's order id exactly
	// as sent (as a string, never through a float); line SKUs are the
	// channel's listing SKUs, mapped to oms SKUs by the store.
	Draft OrderDraft
	// UpdatedAt is the channel's last-modified time of the order, in UTC;
	// later versions replace earlier ones, older ones are ignored.
	UpdatedAt time.Time
	// RawTimes keeps each timestamp as the channel wrote it, by field name
	// ("created_at", "updated_at" …), since normalising to UTC loses the
	// original offset.
	RawTimes map[string]string
	// Status is the channel's own order status, as sent.
	Status string
	// Cancelled says the channel cancelled the order.
	Cancelled bool
	// FulfilledByChannel says the marketplace ships the order from its own
	// stock (Amazon FBA/AFN): it is recorded, but reserves no oms stock.
	FulfilledByChannel bool
	// Shipped says the channel reports every unit already shipped by the
	// merchant, outside oms (an order oms first sees fulfilled): it is
	// recorded as shipped, reserving no stock and moving none.
	Shipped bool
	// AmountsUnknown says the channel states no amounts for the order
	// (Amazon drops them once it cancels one): the draft's money is 0
	// because it is unknown, not because the order was free.
	AmountsUnknown bool
	// Stated are the totals the channel states, in minor units of the
	// draft's currency, to reconcile with the totals oms computes.
	Stated Totals
	// Notes are what the adapter had to decide or could not use, for a
	// person to read (a line without a SKU, an amount in another currency).
	Notes []string
}

// Reconcile compares the totals oms computes for the order with those the
// channel stated and returns a note for each that differs; none when they
// agree to the minor unit.
func (in *Ingested) Reconcile(computed Totals) []string {
	var out []string
	check := func(name string, ours, theirs int64) {
		if ours != theirs {
			out = append(out, name+" differs: oms computes "+itoa(ours)+", the channel states "+itoa(theirs))
		}
	}
	check("subtotal", computed.Subtotal, in.Stated.Subtotal)
	check("discount_total", computed.DiscountTotal, in.Stated.DiscountTotal)
	check("shipping_total", computed.ShippingTotal, in.Stated.ShippingTotal)
	check("tax_total", computed.TaxTotal, in.Stated.TaxTotal)
	check("duties_total", computed.DutiesTotal, in.Stated.DutiesTotal)
	check("total", computed.Total, in.Stated.Total)
	return out
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
