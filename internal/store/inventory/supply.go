package inventory

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/store/sqldb"
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
	selectWaitingUnits = `SELECT COALESCE(SUM(qty_open), 0) FROM order_lines WHERE item_id = $1 AND qty_open > 0`
)

// CreateSupply records expected supply. It returns EINVALID for a bad field
// or an unknown SKU or location.
func (r *Stockroom) CreateSupply(ctx context.Context, s *oms.Supply, by oms.Principal) error {
	actor := by.Actor()
	s.ETA = s.ETA.UTC().Truncate(time.Microsecond)
	if err := s.Validate(); err != nil {
		return err
	}
	return r.store.Update(ctx, func(tx Tx) error {
		itemID, locID, err := ItemAndLocation(ctx, tx, s.SKU, s.Location)
		if err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, insertSupply, itemID, locID, s.Kind, s.Reference, s.Quantity, s.ETA, tx.Now()).Scan(&s.ID); err != nil {
			return err
		}
		s.Status, s.CreatedAt, s.UpdatedAt = "open", tx.Now(), tx.Now()
		return tx.AddEvent(ctx, oms.EventSupplyCreated, fmt.Sprint(s.ID), "", actor, s)
	})
}

// ReceiveSupply receives qty units of the supply (all still due when qty is
// 0): they enter on hand at its location through the ledger, and the orders
// waiting for the item get them, oldest first. It returns ENOTFOUND,
// ECONFLICT when the supply is no longer open, and EINVALID for a quantity
// above what is still due.
func (r *Stockroom) ReceiveSupply(ctx context.Context, id, qty int64, by oms.Principal) (*oms.Supply, error) {
	actor := by.Actor()
	var s *oms.Supply
	err := r.store.Update(ctx, func(tx Tx) error {
		var itemID, locID int64
		var err error
		s, itemID, locID, err = supply(ctx, tx, id, true)
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
		if err := tx.EnsureBalance(ctx, itemID, locID); err != nil {
			return err
		}
		kind := oms.MoveReceive
		if s.Kind == "transfer" {
			kind = oms.MoveTransfer
		}
		entry, err := tx.Move(ctx, Move{Item: itemID, Location: locID, SKU: s.SKU, LocationCode: s.Location,
			Kind: kind, Delta: qty, Reference: fmt.Sprintf("supply %d %s", id, s.Reference), Actor: actor})
		if err != nil {
			return err
		}
		s.Received += qty
		if s.Received == s.Quantity {
			s.Status = "received"
		}
		s.UpdatedAt = tx.Now()
		if _, err := tx.ExecContext(ctx, updateSupplyReceived, id, s.Received, s.Status, tx.Now()); err != nil {
			return err
		}
		if err := tx.AddEvent(ctx, oms.EventSupplyReceived, fmt.Sprint(id), "", actor, oms.SupplyReceived{
			Supply: s, Ledger: entry}); err != nil {
			return err
		}
		return tx.AllocateWaiting(ctx, itemID, actor)
	})
	return s, err
}

func supply(ctx context.Context, tx Tx, id int64, lock bool) (*oms.Supply, int64, int64, error) {
	q := selectSupplyCols + " WHERE s.id = $1"
	if lock {
		q += tx.Engine().LockOf("s")
	}
	var s oms.Supply
	var itemID, locID int64
	err := tx.QueryRowContext(ctx, q, id).Scan(&s.ID, &s.SKU, &s.Location, &s.Kind, &s.Reference, &s.Quantity,
		&s.Received, &s.ETA, &s.Status, &s.CreatedAt, &s.UpdatedAt, &itemID, &locID)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, 0, 0, sqldb.NotFound("supply %d does not exist", id)
	}
	s.ETA, s.CreatedAt, s.UpdatedAt = s.ETA.UTC(), s.CreatedAt.UTC(), s.UpdatedAt.UTC()
	return &s, itemID, locID, err
}

// Supply returns the supply with the id, or ENOTFOUND.
func (r *Stockroom) Supply(ctx context.Context, id int64) (*oms.Supply, error) {
	var s *oms.Supply
	err := r.store.View(ctx, func(tx Tx) (err error) {
		s, _, _, err = supply(ctx, tx, id, false)
		return err
	})
	return s, err
}

// ListSupply returns a page of the supply the filter names, by ETA (then
// id); only that due at p's locations when it is bound to some. It returns
// EINVALID naming a SKU or location that does not exist.
func (r *Stockroom) ListSupply(ctx context.Context, p oms.Principal, f oms.SupplyFilter) ([]oms.Supply, error) {
	var out []oms.Supply
	err := r.store.View(ctx, func(tx Tx) error {
		var item, loc int64
		var err error
		if f.SKU != "" {
			if item, err = tx.Item(ctx, f.SKU); oms.ErrorCode(err) == oms.ENOTFOUND {
				return oms.Invalid("sku", "no item has SKU %q", f.SKU)
			} else if err != nil {
				return err
			}
		}
		if f.Location != "" {
			if loc, err = tx.Location(ctx, f.Location); oms.ErrorCode(err) == oms.ENOTFOUND {
				return oms.Invalid("location", "no location has code %q", f.Location)
			} else if err != nil {
				return err
			}
		}
		arg, args := sqldb.Numbered([]any{item, loc, f.Status, f.After, f.Limit})
		scope := ""
		if c := r.store.LocationScope(p, "s.location_id", arg); c != "" {
			scope = " AND " + c
		}
		// The page after a supply: later ETAs, or the same ETA and a later id.
		q := selectSupplyCols + ` WHERE ($1 = 0 OR s.item_id = $1) AND ($2 = 0 OR s.location_id = $2) AND ($3 = '' OR s.status = $3)
    AND ($4 = 0 OR s.eta > (SELECT a.eta FROM supply a WHERE a.id = $4)
        OR s.eta = (SELECT a.eta FROM supply a WHERE a.id = $4) AND s.id > $4)` + scope + " ORDER BY s.eta, s.id LIMIT $5"
		out, err = supplies(ctx, tx, q, args()...)
		return err
	})
	return out, err
}

// SupplyDue returns the open supply of the SKUs, by ETA; only that due at
// p's locations when it is bound to some. Unknown SKUs have none.
func (r *Stockroom) SupplyDue(ctx context.Context, p oms.Principal, skus []string) ([]oms.Supply, error) {
	if len(skus) == 0 {
		return nil, nil
	}
	vals := make([]any, len(skus))
	for i, s := range skus {
		vals[i] = s
	}
	var out []oms.Supply
	err := r.store.View(ctx, func(tx Tx) error {
		in, args := tx.Engine().InList("i.sku", "text", vals, nil)
		arg, all := sqldb.Numbered(args)
		scope := ""
		if c := r.store.LocationScope(p, "s.location_id", arg); c != "" {
			scope = " AND " + c
		}
		var err error
		out, err = supplies(ctx, tx, selectSupplyCols+" WHERE s.status = 'open' AND "+in+scope+" ORDER BY s.eta, s.id", all()...)
		return err
	})
	return out, err
}

// supplies runs a query of selectSupplyCols.
func supplies(ctx context.Context, tx Tx, q string, args ...any) ([]oms.Supply, error) {
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
func (r *Stockroom) AvailableToPromise(ctx context.Context, sku string) (oms.ATP, error) {
	out := oms.ATP{SKU: sku}
	err := r.store.View(ctx, func(tx Tx) error {
		itemID, err := tx.Item(ctx, sku)
		if err != nil {
			return err
		}
		lots, available, err := supplyPicture(ctx, tx, itemID)
		if err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, selectWaitingUnits, itemID).Scan(&out.Waiting); err != nil {
			return err
		}
		out.Available = available
		out.Timeline = oms.AvailableToPromise(tx.Now(), available, out.Waiting, lots)
		return nil
	})
	return out, err
}

// supplyPicture returns the item's supply still due and what is available
// now.
func supplyPicture(ctx context.Context, tx Tx, itemID int64) ([]oms.Lot, int64, error) {
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
