package oms

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// FulfillmentStatus is where a fulfillment stands.
type FulfillmentStatus string

// The fulfillment statuses. A shipment goes pending → picking → packed →
// shipped → delivered; a store pickup goes pending → picking → packed →
// ready_for_pickup → picked_up. Steps may be skipped forward (a small shop
// ships straight from pending); any open fulfillment may be cancelled.
const (
	FulfillmentPending        FulfillmentStatus = "pending"
	FulfillmentPicking        FulfillmentStatus = "picking"
	FulfillmentPacked         FulfillmentStatus = "packed"
	FulfillmentShipped        FulfillmentStatus = "shipped"
	FulfillmentDelivered      FulfillmentStatus = "delivered"
	FulfillmentReadyForPickup FulfillmentStatus = "ready_for_pickup"
	FulfillmentPickedUp       FulfillmentStatus = "picked_up"
	FulfillmentCancelled      FulfillmentStatus = "cancelled"
)

// FulfillmentStatuses lists the fulfillment statuses, for validating moves
// and filters.
var FulfillmentStatuses = []FulfillmentStatus{FulfillmentPending, FulfillmentPicking, FulfillmentPacked,
	FulfillmentShipped, FulfillmentDelivered, FulfillmentReadyForPickup, FulfillmentPickedUp, FulfillmentCancelled}

// Open reports whether the fulfillment's units are still at its location,
// reserved: pending, picking, packed or ready for pickup.
func (s FulfillmentStatus) Open() bool {
	switch s {
	case FulfillmentPending, FulfillmentPicking, FulfillmentPacked, FulfillmentReadyForPickup:
		return true
	}
	return false
}

// Gone reports whether the fulfillment's units have left with the customer
// or a carrier: shipped, delivered or picked up.
func (s FulfillmentStatus) Gone() bool {
	return s == FulfillmentShipped || s == FulfillmentDelivered || s == FulfillmentPickedUp
}

// FulfillmentState is what an order's status needs to know of a
// fulfillment.
type FulfillmentState struct {
	Status  FulfillmentStatus
	Shipped bool // its units have left stock: shipped, or handed over
}

// State returns the fulfillment's state.
func (f *Fulfillment) State() FulfillmentState {
	return FulfillmentState{Status: f.Status, Shipped: f.ShippedAt != nil}
}

// Fulfillment is one location's part of an order: the units it is to ship,
// or to hand over at its counter.
type Fulfillment struct {
	ID          string `json:"id"` // "<order number>-F<n>"
	OrderID     string `json:"order_id"`
	OrderNumber string `json:"order_number"`
	Location    string `json:"location"`
	Pickup      bool   `json:"pickup"`
	// DeliverTo is the pickup store a fulfillment from another location
	// ships to: it is shipped, then ready for pickup there, then picked up.
	DeliverTo      string            `json:"deliver_to,omitempty"`
	Status         FulfillmentStatus `json:"status"`
	Lines          []FulfillmentLine `json:"lines"`
	Carrier        string            `json:"carrier,omitempty"`
	Service        string            `json:"service,omitempty"`
	TrackingNumber string            `json:"tracking_number,omitempty"`
	TrackingURL    string            `json:"tracking_url,omitempty"`
	// RejectReason says why the location could not supply some of its units;
	// the order is not sourced from that location again.
	RejectReason string     `json:"reject_reason,omitempty"`
	CreatedAt    time.Time  `json:"created_at"`
	UpdatedAt    time.Time  `json:"updated_at"`
	ShippedAt    *time.Time `json:"shipped_at,omitempty"` // shipped or picked up
	DeliveredAt  *time.Time `json:"delivered_at,omitempty"`
}

// FulfillmentLine is a quantity of one order line in a fulfillment.
type FulfillmentLine struct {
	LineID   string `json:"line_id"`
	SKU      string `json:"sku"`
	Quantity int64  `json:"quantity"`
}

// FulfillmentID is the public id of fulfillment n of order number seq.
func FulfillmentID(seq int64, n int) string {
	return strconv.FormatInt(seq, 10) + "-F" + strconv.Itoa(n)
}

// ParseFulfillmentID splits "1001-F2" into the order number and n.
func ParseFulfillmentID(id string) (seq int64, n int, ok bool) {
	a, b, found := strings.Cut(id, "-F")
	if !found {
		return 0, 0, false
	}
	seq, err1 := strconv.ParseInt(a, 10, 64)
	n, err2 := strconv.Atoi(b)
	return seq, n, err1 == nil && err2 == nil && seq > 0 && n > 0
}

// steps lists, for each status, the statuses a person may move it to.
var steps = map[FulfillmentStatus][]FulfillmentStatus{
	FulfillmentPending:        {FulfillmentPicking, FulfillmentPacked, FulfillmentShipped, FulfillmentReadyForPickup, FulfillmentCancelled},
	FulfillmentPicking:        {FulfillmentPacked, FulfillmentShipped, FulfillmentReadyForPickup, FulfillmentCancelled},
	FulfillmentPacked:         {FulfillmentShipped, FulfillmentReadyForPickup, FulfillmentCancelled},
	FulfillmentShipped:        {FulfillmentDelivered, FulfillmentReadyForPickup},
	FulfillmentReadyForPickup: {FulfillmentPickedUp, FulfillmentCancelled},
}

// CanMove reports whether the fulfillment may go to status to, and if not,
// returns an ECONFLICT error saying why.
func (f *Fulfillment) CanMove(to FulfillmentStatus) error {
	if !slices.Contains(steps[f.Status], to) {
		return Errorf(ECONFLICT, "fulfillment %s is %s; it cannot become %s", f.ID, f.Status, to)
	}
	pickupLike := to == FulfillmentReadyForPickup || to == FulfillmentPickedUp
	switch {
	case !f.Pickup && pickupLike:
		return Errorf(ECONFLICT, "fulfillment %s is a shipment: it is shipped and delivered, not %s", f.ID, to)
	case f.Pickup && to == FulfillmentDelivered:
		return Errorf(ECONFLICT, "fulfillment %s is a store pickup: it ends picked_up, not delivered", f.ID)
	case f.Pickup && f.DeliverTo == "" && to == FulfillmentShipped:
		return Errorf(ECONFLICT, "fulfillment %s is a store pickup at its own location: it becomes ready_for_pickup, not shipped", f.ID)
	case f.DeliverTo != "" && to == FulfillmentReadyForPickup && f.Status != FulfillmentShipped:
		return Errorf(ECONFLICT, "fulfillment %s goes to store %s: ship it there before it is ready for pickup", f.ID, f.DeliverTo)
	}
	return nil
}

// Quantity returns the units of the line in the fulfillment.
func (f Fulfillment) Quantity(lineID string) int64 {
	var n int64
	for _, l := range f.Lines {
		if l.LineID == lineID {
			n += l.Quantity
		}
	}
	return n
}

// Tracking is what a carrier gives a shipment.
type Tracking struct {
	Carrier        string
	Service        string
	TrackingNumber string
	TrackingURL    string
}

// Validate checks the tracking fields and returns an EINVALID error naming
// each bad one.
func (t *Tracking) Validate() error {
	var p Problems
	for _, f := range []struct{ name, v string }{{"carrier", t.Carrier}, {"service", t.Service},
		{"tracking_number", t.TrackingNumber}} {
		if len(f.v) > 100 || !printable(f.v) {
			p.Add(f.name, "must be printable text of at most 100 bytes")
		}
	}
	if u := t.TrackingURL; u != "" && (len(u) > 500 || !printable(u) ||
		!(strings.HasPrefix(u, "https://") || strings.HasPrefix(u, "http://"))) {
		p.Add("tracking_url", "must be an http(s) URL of at most 500 bytes")
	}
	return p.Err()
}

// SplitShipment decides what a shipment of part of a fulfillment ships: the
// quantities asked for (all of it when ask is empty). It returns the lines
// shipped and the lines left behind, or EINVALID when a line is not in the
// fulfillment or asks for more than it holds.
func (f *Fulfillment) SplitShipment(ask []FulfillmentLine) (ship, rest []FulfillmentLine, err error) {
	if len(ask) == 0 {
		return slices.Clone(f.Lines), nil, nil
	}
	var p Problems
	want := make(map[string]int64)
	for i, a := range ask {
		have := f.Quantity(a.LineID)
		switch {
		case a.LineID == "":
			p.Add(fmt.Sprintf("lines[%d].line_id", i), "is required: the id of an order line in fulfillment %s", f.ID)
		case have == 0:
			p.Add(fmt.Sprintf("lines[%d].line_id", i), "is not in fulfillment %s", f.ID)
		case a.Quantity < 1 || want[a.LineID]+a.Quantity > have:
			msg := fmt.Sprintf("must be between 1 and %d, the units of this line in the fulfillment", have)
			if want[a.LineID] > 0 {
				msg = fmt.Sprintf("with the %d units named before for line %s, must be at most the %d in the fulfillment", want[a.LineID], a.LineID, have)
			}
			p.Add(fmt.Sprintf("lines[%d].quantity", i), "%s", msg)
		default:
			want[a.LineID] += a.Quantity
		}
	}
	if err := p.Err(); err != nil {
		return nil, nil, err
	}
	for _, l := range f.Lines {
		n := min(want[l.LineID], l.Quantity)
		want[l.LineID] -= n
		if n > 0 {
			ship = append(ship, FulfillmentLine{LineID: l.LineID, SKU: l.SKU, Quantity: n})
		}
		if l.Quantity > n {
			rest = append(rest, FulfillmentLine{LineID: l.LineID, SKU: l.SKU, Quantity: l.Quantity - n})
		}
	}
	return ship, rest, nil
}
