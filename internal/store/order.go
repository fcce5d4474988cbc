package store

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/omshq/oms"
)

const (
	upsertCustomer = `
INSERT INTO customers (email, name, phone, created_at, updated_at)
VALUES ($1, $2, $3, $4, $4)
ON CONFLICT (email) DO UPDATE SET
    name = CASE WHEN excluded.name <> '' THEN excluded.name ELSE customers.name END,
    phone = CASE WHEN excluded.phone <> '' THEN excluded.phone ELSE customers.phone END,
    updated_at = excluded.updated_at
RETURNING id`
	// insertOrder claims (channel, external id) first: a concurrent repeat
	// waits here for the first to commit, then finds the key taken.
	insertOrder = `
INSERT INTO orders (id, channel_id, external_id, status, currency, customer_id, customer_email,
    customer_name, customer_phone, ship_to, taxes_included, subtotal, discount_total,
    shipping_total, tax_total, total, placed_at, created_at, updated_at, version)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $18, 1)
ON CONFLICT (channel_id, external_id) DO NOTHING
RETURNING seq`
	setOrderStatus = `
UPDATE orders SET status = $2, updated_at = $3, version = version + $4 WHERE seq = $1`
	// selectCandidates locks the balances an order may reserve from, in
	// (item, location) order, so that concurrent orders never deadlock.
	selectCandidates = `
SELECT b.item_id, b.location_id, l.code, l.priority, b.on_hand, b.reserved, b.safety_stock
FROM balances b JOIN locations l ON l.id = b.location_id
WHERE b.item_id IN (%s) AND l.can_ship
ORDER BY b.item_id, b.location_id`
	selectOrderHead = `
SELECT o.seq, o.id, c.code, o.external_id, o.status, o.currency, o.customer_email, o.customer_name,
    o.customer_phone, o.ship_to, o.taxes_included, o.subtotal, o.discount_total, o.shipping_total,
    o.tax_total, o.total, o.placed_at, o.created_at, o.updated_at, o.version
FROM orders o JOIN channels c ON c.id = o.channel_id`
	selectLines = `
SELECT order_seq, id, item_id, sku, quantity, unit_price, discount, tax, qty_open, qty_allocated,
    qty_shipped, qty_cancelled, qty_returned
FROM order_lines WHERE order_seq IN (%s) ORDER BY order_seq, position`
	selectAllocations = `
SELECT a.order_seq, a.line_id, a.location_id, l.code, a.quantity
FROM allocations a JOIN locations l ON l.id = a.location_id
WHERE a.order_seq IN (%s) ORDER BY a.order_seq, a.id`
)

// errDuplicate means the (channel, external id) already has an order.
var errDuplicate = errors.New("store: duplicate order")

// PlaceOrder accepts an order: it reserves stock for each line and saves the
// order, its lines, allocations, ledger entries and order.created event in one
// transaction. When the channel already has an order with this external id it
// returns that order with created false, and changes nothing.
//
// It returns EINVALID for a bad field, an unknown channel or SKU, or a
// currency other than the channel's; EOUTOFSTOCK, listing the short SKUs,
// when the channel rejects backorders and stock is short.
func (db *DB) PlaceOrder(ctx context.Context, d *oms.OrderDraft, actor string) (o *oms.Order, created bool, err error) {
	if err := d.Validate(); err != nil {
		return nil, false, err
	}
	err = db.update(ctx, func(tx *Tx) error {
		o, err = tx.placeOrder(ctx, d, actor)
		return err
	})
	if errors.Is(err, errDuplicate) {
		o, err = db.orderByExternalID(ctx, d.Channel, d.ExternalID)
		return o, false, err
	}
	return o, err == nil, err
}

// orderIDs are an order's internal keys, which the API never shows.
type orderIDs struct {
	seq      int64
	items    map[string]int64 // line id → item id
	location map[string]int64 // location code → id
}

func (tx *Tx) placeOrder(ctx context.Context, d *oms.OrderDraft, actor string) (*oms.Order, error) {
	ch, chID, err := tx.channel(ctx, d.Channel)
	if oms.ErrorCode(err) == oms.ENOTFOUND {
		return nil, oms.Invalid("channel", "no channel has code %q", d.Channel)
	} else if err != nil {
		return nil, err
	}
	if d.Currency != ch.Currency {
		return nil, oms.Invalid("currency", "must be %s, the currency of channel %s", ch.Currency, ch.Code)
	}
	skuIDs, err := tx.draftItems(ctx, d)
	if err != nil {
		return nil, err
	}
	o, err := d.NewOrder(tx.now)
	if err != nil {
		return nil, err
	}
	ids := orderIDs{items: make(map[string]int64, len(o.Lines)), location: make(map[string]int64)}
	o.ID = newID("ord")
	for i := range o.Lines {
		o.Lines[i].ID = newID("ln")
		ids.items[o.Lines[i].ID] = skuIDs[o.Lines[i].SKU]
	}
	if ids.seq, err = tx.insertOrder(ctx, o, chID); err != nil {
		return nil, err
	}
	o.Number = strconv.FormatInt(ids.seq, 10)
	if err := tx.insertLines(ctx, o, ids); err != nil {
		return nil, err
	}
	if err := tx.allocate(ctx, o, ids, ch.BackorderPolicy, actor); err != nil {
		return nil, err
	}
	if _, err := tx.ExecContext(ctx, setOrderStatus, ids.seq, o.Status, tx.now, 0); err != nil {
		return nil, err
	}
	return o, tx.addEvent(ctx, oms.EventOrderCreated, o.ID, o.ID, actor, orderSummary(o))
}

// draftItems maps each SKU of the draft to its item id, or returns EINVALID
// naming every line whose SKU is unknown.
func (tx *Tx) draftItems(ctx context.Context, d *oms.OrderDraft) (map[string]int64, error) {
	skus := make([]string, 0, len(d.Lines))
	for _, l := range d.Lines {
		skus = append(skus, l.SKU)
	}
	slices.Sort(skus)
	ids, err := tx.itemIDs(ctx, slices.Compact(skus))
	if err != nil {
		return nil, err
	}
	var p oms.Problems
	for i, l := range d.Lines {
		if _, ok := ids[l.SKU]; !ok {
			p.Add(fmt.Sprintf("lines[%d].sku", i), "no item has SKU %q", l.SKU)
		}
	}
	return ids, p.Err()
}

func (tx *Tx) insertOrder(ctx context.Context, o *oms.Order, channelID int64) (int64, error) {
	var customerID any
	if o.Customer.Email != "" {
		var id int64
		err := tx.QueryRowContext(ctx, upsertCustomer, o.Customer.Email, o.Customer.Name, o.Customer.Phone, tx.now).Scan(&id)
		if err != nil {
			return 0, fmt.Errorf("customer: %w", err)
		}
		customerID = id
	}
	var shipTo any
	if o.ShipTo != nil {
		b, err := json.Marshal(o.ShipTo)
		if err != nil {
			return 0, err
		}
		shipTo = string(b)
	}
	var seq int64
	err := tx.QueryRowContext(ctx, insertOrder, o.ID, channelID, o.ExternalID, o.Status, o.Currency,
		customerID, o.Customer.Email, o.Customer.Name, o.Customer.Phone, shipTo, o.TaxesIncluded,
		o.Subtotal, o.DiscountTotal, o.ShippingTotal, o.TaxTotal, o.Total, o.PlacedAt, tx.now).Scan(&seq)
	if errors.Is(err, sql.ErrNoRows) || (err != nil && tx.db.engine.unique(err)) {
		return 0, errDuplicate
	}
	return seq, err
}

func (tx *Tx) insertLines(ctx context.Context, o *oms.Order, ids orderIDs) error {
	rows := make([][]any, len(o.Lines))
	for i, l := range o.Lines {
		rows[i] = []any{l.ID, ids.seq, i, ids.items[l.ID], l.SKU, l.Quantity, l.UnitPrice, l.Discount, l.Tax,
			l.Open, l.Allocated, l.Shipped, l.Cancelled, l.Returned}
	}
	return tx.insertRows(ctx, "order_lines", []string{"id", "order_seq", "position", "item_id", "sku",
		"quantity", "unit_price", "discount", "tax", "qty_open", "qty_allocated", "qty_shipped",
		"qty_cancelled", "qty_returned"}, rows)
}

// allocate reserves stock for the order's open units by the allocation rule,
// and saves the reservations, the ledger entries and the lines' new
// quantities. With the reject policy a shortage is EOUTOFSTOCK.
func (tx *Tx) allocate(ctx context.Context, o *oms.Order, ids orderIDs, policy oms.BackorderPolicy, actor string) error {
	if !slices.ContainsFunc(o.Lines, func(l oms.Line) bool { return l.Open > 0 }) {
		return nil
	}
	cands, err := tx.lockCandidates(ctx, o, ids)
	if err != nil {
		return err
	}
	plan := oms.Allocate(o.Lines, cands)
	if len(plan.Short) > 0 && policy == oms.BackorderReject {
		return &oms.Error{Code: oms.EOUTOFSTOCK, Message: "not enough stock for this order", Short: plan.Short}
	}
	if len(plan.Placements) == 0 {
		o.Refresh()
		return nil
	}
	// Reserve in (item, location) order: the order the rows were locked in.
	moves := make([]move, len(plan.Placements))
	for i, p := range plan.Placements {
		l := &o.Lines[p.Line]
		l.Open -= p.Quantity
		l.Allocated += p.Quantity
		o.Allocations = append(o.Allocations, oms.Allocation{LineID: l.ID, Location: p.Location, Quantity: p.Quantity})
		moves[i] = move{itemID: ids.items[l.ID], locationID: ids.location[p.Location], sku: l.SKU,
			location: p.Location, kind: oms.MoveReserve, reservedDelta: p.Quantity,
			reference: "order " + o.Number, orderID: o.ID, actor: actor}
	}
	o.Refresh()
	slices.SortStableFunc(moves, func(a, b move) int {
		return cmp.Or(cmp.Compare(a.itemID, b.itemID), cmp.Compare(a.locationID, b.locationID))
	})
	for _, m := range moves {
		if _, err := tx.apply(ctx, m); err != nil {
			if errors.Is(err, errStockTaken) {
				return fmt.Errorf("order %s: %w", o.Number, err)
			}
			return err
		}
	}
	return tx.saveAllocations(ctx, o, ids, plan.Placements)
}

// lockCandidates locks and returns the balances at shipping locations for the
// order's items. It fills ids.location with the location ids it meets.
func (tx *Tx) lockCandidates(ctx context.Context, o *oms.Order, ids orderIDs) ([]oms.Candidate, error) {
	skuOf := make(map[int64]string, len(o.Lines))
	for _, l := range o.Lines {
		if l.Open > 0 {
			skuOf[ids.items[l.ID]] = l.SKU
		}
	}
	args := make([]any, 0, len(skuOf))
	for id := range skuOf {
		args = append(args, id)
	}
	q := fmt.Sprintf(selectCandidates, placeholders(1, len(args))) + tx.db.engine.lockOf("b")
	rows, err := tx.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("lock stock: %w", err)
	}
	defer rows.Close()
	var out []oms.Candidate
	for rows.Next() {
		var c oms.Candidate
		var itemID, locID, onHand, reserved, safety int64
		if err := rows.Scan(&itemID, &locID, &c.Location, &c.Priority, &onHand, &reserved, &safety); err != nil {
			return nil, err
		}
		c.SKU = skuOf[itemID]
		c.Available = oms.Available(onHand, reserved, safety)
		ids.location[c.Location] = locID
		out = append(out, c)
	}
	return out, rows.Err()
}

func (tx *Tx) saveAllocations(ctx context.Context, o *oms.Order, ids orderIDs, ps []oms.Placement) error {
	rows := make([][]any, len(ps))
	for i, p := range ps {
		l := o.Lines[p.Line]
		rows[i] = []any{ids.seq, l.ID, ids.items[l.ID], ids.location[p.Location], p.Quantity, tx.now}
	}
	if err := tx.insertRows(ctx, "allocations", []string{"order_seq", "line_id", "item_id", "location_id",
		"quantity", "created_at"}, rows); err != nil {
		return err
	}
	return tx.saveLineQuantities(ctx, o)
}

const updateLineQuantities = `
UPDATE order_lines SET qty_open = $2, qty_allocated = $3, qty_shipped = $4, qty_cancelled = $5, qty_returned = $6
WHERE id = $1`

func (tx *Tx) saveLineQuantities(ctx context.Context, o *oms.Order) error {
	for _, l := range o.Lines {
		if _, err := tx.ExecContext(ctx, updateLineQuantities, l.ID, l.Open, l.Allocated, l.Shipped,
			l.Cancelled, l.Returned); err != nil {
			return fmt.Errorf("line %s: %w", l.ID, err)
		}
	}
	return nil
}

// insertRows inserts rows into table in as few statements as the engines'
// parameter limits allow.
func (tx *Tx) insertRows(ctx context.Context, table string, cols []string, rows [][]any) error {
	per := max(1, 30000/len(cols))
	for len(rows) > 0 {
		n := min(per, len(rows))
		var b strings.Builder
		fmt.Fprintf(&b, "INSERT INTO %s (%s) VALUES ", table, strings.Join(cols, ", "))
		args := make([]any, 0, n*len(cols))
		for i, r := range rows[:n] {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString("(" + placeholders(len(args)+1, len(cols)) + ")")
			args = append(args, r...)
		}
		if _, err := tx.ExecContext(ctx, b.String(), args...); err != nil {
			return fmt.Errorf("insert %s: %w", table, err)
		}
		rows = rows[n:]
	}
	return nil
}

// orderSummary is the data of order events: enough to act on without a
// second call.
func orderSummary(o *oms.Order) map[string]any {
	return map[string]any{"number": o.Number, "channel": o.Channel, "external_id": o.ExternalID,
		"status": o.Status, "currency": o.Currency, "total": o.Total, "lines": o.Lines,
		"allocations": o.Allocations}
}
