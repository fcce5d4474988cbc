package orders

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/store/catalog"
	"github.com/omshq/oms/internal/store/sqldb"
)

const (
	// selectCandidates reads the balances the batch may reserve from.
	selectCandidates = `
SELECT b.item_id, b.location_id, l.code, l.priority, l.can_ship, l.can_pickup, l.active, l.channels,
    l.latitude, l.longitude, l.country, b.on_hand, b.reserved, b.safety_stock
FROM balances b JOIN locations l ON l.id = b.location_id
WHERE %s
ORDER BY b.item_id, b.location_id`
	// selectBalances and selectStockSites read the same as
	// selectCandidates, in two statements (SQLite: readStockSites).
	selectBalances = `
SELECT b.item_id, b.location_id, b.on_hand, b.reserved, b.safety_stock
FROM balances b
WHERE %s
ORDER BY b.item_id, b.location_id`
	selectStockSites = `
SELECT id, code, priority, can_ship, can_pickup, active, channels, latitude, longitude, country
FROM locations
WHERE %s`
	// reserveMany takes units at several balances in one statement; a row
	// missing from its result means its stock was not there.
	reserveMany = `
UPDATE balances SET reserved = balances.reserved + v.q, updated_at = $1
FROM %s
WHERE balances.item_id = v.item_id AND balances.location_id = v.location_id
  AND balances.on_hand - balances.reserved - balances.safety_stock >= v.q
RETURNING balances.item_id, balances.location_id, balances.on_hand, balances.reserved,
  (SELECT unit_cost FROM items WHERE items.id = balances.item_id)`
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
SELECT u.item_id, u.location_id, u.on_hand, u.reserved, i.unit_cost FROM u JOIN items i ON i.id = u.item_id`
)

// Pending is one order in a batch, and what became of it.
type Pending struct {
	Draft *oms.OrderDraft
	Actor string
	Ctx   context.Context // the caller's; a caller gone before its batch starts is skipped
	Done  chan struct{}
	// Queued is when it was handed to the order writers.
	Queued time.Time

	// Set by PlaceBatch; reset on every attempt.
	Order     *oms.Order
	IDs       OrderIDs
	LineItems []int64            // item id of each line
	Costs     []catalog.LineCost // unit cost of each line's item
	Preorder  map[string]bool    // the SKUs sold before stock exists
	Unknown   map[string]bool    // the SKUs oms does not know: the order is held
	Channel   catalog.ChannelRef
	Plan      oms.Plan
	Sourcing  oms.Sourcing
	ShipTo    *oms.Point   // where the order goes, when known
	Ingest    *IngestExtra // set for an order a channel sent in its own format
	Err       error

	Base string // the base currency the order is placed under; "" for none
}

// BalanceKey names one balance row.
type BalanceKey struct{ Item, Location int64 }

// BalanceState is a locked balance as the batch's orders draw on it.
type BalanceState struct {
	site             *oms.Site // the location, without stock
	Available        int64     // what the batch may still take
	OnHand, Reserved int64
}

// SourcingInputs reads what sourcing the batch weighs: its stock
// (readStock, locked with lock), every location as sourcing sees it, and
// the fulfillment settings.
func (tx *Tx) SourcingInputs(ctx context.Context, batch []*Pending, lock bool) (map[BalanceKey]*BalanceState, []catalog.SiteRef, oms.FulfillmentSettings, error) {
	stock, err := tx.readStock(ctx, batch, lock)
	if err != nil {
		return nil, nil, oms.FulfillmentSettings{}, err
	}
	sites, err := tx.Sites(ctx)
	if err != nil {
		return nil, nil, oms.FulfillmentSettings{}, err
	}
	set, err := tx.FulfillmentSettings(ctx)
	return stock, sites, set, err
}

// readStock reads the balances of every item the batch's live orders need,
// at every location, with what sourcing needs to know of the location; with
// lock, it locks them in (item, location) order.
func (tx *Tx) readStock(ctx context.Context, batch []*Pending, lock bool) (map[BalanceKey]*BalanceState, error) {
	var args []any
	seen := make(map[int64]bool)
	for _, p := range batch {
		if p.Err != nil {
			continue
		}
		for _, id := range p.LineItems {
			if id != 0 && !seen[id] {
				seen[id] = true
				args = append(args, id)
			}
		}
	}
	stock := make(map[BalanceKey]*BalanceState)
	if len(args) == 0 {
		return stock, nil
	}
	in, args := tx.DB.Engine.InList("b.item_id", "bigint", args, nil)
	if tx.DB.Engine.Name == "sqlite" {
		return tx.readStockSites(ctx, in, args)
	}
	q := fmt.Sprintf(selectCandidates, in)
	if lock {
		q += tx.DB.Engine.LockOf("b")
	}
	rows, err := tx.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("read stock: %w", err)
	}
	defer rows.Close()
	sites := make(map[int64]*oms.Site)
	var k BalanceKey
	var b BalanceState
	var site siteRow
	var safety int64
	dest := append(append([]any{&k.Item, &k.Location}, site.dest()...), &b.OnHand, &b.Reserved, &safety)
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return nil, err
		}
		if sites[k.Location] == nil {
			sites[k.Location] = site.site()
		}
		b.site = sites[k.Location]
		b.Available = oms.Available(b.OnHand, b.Reserved, safety)
		stock[k] = new(b)
	}
	return stock, rows.Err()
}

// readStockSites is readStock on SQLite, in two statements of the batch's
// transaction: the balances, then the locations they are at. Joined, the
// location's columns came again with each of its balances, some hundred
// rows a batch, and reading them was half of reading the stock. There is
// nothing to lock: the batch holds SQLite's one write lock.
func (tx *Tx) readStockSites(ctx context.Context, in string, args []any) (map[BalanceKey]*BalanceState, error) {
	stock := make(map[BalanceKey]*BalanceState)
	at := make(map[int64][]*BalanceState)
	err := tx.Each(ctx, fmt.Sprintf(selectBalances, in), args, func(rows *sql.Rows) error {
		var k BalanceKey
		var b BalanceState
		var safety int64
		if err := rows.Scan(&k.Item, &k.Location, &b.OnHand, &b.Reserved, &safety); err != nil {
			return err
		}
		b.Available = oms.Available(b.OnHand, b.Reserved, safety)
		stock[k] = &b
		at[k.Location] = append(at[k.Location], &b)
		return nil
	})
	if err != nil || len(at) == 0 {
		return stock, err
	}
	ids := make([]any, 0, len(at))
	for _, id := range slices.Sorted(maps.Keys(at)) {
		ids = append(ids, id)
	}
	in, args = tx.DB.Engine.InList("id", "bigint", ids, nil)
	var id int64
	var site siteRow
	dest := append([]any{&id}, site.dest()...)
	err = tx.Each(ctx, fmt.Sprintf(selectStockSites, in), args, func(rows *sql.Rows) error {
		if err := rows.Scan(dest...); err != nil {
			return err
		}
		s := site.site()
		for _, b := range at[id] {
			b.site = s
		}
		delete(at, id)
		return nil
	})
	if err == nil && len(at) > 0 {
		err = fmt.Errorf("read stock: balances at %d locations that are not there", len(at))
	}
	return stock, err
}

// siteRow is a location as sourcing reads it with the stock.
type siteRow struct {
	s        oms.Site
	channels string
	lat, lon *float64
}

// dest is where a row's code, priority, can_ship, can_pickup, active,
// channels, latitude, longitude and country are scanned.
func (r *siteRow) dest() []any {
	return []any{&r.s.Code, &r.s.Priority, &r.s.CanShip, &r.s.CanPickup, &r.s.Active, &r.channels, &r.lat, &r.lon, &r.s.Country}
}

// site is the location the row read.
func (r *siteRow) site() *oms.Site {
	s := r.s
	s.Channels = splitCodes(r.channels)
	if r.lat != nil && r.lon != nil {
		s.Point = &oms.Point{Lat: *r.lat, Lon: *r.lon}
	}
	return &s
}

// Source runs the sourcing engine for the order over the stock of its items
// at every location that holds any, and over every other active location —
// and its pickup store, whatever its state — with none: a location that
// never held an item is still where a pickup is collected, and still tells
// why it was not chosen. It fills locIDs (location code → id). The locations
// in barred rejected units of the order and may not supply it; those in from
// already supply it (oms.SourcingRequest.From).
func Source(o *oms.Order, lineItems []int64, ch catalog.ChannelRef, stock map[BalanceKey]*BalanceState, sites []catalog.SiteRef,
	barred map[int64]bool, from []string, locIDs map[string]int64, set oms.FulfillmentSettings, shipTo *oms.Point) oms.Sourcing {
	skuOf := make(map[int64]string, len(o.Lines))
	for i, l := range o.Lines {
		skuOf[lineItems[i]] = l.SKU
	}
	siteStock := make(map[int64]map[string]int64)
	siteOf := make(map[int64]*oms.Site)
	for k, b := range stock {
		sku, ok := skuOf[k.Item]
		if !ok {
			continue
		}
		if siteStock[k.Location] == nil {
			siteStock[k.Location] = make(map[string]int64)
			siteOf[k.Location] = b.site
			locIDs[b.site.Code] = k.Location
		}
		siteStock[k.Location][sku] = b.Available
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
		PickupAt: o.PickupLocation, PickupTransfers: set.PickupTransfers, NoSplitBelow: ch.NoSplit, From: from}
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

// ErrStockMoved means a balance no longer held what an optimistic batch
// planned on; the batch runs again, locking first.
var ErrStockMoved = errors.New("store: stock changed while the batch planned")

func sortedKeys(m map[BalanceKey]int64) []BalanceKey {
	return slices.SortedFunc(maps.Keys(m), func(a, b BalanceKey) int {
		return cmp.Or(cmp.Compare(a.Item, b.Item), cmp.Compare(a.Location, b.Location))
	})
}

// The columns of the rows a batch writes, with their PostgreSQL types.
var (
	LineCols = []column{{Name: "order_seq", Type: "bigint"}, {Name: "position", Type: "bigint"}, {Name: "item_id", Type: "bigint"},
		{Name: "sku", Type: "text"}, {Name: "quantity", Type: "bigint"}, {Name: "unit_price", Type: "bigint"}, {Name: "subtotal", Type: "bigint"}, {Name: "discount", Type: "bigint"}, {Name: "tax", Type: "bigint"},
		{Name: "qty_open", Type: "bigint"}, {Name: "qty_allocated", Type: "bigint"}, {Name: "qty_shipped", Type: "bigint"}, {Name: "qty_cancelled", Type: "bigint"},
		{Name: "qty_returned", Type: "bigint"}, {Name: "unit_cost", Type: "bigint"}, {Name: "cost_currency", Type: "text"}}
	ledgerCols = []column{{Name: "item_id", Type: "bigint"}, {Name: "location_id", Type: "bigint"}, {Name: "kind", Type: "text"}, {Name: "delta", Type: "bigint"},
		{Name: "reserved_delta", Type: "bigint"}, {Name: "on_hand_after", Type: "bigint"}, {Name: "reserved_after", Type: "bigint"}, {Name: "reference", Type: "text"},
		{Name: "order_id", Type: "text"}, {Name: "actor", Type: "text"}, {Name: "created_at", Type: "timestamptz"}}
	AllocationCols = []column{{Name: "order_seq", Type: "bigint"}, {Name: "position", Type: "bigint"}, {Name: "location_id", Type: "bigint"},
		{Name: "item_id", Type: "bigint"}, {Name: "quantity", Type: "bigint"}, {Name: "created_at", Type: "timestamptz"}}
	EventCols = []column{{Name: "type", Type: "text"}, {Name: "subject", Type: "text"}, {Name: "order_id", Type: "text"},
		{Name: "actor", Type: "text"}, {Name: "data", Type: "text"}, {Name: "created_at", Type: "timestamptz"}, {Name: "request_id", Type: "text"}}
	CustomerCols = []column{{Name: "email", Type: "text"}, {Name: "name", Type: "text"}, {Name: "phone", Type: "text"}, {Name: "created_at", Type: "timestamptz"},
		{Name: "updated_at", Type: "timestamptz"}}
	OrderCols = []column{{Name: "id", Type: "text"}, {Name: "channel_id", Type: "bigint"}, {Name: "external_id", Type: "text"}, {Name: "status", Type: "text"},
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
	OrderKeyCols    = []column{{Name: "channel_id", Type: "bigint"}, {Name: "external_id", Type: "text"}}
	FulfillmentCols = []column{{Name: "order_seq", Type: "bigint"}, {Name: "n", Type: "bigint"}, {Name: "location_id", Type: "bigint"},
		{Name: "pickup", Type: "boolean"}, {Name: "status", Type: "text"}, {Name: "created_at", Type: "timestamptz"}, {Name: "updated_at", Type: "timestamptz"},
		{Name: "shipped_at", Type: "timestamptz"}}
	PayloadCols = []column{{Name: "order_seq", Type: "bigint"}, {Name: "n", Type: "bigint"}, {Name: "received_at", Type: "timestamptz"},
		{Name: "updated_at", Type: "timestamptz"}, {Name: "applied", Type: "boolean"}, {Name: "body", Type: "bytea"}}
	FulfillmentLineCols = []column{{Name: "order_seq", Type: "bigint"}, {Name: "n", Type: "bigint"}, {Name: "position", Type: "bigint"}, {Name: "quantity", Type: "bigint"}}
)

// ReserveStock adds the batch's reservations to the balances, appends
// their ledger entries and puts them on the change feed.
//
// With locked, the batch holds the balances (or, on SQLite, the database)
// and planned on what they hold: every balance must take its units and end
// where the batch computed it would, or the whole batch fails
// (ErrStockTaken). Without, the batch read the balances without locking
// them: the reservation's conditional update is what locks them, takes
// the units where they are still there and returns ErrStockMoved where
// they are not, so that the batch runs again, locking first; a balance
// that moved but still holds the units takes them, and its ledger entries
// record it as it is. A row lock before the update would add a lock record
// to PostgreSQL's log for every balance; the update alone writes one.
func (tx *Tx) ReserveStock(ctx context.Context, want map[BalanceKey]int64, stock map[BalanceKey]*BalanceState,
	ledger []LedgerRow, locked bool) error {
	if len(want) == 0 {
		return nil
	}
	keys := sortedKeys(want)
	e := tx.DB.Engine
	var q string
	var args []any
	if e.Name == "postgres" {
		q, args = tx.reserveWithLedger(keys, want, stock, ledger)
	} else {
		vals := make([][]any, len(keys))
		for i, k := range keys {
			vals[i] = []any{k.Item, k.Location, want[k]}
		}
		// No balance has item 0: the padding updates nothing.
		vals = sqldb.PadRows(e.Name, vals, []any{int64(0), int64(0), int64(0)})
		var table string
		table, args = e.RowTable(reserveCols, vals, []any{tx.Now()}, "v")
		q = fmt.Sprintf(reserveMany, table)
		if err := tx.InsertRows(ctx, "ledger", ledgerCols, RowsOf(ledger), ""); err != nil {
			return err
		}
	}
	ended, err := tx.reserved(ctx, q, args)
	if err != nil {
		return err
	}
	for k, now := range ended {
		b := stock[k]
		if b == nil || (locked && (b.OnHand != now.onHand || b.Reserved != now.reserved)) {
			return fmt.Errorf("reserve: balance %v ended at %d/%d, not as planned: %w", k, now.onHand, now.reserved, ErrStockTaken)
		}
	}
	if len(ended) != len(keys) {
		if !locked {
			return ErrStockMoved
		}
		// The rows were locked and planned on; refuse rather than reserve
		// part of a batch.
		return fmt.Errorf("reserve: %d of %d balances taken: %w", len(ended), len(keys), ErrStockTaken)
	}
	moves := make([]stockMove, len(ledger))
	for i, g := range ledger {
		// A balance that moved since the batch read it took the batch's
		// units on top of what it held (the ledger insert did the same).
		k := BalanceKey{g.Item, g.Location}
		g.OnHandAfter, g.ReservedAfter = ended[k].onHand, g.ReservedAfter+ended[k].reserved-stock[k].Reserved
		moves[i] = g.move()
		moves[i].cost, moves[i].costKnown = ended[k].unitCost, true
	}
	for k, now := range ended {
		stock[k].OnHand, stock[k].Reserved = now.onHand, now.reserved
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
func (tx *Tx) reserveWithLedger(keys []BalanceKey, want map[BalanceKey]int64, stock map[BalanceKey]*BalanceState,
	ledger []LedgerRow) (string, []any) {
	e := tx.DB.Engine
	vals := make([][]any, len(keys))
	for i, k := range keys {
		vals[i] = []any{k.Item, k.Location, want[k], stock[k].Reserved}
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
type reservedBalance struct{ onHand, reserved, unitCost int64 }

// reserved runs a reservation statement and returns the balances it
// updated, as it left them, with their items' unit costs (which the
// stock rollup's journal records).
func (tx *Tx) reserved(ctx context.Context, q string, args []any) (map[BalanceKey]reservedBalance, error) {
	rows, err := tx.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("reserve: %w", err)
	}
	defer rows.Close()
	out := make(map[BalanceKey]reservedBalance)
	for rows.Next() {
		var k BalanceKey
		var b reservedBalance
		if err := rows.Scan(&k.Item, &k.Location, &b.onHand, &b.reserved, &b.unitCost); err != nil {
			return nil, err
		}
		out[k] = b
	}
	return out, rows.Err()
}

// NullString is s, or NULL when empty.
func NullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// nullTimePtr is NullTime for an optional time.
func nullTimePtr(t *time.Time) any {
	if t == nil {
		return nil
	}
	return NullTime(*t)
}

func NullTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t
}
