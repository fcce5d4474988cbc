package oms

import (
	"slices"
	"time"
)

// SupplyFilter names a page of supply: of the SKU, at the location, in the
// status (every one when empty), after the supply with the id After in ETA
// order (0: from the first), at most Limit.
type SupplyFilter struct {
	SKU, Location, Status string
	After                 int64
	Limit                 int
}

// Supply is stock on its way to a location: a purchase order or a transfer,
// with the date it is expected. Receiving it moves it into on hand.
type Supply struct {
	ID        int64     `json:"id"`
	SKU       string    `json:"sku"`
	Location  string    `json:"location"`
	Kind      string    `json:"kind"` // purchase_order or transfer
	Reference string    `json:"reference,omitempty"`
	Quantity  int64     `json:"quantity"`
	Received  int64     `json:"received"`
	ETA       time.Time `json:"eta"`
	Status    string    `json:"status"` // open, received, cancelled
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// SupplyKinds are the kinds of expected supply.
var SupplyKinds = []string{"purchase_order", "transfer"}

// SupplyStatuses are where expected supply stands: open (still due),
// received in full, or cancelled.
var SupplyStatuses = []string{"open", "received", "cancelled"}

// Validate checks a new supply and returns an EINVALID error naming each
// bad field.
func (s *Supply) Validate() error {
	var p Problems
	checkSKU(&p, "sku", s.SKU)
	checkCode(&p, "location", s.Location)
	if !slices.Contains(SupplyKinds, s.Kind) {
		p.Add("kind", "must be purchase_order or transfer")
	}
	if s.Quantity < 1 || s.Quantity > MaxQuantity {
		p.Add("quantity", "must be between 1 and %d", MaxQuantity)
	}
	switch {
	case s.ETA.IsZero():
		p.Add("eta", "is required: an RFC 3339 time from %s to %s", FirstDate, LastDate)
	case !InDateBounds(s.ETA):
		p.Add("eta", "must be from %s to %s", FirstDate, LastDate)
	}
	if len(s.Reference) > 200 || !printable(s.Reference) {
		p.Add("reference", "must be printable text of at most 200 bytes")
	}
	return p.Err()
}

// Lot is supply still to come: units expected on a date.
type Lot struct {
	ETA      time.Time
	Quantity int64
}

// ATPPoint is what can be promised from a date on.
type ATPPoint struct {
	Date     time.Time `json:"date"`
	Arriving int64     `json:"arriving"`             // units of supply due on this date
	Net      int64     `json:"net"`                  // available + supply so far − waiting orders; negative is a shortfall
	ATP      int64     `json:"available_to_promise"` // what a new order could be promised by this date
}

// AvailableToPromise builds the ATP timeline of a SKU: from now, with what is
// available and what waiting orders already claim, then at each supply date.
func AvailableToPromise(now time.Time, available, waiting int64, lots []Lot) []ATPPoint {
	lots = slices.Clone(lots)
	slices.SortFunc(lots, func(a, b Lot) int { return a.ETA.Compare(b.ETA) })
	net := available - waiting
	out := []ATPPoint{{Date: now, Net: net, ATP: max(net, 0)}}
	for _, l := range lots {
		net += l.Quantity
		last := &out[len(out)-1]
		if l.ETA.After(last.Date) {
			out = append(out, ATPPoint{Date: l.ETA, Arriving: l.Quantity, Net: net, ATP: max(net, 0)})
		} else {
			last.Arriving += l.Quantity
			last.Net, last.ATP = net, max(net, 0)
		}
	}
	return out
}

// PromiseDate is the date by which need units can be promised to an order
// that waits behind ahead units of older orders: the first date at which
// what is available plus the supply arrived by then covers them all, and not
// before release (a pre-order's release date). It is nil when the supply
// known does not cover them.
func PromiseDate(now time.Time, available, ahead, need int64, lots []Lot, release *time.Time) *time.Time {
	lots = slices.Clone(lots)
	slices.SortFunc(lots, func(a, b Lot) int { return a.ETA.Compare(b.ETA) })
	have := available
	date := now
	for i := 0; have < ahead+need; i++ {
		if i == len(lots) {
			return nil
		}
		have += lots[i].Quantity
		date = lots[i].ETA
	}
	if release != nil && release.After(date) {
		date = *release
	}
	if date.Before(now) {
		date = now
	}
	return &date
}
