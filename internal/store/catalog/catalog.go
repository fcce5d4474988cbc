// Package catalog keeps what orders are placed against and what rarely
// changes: the items (SKUs, costs, pre-order flags, customs fields), the
// locations (what they can do, where they are, which channels they serve)
// and the postal-code centroids that place an address without
// coordinates. It implements those parts of oms.Inventory and oms.Admin
// on the engine seam (sqldb), and hands order placement, in placement's
// own transaction, the items of a draft, the locations as sourcing sees
// them, the draft's channel and the ship-to points, from a cache that
// serves most of them from memory (Cache).
package catalog

import (
	"github.com/omshq/oms/internal/store/sqldb"
)

// Catalog is the items, locations and postal centroids of a database.
type Catalog struct {
	db    *sqldb.DB
	cache *Cache
}

// New returns the catalog of db; what it changes it drops from cache.
func New(db *sqldb.DB, cache *Cache) *Catalog { return &Catalog{db: db, cache: cache} }
