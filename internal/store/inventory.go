package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/omshq/oms"
)

const (
	ensureBalance = `
INSERT INTO balances (item_id, location_id, on_hand, reserved, safety_stock, updated_at)
VALUES ($1, $2, 0, 0, 0, $3)
ON CONFLICT (item_id, location_id) DO NOTHING`
	// reserveStock takes n units if they are available after safety stock;
	// no row back means they are not.
	reserveStock = `
UPDATE balances SET reserved = reserved + $3, updated_at = $4
WHERE item_id = $1 AND location_id = $2 AND on_hand - reserved - safety_stock >= $3
RETURNING on_hand, reserved`
	// moveStock changes on hand and reserved by the deltas if neither goes
	// negative, reserved stays within on hand and on hand within $6 (the
	// most a balance holds); no row back means it would not.
	moveStock = `
UPDATE balances SET on_hand = on_hand + $3, reserved = reserved + $4, updated_at = $5
WHERE item_id = $1 AND location_id = $2
  AND on_hand + $3 >= reserved + $4 AND reserved + $4 >= 0 AND on_hand + $3 <= $6
RETURNING on_hand, reserved`
	insertLedger = `
INSERT INTO ledger (item_id, location_id, kind, delta, reserved_delta, on_hand_after, reserved_after,
    reference, order_id, actor, created_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
RETURNING id`
	selectBalanceForCount = `
SELECT on_hand, reserved FROM balances WHERE item_id = $1 AND location_id = $2`
	selectStock = `
SELECT l.code, b.on_hand, b.reserved, b.safety_stock
FROM balances b JOIN locations l ON l.id = b.location_id
WHERE b.item_id = $1
ORDER BY l.code`
	selectLedger = `
SELECT g.id, l.code, g.kind, g.delta, g.reserved_delta, g.on_hand_after, g.reserved_after,
    g.reference, g.order_id, g.actor, g.created_at
FROM ledger g JOIN locations l ON l.id = g.location_id
WHERE g.item_id = $1 AND g.id < $2%s
ORDER BY g.id DESC
LIMIT $3`
)

// move is one stock movement to apply and record in the ledger.
type move struct {
	itemID, locationID int64
	sku, location      string
	kind               string
	delta              int64 // change to on hand
	reservedDelta      int64 // change to reserved
	reference, orderID string
	actor              string
}

// errStockTaken reports that a reservation planned on rows already locked
// could not be made; it never reaches a client (see reserve).
var errStockTaken = errors.New("store: planned stock was not available")

// apply performs the movement and appends it to the ledger. A reservation
// (kind reserve) must leave safety stock untouched; any movement must leave
// 0 ≤ reserved ≤ on hand ≤ oms.MaxQuantity, or apply returns ECONFLICT and
// changes nothing.
func (tx *Tx) apply(ctx context.Context, m move) (oms.LedgerEntry, error) {
	e := oms.LedgerEntry{SKU: m.sku, Location: m.location, Kind: m.kind, Delta: m.delta,
		ReservedDelta: m.reservedDelta, Reference: m.reference, OrderID: m.orderID, Actor: m.actor, CreatedAt: tx.now}
	var err error
	if m.kind == oms.MoveReserve {
		err = tx.QueryRowContext(ctx, reserveStock, m.itemID, m.locationID, m.reservedDelta, tx.now).
			Scan(&e.OnHandAfter, &e.ReservedAfter)
		if errors.Is(err, sql.ErrNoRows) {
			return e, errStockTaken
		}
	} else {
		err = tx.QueryRowContext(ctx, moveStock, m.itemID, m.locationID, m.delta, m.reservedDelta, tx.now, oms.MaxQuantity).
			Scan(&e.OnHandAfter, &e.ReservedAfter)
		if errors.Is(err, sql.ErrNoRows) {
			return e, tx.moveRefused(ctx, m)
		}
	}
	if err != nil {
		return e, fmt.Errorf("stock %s at %s: %w", m.sku, m.location, err)
	}
	var orderID any
	if m.orderID != "" {
		orderID = m.orderID
	}
	err = tx.QueryRowContext(ctx, insertLedger, m.itemID, m.locationID, m.kind, m.delta, m.reservedDelta,
		e.OnHandAfter, e.ReservedAfter, m.reference, orderID, m.actor, tx.now).Scan(&e.ID)
	if err != nil {
		return e, err
	}
	tx.stockMoved(stockMove{item: m.itemID, location: m.locationID, kind: m.kind, delta: m.delta, reservedDelta: m.reservedDelta,
		onHandAfter: e.OnHandAfter, reservedAfter: e.ReservedAfter, at: tx.now})
	return e, nil
}

// moveRefused says why moveStock refused the movement: on hand would have
// gone past oms.MaxQuantity, or fallen below what is reserved.
func (tx *Tx) moveRefused(ctx context.Context, m move) error {
	var onHand, reserved int64 // none when there is no balance yet
	err := tx.QueryRowContext(ctx, selectBalanceForCount, m.itemID, m.locationID).Scan(&onHand, &reserved)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("stock %s at %s: %w", m.sku, m.location, err)
	}
	if m.delta > oms.MaxQuantity-onHand {
		return oms.Errorf(oms.ECONFLICT, "%s at %s: %d units on hand and %d more would pass %d, the most one location holds of a SKU",
			m.sku, m.location, onHand, m.delta, int64(oms.MaxQuantity))
	}
	return oms.Errorf(oms.ECONFLICT, "%s at %s: on hand would fall below the %s reserved units; cancel or move those orders first",
		m.sku, m.location, "currently")
}

// AdjustInventory records a hand-made stock movement — a receipt, a
// correction, a count or damage — and returns its ledger entry. It returns
// EINVALID for a bad field or an unknown SKU or location, and ECONFLICT when
// on hand would fall below what is reserved.
func (db *DB) AdjustInventory(ctx context.Context, a oms.Adjustment, by oms.Principal) (oms.LedgerEntry, error) {
	actor := by.Actor()
	var entry oms.LedgerEntry
	if err := a.Validate(); err != nil {
		return entry, err
	}
	err := db.update(ctx, func(tx *Tx) error {
		itemID, locID, err := tx.itemAndLocation(ctx, a.SKU, a.Location)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, ensureBalance, itemID, locID, tx.now); err != nil {
			return err
		}
		m := move{itemID: itemID, locationID: locID, sku: a.SKU, location: a.Location, kind: a.Reason,
			reference: a.Reference, actor: actor}
		if a.Delta != nil {
			m.delta = *a.Delta
		} else {
			var onHand, reserved int64
			q := selectBalanceForCount + tx.db.engine.forUpdate
			if err := tx.QueryRowContext(ctx, q, itemID, locID).Scan(&onHand, &reserved); err != nil {
				return err
			}
			if *a.SetOnHand < reserved {
				return oms.Errorf(oms.ECONFLICT, "%s at %s: %d units are reserved, more than the %d counted; cancel or move those orders first",
					a.SKU, a.Location, reserved, *a.SetOnHand)
			}
			m.delta = *a.SetOnHand - onHand
		}
		entry, err = tx.apply(ctx, m)
		if err != nil {
			return err
		}
		if err := tx.addEvent(ctx, oms.EventInventoryAdjusted, a.SKU, "", actor, oms.InventoryAdjusted(entry)); err != nil {
			return err
		}
		if entry.Delta > 0 {
			// Stock arrived: the orders waiting for it get it, oldest first.
			return tx.allocateWaiting(ctx, itemID, actor)
		}
		return nil
	})
	return entry, err
}

// Stock returns the SKU's balances at every location that has held it, or
// ENOTFOUND.
func (db *DB) Stock(ctx context.Context, sku string) (oms.Stock, error) {
	var s oms.Stock
	err := db.view(ctx, func(tx *Tx) error {
		_, itemID, err := tx.item(ctx, sku)
		if err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, selectStock, itemID)
		if err != nil {
			return err
		}
		defer rows.Close()
		var bs []oms.Balance
		for rows.Next() {
			var b oms.Balance
			if err := rows.Scan(&b.Location, &b.OnHand, &b.Reserved, &b.SafetyStock); err != nil {
				return err
			}
			b.Available = oms.Available(b.OnHand, b.Reserved, b.SafetyStock)
			bs = append(bs, b)
		}
		s = oms.NewStock(sku, bs)
		return rows.Err()
	})
	return s, err
}

// Ledger returns up to limit of the SKU's stock movements with an id below
// before (0 means from the newest), newest first, or ENOTFOUND; only those
// at p's locations when it is bound to some.
func (db *DB) Ledger(ctx context.Context, p oms.Principal, sku string, before int64, limit int) ([]oms.LedgerEntry, error) {
	var out []oms.LedgerEntry
	if before <= 0 {
		before = 1<<63 - 1
	}
	err := db.view(ctx, func(tx *Tx) error {
		_, itemID, err := tx.item(ctx, sku)
		if err != nil {
			return err
		}
		arg, args := numbered([]any{itemID, before, limit})
		scope := ""
		if c := locationScope(p, "g.location_id", arg); c != "" {
			scope = " AND " + c
		}
		rows, err := tx.QueryContext(ctx, fmt.Sprintf(selectLedger, scope), args()...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			e := oms.LedgerEntry{SKU: sku}
			var orderID *string
			if err := rows.Scan(&e.ID, &e.Location, &e.Kind, &e.Delta, &e.ReservedDelta, &e.OnHandAfter,
				&e.ReservedAfter, &e.Reference, &orderID, &e.Actor, &e.CreatedAt); err != nil {
				return err
			}
			if orderID != nil {
				e.OrderID = *orderID
			}
			e.CreatedAt = e.CreatedAt.UTC()
			out = append(out, e)
		}
		return rows.Err()
	})
	return out, err
}
