package store

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/store/customers"
	"github.com/omshq/oms/internal/store/returns"
	"github.com/omshq/oms/internal/store/search"
	"github.com/omshq/oms/internal/store/sqldb"
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

var identityCols = []column{{Name: "channel_id", Type: "bigint"}, {Name: "external_id", Type: "text"}, {Name: "customer_id", Type: "bigint"}, {Name: "created_at", Type: "timestamptz"}}

// identityKey is a channel's id for a customer.
type identityKey struct {
	channel int64
	ext     string
}

func (p *pending) identity() (identityKey, bool) {
	return identityKey{p.ch.ID, p.draft.CustomerID}, p.draft.CustomerID != ""
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
	table, args := tx.db.engine.RowTable(orderKeyCols, keys, nil, "k")
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
			if err := tx.QueryRowContext(ctx, insertBareCustomer, c.Name, c.Phone, tx.Now()).Scan(&id); err != nil {
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
		vals[i] = []any{k.channel, k.ext, fresh[k], tx.Now()}
	}
	src, args := tx.db.engine.RowSource(identityCols, vals, nil)
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

// The customers and customer service live in internal/store/customers
// (customers.Desk); deskOrders is what the desk needs of the orders.
type deskOrders struct{ db *DB }

// readTx is the store's transaction over the seam's stx, for reads made
// on behalf of an area package: it puts nothing on the change feed.
func (db *DB) readTx(stx *sqldb.Tx) *Tx { return &Tx{Tx: stx, db: db} }

func (d deskOrders) Order(ctx context.Context, stx *sqldb.Tx, ref string) (customers.Order, error) {
	o, err := d.db.readTx(stx).orderHead(ctx, ref, false)
	if err != nil {
		return customers.Order{}, err
	}
	return customers.Order{Seq: o.ids.seq, ID: o.ID, Email: o.Customer.Email}, nil
}

// Summaries reads a page of the customer's orders, newest first, and the
// cursor of the next (0 for none).
func (d deskOrders) Summaries(ctx context.Context, tx *sqldb.Tx, id, after int64, limit int) ([]oms.OrderSummary, int64, error) {
	q := search.SelectOrderSummaries + " WHERE o.customer_id = $1"
	args := []any{id, limit + 1}
	if after > 0 {
		q += " AND o.seq < $3"
		args = append(args, after)
	}
	q += " ORDER BY o.seq DESC LIMIT $2"
	rows, err := tx.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, 0, err
	}
	out := []oms.OrderSummary{}
	var last, next int64
	err = search.ScanSummaries(rows, func(seq, _ int64, o *oms.OrderSummary) {
		if len(out) < limit {
			out, last = append(out, *o), seq
		} else {
			next = last
		}
	})
	return out, next, err
}

func (d deskOrders) Events(ctx context.Context, tx *sqldb.Tx, orderID string) ([]oms.Event, error) {
	rows, err := tx.QueryContext(ctx, selectOrderEvents, orderID, maxTimeline)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	return scanEvents(rows)
}

// Summarize says in words what an event did: with the particulars of
// returns, refunds and exchanges (returns.Summary), or of edits and
// cancellations; other events by their type.
func (d deskOrders) Summarize(e oms.Event) string {
	if s, ok := returns.Summary(e); ok {
		return s
	}
	return eventSummary(e)
}

func (d deskOrders) WordsLookup(words []string, prefix bool, arg func(any) string) string {
	return d.db.engine.wordsLookup(words, prefix, arg)
}

// clip shortens s to at most n bytes, on a rune boundary, marking the cut
// (customers.Clip).
func clip(s string, n int) string { return customers.Clip(s, n) }

// summarize turns an event type into words for a person: "order.placed"
// becomes "Order placed".
func summarize(typ string) string {
	s := strings.NewReplacer(".", " ", "_", " ").Replace(typ)
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
