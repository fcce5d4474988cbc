package lifecycle

import (
	"context"
	"strings"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/store/orders"
)

const (
	selectMaxHold = `SELECT COALESCE(MAX(n), 0) FROM holds WHERE order_seq = $1`
	releaseHolds  = `
UPDATE holds SET released_by = $3, released_at = $4
WHERE order_seq = $1 AND released_at IS NULL AND ($2 = '' OR type = $2)`
)

// PlaceHold stops the order (by id or number) for review. Its stock stays
// reserved; its fulfillments wait. It returns ENOTFOUND, ESTALE when
// version is not 0 and the order is at another, EINVALID for a bad type or
// reason, and ECONFLICT for an order already shipped or cancelled.
func (db *DB) PlaceHold(ctx context.Context, ref string, version int64, typ oms.HoldType, reason string, by oms.Principal) (*oms.Order, error) {
	actor := by.Actor()
	if err := oms.ValidateHold(typ, reason); err != nil {
		return nil, err
	}
	return db.changeOrder(ctx, ref, version, func(tx *Tx, o *oms.Order, ids orders.OrderIDs) error {
		switch o.Status {
		case oms.StatusShipped, oms.StatusDelivered, oms.StatusCancelled:
			return oms.Errorf(oms.ECONFLICT, "order %s is %s; there is nothing left to hold", o.Number, o.Status)
		}
		var n int
		if err := tx.QueryRowContext(ctx, selectMaxHold, ids.Seq).Scan(&n); err != nil {
			return err
		}
		h := oms.Hold{Type: typ, Reason: reason, PlacedBy: actor, PlacedAt: tx.Now()}
		o.Holds = append(o.Holds, h)
		if err := tx.InsertRows(ctx, "holds", orders.HoldCols, orders.RowsOf([]orders.HoldRow{{Seq: ids.Seq, N: n + 1, Type: string(typ), Reason: reason, By: actor, At: tx.Now()}}), ""); err != nil {
			return err
		}
		return tx.AddEvent(ctx, oms.EventOrderHeld, o.ID, o.ID, actor, oms.OrderHeld{Number: o.Number, Hold: h})
	})
}

// ReleaseHolds releases the order's holds of the type (every hold when typ
// is empty). It returns ENOTFOUND, ESTALE when version is not 0 and the
// order is at another, and ECONFLICT when no such hold is in force.
func (db *DB) ReleaseHolds(ctx context.Context, ref string, version int64, typ oms.HoldType, by oms.Principal) (*oms.Order, error) {
	actor := by.Actor()
	return db.changeOrderFulfillments(ctx, ref, version, func(tx *Tx, o *oms.Order, ids orders.OrderIDs, fs []*orders.Fulfillment) ([]*orders.Fulfillment, error) {
		res, err := tx.ExecContext(ctx, releaseHolds, ids.Seq, string(typ), actor, tx.Now())
		if err != nil {
			return fs, err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fs, oms.Errorf(oms.ECONFLICT, "order %s has no %s hold in force", o.Number, strOr(string(typ), "such"))
		}
		kept := o.Holds[:0]
		unknownReleased := false
		for _, h := range o.Holds {
			if typ != "" && h.Type != typ {
				kept = append(kept, h)
			} else if strings.HasPrefix(h.Reason, orders.UnknownSKUReason) {
				unknownReleased = true
			}
		}
		o.Holds = kept
		if unknownReleased {
			// The hold waited for a person to say what the SKUs are: now
			// they must be known, and the lines are sourced.
			resolved, err := tx.ResolveUnknown(ctx, o, ids)
			if err != nil {
				return fs, err
			}
			if resolved {
				if fs, err = tx.resource(ctx, o, ids, fs, "SKU resolved", actor); err != nil {
					return fs, err
				}
			}
		}
		return fs, tx.AddEvent(ctx, oms.EventOrderReleased, o.ID, o.ID, actor, oms.OrderReleased{Number: o.Number,
			Type: typ, HoldsLeft: len(kept)})
	})
}

func strOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// changeOrder runs fn on the locked order, then saves it with its
// fulfillments and derived status, and returns it as a read shows it
// (AsRead). It returns ESTALE, changing nothing, when want is not 0 and
// the order is at another version.
func (db *DB) changeOrder(ctx context.Context, ref string, want int64, fn func(*Tx, *oms.Order, orders.OrderIDs) error) (*oms.Order, error) {
	return db.changeOrderFulfillments(ctx, ref, want, func(tx *Tx, o *oms.Order, ids orders.OrderIDs, fs []*orders.Fulfillment) ([]*orders.Fulfillment, error) {
		return fs, fn(tx, o, ids)
	})
}

// changeOrderFulfillments is changeOrder for a change that may add to the
// order's fulfillments: fn returns them all.
func (db *DB) changeOrderFulfillments(ctx context.Context, ref string, want int64,
	fn func(*Tx, *oms.Order, orders.OrderIDs, []*orders.Fulfillment) ([]*orders.Fulfillment, error)) (*oms.Order, error) {
	var o *oms.Order
	err := db.update(ctx, func(tx *Tx) error {
		var ids orders.OrderIDs
		var err error
		if o, ids, err = tx.LockOrder(ctx, ref, want); err != nil {
			return err
		}
		fs, err := tx.Fulfillments(ctx, "f.order_seq = $1", ids.Seq)
		if err != nil {
			return err
		}
		if fs, err = fn(tx, o, ids, fs); err != nil {
			return err
		}
		if err := tx.saveOrder(ctx, o, ids, fs); err != nil {
			return err
		}
		if err := tx.OrderMoved(ctx, o, tx.LastActor, false); err != nil {
			return err
		}
		return tx.AsRead(ctx, o, ids)
	})
	return o, err
}
