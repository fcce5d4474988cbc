package orders

import (
	"context"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/store/channels"
)

// The channels and their SKU mappings live in internal/store/channels;
// order placement, ingest and availability read them in their own
// transaction through these.

// Channel returns the channel with the code and its id, or ENOTFOUND
// (channels.ByCode).
func (tx *Tx) Channel(ctx context.Context, code string) (*oms.Channel, int64, error) {
	return channels.ByCode(ctx, tx.Tx, code)
}

// SKUMappings returns the mappings of the listing SKUs (all when nil)
// (channels.Mappings).
func (tx *Tx) SKUMappings(ctx context.Context, channelID int64, listings []string) (map[string][]oms.SKUComponent, error) {
	return channels.Mappings(ctx, tx.Tx, channelID, listings)
}
