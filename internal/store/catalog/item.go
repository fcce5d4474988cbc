package catalog

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"maps"
	"slices"
	"time"
	"unicode"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/store/sqldb"
)

const (
	insertItem = `
INSERT INTO items (sku, name, unit_cost, currency, barcode, created_at, updated_at, preorder, release_date,
    hs_code, country_of_origin)
VALUES ($1, $2, $3, $4, $5, $6, $6, $7, $8, $9, $10)
ON CONFLICT (sku) DO NOTHING
RETURNING created_at`
	updateItem = `
UPDATE items SET name = $2, unit_cost = $3, currency = $4, barcode = $5, updated_at = $6, preorder = $7,
    release_date = $8, hs_code = $9, country_of_origin = $10
WHERE sku = $1
RETURNING created_at`
	selectItemColumns = `
SELECT id, sku, name, unit_cost, currency, barcode, created_at, updated_at, preorder, release_date,
    hs_code, country_of_origin
FROM items`
	selectItem = selectItemColumns + ` WHERE sku = $1`
)

// PutItem creates the item or replaces its fields, and reports whether it was
// created. It returns EINVALID for a bad field.
func (c *Catalog) PutItem(ctx context.Context, it *oms.Item, by oms.Principal) (created bool, err error) {
	actor := by.Actor()
	if err := it.Validate(); err != nil {
		return false, err
	}
	err = c.db.Update(ctx, func(tx *sqldb.Tx) error {
		now := tx.Now()
		args := []any{it.SKU, it.Name, it.UnitCost, it.Currency, it.Barcode, now, it.Preorder, it.ReleaseDate,
			it.HSCode, it.CountryOfOrigin}
		created, err = tx.Upsert(ctx, insertItem, updateItem, args, &it.CreatedAt)
		if err != nil {
			return err
		}
		it.CreatedAt, it.UpdatedAt = it.CreatedAt.UTC(), now
		return tx.AddEvent(ctx, oms.EventItemSaved, it.SKU, "", actor, it)
	})
	return created, err
}

// Item returns the item with the SKU, or ENOTFOUND.
func (c *Catalog) Item(ctx context.Context, sku string) (*oms.Item, error) {
	var it *oms.Item
	err := c.db.View(ctx, func(tx *sqldb.Tx) (err error) {
		it, _, err = LookupItem(ctx, tx, sku)
		return err
	})
	return it, err
}

// LookupItem returns the item with the SKU and its id, read in tx, or
// ENOTFOUND.
func LookupItem(ctx context.Context, tx *sqldb.Tx, sku string) (*oms.Item, int64, error) {
	var it oms.Item
	var id int64
	var release sql.NullTime
	err := tx.QueryRowContext(ctx, selectItem, sku).Scan(&id, &it.SKU, &it.Name, &it.UnitCost,
		&it.Currency, &it.Barcode, &it.CreatedAt, &it.UpdatedAt, &it.Preorder, &release, &it.HSCode, &it.CountryOfOrigin)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, 0, sqldb.NotFound("item %q does not exist", sku)
	}
	it.CreatedAt, it.UpdatedAt, it.ReleaseDate = it.CreatedAt.UTC(), it.UpdatedAt.UTC(), sqldb.UTCPtr(release)
	return &it, id, err
}

// ItemRef is what order placement needs to know of an item.
type ItemRef struct {
	ID       int64
	Preorder bool
	Cost     LineCost
	loaded   time.Time
}

// LineCost is an item's unit cost as a line records it at the time of sale.
type LineCost struct {
	UnitCost int64
	Currency string
}

// itemTTL bounds how long an item's pre-order flag is served from memory.
const itemTTL = time.Second

// ItemRefs looks up each distinct SKU in tx. Unknown SKUs are missing from
// the map.
func ItemRefs(ctx context.Context, tx *sqldb.Tx, skus []string) (map[string]ItemRef, error) {
	args := make([]any, len(skus))
	for i, s := range skus {
		args[i] = s
	}
	in, args := tx.Engine().InList("sku", "text", args, nil)
	rows, err := tx.QueryContext(ctx, "SELECT sku, id, preorder, unit_cost, currency FROM items WHERE "+in, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	refs := make(map[string]ItemRef, len(skus))
	for rows.Next() {
		var sku string
		r := ItemRef{loaded: time.Now()}
		if err := rows.Scan(&sku, &r.ID, &r.Preorder, &r.Cost.UnitCost, &r.Cost.Currency); err != nil {
			return nil, err
		}
		refs[sku] = r
	}
	return refs, rows.Err()
}

// LoadItems reads into the cache, in one statement, those of the SKUs it
// does not hold fresh: what a batch of orders would otherwise look up order
// by order, each a statement (and on PostgreSQL a round trip) of the
// batch's transaction. Unknown SKUs stay unknown.
func (c *Cache) LoadItems(ctx context.Context, tx *sqldb.Tx, skus []string) error {
	var missing []string
	seen := make(map[string]bool, len(skus))
	for _, sku := range skus {
		if !seen[sku] {
			seen[sku] = true
			if _, ok := c.item(sku); !ok {
				missing = append(missing, sku)
			}
		}
	}
	_, err := c.loadItems(ctx, tx, missing)
	return err
}

// item returns the SKU's item when the cache holds it fresh.
func (c *Cache) item(sku string) (ItemRef, bool) {
	r, ok := c.items.Load(sku)
	if !ok || time.Since(r.(ItemRef).loaded) >= itemTTL {
		return ItemRef{}, false
	}
	return r.(ItemRef), true
}

// loadItems reads the SKUs in tx into the cache, and returns those found.
func (c *Cache) loadItems(ctx context.Context, tx *sqldb.Tx, skus []string) (map[string]ItemRef, error) {
	if len(skus) == 0 {
		return nil, nil
	}
	if err := tx.Fault(ctx, sqldb.StepLoadItems); err != nil {
		return nil, err
	}
	found, err := ItemRefs(ctx, tx, skus)
	if err != nil {
		return nil, err
	}
	for sku, r := range found {
		c.items.Store(sku, r)
	}
	return found, nil
}

// DraftItems looks up each SKU of the draft in tx, or returns EINVALID
// naming every line whose SKU is unknown. Item ids never change, so they
// are remembered; the pre-order flag for itemTTL.
func (c *Cache) DraftItems(ctx context.Context, tx *sqldb.Tx, d *oms.OrderDraft) (map[string]ItemRef, error) {
	refs := make(map[string]ItemRef, len(d.Lines))
	var missing []string
	for _, l := range d.Lines {
		if _, ok := refs[l.SKU]; ok || slices.Contains(missing, l.SKU) {
			continue
		}
		if r, ok := c.item(l.SKU); ok {
			refs[l.SKU] = r
		} else {
			missing = append(missing, l.SKU)
		}
	}
	found, err := c.loadItems(ctx, tx, missing)
	if err != nil {
		return nil, err
	}
	maps.Copy(refs, found)
	var p oms.Problems
	for i, l := range d.Lines {
		if _, ok := refs[l.SKU]; !ok {
			p.Add(fmt.Sprintf("lines[%d].sku", i), "no item has SKU %q", l.SKU)
		}
	}
	return refs, p.Err()
}

// ListItems returns up to f.Limit items in SKU order — by bytes, as Go
// compares strings — and the SKU to pass as After for the next page ("" when
// there is none).
func (c *Catalog) ListItems(ctx context.Context, f oms.ItemFilter) ([]oms.Item, string, error) {
	e := c.db.Engine
	where, args := SKUPage(e, "sku", f.After, f.SKUPrefix, nil)
	q := selectItemColumns + " WHERE " + where + " ORDER BY sku" + e.ByteOrder +
		" LIMIT " + sqldb.Placeholders(len(args)+1, 1)
	rows, err := c.db.ReadPool().QueryContext(ctx, q, append(args, f.Limit+1)...)
	if err != nil {
		return nil, "", err
	}
	defer rows.Close()
	var out []oms.Item
	for rows.Next() {
		var it oms.Item
		var id int64
		var release sql.NullTime
		if err := rows.Scan(&id, &it.SKU, &it.Name, &it.UnitCost, &it.Currency, &it.Barcode, &it.CreatedAt,
			&it.UpdatedAt, &it.Preorder, &release, &it.HSCode, &it.CountryOfOrigin); err != nil {
			return nil, "", err
		}
		it.CreatedAt, it.UpdatedAt, it.ReleaseDate = it.CreatedAt.UTC(), it.UpdatedAt.UTC(), sqldb.UTCPtr(release)
		out = append(out, it)
	}
	if err := rows.Err(); err != nil {
		return nil, "", err
	}
	var next string
	if len(out) > f.Limit {
		out = out[:f.Limit]
		next = out[f.Limit-1].SKU
	}
	return out, next, nil
}

// SKUPage returns the condition on the text column col of a page of SKUs in
// byte order on engine e: after the cursor (none when empty) and starting
// with prefix (any when empty), as one range the column's byte-order index
// serves; its arguments are appended to args.
func SKUPage(e sqldb.Engine, col, after, prefix string, args []any) (string, []any) {
	col += e.ByteOrder
	// One lower bound: SQLite's planner takes the first of several and
	// would scan from the cursor to the prefix.
	cond := col + " > " + sqldb.Placeholders(len(args)+1, 1)
	args = append(args, after)
	if prefix > after {
		cond = col + " >= " + sqldb.Placeholders(len(args), 1)
		args[len(args)-1] = prefix
	}
	if end, ok := prefixEnd(prefix); ok && prefix != "" {
		cond += " AND " + col + " < " + sqldb.Placeholders(len(args)+1, 1)
		args = append(args, end)
	}
	return cond, args
}

// prefixEnd returns the least string greater than every string that starts
// with prefix, in byte order: prefix with its last rune raised by one (and
// runes that cannot be raised dropped). It is valid UTF-8, so that
// PostgreSQL takes it as text. ok is false when there is none.
func prefixEnd(prefix string) (end string, ok bool) {
	rs := []rune(prefix)
	for len(rs) > 0 {
		last := rs[len(rs)-1] + 1
		if last == 0xD800 { // surrogates are not runes: skip them
			last = 0xE000
		}
		if last <= unicode.MaxRune {
			rs[len(rs)-1] = last
			return string(rs), true
		}
		rs = rs[:len(rs)-1]
	}
	return "", false
}
