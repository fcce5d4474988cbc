package store

import "github.com/omshq/oms/internal/store/orders"

// A FeedReader reads the change feed inside the writing transactions
// (orders.FeedReader), and is told of the store as it opens.
type FeedReader interface {
	orders.FeedReader
	// Start is told of the store as it opens, before it migrates.
	Start(db *DB)
}

// nopFeed reads nothing: the store without reports.
type nopFeed struct{ orders.NopFeed }

func (nopFeed) Start(*DB) {}

// What the change feed carries (orders).
type (
	StockMove   = orders.StockMove
	PlacedOrder = orders.PlacedOrder
	LineCost    = orders.LineCost
	Placement   = orders.Placement
)
