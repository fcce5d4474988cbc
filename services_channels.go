package oms

import "time"

// ChannelStock is what a channel may sell of one of its SKUs: an oms SKU, or
// a listing SKU the channel maps to oms SKUs (a bundle offers as many as its
// scarcest component allows).
type ChannelStock struct {
	SKU       string `json:"sku"`
	Available int64  `json:"available"`
	// Listing says SKU is the channel's listing SKU, mapped to Components.
	Listing    bool           `json:"listing,omitempty"`
	Components []SKUComponent `json:"components,omitempty"`
}

// AvailabilityPage is a page of a channel's availability feed, by SKU.
type AvailabilityPage struct {
	Channel      string         `json:"channel"`
	SharePercent int            `json:"share_percent"`
	Buffer       int64          `json:"buffer"`
	Items        []ChannelStock `json:"items"`
	NextCursor   *string        `json:"next_cursor"`
}

// IngestResult is what became of an order a channel sent.
type IngestResult struct {
	Order   *Order
	Outcome string
}

// Payload is one payload a channel sent for an order, as received.
type Payload struct {
	N                int        `json:"n"`
	ReceivedAt       time.Time  `json:"received_at"`
	ChannelUpdatedAt *time.Time `json:"channel_updated_at,omitempty"`
	// Applied says the payload changed the order: the first, or a newer
	// version; a stale one is kept but not applied.
	Applied bool   `json:"applied"`
	Body    string `json:"body"`
}

// SKUMapping maps a channel's listing SKU to oms items: one, or several for a
// bundle, each with the quantity one listing unit holds.
type SKUMapping struct {
	Channel    string         `json:"channel"`
	ListingSKU string         `json:"listing_sku"`
	Components []SKUComponent `json:"components"`
}

// SKUComponent is one item of a mapping.
type SKUComponent struct {
	SKU      string `json:"sku"`
	Quantity int64  `json:"quantity"`
}

// Ingest outcomes.
const (
	IngestCreated   = "created"   // a new order
	IngestDuplicate = "duplicate" // the same version again: nothing changed
	IngestUpdated   = "updated"   // a newer version: the channel's changes applied
	IngestStale     = "stale"     // an older version than the one applied: ignored, noted
)
