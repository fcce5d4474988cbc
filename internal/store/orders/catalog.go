package orders

import (
	"context"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/store/catalog"
)

// The items, locations and postal centroids live in internal/store/catalog
// (catalog.Catalog). Order placement, editing, promises and sourcing read
// them in their own transaction, most from the catalog's cache
// (catalog.Cache, DB.cache), through these.

// Item returns the item with the SKU and its id, or ENOTFOUND
// (catalog.LookupItem).
func (tx *Tx) Item(ctx context.Context, sku string) (*oms.Item, int64, error) {
	return catalog.LookupItem(ctx, tx.Tx, sku)
}

// ItemRefs looks up each distinct SKU; unknown SKUs are missing from the
// map (catalog.ItemRefs).
func (tx *Tx) ItemRefs(ctx context.Context, skus []string) (map[string]catalog.ItemRef, error) {
	return catalog.ItemRefs(ctx, tx.Tx, skus)
}

// DraftItems looks up each SKU of the draft, mostly from the cache, or
// returns EINVALID naming every line whose SKU is unknown
// (catalog.Cache.DraftItems).
func (tx *Tx) DraftItems(ctx context.Context, d *oms.OrderDraft) (map[string]catalog.ItemRef, error) {
	return tx.DB.Cache.DraftItems(ctx, tx.Tx, d)
}

// LoadItems reads into the cache, in one statement, those of the SKUs it
// does not hold fresh (catalog.Cache.LoadItems).
func (tx *Tx) LoadItems(ctx context.Context, skus []string) error {
	return tx.DB.Cache.LoadItems(ctx, tx.Tx, skus)
}

// Location returns the location with the code and its id, or ENOTFOUND
// (catalog.LookupLocation).
func (tx *Tx) Location(ctx context.Context, code string) (*oms.Location, int64, error) {
	return catalog.LookupLocation(ctx, tx.Tx, code)
}

// Sites returns every location as sourcing sees it, by id
// (catalog.Cache.Sites). Callers must not change the slice or its sites'
// Channels.
func (tx *Tx) Sites(ctx context.Context) ([]catalog.SiteRef, error) {
	return tx.DB.Cache.Sites(ctx, tx.Tx)
}

// ChannelOf returns the draft's channel, or EINVALID when it does not exist
// or its currency is not the draft's (catalog.Cache.ChannelOf).
func (tx *Tx) ChannelOf(ctx context.Context, d *oms.OrderDraft) (catalog.ChannelRef, error) {
	return tx.DB.Cache.ChannelOf(ctx, tx.Tx, d)
}

// ShipPoints places each order's ship-to address (catalog.Cache.ShipPoints).
func (tx *Tx) ShipPoints(ctx context.Context, os []*oms.Order) (map[*oms.Order]*oms.Point, error) {
	return tx.DB.Cache.ShipPoints(ctx, tx.Tx, os)
}

// shipBasis says what placed the order's ship-to point (catalog.ShipBasis).
func shipBasis(o *oms.Order) string { return catalog.ShipBasis(o) }

// splitCodes reads a comma-separated list of codes (catalog.SplitCodes).
func splitCodes(s string) []string { return catalog.SplitCodes(s) }

// SKUPage is the condition on the text column col of a page of SKUs in
// byte order (catalog.SKUPage).
func (e engine) SKUPage(col, after, prefix string, args []any) (string, []any) {
	return catalog.SKUPage(e.Engine, col, after, prefix, args)
}
