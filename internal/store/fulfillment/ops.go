package fulfillment

import (
	"cmp"
	"context"
	"slices"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/store/sqldb"
)

// MoveFulfillment moves the fulfillment (by id, "1001-F1") on. Shipping — to
// shipped, or picked_up for a store pickup — takes its units out of stock:
// on hand and reserved fall, the allocation shrinks, the lines count them
// shipped, and a partial shipment leaves the rest in a pending fulfillment.
// Cancelling releases its units and sources them again elsewhere. The
// order's status follows. It returns ENOTFOUND, ECONFLICT for a move the
// fulfillment's status does not allow, and EINVALID for bad tracking or
// lines.
func (fl *Floor) MoveFulfillment(ctx context.Context, id string, m oms.FulfillmentMove, by oms.Principal) (*oms.Fulfillment, error) {
	actor := by.Actor()
	if err := m.Tracking.Validate(); err != nil {
		return nil, err
	}
	var out oms.Fulfillment
	err := fl.store.Update(ctx, func(tx Tx) (err error) {
		out, err = tx.Move(ctx, id, m, actor)
		return err
	})
	return &out, err
}

// RejectFulfillment records that the fulfillment's location cannot supply
// some of its units (lines; all of them when empty): their reservation is
// released and the order's open units are sourced again from the other
// locations. It returns the order, ENOTFOUND, ECONFLICT when the
// fulfillment is no longer open, and EINVALID for bad lines.
func (fl *Floor) RejectFulfillment(ctx context.Context, id string, lines []oms.FulfillmentLine, reason string, by oms.Principal) (*oms.Order, error) {
	actor := by.Actor()
	var out *oms.Order
	err := fl.store.Update(ctx, func(tx Tx) (err error) {
		out, err = tx.Reject(ctx, id, lines, reason, actor)
		return err
	})
	return out, err
}

// Fulfillment returns the fulfillment with the id, or ENOTFOUND.
func (fl *Floor) Fulfillment(ctx context.Context, id string) (*oms.Fulfillment, error) {
	seq, n, ok := oms.ParseFulfillmentID(id)
	if !ok {
		return nil, sqldb.NotFound("fulfillment %q does not exist", id)
	}
	var out *oms.Fulfillment
	err := fl.store.View(ctx, func(tx Tx) error {
		fs, err := tx.Fulfillments(ctx, "f.order_seq = $1 AND f.n = $2", 0, seq, n)
		if err != nil {
			return err
		}
		if len(fs) == 0 {
			return sqldb.NotFound("fulfillment %q does not exist", id)
		}
		out = &fs[0]
		return nil
	})
	return out, err
}

// OrderFulfillments returns the fulfillments of the order (by id or number),
// or ENOTFOUND.
func (fl *Floor) OrderFulfillments(ctx context.Context, ref string) ([]oms.Fulfillment, error) {
	var out []oms.Fulfillment
	err := fl.store.View(ctx, func(tx Tx) error {
		seq, err := tx.OrderSeq(ctx, ref)
		if err != nil {
			return err
		}
		out, err = tx.Fulfillments(ctx, "f.order_seq = $1", 0, seq)
		return err
	})
	return out, err
}

// LocationFulfillments returns the open fulfillments of the location (or
// those in the given statuses), oldest order first, or ENOTFOUND.
func (fl *Floor) LocationFulfillments(ctx context.Context, code string, sts []oms.FulfillmentStatus, limit int) ([]oms.Fulfillment, error) {
	if len(sts) == 0 {
		sts = []oms.FulfillmentStatus{oms.FulfillmentPending, oms.FulfillmentPicking, oms.FulfillmentPacked, oms.FulfillmentReadyForPickup}
	}
	var out []oms.Fulfillment
	err := fl.store.View(ctx, func(tx Tx) error {
		locID, err := tx.Location(ctx, code)
		if err != nil {
			return err
		}
		vals := make([]any, len(sts))
		for i, s := range sts {
			vals[i] = string(s)
		}
		// Held orders wait: their fulfillments are not released to the floor.
		// A pickup store also sees what other locations shipped to it. The
		// two are read apart, each through its own index (fulfillments by
		// location and status; orders by pickup location), and merged: one
		// query with an OR across the two tables reads every fulfillment.
		// The location's own are read a status at a time, each the first
		// limit in the index's order: with the statuses in one list, the
		// engines sort every open fulfillment of the location (seconds at a
		// warehouse with half a million waiting) to return the first few.
		fs := []oms.Fulfillment{} // an empty list, not null, when none wait
		for _, st := range vals {
			here, err := tx.Fulfillments(ctx, "f.location_id = $1 AND f.status = $2 AND o.status <> 'on_hold'", limit, locID, st)
			if err != nil {
				return err
			}
			fs = append(fs, here...)
		}
		in, args := tx.Engine().InList("f.status", "text", vals, []any{locID, code})
		sent, err := tx.Fulfillments(ctx, "o.pickup_location = $2 AND f.location_id <> $1 AND f.shipped_at IS NOT NULL AND o.status <> 'on_hold' AND "+in, limit, args...)
		if err != nil {
			return err
		}
		fs = append(fs, sent...)
		slices.SortFunc(fs, func(a, b oms.Fulfillment) int {
			as, an, _ := oms.ParseFulfillmentID(a.ID)
			bs, bn, _ := oms.ParseFulfillmentID(b.ID)
			return cmp.Or(cmp.Compare(as, bs), cmp.Compare(an, bn))
		})
		if limit > 0 && len(fs) > limit {
			fs = fs[:limit]
		}
		out = fs
		return nil
	})
	return out, err
}

// PickList groups by SKU the units of the location's fulfillments waiting
// to be picked (pending or picking), for at most limit fulfillments, oldest
// order first. It returns ENOTFOUND for an unknown location.
func (fl *Floor) PickList(ctx context.Context, code string, limit int) ([]oms.PickItem, error) {
	fs, err := fl.LocationFulfillments(ctx, code, []oms.FulfillmentStatus{oms.FulfillmentPending, oms.FulfillmentPicking}, limit)
	if err != nil {
		return nil, err
	}
	var out []oms.PickItem
	idx := make(map[string]int)
	for _, f := range fs {
		for _, l := range f.Lines {
			i, ok := idx[l.SKU]
			if !ok {
				i = len(out)
				idx[l.SKU] = i
				out = append(out, oms.PickItem{SKU: l.SKU})
			}
			out[i].Quantity += l.Quantity
			out[i].Fulfillments = append(out[i].Fulfillments, oms.PickFulfillment{ID: f.ID, Quantity: l.Quantity})
		}
	}
	return out, nil
}
