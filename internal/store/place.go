package store

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/store/catalog"
	"github.com/omshq/oms/internal/store/sqldb"
)

// Order placement runs in batches: concurrent PlaceOrder calls queue, and a
// writer takes whatever has queued and places it in one transaction with a
// fixed number of statements — however many orders the batch holds. Each
// order is still all or nothing: one that is refused (invalid, out of stock,
// a repeat) writes nothing, and its neighbours in the batch are unaffected.
//
// The batch reads the balances it may draw on, decides every order in Go,
// in arrival order, against those quantities, writes the accepted orders
// with multi-row statements, and last reserves the units with an update
// that takes them only where they are still there (see placeBatch).

const (
	// selectCandidates reads the balances the batch may reserve from.
	selectCandidates = `
SELECT b.item_id, b.location_id, l.code, l.priority, l.can_ship, l.can_pickup, l.active, l.channels,
    l.latitude, l.longitude, l.country, b.on_hand, b.reserved, b.safety_stock
FROM balances b JOIN locations l ON l.id = b.location_id
WHERE %s
ORDER BY b.item_id, b.location_id`
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
	// reserveMany takes units at several balances in one statement; a row
	// missing from its result means its stock was not there.
	reserveMany = `
UPDATE balances SET reserved = balances.reserved + v.q, updated_at = $1
FROM %s
WHERE balances.item_id = v.item_id AND balances.location_id = v.location_id
  AND balances.on_hand - balances.reserved - balances.safety_stock >= v.q
RETURNING balances.item_id, balances.location_id, balances.on_hand, balances.reserved`
	// reserveWithLedger is reserveMany with the ledger entries of the
	// balances it updates (PostgreSQL): v is the reservations, in (item,
	// location) order, with the balance's reserved units as the batch
	// planned them after its own; l the ledger entries in order (n). When
	// a balance was short the batch runs again, so no entry is written.
	//
	// The update locks the rows it updates as it goes, and two batches that
	// lock shared balances in different orders deadlock. Matched by
	// equality, PostgreSQL hashes v and scans balances in the table's
	// physical order, which is not the same for every batch; matched by a
	// range of one value, which can be neither hashed nor merged, it runs
	// a nested loop over v, in v's order, finding each balance by its key.
	reserveWithLedger = `
WITH u AS (
  UPDATE balances SET reserved = balances.reserved + v.q, updated_at = $1
  FROM %s
  WHERE balances.item_id >= v.item_id AND balances.item_id <= v.item_id
    AND balances.location_id >= v.location_id AND balances.location_id <= v.location_id
    AND balances.on_hand - balances.reserved - balances.safety_stock >= v.q
  RETURNING balances.item_id, balances.location_id, balances.on_hand, balances.reserved,
    balances.reserved - v.planned AS moved
), g AS (
  INSERT INTO ledger (item_id, location_id, kind, delta, reserved_delta, on_hand_after, reserved_after,
      reference, order_id, actor, created_at)
  SELECT l.item_id, l.location_id, l.kind, l.delta, l.reserved_delta, u.on_hand, l.reserved_after + u.moved,
      l.reference, l.order_id, l.actor, l.created_at
  FROM %s JOIN u ON u.item_id = l.item_id AND u.location_id = l.location_id
  WHERE (SELECT count(*) FROM u) = $%d
  ORDER BY l.n
)
SELECT item_id, location_id, on_hand, reserved FROM u`
)

// errDuplicate means the (channel, external id) already has an order.
var errDuplicate = errors.New("store: duplicate order")

// errKeyRace means another transaction claimed one of the batch's order keys
// after the batch looked; the batch is run again, and then sees it.
var errKeyRace = errors.New("store: order key claimed concurrently")

// pending is one order in a batch, and what became of it.
type pending struct {
	draft *oms.OrderDraft
	actor string
	ctx   context.Context // the caller's; a caller gone before its batch starts is skipped
	done  chan struct{}
	// queued is when it was handed to the order writers.
	queued time.Time

	// Set by placeBatch; reset on every attempt.
	order     *oms.Order
	ids       orderIDs
	lineItems []int64            // item id of each line
	costs     []catalog.LineCost // unit cost of each line's item
	preorder  map[string]bool    // the SKUs sold before stock exists
	unknown   map[string]bool    // the SKUs oms does not know: the order is held
	ch        catalog.ChannelRef
	plan      oms.Plan
	sourcing  oms.Sourcing
	shipTo    *oms.Point   // where the order goes, when known
	ingest    *ingestExtra // set for an order a channel sent in its own format
	err       error

	base string // the base currency the order is placed under; "" for none
}

// balanceKey names one balance row.
type balanceKey struct{ item, location int64 }

// balanceState is a locked balance as the batch's orders draw on it.
type balanceState struct {
	site             *oms.Site // the location, without stock
	available        int64     // what the batch may still take
	onHand, reserved int64
}

// placeBatch places the batch's orders in the transaction. Refusals are
// recorded on each pending order; an error return fails the whole batch.
//
// Optimistically (lockFirst false), it reads the stock without locking it,
// writes the orders, and only then reserves, with an update that takes the
// units of each balance only where they are still there: balance rows stay
// locked for the last statement only, so batches running side by side
// overlap everywhere else. When a balance no longer holds the units it
// returns errStockMoved, and the batch runs again with lockFirst, locking
// every balance it may draw on, in (item, location) order, before it plans.
//
// Repeats of stored orders are rare, so a batch does not look for them
// first: the order insert finds them (errKeyRace), and the batch runs again
// with lookForRepeats.
func (tx *Tx) placeBatch(ctx context.Context, batch []*pending, lockFirst, lookForRepeats bool) error {
	for _, p := range batch {
		p.order, p.err, p.plan = nil, nil, oms.Plan{}
		p.err = tx.prepareOrder(ctx, p)
	}
	if err := tx.prepareIntl(ctx, batch); err != nil {
		return err
	}
	if err := tx.markDuplicates(ctx, batch, lookForRepeats); err != nil {
		return err
	}
	stock, err := tx.readStock(ctx, batch, lockFirst)
	if err != nil {
		return err
	}
	sites, err := tx.sites(ctx)
	if err != nil {
		return err
	}
	set, err := tx.fulfillmentSettings(ctx)
	if err != nil {
		return err
	}
	if err := tx.placeShipTos(ctx, batch); err != nil {
		return err
	}
	var accepted []*pending
	for _, p := range batch {
		if p.err == nil {
			if p.err = decide(p, stock, sites, set); p.err == nil {
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
func (tx *Tx) prepareOrder(ctx context.Context, p *pending) error {
	if p.ingest != nil {
		// A channel's listing SKUs become oms SKUs (or bundles) first.
		if err := tx.mapListings(ctx, p); err != nil {
			return err
		}
	}
	ch, err := tx.channelOf(ctx, p.draft)
	if err != nil {
		return err
	}
	items, err := tx.draftItems(ctx, p.draft)
	if p.ingest != nil && oms.ErrorCode(err) == oms.EINVALID {
		err = nil // unknown SKUs hold the order; they never refuse it
	}
	if err != nil {
		return err
	}
	if code := p.draft.PickupLocation; code != "" {
		loc, _, err := tx.location(ctx, code)
		switch {
		case oms.ErrorCode(err) == oms.ENOTFOUND:
			return oms.Invalid("pickup_location", "no location has code %q", code)
		case err != nil:
			return err
		case !loc.CanPickup || !loc.Active:
			return oms.Invalid("pickup_location", "location %s does not offer pickup", code)
		}
	}
	o, err := p.draft.NewOrder(tx.Now())
	if err != nil {
		return err
	}
	o.ID = newID("ord")
	p.ids = orderIDs{location: make(map[string]int64)}
	p.lineItems = make([]int64, len(o.Lines))
	p.costs = make([]catalog.LineCost, len(o.Lines))
	p.preorder = make(map[string]bool)
	p.unknown = make(map[string]bool)
	var unknown []string
	for i, l := range o.Lines {
		ref, ok := items[l.SKU]
		if !ok {
			unknown = append(unknown, l.SKU)
			p.unknown[l.SKU] = true
		}
		p.lineItems[i] = ref.ID
		p.costs[i] = ref.Cost
		if ref.Preorder {
			p.preorder[l.SKU] = true
		}
	}
	if len(unknown) > 0 {
		o.Holds = append(o.Holds, oms.Hold{Type: oms.HoldManual, PlacedBy: "ingest", PlacedAt: tx.Now(),
			Reason: UnknownSKUReason + ": " + strings.Join(unknown, ", ")})
		o.Refresh()
	}
	if p.ingest != nil {
		if err := tx.prepareIngested(ctx, p, o); err != nil {
			return err
		}
	}
	p.order, p.ch = o, ch
	return nil
}

// markDuplicates refuses, as repeats, the orders whose (channel, external id)
// appears earlier in the batch or, with stored, is already stored.
func (tx *Tx) markDuplicates(ctx context.Context, batch []*pending, stored bool) error {
	type key struct {
		channel int64
		ext     string
	}
	seen := make(map[key]bool, len(batch))
	var keys [][]any
	for _, p := range batch {
		if p.err != nil {
			continue
		}
		k := key{p.ch.ID, p.order.ExternalID}
		if seen[k] {
			p.err = errDuplicate
			continue
		}
		seen[k] = true
		keys = append(keys, []any{k.channel, k.ext})
	}
	if len(keys) == 0 || !stored {
		return nil
	}
	table, args := tx.db.engine.RowTable(orderKeyCols, keys, nil, "k")
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
		if p.err == nil && found[key{p.ch.ID, p.order.ExternalID}] {
			p.err = errDuplicate
		}
	}
	return nil
}

// readStock reads the balances of every item the batch's live orders need,
// at every location, with what sourcing needs to know of the location; with
// lock, it locks them in (item, location) order.
func (tx *Tx) readStock(ctx context.Context, batch []*pending, lock bool) (map[balanceKey]*balanceState, error) {
	var args []any
	seen := make(map[int64]bool)
	for _, p := range batch {
		if p.err != nil {
			continue
		}
		for _, id := range p.lineItems {
			if id != 0 && !seen[id] {
				seen[id] = true
				args = append(args, id)
			}
		}
	}
	stock := make(map[balanceKey]*balanceState)
	if len(args) == 0 {
		return stock, nil
	}
	in, args := tx.db.engine.InList("b.item_id", "bigint", args, nil)
	q := fmt.Sprintf(selectCandidates, in)
	if lock {
		q += tx.db.engine.LockOf("b")
	}
	rows, err := tx.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("read stock: %w", err)
	}
	defer rows.Close()
	sites := make(map[int64]*oms.Site)
	for rows.Next() {
		var k balanceKey
		var b balanceState
		var site oms.Site
		var channels string
		var lat, lon *float64
		var safety int64
		if err := rows.Scan(&k.item, &k.location, &site.Code, &site.Priority, &site.CanShip, &site.CanPickup,
			&site.Active, &channels, &lat, &lon, &site.Country, &b.onHand, &b.reserved, &safety); err != nil {
			return nil, err
		}
		if sites[k.location] == nil {
			site.Channels = splitCodes(channels)
			if lat != nil && lon != nil {
				site.Point = &oms.Point{Lat: *lat, Lon: *lon}
			}
			sites[k.location] = &site
		}
		b.site = sites[k.location]
		b.available = oms.Available(b.onHand, b.reserved, safety)
		stock[k] = &b
	}
	return stock, rows.Err()
}

// decide sources the order from the batch's remaining stock. It refuses the
// order with EOUTOFSTOCK when it is short and the channel rejects
// backorders; otherwise it takes the planned units from the remaining stock.
func decide(p *pending, stock map[balanceKey]*balanceState, sites []catalog.SiteRef, set oms.FulfillmentSettings) error {
	o := p.order
	if p.ingest.shippedElsewhere() {
		return nil // it left stock oms does not keep: nothing to source
	}
	d := source(o, p.lineItems, p.ch, stock, sites, nil, p.ids.location, set, p.shipTo)
	// Pre-order items wait for supply whatever the channel's policy, and a
	// line whose SKU oms does not know waits, held, for a person to map it.
	short := slices.DeleteFunc(slices.Clone(d.Short), func(s oms.Shortage) bool { return p.preorder[s.SKU] || p.unknown[s.SKU] })
	// An order a channel sent is already sold there: it is recorded and waits
	// for stock, whatever the channel's policy for orders placed here.
	if len(short) > 0 && p.ch.Policy == oms.BackorderReject && p.ingest == nil {
		return &oms.Error{Code: oms.EOUTOFSTOCK, Message: "not enough stock for this order", Short: short}
	}
	for _, pl := range d.Placements {
		stock[balanceKey{p.lineItems[pl.Line], p.ids.location[pl.Location]}].available -= pl.Quantity
	}
	applyPlan(o, d.Plan)
	p.plan, p.sourcing = d.Plan, d
	return nil
}

// source runs the sourcing engine for the order over the stock of its items
// at every location that holds any, and over every other active location —
// and its pickup store, whatever its state — with none: a location that
// never held an item is still where a pickup is collected, and still tells
// why it was not chosen. It fills locIDs (location code → id). The locations
// in barred rejected units of the order and may not supply it.
func source(o *oms.Order, lineItems []int64, ch catalog.ChannelRef, stock map[balanceKey]*balanceState, sites []catalog.SiteRef,
	barred map[int64]bool, locIDs map[string]int64, set oms.FulfillmentSettings, shipTo *oms.Point) oms.Sourcing {
	skuOf := make(map[int64]string, len(o.Lines))
	for i, l := range o.Lines {
		skuOf[lineItems[i]] = l.SKU
	}
	siteStock := make(map[int64]map[string]int64)
	siteOf := make(map[int64]*oms.Site)
	for k, b := range stock {
		sku, ok := skuOf[k.item]
		if !ok {
			continue
		}
		if siteStock[k.location] == nil {
			siteStock[k.location] = make(map[string]int64)
			siteOf[k.location] = b.site
			locIDs[b.site.Code] = k.location
		}
		siteStock[k.location][sku] = b.available
	}
	for _, r := range sites {
		if siteOf[r.ID] == nil && (r.Site.Active || r.Site.Code == o.PickupLocation) {
			siteOf[r.ID] = &r.Site
		}
	}
	ids := make([]int64, 0, len(siteOf))
	for id := range siteOf {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	req := oms.SourcingRequest{Channel: ch.Code, Lines: o.Lines, ShipTo: shipTo, ShipToBasis: shipBasis(o),
		PickupAt: o.PickupLocation, PickupTransfers: set.PickupTransfers, NoSplitBelow: ch.NoSplit}
	if o.ShipTo != nil {
		req.ShipCountry = o.ShipTo.Country
	}
	for _, id := range ids {
		site := *siteOf[id]
		site.Stock = siteStock[id]
		if barred[id] {
			site.Barred = "rejected units of this order"
		}
		req.Sites = append(req.Sites, site)
	}
	return oms.Source(req)
}

// placeShipTos finds where the batch's live orders go, for sourcing.
func (tx *Tx) placeShipTos(ctx context.Context, batch []*pending) error {
	var os []*oms.Order
	for _, p := range batch {
		if p.err == nil {
			os = append(os, p.order)
		}
	}
	pts, err := tx.shipPoints(ctx, os)
	if err != nil {
		return err
	}
	for _, p := range batch {
		if p.err == nil {
			p.shipTo = pts[p.order]
		}
	}
	return nil
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

// writeOrders saves the accepted orders: customers, orders, lines,
// allocations and events; then the reservations and their ledger entries
// — one statement each.
func (tx *Tx) writeOrders(ctx context.Context, ps []*pending, stock map[balanceKey]*balanceState, locked bool) error {
	customers, err := tx.orderCustomers(ctx, ps)
	if err != nil {
		return err
	}
	if err := tx.insertOrders(ctx, ps, customers); err != nil {
		return err
	}
	var lines []lineRow
	var allocs []allocationRow
	var events []eventRow
	var fuls []fulfillmentRow
	var fulLines []fulfillmentLineRow
	var holds []holdRow
	var payloads []payloadRow
	var search [][]any
	took := make([][]draw, len(ps))
	want := make(map[balanceKey]int64)
	for i, p := range ps {
		o := p.order
		search = append(search, searchRow(p))
		for n, l := range o.Lines {
			lines = append(lines, lineRow{seq: p.ids.seq, position: n, item: nullInt(p.lineItems[n]), sku: l.SKU,
				quantity: l.Quantity, unitPrice: l.UnitPrice, subtotal: l.Subtotal, discount: l.Discount, tax: l.Tax,
				open: l.Open, allocated: l.Allocated, shipped: l.Shipped, cancelled: l.Cancelled, returned: l.Returned,
				cost: p.costs[n]})
		}
		// One pending fulfillment per location the order draws on.
		fulOf := make(map[int64]int)
		for _, pl := range p.plan.Placements {
			k := balanceKey{p.lineItems[pl.Line], p.ids.location[pl.Location]}
			took[i] = addDraw(took[i], k, pl.Quantity)
			want[k] += pl.Quantity
			allocs = append(allocs, allocationRow{p.ids.seq, pl.Line, k.location, k.item, pl.Quantity, tx.Now()})
			n, ok := fulOf[k.location]
			if !ok {
				n = len(fulOf) + 1
				fulOf[k.location] = n
				fuls = append(fuls, fulfillmentRow{p.ids.seq, n, k.location, o.PickupLocation != "", string(oms.FulfillmentPending), tx.Now(), tx.Now(), nil})
			}
			fulLines = append(fulLines, fulfillmentLineRow{p.ids.seq, n, pl.Line, pl.Quantity})
		}
		summary := orderCreated(o, p.sourcing)
		if p.ingest != nil {
			notes, mismatches := p.ingest.in.Notes, o.Mismatches
			summary.Notes, summary.Mismatches = &notes, &mismatches
			payloads = append(payloads, payloadRow{p.ids.seq, 1, tx.Now(), nullTime(p.ingest.in.UpdatedAt), true, p.ingest.raw})
			if p.ingest.shippedElsewhere() {
				fuls = append(fuls, fulfillmentRow{p.ids.seq, 1, p.ingest.marketplace, false, string(oms.FulfillmentShipped), tx.Now(), tx.Now(), o.PlacedAt})
				for n, l := range o.Lines {
					fulLines = append(fulLines, fulfillmentLineRow{p.ids.seq, 1, n, l.Quantity})
				}
			}
		}
		data, err := eventJSON(oms.EventOrderCreated, summary)
		if err != nil {
			return err
		}
		events = append(events, eventRow{oms.EventOrderCreated, o.ID, o.ID, p.actor, data, tx.Now(), RequestID(p.ctx)})
		if o.Status == oms.StatusBackordered {
			if events, err = backorderedEvent(events, o, p, tx.Now()); err != nil {
				return err
			}
		}
		for n, h := range o.Holds {
			holds = append(holds, holdRow{p.ids.seq, n + 1, string(h.Type), h.Reason, h.PlacedBy, h.PlacedAt})
			b, err := eventJSON(oms.EventOrderHeld, oms.OrderHeld{Number: o.Number, Hold: h})
			if err != nil {
				return err
			}
			events = append(events, eventRow{oms.EventOrderHeld, o.ID, o.ID, p.actor, b, tx.Now(), RequestID(p.ctx)})
		}
	}
	if err := tx.insertMany(ctx, []insert{{"order_lines", lineCols, rowsOf(lines)}, {"allocations", allocationCols, rowsOf(allocs)},
		{"fulfillments", fulfillmentCols, rowsOf(fuls)}, {"fulfillment_lines", fulfillmentLineCols, rowsOf(fulLines)},
		{"holds", holdCols, rowsOf(holds)}, {"order_payloads", payloadCols, rowsOf(payloads)}, {"order_search", tx.db.engine.searchCols(), search},
		{"events", eventCols, rowsOf(events)}}); err != nil {
		return err
	}
	// One ledger entry per balance an order drew on, with the balance as it
	// stood after that order.
	var ledger []ledgerRow
	for i, p := range ps {
		for _, d := range took[i] {
			b := stock[d.key]
			b.reserved += d.quantity
			ledger = append(ledger, ledgerRow{item: d.key.item, location: d.key.location, kind: oms.MoveReserve,
				reservedDelta: d.quantity, onHandAfter: b.onHand, reservedAfter: b.reserved,
				reference: "order " + p.order.Number, orderID: p.order.ID, actor: p.actor, at: tx.Now()})
		}
	}
	tx.ordersPlaced(ps)
	// On SQLite the batch's transaction has held the database's write lock
	// since it began: nothing can have moved.
	return tx.reserveStock(ctx, want, stock, ledger, locked || tx.db.engine.Name == "sqlite")
}

// draw is what an order takes from one balance.
type draw struct {
	key      balanceKey
	quantity int64
}

func addDraw(ds []draw, k balanceKey, q int64) []draw {
	for i := range ds {
		if ds[i].key == k {
			ds[i].quantity += q
			return ds
		}
	}
	return append(ds, draw{k, q})
}

// errStockMoved means a balance no longer held what an optimistic batch
// planned on; the batch runs again, locking first.
var errStockMoved = errors.New("store: stock changed while the batch planned")

func sortedKeys(m map[balanceKey]int64) []balanceKey {
	return slices.SortedFunc(maps.Keys(m), func(a, b balanceKey) int {
		return cmp.Or(cmp.Compare(a.item, b.item), cmp.Compare(a.location, b.location))
	})
}

// The columns of the rows a batch writes, with their PostgreSQL types.
var (
	lineCols = []column{{Name: "order_seq", Type: "bigint"}, {Name: "position", Type: "bigint"}, {Name: "item_id", Type: "bigint"},
		{Name: "sku", Type: "text"}, {Name: "quantity", Type: "bigint"}, {Name: "unit_price", Type: "bigint"}, {Name: "subtotal", Type: "bigint"}, {Name: "discount", Type: "bigint"}, {Name: "tax", Type: "bigint"},
		{Name: "qty_open", Type: "bigint"}, {Name: "qty_allocated", Type: "bigint"}, {Name: "qty_shipped", Type: "bigint"}, {Name: "qty_cancelled", Type: "bigint"},
		{Name: "qty_returned", Type: "bigint"}, {Name: "unit_cost", Type: "bigint"}, {Name: "cost_currency", Type: "text"}}
	ledgerCols = []column{{Name: "item_id", Type: "bigint"}, {Name: "location_id", Type: "bigint"}, {Name: "kind", Type: "text"}, {Name: "delta", Type: "bigint"},
		{Name: "reserved_delta", Type: "bigint"}, {Name: "on_hand_after", Type: "bigint"}, {Name: "reserved_after", Type: "bigint"}, {Name: "reference", Type: "text"},
		{Name: "order_id", Type: "text"}, {Name: "actor", Type: "text"}, {Name: "created_at", Type: "timestamptz"}}
	allocationCols = []column{{Name: "order_seq", Type: "bigint"}, {Name: "position", Type: "bigint"}, {Name: "location_id", Type: "bigint"},
		{Name: "item_id", Type: "bigint"}, {Name: "quantity", Type: "bigint"}, {Name: "created_at", Type: "timestamptz"}}
	eventCols = []column{{Name: "type", Type: "text"}, {Name: "subject", Type: "text"}, {Name: "order_id", Type: "text"},
		{Name: "actor", Type: "text"}, {Name: "data", Type: "text"}, {Name: "created_at", Type: "timestamptz"}, {Name: "request_id", Type: "text"}}
	customerCols = []column{{Name: "email", Type: "text"}, {Name: "name", Type: "text"}, {Name: "phone", Type: "text"}, {Name: "created_at", Type: "timestamptz"},
		{Name: "updated_at", Type: "timestamptz"}}
	orderCols = []column{{Name: "id", Type: "text"}, {Name: "channel_id", Type: "bigint"}, {Name: "external_id", Type: "text"}, {Name: "status", Type: "text"},
		{Name: "currency", Type: "text"}, {Name: "customer_id", Type: "bigint"}, {Name: "customer_email", Type: "text"}, {Name: "customer_name", Type: "text"},
		{Name: "customer_phone", Type: "text"}, {Name: "ship_to", Type: "text"}, {Name: "taxes_included", Type: "boolean"}, {Name: "subtotal", Type: "bigint"},
		{Name: "discount_total", Type: "bigint"}, {Name: "shipping_total", Type: "bigint"}, {Name: "tax_total", Type: "bigint"}, {Name: "total", Type: "bigint"},
		{Name: "placed_at", Type: "timestamptz"}, {Name: "created_at", Type: "timestamptz"}, {Name: "updated_at", Type: "timestamptz"},
		{Name: "version", Type: "bigint"}, {Name: "pickup_location", Type: "text"}, {Name: "billing", Type: "text"}, {Name: "ship_key", Type: "text"},
		{Name: "duties_total", Type: "bigint"}, {Name: "incoterm", Type: "text"}, {Name: "channel_updated_at", Type: "timestamptz"},
		{Name: "channel_total", Type: "bigint"}, {Name: "mismatches", Type: "text"}, {Name: "fulfilled_by_channel", Type: "boolean"},
		{Name: "amounts_unknown", Type: "boolean"}}
	reserveCols = []column{{Name: "item_id", Type: "bigint"}, {Name: "location_id", Type: "bigint"}, {Name: "q", Type: "bigint"}}
	// reservePlannedCols are reserveCols with the reserved units the
	// batch planned the balance to end at.
	reservePlannedCols = append(slices.Clip(reserveCols), column{Name: "planned", Type: "bigint"})
	// ledgerEntryCols are ledgerCols with the entry's place in the batch.
	ledgerEntryCols = append(slices.Clip(ledgerCols), column{Name: "n", Type: "bigint"})
	balanceKeyCols  = []column{{Name: "item_id", Type: "bigint"}, {Name: "location_id", Type: "bigint"}}
	orderKeyCols    = []column{{Name: "channel_id", Type: "bigint"}, {Name: "external_id", Type: "text"}}
	fulfillmentCols = []column{{Name: "order_seq", Type: "bigint"}, {Name: "n", Type: "bigint"}, {Name: "location_id", Type: "bigint"},
		{Name: "pickup", Type: "boolean"}, {Name: "status", Type: "text"}, {Name: "created_at", Type: "timestamptz"}, {Name: "updated_at", Type: "timestamptz"},
		{Name: "shipped_at", Type: "timestamptz"}}
	payloadCols = []column{{Name: "order_seq", Type: "bigint"}, {Name: "n", Type: "bigint"}, {Name: "received_at", Type: "timestamptz"},
		{Name: "updated_at", Type: "timestamptz"}, {Name: "applied", Type: "boolean"}, {Name: "body", Type: "bytea"}}
	fulfillmentLineCols = []column{{Name: "order_seq", Type: "bigint"}, {Name: "n", Type: "bigint"}, {Name: "position", Type: "bigint"}, {Name: "quantity", Type: "bigint"}}
)

// upsertCustomers records the customers of the orders' emails that are
// new, in email order, and returns the ids of all of them by email.
func (tx *Tx) upsertCustomers(ctx context.Context, ps []*pending) (map[string]int64, error) {
	byEmail := make(map[string]oms.Customer)
	for _, p := range ps {
		c := p.order.Customer
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
	vals = sqldb.PadRows(tx.db.engine.Name, vals, vals[len(vals)-1])
	src, args := tx.db.engine.RowSource(customerCols, vals, nil)
	insert := fmt.Sprintf(insertCustomers, src)
	var q string
	if tx.db.engine.Name == "postgres" {
		// One round trip: the SELECT does not see the rows its own WITH
		// inserts, so those come from RETURNING.
		var in string
		in, args = tx.db.engine.InList("email", "text", emails, args)
		q = "WITH n AS (" + insert + " RETURNING id, email) SELECT id, email FROM n UNION ALL " + fmt.Sprintf(selectCustomers, in)
	} else {
		if _, err := tx.ExecContext(ctx, insert, args...); err != nil {
			return nil, fmt.Errorf("customers: %w", err)
		}
		var in string
		in, args = tx.db.engine.InList("email", "text", emails, nil)
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
func (tx *Tx) insertOrders(ctx context.Context, ps []*pending, customers map[*pending]int64) error {
	vals := make([][]any, 0, len(ps))
	for _, p := range ps {
		o := p.order
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
		vals = append(vals, append([]any{o.ID, p.ch.ID, o.ExternalID, o.Status, o.Currency, customerID, o.Customer.Email,
			o.Customer.Name, o.Customer.Phone, shipTo, o.TaxesIncluded, o.Subtotal, o.DiscountTotal,
			o.ShippingTotal, o.TaxTotal, o.Total, o.PlacedAt, tx.Now(), tx.Now(), 1, nullString(o.PickupLocation), billing,
			oms.AddressKey(o.ShipTo), o.DutiesTotal, o.Incoterm}, p.ingestColumns()...))
		intl, err := p.intlColumns()
		if err != nil {
			return err
		}
		vals[len(vals)-1] = append(vals[len(vals)-1], append(intl, p.backordered())...)
	}
	src, args := tx.db.engine.RowSource(append(append(orderCols[:len(orderCols):len(orderCols)], intlCols...), column{Name: "backordered", Type: "boolean"}), vals, nil)
	conflict := keepTaken
	if tx.db.engine.Name == "postgres" {
		conflict = ""
	}
	rows, err := tx.QueryContext(ctx, fmt.Sprintf(insertOrders, src, conflict), args...)
	if err != nil && conflict == "" && tx.db.engine.Unique(err) {
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
		seq, ok := seqs[key{p.ch.ID, p.order.ExternalID}]
		if !ok {
			return errKeyRace
		}
		p.ids.seq = seq
		p.order.Number = strconv.FormatInt(seq, 10)
		// Lines are known by order number and position; the allocations made
		// before the number was known learn their line's id now.
		for i := range p.order.Lines {
			p.order.Lines[i].ID = lineID(seq, i)
		}
		for i, pl := range p.plan.Placements {
			p.order.Allocations[i].LineID = p.order.Lines[pl.Line].ID
		}
		for i, pl := range p.sourcing.Placements {
			p.sourcing.Placements[i].LineID = p.order.Lines[pl.Line].ID
		}
	}
	return nil
}

// reserveStock adds the batch's reservations to the balances, appends
// their ledger entries and puts them on the change feed.
//
// With locked, the batch holds the balances (or, on SQLite, the database)
// and planned on what they hold: every balance must take its units and end
// where the batch computed it would, or the whole batch fails
// (errStockTaken). Without, the batch read the balances without locking
// them: the reservation's conditional update is what locks them, takes
// the units where they are still there and returns errStockMoved where
// they are not, so that the batch runs again, locking first; a balance
// that moved but still holds the units takes them, and its ledger entries
// record it as it is. A row lock before the update would add a lock record
// to PostgreSQL's log for every balance; the update alone writes one.
func (tx *Tx) reserveStock(ctx context.Context, want map[balanceKey]int64, stock map[balanceKey]*balanceState,
	ledger []ledgerRow, locked bool) error {
	if len(want) == 0 {
		return nil
	}
	keys := sortedKeys(want)
	e := tx.db.engine
	var q string
	var args []any
	if e.Name == "postgres" {
		q, args = tx.reserveWithLedger(keys, want, stock, ledger)
	} else {
		vals := make([][]any, len(keys))
		for i, k := range keys {
			vals[i] = []any{k.item, k.location, want[k]}
		}
		// No balance has item 0: the padding updates nothing.
		vals = sqldb.PadRows(e.Name, vals, []any{int64(0), int64(0), int64(0)})
		var table string
		table, args = e.RowTable(reserveCols, vals, []any{tx.Now()}, "v")
		q = fmt.Sprintf(reserveMany, table)
		if err := tx.InsertRows(ctx, "ledger", ledgerCols, rowsOf(ledger), ""); err != nil {
			return err
		}
	}
	ended, err := tx.reserved(ctx, q, args)
	if err != nil {
		return err
	}
	for k, now := range ended {
		b := stock[k]
		if b == nil || (locked && (b.onHand != now.onHand || b.reserved != now.reserved)) {
			return fmt.Errorf("reserve: balance %v ended at %d/%d, not as planned: %w", k, now.onHand, now.reserved, errStockTaken)
		}
	}
	if len(ended) != len(keys) {
		if !locked {
			return errStockMoved
		}
		// The rows were locked and planned on; refuse rather than reserve
		// part of a batch.
		return fmt.Errorf("reserve: %d of %d balances taken: %w", len(ended), len(keys), errStockTaken)
	}
	moves := make([]stockMove, len(ledger))
	for i, g := range ledger {
		// A balance that moved since the batch read it took the batch's
		// units on top of what it held (the ledger insert did the same).
		k := balanceKey{g.item, g.location}
		g.onHandAfter, g.reservedAfter = ended[k].onHand, g.reservedAfter+ended[k].reserved-stock[k].reserved
		moves[i] = g.move()
	}
	for k, now := range ended {
		stock[k].onHand, stock[k].reserved = now.onHand, now.reserved
	}
	tx.stockMoved(moves...)
	return nil
}

// reserveWithLedger is PostgreSQL's reservation statement: the conditional
// update of the balances and the ledger entries of the balances it updated,
// in one statement. A ledger entry's balance after is the one the update
// returned, less the units of the batch's later entries at that balance:
// the batch planned each entry's reserved after on the balance as it read
// it (the planned column), and a balance may have moved since.
func (tx *Tx) reserveWithLedger(keys []balanceKey, want map[balanceKey]int64, stock map[balanceKey]*balanceState,
	ledger []ledgerRow) (string, []any) {
	e := tx.db.engine
	vals := make([][]any, len(keys))
	for i, k := range keys {
		vals[i] = []any{k.item, k.location, want[k], stock[k].reserved}
	}
	table, args := e.RowTable(reservePlannedCols, vals, []any{tx.Now()}, "v")
	entries := make([][]any, len(ledger))
	for i, g := range ledger {
		entries[i] = append(g.values(), int64(i))
	}
	src, args := e.RowTable(ledgerEntryCols, entries, args, "l")
	args = append(args, int64(len(keys)))
	return fmt.Sprintf(reserveWithLedger, table, src, len(args)), args
}

// reservedBalance is a balance as a reservation left it.
type reservedBalance struct{ onHand, reserved int64 }

// reserved runs a reservation statement and returns the balances it
// updated, as it left them.
func (tx *Tx) reserved(ctx context.Context, q string, args []any) (map[balanceKey]reservedBalance, error) {
	rows, err := tx.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("reserve: %w", err)
	}
	defer rows.Close()
	out := make(map[balanceKey]reservedBalance)
	for rows.Next() {
		var k balanceKey
		var b reservedBalance
		if err := rows.Scan(&k.item, &k.location, &b.onHand, &b.reserved); err != nil {
			return nil, err
		}
		out[k] = b
	}
	return out, rows.Err()
}

// nullString is s, or NULL when empty.
func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func nullInt(n int64) any {
	if n == 0 {
		return nil
	}
	return n
}

// nullTimePtr is nullTime for an optional time.
func nullTimePtr(t *time.Time) any {
	if t == nil {
		return nil
	}
	return nullTime(*t)
}

func nullTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t
}
