package orders

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/store/sqldb"
)

// Order returns the order with the id ("ord_…") or number, with its lines
// and allocations, or ENOTFOUND. It is one statement, so it needs no
// transaction to be consistent.
func (db *DB) Order(ctx context.Context, ref string) (*oms.Order, error) {
	o, ids, err := LoadOrder(ctx, db.ReadPool(), ref, "")
	if err == nil {
		o.Links, err = orderLinks(ctx, db.ReadPool(), ids.Seq)
	}
	if err != nil || !Waiting(o) {
		return o, err
	}
	// Units wait for stock: say when they can be expected.
	err = db.view(ctx, func(tx *Tx) error { return tx.Promise(ctx, o, ids) })
	return o, err
}

// Reread loads the order (by id or number) again at the end of a change, in
// the change's transaction, as Order reads it: with the orders linked to it
// and the promised date of each line waiting for stock. The answer to every
// change of an order goes through it, so that it shows what a read shows.
func (tx *Tx) Reread(ctx context.Context, ref string) (*oms.Order, error) {
	o, ids, err := LoadOrder(ctx, tx, ref, "")
	if err != nil {
		return nil, err
	}
	return o, tx.AsRead(ctx, o, ids)
}

// AsRead adds to the order, as a change left it in memory, what a read
// shows beyond its rows: the orders linked to it and the promised date of
// each line waiting for stock.
func (tx *Tx) AsRead(ctx context.Context, o *oms.Order, ids OrderIDs) error {
	links, err := orderLinks(ctx, tx, ids.Seq)
	if err != nil {
		return err
	}
	o.Links = links
	if !Waiting(o) {
		return nil
	}
	return tx.Promise(ctx, o, ids)
}

// Waiting reports whether units of the order wait for stock, so that its
// lines have promised dates to fill in.
func Waiting(o *oms.Order) bool {
	return slices.ContainsFunc(o.Lines, func(l oms.Line) bool { return l.Open > 0 })
}

// querier runs queries: a *Tx, or a pool outside any transaction.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// pool runs single-statement reads outside a transaction, or in the unit
// of work the context carries (sqldb.Pool).
type pool = sqldb.Pool

// ReadPool runs single-statement reads on the read pool, or in the unit of
// work the context carries.
func (db *DB) ReadPool() pool { return db.SQL.ReadPool() }

// selectOrderFull is an order with its lines and their allocations in one
// statement: a row per allocation, or per line without one.
const selectOrderFull = `
SELECT o.seq, o.id, c.code, o.external_id, o.status, o.currency, o.customer_email, o.customer_name,
    o.customer_phone, o.ship_to, o.taxes_included, o.subtotal, o.discount_total, o.shipping_total,
    o.tax_total, o.total, o.placed_at, o.created_at, o.updated_at, o.version, o.pickup_location, o.billing,
    o.duties_total, o.incoterm, o.channel_total, o.mismatches, o.fulfilled_by_channel, o.amounts_unknown,
    l.position, l.item_id, l.sku, l.quantity, l.unit_price, l.subtotal, l.discount, l.tax, l.qty_open, l.qty_allocated,
    l.qty_shipped, l.qty_cancelled, l.qty_returned, a.location_id, loc.code, a.quantity,
    o.base_currency, o.base_rate, o.base_rate_date, o.base_subtotal, o.base_discount_total,
    o.base_shipping_total, o.base_tax_total, o.base_duties_total, o.base_total, o.computed_tax
FROM orders o JOIN channels c ON c.id = o.channel_id
LEFT JOIN order_lines l ON l.order_seq = o.seq
LEFT JOIN allocations a ON a.order_seq = l.order_seq AND a.position = l.position
LEFT JOIN locations loc ON loc.id = a.location_id`

// LoadOrder reads the order with its lines and allocations; lock is the
// engine's row-lock suffix for the order row, or empty.
func LoadOrder(ctx context.Context, q querier, ref, lock string) (*oms.Order, OrderIDs, error) {
	where, arg, ok := orderRef(ref)
	if !ok {
		return nil, OrderIDs{}, notFound("order %q does not exist", ref)
	}
	rows, err := q.QueryContext(ctx, selectOrderFull+where+" ORDER BY l.position, loc.priority, loc.code"+lock, arg)
	if err != nil {
		return nil, OrderIDs{}, err
	}
	defer rows.Close()
	var o *oms.Order
	ids := OrderIDs{Items: map[string]int64{}, Location: map[string]int64{}}
	last := -1
	for rows.Next() {
		h := &oms.Order{Lines: []oms.Line{}, Allocations: []oms.Allocation{}}
		var shipTo, pickup, billing *string
		var mismatches string
		var pos, itemID, locID sql.NullInt64
		var sku, locCode sql.NullString
		var l oms.Line
		var qty, price, sub, disc, tax, open, alloc, shipped, cancelled, returned, aqty sql.NullInt64
		var intl intlScan
		err := rows.Scan(append([]any{&ids.Seq, &h.ID, &h.Channel, &h.ExternalID, &h.Status, &h.Currency, &h.Customer.Email,
			&h.Customer.Name, &h.Customer.Phone, &shipTo, &h.TaxesIncluded, &h.Subtotal, &h.DiscountTotal,
			&h.ShippingTotal, &h.TaxTotal, &h.Total, &h.PlacedAt, &h.CreatedAt, &h.UpdatedAt, &h.Version, &pickup, &billing,
			&h.DutiesTotal, &h.Incoterm, &h.ChannelTotal, &mismatches, &h.FulfilledByChannel, &h.AmountsUnknown,
			&pos, &itemID, &sku, &qty, &price, &sub, &disc, &tax, &open, &alloc, &shipped, &cancelled, &returned,
			&locID, &locCode, &aqty}, intl.targets()...)...)
		if err != nil {
			return nil, ids, err
		}
		if o == nil {
			if err := finishHead(h, ids.Seq, shipTo, pickup, billing); err != nil {
				return nil, ids, err
			}
			h.Mismatches = splitLines(mismatches)
			if err := intl.apply(h); err != nil {
				return nil, ids, err
			}
			o = h
		}
		if !pos.Valid {
			continue
		}
		if int(pos.Int64) != last {
			last = int(pos.Int64)
			l = oms.Line{ID: LineID(ids.Seq, last), SKU: sku.String, Quantity: qty.Int64, UnitPrice: price.Int64, Subtotal: sub.Int64,
				Discount: disc.Int64, Tax: tax.Int64, Open: open.Int64, Allocated: alloc.Int64, Shipped: shipped.Int64,
				Cancelled: cancelled.Int64, Returned: returned.Int64}
			o.Lines = append(o.Lines, l)
			ids.Items[l.ID] = itemID.Int64
		}
		if locID.Valid {
			lid := LineID(ids.Seq, last)
			o.Allocations = append(o.Allocations, oms.Allocation{LineID: lid, Location: locCode.String, Quantity: aqty.Int64})
			ids.Location[locCode.String] = locID.Int64
		}
	}
	if err := rows.Err(); err != nil {
		return nil, ids, err
	}
	if o == nil {
		return nil, ids, notFound("order %q does not exist", ref)
	}
	rows.Close()
	if o.Status == oms.StatusOnHold {
		if o.Holds, err = holdsOf(ctx, q, ids.Seq); err != nil {
			return nil, ids, err
		}
	}
	return o, ids, nil
}

// splitLines reads a newline-separated list; empty is none.
func splitLines(s string) []string { return sqldb.SplitLines(s) }

// finishHead completes an order read from its row: number, ship-to, UTC times.
func finishHead(o *oms.Order, seq int64, shipTo, pickup, billing *string) error {
	if pickup != nil {
		o.PickupLocation = *pickup
	}
	if billing != nil {
		o.Billing = new(oms.Address)
		if err := json.Unmarshal([]byte(*billing), o.Billing); err != nil {
			return fmt.Errorf("order %d billing: %w", seq, err)
		}
	}
	if o.Holds == nil {
		o.Holds = []oms.Hold{}
	}
	if shipTo != nil {
		o.ShipTo = new(oms.Address)
		if err := json.Unmarshal([]byte(*shipTo), o.ShipTo); err != nil {
			return fmt.Errorf("order %d ship_to: %w", seq, err)
		}
	}
	o.Number = strconv.FormatInt(seq, 10)
	o.PlacedAt, o.CreatedAt, o.UpdatedAt = o.PlacedAt.UTC(), o.CreatedAt.UTC(), o.UpdatedAt.UTC()
	return nil
}

// OrderByExternalID returns the channel's order with the external id, or
// ENOTFOUND.
func (db *DB) OrderByExternalID(ctx context.Context, channel, externalID string) (*oms.Order, error) {
	var o *oms.Order
	err := db.view(ctx, func(tx *Tx) error {
		q := selectOrderHead + " WHERE o.channel_id = (SELECT id FROM channels WHERE code = $1) AND o.external_id = $2"
		os, err := tx.orders(ctx, q, channel, externalID)
		if err != nil {
			return err
		}
		if len(os) == 0 {
			return notFound("channel %s has no order %q", channel, externalID)
		}
		o = os[0].Order
		return nil
	})
	return o, err
}

// orderRef turns an order reference — an id, a number, or "#number" — into
// the WHERE clause and argument that find it.
func orderRef(ref string) (string, any, bool) {
	if strings.HasPrefix(ref, "ord_") {
		return " WHERE o.id = $1", ref, true
	}
	n, err := strconv.ParseInt(strings.TrimPrefix(ref, "#"), 10, 64)
	if err != nil || n <= 0 {
		return "", nil, false
	}
	return " WHERE o.seq = $1", n, true
}

// OrderHead returns the order's own row, without lines, locking it when lock
// is true.
func (tx *Tx) OrderHead(ctx context.Context, ref string, lock bool) (loaded, error) {
	where, arg, ok := orderRef(ref)
	if !ok {
		return loaded{}, notFound("order %q does not exist", ref)
	}
	q := selectOrderHead + where
	if lock {
		q += tx.DB.Engine.LockOf("o")
	}
	rows, err := tx.QueryContext(ctx, q, arg)
	if err != nil {
		return loaded{}, err
	}
	os, err := scanOrders(rows)
	if err != nil {
		return loaded{}, err
	}
	if len(os) == 0 {
		return loaded{}, notFound("order %q does not exist", ref)
	}
	if lock {
		// Locked to change it: on the change feed.
		return os[0], tx.OrderChanging(ctx, os[0].IDs.Seq)
	}
	return os[0], nil
}

// loaded is an order with its internal keys.
type loaded struct {
	*oms.Order
	IDs OrderIDs
}

// Order loads the order with lines and allocations, locking its row when
// lock is true.
func (tx *Tx) Order(ctx context.Context, ref string, lock bool) (*oms.Order, OrderIDs, error) {
	suffix := ""
	if lock {
		suffix = tx.DB.Engine.LockOf("o")
	}
	o, ids, err := LoadOrder(ctx, tx, ref, suffix)
	if err == nil && lock {
		// Locked to change it: on the change feed.
		err = tx.OrderChanging(ctx, ids.Seq)
	}
	return o, ids, err
}

// orders runs a query over selectOrderHead and loads the lines and
// allocations of every order it returns.
func (tx *Tx) orders(ctx context.Context, q string, args ...any) ([]loaded, error) {
	rows, err := tx.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	os, err := scanOrders(rows)
	if err != nil {
		return nil, err
	}
	return os, tx.fillLines(ctx, os)
}

func scanOrders(rows *sql.Rows) ([]loaded, error) {
	defer rows.Close()
	var out []loaded
	for rows.Next() {
		o := &oms.Order{Lines: []oms.Line{}, Allocations: []oms.Allocation{}}
		var seq int64
		var shipTo, pickup, billing *string
		var mismatches string
		var intl intlScan
		err := rows.Scan(append([]any{&seq, &o.ID, &o.Channel, &o.ExternalID, &o.Status, &o.Currency, &o.Customer.Email,
			&o.Customer.Name, &o.Customer.Phone, &shipTo, &o.TaxesIncluded, &o.Subtotal, &o.DiscountTotal,
			&o.ShippingTotal, &o.TaxTotal, &o.Total, &o.PlacedAt, &o.CreatedAt, &o.UpdatedAt, &o.Version, &pickup, &billing,
			&o.DutiesTotal, &o.Incoterm, &o.ChannelTotal, &mismatches, &o.FulfilledByChannel, &o.AmountsUnknown}, intl.targets()...)...)
		if err != nil {
			return nil, err
		}
		if err := intl.apply(o); err != nil {
			return nil, err
		}
		if err := finishHead(o, seq, shipTo, pickup, billing); err != nil {
			return nil, err
		}
		o.Mismatches = splitLines(mismatches)
		out = append(out, loaded{Order: o, IDs: OrderIDs{Seq: seq, Items: map[string]int64{}, Location: map[string]int64{}}})
	}
	return out, rows.Err()
}

// fillLines loads the lines and allocations of the orders in two queries.
func (tx *Tx) fillLines(ctx context.Context, os []loaded) error {
	if len(os) == 0 {
		return nil
	}
	bySeq := make(map[int64]loaded, len(os))
	seqs := make([]any, len(os))
	for i, o := range os {
		bySeq[o.IDs.Seq] = o
		seqs[i] = o.IDs.Seq
	}
	in, args := tx.DB.Engine.InList("order_seq", "bigint", seqs, nil)
	rows, err := tx.QueryContext(ctx, fmt.Sprintf(selectLines, in), args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var l oms.Line
		var seq int64
		var itemID sql.NullInt64 // NULL for a SKU oms does not know
		var pos int
		if err := rows.Scan(&seq, &pos, &itemID, &l.SKU, &l.Quantity, &l.UnitPrice, &l.Subtotal, &l.Discount, &l.Tax,
			&l.Open, &l.Allocated, &l.Shipped, &l.Cancelled, &l.Returned); err != nil {
			return err
		}
		l.ID = LineID(seq, pos)
		o := bySeq[seq]
		o.Lines = append(o.Lines, l)
		o.IDs.Items[l.ID] = itemID.Int64
	}
	if err := rows.Err(); err != nil {
		return err
	}
	rows.Close()
	in, args = tx.DB.Engine.InList("a.order_seq", "bigint", seqs, nil)
	rows, err = tx.QueryContext(ctx, fmt.Sprintf(selectAllocations, in), args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var a oms.Allocation
		var seq, locID int64
		var pos int
		if err := rows.Scan(&seq, &pos, &locID, &a.Location, &a.Quantity); err != nil {
			return err
		}
		a.LineID = LineID(seq, pos)
		o := bySeq[seq]
		o.Allocations = append(o.Allocations, a)
		o.IDs.Location[a.Location] = locID
	}
	return rows.Err()
}

// ListOrders returns orders matching the filter, newest first, and the cursor
// of the next page (0 when there is none).
func (db *DB) ListOrders(ctx context.Context, f oms.OrderFilter) ([]oms.Order, int64, error) {
	var where []string
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	if f.Status != "" {
		where = append(where, "o.status = "+arg(f.Status))
	}
	if f.Channel != "" {
		where = append(where, "o.channel_id = (SELECT id FROM channels WHERE code = "+arg(f.Channel)+")")
	}
	if q := strings.TrimSpace(f.Query); q != "" && f.Identifiers {
		where = append(where, identifierTerms(q, arg))
	} else if q != "" {
		where = append(where, db.Engine.queryTerms(q, arg))
	}
	if c := OrderScope(f.Principal, "o", arg); c != "" {
		where = append(where, c)
	}
	if f.After > 0 {
		where = append(where, "o.seq < "+arg(f.After))
	}
	q := selectOrderHead
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	q += " ORDER BY o.seq DESC LIMIT " + arg(f.Limit+1)
	var out []oms.Order
	var next int64
	list := func(ctx context.Context, qr querier, tx *Tx) error {
		rows, err := qr.QueryContext(ctx, q, args...)
		if err != nil {
			return err
		}
		os, err := scanOrders(rows)
		if err != nil {
			return err
		}
		if len(os) > f.Limit {
			os = os[:f.Limit]
			next = os[len(os)-1].IDs.Seq
		}
		if tx != nil {
			if err := tx.fillLines(ctx, os); err != nil {
				return err
			}
		}
		out = make([]oms.Order, len(os))
		for i, o := range os {
			out[i] = *o.Order
		}
		return nil
	}
	if !f.WithLines {
		// One statement: consistent without a transaction.
		err := list(ctx, db.ReadPool(), nil)
		return out, next, err
	}
	err := db.view(ctx, func(tx *Tx) error { return list(ctx, tx, tx) })
	return out, next, err
}

// identifierTerms turns a search box entry into a condition on o.seq
// matching the order number, an external id or a tracking number: no field
// of the customer's.
func identifierTerms(q string, arg func(any) string) string {
	t := arg(q)
	lookups := []string{"SELECT seq FROM orders WHERE channel_id IN (SELECT id FROM channels) AND external_id = " + t,
		"SELECT order_seq FROM fulfillments WHERE tracking_number <> '' AND tracking_number = " + t}
	if n, err := strconv.ParseInt(strings.TrimPrefix(q, "#"), 10, 64); err == nil && n > 0 {
		lookups = append(lookups, "SELECT "+arg(n))
	}
	return "o.seq IN (" + strings.Join(lookups, " UNION ") + ")"
}

// queryTerms turns a search box entry into a condition on o.seq built from
// lookups that each use an index: an email matches the customer's email; a
// number matches the order number, external id or phone; anything else
// matches the external id, or orders holding its words, the last as the
// start of a word, in the search index (see oms.SearchDocument). The
// lookups are joined with UNION, not OR, so that no engine falls back to
// scanning every order.
func (e engine) queryTerms(q string, arg func(any) string) string {
	if strings.Contains(q, "@") {
		return "o.customer_email = " + arg(oms.NormalizeEmail(q))
	}
	// The external id is unique per channel: the (channel, external id)
	// index serves it channel by channel.
	lookups := []string{"SELECT seq FROM orders WHERE channel_id IN (SELECT id FROM channels) AND external_id = " + arg(q)}
	if n, err := strconv.ParseInt(strings.TrimPrefix(q, "#"), 10, 64); err == nil && n > 0 {
		lookups = append(lookups, "SELECT "+arg(n), "SELECT seq FROM orders WHERE customer_phone <> '' AND customer_phone = "+arg(q))
	} else if strings.HasPrefix(q, "+") {
		lookups = append(lookups, "SELECT seq FROM orders WHERE customer_phone <> '' AND customer_phone = "+arg(q))
	} else if words := oms.SearchWords(q); len(words) > 0 {
		lookups = append(lookups, e.WordsLookup(words, true, arg))
	}
	return "o.seq IN (" + strings.Join(lookups, " UNION ") + ")"
}
