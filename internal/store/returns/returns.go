// Package returns keeps returns (RMA) and refunds: returns asked for by
// staff or by the customer through a signed return link, approved (an
// exchange places its replacement order then), received into stock or
// scrap, and closed with their refund; manual refunds and goodwill
// credits; the return settings; and what the timeline says of return,
// refund and exchange events. It implements oms.Returns on the store's
// transactions: the orders, stock and placement stay in the store, which
// hands returns what they need of them (Store, Tx), so that a return's
// change to an order or to stock is on the change feed like any other.
package returns

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strconv"
	"time"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/store/sqldb"
)

// Counter is the returns and refunds of a database.
type Counter struct{ store Store }

// New returns the returns and refunds kept in store's transactions.
func New(store Store) *Counter { return &Counter{store: store} }

// Store runs the transactions returns work in: the store's, whose changes
// to orders and stock are on its change feed.
type Store interface {
	// Update runs fn in a read-write transaction (retried whole on a
	// transient conflict, so fn must be safe to run again).
	Update(ctx context.Context, fn func(Tx) error) error
	// View runs fn in a read-only transaction.
	View(ctx context.Context, fn func(Tx) error) error
	// OrderScope is the condition that limits orders (alias o) to those p
	// may see, "" for all; arg adds a parameter.
	OrderScope(p oms.Principal, o string, arg func(any) string) string
}

// Tx is a transaction of the store as returns use it: the seam's
// statements, clock and events, and the orders and stock the store keeps.
type Tx interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	Each(ctx context.Context, q string, args []any, fn func(*sql.Rows) error) error
	Setting(ctx context.Context, key string, v any) error
	Now() time.Time
	Engine() sqldb.Engine
	// AddEvent records an event in the transaction (sqldb.Tx.AddEvent).
	AddEvent(ctx context.Context, typ, subject, orderID, actor string, data any) error

	// Order loads the order (by id or number) with its lines and
	// allocations, locking it to change it when lock: ENOTFOUND for an
	// unknown one.
	Order(ctx context.Context, ref string, lock bool) (*oms.Order, Keys, error)
	// OrderHead loads the order's own row, without lines, locking it to
	// change it when lock.
	OrderHead(ctx context.Context, ref string, lock bool) (*oms.Order, int64, error)
	// SaveLineQuantities writes the quantities of the order's lines.
	SaveLineQuantities(ctx context.Context, o *oms.Order, seq int64) error
	// ItemExists returns ENOTFOUND when no item has the SKU.
	ItemExists(ctx context.Context, sku string) error
	// Location is the id of the location with the code: ENOTFOUND for none.
	Location(ctx context.Context, code string) (int64, error)
	// Restock puts qty units of the item on hand at the location through
	// a ledger movement of kind return, and returns the movement's id.
	Restock(ctx context.Context, r Restock) (int64, error)
	// AllocateWaiting gives the item's stock to the orders waiting for it,
	// oldest first, as with any receipt.
	AllocateWaiting(ctx context.Context, item int64, actor string) error
	// PlaceExchange places the order in the transaction through the
	// normal placement path, alone, and returns it with its sequence
	// number; ErrOrderExists when its channel has its external id already.
	PlaceExchange(ctx context.Context, d *oms.OrderDraft, actor string) (*oms.Order, int64, error)
}

// Keys are an order's internal keys.
type Keys struct {
	Seq   int64
	Items map[string]int64 // line id → item id
}

// Restock is units of a return put back on hand.
type Restock struct {
	Item, Location    int64
	SKU, LocationCode string
	Quantity          int64
	Reference         string // "return ret_12"
	OrderID, Actor    string
}

// Querier runs queries: a transaction, or a pool outside any.
type Querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// ErrOrderExists is PlaceExchange's error for an order that exists
// already.
var ErrOrderExists = errors.New("the order exists already")

// lineID is the public id of the line at position (from 0) of order seq,
// as the store numbers lines: "1001-1" is the first line of order 1001.
func lineID(seq int64, position int) string {
	return strconv.FormatInt(seq, 10) + "-" + strconv.Itoa(position+1)
}

// linePosition returns the index of the line in the order, or -1.
func linePosition(o *oms.Order, id string) int {
	return slices.IndexFunc(o.Lines, func(l oms.Line) bool { return l.ID == id })
}
