package lifecycle

import (
	"context"
	"time"

	"github.com/omshq/oms"
)

// ExpirePickup cancels what is left of the order of the fulfillment (by its
// keys) if it is still ready for pickup since before cutoff: the body of
// fulfillment.Floor.ExpirePickups for one order, under its lock.
func (tx *Tx) ExpirePickup(ctx context.Context, seq int64, n int, cutoff time.Time, actor string) (bool, error) {
	o, ids, fs, f, err := tx.fulfillmentOrder(ctx, oms.FulfillmentID(seq, n))
	if err != nil {
		return false, err
	}
	if f.Status != oms.FulfillmentReadyForPickup || !f.UpdatedAt.Before(cutoff) {
		return false, nil // collected or expired by another server meanwhile
	}
	since := f.UpdatedAt
	return true, tx.Cancel(ctx, o, ids, fs, nil, oms.OrderCancelled{Reason: "pickup expired",
		Fulfillment: f.ID, ReadySince: &since}, actor)
}
