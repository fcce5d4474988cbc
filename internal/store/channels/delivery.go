package channels

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/store/sqldb"
)

// DeliveryMemory is how long a channel's webhook delivery id is remembered.
// Shopify retries a failed delivery, under the same id, over 4 hours (48
// under its earlier schedule) and WooCommerce over less; a month covers
// every retry with ample room. A delivery seen again later is read again, and still changes and
// stores nothing when its order already has that version.
const DeliveryMemory = 30 * 24 * time.Hour

const (
	selectDelivery = `
SELECT o.id FROM channel_deliveries d
JOIN channels c ON c.id = d.channel_id
JOIN orders o ON o.seq = d.order_seq
WHERE c.code = $1 AND d.delivery_id = $2 AND d.received_at >= $3`
	// insertDelivery records a delivery, or records it again over a row
	// old enough to be forgotten.
	insertDelivery = `
INSERT INTO channel_deliveries (channel_id, delivery_id, order_seq, received_at)
SELECT c.id, $2, o.seq, $4 FROM channels c JOIN orders o ON o.channel_id = c.id
WHERE c.code = $1 AND o.id = $3
ON CONFLICT (channel_id, delivery_id) DO UPDATE SET order_seq = excluded.order_seq, received_at = excluded.received_at
WHERE channel_deliveries.received_at < $5`
	deleteDeliveries = `DELETE FROM channel_deliveries WHERE received_at < $1`
)

// Delivery reports whether the channel's webhook delivery id was recorded
// in the last DeliveryMemory, and the id of the order it brought. It writes
// nothing.
func (r *Registry) Delivery(ctx context.Context, channel, id string) (orderID string, seen bool, err error) {
	err = r.db.View(ctx, func(tx *sqldb.Tx) error {
		return tx.QueryRowContext(ctx, selectDelivery, channel, id, tx.Now().Add(-DeliveryMemory)).Scan(&orderID)
	})
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	return orderID, err == nil, err
}

// IngestDelivery is IngestOrder for a webhook delivery the channel
// identified: once the delivery has created or updated its order, its id is
// recorded, so that Delivery knows a repeat of it. A delivery that changed
// nothing (a duplicate or a stale version) records nothing, not even its id:
// replaying a signed body under ever new ids writes nothing at all. An empty
// id records nothing beyond IngestOrder. Two copies of one delivery racing
// in are safe: the order is placed once, and the id recorded once.
func (r *Registry) IngestDelivery(ctx context.Context, channel, delivery string, in *oms.Ingested, raw []byte, by oms.Principal) (oms.IngestResult, error) {
	res, err := r.IngestOrder(ctx, channel, in, raw, by)
	if err != nil || delivery == "" || res.Outcome != oms.IngestCreated && res.Outcome != oms.IngestUpdated {
		return res, err
	}
	// The delivery is recorded after the order, in a transaction of its
	// own: if it is lost, a repeat is read again and, its order already at
	// that version, changes and stores nothing.
	err = r.db.Update(ctx, func(tx *sqldb.Tx) error {
		_, err := tx.ExecContext(ctx, insertDelivery, channel, delivery, res.Order.ID, tx.Now(), tx.Now().Add(-DeliveryMemory))
		return err
	})
	return res, err
}

// ForgetDeliveries deletes the delivery ids older than DeliveryMemory and
// returns how many it deleted.
func (r *Registry) ForgetDeliveries(ctx context.Context) (int64, error) {
	var n int64
	err := r.db.Update(ctx, func(tx *sqldb.Tx) error {
		res, err := tx.ExecContext(ctx, deleteDeliveries, tx.Now().Add(-DeliveryMemory))
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	return n, err
}
