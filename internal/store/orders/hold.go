package orders

import (
	"context"
	"strings"

	"github.com/omshq/oms"
)

// selectActiveHolds loads the holds in force on an order.
const selectActiveHolds = `
SELECT type, reason, placed_by, placed_at FROM holds
WHERE order_seq = $1 AND released_at IS NULL ORDER BY n`

const (
	selectMaxHold = `SELECT COALESCE(MAX(n), 0) FROM holds WHERE order_seq = $1`
	releaseHolds  = `
UPDATE holds SET released_by = $3, released_at = $4
WHERE order_seq = $1 AND released_at IS NULL AND ($2 = '' OR type = $2)`
	SelectRecentByEmail = `
SELECT customer_email, COUNT(*) FROM orders
WHERE %s AND created_at >= $1
GROUP BY customer_email`
	SelectRecentByAddress = `
SELECT ship_key, COUNT(*) FROM orders
WHERE %s AND ship_key <> '' AND created_at >= $1
GROUP BY ship_key`
)

var HoldCols = []column{{Name: "order_seq", Type: "bigint"}, {Name: "n", Type: "bigint"}, {Name: "type", Type: "text"}, {Name: "reason", Type: "text"},
	{Name: "placed_by", Type: "text"}, {Name: "placed_at", Type: "timestamptz"}}

// holdsOf loads the holds in force on the order.
func holdsOf(ctx context.Context, q querier, seq int64) ([]oms.Hold, error) {
	rows, err := q.QueryContext(ctx, selectActiveHolds, seq)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []oms.Hold{}
	for rows.Next() {
		var h oms.Hold
		if err := rows.Scan(&h.Type, &h.Reason, &h.PlacedBy, &h.PlacedAt); err != nil {
			return nil, err
		}
		h.PlacedAt = h.PlacedAt.UTC()
		out = append(out, h)
	}
	return out, rows.Err()
}

// PlaceHold stops the order (by id or number) for review. Its stock stays
// reserved; its fulfillments wait. It returns ENOTFOUND, ESTALE when
// version is not 0 and the order is at another, EINVALID for a bad type or
// reason, and ECONFLICT for an order already shipped or cancelled.
func (db *DB) PlaceHold(ctx context.Context, ref string, version int64, typ oms.HoldType, reason string, by oms.Principal) (*oms.Order, error) {
	actor := by.Actor()
	if err := oms.ValidateHold(typ, reason); err != nil {
		return nil, err
	}
	return db.changeOrder(ctx, ref, version, func(tx *Tx, o *oms.Order, ids OrderIDs) error {
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
		if err := tx.InsertRows(ctx, "holds", HoldCols, RowsOf([]HoldRow{{ids.Seq, n + 1, string(typ), reason, actor, tx.Now()}}), ""); err != nil {
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
	return db.changeOrderFulfillments(ctx, ref, version, func(tx *Tx, o *oms.Order, ids OrderIDs, fs []*fulfillment) ([]*fulfillment, error) {
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
			} else if strings.HasPrefix(h.Reason, UnknownSKUReason) {
				unknownReleased = true
			}
		}
		o.Holds = kept
		if unknownReleased {
			// The hold waited for a person to say what the SKUs are: now
			// they must be known, and the lines are sourced.
			resolved, err := tx.resolveUnknown(ctx, o, ids)
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
// fulfillments and derived status. It returns ESTALE, changing nothing,
// when want is not 0 and the order is at another version.
func (db *DB) changeOrder(ctx context.Context, ref string, want int64, fn func(*Tx, *oms.Order, OrderIDs) error) (*oms.Order, error) {
	return db.changeOrderFulfillments(ctx, ref, want, func(tx *Tx, o *oms.Order, ids OrderIDs, fs []*fulfillment) ([]*fulfillment, error) {
		return fs, fn(tx, o, ids)
	})
}

// changeOrderFulfillments is changeOrder for a change that may add to the
// order's fulfillments: fn returns them all.
func (db *DB) changeOrderFulfillments(ctx context.Context, ref string, want int64,
	fn func(*Tx, *oms.Order, OrderIDs, []*fulfillment) ([]*fulfillment, error)) (*oms.Order, error) {
	var o *oms.Order
	err := db.update(ctx, func(tx *Tx) error {
		var ids OrderIDs
		var err error
		if o, ids, err = tx.lockOrder(ctx, ref, want); err != nil {
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
		return tx.orderMoved(ctx, o, tx.lastActor, false)
	})
	return o, err
}
