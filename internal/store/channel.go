package store

import (
	"context"

	"github.com/omshq/oms/internal/store/channels"
	"github.com/omshq/oms/internal/store/sqldb"
)

// channelHooks are what the channels need of the rest of the store: its
// cache of channels, the items their SKU mappings map to, and the orders
// they take from channels: found, placed, and their later versions applied.
func (db *DB) channelHooks() channels.Hooks {
	return channels.Hooks{
		Forget: db.Cache.ForgetChannel,
		ItemID: func(ctx context.Context, stx *sqldb.Tx, sku string) (int64, error) {
			_, id, err := db.TxOf(stx).Item(ctx, sku)
			return id, err
		},
		Order: db.OrderByExternalID,
		Place: db.PlaceIngested,
		Apply: db.ApplyVersion,
	}
}

// AvailabilitySweep is where the last sweep of availability changes stopped
// (channels.AvailabilitySweep).
type AvailabilitySweep = channels.AvailabilitySweep

// DeliveryMemory is how long a channel's webhook delivery id is remembered
// (channels.DeliveryMemory).
const DeliveryMemory = channels.DeliveryMemory
