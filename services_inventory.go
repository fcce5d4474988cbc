package oms

import (
	"errors"
	"time"
)

// ATP is a SKU's available-to-promise picture.
type ATP struct {
	SKU       string     `json:"sku"`
	Available int64      `json:"available"` // free now at active locations that ship or hand over
	Waiting   int64      `json:"waiting"`   // open units of orders waiting for stock
	Timeline  []ATPPoint `json:"timeline"`
}

// Transfer moves stock between locations: it leaves the source at once (a
// ledger movement out) and travels as supply of kind transfer to the
// destination, where receiving it brings it in.
type Transfer struct {
	SKU       string
	From, To  string
	Quantity  int64
	ETA       time.Time
	Reference string
}

// supply is the transfer as the supply it becomes at its destination.
func (t Transfer) Supply() *Supply {
	s := &Supply{SKU: t.SKU, Location: t.To, Kind: "transfer", Quantity: t.Quantity,
		ETA: t.ETA.UTC().Truncate(time.Microsecond), Reference: t.Reference}
	if s.Reference == "" {
		s.Reference = "transfer from " + t.From
	}
	return s
}

// Validate checks a transfer and returns an EINVALID error naming each bad
// field as the request names it (the destination is "to").
func (t Transfer) Validate() error {
	var p Problems
	var e *Error
	if errors.As(t.Supply().Validate(), &e) {
		for _, f := range e.Fields {
			if f.Field == "location" {
				f.Field = "to"
			}
			p = append(p, f)
		}
	}
	if t.From == t.To {
		p.Add("to", "must differ from the source location")
	}
	return p.Err()
}

// StockFilter selects the SKUs and balances for ListStock.
type StockFilter struct {
	SKUPrefix string // only SKUs that start with it
	// Location, when set, narrows each SKU to its balance at that location,
	// and the list to the SKUs that have one (that have been stocked there).
	Location string
	// LowStock keeps only the SKUs whose available units — summed over the
	// balances listed — are at most Below.
	LowStock bool
	Below    int64
	After    string // the cursor: only SKUs after this one
	Limit    int
	Scan     int // filtered by location or low stock, look at this many SKUs at most (0: MaxStockScan)
	// Principal bound to locations sees only its balances there, and only
	// the SKUs stocked there, as with Location.
	Principal Principal
}

// ItemFilter selects items for ListItems.
type ItemFilter struct {
	SKUPrefix string // only SKUs that start with it
	After     string // the cursor: only SKUs after this one
	Limit     int
}
