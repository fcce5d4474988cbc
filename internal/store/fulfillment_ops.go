package store

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	"github.com/omshq/oms"
)

// MoveFulfillment moves the fulfillment (by id, "1001-F1") on. Shipping — to
// shipped, or picked_up for a store pickup — takes its units out of stock:
// on hand and reserved fall, the allocation shrinks, the lines count them
// shipped, and a partial shipment leaves the rest in a pending fulfillment.
// Cancelling releases its units and sources them again elsewhere. The
// order's status follows. It returns ENOTFOUND, ECONFLICT for a move the
// fulfillment's status does not allow, and EINVALID for bad tracking or
// lines.
func (db *DB) MoveFulfillment(ctx context.Context, id string, m oms.FulfillmentMove, by oms.Principal) (*oms.Fulfillment, error) {
	actor := by.Actor()
	if err := m.Tracking.Validate(); err != nil {
		return nil, err
	}
	var out oms.Fulfillment
	err := db.update(ctx, func(tx *Tx) (err error) {
		out, err = tx.move(ctx, id, m, actor)
		return err
	})
	return &out, err
}

// move moves the fulfillment on, as MoveFulfillment describes.
func (tx *Tx) move(ctx context.Context, id string, m oms.FulfillmentMove, actor string) (oms.Fulfillment, error) {
	if m.To == oms.FulfillmentCancelled {
		if _, err := tx.reject(ctx, id, nil, "cancelled", actor); err != nil {
			return oms.Fulfillment{}, err
		}
		seq, n, _ := oms.ParseFulfillmentID(id)
		fs, err := tx.fulfillments(ctx, "f.order_seq = $1 AND f.n = $2", seq, n)
		if err != nil {
			return oms.Fulfillment{}, err
		}
		return fs[0].Fulfillment, nil
	}
	o, ids, fs, f, err := tx.fulfillmentOrder(ctx, id)
	if err != nil {
		return oms.Fulfillment{}, err
	}
	if err := f.CanMove(m.To); err != nil {
		return oms.Fulfillment{}, err
	}
	if o.Held() {
		return oms.Fulfillment{}, oms.Errorf(oms.ECONFLICT, "order %s is on hold (%s: %s); release it first", o.Number, o.Holds[0].Type, o.Holds[0].Reason)
	}
	// Units leave stock when shipped, or when handed over at the counter
	// unless they were shipped to the store already.
	shipping := m.To == oms.FulfillmentShipped || (m.To == oms.FulfillmentPickedUp && f.ShippedAt == nil)
	if !shipping && (m.Tracking != (oms.Tracking{}) || len(m.Lines) > 0) {
		return oms.Fulfillment{}, oms.Invalid("tracking_number", "tracking and lines are given when shipping")
	}
	f.Status, f.changed = m.To, true
	switch {
	case shipping:
		if fs, err = tx.ship(ctx, o, ids, fs, f, m, actor); err != nil {
			return oms.Fulfillment{}, err
		}
	case m.To == oms.FulfillmentDelivered, m.To == oms.FulfillmentPickedUp:
		f.DeliveredAt = &tx.now
	}
	if err := tx.saveOrder(ctx, o, ids, fs); err != nil {
		return oms.Fulfillment{}, err
	}
	if f.TrackingNumber != "" && shipping {
		if err := tx.reindexOrder(ctx, ids.seq); err != nil { // the order is found by its tracking number now
			return oms.Fulfillment{}, err
		}
	}
	out := f.Fulfillment
	out.UpdatedAt = tx.now
	_, data := oms.FulfillmentMoved{Fulfillment: f.ID, Order: o.Number, Location: f.Location, Status: f.Status,
		Lines: f.Lines, TrackingNumber: f.TrackingNumber, Carrier: f.Carrier, OrderStatus: o.Status}.Event()
	if err := tx.addEvent(ctx, "fulfillment."+string(m.To), f.ID, o.ID, actor, data); err != nil {
		return out, err
	}
	return out, tx.orderMoved(ctx, o, actor, m.To == oms.FulfillmentPickedUp)
}

// ship takes the shipped units of f out of stock and out of the line's
// allocation, and leaves any rest in a pending fulfillment.
func (tx *Tx) ship(ctx context.Context, o *oms.Order, ids orderIDs, fs []*fulfillment, f *fulfillment, m oms.FulfillmentMove, actor string) ([]*fulfillment, error) {
	ask := m.Lines
	if m.To == oms.FulfillmentPickedUp {
		ask = nil // a pickup hands over everything that is ready
	}
	shipped, rest, err := f.SplitShipment(ask)
	if err != nil {
		return fs, err
	}
	f.Lines = shipped
	f.Carrier, f.Service, f.TrackingNumber, f.TrackingURL = m.Tracking.Carrier, m.Tracking.Service, m.Tracking.TrackingNumber, m.Tracking.TrackingURL
	f.ShippedAt = &tx.now
	if m.To == oms.FulfillmentPickedUp {
		f.DeliveredAt = &tx.now
	}
	for _, s := range shipped {
		pos := linePosition(o, s.LineID)
		l := &o.Lines[pos]
		l.Allocated -= s.Quantity
		l.Shipped += s.Quantity
		if err := tx.shrinkAllocation(ctx, o, ids, pos, f.Location, s.Quantity); err != nil {
			return fs, err
		}
		_, err := tx.apply(ctx, move{itemID: ids.items[l.ID], locationID: f.locationID, sku: l.SKU, location: f.Location,
			kind: oms.MoveShip, delta: -s.Quantity, reservedDelta: -s.Quantity, reference: "fulfillment " + f.ID,
			orderID: o.ID, actor: actor})
		if err != nil {
			return fs, err
		}
	}
	for _, r := range rest {
		fs = addToFulfillments(fs, o, ids.seq, o.Lines[linePosition(o, r.LineID)], f.Location, f.locationID, r.Quantity)
	}
	return fs, nil
}

// shrinkAllocation takes qty units off the line's allocation at the
// location, deleting it when none are left.
func (tx *Tx) shrinkAllocation(ctx context.Context, o *oms.Order, ids orderIDs, pos int, location string, qty int64) error {
	lineID := o.Lines[pos].ID
	for i := range o.Allocations {
		a := &o.Allocations[i]
		if a.LineID != lineID || a.Location != location {
			continue
		}
		if a.Quantity < qty {
			return fmt.Errorf("line %s at %s: %d allocated, %d to take: %w", lineID, location, a.Quantity, qty, errStockTaken)
		}
		a.Quantity -= qty
		var err error
		if a.Quantity > 0 {
			_, err = tx.ExecContext(ctx, updateAllocation, ids.seq, pos, ids.location[location], a.Quantity)
		} else {
			_, err = tx.ExecContext(ctx, deleteAllocation, ids.seq, pos, ids.location[location])
			o.Allocations = append(o.Allocations[:i], o.Allocations[i+1:]...)
		}
		return err
	}
	return fmt.Errorf("line %s has no allocation at %s: %w", lineID, location, errStockTaken)
}

// RejectFulfillment records that the fulfillment's location cannot supply
// some of its units (lines; all of them when empty): their reservation is
// released and the order's open units are sourced again from the other
// locations. It returns the order, ENOTFOUND, ECONFLICT when the
// fulfillment is no longer open, and EINVALID for bad lines.
func (db *DB) RejectFulfillment(ctx context.Context, id string, lines []oms.FulfillmentLine, reason string, by oms.Principal) (*oms.Order, error) {
	actor := by.Actor()
	var out *oms.Order
	err := db.update(ctx, func(tx *Tx) error {
		number, err := tx.reject(ctx, id, lines, reason, actor)
		if err != nil {
			return err
		}
		out, _, err = tx.order(ctx, number, false)
		return err
	})
	return out, err
}

// reject rejects units of the fulfillment, as RejectFulfillment describes,
// and returns the order's number.
func (tx *Tx) reject(ctx context.Context, id string, lines []oms.FulfillmentLine, reason, actor string) (string, error) {
	o, ids, fs, f, err := tx.fulfillmentOrder(ctx, id)
	if err != nil {
		return "", err
	}
	if !f.Status.Open() {
		return "", oms.Errorf(oms.ECONFLICT, "fulfillment %s is %s; only an open fulfillment can be rejected", f.ID, f.Status)
	}
	drop, _, err := f.SplitShipment(lines)
	if err != nil {
		return "", err
	}
	f.RejectReason, f.changed = cmp.Or(reason, "rejected"), true
	var releases []oms.Release
	for _, d := range drop {
		pos := linePosition(o, d.LineID)
		l := &o.Lines[pos]
		l.Allocated -= d.Quantity
		l.Open += d.Quantity
		if err := tx.shrinkAllocation(ctx, o, ids, pos, f.Location, d.Quantity); err != nil {
			return "", err
		}
		releases = append(releases, oms.Release{LineID: l.ID, SKU: l.SKU, Location: f.Location, Quantity: d.Quantity})
		takeFromFulfillments([]*fulfillment{f}, d.LineID, f.locationID, d.Quantity)
	}
	if err := tx.releaseStock(ctx, o, ids, releases, actor); err != nil {
		return "", err
	}
	if err := tx.addEvent(ctx, oms.EventFulfillmentRejected, f.ID, o.ID, actor, oms.FulfillmentRejectedEvent{
		Fulfillment: f.ID, Order: o.Number, Location: f.Location, Lines: drop, Reason: reason}); err != nil {
		return "", err
	}
	if fs, err = tx.resource(ctx, o, ids, fs, "rejected by "+f.Location, actor); err != nil {
		return "", err
	}
	if err := tx.saveOrder(ctx, o, ids, fs); err != nil {
		return "", err
	}
	return o.Number, tx.orderMoved(ctx, o, actor, false)
}

// Fulfillment returns the fulfillment with the id, or ENOTFOUND.
func (db *DB) Fulfillment(ctx context.Context, id string) (*oms.Fulfillment, error) {
	seq, n, ok := oms.ParseFulfillmentID(id)
	if !ok {
		return nil, notFound("fulfillment %q does not exist", id)
	}
	var out *oms.Fulfillment
	err := db.view(ctx, func(tx *Tx) error {
		fs, err := tx.fulfillments(ctx, "f.order_seq = $1 AND f.n = $2", seq, n)
		if err != nil {
			return err
		}
		if len(fs) == 0 {
			return notFound("fulfillment %q does not exist", id)
		}
		out = &fs[0].Fulfillment
		return nil
	})
	return out, err
}

// OrderFulfillments returns the fulfillments of the order (by id or number),
// or ENOTFOUND.
func (db *DB) OrderFulfillments(ctx context.Context, ref string) ([]oms.Fulfillment, error) {
	var out []oms.Fulfillment
	err := db.view(ctx, func(tx *Tx) error {
		h, err := tx.orderHead(ctx, ref, false)
		if err != nil {
			return err
		}
		fs, err := tx.fulfillments(ctx, "f.order_seq = $1", h.ids.seq)
		out = plain(fs)
		return err
	})
	return out, err
}

func plain(fs []*fulfillment) []oms.Fulfillment {
	out := make([]oms.Fulfillment, len(fs))
	for i, f := range fs {
		out[i] = f.Fulfillment
	}
	return out
}

// LocationFulfillments returns the open fulfillments of the location (or
// those in the given statuses), oldest order first, or ENOTFOUND.
func (db *DB) LocationFulfillments(ctx context.Context, code string, sts []oms.FulfillmentStatus, limit int) ([]oms.Fulfillment, error) {
	if len(sts) == 0 {
		sts = []oms.FulfillmentStatus{oms.FulfillmentPending, oms.FulfillmentPicking, oms.FulfillmentPacked, oms.FulfillmentReadyForPickup}
	}
	var out []oms.Fulfillment
	err := db.view(ctx, func(tx *Tx) error {
		_, locID, err := tx.location(ctx, code)
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
		in, args := tx.db.engine.inList("f.status", "text", vals, []any{locID})
		here, err := tx.fulfillmentsLimit(ctx, "f.location_id = $1 AND o.status <> 'on_hold' AND "+in, limit, args...)
		if err != nil {
			return err
		}
		in, args = tx.db.engine.inList("f.status", "text", vals, []any{locID, code})
		sent, err := tx.fulfillmentsLimit(ctx, "o.pickup_location = $2 AND f.location_id <> $1 AND f.shipped_at IS NOT NULL AND o.status <> 'on_hold' AND "+in, limit, args...)
		if err != nil {
			return err
		}
		fs := append(here, sent...)
		slices.SortFunc(fs, func(a, b *fulfillment) int { return cmp.Or(cmp.Compare(a.seq, b.seq), cmp.Compare(a.n, b.n)) })
		if limit > 0 && len(fs) > limit {
			fs = fs[:limit]
		}
		out = plain(fs)
		return nil
	})
	return out, err
}

// PickList groups by SKU the units of the location's fulfillments waiting
// to be picked (pending or picking), for at most limit fulfillments, oldest
// order first. It returns ENOTFOUND for an unknown location.
func (db *DB) PickList(ctx context.Context, code string, limit int) ([]oms.PickItem, error) {
	fs, err := db.LocationFulfillments(ctx, code, []oms.FulfillmentStatus{oms.FulfillmentPending, oms.FulfillmentPicking}, limit)
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
