package lifecycle

import (
	"cmp"
	"context"
	"fmt"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/store/orders"
)

// Move moves the fulfillment on, as fulfillment.Floor.MoveFulfillment
// describes.
func (tx *Tx) Move(ctx context.Context, id string, m oms.FulfillmentMove, actor string) (oms.Fulfillment, error) {
	if m.To == oms.FulfillmentCancelled {
		if _, err := tx.Reject(ctx, id, nil, cmp.Or(m.Reason, "cancelled"), actor); err != nil {
			return oms.Fulfillment{}, err
		}
		seq, n, _ := oms.ParseFulfillmentID(id)
		fs, err := tx.Fulfillments(ctx, "f.order_seq = $1 AND f.n = $2", seq, n)
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
	f.Status, f.Changed = m.To, true
	switch {
	case shipping:
		if fs, err = tx.ship(ctx, o, ids, fs, f, m, actor); err != nil {
			return oms.Fulfillment{}, err
		}
	case m.To == oms.FulfillmentDelivered, m.To == oms.FulfillmentPickedUp:
		now := tx.Now()
		f.DeliveredAt = &now
	}
	if err := tx.saveOrder(ctx, o, ids, fs); err != nil {
		return oms.Fulfillment{}, err
	}
	if f.TrackingNumber != "" && shipping {
		if err := tx.ReindexOrder(ctx, ids.Seq); err != nil { // the order is found by its tracking number now
			return oms.Fulfillment{}, err
		}
	}
	out := f.Fulfillment
	out.UpdatedAt = tx.Now()
	_, data := oms.FulfillmentMoved{Fulfillment: f.ID, Order: o.Number, Location: f.Location, Status: f.Status,
		Lines: f.Lines, TrackingNumber: f.TrackingNumber, Carrier: f.Carrier, OrderStatus: o.Status}.Event()
	if err := tx.AddEvent(ctx, "fulfillment."+string(m.To), f.ID, o.ID, actor, data); err != nil {
		return out, err
	}
	return out, tx.OrderMoved(ctx, o, actor, m.To == oms.FulfillmentPickedUp)
}

// ship takes the shipped units of f out of stock and out of the line's
// allocation, and leaves any rest in a pending fulfillment.
func (tx *Tx) ship(ctx context.Context, o *oms.Order, ids orders.OrderIDs, fs []*orders.Fulfillment, f *orders.Fulfillment, m oms.FulfillmentMove, actor string) ([]*orders.Fulfillment, error) {
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
	now := tx.Now()
	f.ShippedAt = &now
	if m.To == oms.FulfillmentPickedUp {
		f.DeliveredAt = &now
	}
	for _, s := range shipped {
		pos := orders.LinePosition(o, s.LineID)
		l := &o.Lines[pos]
		l.Allocated -= s.Quantity
		l.Shipped += s.Quantity
		if err := tx.shrinkAllocation(ctx, o, ids, pos, f.Location, s.Quantity); err != nil {
			return fs, err
		}
		_, err := tx.Apply(ctx, orders.Move{ItemID: ids.Items[l.ID], LocationID: f.LocationID, SKU: l.SKU, Location: f.Location,
			Kind: oms.MoveShip, Delta: -s.Quantity, ReservedDelta: -s.Quantity, Reference: "fulfillment " + f.ID,
			OrderID: o.ID, Actor: actor})
		if err != nil {
			return fs, err
		}
	}
	for _, r := range rest {
		fs = orders.AddToFulfillments(fs, o, ids.Seq, o.Lines[orders.LinePosition(o, r.LineID)], f.Location, f.LocationID, r.Quantity)
	}
	return fs, nil
}

// shrinkAllocation takes qty units off the line's allocation at the
// location, deleting it when none are left.
func (tx *Tx) shrinkAllocation(ctx context.Context, o *oms.Order, ids orders.OrderIDs, pos int, location string, qty int64) error {
	lineID := o.Lines[pos].ID
	for i := range o.Allocations {
		a := &o.Allocations[i]
		if a.LineID != lineID || a.Location != location {
			continue
		}
		if a.Quantity < qty {
			return fmt.Errorf("line %s at %s: %d allocated, %d to take: %w", lineID, location, a.Quantity, qty, orders.ErrStockTaken)
		}
		a.Quantity -= qty
		var err error
		if a.Quantity > 0 {
			_, err = tx.ExecContext(ctx, updateAllocation, ids.Seq, pos, ids.Location[location], a.Quantity)
		} else {
			_, err = tx.ExecContext(ctx, deleteAllocation, ids.Seq, pos, ids.Location[location])
			o.Allocations = append(o.Allocations[:i], o.Allocations[i+1:]...)
		}
		return err
	}
	return fmt.Errorf("line %s has no allocation at %s: %w", lineID, location, orders.ErrStockTaken)
}

// Reject rejects units of the fulfillment, as
// fulfillment.Floor.RejectFulfillment describes, and returns the order's
// number.
func (tx *Tx) Reject(ctx context.Context, id string, lines []oms.FulfillmentLine, reason, actor string) (string, error) {
	o, ids, fs, f, err := tx.fulfillmentOrder(ctx, id)
	if err != nil {
		return "", err
	}
	if !f.Status.Open() {
		return "", oms.Errorf(oms.ECONFLICT, "fulfillment %s is %s; only an open fulfillment can be rejected or cancelled", f.ID, f.Status)
	}
	drop, _, err := f.SplitShipment(lines)
	if err != nil {
		return "", err
	}
	f.RejectReason, f.Changed = cmp.Or(reason, "rejected"), true
	var releases []oms.Release
	for _, d := range drop {
		pos := orders.LinePosition(o, d.LineID)
		l := &o.Lines[pos]
		l.Allocated -= d.Quantity
		l.Open += d.Quantity
		if err := tx.shrinkAllocation(ctx, o, ids, pos, f.Location, d.Quantity); err != nil {
			return "", err
		}
		releases = append(releases, oms.Release{LineID: l.ID, SKU: l.SKU, Location: f.Location, Quantity: d.Quantity})
		orders.TakeFromFulfillments([]*orders.Fulfillment{f}, d.LineID, f.LocationID, d.Quantity)
	}
	if err := tx.releaseStock(ctx, o, ids, releases, actor); err != nil {
		return "", err
	}
	if err := tx.AddEvent(ctx, oms.EventFulfillmentRejected, f.ID, o.ID, actor, oms.FulfillmentRejectedEvent{
		Fulfillment: f.ID, Order: o.Number, Location: f.Location, Lines: drop, Reason: reason}); err != nil {
		return "", err
	}
	if fs, err = tx.resource(ctx, o, ids, fs, "rejected by "+f.Location, actor); err != nil {
		return "", err
	}
	if err := tx.saveOrder(ctx, o, ids, fs); err != nil {
		return "", err
	}
	return o.Number, tx.OrderMoved(ctx, o, actor, false)
}

func Plain(fs []*orders.Fulfillment) []oms.Fulfillment {
	out := make([]oms.Fulfillment, len(fs))
	for i, f := range fs {
		out[i] = f.Fulfillment
	}
	return out
}
