// Package demo fills a database with a realistic business: channels,
// warehouses and stores, a catalog with costs, and months of orders that go
// through the same store operations as real ones — placement and sourcing,
// backorders and restocks, holds, shipments and deliveries, store pickups,
// rejections, cancellations — on a clock that walks through the days, so
// every invariant holds afterwards and every time on the timeline is
// plausible.
package demo

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/fx"
	"github.com/omshq/oms/internal/store"
)

// Options say how much to make.
type Options struct {
	Orders int       // how many orders to attempt (default 20,000)
	Days   int       // over how many days, ending at End (default 90)
	End    time.Time // the last day's end (default: now)
	Seed   uint64    // the same seed makes the same business
	// Progress, when set, is called now and then with the orders placed so far.
	Progress func(placed int64, status string)
}

// Clock is the time the store sees: the demo moves it through the days.
type Clock struct{ ns atomic.Int64 }

// Now returns the clock's time.
func (c *Clock) Now() time.Time { return time.Unix(0, c.ns.Load()).UTC() }

// Set moves the clock to t; it never moves back.
func (c *Clock) Set(t time.Time) {
	for {
		old := c.ns.Load()
		if t.UnixNano() <= old || c.ns.CompareAndSwap(old, t.UnixNano()) {
			return
		}
	}
}

// Summary is what the demo made.
type Summary struct {
	Orders, Refused, Held, Cancelled, Shipped, Delivered, PickedUp, Rejected, Restocks int64
	Returns, Exchanges, Appeasements                                                   int64
	Items, Customers                                                                   int
}

func (s Summary) String() string {
	return fmt.Sprintf("%d orders (%d refused out of stock), %d held and released, %d cancelled, %d shipments, "+
		"%d delivered, %d picked up in store, %d rejected by a location, %d restocks, %d returns (%d exchanges), "+
		"%d goodwill credits; %d items, %d customers",
		s.Orders, s.Refused, s.Held, s.Cancelled, s.Shipped, s.Delivered, s.PickedUp, s.Rejected, s.Restocks,
		s.Returns, s.Exchanges, s.Appeasements, s.Items, s.Customers)
}

const actor = "demo"

// sim is one run of the demo.
type sim struct {
	db    *store.DB
	clock *Clock
	opt   Options
	r     *rand.Rand
	items []item
	zipf  *rand.Zipf
	start time.Time
	sum   Summary
	mu    sync.Mutex // guards sum while orders are placed concurrently
	// shoppers per channel: web and pos share US customers.
	us, eu, gb []customer
	returns    []*returnStep // returns on their way, in steps
}

// Run makes the business in db, whose clock must be clock. The database
// should be empty: the demo's codes would clash with existing ones.
func Run(ctx context.Context, db *store.DB, clock *Clock, opt Options) (Summary, error) {
	if opt.Orders <= 0 {
		opt.Orders = 20_000
	}
	if opt.Days <= 0 {
		opt.Days = 90
	}
	if opt.End.IsZero() {
		opt.End = time.Now().UTC()
	}
	r := rand.New(rand.NewPCG(opt.Seed, opt.Seed^0x9e3779b97f4a7c15))
	s := &sim{db: db, clock: clock, opt: opt, r: r,
		start: opt.End.Truncate(24*time.Hour).AddDate(0, 0, -opt.Days+1)}
	clock.Set(s.start.Add(-24 * time.Hour))
	if err := s.setup(ctx); err != nil {
		return s.sum, fmt.Errorf("setup: %w", err)
	}
	for d := range opt.Days {
		if err := s.day(ctx, d); err != nil {
			return s.sum, fmt.Errorf("day %d: %w", d+1, err)
		}
	}
	return s.sum, nil
}

// setup creates the channels, locations, catalog, stock, rates and rules.
func (s *sim) setup(ctx context.Context) error {
	channels := []oms.Channel{
		{Code: "web", Name: "Web store", Kind: "web", Currency: "USD", BackorderPolicy: oms.BackorderAccept},
		{Code: "amazon-de", Name: "Amazon.de", Kind: "amazon", Currency: "EUR", BackorderPolicy: oms.BackorderReject, SharePercent: 80, Buffer: 2},
		{Code: "ebay-uk", Name: "eBay UK", Kind: "ebay", Currency: "GBP", BackorderPolicy: oms.BackorderReject, SharePercent: 60, Buffer: 2},
		{Code: "pos", Name: "Store tills", Kind: "pos", Currency: "USD", BackorderPolicy: oms.BackorderReject},
	}
	for i := range channels {
		c := &channels[i]
		if c.SharePercent == 0 {
			c.SharePercent = 100
		}
		if _, err := s.db.PutChannel(ctx, c, oms.System(actor)); err != nil {
			return err
		}
	}
	coord := func(v float64) *float64 { return &v }
	locations := []oms.Location{
		{Code: "wh-east", Name: "East warehouse", Kind: "warehouse", CanShip: true, Priority: 1,
			Address:  oms.Address{Line1: "1 Dock Rd", City: "Newark", Region: "NJ", PostalCode: "07102", Country: "US"},
			Latitude: coord(40.73), Longitude: coord(-74.17)},
		{Code: "wh-west", Name: "West warehouse", Kind: "warehouse", CanShip: true, Priority: 1,
			Address:  oms.Address{Line1: "900 Logistics Way", City: "Reno", Region: "NV", PostalCode: "89502", Country: "US"},
			Latitude: coord(39.53), Longitude: coord(-119.81)},
		{Code: "store-nyc", Name: "SoHo store", Kind: "store", CanShip: true, CanPickup: true, Priority: 2,
			Address:  oms.Address{Line1: "120 Prince St", City: "New York", Region: "NY", PostalCode: "10012", Country: "US"},
			Latitude: coord(40.72), Longitude: coord(-74.00)},
		{Code: "store-sf", Name: "Mission store", Kind: "store", CanShip: true, CanPickup: true, Priority: 2,
			Address:  oms.Address{Line1: "3200 16th St", City: "San Francisco", Region: "CA", PostalCode: "94103", Country: "US"},
			Latitude: coord(37.76), Longitude: coord(-122.42)},
	}
	for i := range locations {
		locations[i].Active = true
		if _, err := s.db.PutLocation(ctx, &locations[i], oms.System(actor)); err != nil {
			return err
		}
	}
	its, items := catalog()
	s.items = items
	s.sum.Items = len(items)
	for i := range its {
		if _, err := s.db.PutItem(ctx, &its[i], oms.System(actor)); err != nil {
			return err
		}
	}
	// A few hundred SKUs, a few of them hot: Zipf over a shuffled catalog.
	s.r.Shuffle(len(s.items), func(i, j int) { s.items[i], s.items[j] = s.items[j], s.items[i] })
	s.zipf = rand.NewZipf(s.r, 1.15, 3, uint64(len(s.items)-1))
	for _, it := range s.items {
		for _, loc := range []string{"wh-east", "wh-west", "store-nyc", "store-sf"} {
			n := it.stockLow + s.r.Int64N(it.stock-it.stockLow+1)
			if loc[0] == 's' {
				n /= 5
			}
			if n == 0 {
				continue
			}
			if _, err := s.db.AdjustInventory(ctx, oms.Adjustment{SKU: it.sku, Location: loc, Reason: "receive",
				Delta: &n, Reference: "OPENING"}, oms.System(actor)); err != nil {
				return err
			}
		}
	}
	if err := s.rates(ctx); err != nil {
		return err
	}
	if err := s.db.PutCurrencySettings(ctx, oms.CurrencySettings{BaseCurrency: "USD"}, oms.System(actor)); err != nil {
		return err
	}
	// Large orders wait for a look.
	if err := s.db.PutScreening(ctx, oms.Screening{MaxTotal: map[string]int64{"USD": 60000, "EUR": 55000, "GBP": 48000}}, oms.System(actor)); err != nil {
		return err
	}
	s.us = customers(s.r, max(50, s.opt.Orders/4), usPlaces, "example.com")
	s.eu = customers(s.r, max(20, s.opt.Orders/10), euPlaces, "example.de")
	s.gb = customers(s.r, max(20, s.opt.Orders/12), gbPlaces, "example.co.uk")
	s.sum.Customers = len(s.us) + len(s.eu) + len(s.gb)
	return nil
}

// rates imports euro reference rates for every weekday of the demo, drifting
// a little from day to day as rates do.
func (s *sim) rates(ctx context.Context) error {
	// Levels in ten-thousandths of a unit per euro.
	level := map[string]int64{"USD": 10800, "GBP": 8500, "JPY": 1610000, "CAD": 14700}
	var rs []fx.Rate
	for d := s.start.AddDate(0, 0, -7); !d.After(s.opt.End); d = d.AddDate(0, 0, 1) {
		if wd := d.Weekday(); wd == time.Saturday || wd == time.Sunday {
			continue
		}
		for _, cur := range []string{"USD", "GBP", "JPY", "CAD"} {
			level[cur] += level[cur] * (s.r.Int64N(81) - 40) / 10000 // ±0.4%
			l := level[cur]
			text := fmt.Sprintf("%d.%04d", l/10000, l%10000)
			if cur == "JPY" {
				text = fmt.Sprintf("%d.%02d", l/10000, l%10000/100)
			}
			dec, ok := fx.ParseDecimal(text)
			if !ok {
				return fmt.Errorf("rate %s", text)
			}
			rs = append(rs, fx.Rate{Date: d, Base: "EUR", Currency: cur, Rate: dec})
		}
	}
	_, err := s.db.ImportRates(ctx, rs, oms.System(actor))
	return err
}

// dayWeight is how busy day d is, in thousandths: a rising trend,
// weekends, and the last week's sale.
func (s *sim) dayWeight(d int) int64 {
	w := 1000 + 600*int64(d)/int64(s.opt.Days)
	switch s.start.AddDate(0, 0, d).Weekday() {
	case time.Saturday:
		w = w * 130 / 100
	case time.Sunday:
		w = w * 120 / 100
	case time.Monday:
		w = w * 90 / 100
	}
	if d >= s.opt.Days-7 {
		w = w * 170 / 100
	}
	return w
}

// ordersOn splits the orders over the days by weight: day d gets the
// orders between the rounded shares of the days before it and of those
// up to it, so the days add up to exactly Orders.
func (s *sim) ordersOn(d int) int {
	var total, before int64
	for i := range s.opt.Days {
		if i < d {
			before += s.dayWeight(i)
		}
		total += s.dayWeight(i)
	}
	n := int64(s.opt.Orders)
	share := func(w int64) int64 { return (2*n*w + total) / (2 * total) } // n × w ÷ total, rounded
	return int(share(before+s.dayWeight(d)) - share(before))
}

// hourWeights: shoppers buy at lunch and in the evening (tenths).
var hourWeights = []int{10, 6, 4, 3, 3, 5, 10, 20, 30, 40, 50, 60, 70, 70, 60, 50, 50, 60, 70, 80, 80, 60, 40, 20}

func (s *sim) hour() int { return weighted(s.r, hourWeights) }

// weighted picks an index with probability proportional to its weight.
func weighted(r *rand.Rand, weights []int) int {
	total := 0
	for _, w := range weights {
		total += w
	}
	x := r.IntN(total)
	for i, w := range weights {
		if x -= w; x < 0 {
			return i
		}
	}
	return len(weights) - 1
}

// chance reports true perMille times in a thousand.
func (s *sim) chance(perMille int) bool { return s.r.IntN(1000) < perMille }

// day runs one day: the morning's deliveries and restocks, the day's
// orders, and the warehouse's work at the end of it.
func (s *sim) day(ctx context.Context, d int) error {
	day := s.start.AddDate(0, 0, d)
	s.clock.Set(s.at(day, 7*time.Hour))
	if err := s.deliver(ctx, day); err != nil {
		return err
	}
	if d%2 == 1 {
		if err := s.restock(ctx); err != nil {
			return err
		}
	}
	if err := s.releaseHolds(ctx); err != nil {
		return err
	}
	if err := s.stepReturns(ctx, day); err != nil {
		return err
	}
	drafts := s.drafts(day, s.ordersOn(d))
	if err := s.place(ctx, drafts); err != nil {
		return err
	}
	s.clock.Set(s.at(day, 23*time.Hour+30*time.Minute))
	if err := s.work(ctx, day); err != nil {
		return err
	}
	if _, err := s.db.ExpirePickups(ctx, oms.System(actor)); err != nil {
		return err
	}
	return nil
}

// at returns the time of day on day, or the end of the demo if that is
// earlier.
func (s *sim) at(day time.Time, of time.Duration) time.Time {
	if t := day.Add(of); t.Before(s.opt.End) {
		return t
	}
	return s.opt.End
}

// drafts makes the day's orders, in time order.
func (s *sim) drafts(day time.Time, n int) []*oms.OrderDraft {
	out := make([]*oms.OrderDraft, 0, n)
	// The last day ends now: its orders fit in the part of it that has been.
	span := min(24*time.Hour, s.opt.End.Sub(day))
	for range n {
		of := int64(s.hour()*3600 + s.r.IntN(3600)) // seconds into a whole day, scaled to the span
		out = append(out, s.draft(day.Add(time.Duration(of*int64(span/time.Second)/86400)*time.Second)))
	}
	sort.Slice(out, func(i, j int) bool { return out[i].PlacedAt.Before(out[j].PlacedAt) })
	for i, d := range out {
		d.ExternalID = fmt.Sprintf("%s-%s-%04d", d.Channel, d.PlacedAt.Format("060102"), i+1)
	}
	return out
}

// draft makes one order as its channel would send it.
func (s *sim) draft(at time.Time) *oms.OrderDraft {
	d := &oms.OrderDraft{PlacedAt: at}
	var c customer
	var perMille int64 // the channel's price per 1,000 USD cents, in its currency's minor units
	var vat int64      // percent included in prices; 0: US sales tax on top
	switch x := s.r.IntN(100); {
	case x < 48:
		d.Channel, d.Currency, c, perMille = "web", "USD", s.us[s.r.IntN(len(s.us))], 1000
		if s.chance(120) { // buy online, pick up in store
			d.PickupLocation = []string{"store-nyc", "store-sf"}[s.r.IntN(2)]
		}
	case x < 73:
		d.Channel, d.Currency, c, perMille, vat = "amazon-de", "EUR", s.eu[s.r.IntN(len(s.eu))], 930, 19
	case x < 87:
		d.Channel, d.Currency, c, perMille, vat = "ebay-uk", "GBP", s.gb[s.r.IntN(len(s.gb))], 800, 20
	default:
		d.Channel, d.Currency, c, perMille = "pos", "USD", s.us[s.r.IntN(len(s.us))], 1000
		d.PickupLocation = []string{"store-nyc", "store-sf"}[s.r.IntN(2)]
	}
	d.Customer = oms.Customer{Email: c.email, Name: c.name, Phone: c.phone}
	if d.PickupLocation == "" {
		d.ShipTo = c.address()
	}
	d.TaxesIncluded = vat > 0
	lines := 1
	for lines < 4 && s.chance(350) {
		lines++
	}
	discount := s.chance(150)
	seen := map[string]bool{}
	var net int64
	for range lines {
		it := s.items[s.zipf.Uint64()]
		if seen[it.sku] {
			continue
		}
		seen[it.sku] = true
		qty := int64(1)
		if s.chance(150) {
			qty += s.r.Int64N(3)
		}
		price := roundPrice(it.price * perMille / 1000)
		l := oms.LineDraft{SKU: it.sku, Quantity: qty, UnitPrice: price}
		sub := price * qty
		if discount {
			l.Discount = sub / 10
		}
		lineNet := sub - l.Discount
		if vat > 0 {
			l.Tax = lineNet * vat / (100 + vat) // included in the price
		} else if d.PickupLocation == "" || d.Channel == "pos" {
			l.Tax = lineNet * 8875 / 100000
		}
		net += lineNet
		d.Lines = append(d.Lines, l)
	}
	if d.PickupLocation == "" && net < 5000*perMille/1000 {
		d.ShippingPrice = 599 * perMille / 1000
	}
	return d
}

// place places the orders the way a busy day does: many at once, the
// clock following the orders' times.
func (s *sim) place(ctx context.Context, drafts []*oms.OrderDraft) error {
	const burst = 32
	for i := 0; i < len(drafts); i += burst {
		batch := drafts[i:min(i+burst, len(drafts))]
		s.clock.Set(batch[len(batch)-1].PlacedAt)
		errs := make([]error, len(batch))
		var wg sync.WaitGroup
		for j, d := range batch {
			wg.Go(func() { errs[j] = s.placeOne(ctx, d) })
		}
		wg.Wait()
		if err := errors.Join(errs...); err != nil {
			return err
		}
		if s.opt.Progress != nil {
			s.mu.Lock()
			n, sum := s.sum.Orders+s.sum.Refused, s.sum
			s.mu.Unlock()
			s.opt.Progress(n, fmt.Sprintf("%s, %d orders, %d shipped", batch[0].PlacedAt.Format("Jan 2"), sum.Orders, sum.Shipped))
		}
	}
	return nil
}

func (s *sim) placeOne(ctx context.Context, d *oms.OrderDraft) error {
	o, _, err := s.db.PlaceOrder(ctx, d, oms.System("channel:"+d.Channel))
	s.mu.Lock()
	defer s.mu.Unlock()
	var e *oms.Error
	switch {
	case errors.As(err, &e) && e.Code == oms.EOUTOFSTOCK:
		s.sum.Refused++
		return nil
	case err != nil:
		return fmt.Errorf("order %s: %w", d.ExternalID, err)
	}
	s.sum.Orders++
	if o.Status == oms.StatusOnHold {
		s.sum.Held++
	}
	return nil
}

// releaseHolds reviews yesterday's held orders: most are fine, some are
// cancelled.
func (s *sim) releaseHolds(ctx context.Context) error {
	held, _, err := s.db.ListOrders(ctx, oms.OrderFilter{Status: oms.StatusOnHold, Limit: 1000})
	if err != nil {
		return err
	}
	for _, o := range held {
		if s.chance(100) {
			if _, err := s.db.CancelOrder(ctx, o.ID, 0, nil, oms.System(actor)); err != nil {
				return err
			}
			s.sum.Cancelled++
			continue
		}
		if _, err := s.db.ReleaseHolds(ctx, o.ID, 0, "", oms.System(actor)); err != nil {
			return err
		}
	}
	return nil
}

var carriers = []struct{ name, prefix string }{{"UPS", "1Z"}, {"USPS", "9400"}, {"FedEx", "7712"}, {"DHL", "JD01"}}

// work is the end of a day at the locations: ship what was ordered before
// today (most of it), make pickups ready, hand some over, turn a few away.
// Each location closes its day as one batch of moves.
func (s *sim) work(ctx context.Context, day time.Time) error {
	for _, loc := range []string{"wh-east", "wh-west", "store-nyc", "store-sf"} {
		fs, err := s.db.LocationFulfillments(ctx, loc, []oms.FulfillmentStatus{oms.FulfillmentPending,
			oms.FulfillmentPicking, oms.FulfillmentPacked, oms.FulfillmentReadyForPickup}, 100_000)
		if err != nil {
			return err
		}
		var moves []oms.BatchMove
		for _, f := range fs {
			m, err := s.decide(ctx, day, loc, f)
			if err != nil {
				return fmt.Errorf("fulfillment %s: %w", f.ID, err)
			}
			if m != nil {
				moves = append(moves, *m)
			}
		}
		err = s.moveAll(ctx, "staff:"+loc, moves, func(m oms.BatchMove, _ *oms.Fulfillment) error {
			switch m.To {
			case oms.FulfillmentPickedUp:
				s.sum.PickedUp++
			case oms.FulfillmentShipped:
				s.sum.Shipped++
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// decide decides what becomes of an open fulfillment at the end of the
// day: a move for the location's batch, or nil when it waits or was dealt
// with at once (a cancellation, a rejection).
func (s *sim) decide(ctx context.Context, day time.Time, loc string, f oms.Fulfillment) (*oms.BatchMove, error) {
	var e *oms.Error
	sameDay := !f.CreatedAt.Before(day)
	to := func(st oms.FulfillmentStatus) *oms.BatchMove {
		return &oms.BatchMove{Fulfillment: f.ID, FulfillmentMove: oms.FulfillmentMove{To: st}}
	}
	switch {
	case f.Status == oms.FulfillmentReadyForPickup:
		if s.chance(550) {
			return to(oms.FulfillmentPickedUp), nil
		}
	case f.Pickup && f.DeliverTo == "":
		return to(oms.FulfillmentReadyForPickup), nil
	case sameDay && s.chance(20):
		// The customer changed their mind before it left.
		_, err := s.db.CancelOrder(ctx, f.OrderID, 0, nil, oms.System("customer"))
		if errors.As(err, &e) && e.Code == oms.ECONFLICT { // shipped in part from elsewhere already
			return nil, nil
		}
		if err == nil {
			s.sum.Cancelled++
		}
		return nil, err
	case sameDay && s.chance(800), s.chance(100):
		// Today's orders ship tomorrow; a few wait a day more.
	case loc[0] == 's' && s.chance(20):
		_, err := s.db.RejectFulfillment(ctx, f.ID, nil, "damaged on the shelf", oms.System("staff:"+loc))
		if err == nil {
			s.sum.Rejected++
		}
		return nil, err
	default:
		c := carriers[s.r.IntN(len(carriers))]
		m := to(oms.FulfillmentShipped)
		m.Tracking = oms.Tracking{Carrier: c.name, TrackingNumber: fmt.Sprintf("%s%012d", c.prefix, s.r.Int64N(1e12))}
		return m, nil
	}
	return nil, nil
}

// moveAll makes the moves in batches and calls done for each one made, in
// order. A move refused because its order is on hold, or because its
// fulfillment was cancelled or rejected today, is left for another day.
func (s *sim) moveAll(ctx context.Context, actor string, moves []oms.BatchMove, done func(oms.BatchMove, *oms.Fulfillment) error) error {
	for len(moves) > 0 {
		batch := moves[:min(len(moves), oms.MaxBatchMoves)]
		moves = moves[len(batch):]
		res, err := s.db.MoveFulfillments(ctx, batch, oms.System(actor))
		if err != nil {
			return err
		}
		for i, r := range res {
			switch {
			case oms.ErrorCode(r.Err) == oms.ECONFLICT:
			case r.Err != nil:
				return fmt.Errorf("fulfillment %s: %w", batch[i].Fulfillment, r.Err)
			default:
				if err := done(batch[i], r.Fulfillment); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// deliver marks shipments delivered two to five days after they left, and
// makes shipments to a store ready at its counter: the carriers' reports of
// a morning, one batch for each location's shipments.
func (s *sim) deliver(ctx context.Context, day time.Time) error {
	for _, loc := range []string{"wh-east", "wh-west", "store-nyc", "store-sf"} {
		fs, err := s.db.LocationFulfillments(ctx, loc, []oms.FulfillmentStatus{oms.FulfillmentShipped}, 100_000)
		if err != nil {
			return err
		}
		var moves []oms.BatchMove
		for _, f := range fs {
			if f.ShippedAt == nil || day.Sub(*f.ShippedAt) < 36*time.Hour || s.chance(400) {
				continue
			}
			to := oms.FulfillmentDelivered
			if f.DeliverTo != "" {
				to = oms.FulfillmentReadyForPickup
			}
			moves = append(moves, oms.BatchMove{Fulfillment: f.ID, FulfillmentMove: oms.FulfillmentMove{To: to}})
		}
		err = s.moveAll(ctx, "carrier", moves, func(m oms.BatchMove, f *oms.Fulfillment) error {
			if m.To != oms.FulfillmentDelivered {
				return nil
			}
			s.sum.Delivered++
			return s.delivered(ctx, day, *f)
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// restock receives stock for what runs low at the warehouses, as the
// purchase orders arrive every other day.
func (s *sim) restock(ctx context.Context) error {
	for _, it := range s.items {
		st, err := s.db.Stock(ctx, it.sku)
		if err != nil {
			return err
		}
		for _, b := range st.Locations {
			if b.Location[0] != 'w' || b.Available > it.stock/3 {
				continue
			}
			n := it.stock/2 + s.r.Int64N(it.stock/2+1)
			if _, err := s.db.AdjustInventory(ctx, oms.Adjustment{SKU: it.sku, Location: b.Location, Reason: "receive",
				Delta: &n, Reference: "PO-" + s.clock.Now().Format("20060102")}, oms.System(actor)); err != nil {
				return err
			}
			s.sum.Restocks++
		}
	}
	return nil
}
