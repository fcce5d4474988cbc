package inventory

import (
	"context"
	"fmt"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/store/sqldb"
)

const (
	selectStock = `
SELECT l.code, b.on_hand, b.reserved, b.safety_stock
FROM balances b JOIN locations l ON l.id = b.location_id
WHERE b.item_id = $1
ORDER BY l.code`
	selectSafetyStock = `SELECT safety_stock FROM balances WHERE item_id = $1 AND location_id = $2`
	updateSafetyStock = `UPDATE balances SET safety_stock = $3, updated_at = $4 WHERE item_id = $1 AND location_id = $2`
	selectLedger      = `
SELECT g.id, l.code, g.kind, g.delta, g.reserved_delta, g.on_hand_after, g.reserved_after,
    g.reference, g.order_id, g.actor, g.created_at
FROM ledger g JOIN locations l ON l.id = g.location_id
WHERE g.item_id = $1 AND g.id < $2%s
ORDER BY g.id DESC
LIMIT $3`
)

// AdjustInventory records a hand-made stock movement — a receipt, a
// correction, a count or damage — and returns its ledger entry. It returns
// EINVALID for a bad field or an unknown SKU or location, and ECONFLICT when
// on hand would fall below what is reserved.
func (r *Stockroom) AdjustInventory(ctx context.Context, a oms.Adjustment, by oms.Principal) (oms.LedgerEntry, error) {
	actor := by.Actor()
	var entry oms.LedgerEntry
	if err := a.Validate(); err != nil {
		return entry, err
	}
	err := r.store.Update(ctx, func(tx Tx) error {
		itemID, locID, err := ItemAndLocation(ctx, tx, a.SKU, a.Location)
		if err != nil {
			return err
		}
		if err := tx.EnsureBalance(ctx, itemID, locID); err != nil {
			return err
		}
		m := Move{Item: itemID, Location: locID, SKU: a.SKU, LocationCode: a.Location, Kind: a.Reason,
			Reference: a.Reference, Actor: actor}
		if a.Delta != nil {
			m.Delta = *a.Delta
		} else {
			onHand, reserved, err := tx.LockBalance(ctx, itemID, locID)
			if err != nil {
				return err
			}
			if *a.SetOnHand < reserved {
				return oms.Errorf(oms.ECONFLICT, "%s at %s: %d units are reserved, more than the %d counted; cancel or move those orders first",
					a.SKU, a.Location, reserved, *a.SetOnHand)
			}
			m.Delta = *a.SetOnHand - onHand
		}
		entry, err = tx.Move(ctx, m)
		if err != nil {
			return err
		}
		if err := tx.AddEvent(ctx, oms.EventInventoryAdjusted, a.SKU, "", actor, oms.InventoryAdjusted(entry)); err != nil {
			return err
		}
		if entry.Delta > 0 {
			// Stock arrived: the orders waiting for it get it, oldest first.
			return tx.AllocateWaiting(ctx, itemID, actor)
		}
		return nil
	})
	return entry, err
}

// SetSafetyStock sets the units of a SKU kept back from sale at a location
// and returns the SKU's stock. Lowering it frees units: the orders waiting
// for the SKU get them, oldest first. It returns EINVALID for a bad field
// or an unknown SKU or location.
func (r *Stockroom) SetSafetyStock(ctx context.Context, s oms.SafetyStock, by oms.Principal) (oms.Stock, error) {
	actor := by.Actor()
	if err := s.Validate(); err != nil {
		return oms.Stock{}, err
	}
	err := r.store.Update(ctx, func(tx Tx) error {
		itemID, locID, err := ItemAndLocation(ctx, tx, s.SKU, s.Location)
		if err != nil {
			return err
		}
		if err := tx.EnsureBalance(ctx, itemID, locID); err != nil {
			return err
		}
		if _, _, err := tx.LockBalance(ctx, itemID, locID); err != nil {
			return err
		}
		var prev int64
		if err := tx.QueryRowContext(ctx, selectSafetyStock, itemID, locID).Scan(&prev); err != nil {
			return err
		}
		if prev == s.Units {
			return nil
		}
		if _, err := tx.ExecContext(ctx, updateSafetyStock, itemID, locID, s.Units, tx.Now()); err != nil {
			return err
		}
		if err := tx.AddEvent(ctx, oms.EventSafetyStockSet, s.SKU, "", actor,
			oms.SafetyStockSet{SKU: s.SKU, Location: s.Location, SafetyStock: s.Units, Previous: prev}); err != nil {
			return err
		}
		if s.Units < prev {
			// Units were freed: the orders waiting for them get them.
			return tx.AllocateWaiting(ctx, itemID, actor)
		}
		return nil
	})
	if err != nil {
		return oms.Stock{}, err
	}
	return r.Stock(ctx, s.SKU)
}

// Stock returns the SKU's balances at every location that has held it, or
// ENOTFOUND.
func (r *Stockroom) Stock(ctx context.Context, sku string) (oms.Stock, error) {
	var s oms.Stock
	err := r.store.View(ctx, func(tx Tx) error {
		itemID, err := tx.Item(ctx, sku)
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
func (r *Stockroom) Ledger(ctx context.Context, p oms.Principal, sku string, before int64, limit int) ([]oms.LedgerEntry, error) {
	var out []oms.LedgerEntry
	if before <= 0 {
		before = 1<<63 - 1
	}
	err := r.store.View(ctx, func(tx Tx) error {
		itemID, err := tx.Item(ctx, sku)
		if err != nil {
			return err
		}
		arg, args := sqldb.Numbered([]any{itemID, before, limit})
		scope := ""
		if c := r.store.LocationScope(p, "g.location_id", arg); c != "" {
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
