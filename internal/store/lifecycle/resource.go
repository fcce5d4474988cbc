package lifecycle

import (
	"context"
	"slices"
	"strconv"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/store/orders"
	"github.com/omshq/oms/internal/store/sqldb"
)

const (
	// upsertAllocation adds units to a line's allocation at a location.
	upsertAllocation = `
INSERT INTO allocations (order_seq, position, location_id, item_id, quantity, created_at)
VALUES ($1, $2, $3, $4, $5, $6)
ON CONFLICT (order_seq, position, location_id) DO UPDATE SET quantity = allocations.quantity + excluded.quantity`
	// selectWaiting finds the oldest orders with open units of an item —
	// but a pickup order that may take only what its store holds only when
	// its store has some of the item unreserved.
	selectWaiting = `
SELECT DISTINCT l.order_seq FROM order_lines l JOIN orders o ON o.seq = l.order_seq
WHERE l.item_id = $1 AND l.qty_open > 0 AND ($3 OR o.pickup_location IS NULL OR EXISTS (
    SELECT 1 FROM balances b JOIN locations s ON s.id = b.location_id
    WHERE b.item_id = $1 AND s.code = o.pickup_location AND b.on_hand > b.reserved))
ORDER BY l.order_seq
LIMIT $2`
	selectItemLeft = `SELECT EXISTS (SELECT 1 FROM balances WHERE item_id = $1 AND on_hand > reserved)`
)

// resource sources the order's open units again — after a location rejected
// some, or when stock arrived — from every location but those that rejected
// units of this order. It locks
// the balances it reads, reserves what it places, and records allocations,
// fulfillments, ledger entries and an order.sourced event. The caller saves
// the order (saveOrder) afterwards.
func (tx *Tx) resource(ctx context.Context, o *oms.Order, ids orders.OrderIDs, fs []*orders.Fulfillment, why, actor string) ([]*orders.Fulfillment, error) {
	open := false
	for _, l := range o.Lines {
		open = open || l.Open > 0
	}
	if !open {
		return fs, nil
	}
	var code string
	if err := tx.QueryRowContext(ctx, orders.SelectOrderChannel, ids.Seq).Scan(&code); err != nil {
		return fs, err
	}
	// The order's currency was checked when it was placed; a marketplace
	// order may be in its buyer's.
	ch, err := tx.ChannelOf(ctx, &oms.OrderDraft{Channel: code, Currency: o.Currency, ForeignCurrency: true})
	if err != nil {
		return fs, err
	}
	p := &orders.Pending{Order: o, LineItems: make([]int64, len(o.Lines)), Channel: ch}
	for i, l := range o.Lines {
		p.LineItems[i] = ids.Items[l.ID]
	}
	stock, sites, set, err := tx.SourcingInputs(ctx, []*orders.Pending{p}, true)
	if err != nil {
		return fs, err
	}
	pts, err := tx.ShipPoints(ctx, []*oms.Order{o})
	if err != nil {
		return fs, err
	}
	// Sourcing weighs only the open units: allocated ones stay where they
	// are, and an order that is not split waits for the location it has.
	d := orders.Source(o, p.LineItems, ch, stock, sites, rejectedAt(fs), drawnOn(fs), ids.Location, set, pts[o])
	data := oms.OrderSourced{Number: o.Number, Reason: why, Sourcing: d}
	if len(d.Placements) == 0 {
		return fs, tx.AddEvent(ctx, oms.EventOrderSourced, o.ID, o.ID, actor, data)
	}
	// The order changes: on the change feed.
	if err := tx.OrderChanging(ctx, ids.Seq); err != nil {
		return fs, err
	}
	want := make(map[orders.BalanceKey]int64)
	var ledger []orders.LedgerRow
	for _, pl := range d.Placements {
		l := &o.Lines[pl.Line]
		k := orders.BalanceKey{Item: p.LineItems[pl.Line], Location: ids.Location[pl.Location]}
		want[k] += pl.Quantity
		l.Open -= pl.Quantity
		l.Allocated += pl.Quantity
		o.Allocations = append(o.Allocations, oms.Allocation{LineID: l.ID, Location: pl.Location, Quantity: pl.Quantity})
		b := stock[k]
		b.Reserved += pl.Quantity
		ledger = append(ledger, orders.LedgerRow{Item: k.Item, Location: k.Location, Kind: oms.MoveReserve,
			ReservedDelta: pl.Quantity, OnHandAfter: b.OnHand, ReservedAfter: b.Reserved,
			Reference: "order " + o.Number, OrderID: o.ID, Actor: actor, At: tx.Now()})
		if _, err := tx.ExecContext(ctx, upsertAllocation, ids.Seq, pl.Line, k.Location, k.Item, pl.Quantity, tx.Now()); err != nil {
			return fs, err
		}
		fs = orders.AddToFulfillments(fs, o, ids.Seq, *l, pl.Location, k.Location, pl.Quantity)
	}
	if err := tx.ReserveStock(ctx, want, stock, ledger, true); err != nil {
		return fs, err
	}
	return fs, tx.AddEvent(ctx, oms.EventOrderSourced, o.ID, o.ID, actor, data)
}

// rejectedAt is the set of locations that rejected units of the order: it
// is not sourced from them again.
func rejectedAt(fs []*orders.Fulfillment) map[int64]bool {
	out := make(map[int64]bool)
	for _, f := range fs {
		if f.RejectReason != "" {
			out[f.LocationID] = true
		}
	}
	return out
}

// drawnOn lists the locations the order already takes units from: those of
// its fulfillments holding units, reserved or gone, that rejected none.
func drawnOn(fs []*orders.Fulfillment) []string {
	var out []string
	for _, f := range fs {
		if f.RejectReason != "" || !f.Status.Open() && !f.Status.Gone() || slices.Contains(out, f.Location) {
			continue
		}
		if slices.ContainsFunc(f.Lines, func(l oms.FulfillmentLine) bool { return l.Quantity > 0 }) {
			out = append(out, f.Location)
		}
	}
	return out
}

// maxWaitingPerReceipt bounds how many waiting orders one stock movement
// tries to allocate in its own transaction.
const maxWaitingPerReceipt = 100

// AllocateWaiting gives newly available stock of the item to the orders
// waiting for it, oldest first, in the caller's transaction.
func (tx *Tx) AllocateWaiting(ctx context.Context, itemID int64, actor string) error {
	set, err := tx.FulfillmentSettings(ctx)
	if err != nil {
		return err
	}
	rows, err := tx.QueryContext(ctx, selectWaiting, itemID, maxWaitingPerReceipt, set.PickupTransfers)
	if err != nil {
		return err
	}
	var seqs []int64
	for rows.Next() {
		var s int64
		if err := rows.Scan(&s); err != nil {
			rows.Close()
			return err
		}
		seqs = append(seqs, s)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, seq := range seqs {
		// Once no unit of the item is left unreserved, the rest wait on.
		var left bool
		if err := tx.QueryRowContext(ctx, selectItemLeft, itemID).Scan(&left); err != nil || !left {
			return err
		}
		// Locked, but its report figures are read only if resource
		// places something: most waiting orders stay as they are.
		o, ids, err := orders.LoadOrder(ctx, tx, strconv.FormatInt(seq, 10), tx.DB.Engine.LockOf("o"))
		if err != nil {
			return err
		}
		fs, err := tx.Fulfillments(ctx, "f.order_seq = $1", seq)
		if err != nil {
			return err
		}
		if fs, err = tx.resource(ctx, o, ids, fs, "stock arrived", actor); err != nil {
			return err
		}
		if changed(fs) {
			if err := tx.saveOrder(ctx, o, ids, fs); err != nil {
				return err
			}
			if err := tx.OrderMoved(ctx, o, actor, false); err != nil {
				return err
			}
		}
	}
	if len(seqs) == maxWaitingPerReceipt {
		// More orders may wait, and stock is left: a job gives it to them.
		return tx.AllocateLater(ctx, itemID)
	}
	return nil
}

// changed reports whether resourcing placed anything: some fulfillment was
// touched.
func changed(fs []*orders.Fulfillment) bool {
	for _, f := range fs {
		if f.Changed {
			return true
		}
	}
	return false
}

// fulfillmentOrder loads, locked, the order a fulfillment id names, with its
// fulfillments, and returns the one named.
func (tx *Tx) fulfillmentOrder(ctx context.Context, id string) (*oms.Order, orders.OrderIDs, []*orders.Fulfillment, *orders.Fulfillment, error) {
	seq, n, ok := oms.ParseFulfillmentID(id)
	if !ok {
		return nil, orders.OrderIDs{}, nil, nil, sqldb.NotFound("fulfillment %q does not exist", id)
	}
	o, ids, err := tx.Order(ctx, strconv.FormatInt(seq, 10), true)
	if oms.ErrorCode(err) == oms.ENOTFOUND {
		return nil, ids, nil, nil, sqldb.NotFound("fulfillment %q does not exist", id)
	} else if err != nil {
		return nil, ids, nil, nil, err
	}
	fs, err := tx.Fulfillments(ctx, "f.order_seq = $1", seq)
	if err != nil {
		return nil, ids, nil, nil, err
	}
	for _, f := range fs {
		if f.N == n {
			return o, ids, fs, f, nil
		}
	}
	return nil, ids, nil, nil, sqldb.NotFound("fulfillment %q does not exist", id)
}
