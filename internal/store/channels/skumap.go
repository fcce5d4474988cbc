package channels

import (
	"context"
	"fmt"
	"slices"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/store/sqldb"
)

const (
	deleteSKUMapping  = `DELETE FROM sku_mappings WHERE channel_id = $1 AND listing_sku = $2`
	insertSKUMapping  = `INSERT INTO sku_mappings (channel_id, listing_sku, item_id, quantity) VALUES ($1, $2, $3, $4)`
	selectSKUMappings = `
SELECT m.listing_sku, i.sku, i.id, m.quantity FROM sku_mappings m JOIN items i ON i.id = m.item_id
WHERE m.channel_id = $1 AND %s
ORDER BY m.listing_sku, i.sku`
)

// PutSKUMapping maps the channel's listing SKU to the components, replacing
// any earlier mapping. It returns ENOTFOUND for an unknown channel and
// EINVALID for a bad listing SKU, component or quantity.
func (r *Registry) PutSKUMapping(ctx context.Context, m oms.SKUMapping, by oms.Principal) error {
	actor := by.Actor()
	var p oms.Problems
	if m.ListingSKU == "" {
		p.Add("listing_sku", "must be 1 to 200 bytes")
	} else {
		oms.CheckLine(&p, "listing_sku", m.ListingSKU, 200)
	}
	if len(m.Components) == 0 || len(m.Components) > 50 {
		p.Add("components", "give 1 to 50 components")
	}
	seen := map[string]bool{}
	for i, c := range m.Components {
		if c.Quantity < 1 || c.Quantity > 10_000 {
			p.Add(fmt.Sprintf("components[%d].quantity", i), "must be between 1 and 10000")
		}
		if seen[c.SKU] {
			p.Add(fmt.Sprintf("components[%d].sku", i), "is listed twice")
		}
		seen[c.SKU] = true
	}
	if err := p.Err(); err != nil {
		return err
	}
	return r.db.Update(ctx, func(tx *sqldb.Tx) error {
		_, chID, err := ByCode(ctx, tx, m.Channel)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, deleteSKUMapping, chID, m.ListingSKU); err != nil {
			return err
		}
		for i, c := range m.Components {
			itemID, err := r.hooks.ItemID(ctx, tx, c.SKU)
			if oms.ErrorCode(err) == oms.ENOTFOUND {
				return oms.Invalid(fmt.Sprintf("components[%d].sku", i), "no item has SKU %q", c.SKU)
			} else if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, insertSKUMapping, chID, m.ListingSKU, itemID, c.Quantity); err != nil {
				return err
			}
		}
		return tx.AddEvent(ctx, oms.EventSKUMapped, m.Channel+"/"+m.ListingSKU, "", actor, m)
	})
}

// SKUMappings returns the channel's mappings, by listing SKU, or ENOTFOUND.
func (r *Registry) SKUMappings(ctx context.Context, channel string) ([]oms.SKUMapping, error) {
	var out []oms.SKUMapping
	err := r.db.View(ctx, func(tx *sqldb.Tx) error {
		_, chID, err := ByCode(ctx, tx, channel)
		if err != nil {
			return err
		}
		ms, err := Mappings(ctx, tx, chID, nil)
		for _, listing := range sortedKeysOf(ms) {
			out = append(out, oms.SKUMapping{Channel: channel, ListingSKU: listing, Components: ms[listing]})
		}
		return err
	})
	return out, err
}

// Mappings returns the components of the channel's listing SKUs (all when
// nil) that are mapped, by listing SKU, read in tx.
func Mappings(ctx context.Context, tx *sqldb.Tx, channelID int64, listings []string) (map[string][]oms.SKUComponent, error) {
	cond := "1 = 1"
	args := []any{channelID}
	if listings != nil {
		if len(listings) == 0 {
			return map[string][]oms.SKUComponent{}, nil
		}
		vals := make([]any, len(listings))
		for i, l := range listings {
			vals[i] = l
		}
		cond, args = tx.Dialect().InList("m.listing_sku", "text", vals, args)
	}
	rows, err := tx.QueryContext(ctx, fmt.Sprintf(selectSKUMappings, cond), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string][]oms.SKUComponent{}
	for rows.Next() {
		var listing string
		var c oms.SKUComponent
		var id int64
		if err := rows.Scan(&listing, &c.SKU, &id, &c.Quantity); err != nil {
			return nil, err
		}
		out[listing] = append(out[listing], c)
	}
	return out, rows.Err()
}

func sortedKeysOf[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// DeleteSKUMapping removes the mapping of the channel's listing SKU. It
// returns ENOTFOUND when there is none.
func (r *Registry) DeleteSKUMapping(ctx context.Context, channel, listing string, by oms.Principal) error {
	actor := by.Actor()
	return r.db.Update(ctx, func(tx *sqldb.Tx) error {
		_, chID, err := ByCode(ctx, tx, channel)
		if err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, deleteSKUMapping, chID, listing)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return sqldb.NotFound("channel %s maps no listing SKU %q", channel, listing)
		}
		return tx.AddEvent(ctx, oms.EventSKUMapped, channel+"/"+listing, "", actor,
			oms.SKUMapping{Channel: channel, ListingSKU: listing, Components: []oms.SKUComponent{}})
	})
}
