package lifecycle

import (
	"context"
	"strings"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/store/orders"
)

// ResourceOrder sources the order's open units again (by id or number):
// those waiting for stock (backordered or not yet allocated) are placed
// where stock is now, as when stock arrives, from every location but
// those that rejected units of the order. Allocated units stay where they
// are. It records an order.sourced event (saying what was placed, perhaps
// nothing) and returns the order. It returns ENOTFOUND, ESTALE when
// version is not 0 and the order is at another, and ECONFLICT when the
// order is shipped, delivered or cancelled, has no unit waiting, or waits
// on a SKU oms does not know (release that hold instead).
func (db *DB) ResourceOrder(ctx context.Context, ref string, version int64, by oms.Principal) (*oms.Order, error) {
	actor := by.Actor()
	return db.changeOrderFulfillments(ctx, ref, version, func(tx *Tx, o *oms.Order, ids orders.OrderIDs, fs []*orders.Fulfillment) ([]*orders.Fulfillment, error) {
		switch o.Status {
		case oms.StatusShipped, oms.StatusDelivered, oms.StatusCancelled:
			return fs, oms.Errorf(oms.ECONFLICT, "order %s is %s; there is nothing left to source", o.Number, o.Status)
		}
		for _, h := range o.Holds {
			if strings.HasPrefix(h.Reason, orders.UnknownSKUReason) {
				return fs, oms.Errorf(oms.ECONFLICT, "order %s has a SKU oms does not know: map it and release the hold, which sources the order", o.Number)
			}
		}
		var open int64
		for _, l := range o.Lines {
			open += l.Open
		}
		if open == 0 {
			return fs, oms.Errorf(oms.ECONFLICT, "order %s has no units waiting for stock: every unit not cancelled is allocated or shipped", o.Number)
		}
		return tx.resource(ctx, o, ids, fs, "sent to sourcing again", actor)
	})
}
