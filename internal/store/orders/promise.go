package orders

import (
	"context"

	"github.com/omshq/oms"
)

const (
	// selectOpenLotsAt and selectFreeAt are the item's supply due and free
	// stock per location, for a promise to an order that may draw on some
	// locations only.
	selectOpenLotsAt = `
SELECT location_id, eta, quantity - received FROM supply WHERE item_id = $1 AND status = 'open' ORDER BY eta`
	selectFreeAt = `
SELECT location_id, on_hand - reserved - safety_stock FROM balances
WHERE item_id = $1 AND on_hand - reserved - safety_stock > 0`
	selectRejectedAt   = `SELECT DISTINCT location_id FROM fulfillments WHERE order_seq = $1 AND reject_reason <> ''`
	selectWaitingAhead = `
SELECT COALESCE(SUM(qty_open), 0) FROM order_lines WHERE item_id = $1 AND qty_open > 0 AND order_seq < $2`
)

// Promise fills in the promised date of each line of the order with open
// units: when the stock free now and the supply due, at the locations the
// order may draw on, cover them behind the older orders waiting. A line
// whose SKU oms does not know has no promise until it is mapped.
func (tx *Tx) Promise(ctx context.Context, o *oms.Order, ids OrderIDs) error {
	usable, err := tx.usableLocations(ctx, o, ids.Seq)
	if err != nil {
		return err
	}
	for i := range o.Lines {
		l := &o.Lines[i]
		itemID := ids.Items[l.ID]
		if l.Open == 0 || itemID == 0 {
			continue
		}
		lots, available, err := tx.supplyAt(ctx, itemID, usable)
		if err != nil {
			return err
		}
		var ahead int64
		if err := tx.QueryRowContext(ctx, selectWaitingAhead, itemID, ids.Seq).Scan(&ahead); err != nil {
			return err
		}
		it, _, err := tx.Item(ctx, l.SKU)
		if err != nil {
			return err
		}
		l.PromisedDate = oms.PromiseDate(tx.Now(), available, ahead, l.Open, lots, it.ReleaseDate)
	}
	return nil
}

// usableLocations is the set of locations the order may draw on, as
// sourcing would weigh them whatever their stock: active, serving its
// channel, shipping (or its pickup store and, with pickup transfers, those
// that can ship to it), and not one that rejected units of it.
func (tx *Tx) usableLocations(ctx context.Context, o *oms.Order, seq int64) (map[int64]bool, error) {
	sites, err := tx.Sites(ctx)
	if err != nil {
		return nil, err
	}
	set, err := tx.FulfillmentSettings(ctx)
	if err != nil {
		return nil, err
	}
	rejected, err := tx.rejectedLocations(ctx, seq)
	if err != nil {
		return nil, err
	}
	req := oms.SourcingRequest{Channel: o.Channel, PickupAt: o.PickupLocation, PickupTransfers: set.PickupTransfers}
	for _, r := range sites {
		site := r.Site
		if rejected[r.ID] {
			site.Barred = "rejected units of this order"
		}
		req.Sites = append(req.Sites, site)
	}
	out := make(map[int64]bool)
	for i, ok := range req.Usable() {
		if ok {
			out[sites[i].ID] = true
		}
	}
	return out, nil
}

// rejectedLocations is the set of locations that rejected units of the
// order seq.
func (tx *Tx) rejectedLocations(ctx context.Context, seq int64) (map[int64]bool, error) {
	rows, err := tx.QueryContext(ctx, selectRejectedAt, seq)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := make(map[int64]bool)
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out[id] = true
	}
	return out, rows.Err()
}

// supplyAt returns the item's supply still due and what is free now, at the
// locations in usable only.
func (tx *Tx) supplyAt(ctx context.Context, itemID int64, usable map[int64]bool) ([]oms.Lot, int64, error) {
	rows, err := tx.QueryContext(ctx, selectOpenLotsAt, itemID)
	if err != nil {
		return nil, 0, err
	}
	var lots []oms.Lot
	for rows.Next() {
		var loc int64
		var l oms.Lot
		if err := rows.Scan(&loc, &l.ETA, &l.Quantity); err != nil {
			rows.Close()
			return nil, 0, err
		}
		if usable[loc] {
			l.ETA = l.ETA.UTC()
			lots = append(lots, l)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	rows, err = tx.QueryContext(ctx, selectFreeAt, itemID)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var available int64
	for rows.Next() {
		var loc, free int64
		if err := rows.Scan(&loc, &free); err != nil {
			return nil, 0, err
		}
		if usable[loc] {
			available += free
		}
	}
	return lots, available, rows.Err()
}
