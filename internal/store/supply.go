package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/omshq/oms"
)

const (
	insertSupply = `
INSERT INTO supply (item_id, location_id, kind, reference, quantity, received, eta, status, created_at, updated_at)
VALUES ($1, $2, $3, $4, $5, 0, $6, 'open', $7, $7)
RETURNING id`
	selectSupplyCols = `
SELECT s.id, i.sku, l.code, s.kind, s.reference, s.quantity, s.received, s.eta, s.status, s.created_at, s.updated_at,
    s.item_id, s.location_id
FROM supply s JOIN items i ON i.id = s.item_id JOIN locations l ON l.id = s.location_id`
	updateSupplyReceived = `UPDATE supply SET received = $2, status = $3, updated_at = $4 WHERE id = $1`
	selectOpenLots       = `
SELECT eta, quantity - received FROM supply WHERE item_id = $1 AND status = 'open' ORDER BY eta`
	selectAvailable = `
SELECT COALESCE(SUM(CASE WHEN b.on_hand - b.reserved - b.safety_stock > 0 THEN b.on_hand - b.reserved - b.safety_stock ELSE 0 END), 0)
FROM balances b JOIN locations l ON l.id = b.location_id
WHERE b.item_id = $1 AND l.active AND (l.can_ship OR l.can_pickup)`
	// selectOpenLotsAt and selectFreeAt are the item's supply due and free
	// stock per location, for a promise to an order that may draw on some
	// locations only.
	selectOpenLotsAt = `
SELECT location_id, eta, quantity - received FROM supply WHERE item_id = $1 AND status = 'open' ORDER BY eta`
	selectFreeAt = `
SELECT location_id, on_hand - reserved - safety_stock FROM balances
WHERE item_id = $1 AND on_hand - reserved - safety_stock > 0`
	selectRejectedAt   = `SELECT DISTINCT location_id FROM fulfillments WHERE order_seq = $1 AND reject_reason <> ''`
	selectWaitingUnits = `SELECT COALESCE(SUM(qty_open), 0) FROM order_lines WHERE item_id = $1 AND qty_open > 0`
	selectWaitingAhead = `
SELECT COALESCE(SUM(qty_open), 0) FROM order_lines WHERE item_id = $1 AND qty_open > 0 AND order_seq < $2`
)

// CreateSupply records expected supply. It returns EINVALID for a bad field
// or an unknown SKU or location.
func (db *DB) CreateSupply(ctx context.Context, s *oms.Supply, by oms.Principal) error {
	actor := by.Actor()
	s.ETA = s.ETA.UTC().Truncate(time.Microsecond)
	if err := s.Validate(); err != nil {
		return err
	}
	return db.update(ctx, func(tx *Tx) error {
		itemID, locID, err := tx.itemAndLocation(ctx, s.SKU, s.Location)
		if err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, insertSupply, itemID, locID, s.Kind, s.Reference, s.Quantity, s.ETA, tx.now).Scan(&s.ID); err != nil {
			return err
		}
		s.Status, s.CreatedAt, s.UpdatedAt = "open", tx.now, tx.now
		return tx.addEvent(ctx, oms.EventSupplyCreated, fmt.Sprint(s.ID), "", actor, s)
	})
}

// itemAndLocation resolves a SKU and a location code, or returns EINVALID
// naming the unknown one.
func (tx *Tx) itemAndLocation(ctx context.Context, sku, location string) (int64, int64, error) {
	_, itemID, err := tx.item(ctx, sku)
	if oms.ErrorCode(err) == oms.ENOTFOUND {
		return 0, 0, oms.Invalid("sku", "no item has SKU %q", sku)
	} else if err != nil {
		return 0, 0, err
	}
	_, locID, err := tx.location(ctx, location)
	if oms.ErrorCode(err) == oms.ENOTFOUND {
		return 0, 0, oms.Invalid("location", "no location has code %q", location)
	}
	return itemID, locID, err
}

// ReceiveSupply receives qty units of the supply (all still due when qty is
// 0): they enter on hand at its location through the ledger, and the orders
// waiting for the item get them, oldest first. It returns ENOTFOUND,
// ECONFLICT when the supply is no longer open, and EINVALID for a quantity
// above what is still due.
func (db *DB) ReceiveSupply(ctx context.Context, id, qty int64, by oms.Principal) (*oms.Supply, error) {
	actor := by.Actor()
	var s *oms.Supply
	err := db.update(ctx, func(tx *Tx) error {
		var itemID, locID int64
		var err error
		s, itemID, locID, err = tx.supply(ctx, id, true)
		if err != nil {
			return err
		}
		due := s.Quantity - s.Received
		switch {
		case s.Status != "open":
			return oms.Errorf(oms.ECONFLICT, "supply %d is %s", id, s.Status)
		case qty == 0:
			qty = due
		case qty < 0 || qty > due:
			return oms.Invalid("quantity", "must be between 1 and %d, the units still due", due)
		}
		if _, err := tx.ExecContext(ctx, ensureBalance, itemID, locID, tx.now); err != nil {
			return err
		}
		kind := oms.MoveReceive
		if s.Kind == "transfer" {
			kind = oms.MoveTransfer
		}
		entry, err := tx.apply(ctx, move{itemID: itemID, locationID: locID, sku: s.SKU, location: s.Location,
			kind: kind, delta: qty, reference: fmt.Sprintf("supply %d %s", id, s.Reference), actor: actor})
		if err != nil {
			return err
		}
		s.Received += qty
		if s.Received == s.Quantity {
			s.Status = "received"
		}
		s.UpdatedAt = tx.now
		if _, err := tx.ExecContext(ctx, updateSupplyReceived, id, s.Received, s.Status, tx.now); err != nil {
			return err
		}
		if err := tx.addEvent(ctx, oms.EventSupplyReceived, fmt.Sprint(id), "", actor, oms.SupplyReceived{
			Supply: s, Ledger: entry}); err != nil {
			return err
		}
		return tx.allocateWaiting(ctx, itemID, actor)
	})
	return s, err
}

func (tx *Tx) supply(ctx context.Context, id int64, lock bool) (*oms.Supply, int64, int64, error) {
	q := selectSupplyCols + " WHERE s.id = $1"
	if lock {
		q += tx.db.engine.lockOf("s")
	}
	var s oms.Supply
	var itemID, locID int64
	err := tx.QueryRowContext(ctx, q, id).Scan(&s.ID, &s.SKU, &s.Location, &s.Kind, &s.Reference, &s.Quantity,
		&s.Received, &s.ETA, &s.Status, &s.CreatedAt, &s.UpdatedAt, &itemID, &locID)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, 0, 0, notFound("supply %d does not exist", id)
	}
	s.ETA, s.CreatedAt, s.UpdatedAt = s.ETA.UTC(), s.CreatedAt.UTC(), s.UpdatedAt.UTC()
	return &s, itemID, locID, err
}

// Supply returns the supply with the id, or ENOTFOUND.
func (db *DB) Supply(ctx context.Context, id int64) (*oms.Supply, error) {
	var s *oms.Supply
	err := db.view(ctx, func(tx *Tx) (err error) {
		s, _, _, err = tx.supply(ctx, id, false)
		return err
	})
	return s, err
}

// ListSupply returns the supply of the SKU (every SKU when empty) in the
// status (any when empty), by ETA; only that due at p's locations when it
// is bound to some.
func (db *DB) ListSupply(ctx context.Context, p oms.Principal, sku, status string, limit int) ([]oms.Supply, error) {
	var out []oms.Supply
	err := db.view(ctx, func(tx *Tx) error {
		arg, args := numbered([]any{sku, status, limit})
		scope := ""
		if c := locationScope(p, "s.location_id", arg); c != "" {
			scope = " AND " + c
		}
		q := selectSupplyCols + " WHERE ($1 = '' OR i.sku = $1) AND ($2 = '' OR s.status = $2)" + scope + " ORDER BY s.eta, s.id LIMIT $3"
		var err error
		out, err = tx.supplies(ctx, q, args()...)
		return err
	})
	return out, err
}

// SupplyDue returns the open supply of the SKUs, by ETA; only that due at
// p's locations when it is bound to some. Unknown SKUs have none.
func (db *DB) SupplyDue(ctx context.Context, p oms.Principal, skus []string) ([]oms.Supply, error) {
	if len(skus) == 0 {
		return nil, nil
	}
	vals := make([]any, len(skus))
	for i, s := range skus {
		vals[i] = s
	}
	var out []oms.Supply
	err := db.view(ctx, func(tx *Tx) error {
		in, args := tx.db.engine.inList("i.sku", "text", vals, nil)
		arg, all := numbered(args)
		scope := ""
		if c := locationScope(p, "s.location_id", arg); c != "" {
			scope = " AND " + c
		}
		var err error
		out, err = tx.supplies(ctx, selectSupplyCols+" WHERE s.status = 'open' AND "+in+scope+" ORDER BY s.eta, s.id", all()...)
		return err
	})
	return out, err
}

// supplies runs a query of selectSupplyCols.
func (tx *Tx) supplies(ctx context.Context, q string, args ...any) ([]oms.Supply, error) {
	rows, err := tx.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []oms.Supply
	for rows.Next() {
		var s oms.Supply
		var itemID, locID int64
		if err := rows.Scan(&s.ID, &s.SKU, &s.Location, &s.Kind, &s.Reference, &s.Quantity, &s.Received, &s.ETA,
			&s.Status, &s.CreatedAt, &s.UpdatedAt, &itemID, &locID); err != nil {
			return nil, err
		}
		s.ETA, s.CreatedAt, s.UpdatedAt = s.ETA.UTC(), s.CreatedAt.UTC(), s.UpdatedAt.UTC()
		out = append(out, s)
	}
	return out, rows.Err()
}

// AvailableToPromise returns what can be promised of the SKU, now and at
// each date supply is due, or ENOTFOUND.
func (db *DB) AvailableToPromise(ctx context.Context, sku string) (oms.ATP, error) {
	out := oms.ATP{SKU: sku}
	err := db.view(ctx, func(tx *Tx) error {
		_, itemID, err := tx.item(ctx, sku)
		if err != nil {
			return err
		}
		lots, available, err := tx.supplyPicture(ctx, itemID)
		if err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, selectWaitingUnits, itemID).Scan(&out.Waiting); err != nil {
			return err
		}
		out.Available = available
		out.Timeline = oms.AvailableToPromise(tx.now, available, out.Waiting, lots)
		return nil
	})
	return out, err
}

// supplyPicture returns the item's supply still due and what is available
// now.
func (tx *Tx) supplyPicture(ctx context.Context, itemID int64) ([]oms.Lot, int64, error) {
	rows, err := tx.QueryContext(ctx, selectOpenLots, itemID)
	if err != nil {
		return nil, 0, err
	}
	var lots []oms.Lot
	for rows.Next() {
		var l oms.Lot
		if err := rows.Scan(&l.ETA, &l.Quantity); err != nil {
			rows.Close()
			return nil, 0, err
		}
		l.ETA = l.ETA.UTC()
		lots = append(lots, l)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	var available int64
	err = tx.QueryRowContext(ctx, selectAvailable, itemID).Scan(&available)
	return lots, available, err
}

// promise fills in the promised date of each line of the order with open
// units: when the stock free now and the supply due, at the locations the
// order may draw on, cover them behind the older orders waiting. A line
// whose SKU oms does not know has no promise until it is mapped.
func (tx *Tx) promise(ctx context.Context, o *oms.Order, ids orderIDs) error {
	usable, err := tx.usableLocations(ctx, o, ids.seq)
	if err != nil {
		return err
	}
	for i := range o.Lines {
		l := &o.Lines[i]
		itemID := ids.items[l.ID]
		if l.Open == 0 || itemID == 0 {
			continue
		}
		lots, available, err := tx.supplyAt(ctx, itemID, usable)
		if err != nil {
			return err
		}
		var ahead int64
		if err := tx.QueryRowContext(ctx, selectWaitingAhead, itemID, ids.seq).Scan(&ahead); err != nil {
			return err
		}
		it, _, err := tx.item(ctx, l.SKU)
		if err != nil {
			return err
		}
		l.PromisedDate = oms.PromiseDate(tx.now, available, ahead, l.Open, lots, it.ReleaseDate)
	}
	return nil
}

// usableLocations is the set of locations the order may draw on, as
// sourcing would weigh them whatever their stock: active, serving its
// channel, shipping (or its pickup store and, with pickup transfers, those
// that can ship to it), and not one that rejected units of it.
func (tx *Tx) usableLocations(ctx context.Context, o *oms.Order, seq int64) (map[int64]bool, error) {
	sites, err := tx.sites(ctx)
	if err != nil {
		return nil, err
	}
	set, err := tx.fulfillmentSettings(ctx)
	if err != nil {
		return nil, err
	}
	rejected, err := tx.rejectedLocations(ctx, seq)
	if err != nil {
		return nil, err
	}
	req := oms.SourcingRequest{Channel: o.Channel, PickupAt: o.PickupLocation, PickupTransfers: set.PickupTransfers}
	for _, r := range sites {
		site := r.site
		if rejected[r.id] {
			site.Barred = "rejected units of this order"
		}
		req.Sites = append(req.Sites, site)
	}
	out := make(map[int64]bool)
	for i, ok := range req.Usable() {
		if ok {
			out[sites[i].id] = true
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
