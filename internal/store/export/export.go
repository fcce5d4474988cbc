// Package export streams the CSV exports of orders, order lines,
// inventory and the stock ledger, filtered by date, channel, status,
// location and SKU and kept to what the principal may see, with each
// export's row count and the check of its filter. It implements those
// parts of oms.Admin on the engine seam (sqldb); the visibility of orders
// and locations, the lines' ids and the filters' lookups are the store's
// (Hooks).
package export

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/store/sqldb"
	"github.com/omshq/oms/money"
)

// Exports are the exports of a database.
type Exports struct {
	db    *sqldb.DB
	hooks Hooks
}

// Hooks are what the exports need of the rest of the store.
type Hooks struct {
	// OrderScope is the condition on the orders row o that keeps the
	// orders p may see ("" for all); arg adds a parameter and returns its
	// placeholder.
	OrderScope func(p oms.Principal, o string, arg func(any) string) string
	// LocationScope is the condition that the location id expr is one of
	// p's locations ("" for any).
	LocationScope func(p oms.Principal, expr string, arg func(any) string) string
	// LineID is the id of the order's line at the position.
	LineID func(seq int64, position int) string
	// CheckFilters records in p, read in tx, a problem under each of the
	// channel, location and SKU filters that names nothing.
	CheckFilters func(ctx context.Context, tx *sqldb.Tx, p *oms.Problems, channel, location, sku string) error
}

// New returns the exports of db.
func New(db *sqldb.DB, h Hooks) *Exports { return &Exports{db: db, hooks: h} }

// Export streams the rows of the export name matching f to fn, one slice of
// strings per row in the order of oms.ExportHeader (fn must not keep it).
func (x *Exports) Export(ctx context.Context, name string, f oms.ExportFilter, fn func([]string) error) error {
	q, args, scan, err := x.query(name, f)
	if err != nil {
		return err
	}
	rows, err := x.db.ReadPool().QueryContext(ctx, q, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		row, err := scan(rows)
		if err != nil {
			return err
		}
		if err := fn(row); err != nil {
			return err
		}
	}
	return rows.Err()
}

// ExportCount returns how many rows the export would have: the total of a
// progress bar.
func (x *Exports) ExportCount(ctx context.Context, name string, f oms.ExportFilter) (int64, error) {
	q, args, _, err := x.query(name, f)
	if err != nil {
		return 0, err
	}
	var n int64
	err = x.db.Read.QueryRowContext(ctx, x.db.Engine.Rebind("SELECT COUNT(*) FROM ("+q+") x"), args...).Scan(&n)
	return n, err
}

// query builds the statement of an export and the reader of its rows.
func (x *Exports) query(name string, f oms.ExportFilter) (string, []any, func(*sql.Rows) ([]string, error), error) {
	if _, err := oms.ExportHeader(name); err != nil {
		return "", nil, nil, err
	}
	var where []string
	var args []any
	cond := func(c string, v any) {
		args = append(args, v)
		where = append(where, strings.ReplaceAll(c, "?", "$"+strconv.Itoa(len(args))))
	}
	at := "o.placed_at"
	if name == "ledger" {
		at = "g.created_at"
	}
	if name == "orders" || name == "order-lines" || name == "ledger" {
		if !f.Range.From.IsZero() {
			cond(at+" >= ?", f.Range.From)
		}
		if !f.Range.To.IsZero() {
			cond(at+" < ?", f.Range.To)
		}
	}
	if name == "orders" || name == "order-lines" {
		if f.Channel != "" {
			cond("o.channel_id = (SELECT id FROM channels WHERE code = ?)", f.Channel)
		}
		if f.Status != "" {
			cond("o.status = ?", string(f.Status))
		}
	}
	switch name {
	case "orders":
		if f.SKU != "" {
			cond("EXISTS (SELECT 1 FROM order_lines l WHERE l.order_seq = o.seq AND l.sku = ?)", f.SKU)
		}
	case "order-lines":
		if f.SKU != "" {
			cond("l.sku = ?", f.SKU)
		}
	case "inventory", "ledger":
		alias := "b"
		if name == "ledger" {
			alias = "g"
		}
		if f.SKU != "" {
			cond(alias+".item_id = (SELECT id FROM items WHERE sku = ?)", f.SKU)
		}
		if f.Location != "" {
			cond(alias+".location_id = (SELECT id FROM locations WHERE code = ?)", f.Location)
		}
	}
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	scope := ""
	switch name {
	case "orders", "order-lines":
		scope = x.hooks.OrderScope(f.Principal, "o", arg)
	case "inventory":
		scope = x.hooks.LocationScope(f.Principal, "b.location_id", arg)
	case "ledger":
		scope = x.hooks.LocationScope(f.Principal, "g.location_id", arg)
	}
	if scope != "" {
		where = append(where, scope)
	}
	w := ""
	if len(where) > 0 {
		w = " WHERE " + strings.Join(where, " AND ")
	}
	switch name {
	case "orders":
		return exportOrders + w + " ORDER BY o.seq", args, scanExportOrder, nil
	case "order-lines":
		return exportLines + w + " ORDER BY o.seq, l.position", args, x.scanLine, nil
	case "inventory":
		return exportInventory + w + " ORDER BY i.sku, loc.code", args, scanExportBalance, nil
	default:
		return exportLedger + w + " ORDER BY g.id", args, scanExportMovement, nil
	}
}

const (
	exportOrders = `
SELECT o.seq, o.id, c.code, o.external_id, o.status, o.placed_at, o.currency, o.customer_email, o.customer_name,
    o.ship_to, COALESCE(o.pickup_location, ''),
    (SELECT COUNT(*) FROM order_lines l WHERE l.order_seq = o.seq),
    (SELECT COALESCE(SUM(l.quantity), 0) FROM order_lines l WHERE l.order_seq = o.seq),
    o.subtotal, o.discount_total, o.shipping_total, o.tax_total, o.duties_total, o.total, o.taxes_included,
    COALESCE(o.base_currency, ''), o.base_total, COALESCE(o.base_rate, ''), o.amounts_unknown
FROM orders o JOIN channels c ON c.id = o.channel_id`
	exportLines = `
SELECT o.seq, o.id, c.code, o.placed_at, o.status, o.currency, l.position, l.sku, l.quantity, l.unit_price,
    l.subtotal, l.discount, l.tax, l.qty_open, l.qty_allocated, l.qty_shipped, l.qty_cancelled, l.qty_returned,
    o.amounts_unknown
FROM order_lines l JOIN orders o ON o.seq = l.order_seq JOIN channels c ON c.id = o.channel_id`
	exportInventory = `
SELECT i.sku, i.name, loc.code, b.on_hand, b.reserved, b.safety_stock, i.currency, i.unit_cost
FROM balances b JOIN items i ON i.id = b.item_id JOIN locations loc ON loc.id = b.location_id`
	exportLedger = `
SELECT g.id, g.created_at, i.sku, loc.code, g.kind, g.delta, g.reserved_delta, g.on_hand_after, g.reserved_after,
    g.reference, COALESCE(g.order_id, ''), g.actor
FROM ledger g JOIN items i ON i.id = g.item_id JOIN locations loc ON loc.id = g.location_id`
)

func csvTime(t time.Time) string { return t.UTC().Format(time.RFC3339) }

func csvInt(n int64) string { return strconv.FormatInt(n, 10) }

func scanExportOrder(rows *sql.Rows) ([]string, error) {
	var (
		seq, lines, units                                  int64
		id, channel, ext, status, cur, email, name, pickup string
		shipTo                                             sql.NullString
		placed                                             time.Time
		sub, disc, ship, tax, duties, total                int64
		incl, unknown                                      bool
		baseCur, baseRate                                  string
		baseTotal                                          sql.NullInt64
	)
	if err := rows.Scan(&seq, &id, &channel, &ext, &status, &placed, &cur, &email, &name, &shipTo, &pickup,
		&lines, &units, &sub, &disc, &ship, &tax, &duties, &total, &incl, &baseCur, &baseTotal, &baseRate, &unknown); err != nil {
		return nil, err
	}
	country := ""
	if shipTo.Valid && shipTo.String != "" {
		var a oms.Address
		if err := json.Unmarshal([]byte(shipTo.String), &a); err != nil {
			return nil, fmt.Errorf("order %d ship_to: %w", seq, err)
		}
		country = a.Country
	}
	base := ""
	if baseTotal.Valid && baseCur != "" && !unknown {
		base = money.Format(baseTotal.Int64, baseCur)
	}
	if unknown {
		baseCur, baseRate = "", "" // no base, as the order's JSON has none
	}
	m := exportMoney(cur, unknown)
	return []string{csvInt(seq), id, channel, ext, status, csvTime(placed), cur, email, name, country, pickup,
		csvInt(lines), csvInt(units), m(sub), m(disc), m(ship), m(tax), m(duties), m(total),
		strconv.FormatBool(incl), baseCur, base, baseRate}, nil
}

func (x *Exports) scanLine(rows *sql.Rows) ([]string, error) {
	var (
		seq, pos                                                      int64
		id, channel, status, cur, sku                                 string
		placed                                                        time.Time
		qty, price, sub, disc, tax, open, alloc, shipped, canc, retnd int64
		unknown                                                       bool
	)
	if err := rows.Scan(&seq, &id, &channel, &placed, &status, &cur, &pos, &sku, &qty, &price, &sub, &disc, &tax,
		&open, &alloc, &shipped, &canc, &retnd, &unknown); err != nil {
		return nil, err
	}
	m := exportMoney(cur, unknown)
	return []string{csvInt(seq), id, channel, csvTime(placed), status, cur, x.hooks.LineID(seq, int(pos)), sku,
		csvInt(qty), m(price), m(sub), m(disc), m(tax), csvInt(open), csvInt(alloc), csvInt(shipped), csvInt(canc),
		csvInt(retnd)}, nil
}

// exportMoney formats amounts in the currency: empty cells for an order
// whose amounts are unknown, never 0.
func exportMoney(cur string, unknown bool) func(int64) string {
	if unknown {
		return func(int64) string { return "" }
	}
	return func(v int64) string { return money.Format(v, cur) }
}

func scanExportBalance(rows *sql.Rows) ([]string, error) {
	var (
		sku, name, loc, cur            string
		onHand, reserved, safety, cost int64
	)
	if err := rows.Scan(&sku, &name, &loc, &onHand, &reserved, &safety, &cur, &cost); err != nil {
		return nil, err
	}
	value, err := oms.StockValue(sku, loc, onHand, cost, cur)
	if err != nil {
		return nil, err
	}
	return []string{sku, name, loc, csvInt(onHand), csvInt(reserved), csvInt(safety),
		csvInt(oms.Available(onHand, reserved, safety)), cur, money.Format(cost, cur), money.Format(value, cur)}, nil
}

func scanExportMovement(rows *sql.Rows) ([]string, error) {
	var (
		id, delta, rdelta, onHand, reserved int64
		at                                  time.Time
		sku, loc, kind, ref, order, actor   string
	)
	if err := rows.Scan(&id, &at, &sku, &loc, &kind, &delta, &rdelta, &onHand, &reserved, &ref, &order, &actor); err != nil {
		return nil, err
	}
	return []string{csvInt(id), csvTime(at), sku, loc, kind, csvInt(delta), csvInt(rdelta), csvInt(onHand),
		csvInt(reserved), ref, order, actor}, nil
}

// CheckExportFilter returns EINVALID naming the filter that names a
// channel, SKU or location that does not exist, or a bad status: an export
// of a typo is an error, not an empty file.
func (x *Exports) CheckExportFilter(ctx context.Context, f oms.ExportFilter) error {
	var p oms.Problems
	if f.Status != "" && !slices.Contains(oms.Statuses, f.Status) {
		p.Add("status", "must be one of %v", oms.Statuses)
	}
	err := x.db.View(ctx, func(tx *sqldb.Tx) error {
		return x.hooks.CheckFilters(ctx, tx, &p, f.Channel, f.Location, f.SKU)
	})
	if err != nil {
		return err
	}
	return p.Err()
}
