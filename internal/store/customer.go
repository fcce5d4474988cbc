package store

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/omshq/oms"
)

// Customers are made by order placement: by normalised email, and by a
// channel's customer id (an identity), which wins over the email.

const (
	selectIdentities = `
SELECT i.channel_id, i.external_id, i.customer_id
FROM customer_identities i JOIN %s ON i.channel_id = k.channel_id AND i.external_id = k.external_id`
	// insertBareCustomer adds a customer known only by a channel identity.
	insertBareCustomer = `
INSERT INTO customers (email, name, phone, created_at, updated_at) VALUES (NULL, $1, $2, $3, $3) RETURNING id`
	insertIdentities = `
INSERT INTO customer_identities (channel_id, external_id, customer_id, created_at)
%s
ON CONFLICT (channel_id, external_id) DO NOTHING
RETURNING channel_id, external_id`
)

var identityCols = []column{{"channel_id", "bigint"}, {"external_id", "text"}, {"customer_id", "bigint"}, {"created_at", "timestamptz"}}

// identityKey is a channel's id for a customer.
type identityKey struct {
	channel int64
	ext     string
}

func (p *pending) identity() (identityKey, bool) {
	return identityKey{p.ch.id, p.draft.CustomerID}, p.draft.CustomerID != ""
}

// orderCustomers finds or makes the customer of each new order: the one
// its channel identity names; else the one with its email (made if new);
// else, for an order with an identity but no email, a new customer. New
// identities are recorded. An order with neither has no customer. On an
// identity another transaction recorded first it returns errKeyRace, and
// the batch runs again and finds it.
func (tx *Tx) orderCustomers(ctx context.Context, ps []*pending) (map[*pending]int64, error) {
	out := make(map[*pending]int64, len(ps))
	known, err := tx.knownIdentities(ctx, ps)
	if err != nil {
		return nil, err
	}
	var byEmail []*pending
	first := make(map[identityKey]bool)
	for _, p := range ps {
		if k, ok := p.identity(); ok {
			if known[k] != 0 {
				out[p] = known[k]
				continue
			}
			if first[k] {
				continue // a new identity is the customer of its first order in the batch
			}
			first[k] = true
		}
		if p.order.Customer.Email != "" {
			byEmail = append(byEmail, p)
		}
	}
	emails, err := tx.upsertCustomers(ctx, byEmail)
	if err != nil {
		return nil, err
	}
	for _, p := range byEmail {
		id, ok := emails[p.order.Customer.Email]
		if !ok {
			// Another batch added the email after this statement's snapshot
			// (PostgreSQL): run again and see it.
			return nil, errKeyRace
		}
		out[p] = id
	}
	return out, tx.addIdentities(ctx, ps, known, out)
}

// knownIdentities returns the customers of the batch's identities that are
// recorded.
func (tx *Tx) knownIdentities(ctx context.Context, ps []*pending) (map[identityKey]int64, error) {
	known := make(map[identityKey]int64)
	var keys [][]any
	for _, p := range ps {
		if k, ok := p.identity(); ok {
			keys = append(keys, []any{k.channel, k.ext})
		}
	}
	if len(keys) == 0 {
		return known, nil
	}
	table, args := tx.db.engine.rowTable(orderKeyCols, keys, nil, "k")
	rows, err := tx.QueryContext(ctx, fmt.Sprintf(selectIdentities, table), args...)
	if err != nil {
		return nil, fmt.Errorf("identities: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var k identityKey
		var id int64
		if err := rows.Scan(&k.channel, &k.ext, &id); err != nil {
			return nil, err
		}
		known[k] = id
	}
	return known, rows.Err()
}

// addIdentities records the batch's new identities, each for the customer
// of its first order, making a customer for one whose order has no email.
func (tx *Tx) addIdentities(ctx context.Context, ps []*pending, known map[identityKey]int64, out map[*pending]int64) error {
	fresh := make(map[identityKey]int64)
	var keys []identityKey
	for _, p := range ps {
		k, ok := p.identity()
		if !ok || known[k] != 0 {
			continue
		}
		if id, seen := fresh[k]; seen {
			out[p] = id // a later order of the same new identity in this batch
			continue
		}
		if _, ok := out[p]; !ok {
			c := p.order.Customer
			var id int64
			if err := tx.QueryRowContext(ctx, insertBareCustomer, c.Name, c.Phone, tx.now).Scan(&id); err != nil {
				return fmt.Errorf("customer: %w", err)
			}
			out[p] = id
		}
		fresh[k] = out[p]
		keys = append(keys, k)
	}
	if len(keys) == 0 {
		return nil
	}
	slices.SortFunc(keys, func(a, b identityKey) int {
		return cmp.Or(cmp.Compare(a.channel, b.channel), cmp.Compare(a.ext, b.ext))
	})
	vals := make([][]any, len(keys))
	for i, k := range keys {
		vals[i] = []any{k.channel, k.ext, fresh[k], tx.now}
	}
	src, args := tx.db.engine.rowSource(identityCols, vals, nil)
	rows, err := tx.QueryContext(ctx, fmt.Sprintf(insertIdentities, src), args...)
	if err != nil {
		return fmt.Errorf("identities: %w", err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		n++
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if n != len(keys) {
		return errKeyRace // recorded meanwhile by another batch: run again and use it
	}
	return nil
}

const (
	selectCustomerRecords = `SELECT id, email, name, phone, created_at FROM customers WHERE %s`
	selectIdentitiesOf    = `
SELECT i.customer_id, c.code, i.external_id, i.created_at
FROM customer_identities i JOIN channels c ON c.id = i.channel_id
WHERE %s ORDER BY i.customer_id, c.code, i.external_id`
	selectCustomerValues = `
SELECT o.status, o.currency, o.total, o.base_currency, o.base_total, o.placed_at,
    (SELECT COALESCE(SUM(r.amount), 0) FROM refunds r WHERE r.order_seq = o.seq)
FROM orders o WHERE o.customer_id = $1`
	selectUnitsReturned = `
SELECT CAST(COALESCE(SUM(l.qty_returned), 0) AS BIGINT)
FROM orders o JOIN order_lines l ON l.order_seq = o.seq WHERE o.customer_id = $1`
	selectOpenCases = `SELECT COUNT(*) FROM cases WHERE customer_id = $1 AND status <> 'resolved'`
	selectReturns   = `
SELECT COUNT(*) FROM returns r JOIN orders o ON o.seq = r.order_seq WHERE o.customer_id = $1 AND r.status <> 'rejected'`
)

// customerRecords reads the customers by id, with their identities.
func (db *DB) customerRecords(ctx context.Context, r querier, ids []any) (map[int64]*oms.CustomerRecord, error) {
	out := make(map[int64]*oms.CustomerRecord, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	in, args := db.engine.inList("id", "bigint", ids, nil)
	rows, err := r.QueryContext(ctx, fmt.Sprintf(selectCustomerRecords, in), args...)
	if err != nil {
		return nil, fmt.Errorf("customers: %w", err)
	}
	if err := scanCustomers(rows, func(id int64, c *oms.CustomerRecord) { out[id] = c }); err != nil {
		return nil, err
	}
	return out, db.fillIdentities(ctx, r, ids, out)
}

// fillIdentities adds their identities to the customers.
func (db *DB) fillIdentities(ctx context.Context, r querier, ids []any, cs map[int64]*oms.CustomerRecord) error {
	if len(ids) == 0 {
		return nil
	}
	in, args := db.engine.inList("i.customer_id", "bigint", ids, nil)
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
func (db *DB) Customer(ctx context.Context, ref string, after int64, limit int) (*oms.CustomerView, int64, error) {
	var v oms.CustomerView
	var next int64
	err := db.view(ctx, func(tx *Tx) error {
		id, _, err := tx.customerRef(ctx, ref)
		if err != nil {
			return err
		}
		recs, err := db.customerRecords(ctx, tx, []any{id})
		if err != nil {
			return err
		}
		v = oms.CustomerView{CustomerRecord: *recs[id], Orders: []oms.OrderSummary{}}
		if err := tx.customerFigures(ctx, id, &v); err != nil {
			return err
		}
		next, err = tx.customerOrders(ctx, id, after, limit, &v)
		return err
	})
	if err != nil {
		return nil, 0, err
	}
	return &v, next, nil
}

// customerFigures fills the customer's lifetime value, order count and
// dates, units returned and open cases.
func (tx *Tx) customerFigures(ctx context.Context, id int64, v *oms.CustomerView) error {
	rows, err := tx.QueryContext(ctx, selectCustomerValues, id)
	if err != nil {
		return err
	}
	defer rows.Close()
	var values []oms.OrderValue
	for rows.Next() {
		var o oms.OrderValue
		var base sql.NullString
		var baseTotal sql.NullInt64
		var placed time.Time
		if err := rows.Scan(&o.Status, &o.Currency, &o.Total, &base, &baseTotal, &placed, &o.Refunded); err != nil {
			return err
		}
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

// customerOrders fills a page of the customer's orders, newest first, and
// returns the cursor of the next (0 for none).
func (tx *Tx) customerOrders(ctx context.Context, id, after int64, limit int, v *oms.CustomerView) (int64, error) {
	q := selectOrderSummaries + " WHERE o.customer_id = $1"
	args := []any{id, limit + 1}
	if after > 0 {
		q += " AND o.seq < $3"
		args = append(args, after)
	}
	q += " ORDER BY o.seq DESC LIMIT $2"
	rows, err := tx.QueryContext(ctx, q, args...)
	if err != nil {
		return 0, err
	}
	var last, next int64
	err = scanSummaries(rows, func(seq, _ int64, o *oms.OrderSummary) {
		if len(v.Orders) < limit {
			v.Orders, last = append(v.Orders, *o), seq
		} else {
			next = last
		}
	})
	return next, err
}

// ListCustomers returns the customers matching the filter, newest first,
// and the cursor of the next page (0 when there is none).
func (db *DB) ListCustomers(ctx context.Context, f oms.CustomerFilter) ([]oms.CustomerRecord, int64, error) {
	var where []string
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	switch q := strings.TrimSpace(f.Query); {
	case strings.Contains(q, "@"):
		where = append(where, "email = "+arg(oms.NormalizeEmail(q)))
	case q != "":
		// A channel's customer id, or the customers of the orders holding the
		// words (see oms.SearchDocument).
		lookups := []string{"SELECT customer_id FROM customer_identities WHERE channel_id IN (SELECT id FROM channels) AND external_id = " + arg(q)}
		if words := oms.SearchWords(q); len(words) > 0 {
			lookups = append(lookups, "SELECT o.customer_id FROM orders o WHERE o.customer_id IS NOT NULL AND o.seq IN ("+
				db.engine.wordsLookup(words, true, arg)+")")
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
	err := db.view(ctx, func(tx *Tx) error {
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
		if err := db.fillIdentities(ctx, tx, ids, recs); err != nil {
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
