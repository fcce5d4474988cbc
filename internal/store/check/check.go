// Package check verifies the invariants of a whole database, as oms check
// and the tests after every scenario do: every balance recomputed from the
// ledger and the open allocations (stock conserved, nothing oversold),
// every line's quantities adding up, every status derived from its lines
// and fulfillments, every total exact, every order with its creation
// event, the edits, returns, supply, base-currency totals, customers and
// search index consistent, and what the change feed's reader keeps. It
// reads one snapshot, which the store opens (Store), so it may run beside
// a live server; the areas' own checks come from their packages. It
// implements oms.Admin's Check.
package check

import (
	"context"
	"fmt"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/store/fxrates"
	"github.com/omshq/oms/internal/store/inventory"
	"github.com/omshq/oms/internal/store/returns"
	"github.com/omshq/oms/internal/store/sqldb"
)

// Auditor checks the invariants of a database and counts its rows.
type Auditor struct {
	db    *sqldb.DB
	store Store
}

// New returns the checks of db, read in store's snapshots.
func New(db *sqldb.DB, store Store) *Auditor { return &Auditor{db: db, store: store} }

// Store opens the snapshot the check reads: the store's, whose change feed
// reader keeps read models of its own to check.
type Store interface {
	// Snapshot runs fn in a read-only transaction that sees the database
	// as of one moment.
	Snapshot(ctx context.Context, fn func(Tx) error) error
}

// Tx is the store's snapshot as the check reads it.
type Tx interface {
	// Seam is the engine seam's transaction underneath.
	Seam() *sqldb.Tx
	// CheckFeed adds to r what is wrong with what the change feed's reader
	// keeps, read in the snapshot.
	CheckFeed(ctx context.Context, r *oms.CheckReport) error
}

// Each query returns one row per violation: a description and the numbers
// that disagree.
var balanceChecks = []struct{ name, query string }{
	{"on hand is not the sum of the ledger", `
SELECT i.sku, l.code, b.on_hand, COALESCE(g.total, 0)
FROM balances b
JOIN items i ON i.id = b.item_id JOIN locations l ON l.id = b.location_id
LEFT JOIN (SELECT item_id, location_id, SUM(delta) AS total FROM ledger GROUP BY item_id, location_id) g
    ON g.item_id = b.item_id AND g.location_id = b.location_id
WHERE b.on_hand <> COALESCE(g.total, 0)`},
	{"reserved is not the sum of open allocations", `
SELECT i.sku, l.code, b.reserved, COALESCE(a.total, 0)
FROM balances b
JOIN items i ON i.id = b.item_id JOIN locations l ON l.id = b.location_id
LEFT JOIN (SELECT item_id, location_id, SUM(quantity) AS total FROM allocations GROUP BY item_id, location_id) a
    ON a.item_id = b.item_id AND a.location_id = b.location_id
WHERE b.reserved <> COALESCE(a.total, 0)`},
	{"reserved is not the sum of the ledger's reservations", `
SELECT i.sku, l.code, b.reserved, COALESCE(g.total, 0)
FROM balances b
JOIN items i ON i.id = b.item_id JOIN locations l ON l.id = b.location_id
LEFT JOIN (SELECT item_id, location_id, SUM(reserved_delta) AS total FROM ledger GROUP BY item_id, location_id) g
    ON g.item_id = b.item_id AND g.location_id = b.location_id
WHERE b.reserved <> COALESCE(g.total, 0)`},
	{"oversold: reserved above on hand, or a negative balance", `
SELECT i.sku, l.code, b.on_hand, b.reserved
FROM balances b
JOIN items i ON i.id = b.item_id JOIN locations l ON l.id = b.location_id
WHERE b.reserved > b.on_hand OR b.on_hand < 0 OR b.reserved < 0`},
	{"ledger or allocations without a balance (item id, location id)", `
SELECT CAST(m.item_id AS TEXT), CAST(m.location_id AS TEXT), 0, 0
FROM (SELECT item_id, location_id FROM ledger UNION SELECT item_id, location_id FROM allocations) m
WHERE NOT EXISTS (SELECT 1 FROM balances b WHERE b.item_id = m.item_id AND b.location_id = m.location_id)`},
}

var orderChecks = []struct{ name, query string }{
	{"line allocated is not the sum of its allocations", `
SELECT l.order_seq, l.sku, l.qty_allocated, COALESCE(a.total, 0)
FROM order_lines l
LEFT JOIN (SELECT order_seq, position, SUM(quantity) AS total FROM allocations GROUP BY order_seq, position) a
    ON a.order_seq = l.order_seq AND a.position = l.position
WHERE l.qty_allocated <> COALESCE(a.total, 0)`},
	{"line without its order, with an unknown item, or allocated without an item", `
SELECT l.order_seq, l.sku, 0, 0 FROM order_lines l
WHERE NOT EXISTS (SELECT 1 FROM orders o WHERE o.seq = l.order_seq)
   OR (l.item_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM items i WHERE i.id = l.item_id AND i.sku = l.sku))
   OR (l.item_id IS NULL AND l.qty_allocated > 0)`},
	{"allocation not matching its line", `
SELECT a.order_seq, a.position, 0, 0 FROM allocations a
LEFT JOIN order_lines l ON l.order_seq = a.order_seq AND l.position = a.position
WHERE l.order_seq IS NULL OR l.item_id <> a.item_id`},
	{"order with an unknown channel or customer", `
SELECT o.seq, o.id, 0, 0 FROM orders o
WHERE NOT EXISTS (SELECT 1 FROM channels c WHERE c.id = o.channel_id)
   OR (o.customer_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM customers c WHERE c.id = o.customer_id))`},
	{"open fulfillment units are not the line's allocation at that location (order, line position)", `
SELECT CAST(order_seq AS TEXT), CAST(position AS TEXT), SUM(a), SUM(f)
FROM (
    SELECT order_seq, position, location_id, quantity AS a, 0 AS f FROM allocations
    UNION ALL
    SELECT fl.order_seq, fl.position, f.location_id, 0, fl.quantity
    FROM fulfillment_lines fl JOIN fulfillments f ON f.order_seq = fl.order_seq AND f.n = fl.n
    WHERE f.shipped_at IS NULL AND f.status IN ('pending', 'picking', 'packed', 'ready_for_pickup')
) x
GROUP BY order_seq, position, location_id
HAVING SUM(a) <> SUM(f)`},
	{"shipped units are not the line's shipped fulfillment units (order, line position)", `
SELECT CAST(l.order_seq AS TEXT), CAST(l.position AS TEXT), l.qty_shipped, COALESCE(s.q, 0)
FROM order_lines l
LEFT JOIN (
    SELECT fl.order_seq, fl.position, SUM(fl.quantity) AS q
    FROM fulfillment_lines fl JOIN fulfillments f ON f.order_seq = fl.order_seq AND f.n = fl.n
    WHERE f.shipped_at IS NOT NULL
    GROUP BY fl.order_seq, fl.position
) s ON s.order_seq = l.order_seq AND s.position = l.position
WHERE l.qty_shipped <> COALESCE(s.q, 0)`},
	{"note, case or case message referring to something that does not exist (table, id)", `
SELECT 'note', CAST(n.id AS TEXT), 0, 0 FROM notes n
WHERE (n.order_seq IS NOT NULL AND NOT EXISTS (SELECT 1 FROM orders o WHERE o.seq = n.order_seq))
   OR (n.customer_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM customers c WHERE c.id = n.customer_id))
UNION ALL
SELECT 'case', CAST(c.id AS TEXT), 0, 0 FROM cases c
WHERE (c.order_seq IS NOT NULL AND NOT EXISTS (SELECT 1 FROM orders o WHERE o.seq = c.order_seq))
   OR (c.customer_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM customers u WHERE u.id = c.customer_id))
   OR NOT EXISTS (SELECT 1 FROM case_messages m WHERE m.case_id = c.id)
UNION ALL
SELECT 'case_message', CAST(m.case_id AS TEXT), m.n, 0 FROM case_messages m
WHERE NOT EXISTS (SELECT 1 FROM cases c WHERE c.id = m.case_id)`},
	{"order without lines", `
SELECT o.seq, o.id, 0, 0 FROM orders o
WHERE NOT EXISTS (SELECT 1 FROM order_lines l WHERE l.order_seq = o.seq)`},
	{"order with unknown amounts that is not cancelled or carries an amount", `
SELECT o.seq, o.id, o.subtotal, o.total FROM orders o
WHERE o.amounts_unknown AND (o.status <> 'cancelled' OR o.subtotal <> 0 OR o.discount_total <> 0
   OR o.shipping_total <> 0 OR o.tax_total <> 0 OR o.duties_total <> 0 OR o.total <> 0)`},
	{"order without its order.created event", `
SELECT o.seq, o.id, 0, 0 FROM orders o
WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.order_id = o.id AND e.type = 'order.created')`},
}

// editChecks verify the record of order edits.
var editChecks = []struct{ name, query string }{
	{"order edit without its order, or whose difference is not its totals' (order, edit)", `
SELECT CAST(e.order_seq AS TEXT), CAST(e.n AS TEXT), e.difference, e.total_after - e.total_before
FROM order_edits e
WHERE e.difference <> e.total_after - e.total_before
   OR NOT EXISTS (SELECT 1 FROM orders o WHERE o.seq = e.order_seq)`},
	{"order edit without its order.edited event (order, edit)", `
SELECT CAST(e.order_seq AS TEXT), CAST(e.n AS TEXT), 0, 0 FROM order_edits e
WHERE NOT EXISTS (SELECT 1 FROM events v WHERE v.type = 'order.edited'
    AND v.subject = CAST(e.order_seq AS TEXT) || '-E' || CAST(e.n AS TEXT))`},
	{"order at a version below its last edit's", `
SELECT CAST(o.seq AS TEXT), o.id, o.version, MAX(e.version_after)
FROM orders o JOIN order_edits e ON e.order_seq = o.seq
GROUP BY o.seq, o.id, o.version
HAVING o.version < MAX(e.version_after)`},
	{"removed line (quantity 0) still carrying an amount", `
SELECT CAST(order_seq AS TEXT), sku, subtotal, discount + tax FROM order_lines
WHERE quantity = 0 AND (subtotal <> 0 OR discount <> 0 OR tax <> 0)`},
}

// selectOrderLinesForCheck streams every line with its order and, per
// order, how many fulfillments stand in each group that the status depends
// on.
const selectOrderLinesForCheck = `
SELECT o.seq, o.status, o.subtotal, o.discount_total, o.shipping_total, o.tax_total, o.duties_total, o.total, o.taxes_included,
    l.sku, l.quantity, l.unit_price, l.subtotal, l.discount, l.tax, l.qty_open, l.qty_allocated, l.qty_shipped,
    l.qty_cancelled, l.qty_returned,
    (SELECT COUNT(*) FROM fulfillments f WHERE f.order_seq = o.seq AND f.status = 'shipped'),
    (SELECT COUNT(*) FROM fulfillments f WHERE f.order_seq = o.seq AND f.status IN ('delivered', 'picked_up')),
    (SELECT COUNT(*) FROM fulfillments f WHERE f.order_seq = o.seq AND f.status = 'ready_for_pickup' AND f.shipped_at IS NULL),
    (SELECT COUNT(*) FROM fulfillments f WHERE f.order_seq = o.seq AND f.status IN ('pending', 'picking', 'packed')),
    (SELECT COUNT(*) FROM fulfillments f WHERE f.order_seq = o.seq AND f.status = 'ready_for_pickup' AND f.shipped_at IS NOT NULL),
    (SELECT COUNT(*) FROM holds h WHERE h.order_seq = o.seq AND h.released_at IS NULL)
FROM orders o JOIN order_lines l ON l.order_seq = o.seq
ORDER BY o.seq, l.position`

// Check recomputes every balance from the ledger and the open allocations and
// verifies the invariants: stock conserved, nothing oversold, every line's
// quantities adding up, every status derived from its lines, every total
// exact, every order with its creation event. It reads one consistent
// snapshot, so it may run beside a live server.
func (a *Auditor) Check(ctx context.Context) (oms.CheckReport, error) {
	var r oms.CheckReport
	err := a.store.Snapshot(ctx, func(stx Tx) error {
		tx := stx.Seam()
		r = oms.CheckReport{}
		if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM balances").Scan(&r.Balances); err != nil {
			return err
		}
		checks := append(balanceChecks[:len(balanceChecks):len(balanceChecks)], orderChecks...)
		for _, c := range append(checks, editChecks...) {
			if err := Violations(ctx, tx, &r, c.name, c.query); err != nil {
				return err
			}
		}
		for _, c := range append(returns.Checks[:len(returns.Checks):len(returns.Checks)], inventory.Checks...) {
			if err := Violations(ctx, tx, &r, c.Name, c.Query); err != nil {
				return err
			}
		}
		if err := fxrates.CheckBaseTotals(ctx, tx, &r); err != nil {
			return err
		}
		if err := checkCustomers(ctx, tx, &r); err != nil {
			return err
		}
		if err := stx.CheckFeed(ctx, &r); err != nil {
			return err
		}
		return checkOrders(ctx, tx, &r)
	})
	return r, err
}

// Violations runs a check's query in tx, whose rows are two texts and two
// integers (what, which, found, expected), and adds one violation named
// name to r per row.
func Violations(ctx context.Context, tx *sqldb.Tx, r *oms.CheckReport, name, q string) error {
	rows, err := tx.QueryContext(ctx, q)
	if err != nil {
		return fmt.Errorf("check %q: %w", name, err)
	}
	defer rows.Close()
	for rows.Next() {
		var a, b string
		var x, y int64
		if err := rows.Scan(&a, &b, &x, &y); err != nil {
			return err
		}
		r.Violations = append(r.Violations, fmt.Sprintf("%s: %s %s (%d vs %d)", name, a, b, x, y))
	}
	return rows.Err()
}

// checkOrders streams every order's lines and checks line accounting, the
// derived status and the totals in Go, with the same rules the core applies.
func checkOrders(ctx context.Context, tx *sqldb.Tx, r *oms.CheckReport) error {
	rows, err := tx.QueryContext(ctx, selectOrderLinesForCheck)
	if err != nil {
		return err
	}
	defer rows.Close()
	var cur struct {
		seq    int64
		status oms.Status
		t      oms.Totals
		incl   bool
		lines  []oms.Line
		fs     []oms.FulfillmentState
		held   bool
	}
	flush := func() {
		if cur.seq == 0 {
			return
		}
		r.Orders++
		if s := oms.DeriveStatus(cur.lines, cur.fs, cur.held); s != cur.status {
			r.Violations = append(r.Violations, fmt.Sprintf("order %d: status %s, but its lines and fulfillments say %s", cur.seq, cur.status, s))
		}
		var tax int64
		for _, l := range cur.lines {
			tax += l.Tax
		}
		want, err := oms.ComputeTotals(cur.lines, oms.Charges{Shipping: cur.t.ShippingTotal, ShippingTax: cur.t.TaxTotal - tax,
			Duties: cur.t.DutiesTotal, TaxesIncluded: cur.incl})
		if err != nil || want != cur.t {
			r.Violations = append(r.Violations, fmt.Sprintf("order %d: totals %+v do not add up (want %+v)", cur.seq, cur.t, want))
		}
	}
	for rows.Next() {
		var seq int64
		var status oms.Status
		var t oms.Totals
		var incl bool
		var l oms.Line
		var inTransit, arrived, ready, preparing, readyShipped, holds int
		if err := rows.Scan(&seq, &status, &t.Subtotal, &t.DiscountTotal, &t.ShippingTotal, &t.TaxTotal, &t.DutiesTotal, &t.Total, &incl,
			&l.SKU, &l.Quantity, &l.UnitPrice, &l.Subtotal, &l.Discount, &l.Tax, &l.Open, &l.Allocated, &l.Shipped,
			&l.Cancelled, &l.Returned, &inTransit, &arrived, &ready, &preparing, &readyShipped, &holds); err != nil {
			return err
		}
		if seq != cur.seq {
			flush()
			cur.seq, cur.status, cur.t, cur.incl, cur.lines, cur.held = seq, status, t, incl, cur.lines[:0], holds > 0
			cur.fs = cur.fs[:0]
			for _, g := range []struct {
				n int
				s oms.FulfillmentState
			}{{inTransit, oms.FulfillmentState{Status: oms.FulfillmentShipped, Shipped: true}},
				{arrived, oms.FulfillmentState{Status: oms.FulfillmentDelivered, Shipped: true}},
				{ready, oms.FulfillmentState{Status: oms.FulfillmentReadyForPickup}},
				{readyShipped, oms.FulfillmentState{Status: oms.FulfillmentReadyForPickup, Shipped: true}},
				{preparing, oms.FulfillmentState{Status: oms.FulfillmentPending}}} {
				for range g.n {
					cur.fs = append(cur.fs, g.s)
				}
			}
		}
		r.Lines++
		if !l.Balanced() {
			r.Violations = append(r.Violations, fmt.Sprintf("order %d line %s: ordered %d ≠ open %d + allocated %d + shipped %d + cancelled %d, or returned %d > shipped",
				seq, l.SKU, l.Quantity, l.Open, l.Allocated, l.Shipped, l.Cancelled, l.Returned))
		}
		cur.lines = append(cur.lines, l)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	flush()
	return nil
}

// countedTables are the tables Counts reports.
var countedTables = []string{"channels", "locations", "items", "balances", "ledger", "customers", "customer_identities", "orders", "order_search",
	"order_lines", "allocations", "fulfillments", "fulfillment_lines", "holds", "events", "api_keys", "idempotency_keys",
	"fx_rates", "tax_rules", "notes", "cases", "case_messages", "order_edits", "returns", "return_lines",
	"return_units", "exchange_lines", "order_links", "refunds"}

// Counts returns the number of rows in each table: a cheap way to see that a
// refused request wrote nothing.
func (a *Auditor) Counts(ctx context.Context) (map[string]int64, error) {
	out := make(map[string]int64, len(countedTables))
	err := a.db.View(ctx, func(tx *sqldb.Tx) error {
		for _, t := range countedTables {
			var n int64
			if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM "+t).Scan(&n); err != nil {
				return err
			}
			out[t] = n
		}
		return nil
	})
	return out, err
}
