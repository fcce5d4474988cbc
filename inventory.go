package oms

import (
	"time"

	"github.com/omshq/oms/money"
)

// Balance is the stock of one item at one location.
type Balance struct {
	SKU         string `json:"sku,omitempty"`
	Location    string `json:"location"`
	OnHand      int64  `json:"on_hand"`
	Reserved    int64  `json:"reserved"`
	SafetyStock int64  `json:"safety_stock"`
	Available   int64  `json:"available"`
}

// Available is what can still be promised: on hand less reserved less safety
// stock, never below zero.
func Available(onHand, reserved, safety int64) int64 {
	if a := onHand - reserved - safety; a > 0 {
		return a
	}
	return 0
}

// Stock is an item's balances across all locations, with their sums.
type Stock struct {
	SKU       string    `json:"sku"`
	OnHand    int64     `json:"on_hand"`
	Reserved  int64     `json:"reserved"`
	Available int64     `json:"available"`
	Locations []Balance `json:"locations"`
}

// NewStock sums the balances of one SKU.
func NewStock(sku string, balances []Balance) Stock {
	s := Stock{SKU: sku, Locations: balances}
	if s.Locations == nil {
		s.Locations = []Balance{}
	}
	for _, b := range balances {
		s.OnHand += b.OnHand
		s.Reserved += b.Reserved
		s.Available += b.Available
	}
	return s
}

// Movement kinds recorded in the stock ledger.
const (
	MoveReceive  = "receive"  // goods in
	MoveAdjust   = "adjust"   // a correction up or down
	MoveCount    = "count"    // a stock count set on hand to what was counted
	MoveDamage   = "damage"   // goods written off
	MoveReserve  = "reserve"  // an order reserved stock (reserved changes, on hand does not)
	MoveRelease  = "release"  // a reservation was released
	MoveShip     = "ship"     // goods left with a shipment
	MoveReturn   = "return"   // goods came back
	MoveTransfer = "transfer" // goods left for, or arrived from, another location
)

// MoveKinds are every kind of movement, the reasons the ledger records.
var MoveKinds = []string{MoveReceive, MoveAdjust, MoveCount, MoveDamage, MoveReserve, MoveRelease, MoveShip,
	MoveReturn, MoveTransfer}

// AdjustReasons are the movements a person may record by hand.
var AdjustReasons = []string{MoveReceive, MoveAdjust, MoveCount, MoveDamage}

// LedgerEntry is one append-only stock movement. Delta changes on hand;
// ReservedDelta changes reserved.
type LedgerEntry struct {
	ID            int64     `json:"id"`
	SKU           string    `json:"sku"`
	Location      string    `json:"location"`
	Kind          string    `json:"reason"`
	Delta         int64     `json:"delta"`
	ReservedDelta int64     `json:"reserved_delta"`
	OnHandAfter   int64     `json:"on_hand_after"`
	ReservedAfter int64     `json:"reserved_after"`
	Reference     string    `json:"reference,omitempty"`
	OrderID       string    `json:"order_id,omitempty"`
	Actor         string    `json:"actor,omitempty"`
	CreatedAt     time.Time `json:"created_at"`
}

// MaxQuantity bounds any single quantity or stock level, so that sums of many
// of them stay far from overflow.
const MaxQuantity = 1_000_000_000

// SafetyStock is the units of a SKU at a location kept back from sale: they
// stay on hand, but sourcing, availability to promise and the channels'
// availability leave them out.
type SafetyStock struct {
	SKU      string
	Location string
	Units    int64
}

// Validate checks a safety stock and returns an EINVALID error naming each
// bad field.
func (s *SafetyStock) Validate() error {
	var p Problems
	checkSKU(&p, "sku", s.SKU)
	checkCode(&p, "location", s.Location)
	if s.Units < 0 || s.Units > MaxQuantity {
		p.Add("safety_stock", "must be between 0 and %d", MaxQuantity)
	}
	return p.Err()
}

// SafetyStockSet is the data of inventory.safety_stock_set.
type SafetyStockSet struct {
	Location    string `json:"location"`
	Previous    int64  `json:"previous"`
	SafetyStock int64  `json:"safety_stock"`
	SKU         string `json:"sku"`
}

// Adjustment is a hand-made stock movement: either Delta, or SetOnHand for a
// count.
type Adjustment struct {
	SKU       string
	Location  string
	Reason    string
	Delta     *int64
	SetOnHand *int64
	Reference string
}

// Validate checks an adjustment and returns an EINVALID error naming each bad
// field.
func (a *Adjustment) Validate() error {
	var p Problems
	checkSKU(&p, "sku", a.SKU)
	checkCode(&p, "location", a.Location)
	if !oneOf(a.Reason, AdjustReasons) {
		p.Add("reason", "must be one of receive, adjust, count, damage")
	}
	switch {
	case (a.Delta == nil) == (a.SetOnHand == nil):
		p.Add("delta", "give exactly one of delta and set_on_hand")
	case a.Delta != nil:
		d := *a.Delta
		switch {
		case d == 0:
			p.Add("delta", "must not be zero")
		case d > MaxQuantity || d < -MaxQuantity:
			p.Add("delta", "must be between -%d and %d", MaxQuantity, MaxQuantity)
		case a.Reason == MoveReceive && d < 0:
			p.Add("delta", "must be positive for a receipt")
		case a.Reason == MoveDamage && d > 0:
			p.Add("delta", "must be negative for damage")
		}
	case a.Reason != MoveCount:
		p.Add("set_on_hand", "is for a count: give reason count, or a delta")
	case *a.SetOnHand < 0 || *a.SetOnHand > MaxQuantity:
		p.Add("set_on_hand", "must be between 0 and %d", MaxQuantity)
	}
	if a.Reason == MoveCount && a.Delta != nil && a.SetOnHand == nil {
		p.Add("delta", "a count gives set_on_hand, the quantity counted")
	}
	if len(a.Reference) > 200 || !printable(a.Reference) {
		p.Add("reference", "must be printable text of at most 200 bytes")
	}
	return p.Err()
}

// StockValue is on hand × unit cost, or the ECONFLICT error of TooLarge
// when it does not fit in 64 bits: it is never wrapped around.
func StockValue(sku, location string, onHand, cost int64, currency string) (int64, error) {
	value, ok := money.Mul(onHand, cost)
	if !ok {
		return 0, TooLarge("the stock value of %s at %s (%d on hand × unit cost %s %s)", sku, location, onHand,
			money.Format(cost, currency), currency)
	}
	return value, nil
}
