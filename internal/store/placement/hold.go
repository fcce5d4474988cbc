package placement

import (
	"context"
	"fmt"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/store/orders"
)

// The screening's look-ups of recent orders, by email and by address.
const (
	selectRecentByEmail = `
SELECT customer_email, COUNT(*) FROM orders
WHERE %s AND created_at >= $1
GROUP BY customer_email`
	selectRecentByAddress = `
SELECT ship_key, COUNT(*) FROM orders
WHERE %s AND ship_key <> '' AND created_at >= $1
GROUP BY ship_key`
)

// screen puts the screening rules' holds on the accepted orders of a batch.
func (tx *Tx) screen(ctx context.Context, ps []*orders.Pending) error {
	rules, err := tx.DB.Settings.ScreeningIn(ctx, tx.Seam())
	if err != nil {
		return err
	}
	recent, atAddress := map[string]int{}, map[string]int{}
	if rules.MaxOrdersPerEmail > 0 {
		key := func(o *oms.Order) string { return o.Customer.Email }
		if recent, err = tx.recentOrders(ctx, ps, rules.WindowMinutes, selectRecentByEmail, "customer_email", key); err != nil {
			return err
		}
	}
	if rules.MaxOrdersPerAddress > 0 {
		key := func(o *oms.Order) string { return oms.AddressKey(o.ShipTo) }
		if atAddress, err = tx.recentOrders(ctx, ps, rules.WindowMinutes, selectRecentByAddress, "ship_key", key); err != nil {
			return err
		}
	}
	for _, p := range ps {
		o := p.Order
		addr := oms.AddressKey(o.ShipTo)
		hs := rules.Screen(o, oms.ScreenInput{Billing: o.Billing, RecentOrders: recent[o.Customer.Email],
			RecentAtAddress: atAddress[addr]})
		// The batch's own orders count too.
		if o.Customer.Email != "" {
			recent[o.Customer.Email]++
		}
		if addr != "" {
			atAddress[addr]++
		}
		for i := range hs {
			hs[i].PlacedAt = tx.Now()
		}
		o.Holds = append(o.Holds, hs...)
		o.Refresh()
	}
	return nil
}

// recentOrders counts the orders placed in the last window minutes per key
// (an email, an address key) of the batch's orders, with the query q over
// column col.
func (tx *Tx) recentOrders(ctx context.Context, ps []*orders.Pending, window int, q, col string, key func(*oms.Order) string) (map[string]int, error) {
	var keys []any
	seen := map[string]bool{}
	for _, p := range ps {
		if k := key(p.Order); k != "" && !seen[k] {
			seen[k] = true
			keys = append(keys, k)
		}
	}
	out := map[string]int{}
	if len(keys) == 0 {
		return out, nil
	}
	in, args := tx.DB.Engine.InList(col, "text", keys, []any{tx.Now().Add(-minutes(window))})
	rows, err := tx.QueryContext(ctx, fmt.Sprintf(q, in), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var e string
		var n int
		if err := rows.Scan(&e, &n); err != nil {
			return nil, err
		}
		out[e] = n
	}
	return out, rows.Err()
}
