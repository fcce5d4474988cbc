package orders

// The ledger: every stock movement — placement's reservations, picks,
// cancellations, returns, and the hand-made adjustments, transfers and
// receipts of internal/store/inventory — goes through apply, which keeps
// the balance rules and puts the movement on the change feed.

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/omshq/oms"
)

const (
	EnsureBalance = `
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
	SelectBalanceForCount = `
SELECT on_hand, reserved FROM balances WHERE item_id = $1 AND location_id = $2`
)

// Move is one stock movement to apply and record in the ledger.
type Move struct {
	ItemID, LocationID int64
	SKU, Location      string
	Kind               string
	Delta              int64 // change to on hand
	ReservedDelta      int64 // change to reserved
	Reference, OrderID string
	Actor              string
}

// ErrStockTaken reports that a reservation planned on rows already locked
// could not be made; it never reaches a client (see reserve).
var ErrStockTaken = errors.New("store: planned stock was not available")

// Apply performs the movement and appends it to the ledger. A reservation
// (kind reserve) must leave safety stock untouched; any movement must leave
// 0 ≤ reserved ≤ on hand ≤ oms.MaxQuantity, or apply returns ECONFLICT and
// changes nothing.
func (tx *Tx) Apply(ctx context.Context, m Move) (oms.LedgerEntry, error) {
	e := oms.LedgerEntry{SKU: m.SKU, Location: m.Location, Kind: m.Kind, Delta: m.Delta,
		ReservedDelta: m.ReservedDelta, Reference: m.Reference, OrderID: m.OrderID, Actor: m.Actor, CreatedAt: tx.Now()}
	var err error
	if m.Kind == oms.MoveReserve {
		err = tx.QueryRowContext(ctx, reserveStock, m.ItemID, m.LocationID, m.ReservedDelta, tx.Now()).
			Scan(&e.OnHandAfter, &e.ReservedAfter)
		if errors.Is(err, sql.ErrNoRows) {
			return e, ErrStockTaken
		}
	} else {
		err = tx.QueryRowContext(ctx, moveStock, m.ItemID, m.LocationID, m.Delta, m.ReservedDelta, tx.Now(), oms.MaxQuantity).
			Scan(&e.OnHandAfter, &e.ReservedAfter)
		if errors.Is(err, sql.ErrNoRows) {
			return e, tx.moveRefused(ctx, m)
		}
	}
	if err != nil {
		return e, fmt.Errorf("stock %s at %s: %w", m.SKU, m.Location, err)
	}
	var orderID any
	if m.OrderID != "" {
		orderID = m.OrderID
	}
	err = tx.QueryRowContext(ctx, insertLedger, m.ItemID, m.LocationID, m.Kind, m.Delta, m.ReservedDelta,
		e.OnHandAfter, e.ReservedAfter, m.Reference, orderID, m.Actor, tx.Now()).Scan(&e.ID)
	if err != nil {
		return e, err
	}
	tx.stockMoved(stockMove{item: m.ItemID, location: m.LocationID, kind: m.Kind, delta: m.Delta, reservedDelta: m.ReservedDelta,
		onHandAfter: e.OnHandAfter, reservedAfter: e.ReservedAfter, at: tx.Now()})
	return e, nil
}

// moveRefused says why moveStock refused the movement: on hand would have
// gone past oms.MaxQuantity, or fallen below what is reserved.
func (tx *Tx) moveRefused(ctx context.Context, m Move) error {
	var onHand, reserved int64 // none when there is no balance yet
	err := tx.QueryRowContext(ctx, SelectBalanceForCount, m.ItemID, m.LocationID).Scan(&onHand, &reserved)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("stock %s at %s: %w", m.SKU, m.Location, err)
	}
	if m.Delta > oms.MaxQuantity-onHand {
		return oms.Errorf(oms.ECONFLICT, "%s at %s: %d units on hand and %d more would pass %d, the most one location holds of a SKU",
			m.SKU, m.Location, onHand, m.Delta, int64(oms.MaxQuantity))
	}
	if reserved == 0 || onHand+m.Delta < 0 {
		return oms.Errorf(oms.ECONFLICT, "%s at %s: %d units on hand, a movement of %d would leave %d: on hand never goes below 0",
			m.SKU, m.Location, onHand, m.Delta, onHand+m.Delta)
	}
	return oms.Errorf(oms.ECONFLICT, "%s at %s: %d units on hand, a movement of %d would leave %d, below the %d reserved for orders; cancel or move those orders first",
		m.SKU, m.Location, onHand, m.Delta, onHand+m.Delta, reserved)
}
