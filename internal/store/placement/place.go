package placement

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/store/catalog"
	"github.com/omshq/oms/internal/store/orders"
	"github.com/omshq/oms/internal/store/sqldb"
)

// ErrDuplicate means the (channel, external id) already has an order.
var ErrDuplicate = errors.New("store: duplicate order")

// errKeyRace means another transaction claimed one of the batch's order keys
// after the batch looked; the batch is run again, and then sees it.
var errKeyRace = errors.New("store: order key claimed concurrently")

// PlaceBatch places the batch's orders in the transaction. Refusals are
// recorded on each pending order; an error return fails the whole batch.
//
// Optimistically (lockFirst false), it reads the stock without locking it,
// writes the orders, and only then reserves, with an update that takes the
// units of each balance only where they are still there: balance rows stay
// locked for the last statement only, so batches running side by side
// overlap everywhere else. When a balance no longer holds the units it
// returns ErrStockMoved, and the batch runs again with lockFirst, locking
// every balance it may draw on, in (item, location) order, before it plans.
//
// Repeats of stored orders are rare, so a batch does not look for them
// first: the order insert finds them (errKeyRace), and the batch runs again
// with lookForRepeats.
func (tx *Tx) PlaceBatch(ctx context.Context, batch []*orders.Pending, lockFirst, lookForRepeats bool) error {
	// The batch's items are read together; each order then finds its own
	// in the cache. A channel's orders name its listings, which become
	// SKUs only as each order is prepared.
	var skus []string
	for _, p := range batch {
		if p.Ingest == nil {
			for _, l := range p.Draft.Lines {
				skus = append(skus, l.SKU)
			}
		}
	}
	if err := tx.LoadItems(ctx, skus); err != nil {
		return err
	}
	for _, p := range batch {
		p.Order, p.Err, p.Plan = nil, nil, oms.Plan{}
		p.Err = tx.prepareOrder(ctx, p)
	}
	if err := tx.prepareIntl(ctx, batch); err != nil {
		return err
	}
	if err := tx.markDuplicates(ctx, batch, lookForRepeats); err != nil {
		return err
	}
	stock, sites, set, err := tx.SourcingInputs(ctx, batch, lockFirst)
	if err != nil {
		return err
	}
	if err := tx.placeShipTos(ctx, batch); err != nil {
		return err
	}
	var accepted []*orders.Pending
	for _, p := range batch {
		if p.Err == nil {
			if p.Err = decide(p, stock, sites, set); p.Err == nil {
				accepted = append(accepted, p)
			}
		}
	}
	if len(accepted) == 0 {
		return nil
	}
	if err := tx.screen(ctx, accepted); err != nil {
		return err
	}
	return tx.writeOrders(ctx, accepted, stock, lockFirst)
}

// prepareOrder resolves the draft's channel and items and builds the order
// with fresh ids, every unit open.
func (tx *Tx) prepareOrder(ctx context.Context, p *orders.Pending) error {
	if p.Ingest != nil {
		// A channel's listing SKUs become oms SKUs (or bundles) first.
		if err := tx.mapListings(ctx, p); err != nil {
			return err
		}
	}
	ch, err := tx.ChannelOf(ctx, p.Draft)
	if err != nil {
		return err
	}
	items, err := tx.DraftItems(ctx, p.Draft)
	if p.Ingest != nil && oms.ErrorCode(err) == oms.EINVALID {
		err = nil // unknown SKUs hold the order; they never refuse it
	}
	if err != nil {
		return err
	}
	if code := p.Draft.PickupLocation; code != "" {
		loc, _, err := tx.Location(ctx, code)
		switch {
		case oms.ErrorCode(err) == oms.ENOTFOUND:
			return oms.Invalid("pickup_location", "no location has code %q", code)
		case err != nil:
			return err
		case !loc.CanPickup || !loc.Active:
			return oms.Invalid("pickup_location", "location %s does not offer pickup", code)
		}
	}
	o, err := p.Draft.NewOrder(tx.Now())
	if err != nil {
		return err
	}
	o.ID = sqldb.NewID("ord")
	p.IDs = orders.OrderIDs{Location: make(map[string]int64)}
	p.LineItems = make([]int64, len(o.Lines))
	p.Costs = make([]catalog.LineCost, len(o.Lines))
	p.Preorder = make(map[string]bool)
	p.Unknown = make(map[string]bool)
	var unknown []string
	for i, l := range o.Lines {
		ref, ok := items[l.SKU]
		if !ok {
			unknown = append(unknown, l.SKU)
			p.Unknown[l.SKU] = true
		}
		p.LineItems[i] = ref.ID
		p.Costs[i] = ref.Cost
		if ref.Preorder {
			p.Preorder[l.SKU] = true
		}
	}
	if len(unknown) > 0 {
		o.Holds = append(o.Holds, oms.Hold{Type: oms.HoldManual, PlacedBy: "ingest", PlacedAt: tx.Now(),
			Reason: orders.UnknownSKUReason + ": " + strings.Join(unknown, ", ")})
		o.Refresh()
	}
	if p.Ingest != nil {
		if err := tx.prepareIngested(ctx, p, o); err != nil {
			return err
		}
	}
	p.Order, p.Channel = o, ch
	return nil
}

// markDuplicates refuses, as repeats, the orders whose (channel, external id)
// appears earlier in the batch or, with stored, is already stored.
func (tx *Tx) markDuplicates(ctx context.Context, batch []*orders.Pending, stored bool) error {
	type key struct {
		channel int64
		ext     string
	}
	seen := make(map[key]bool, len(batch))
	var keys [][]any
	for _, p := range batch {
		if p.Err != nil {
			continue
		}
		k := key{p.Channel.ID, p.Order.ExternalID}
		if seen[k] {
			p.Err = ErrDuplicate
			continue
		}
		seen[k] = true
		keys = append(keys, []any{k.channel, k.ext})
	}
	if len(keys) == 0 || !stored {
		return nil
	}
	table, args := tx.DB.Engine.RowTable(orders.OrderKeyCols, keys, nil, "k")
	rows, err := tx.QueryContext(ctx, fmt.Sprintf(selectExistingOrders, table), args...)
	if err != nil {
		return fmt.Errorf("find repeats: %w", err)
	}
	found := make(map[key]bool)
	for rows.Next() {
		var k key
		if err := rows.Scan(&k.channel, &k.ext); err != nil {
			rows.Close()
			return err
		}
		found[k] = true
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, p := range batch {
		if p.Err == nil && found[key{p.Channel.ID, p.Order.ExternalID}] {
			p.Err = ErrDuplicate
		}
	}
	return nil
}

// placeShipTos finds where the batch's live orders go, for sourcing.
func (tx *Tx) placeShipTos(ctx context.Context, batch []*orders.Pending) error {
	var os []*oms.Order
	for _, p := range batch {
		if p.Err == nil {
			os = append(os, p.Order)
		}
	}
	pts, err := tx.ShipPoints(ctx, os)
	if err != nil {
		return err
	}
	for _, p := range batch {
		if p.Err == nil {
			p.ShipTo = pts[p.Order]
		}
	}
	return nil
}

// writeOrders saves the accepted orders: customers, orders, lines,
// allocations and events; then the reservations and their ledger entries
// — one statement each.
func (tx *Tx) writeOrders(ctx context.Context, ps []*orders.Pending, stock map[orders.BalanceKey]*orders.BalanceState, locked bool) error {
	customers, err := tx.orderCustomers(ctx, ps)
	if err != nil {
		return err
	}
	if err := tx.insertOrders(ctx, ps, customers); err != nil {
		return err
	}
	// The orders' events and search documents are the batch's largest Go
	// work that needs no database: they are encoded side by side, off the
	// writer, while it builds the other rows.
	encoded := encodeOrders(ps, tx.Now())
	var lines []orders.LineRow
	var allocs []orders.AllocationRow
	var fuls []orders.FulfillmentRow
	var fulLines []orders.FulfillmentLineRow
	var holds []orders.HoldRow
	var payloads []orders.PayloadRow
	took := make([][]draw, len(ps))
	want := make(map[orders.BalanceKey]int64)
	for i, p := range ps {
		o := p.Order
		for n, l := range o.Lines {
			lines = append(lines, orders.LineRow{Seq: p.IDs.Seq, Position: n, Item: nullInt(p.LineItems[n]), SKU: l.SKU,
				Quantity: l.Quantity, UnitPrice: l.UnitPrice, Subtotal: l.Subtotal, Discount: l.Discount, Tax: l.Tax,
				Open: l.Open, Allocated: l.Allocated, Shipped: l.Shipped, Cancelled: l.Cancelled, Returned: l.Returned,
				Cost: p.Costs[n]})
		}
		// One pending fulfillment per location the order draws on.
		fulOf := make(map[int64]int)
		for _, pl := range p.Plan.Placements {
			k := orders.BalanceKey{Item: p.LineItems[pl.Line], Location: p.IDs.Location[pl.Location]}
			took[i] = addDraw(took[i], k, pl.Quantity)
			want[k] += pl.Quantity
			allocs = append(allocs, orders.AllocationRow{Seq: p.IDs.Seq, Position: pl.Line, Location: k.Location, Item: k.Item, Quantity: pl.Quantity, At: tx.Now()})
			n, ok := fulOf[k.Location]
			if !ok {
				n = len(fulOf) + 1
				fulOf[k.Location] = n
				fuls = append(fuls, orders.FulfillmentRow{Seq: p.IDs.Seq, N: n, Location: k.Location, Pickup: o.PickupLocation != "", Status: string(oms.FulfillmentPending), Created: tx.Now(), Updated: tx.Now(), Shipped: nil})
			}
			fulLines = append(fulLines, orders.FulfillmentLineRow{Seq: p.IDs.Seq, N: n, Position: pl.Line, Quantity: pl.Quantity})
		}
		if p.Ingest != nil {
			payloads = append(payloads, orders.PayloadRow{Seq: p.IDs.Seq, N: 1, Received: tx.Now(), Updated: orders.NullTime(p.Ingest.Ingested.UpdatedAt), Applied: true, Body: p.Ingest.Raw})
			if p.Ingest.ShippedElsewhere() {
				fuls = append(fuls, orders.FulfillmentRow{Seq: p.IDs.Seq, N: 1, Location: p.Ingest.Marketplace, Pickup: false, Status: string(oms.FulfillmentShipped), Created: tx.Now(), Updated: tx.Now(), Shipped: o.PlacedAt})
				for n, l := range o.Lines {
					fulLines = append(fulLines, orders.FulfillmentLineRow{Seq: p.IDs.Seq, N: 1, Position: n, Quantity: l.Quantity})
				}
			}
		}
		for n, h := range o.Holds {
			holds = append(holds, orders.HoldRow{Seq: p.IDs.Seq, N: n + 1, Type: string(h.Type), Reason: h.Reason, By: h.PlacedBy, At: h.PlacedAt})
		}
	}
	events, search, err := encoded()
	if err != nil {
		return err
	}
	if err := tx.InsertMany(ctx, []orders.Insert{{Table: "order_lines", Cols: orders.LineCols, Rows: orders.RowsOf(lines)}, {Table: "allocations", Cols: orders.AllocationCols, Rows: orders.RowsOf(allocs)},
		{Table: "fulfillments", Cols: orders.FulfillmentCols, Rows: orders.RowsOf(fuls)}, {Table: "fulfillment_lines", Cols: orders.FulfillmentLineCols, Rows: orders.RowsOf(fulLines)},
		{Table: "holds", Cols: orders.HoldCols, Rows: orders.RowsOf(holds)}, {Table: "order_payloads", Cols: orders.PayloadCols, Rows: orders.RowsOf(payloads)}, {Table: "order_search", Cols: tx.DB.Engine.SearchCols(), Rows: search},
		{Table: "events", Cols: orders.EventCols, Rows: orders.RowsOf(events)}}); err != nil {
		return err
	}
	// One ledger entry per balance an order drew on, with the balance as it
	// stood after that order.
	var ledger []orders.LedgerRow
	for i, p := range ps {
		for _, d := range took[i] {
			b := stock[d.key]
			b.Reserved += d.quantity
			ledger = append(ledger, orders.LedgerRow{Item: d.key.Item, Location: d.key.Location, Kind: oms.MoveReserve,
				ReservedDelta: d.quantity, OnHandAfter: b.OnHand, ReservedAfter: b.Reserved,
				Reference: "order " + p.Order.Number, OrderID: p.Order.ID, Actor: p.Actor, At: tx.Now()})
		}
	}
	tx.OrdersPlaced(ps)
	if tx.DB.Engine.Name == "postgres" {
		// Batches run side by side on PostgreSQL, and the reservation locks
		// balance rows that other batches want too (a sale's hot SKUs) until
		// the batch commits: what the feed's reader writes for the placed
		// orders (the report journal, the backorder counts) is written
		// first, so that the locks are held over the reservation, the stock
		// rollup and the commit only. On SQLite the batch holds the one
		// write lock throughout, and the reader finishes its sums off the
		// writer while the reservation runs.
		if err := tx.PublishSoFar(ctx); err != nil {
			return err
		}
	}
	tx.reservedAt = time.Now()
	// On SQLite the batch's transaction has held the database's write lock
	// since it began: nothing can have moved.
	return tx.ReserveStock(ctx, want, stock, ledger, locked || tx.DB.Engine.Name == "sqlite")
}

// upsertCustomers records the customers of the orders' emails that are
// new, in email order, and returns the ids of all of them by email.
func (tx *Tx) upsertCustomers(ctx context.Context, ps []*orders.Pending) (map[string]int64, error) {
	byEmail := make(map[string]oms.Customer)
	for _, p := range ps {
		c := p.Order.Customer
		if c.Email == "" {
			continue
		}
		prev := byEmail[c.Email]
		byEmail[c.Email] = oms.Customer{Email: c.Email, Name: cmp.Or(c.Name, prev.Name), Phone: cmp.Or(c.Phone, prev.Phone)}
	}
	ids := make(map[string]int64, len(byEmail))
	if len(byEmail) == 0 {
		return ids, nil
	}
	emails := make([]any, 0, len(byEmail))
	for e := range byEmail {
		emails = append(emails, e)
	}
	slices.SortFunc(emails, func(a, b any) int { return cmp.Compare(a.(string), b.(string)) })
	vals := make([][]any, len(emails))
	for i, e := range emails {
		c := byEmail[e.(string)]
		vals[i] = []any{c.Email, c.Name, c.Phone, tx.Now(), tx.Now()}
	}
	// A repeat of the last customer pads the list: the insert skips it.
	vals = sqldb.PadRows(tx.DB.Engine.Name, vals, vals[len(vals)-1])
	src, args := tx.DB.Engine.RowSource(orders.CustomerCols, vals, nil)
	insert := fmt.Sprintf(insertCustomers, src)
	var q string
	if tx.DB.Engine.Name == "postgres" {
		// One round trip: the SELECT does not see the rows its own WITH
		// inserts, so those come from RETURNING.
		var in string
		in, args = tx.DB.Engine.InList("email", "text", emails, args)
		q = "WITH n AS (" + insert + " RETURNING id, email) SELECT id, email FROM n UNION ALL " + fmt.Sprintf(selectCustomers, in)
	} else {
		if _, err := tx.ExecContext(ctx, insert, args...); err != nil {
			return nil, fmt.Errorf("customers: %w", err)
		}
		var in string
		in, args = tx.DB.Engine.InList("email", "text", emails, nil)
		q = fmt.Sprintf(selectCustomers, in)
	}
	rows, err := tx.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("customers: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var email string
		if err := rows.Scan(&id, &email); err != nil {
			return nil, err
		}
		ids[email] = id
	}
	return ids, rows.Err()
}

// insertOrders inserts the orders' rows and sets each one's number. If
// another transaction claimed one of the keys since markDuplicates looked, it
// returns errKeyRace so that the batch runs again.
func (tx *Tx) insertOrders(ctx context.Context, ps []*orders.Pending, customers map[*orders.Pending]int64) error {
	vals := make([][]any, 0, len(ps))
	for _, p := range ps {
		o := p.Order
		var customerID, shipTo any
		if id, ok := customers[p]; ok {
			customerID = id
		}
		if o.ShipTo != nil {
			b, err := json.Marshal(o.ShipTo)
			if err != nil {
				return err
			}
			shipTo = string(b)
		}
		var billing any
		if o.Billing != nil {
			b, err := json.Marshal(o.Billing)
			if err != nil {
				return err
			}
			billing = string(b)
		}
		vals = append(vals, append([]any{o.ID, p.Channel.ID, o.ExternalID, o.Status, o.Currency, customerID, o.Customer.Email,
			o.Customer.Name, o.Customer.Phone, shipTo, o.TaxesIncluded, o.Subtotal, o.DiscountTotal,
			o.ShippingTotal, o.TaxTotal, o.Total, o.PlacedAt, tx.Now(), tx.Now(), 1, orders.NullString(o.PickupLocation), billing,
			oms.AddressKey(o.ShipTo), o.DutiesTotal, o.Incoterm}, ingestColumns(p)...))
		intl, err := intlColumns(p)
		if err != nil {
			return err
		}
		vals[len(vals)-1] = append(vals[len(vals)-1], append(intl, p.Backordered())...)
	}
	src, args := tx.DB.Engine.RowSource(append(append(orders.OrderCols[:len(orders.OrderCols):len(orders.OrderCols)], intlCols...), column{Name: "backordered", Type: "boolean"}), vals, nil)
	conflict := keepTaken
	if tx.DB.Engine.Name == "postgres" {
		conflict = ""
	}
	rows, err := tx.QueryContext(ctx, fmt.Sprintf(insertOrders, src, conflict), args...)
	if err != nil && conflict == "" && tx.DB.Engine.Unique(err) {
		return fmt.Errorf("insert orders: %w: %w", errKeyRace, err)
	}
	if err != nil {
		return fmt.Errorf("insert orders: %w", err)
	}
	defer rows.Close()
	type key struct {
		channel int64
		ext     string
	}
	seqs := make(map[key]int64, len(ps))
	for rows.Next() {
		var k key
		var seq int64
		if err := rows.Scan(&seq, &k.channel, &k.ext); err != nil {
			return err
		}
		seqs[k] = seq
	}
	if err := rows.Err(); err != nil {
		return err
	}
	for _, p := range ps {
		seq, ok := seqs[key{p.Channel.ID, p.Order.ExternalID}]
		if !ok {
			return errKeyRace
		}
		p.IDs.Seq = seq
		p.Order.Number = strconv.FormatInt(seq, 10)
		// Lines are known by order number and position; the allocations made
		// before the number was known learn their line's id now.
		for i := range p.Order.Lines {
			p.Order.Lines[i].ID = orders.LineID(seq, i)
		}
		for i, pl := range p.Plan.Placements {
			p.Order.Allocations[i].LineID = p.Order.Lines[pl.Line].ID
		}
		for i, pl := range p.Sourcing.Placements {
			p.Sourcing.Placements[i].LineID = p.Order.Lines[pl.Line].ID
		}
	}
	return nil
}

// Order placement runs in batches: concurrent PlaceOrder calls queue, and a
// writer takes whatever has queued and places it in one transaction with a
// fixed number of statements — however many orders the batch holds. Each
// order is still all or nothing: one that is refused (invalid, out of stock,
// a repeat) writes nothing, and its neighbours in the batch are unaffected.
//
// The batch reads the balances it may draw on, decides every order in Go,
// in arrival order, against those quantities, writes the accepted orders
// with multi-row statements, and last reserves the units with an update
// that takes them only where they are still there (see PlaceBatch).

// The statements of a batch's orders and customers.
const (
	selectExistingOrders = `
SELECT o.channel_id, o.external_id
FROM orders o JOIN %s ON o.channel_id = k.channel_id AND o.external_id = k.external_id`
	// insertCustomers adds the customers not yet known. It leaves known ones
	// alone — and unlocked, so that one busy customer never serializes
	// batches.
	insertCustomers = `
INSERT INTO customers (email, name, phone, created_at, updated_at)
%s
ON CONFLICT (email) DO NOTHING`
	selectCustomers = `SELECT id, email FROM customers WHERE %s`
	// insertOrders claims each (channel, external id): a repeat racing in
	// from another transaction waits here for the first to commit, then finds
	// the key taken and the batch is retried. On SQLite (keepTaken) a key
	// already taken leaves its order out of RETURNING; on PostgreSQL the
	// insert fails with a unique violation instead, as ON CONFLICT would
	// make every insert a speculative one, whose confirmation is one more
	// record per order in the log.
	insertOrders = `
INSERT INTO orders (id, channel_id, external_id, status, currency, customer_id, customer_email,
    customer_name, customer_phone, ship_to, taxes_included, subtotal, discount_total,
    shipping_total, tax_total, total, placed_at, created_at, updated_at, version, pickup_location, billing, ship_key,
    duties_total, incoterm, channel_updated_at, channel_total, mismatches, fulfilled_by_channel, amounts_unknown,
    base_currency, base_rate, base_rate_date, base_subtotal, base_discount_total, base_shipping_total,
    base_tax_total, base_duties_total, base_total, computed_tax, backordered)
%s%s
RETURNING seq, channel_id, external_id`
	keepTaken = `
ON CONFLICT (channel_id, external_id) DO NOTHING`
)

// decide sources the order from the batch's remaining stock. It refuses the
// order with EOUTOFSTOCK when it is short and the channel rejects
// backorders; otherwise it takes the planned units from the remaining stock.
func decide(p *orders.Pending, stock map[orders.BalanceKey]*orders.BalanceState, sites []catalog.SiteRef, set oms.FulfillmentSettings) error {
	o := p.Order
	if p.Ingest.ShippedElsewhere() {
		return nil // it left stock oms does not keep: nothing to source
	}
	d := orders.Source(o, p.LineItems, p.Channel, stock, sites, nil, nil, p.IDs.Location, set, p.ShipTo)
	if short := refused(p, d); len(short) > 0 {
		return &oms.Error{Code: oms.EOUTOFSTOCK, Message: "not enough stock for this order", Short: short}
	}
	for _, pl := range d.Placements {
		stock[orders.BalanceKey{Item: p.LineItems[pl.Line], Location: p.IDs.Location[pl.Location]}].Available -= pl.Quantity
	}
	applyPlan(o, d.Plan)
	p.Plan, p.Sourcing = d.Plan, d
	return nil
}

// refused is what of the sourcing's shortage refuses the order: none
// unless its channel rejects backorders. Pre-order items wait for supply
// whatever the channel's policy, a line whose SKU oms does not know waits,
// held, for a person to map it, and an order a channel sent is already
// sold there: it is recorded and waits for stock.
func refused(p *orders.Pending, d oms.Sourcing) []oms.Shortage {
	if p.Channel.Policy != oms.BackorderReject || p.Ingest != nil {
		return nil
	}
	return slices.DeleteFunc(slices.Clone(d.Short), func(s oms.Shortage) bool { return p.Preorder[s.SKU] || p.Unknown[s.SKU] })
}

// applyPlan moves the planned units of each line from open to allocated and
// records the allocations.
func applyPlan(o *oms.Order, plan oms.Plan) {
	for _, p := range plan.Placements {
		l := &o.Lines[p.Line]
		l.Open -= p.Quantity
		l.Allocated += p.Quantity
		o.Allocations = append(o.Allocations, oms.Allocation{LineID: l.ID, Location: p.Location, Quantity: p.Quantity})
	}
	o.Refresh()
}

// draw is what an order takes from one balance.
type draw struct {
	key      orders.BalanceKey
	quantity int64
}

func addDraw(ds []draw, k orders.BalanceKey, q int64) []draw {
	for i := range ds {
		if ds[i].key == k {
			ds[i].quantity += q
			return ds
		}
	}
	return append(ds, draw{k, q})
}

func nullInt(n int64) any {
	if n == 0 {
		return nil
	}
	return n
}

// encodeOrders encodes the events (order.created, then order.backordered
// or order.held where they apply) and the search row of each order,
// split among up to GOMAXPROCS goroutines; the function it returns waits
// for them and gives the events and rows in the orders' order.
func encodeOrders(ps []*orders.Pending, now time.Time) func() ([]orders.EventRow, [][]any, error) {
	events := make([][]orders.EventRow, len(ps))
	search := make([][]any, len(ps))
	errs := make([]error, len(ps))
	workers := min(len(ps), runtime.GOMAXPROCS(0))
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := w; i < len(ps); i += workers {
				search[i] = searchRow(ps[i])
				events[i], errs[i] = orderEvents(ps[i], now)
			}
		})
	}
	return func() ([]orders.EventRow, [][]any, error) {
		wg.Wait()
		if err := errors.Join(errs...); err != nil {
			return nil, nil, err
		}
		return slices.Concat(events...), search, nil
	}
}

// orderEvents are the events a newly placed order is recorded with.
func orderEvents(p *orders.Pending, now time.Time) ([]orders.EventRow, error) {
	o := p.Order
	summary := orderCreated(o, p.Sourcing)
	if p.Ingest != nil {
		notes, mismatches := p.Ingest.Ingested.Notes, o.Mismatches
		summary.Notes, summary.Mismatches = &notes, &mismatches
	}
	data, err := sqldb.EventJSON(oms.EventOrderCreated, summary)
	if err != nil {
		return nil, err
	}
	events := []orders.EventRow{{Type: oms.EventOrderCreated, Subject: o.ID, OrderID: o.ID, Actor: p.Actor, Data: data, At: now, RequestID: sqldb.RequestID(p.Ctx)}}
	if o.Status == oms.StatusBackordered {
		if events, err = backorderedEvent(events, o, p, now); err != nil {
			return nil, err
		}
	}
	for _, h := range o.Holds {
		b, err := sqldb.EventJSON(oms.EventOrderHeld, oms.OrderHeld{Number: o.Number, Hold: h})
		if err != nil {
			return nil, err
		}
		events = append(events, orders.EventRow{Type: oms.EventOrderHeld, Subject: o.ID, OrderID: o.ID, Actor: p.Actor, Data: b, At: now, RequestID: sqldb.RequestID(p.Ctx)})
	}
	return events, nil
}
