// Package inventory keeps the stock movements made by hand and the supply:
// adjustments (receipts, corrections, counts, damage), a SKU's balances and
// ledger, the stock list, transfers between locations, purchase orders and
// other inbound supply with their receiving, and available to promise. It
// implements those methods of oms.Inventory on the store's transactions:
// the ledger itself (the balance rules every movement keeps), the catalog
// and the allocation of waiting orders stay in the store, which hands
// inventory what it needs of them (Store, Tx), so that a movement made
// here is on the change feed like any other.
package inventory

import (
	"context"
	"database/sql"
	"time"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/store/sqldb"
)

// Stockroom is the hand-made stock movements and the supply of a database.
type Stockroom struct{ store Store }

// New returns the stock movements and supply kept in store's transactions.
func New(store Store) *Stockroom { return &Stockroom{store: store} }

// Store runs the transactions inventory works in: the store's, whose
// stock movements are on its change feed.
type Store interface {
	// Update runs fn in a read-write transaction (retried whole on a
	// transient conflict, so fn must be safe to run again).
	Update(ctx context.Context, fn func(Tx) error) error
	// View runs fn in a read-only transaction.
	View(ctx context.Context, fn func(Tx) error) error
	// LocationScope is the condition that limits the location id column
	// expr to p's locations, "" when p is bound to none; arg adds a
	// parameter.
	LocationScope(p oms.Principal, expr string, arg func(any) string) string
	// SKUPage is the condition on the text column col of a page of SKUs in
	// byte order, after the cursor and starting with prefix; its arguments
	// are appended to args.
	SKUPage(col, after, prefix string, args []any) (string, []any)
}

// Tx is a transaction of the store as inventory uses it: the seam's
// statements, clock and events, and the catalog, ledger and waiting orders
// the store keeps.
type Tx interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	Now() time.Time
	Engine() sqldb.Engine
	// AddEvent records an event in the transaction (sqldb.Tx.AddEvent).
	AddEvent(ctx context.Context, typ, subject, orderID, actor string, data any) error

	// Item is the id of the item with the SKU: ENOTFOUND for none.
	Item(ctx context.Context, sku string) (int64, error)
	// Location is the id of the location with the code: ENOTFOUND for none.
	Location(ctx context.Context, code string) (int64, error)
	// EnsureBalance creates the item's balance at the location, empty, if
	// it has none.
	EnsureBalance(ctx context.Context, item, location int64) error
	// LockBalance reads the item's balance at the location, locked to
	// change it.
	LockBalance(ctx context.Context, item, location int64) (onHand, reserved int64, err error)
	// Move applies the movement to the balance (which must exist) and
	// appends it to the ledger: ECONFLICT, and nothing changed, when it
	// would break the balance rules.
	Move(ctx context.Context, m Move) (oms.LedgerEntry, error)
	// AllocateWaiting gives the item's stock to the orders waiting for it,
	// oldest first.
	AllocateWaiting(ctx context.Context, item int64, actor string) error
}

// Move is one stock movement for Tx.Move to apply and record.
type Move struct {
	Item, Location    int64
	SKU, LocationCode string
	Kind              string
	Delta             int64 // change to on hand
	Reference, Actor  string
}

// MaxStockScan is how many SKUs one page of ListStock looks at, at most,
// when it filters by location or low stock: those filters are not ranges of
// an index, and a page must not read a whole large catalog to find a few.
const MaxStockScan = 10_000

// ItemAndLocation resolves a SKU and a location code, or returns EINVALID
// naming the unknown one.
func ItemAndLocation(ctx context.Context, tx Tx, sku, location string) (int64, int64, error) {
	itemID, err := tx.Item(ctx, sku)
	if oms.ErrorCode(err) == oms.ENOTFOUND {
		return 0, 0, oms.Invalid("sku", "no item has SKU %q", sku)
	} else if err != nil {
		return 0, 0, err
	}
	locID, err := tx.Location(ctx, location)
	if oms.ErrorCode(err) == oms.ENOTFOUND {
		return 0, 0, oms.Invalid("location", "no location has code %q", location)
	}
	return itemID, locID, err
}
