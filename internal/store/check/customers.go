package check

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/store/customers"
	"github.com/omshq/oms/internal/store/sqldb"
)

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

// checkCustomers runs the customer checks (customers.Checks) and verifies
// that every order's search document holds exactly the words of its
// current fields, and that the index holds no other orders.
func checkCustomers(ctx context.Context, tx *sqldb.Tx, r *oms.CheckReport) error {
	for _, c := range customers.Checks {
		if err := Violations(ctx, tx, r, c.Name, c.Query); err != nil {
			return err
		}
	}
	q, orphans := selectSearchCheckSQLite, selectSearchOrphansSQLite
	if tx.Engine().Name == "postgres" {
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
