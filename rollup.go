package oms

import (
	"slices"
	"time"

	"github.com/omshq/oms/money"
)

// Report rollups. Everything about an order counts on the UTC day it was
// placed: its sales, discounts, tax, shipping, cancellations, returns,
// refunds, cost and shipping times. So an order's contribution to the
// rollups is a pure function of its current state (Contribute), and a
// change to an order moves the rollups by contribution(after) −
// contribution(before): summing the contributions of all orders gives the
// same rollups, whatever path the orders took.

// OrderFacts is what an order's report figures depend on. Money is in minor
// units of Currency, except line UnitCost, which is in the base currency.
type OrderFacts struct {
	PlacedAt    time.Time
	Channel     int64
	Currency    string
	Shipping    int64
	Tax         int64 // the order's tax total, shipping's tax included
	Backordered bool  // some unit waited for stock at some point
	Lines       []LineFacts
	Shipments   []ShipmentFacts
	Refunds     []RefundFacts
	Returns     []ReturnFacts
}

// LineFacts is one order line's part of OrderFacts.
type LineFacts struct {
	Item                                    int64 // 0 while its SKU is unknown
	Quantity, Subtotal, Discount, Tax       int64
	Cancelled, Shipped, Returned, Restocked int64 // units
	UnitCost                                int64 // in the base currency
	CostKnown                               bool  // false: the unit cost could not be converted to the base currency
}

// ShipmentFacts is one fulfillment: where from, its status, its times, and
// the units of each line (by position) it carries.
type ShipmentFacts struct {
	Location               int64
	Status                 FulfillmentStatus
	ShippedAt, DeliveredAt *time.Time
	Lines                  map[int]int64
}

// shipped reports whether the shipment's units have left its location.
func (s ShipmentFacts) shipped() bool {
	return s.ShippedAt != nil || s.Status == FulfillmentPickedUp
}

// RefundFacts is one refund of the order.
type RefundFacts struct {
	Kind   string
	Amount int64
}

// ReturnFacts is the units of one line (by position) received back for a
// reason.
type ReturnFacts struct {
	Position int
	Reason   string
	Units    int64
}

// SalesKey is a sales rollup row's key. Item 0 holds order-level figures:
// at Location 0 the whole order's, at a location the orders it ships from.
// A line's figures are kept three ways, so that a report reads few rows: by
// item and location, by item over all locations (Location AllLocations),
// and by location over all items (Item AllItems).
type SalesKey struct {
	Day                     time.Time
	Channel, Item, Location int64
}

// SalesFigures are the sums a sales rollup row keeps. Money is in the
// order's currency, except Cost (base currency).
type SalesFigures struct {
	Orders, Units, UnitsCancelled, UnitsShipped, UnitsReturned, UnitsRestocked int64
	Gross, Discounts, Cancellations, Returns, Tax, Shipping                    int64
	RefundReturn, RefundManual, RefundAppeasement                              int64
	Cost, CostMissing                                                          int64 // CostMissing: units sold whose cost is unknown
	Backordered, Split                                                         int64 // orders
}

// CycleKey is a shipping-time histogram bucket: shipments from Location of
// orders placed on Day that shipped (Kind "shipped") or were delivered or
// picked up ("delivered") Hours after placement (see HoursBucket).
type CycleKey struct {
	Day               time.Time
	Channel, Location int64
	Kind              string
	Hours             int64
}

// ReturnKey is a returns rollup row's key: units of Item received back for
// Reason.
type ReturnKey struct {
	Day           time.Time
	Channel, Item int64
	Reason        string
}

// Contribution is an order's part of the rollups.
type Contribution struct {
	Sales   map[SalesKey]SalesFigures
	Cycles  map[CycleKey]int64
	Returns map[ReturnKey]int64
}

// The keys of lines' figures summed over every location or item.
const (
	AllLocations int64 = -1
	AllItems     int64 = -1
)

// The kinds of shipping time.
const (
	CycleShipped   = "shipped"
	CycleDelivered = "delivered"
)

// HourBuckets are the lower bounds, in hours, of the shipping-time
// histogram's buckets: every hour up to two days, then 6 hours up to three
// days, 12 hours up to a week, a day up to two weeks, two days up to 30
// days, and one bucket beyond.
var HourBuckets = func() []int64 {
	var b []int64
	for _, step := range []struct{ from, to, by int64 }{{0, 48, 1}, {48, 72, 6}, {72, 168, 12}, {168, 336, 24}, {336, 720, 48}, {720, 721, 1}} {
		for h := step.from; h < step.to; h += step.by {
			b = append(b, h)
		}
	}
	return b
}()

// HoursBucket is the lower bound of the histogram bucket holding a span
// (spans before placement count as 0).
func HoursBucket(d time.Duration) int64 {
	h := max(int64(d/time.Hour), 0)
	i, found := slices.BinarySearch(HourBuckets, h)
	if !found {
		i--
	}
	return HourBuckets[i]
}

// Contribute returns the order's contribution to the rollups.
func Contribute(f OrderFacts) Contribution {
	day := DayOf(f.PlacedAt)
	c := Contribution{Sales: map[SalesKey]SalesFigures{}, Cycles: map[CycleKey]int64{}, Returns: map[ReturnKey]int64{}}
	order := SalesFigures{Orders: 1, Tax: f.Tax, Shipping: f.Shipping}
	if f.Backordered {
		order.Backordered = 1
	}
	locs := map[int64]bool{}
	for _, s := range f.Shipments {
		if s.Status != FulfillmentCancelled && s.Location != 0 && sumUnits(s.Lines) > 0 {
			locs[s.Location] = true
		}
	}
	if len(locs) > 1 {
		order.Split = 1
	}
	for pos, l := range f.Lines {
		for loc, fig := range lineSlices(pos, l, f.Shipments) {
			k := SalesKey{day, f.Channel, l.Item, loc}
			c.Sales[k] = addFigures(c.Sales[k], fig)
			fig.Tax, fig.Orders = 0, 0
			order = addFigures(order, fig)
		}
	}
	markOrders(c.Sales)
	sumLines(c.Sales)
	for _, r := range f.Refunds {
		switch r.Kind {
		case RefundReturn:
			order.RefundReturn += r.Amount
		case RefundManual:
			order.RefundManual += r.Amount
		default:
			order.RefundAppeasement += r.Amount
		}
	}
	c.Sales[SalesKey{day, f.Channel, 0, 0}] = order
	for loc := range locs {
		c.Sales[SalesKey{day, f.Channel, 0, loc}] = SalesFigures{Orders: 1, Split: order.Split, Backordered: order.Backordered}
	}
	for _, s := range f.Shipments {
		if s.Status == FulfillmentCancelled || sumUnits(s.Lines) == 0 {
			continue
		}
		if s.ShippedAt != nil {
			c.Cycles[CycleKey{day, f.Channel, s.Location, CycleShipped, HoursBucket(s.ShippedAt.Sub(f.PlacedAt))}]++
		}
		if s.DeliveredAt != nil {
			c.Cycles[CycleKey{day, f.Channel, s.Location, CycleDelivered, HoursBucket(s.DeliveredAt.Sub(f.PlacedAt))}]++
		}
	}
	for _, r := range f.Returns {
		if r.Position >= 0 && r.Position < len(f.Lines) && r.Units != 0 {
			c.Returns[ReturnKey{day, f.Channel, f.Lines[r.Position].Item, r.Reason}] += r.Units
		}
	}
	return c
}

// markOrders sets Orders to 1 on each item's row at its lowest location, so
// that an order counts once per SKU however many locations ship it.
func markOrders(sales map[SalesKey]SalesFigures) {
	first := map[int64]int64{}
	for k := range sales {
		if l, ok := first[k.Item]; !ok || k.Location < l {
			first[k.Item] = k.Location
		}
	}
	for item, loc := range first {
		k := SalesKey{Item: item, Location: loc}
		for kk, fig := range sales {
			if kk.Item == k.Item && kk.Location == k.Location {
				fig.Orders = 1
				sales[kk] = fig
			}
		}
	}
}

// sumLines adds the lines' figures summed over locations (per item) and
// over items (per location). Orders counts each order once per item, and
// once per location.
func sumLines(sales map[SalesKey]SalesFigures) {
	byItem, byLoc := map[SalesKey]SalesFigures{}, map[SalesKey]SalesFigures{}
	for k, f := range sales {
		if k.Item == 0 {
			continue
		}
		ik := SalesKey{k.Day, k.Channel, k.Item, AllLocations}
		byItem[ik] = addFigures(byItem[ik], f)
		lk := SalesKey{k.Day, k.Channel, AllItems, k.Location}
		f.Orders = 1
		byLoc[lk] = addFigures(byLoc[lk], f)
	}
	for k, f := range byItem {
		sales[k] = f
	}
	for k, f := range byLoc {
		f.Orders = 1
		sales[k] = f
	}
}

// lineSlices splits a line's figures by the location its units are at:
// units in a live shipment at that location, the rest (open and cancelled
// units) at location 0. Money is split in proportion to units, rounding
// down and carrying the remainder, so that the slices sum to the line.
func lineSlices(pos int, l LineFacts, ships []ShipmentFacts) map[int64]SalesFigures {
	if l.Quantity <= 0 {
		return nil
	}
	at, shipped := map[int64]int64{}, map[int64]int64{}
	var placed int64
	for _, s := range ships {
		q := s.Lines[pos]
		if s.Status == FulfillmentCancelled || q == 0 {
			continue
		}
		at[s.Location] += q
		placed += q
		if s.shipped() {
			shipped[s.Location] += q
		}
	}
	locs := make([]int64, 0, len(at)+1)
	for loc := range at {
		locs = append(locs, loc)
	}
	slices.Sort(locs)
	if rest := l.Quantity - placed; rest > 0 {
		at[0] += rest
		if len(locs) == 0 || locs[0] != 0 {
			locs = append([]int64{0}, locs...)
		}
	}
	net := l.Subtotal - l.Discount
	cancelled := map[int64]int64{0: l.Cancelled}
	returned := spread(l.Returned, locs, shipped)
	restocked := spread(l.Restocked, locs, shipped)
	q := l.Quantity
	gross, disc, tax := prorate(l.Subtotal, q, locs, at), prorate(l.Discount, q, locs, at), prorate(l.Tax, q, locs, at)
	canc, ret := prorate(net, q, locs, cancelled), prorate(net, q, locs, returned)
	out := make(map[int64]SalesFigures, len(locs))
	for _, loc := range locs {
		f := SalesFigures{Units: at[loc], UnitsCancelled: cancelled[loc], UnitsShipped: shipped[loc],
			UnitsReturned: returned[loc], UnitsRestocked: restocked[loc], Gross: gross[loc], Discounts: disc[loc],
			Tax: tax[loc], Cancellations: canc[loc], Returns: ret[loc]}
		sold := at[loc] - cancelled[loc] - restocked[loc]
		cost, ok := money.Mul(l.UnitCost, sold)
		if l.CostKnown && ok && cost <= MaxAmount*1000 {
			f.Cost = cost
		} else { // unknown, or too large to add up: counted as missing
			f.CostMissing = sold
		}
		out[loc] = f
	}
	return out
}

// prorate splits amount × units ÷ quantity over the locations by their
// units (by), rounding down along the running sum so that the parts add up
// to the rounded whole.
func prorate(amount, quantity int64, locs []int64, by map[int64]int64) map[int64]int64 {
	out := map[int64]int64{}
	var cum, prev int64
	for _, loc := range locs {
		cum += by[loc]
		v := mulDiv(max(amount, 0), min(cum, quantity), quantity)
		out[loc] = v - prev
		prev = v
	}
	return out
}

// spread places n units over the locations in order, at most shipped[loc]
// at each: returned units come from shipped ones.
func spread(n int64, locs []int64, shipped map[int64]int64) map[int64]int64 {
	out := map[int64]int64{}
	for _, loc := range locs {
		t := min(n, shipped[loc])
		if t > 0 {
			out[loc] = t
			n -= t
		}
	}
	if n > 0 {
		out[0] += n // more returned than shipped is impossible; keep the sum
	}
	return out
}

func sumUnits(m map[int]int64) int64 {
	var n int64
	for _, q := range m {
		n += q
	}
	return n
}

func addFigures(a, b SalesFigures) SalesFigures {
	return SalesFigures{a.Orders + b.Orders, a.Units + b.Units, a.UnitsCancelled + b.UnitsCancelled,
		a.UnitsShipped + b.UnitsShipped, a.UnitsReturned + b.UnitsReturned, a.UnitsRestocked + b.UnitsRestocked,
		a.Gross + b.Gross, a.Discounts + b.Discounts, a.Cancellations + b.Cancellations, a.Returns + b.Returns,
		a.Tax + b.Tax, a.Shipping + b.Shipping, a.RefundReturn + b.RefundReturn, a.RefundManual + b.RefundManual,
		a.RefundAppeasement + b.RefundAppeasement, a.Cost + b.Cost, a.CostMissing + b.CostMissing,
		a.Backordered + b.Backordered, a.Split + b.Split}
}

// DayOf is the UTC day holding t, at midnight.
func DayOf(t time.Time) time.Time {
	t = t.UTC()
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// Percentile returns the smallest bucket at or below which at least num/den
// of the counts lie (the median is 1/2, p90 9/10), and false when there are
// none.
func Percentile(hist map[int64]int64, num, den int64) (int64, bool) {
	var total int64
	buckets := make([]int64, 0, len(hist))
	for b, n := range hist {
		if n != 0 {
			buckets = append(buckets, b)
			total += n
		}
	}
	if total <= 0 {
		return 0, false
	}
	slices.Sort(buckets)
	var cum int64
	for _, b := range buckets {
		cum += hist[b]
		if cum*den >= total*num {
			return b, true
		}
	}
	return buckets[len(buckets)-1], true
}
