package lifecycle

import (
	"cmp"
	"context"
	"encoding/json"
	"slices"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/store/customers"
	"github.com/omshq/oms/internal/store/orders"
)

const (
	updateAllocation = `UPDATE allocations SET quantity = $4 WHERE order_seq = $1 AND position = $2 AND location_id = $3`
	deleteAllocation = `DELETE FROM allocations WHERE order_seq = $1 AND position = $2 AND location_id = $3`
)

// CancelOrder cancels units of the order (by id or number) — the listed lines,
// or every unit not yet shipped when lines is empty — and releases their
// reservations, in one transaction with its event. It returns ENOTFOUND,
// ESTALE when version is not 0 and the order is at another, EINVALID
// for a bad line or quantity, and ECONFLICT when nothing is left to cancel.
func (db *DB) CancelOrder(ctx context.Context, ref string, version int64, lines []oms.CancelLine, by oms.Principal) (*oms.Order, error) {
	return db.CancelOrderWithReason(ctx, ref, version, lines, "", by)
}

// CancelOrderWithReason is CancelOrder recording why: the reason, when
// given, is kept in the event's data and shown in the order's timeline. It
// also returns EINVALID naming reason when it is not one line of printable
// text of at most oms.MaxCancelReason bytes.
func (db *DB) CancelOrderWithReason(ctx context.Context, ref string, version int64, lines []oms.CancelLine, reason string, by oms.Principal) (*oms.Order, error) {
	actor := by.Actor()
	var p oms.Problems
	oms.CheckLine(&p, "reason", reason, oms.MaxCancelReason)
	if err := p.Err(); err != nil {
		return nil, err
	}
	extra := oms.OrderCancelled{Reason: reason}
	var o *oms.Order
	err := db.update(ctx, func(tx *Tx) error {
		var ids orders.OrderIDs
		var err error
		o, ids, err = tx.LockOrder(ctx, ref, version)
		if err != nil {
			return err
		}
		fs, err := tx.Fulfillments(ctx, "f.order_seq = $1", ids.Seq)
		if err != nil {
			return err
		}
		if err := tx.Cancel(ctx, o, ids, fs, lines, extra, actor); err != nil {
			return err
		}
		return tx.AsRead(ctx, o, ids)
	})
	return o, err
}

// cancelSummary words a cancellation event that gives a reason for the
// timeline: "Order cancelled: customer changed their mind".
func cancelSummary(e oms.Event) (string, bool) {
	var d struct {
		Reason string `json:"reason"`
	}
	if e.Type != oms.EventOrderCancelled && e.Type != oms.EventOrderLineCancelled ||
		json.Unmarshal(e.Data, &d) != nil || d.Reason == "" {
		return "", false
	}
	return orders.Summarize(e.Type) + ": " + customers.Clip(d.Reason, 120), true
}

// Cancel cancels units of the loaded, locked order, releases them, records
// the event (with why, if said, from extra's reason, fulfillment and
// ready_since) and gives the released stock to the orders waiting for it.
func (tx *Tx) Cancel(ctx context.Context, o *oms.Order, ids orders.OrderIDs, fs []*orders.Fulfillment, lines []oms.CancelLine, extra oms.OrderCancelled, actor string) error {
	releases, err := o.Cancel(lines)
	if err != nil {
		return err
	}
	if err := tx.release(ctx, o, ids, releases, actor); err != nil {
		return err
	}
	for _, r := range releases {
		orders.TakeFromFulfillments(fs, r.LineID, ids.Location[r.Location], r.Quantity)
	}
	if err := tx.saveOrder(ctx, o, ids, fs); err != nil {
		return err
	}
	data := extra
	data.Number, data.Status, data.Released, data.Lines = o.Number, o.Status, oms.ReleasedStockOf(releases), o.Lines
	typ, payload := oms.EventOrderLineCancelled, any(oms.OrderLinesCancelled(data))
	if o.Status == oms.StatusCancelled {
		typ, payload = oms.EventOrderCancelled, data
	}
	if err := tx.AddEvent(ctx, typ, o.ID, o.ID, actor, payload); err != nil {
		return err
	}
	if err := tx.OrderMoved(ctx, o, actor, false); err != nil {
		return err
	}
	return tx.giveBack(ctx, ids, releases, actor)
}

// saveOrder writes what a change did to an order: its fulfillments, its
// lines' quantities, and its status (derived again), version and time.
func (tx *Tx) saveOrder(ctx context.Context, o *oms.Order, ids orders.OrderIDs, fs []*orders.Fulfillment) error {
	if err := tx.NoteStatusBefore(ctx, o, ids.Seq); err != nil {
		return err
	}
	if err := tx.SaveFulfillments(ctx, o, fs); err != nil {
		return err
	}
	if err := tx.SaveLineQuantities(ctx, o, ids.Seq); err != nil {
		return err
	}
	o.Refresh(orders.States(fs)...)
	o.Version++
	o.UpdatedAt = tx.Now()
	_, err := tx.ExecContext(ctx, orders.SetOrderStatus, ids.Seq, o.Status, tx.Now(), 1)
	return err
}

// release gives reservations back: balances, ledger and allocation rows, in
// (item, location) order. The order's allocations already show what is left.
func (tx *Tx) release(ctx context.Context, o *oms.Order, ids orders.OrderIDs, rs []oms.Release, actor string) error {
	if err := tx.releaseStock(ctx, o, ids, rs, actor); err != nil {
		return err
	}
	left := make(map[[2]string]int64, len(o.Allocations))
	for _, a := range o.Allocations {
		left[[2]string{a.LineID, a.Location}] += a.Quantity
	}
	for _, r := range rs {
		locID := ids.Location[r.Location]
		pos := orders.LinePosition(o, r.LineID)
		var err error
		if n := left[[2]string{r.LineID, r.Location}]; n > 0 {
			_, err = tx.ExecContext(ctx, updateAllocation, ids.Seq, pos, locID, n)
		} else {
			_, err = tx.ExecContext(ctx, deleteAllocation, ids.Seq, pos, locID)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// releaseStock takes the released units off the balances' reserved, with
// their ledger entries, in (item, location) order.
func (tx *Tx) releaseStock(ctx context.Context, o *oms.Order, ids orders.OrderIDs, rs []oms.Release, actor string) error {
	slices.SortFunc(rs, func(a, b oms.Release) int {
		return cmp.Or(cmp.Compare(ids.Items[a.LineID], ids.Items[b.LineID]),
			cmp.Compare(ids.Location[a.Location], ids.Location[b.Location]))
	})
	for _, r := range rs {
		_, err := tx.Apply(ctx, orders.Move{ItemID: ids.Items[r.LineID], LocationID: ids.Location[r.Location], SKU: r.SKU,
			Location: r.Location, Kind: oms.MoveRelease, ReservedDelta: -r.Quantity, Reference: "order " + o.Number,
			OrderID: o.ID, Actor: actor})
		if err != nil {
			return err
		}
	}
	return nil
}
