package store

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/omshq/oms"
)

// Order placement runs in batches: concurrent PlaceOrder calls queue, and a
// writer takes whatever has queued and places it in one transaction with a
// fixed number of statements — however many orders the batch holds. Each
// order is still all or nothing: one that is refused (invalid, out of stock,
// a repeat) writes nothing, and its neighbours in the batch are unaffected.
//
// The batch locks every balance it may draw on up front, in (item, location)
// order, so batches never deadlock on stock; then it decides every order in
// Go, in arrival order, against the locked quantities; then it writes the
// accepted orders with multi-row statements.

const (
	// selectCandidates locks the balances the batch may reserve from.
	selectCandidates = `
SELECT b.item_id, b.location_id, l.code, l.priority, b.on_hand, b.reserved, b.safety_stock
FROM balances b JOIN locations l ON l.id = b.location_id
WHERE b.item_id IN (%s) AND l.can_ship
ORDER BY b.item_id, b.location_id`
	selectExistingOrders = `
SELECT channel_id, external_id FROM orders WHERE external_id IN (%s)`
	upsertCustomers = `
INSERT INTO customers (email, name, phone, created_at, updated_at)
VALUES %s
ON CONFLICT (email) DO UPDATE SET
    name = CASE WHEN excluded.name <> '' THEN excluded.name ELSE customers.name END,
    phone = CASE WHEN excluded.phone <> '' THEN excluded.phone ELSE customers.phone END,
    updated_at = excluded.updated_at
RETURNING id, email`
	// insertOrders claims each (channel, external id): a repeat racing in
	// from another transaction waits here for the first to commit, then finds
	// the key taken and the batch is retried.
	insertOrders = `
INSERT INTO orders (id, channel_id, external_id, status, currency, customer_id, customer_email,
    customer_name, customer_phone, ship_to, taxes_included, subtotal, discount_total,
    shipping_total, tax_total, total, placed_at, created_at, updated_at, version)
VALUES %s
ON CONFLICT (channel_id, external_id) DO NOTHING
RETURNING seq, channel_id, external_id`
	// reserveMany takes units at several balances in one statement; a row
	// missing from its result means its stock was not there.
	reserveMany = `
UPDATE balances SET reserved = balances.reserved + v.q, updated_at = $1
FROM (%s) AS v
WHERE balances.item_id = v.item_id AND balances.location_id = v.location_id
  AND balances.on_hand - balances.reserved - balances.safety_stock >= v.q
RETURNING balances.item_id, balances.location_id, balances.on_hand, balances.reserved`
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

	// Set by placeBatch; reset on every attempt.
	order *oms.Order
	ids   orderIDs
	ch    channelInfo
	plan  oms.Plan
	err   error
}

// balanceKey names one balance row.
type balanceKey struct{ item, location int64 }

// balanceState is a locked balance as the batch's orders draw on it.
type balanceState struct {
	oms.Candidate
	onHand, reserved int64
}

// placeBatch places the batch's orders in the transaction. Refusals are
// recorded on each pending order; an error return fails the whole batch.
func (tx *Tx) placeBatch(ctx context.Context, batch []*pending) error {
	for _, p := range batch {
		p.order, p.err, p.plan = nil, nil, oms.Plan{}
		p.err = tx.prepareOrder(ctx, p)
	}
	if err := tx.markDuplicates(ctx, batch); err != nil {
		return err
	}
	stock, err := tx.lockStock(ctx, batch)
	if err != nil {
		return err
	}
	var accepted []*pending
	for _, p := range batch {
		if p.err == nil {
			if p.err = decide(p, stock); p.err == nil {
				accepted = append(accepted, p)
			}
		}
	}
	if len(accepted) == 0 {
		return nil
	}
	return tx.writeOrders(ctx, accepted, stock)
}

// prepareOrder resolves the draft's channel and items and builds the order
// with fresh ids, every unit open.
func (tx *Tx) prepareOrder(ctx context.Context, p *pending) error {
	ch, err := tx.channelOf(ctx, p.draft)
	if err != nil {
		return err
	}
	items, err := tx.draftItems(ctx, p.draft)
	if err != nil {
		return err
	}
	o, err := p.draft.NewOrder(tx.now)
	if err != nil {
		return err
	}
	o.ID = newID("ord")
	p.ids = orderIDs{items: make(map[string]int64, len(o.Lines)), location: make(map[string]int64)}
	for i := range o.Lines {
		o.Lines[i].ID = newID("ln")
		p.ids.items[o.Lines[i].ID] = items[o.Lines[i].SKU]
	}
	p.order, p.ch = o, ch
	return nil
}

// markDuplicates refuses, as repeats, the orders whose (channel, external id)
// is already stored or appears earlier in the batch.
func (tx *Tx) markDuplicates(ctx context.Context, batch []*pending) error {
	type key struct {
		channel int64
		ext     string
	}
	seen := make(map[key]bool, len(batch))
	var args []any
	for _, p := range batch {
		if p.err != nil {
			continue
		}
		k := key{p.ch.id, p.order.ExternalID}
		if seen[k] {
			p.err = errDuplicate
			continue
		}
		seen[k] = true
		args = append(args, p.order.ExternalID)
	}
	if len(args) == 0 {
		return nil
	}
	rows, err := tx.QueryContext(ctx, fmt.Sprintf(selectExistingOrders, placeholders(1, len(args))), args...)
	if err != nil {
		return fmt.Errorf("find repeats: %w", err)
	}
	stored := make(map[key]bool)
	for rows.Next() {
		var k key
		if err := rows.Scan(&k.channel, &k.ext); err != nil {
			rows.Close()
			return err
		}
		stored[k] = true
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, p := range batch {
		if p.err == nil && stored[key{p.ch.id, p.order.ExternalID}] {
			p.err = errDuplicate
		}
	}
	return nil
}

// lockStock locks, in (item, location) order, the balances at shipping
// locations of every item the batch's live orders need.
func (tx *Tx) lockStock(ctx context.Context, batch []*pending) (map[balanceKey]*balanceState, error) {
	var args []any
	seen := make(map[int64]bool)
	for _, p := range batch {
		if p.err != nil {
			continue
		}
		for _, id := range p.ids.items {
			if !seen[id] {
				seen[id] = true
				args = append(args, id)
			}
		}
	}
	stock := make(map[balanceKey]*balanceState)
	if len(args) == 0 {
		return stock, nil
	}
	q := fmt.Sprintf(selectCandidates, placeholders(1, len(args))) + tx.db.engine.lockOf("b")
	rows, err := tx.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("lock stock: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var k balanceKey
		var b balanceState
		var safety int64
		if err := rows.Scan(&k.item, &k.location, &b.Location, &b.Priority, &b.onHand, &b.reserved, &safety); err != nil {
			return nil, err
		}
		b.Available = oms.Available(b.onHand, b.reserved, safety)
		stock[k] = &b
	}
	return stock, rows.Err()
}

// decide allocates the order from the batch's remaining stock by the
// allocation rule. It refuses the order with EOUTOFSTOCK when it is short and
// the channel rejects backorders; otherwise it takes the planned units from
// the remaining stock.
func decide(p *pending, stock map[balanceKey]*balanceState) error {
	o := p.order
	skuOf := make(map[int64]string, len(o.Lines))
	for _, l := range o.Lines {
		skuOf[p.ids.items[l.ID]] = l.SKU
	}
	var cands []oms.Candidate
	keyOf := make(map[string]balanceKey) // SKU + location → balance
	for k, b := range stock {
		if sku, ok := skuOf[k.item]; ok {
			c := b.Candidate
			c.SKU = sku
			cands = append(cands, c)
			keyOf[sku+"\x00"+c.Location] = k
			p.ids.location[c.Location] = k.location
		}
	}
	plan := oms.Allocate(o.Lines, cands)
	if len(plan.Short) > 0 && p.ch.policy == oms.BackorderReject {
		return &oms.Error{Code: oms.EOUTOFSTOCK, Message: "not enough stock for this order", Short: plan.Short}
	}
	for _, pl := range plan.Placements {
		stock[keyOf[o.Lines[pl.Line].SKU+"\x00"+pl.Location]].Available -= pl.Quantity
	}
	applyPlan(o, plan)
	p.plan = plan
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
// reservations, ledger entries, allocations and events, one statement each.
func (tx *Tx) writeOrders(ctx context.Context, ps []*pending, stock map[balanceKey]*balanceState) error {
	customers, err := tx.upsertCustomers(ctx, ps)
	if err != nil {
		return err
	}
	if err := tx.insertOrders(ctx, ps, customers); err != nil {
		return err
	}
	var lines, allocs, ledger, events [][]any
	want := make(map[balanceKey]int64)
	for _, p := range ps {
		o := p.order
		for i, l := range o.Lines {
			lines = append(lines, []any{l.ID, p.ids.seq, i, p.ids.items[l.ID], l.SKU, l.Quantity, l.UnitPrice,
				l.Discount, l.Tax, l.Open, l.Allocated, l.Shipped, l.Cancelled, l.Returned})
		}
		// One ledger entry per balance the order drew on, with the balance as
		// it stood after this order.
		took := make(map[balanceKey]int64)
		var order []balanceKey
		for _, pl := range p.plan.Placements {
			l := o.Lines[pl.Line]
			k := balanceKey{p.ids.items[l.ID], p.ids.location[pl.Location]}
			if _, ok := took[k]; !ok {
				order = append(order, k)
			}
			took[k] += pl.Quantity
			allocs = append(allocs, []any{p.ids.seq, l.ID, k.item, k.location, pl.Quantity, tx.now})
		}
		for _, k := range order {
			b := stock[k]
			b.reserved += took[k]
			want[k] += took[k]
			ledger = append(ledger, []any{k.item, k.location, oms.MoveReserve, 0, took[k], b.onHand, b.reserved,
				"order " + o.Number, o.ID, p.actor, tx.now})
		}
		data, err := json.Marshal(orderSummary(o))
		if err != nil {
			return err
		}
		events = append(events, []any{newID("evt"), oms.EventOrderCreated, o.ID, o.ID, p.actor, string(data), tx.now})
	}
	if err := tx.insertRows(ctx, "order_lines", lineCols, lines); err != nil {
		return err
	}
	if err := tx.reserveStock(ctx, want, stock); err != nil {
		return err
	}
	for _, t := range []struct {
		table string
		cols  []string
		rows  [][]any
	}{{"ledger", ledgerCols, ledger}, {"allocations", allocationCols, allocs}, {"events", eventCols, events}} {
		if err := tx.insertRows(ctx, t.table, t.cols, t.rows); err != nil {
			return err
		}
	}
	return nil
}

var (
	lineCols = []string{"id", "order_seq", "position", "item_id", "sku", "quantity", "unit_price", "discount",
		"tax", "qty_open", "qty_allocated", "qty_shipped", "qty_cancelled", "qty_returned"}
	ledgerCols = []string{"item_id", "location_id", "kind", "delta", "reserved_delta", "on_hand_after",
		"reserved_after", "reference", "order_id", "actor", "created_at"}
	allocationCols = []string{"order_seq", "line_id", "item_id", "location_id", "quantity", "created_at"}
	eventCols      = []string{"id", "type", "subject", "order_id", "actor", "data", "created_at"}
)

// upsertCustomers records the customers of the orders, one row per email in
// email order (a fixed lock order), and returns their ids by email.
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
	emails := make([]string, 0, len(byEmail))
	for e := range byEmail {
		emails = append(emails, e)
	}
	slices.Sort(emails)
	var vals []string
	args := make([]any, 0, 4*len(emails))
	for _, e := range emails {
		c := byEmail[e]
		n := len(args)
		vals = append(vals, fmt.Sprintf("($%d, $%d, $%d, $%d, $%d)", n+1, n+2, n+3, n+4, n+4))
		args = append(args, c.Email, c.Name, c.Phone, tx.now)
	}
	rows, err := tx.QueryContext(ctx, fmt.Sprintf(upsertCustomers, strings.Join(vals, ", ")), args...)
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
func (tx *Tx) insertOrders(ctx context.Context, ps []*pending, customers map[string]int64) error {
	var vals []string
	var args []any
	for _, p := range ps {
		o := p.order
		var customerID, shipTo any
		if id, ok := customers[o.Customer.Email]; ok {
			customerID = id
		}
		if o.ShipTo != nil {
			b, err := json.Marshal(o.ShipTo)
			if err != nil {
				return err
			}
			shipTo = string(b)
		}
		n := len(args)
		vals = append(vals, "("+placeholders(n+1, 19)+", 1)")
		args = append(args, o.ID, p.ch.id, o.ExternalID, o.Status, o.Currency, customerID, o.Customer.Email,
			o.Customer.Name, o.Customer.Phone, shipTo, o.TaxesIncluded, o.Subtotal, o.DiscountTotal,
			o.ShippingTotal, o.TaxTotal, o.Total, o.PlacedAt, tx.now, tx.now)
	}
	rows, err := tx.QueryContext(ctx, fmt.Sprintf(insertOrders, strings.Join(vals, ", ")), args...)
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
		seq, ok := seqs[key{p.ch.id, p.order.ExternalID}]
		if !ok {
			return errKeyRace
		}
		p.ids.seq = seq
		p.order.Number = strconv.FormatInt(seq, 10)
	}
	return nil
}

// reserveStock adds the batch's reservations to the locked balances in one
// statement, and checks that every balance took them and ended where the
// batch computed it would.
func (tx *Tx) reserveStock(ctx context.Context, want map[balanceKey]int64, stock map[balanceKey]*balanceState) error {
	if len(want) == 0 {
		return nil
	}
	keys := make([]balanceKey, 0, len(want))
	for k := range want {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b balanceKey) int {
		return cmp.Or(cmp.Compare(a.item, b.item), cmp.Compare(a.location, b.location))
	})
	args := []any{tx.now}
	sel := make([]string, len(keys))
	for i, k := range keys {
		n := len(args)
		sel[i] = fmt.Sprintf("SELECT CAST($%d AS BIGINT) AS item_id, CAST($%d AS BIGINT) AS location_id, CAST($%d AS BIGINT) AS q", n+1, n+2, n+3)
		args = append(args, k.item, k.location, want[k])
	}
	rows, err := tx.QueryContext(ctx, fmt.Sprintf(reserveMany, strings.Join(sel, " UNION ALL ")), args...)
	if err != nil {
		return fmt.Errorf("reserve: %w", err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var k balanceKey
		var onHand, reserved int64
		if err := rows.Scan(&k.item, &k.location, &onHand, &reserved); err != nil {
			return err
		}
		if b := stock[k]; b == nil || b.onHand != onHand || b.reserved != reserved {
			return fmt.Errorf("reserve: balance %v ended at %d/%d, not as planned: %w", k, onHand, reserved, errStockTaken)
		}
		n++
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if n != len(keys) {
		// The rows were locked and planned on; refuse rather than reserve
		// part of a batch.
		return fmt.Errorf("reserve: %d of %d balances taken: %w", n, len(keys), errStockTaken)
	}
	return nil
}

// draftItems maps each SKU of the draft to its item id, or returns EINVALID
// naming every line whose SKU is unknown. Item ids never change, so they are
// remembered.
func (tx *Tx) draftItems(ctx context.Context, d *oms.OrderDraft) (map[string]int64, error) {
	ids := make(map[string]int64, len(d.Lines))
	var missing []string
	for _, l := range d.Lines {
		if _, ok := ids[l.SKU]; ok {
			continue
		}
		if id, ok := tx.db.cache.items.Load(l.SKU); ok {
			ids[l.SKU] = id.(int64)
		} else if !slices.Contains(missing, l.SKU) {
			missing = append(missing, l.SKU)
		}
	}
	if len(missing) > 0 {
		found, err := tx.itemIDs(ctx, missing)
		if err != nil {
			return nil, err
		}
		for sku, id := range found {
			ids[sku] = id
			tx.db.cache.items.Store(sku, id)
		}
	}
	var p oms.Problems
	for i, l := range d.Lines {
		if _, ok := ids[l.SKU]; !ok {
			p.Add(fmt.Sprintf("lines[%d].sku", i), "no item has SKU %q", l.SKU)
		}
	}
	return ids, p.Err()
}
