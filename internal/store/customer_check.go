package store

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/omshq/oms"
)

// customerChecks verify customers and their identities. Each returns one
// row per violation, as orderChecks do.
var customerChecks = []struct{ name, query string }{
	{"customer email not normalised (customer id, email)", `
SELECT CAST(id AS TEXT), email, 0, 0 FROM customers
WHERE email IS NOT NULL AND (email <> lower(trim(email)) OR email = '')`},
	{"customer with neither an email nor a channel identity", `
SELECT CAST(c.id AS TEXT), c.name, 0, 0 FROM customers c
WHERE c.email IS NULL AND NOT EXISTS (SELECT 1 FROM customer_identities i WHERE i.customer_id = c.id)`},
	{"identity of an unknown customer or channel", `
SELECT CAST(i.channel_id AS TEXT), i.external_id, i.customer_id, 0 FROM customer_identities i
WHERE NOT EXISTS (SELECT 1 FROM customers c WHERE c.id = i.customer_id)
   OR NOT EXISTS (SELECT 1 FROM channels ch WHERE ch.id = i.channel_id)`},
	{"customer without orders (customer id, email)", `
SELECT CAST(c.id AS TEXT), COALESCE(c.email, ''), 0, 0 FROM customers c
WHERE NOT EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = c.id)`},
	{"order with an email but no customer", `
SELECT o.seq, o.id, 0, 0 FROM orders o WHERE o.customer_email <> '' AND o.customer_id IS NULL`},
}

// The search index check reads each order's fields beside its indexed
// words. The engines name the index's key differently and aggregate
// strings differently.
const (
	selectSearchCheckSQLite = `
SELECT o.seq, o.external_id, o.customer_email, o.customer_name, o.customer_phone, s.terms,
    COALESCE((SELECT group_concat(f.tracking_number, ' ') FROM fulfillments f WHERE f.order_seq = o.seq AND f.tracking_number <> ''), '')
FROM orders o LEFT JOIN order_search s ON s.rowid = o.seq ORDER BY o.seq`
	selectSearchCheckPG = `
SELECT o.seq, o.external_id, o.customer_email, o.customer_name, o.customer_phone, s.terms,
    COALESCE((SELECT string_agg(f.tracking_number, ' ') FROM fulfillments f WHERE f.order_seq = o.seq AND f.tracking_number <> ''), '')
FROM orders o LEFT JOIN order_search s ON s.order_seq = o.seq ORDER BY o.seq`
	selectSearchOrphansSQLite = `SELECT COUNT(*) FROM order_search s WHERE NOT EXISTS (SELECT 1 FROM orders o WHERE o.seq = s.rowid)`
	selectSearchOrphansPG     = `SELECT COUNT(*) FROM order_search s WHERE NOT EXISTS (SELECT 1 FROM orders o WHERE o.seq = s.order_seq)`
)

// checkCustomers runs the customer checks and verifies that every order's
// search document holds exactly the words of its current fields, and that
// the index holds no other orders.
func (tx *Tx) checkCustomers(ctx context.Context, r *oms.CheckReport) error {
	for _, c := range customerChecks {
		if err := tx.violations(ctx, r, c.name, c.query); err != nil {
			return err
		}
	}
	q, orphans := selectSearchCheckSQLite, selectSearchOrphansSQLite
	if tx.db.engine.name == "postgres" {
		q, orphans = selectSearchCheckPG, selectSearchOrphansPG
	}
	var n int64
	if err := tx.QueryRowContext(ctx, orphans).Scan(&n); err != nil {
		return fmt.Errorf("check search index: %w", err)
	}
	if n > 0 {
		r.Violations = append(r.Violations, fmt.Sprintf("search index: %d rows of orders that do not exist", n))
	}
	rows, err := tx.QueryContext(ctx, q)
	if err != nil {
		return fmt.Errorf("check search index: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var seq int64
		var ext, tracking string
		var c oms.Customer
		var terms *string
		if err := rows.Scan(&seq, &ext, &c.Email, &c.Name, &c.Phone, &terms, &tracking); err != nil {
			return err
		}
		want := oms.SearchDocument(fmt.Sprint(seq), ext, c, []string{tracking})
		switch {
		case terms == nil:
			r.Violations = append(r.Violations, fmt.Sprintf("search index: order %d is missing", seq))
		case !sameWords(*terms, want):
			r.Violations = append(r.Violations, fmt.Sprintf("search index: order %d has %q, its fields say %q", seq, *terms, want))
		}
	}
	return rows.Err()
}

// sameWords reports whether two search documents hold the same words.
func sameWords(a, b string) bool {
	x, y := strings.Fields(a), strings.Fields(b)
	slices.Sort(x)
	slices.Sort(y)
	return slices.Equal(slices.Compact(x), slices.Compact(y))
}
