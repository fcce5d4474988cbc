package placement

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	"github.com/omshq/oms/internal/store/orders"
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

func identity(p *orders.Pending) (identityKey, bool) {
	return identityKey{p.Channel.ID, p.Draft.CustomerID}, p.Draft.CustomerID != ""
}

// orderCustomers finds or makes the customer of each new order: the one
// its channel identity names; else the one with its email (made if new);
// else, for an order with an identity but no email, a new customer. New
// identities are recorded. An order with neither has no customer. On an
// identity another transaction recorded first it returns errKeyRace, and
// the batch runs again and finds it.
func (tx *Tx) orderCustomers(ctx context.Context, ps []*orders.Pending) (map[*orders.Pending]int64, error) {
	out := make(map[*orders.Pending]int64, len(ps))
	known, err := tx.knownIdentities(ctx, ps)
	if err != nil {
		return nil, err
	}
	var byEmail []*orders.Pending
	first := make(map[identityKey]bool)
	for _, p := range ps {
		if k, ok := identity(p); ok {
			if known[k] != 0 {
				out[p] = known[k]
				continue
			}
			if first[k] {
				continue // a new identity is the customer of its first order in the batch
			}
			first[k] = true
		}
		if p.Order.Customer.Email != "" {
			byEmail = append(byEmail, p)
		}
	}
	emails, err := tx.upsertCustomers(ctx, byEmail)
	if err != nil {
		return nil, err
	}
	for _, p := range byEmail {
		id, ok := emails[p.Order.Customer.Email]
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
func (tx *Tx) knownIdentities(ctx context.Context, ps []*orders.Pending) (map[identityKey]int64, error) {
	known := make(map[identityKey]int64)
	var keys [][]any
	for _, p := range ps {
		if k, ok := identity(p); ok {
			keys = append(keys, []any{k.channel, k.ext})
		}
	}
	if len(keys) == 0 {
		return known, nil
	}
	table, args := tx.DB.Engine.RowTable(orders.OrderKeyCols, keys, nil, "k")
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
func (tx *Tx) addIdentities(ctx context.Context, ps []*orders.Pending, known map[identityKey]int64, out map[*orders.Pending]int64) error {
	fresh := make(map[identityKey]int64)
	var keys []identityKey
	for _, p := range ps {
		k, ok := identity(p)
		if !ok || known[k] != 0 {
			continue
		}
		if id, seen := fresh[k]; seen {
			out[p] = id // a later order of the same new identity in this batch
			continue
		}
		if _, ok := out[p]; !ok {
			c := p.Order.Customer
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
	src, args := tx.DB.Engine.RowSource(identityCols, vals, nil)
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
