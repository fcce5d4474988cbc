package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/omshq/oms"
)

const (
	insertItem = `
INSERT INTO items (sku, name, unit_cost, currency, barcode, created_at, updated_at)
VALUES ($1, $2, $3, $4, $5, $6, $6)
ON CONFLICT (sku) DO NOTHING
RETURNING created_at`
	updateItem = `
UPDATE items SET name = $2, unit_cost = $3, currency = $4, barcode = $5, updated_at = $6
WHERE sku = $1
RETURNING created_at`
	selectItem = `
SELECT id, sku, name, unit_cost, currency, barcode, created_at, updated_at
FROM items WHERE sku = $1`
)

// PutItem creates the item or replaces its fields, and reports whether it was
// created. It returns EINVALID for a bad field.
func (db *DB) PutItem(ctx context.Context, it *oms.Item, actor string) (created bool, err error) {
	if err := it.Validate(); err != nil {
		return false, err
	}
	err = db.update(ctx, func(tx *Tx) error {
		args := []any{it.SKU, it.Name, it.UnitCost, it.Currency, it.Barcode, tx.now}
		created, err = tx.upsert(ctx, insertItem, updateItem, args, &it.CreatedAt)
		if err != nil {
			return err
		}
		it.CreatedAt, it.UpdatedAt = it.CreatedAt.UTC(), tx.now
		return tx.addEvent(ctx, oms.EventItemSaved, it.SKU, "", actor, it)
	})
	return created, err
}

// Item returns the item with the SKU, or ENOTFOUND.
func (db *DB) Item(ctx context.Context, sku string) (*oms.Item, error) {
	var it *oms.Item
	err := db.view(ctx, func(tx *Tx) (err error) {
		it, _, err = tx.item(ctx, sku)
		return err
	})
	return it, err
}

func (tx *Tx) item(ctx context.Context, sku string) (*oms.Item, int64, error) {
	var it oms.Item
	var id int64
	err := tx.QueryRowContext(ctx, selectItem, sku).Scan(&id, &it.SKU, &it.Name, &it.UnitCost,
		&it.Currency, &it.Barcode, &it.CreatedAt, &it.UpdatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, 0, notFound("item %q does not exist", sku)
	}
	it.CreatedAt, it.UpdatedAt = it.CreatedAt.UTC(), it.UpdatedAt.UTC()
	return &it, id, err
}

// itemIDs maps each distinct SKU to its item id. Unknown SKUs are missing from
// the map.
func (tx *Tx) itemIDs(ctx context.Context, skus []string) (map[string]int64, error) {
	args := make([]any, len(skus))
	for i, s := range skus {
		args[i] = s
	}
	q := fmt.Sprintf("SELECT sku, id FROM items WHERE sku IN (%s)", placeholders(1, len(skus)))
	rows, err := tx.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	ids := make(map[string]int64, len(skus))
	for rows.Next() {
		var sku string
		var id int64
		if err := rows.Scan(&sku, &id); err != nil {
			return nil, err
		}
		ids[sku] = id
	}
	return ids, rows.Err()
}
