// Package fulfillment keeps the warehouse and store floor's work on
// fulfillments: moving one on (pick, pack, ship, deliver, pickup) or
// rejecting it, batches of moves in one transaction, a location's
// fulfillments and its pick list, and the expiry of store pickups left
// waiting at the counter. It implements those methods of oms.Fulfillment on
// the store's transactions: an order's fulfillments as part of the order
// (loaded, saved, split on shipping, taken from on a cancel), the stock a
// shipment takes and the re-sourcing a rejection starts stay in the store,
// which hands fulfillment what it needs of them (Store, Tx), so that a move
// made here is on the change feed and in the reports like any other.
package fulfillment

import (
	"context"
	"database/sql"
	"time"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/store/sqldb"
)

// Floor is the fulfillment work of a database.
type Floor struct{ store Store }

// New returns the fulfillment work kept in store's transactions.
func New(store Store) *Floor { return &Floor{store: store} }

// Store runs the transactions fulfillment works in: the store's, whose
// moves are on its change feed.
type Store interface {
	// Update runs fn in a read-write transaction (retried whole on a
	// transient conflict, so fn must be safe to run again).
	Update(ctx context.Context, fn func(Tx) error) error
	// View runs fn in a read-only transaction.
	View(ctx context.Context, fn func(Tx) error) error
	// Read runs the query, written with $n parameters, on the read pool
	// outside any transaction.
	Read(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	// Now is the store's clock.
	Now() time.Time
	// FulfillmentSettings returns the fulfillment settings.
	FulfillmentSettings(ctx context.Context) (oms.FulfillmentSettings, error)
}

// Tx is a transaction of the store as fulfillment uses it: the seam's
// statements, and the orders with their fulfillments the store keeps.
type Tx interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	Engine() sqldb.Engine

	// Fulfillments loads the fulfillments matching where (a condition on
	// f.*, the fulfillments, and o.*, their orders), at most limit of them
	// (0: all), by order and number.
	Fulfillments(ctx context.Context, where string, limit int, args ...any) ([]oms.Fulfillment, error)
	// OrderSeq is the sequence number of the order (by id or number):
	// ENOTFOUND for none.
	OrderSeq(ctx context.Context, ref string) (int64, error)
	// Location is the id of the location with the code: ENOTFOUND for none.
	Location(ctx context.Context, code string) (int64, error)
	// Move moves the fulfillment on, as Floor.MoveFulfillment describes,
	// and saves its order.
	Move(ctx context.Context, id string, m oms.FulfillmentMove, actor string) (oms.Fulfillment, error)
	// Reject rejects units of the fulfillment, as
	// Floor.RejectFulfillment describes, and returns its order.
	Reject(ctx context.Context, id string, lines []oms.FulfillmentLine, reason, actor string) (*oms.Order, error)
	// Savepoint runs fn inside a savepoint and undoes what it wrote if it
	// fails.
	Savepoint(ctx context.Context, fn func() error) error
	// ExpirePickup cancels what is left of the order of the fulfillment
	// waiting for pickup (by its keys) if it is still ready for pickup
	// since before cutoff, and says whether it did.
	ExpirePickup(ctx context.Context, seq int64, n int, cutoff time.Time, actor string) (bool, error)
}
