package inventory

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/store/sqldb"
)

const (
	selectLocationID = `SELECT id FROM locations WHERE code = $1`
	// sumAvailable is a SKU's available units over its balances, each at
	// least 0, as oms.NewStock sums them.
	sumAvailable = `(SELECT COALESCE(SUM(CASE WHEN b.on_hand - b.reserved - b.safety_stock > 0
    THEN b.on_hand - b.reserved - b.safety_stock ELSE 0 END), 0) FROM balances b WHERE b.item_id = i.id%s)`
	selectBalancesOf = `
SELECT b.item_id, l.code, b.on_hand, b.reserved, b.safety_stock
FROM balances b JOIN locations l ON l.id = b.location_id
WHERE %s
ORDER BY l.code`
)

// ListStock returns up to f.Limit SKUs in SKU order — by bytes, as Go
// compares strings — each with its balances by location and their sums, and
// the SKU to pass as After for the next page ("" when there is none). A SKU
// never stocked anywhere has no balances and zero sums. Filtered by location
// or low stock, a page looks at no more than f.Scan SKUs (MaxStockScan when
// 0), so it may hold fewer than f.Limit, or none, and still have a next
// page. It returns EINVALID naming location for a location that does not
// exist.
func (r *Stockroom) ListStock(ctx context.Context, f oms.StockFilter) ([]oms.Stock, string, error) {
	if f.Scan <= 0 {
		f.Scan = MaxStockScan
	}
	var out []oms.Stock
	var next string
	err := r.store.View(ctx, func(tx Tx) error {
		var locID int64
		if f.Location != "" {
			err := tx.QueryRowContext(ctx, selectLocationID, f.Location).Scan(&locID)
			if errors.Is(err, sql.ErrNoRows) {
				return oms.Invalid("location", "no location has the code %q", f.Location)
			} else if err != nil {
				return err
			}
		}
		ids, skus, err := r.stockPage(ctx, tx, f, locID)
		if err != nil {
			return err
		}
		switch {
		case len(ids) > f.Limit:
			ids, skus = ids[:f.Limit], skus[:f.Limit]
			next = skus[f.Limit-1]
		case locID != 0 || f.LowStock || f.Principal.LocationBound():
			if next, err = r.lastScanned(ctx, tx, f); err != nil {
				return err
			}
		}
		balances, err := r.balancesOf(ctx, tx, ids, locID, f.Principal)
		if err != nil {
			return err
		}
		out = make([]oms.Stock, len(ids))
		for i, id := range ids {
			out[i] = oms.NewStock(skus[i], balances[id])
		}
		return nil
	})
	return out, next, err
}

// stockPage returns the ids and SKUs of up to f.Limit+1 items of the page
// f asks for; locID is f.Location's id (0 for none). Filtered by location or
// low stock, it looks only at the next f.Scan SKUs.
func (r *Stockroom) stockPage(ctx context.Context, tx Tx, f oms.StockFilter, locID int64) ([]int64, []string, error) {
	where, args := r.store.SKUPage("sku", f.After, f.SKUPrefix, nil)
	from := "items"
	var conds []string
	atLocation := ""
	if locID != 0 {
		args = append(args, locID)
		atLocation = " AND b.location_id = " + sqldb.Placeholders(len(args), 1)
	}
	if c := r.store.LocationScope(f.Principal, "b.location_id", func(v any) string {
		args = append(args, v)
		return sqldb.Placeholders(len(args), 1)
	}); c != "" {
		atLocation += " AND " + c
	}
	if atLocation != "" {
		conds = append(conds, "EXISTS (SELECT 1 FROM balances b WHERE b.item_id = i.id"+atLocation+")")
	}
	if f.LowStock {
		args = append(args, f.Below)
		conds = append(conds, fmt.Sprintf(sumAvailable, atLocation)+" <= "+sqldb.Placeholders(len(args), 1))
	}
	if len(conds) == 0 {
		conds = []string{where}
	} else {
		args = append(args, f.Scan)
		from = "(SELECT id, sku FROM items WHERE " + where + " ORDER BY sku" + tx.Engine().ByteOrder +
			" LIMIT " + sqldb.Placeholders(len(args), 1) + ")"
	}
	args = append(args, f.Limit+1)
	q := "SELECT i.id, i.sku FROM " + from + " AS i WHERE " + strings.Join(conds, " AND ") +
		" ORDER BY i.sku" + tx.Engine().ByteOrder + " LIMIT " + sqldb.Placeholders(len(args), 1)
	rows, err := tx.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	var ids []int64
	var skus []string
	for rows.Next() {
		var id int64
		var sku string
		if err := rows.Scan(&id, &sku); err != nil {
			return nil, nil, err
		}
		ids, skus = append(ids, id), append(skus, sku)
	}
	return ids, skus, rows.Err()
}

// lastScanned returns the last of the f.Scan SKUs a filtered page looked at,
// where the next page starts; "" when the page looked at every SKU left.
func (r *Stockroom) lastScanned(ctx context.Context, tx Tx, f oms.StockFilter) (string, error) {
	where, args := r.store.SKUPage("sku", f.After, f.SKUPrefix, nil)
	args = append(args, f.Scan-1)
	q := "SELECT sku FROM items WHERE " + where + " ORDER BY sku" + tx.Engine().ByteOrder +
		" LIMIT 1 OFFSET " + sqldb.Placeholders(len(args), 1)
	var sku string
	err := tx.QueryRowContext(ctx, q, args...).Scan(&sku)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return sku, err
}

// balancesOf returns the balances of the items by item id, each item's in
// location order; only those at locID when it is not 0, and at p's
// locations.
func (r *Stockroom) balancesOf(ctx context.Context, tx Tx, ids []int64, locID int64, p oms.Principal) (map[int64][]oms.Balance, error) {
	out := make(map[int64][]oms.Balance, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	vals := make([]any, len(ids))
	for i, id := range ids {
		vals[i] = id
	}
	where, args := tx.Engine().InList("b.item_id", "bigint", vals, nil)
	if locID != 0 {
		args = append(args, locID)
		where += " AND b.location_id = " + sqldb.Placeholders(len(args), 1)
	}
	if c := r.store.LocationScope(p, "b.location_id", func(v any) string {
		args = append(args, v)
		return sqldb.Placeholders(len(args), 1)
	}); c != "" {
		where += " AND " + c
	}
	rows, err := tx.QueryContext(ctx, fmt.Sprintf(selectBalancesOf, where), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var b oms.Balance
		if err := rows.Scan(&id, &b.Location, &b.OnHand, &b.Reserved, &b.SafetyStock); err != nil {
			return nil, err
		}
		b.Available = oms.Available(b.OnHand, b.Reserved, b.SafetyStock)
		out[id] = append(out[id], b)
	}
	return out, rows.Err()
}
