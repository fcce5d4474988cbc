package oms

// FulfillmentMove asks for a fulfillment to change status.
type FulfillmentMove struct {
	To       FulfillmentStatus
	Tracking Tracking          // when shipping
	Lines    []FulfillmentLine // when shipping part of it: line ids and quantities
	Reason   string            // when cancelling: why ("" for "cancelled")
}

// PickItem is one SKU of a location's pick list: how many units to pick, and
// for which fulfillments.
type PickItem struct {
	SKU          string            `json:"sku"`
	Quantity     int64             `json:"quantity"`
	Fulfillments []PickFulfillment `json:"fulfillments"`
}

// PickFulfillment is a fulfillment's share of a pick-list SKU.
type PickFulfillment struct {
	ID       string `json:"id"`
	Quantity int64  `json:"quantity"`
}

// BatchMove is one move of a batch: the fulfillment (by id) and where it goes.
type BatchMove struct {
	Fulfillment string
	FulfillmentMove
}

// MoveResult is what became of one move of a batch: the fulfillment as it
// is now, or the error that left it as it was.
type MoveResult struct {
	Fulfillment *Fulfillment
	Err         error
}

// Fulfillment settings, stored under the key "fulfillment".
type FulfillmentSettings struct {
	// PickupExpiryDays is how long a pickup may wait at the counter before it
	// is cancelled and its stock released.
	PickupExpiryDays int `json:"pickup_expiry_days"`
	// PickupTransfers lets a pickup order take what its store lacks from
	// other locations, which ship it to the store.
	PickupTransfers bool `json:"pickup_transfers"`
}

// MaxBatchMoves bounds the moves of one MoveFulfillments call: a batch holds
// the writer for as long as it runs.
const MaxBatchMoves = 500
