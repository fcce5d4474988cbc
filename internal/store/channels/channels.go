// Package channels keeps the sales channels: their settings (currency,
// backorder policy, split threshold, share and buffer of the stock they
// may sell, webhook secret, low-stock level); each channel's SKU mappings,
// a listing SKU it sells mapped to the oms items, and quantities, it stands
// for; what each channel may sell of the stock, read a page at a time or
// published as events when it changes; and the orders channels send in
// their own formats, taken once per channel order id (IngestOrder;
// IngestDelivery remembers webhook delivery ids), a new one placed through
// the store's order placement and a later version applied by the store's
// orders (Hooks). It implements those parts of oms.Channels and
// oms.Inventory on the engine seam (sqldb), and hands the store's order
// writers a channel and its mappings in their transaction (ByCode, List,
// Mappings).
package channels

import (
	"context"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/store/sqldb"
)

// Registry is the channels of a database and their SKU mappings.
type Registry struct {
	db    *sqldb.DB
	hooks Hooks
}

// Hooks are what the channels need of the rest of the store.
type Hooks struct {
	// Forget drops the channel from the store's cache of channels after
	// this process changed it.
	Forget func(code string)
	// ItemID returns the id of the item with the SKU, read in tx, or
	// ENOTFOUND.
	ItemID func(ctx context.Context, tx *sqldb.Tx, sku string) (int64, error)
	// Order returns the channel's order with the external id, or
	// ENOTFOUND.
	Order func(ctx context.Context, channel, externalID string) (*oms.Order, error)
	// Place places a new order the channel sent, d its draft (Draft),
	// through the store's order placement, and reports whether it created
	// it: false when another delivery of the same order won the race, o
	// being that order.
	Place func(ctx context.Context, d *oms.OrderDraft, in *oms.Ingested, raw []byte, actor string) (o *oms.Order, created bool, err error)
	// Apply applies a delivery of an order the store already has: only a
	// newer version writes anything (see IngestOrder).
	Apply func(ctx context.Context, o *oms.Order, in *oms.Ingested, raw []byte, actor string) (oms.IngestResult, error)
}

// New returns the channels of db.
func New(db *sqldb.DB, h Hooks) *Registry { return &Registry{db: db, hooks: h} }
