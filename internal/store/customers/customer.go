package customers

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/store/sqldb"
)

const (
	selectCustomerRecords = `SELECT id, email, name, phone, created_at FROM customers WHERE %s`
	selectIdentitiesOf    = `
SELECT i.customer_id, c.code, i.external_id, i.created_at
FROM customer_identities i JOIN channels c ON c.id = i.channel_id
WHERE %s ORDER BY i.customer_id, c.code, i.external_id`
	selectCustomerValues = `
SELECT o.seq, o.status, o.currency, o.total, o.base_currency, o.base_total, o.placed_at,
    (SELECT COALESCE(SUM(r.amount), 0) FROM refunds r WHERE r.order_seq = o.seq)
FROM orders o WHERE o.customer_id = $1`
	// selectExchanges reads the customer's exchanges: the replacement order,
	// its total and the return's refund value, which pays for it.
	selectExchanges = `
SELECT r.exchange_order_seq, r.exchange_total, r.quote
FROM returns r JOIN orders o ON o.seq = r.order_seq
WHERE o.customer_id = $1 AND r.exchange_order_seq IS NOT NULL AND r.status <> 'rejected'`
	selectUnitsReturned = `
SELECT CAST(COALESCE(SUM(l.qty_returned), 0) AS BIGINT)
FROM orders o JOIN order_lines l ON l.order_seq = o.seq WHERE o.customer_id = $1`
	selectOpenCases = `SELECT COUNT(*) FROM cases WHERE customer_id = $1 AND status <> 'resolved'`
	selectReturns   = `
SELECT COUNT(*) FROM returns r JOIN orders o ON o.seq = r.order_seq WHERE o.customer_id = $1 AND r.status <> 'rejected'`
)

// Records reads the customers by id, with their identities, in r (a
// transaction, or a pool).
func (d *Desk) Records(ctx context.Context, r Querier, ids []any) (map[int64]*oms.CustomerRecord, error) {
	out := make(map[int64]*oms.CustomerRecord, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	in, args := d.db.Engine.InList("id", "bigint", ids, nil)
	rows, err := r.QueryContext(ctx, fmt.Sprintf(selectCustomerRecords, in), args...)
	if err != nil {
		return nil, fmt.Errorf("customers: %w", err)
	}
	if err := scanCustomers(rows, func(id int64, c *oms.CustomerRecord) { out[id] = c }); err != nil {
		return nil, err
	}
	return out, d.fillIdentities(ctx, r, ids, out)
}

// fillIdentities adds their identities to the customers.
func (d *Desk) fillIdentities(ctx context.Context, r Querier, ids []any, cs map[int64]*oms.CustomerRecord) error {
	if len(ids) == 0 {
		return nil
	}
	in, args := d.db.Engine.InList("i.customer_id", "bigint", ids, nil)
	rows, err := r.QueryContext(ctx, fmt.Sprintf(selectIdentitiesOf, in), args...)
	if err != nil {
		return fmt.Errorf("identities: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var i oms.Identity
		if err := rows.Scan(&id, &i.Channel, &i.ExternalID, &i.CreatedAt); err != nil {
			return err
		}
		if c := cs[id]; c != nil {
			i.CreatedAt = i.CreatedAt.UTC()
			c.Identities = append(c.Identities, i)
		}
	}
	return rows.Err()
}

func scanCustomers(rows *sql.Rows, each func(id int64, c *oms.CustomerRecord)) error {
	defer rows.Close()
	for rows.Next() {
		var id int64
		var email sql.NullString
		c := &oms.CustomerRecord{Identities: []oms.Identity{}}
		if err := rows.Scan(&id, &email, &c.Name, &c.Phone, &c.CreatedAt); err != nil {
			return err
		}
		c.ID, c.Email, c.CreatedAt = customerID(id), email.String, c.CreatedAt.UTC()
		each(id, c)
	}
	return rows.Err()
}

// Customer returns the customer (by id or email) with their history:
// lifetime value, order count and dates, units returned, open cases, and a
// page of their orders across every channel, newest first, older than the
// cursor after (0: from the newest). It returns ENOTFOUND for an unknown
// customer.
func (d *Desk) Customer(ctx context.Context, ref string, after int64, limit int) (*oms.CustomerView, int64, error) {
	var v oms.CustomerView
	var next int64
	err := d.db.View(ctx, func(tx *sqldb.Tx) error {
		id, _, err := customerRef(ctx, tx, ref)
		if err != nil {
			return err
		}
		recs, err := d.Records(ctx, tx, []any{id})
		if err != nil {
			return err
		}
		v = oms.CustomerView{CustomerRecord: *recs[id], Orders: []oms.OrderSummary{}}
		if err := customerFigures(ctx, tx, id, &v); err != nil {
			return err
		}
		v.Orders, next, err = d.orders.Summaries(ctx, tx, id, after, limit)
		return err
	})
	if err != nil {
		return nil, 0, err
	}
	return &v, next, nil
}

// customerFigures fills the customer's lifetime value, order count and
// dates, units returned and open cases.
func customerFigures(ctx context.Context, tx *sqldb.Tx, id int64, v *oms.CustomerView) error {
	credits, err := exchangeCredits(ctx, tx, id)
	if err != nil {
		return err
	}
	rows, err := tx.QueryContext(ctx, selectCustomerValues, id)
	if err != nil {
		return err
	}
	defer rows.Close()
	var values []oms.OrderValue
	for rows.Next() {
		var o oms.OrderValue
		var seq int64
		var base sql.NullString
		var baseTotal sql.NullInt64
		var placed time.Time
		if err := rows.Scan(&seq, &o.Status, &o.Currency, &o.Total, &base, &baseTotal, &placed, &o.Refunded); err != nil {
			return err
		}
		o.Credit = credits[seq]
		if base.Valid && baseTotal.Valid {
			o.BaseCurrency, o.BaseTotal = base.String, baseTotal.Int64
		}
		values = append(values, o)
		placed = placed.UTC()
		if v.FirstOrderAt == nil || placed.Before(*v.FirstOrderAt) {
			v.FirstOrderAt = &placed
		}
		if v.LastOrderAt == nil || placed.After(*v.LastOrderAt) {
			v.LastOrderAt = &placed
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	v.OrderCount = int64(len(values))
	if v.LifetimeValue, err = oms.ComputeLifetimeValue(values); err != nil {
		return err
	}
	if err := tx.QueryRowContext(ctx, selectUnitsReturned, id).Scan(&v.UnitsReturned); err != nil {
		return err
	}
	if err := tx.QueryRowContext(ctx, selectReturns, id).Scan(&v.Returns); err != nil {
		return err
	}
	return tx.QueryRowContext(ctx, selectOpenCases, id).Scan(&v.OpenCases)
}

// exchangeCredits is, by replacement order, what of each of the customer's
// exchanges its return pays for: the replacement total, at most the
// return's refund value.
func exchangeCredits(ctx context.Context, tx *sqldb.Tx, id int64) (map[int64]int64, error) {
	out := make(map[int64]int64)
	err := tx.Each(ctx, selectExchanges, []any{id}, func(rows *sql.Rows) error {
		var seq, total int64
		var quote string
		if err := rows.Scan(&seq, &total, &quote); err != nil {
			return err
		}
		var q oms.RefundQuote
		if err := json.Unmarshal([]byte(quote), &q); err != nil {
			return fmt.Errorf("return quote: %w", err)
		}
		out[seq] += min(total, q.Total)
		return nil
	})
	return out, err
}

// ListCustomers returns the customers matching the filter, newest first,
// and the cursor of the next page (0 when there is none).
func (d *Desk) ListCustomers(ctx context.Context, f oms.CustomerFilter) ([]oms.CustomerRecord, int64, error) {
	var where []string
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	switch q := strings.TrimSpace(f.Query); {
	case strings.Contains(q, "@"):
		// The record with the email, or the customers whose orders gave it.
		e := arg(oms.NormalizeEmail(q))
		where = append(where, "(email = "+e+" OR id IN (SELECT customer_id FROM orders WHERE customer_email = "+e+
			" AND customer_id IS NOT NULL))")
	case q != "":
		// A channel's customer id, or the customers of the orders holding the
		// words (see oms.SearchDocument).
		lookups := []string{"SELECT customer_id FROM customer_identities WHERE channel_id IN (SELECT id FROM channels) AND external_id = " + arg(q)}
		if words := oms.SearchWords(q); len(words) > 0 {
			lookups = append(lookups, "SELECT o.customer_id FROM orders o WHERE o.customer_id IS NOT NULL AND o.seq IN ("+
				d.orders.WordsLookup(words, true, arg)+")")
		}
		where = append(where, "id IN ("+strings.Join(lookups, " UNION ")+")")
	}
	if f.After > 0 {
		where = append(where, "id < "+arg(f.After))
	}
	cond := "1 = 1"
	if len(where) > 0 {
		cond = strings.Join(where, " AND ")
	}
	q := fmt.Sprintf(selectCustomerRecords, cond) + " ORDER BY id DESC LIMIT " + arg(f.Limit+1)
	var out []oms.CustomerRecord
	var next int64
	err := d.db.View(ctx, func(tx *sqldb.Tx) error {
		rows, err := tx.QueryContext(ctx, q, args...)
		if err != nil {
			return err
		}
		var ids []any
		recs := make(map[int64]*oms.CustomerRecord)
		if err := scanCustomers(rows, func(id int64, c *oms.CustomerRecord) { ids, recs[id] = append(ids, id), c }); err != nil {
			return err
		}
		if len(ids) > f.Limit {
			ids = ids[:f.Limit]
			next = ids[len(ids)-1].(int64)
		}
		if err := d.fillIdentities(ctx, tx, ids, recs); err != nil {
			return err
		}
		out = make([]oms.CustomerRecord, len(ids))
		for i, id := range ids {
			out[i] = *recs[id.(int64)]
		}
		return nil
	})
	return out, next, err
}
