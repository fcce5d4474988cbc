package store

import (
	"context"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/store/channels"
	"github.com/omshq/oms/internal/store/sqldb"
)

// The channels and their SKU mappings live in internal/store/channels;
// order placement, ingest and availability read them in their own
// transaction through these.

// channel returns the channel with the code and its id, or ENOTFOUND
// (channels.ByCode).
func (tx *Tx) channel(ctx context.Context, code string) (*oms.Channel, int64, error) {
	return channels.ByCode(ctx, tx.Tx, code)
}

// skuMappings returns the mappings of the listing SKUs (all when nil)
// (channels.Mappings).
func (tx *Tx) skuMappings(ctx context.Context, channelID int64, listings []string) (map[string][]oms.SKUComponent, error) {
	return channels.Mappings(ctx, tx.Tx, channelID, listings)
}

// channelHooks are what the channels need of the rest of the store: its
// cache of channels, the items their SKU mappings map to, and the orders
// they take from channels: found, placed, and their later versions applied.
func (db *DB) channelHooks() channels.Hooks {
	return channels.Hooks{
		Forget: db.cache.ForgetChannel,
		ItemID: func(ctx context.Context, stx *sqldb.Tx, sku string) (int64, error) {
			_, id, err := db.txOf(stx).item(ctx, sku)
			return id, err
		},
		Order: db.OrderByExternalID,
		Place: db.placeIngested,
		Apply: db.applyVersion,
	}
}

// AvailabilitySweep is where the last sweep of availability changes stopped
// (channels.AvailabilitySweep).
type AvailabilitySweep = channels.AvailabilitySweep

// DeliveryMemory is how long a channel's webhook delivery id is remembered
// (channels.DeliveryMemory).
const DeliveryMemory = channels.DeliveryMemory
