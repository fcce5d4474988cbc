package channels

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/store/sqldb"
)

// What each channel may sell of the stock (its availability), read a page
// at a time (ChannelAvailability) and published as events when it changes
// (PublishAvailability).

const (
	selectItemPage = `SELECT id, sku FROM items WHERE sku > $1 ORDER BY sku LIMIT $2`
	// selectSellable sums the stock free to sell of items at locations.
	selectSellable = `
SELECT item_id, SUM(CASE WHEN on_hand - reserved - safety_stock > 0 THEN on_hand - reserved - safety_stock ELSE 0 END)
FROM balances WHERE %s AND %s GROUP BY item_id`
	selectMappingsOf = `
SELECT m.listing_sku, i.id, i.sku, m.quantity FROM sku_mappings m JOIN items i ON i.id = m.item_id
WHERE m.channel_id = $1 AND m.listing_sku IN (SELECT listing_sku FROM sku_mappings WHERE channel_id = $1 AND %s)
ORDER BY m.listing_sku, i.sku`
	selectPublished = `SELECT sku, available FROM channel_availability WHERE channel_id = $1 AND %s`
	upsertPublished = `
INSERT INTO channel_availability (channel_id, sku, available, updated_at) VALUES ($1, $2, $3, $4)
ON CONFLICT (channel_id, sku) DO UPDATE SET available = excluded.available, updated_at = excluded.updated_at
WHERE channel_availability.available <> excluded.available`
	selectChangedItems = `SELECT DISTINCT item_id FROM ledger WHERE id > $1`
	selectMaxLedger    = `SELECT COALESCE(MAX(id), 0) FROM ledger`
	selectAllItemIDs   = `SELECT id FROM items WHERE id > $1 ORDER BY id LIMIT $2`
)

// channelSites returns the ids of the active, non-marketplace locations that
// serve the channel.
func channelSites(ctx context.Context, tx *sqldb.Tx, channel string) ([]int64, error) {
	rows, err := tx.QueryContext(ctx, `SELECT id, kind, active, channels FROM locations ORDER BY id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		var kind, codes string
		var active bool
		if err := rows.Scan(&id, &kind, &active, &codes); err != nil {
			return nil, err
		}
		serves := codes == "" || slices.Contains(strings.Split(codes, ","), channel)
		if active && kind != "marketplace" && serves {
			ids = append(ids, id)
		}
	}
	return ids, rows.Err()
}

// sellable returns the stock free to sell of each item at the sites.
func sellable(ctx context.Context, tx *sqldb.Tx, sites, items []int64) (map[int64]int64, error) {
	out := make(map[int64]int64, len(items))
	if len(sites) == 0 || len(items) == 0 {
		return out, nil
	}
	siteVals, itemVals := make([]any, len(sites)), make([]any, len(items))
	for i, s := range sites {
		siteVals[i] = s
	}
	for i, it := range items {
		itemVals[i] = it
	}
	siteCond, args := tx.Dialect().InList("location_id", "bigint", siteVals, nil)
	itemCond, args := tx.Dialect().InList("item_id", "bigint", itemVals, args)
	rows, err := tx.QueryContext(ctx, fmt.Sprintf(selectSellable, siteCond, itemCond), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id, n int64
		if err := rows.Scan(&id, &n); err != nil {
			return nil, err
		}
		out[id] = n
	}
	return out, rows.Err()
}

// offer is what a channel with the share and buffer may sell of free stock.
func offer(free int64, share int, buffer int64) int64 {
	return max(free*int64(share)/100-buffer, 0)
}

// channelStock computes the channel's availability of the items and of the
// listing SKUs mapped to any of them.
func channelStock(ctx context.Context, tx *sqldb.Tx, ch *oms.Channel, chID int64, sites []int64, ids []int64, skus map[int64]string) ([]oms.ChannelStock, error) {
	free, err := sellable(ctx, tx, sites, ids)
	if err != nil {
		return nil, err
	}
	out := make([]oms.ChannelStock, 0, len(ids))
	for _, id := range ids {
		out = append(out, oms.ChannelStock{SKU: skus[id], Available: offer(free[id], ch.SharePercent, ch.Buffer)})
	}
	// Listings mapped to these items, with all their components.
	vals := make([]any, len(ids))
	for i, id := range ids {
		vals[i] = id
	}
	if len(vals) == 0 {
		return out, nil
	}
	cond, args := tx.Dialect().InList("item_id", "bigint", vals, []any{chID})
	rows, err := tx.QueryContext(ctx, fmt.Sprintf(selectMappingsOf, cond), args...)
	if err != nil {
		return nil, err
	}
	type comp struct {
		id  int64
		sku string
		qty int64
	}
	listings := map[string][]comp{}
	var order []string
	var compIDs []int64
	for rows.Next() {
		var listing string
		var c comp
		if err := rows.Scan(&listing, &c.id, &c.sku, &c.qty); err != nil {
			rows.Close()
			return nil, err
		}
		if listings[listing] == nil {
			order = append(order, listing)
		}
		listings[listing] = append(listings[listing], c)
		if _, ok := free[c.id]; !ok && !slices.Contains(compIDs, c.id) {
			compIDs = append(compIDs, c.id)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	more, err := sellable(ctx, tx, sites, compIDs)
	if err != nil {
		return nil, err
	}
	for id, n := range more {
		free[id] = n
	}
	for _, listing := range order {
		cs := oms.ChannelStock{SKU: listing, Listing: true, Available: -1}
		for _, c := range listings[listing] {
			n := offer(free[c.id], ch.SharePercent, ch.Buffer) / c.qty
			if cs.Available < 0 || n < cs.Available {
				cs.Available = n
			}
			cs.Components = append(cs.Components, oms.SKUComponent{SKU: c.sku, Quantity: c.qty})
		}
		out = append(out, cs)
	}
	return out, nil
}

// ChannelAvailability returns a page of what the channel may sell, by oms
// SKU after the cursor: the free stock (on hand less reserved and safety
// stock) at the active locations serving the channel, times its share,
// less its buffer, never negative — and, after each page's items, the
// listing SKUs mapped to them. It returns ENOTFOUND for an unknown channel.
func (r *Registry) ChannelAvailability(ctx context.Context, code, after string, limit int) (*oms.AvailabilityPage, error) {
	var page *oms.AvailabilityPage
	err := r.db.View(ctx, func(tx *sqldb.Tx) error {
		ch, chID, err := ByCode(ctx, tx, code)
		if err != nil {
			return err
		}
		sites, err := channelSites(ctx, tx, code)
		if err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, selectItemPage, after, limit+1)
		if err != nil {
			return err
		}
		var ids []int64
		skus := map[int64]string{}
		for rows.Next() {
			var id int64
			var sku string
			if err := rows.Scan(&id, &sku); err != nil {
				rows.Close()
				return err
			}
			ids = append(ids, id)
			skus[id] = sku
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		page = &oms.AvailabilityPage{Channel: code, SharePercent: ch.SharePercent, Buffer: ch.Buffer, Items: []oms.ChannelStock{}}
		if len(ids) > limit {
			ids = ids[:limit]
			next := skus[ids[limit-1]]
			page.NextCursor = &next
		}
		page.Items, err = channelStock(ctx, tx, ch, chID, sites, ids, skus)
		return err
	})
	return page, err
}

// AvailabilitySweep is where the last sweep of availability changes stopped.
type AvailabilitySweep struct {
	ledger int64 // the highest ledger id seen
}

// sweepOverlap is how many ledger rows before the last one seen each sweep
// reads again: a transaction that took its ids earlier but committed after
// the sweep is still seen.
const sweepOverlap = 20_000

// PublishAvailability compares each channel's availability of the items
// whose stock moved since the last sweep (all items when full) with what was
// last published, records the new figures and adds an
// inventory.availability_changed event per channel and SKU that changed. It
// returns how many changed. Running it from several processes at once
// publishes each change once.
func (r *Registry) PublishAvailability(ctx context.Context, sw *AvailabilitySweep, full bool) (int, error) {
	var ids []int64
	err := r.db.View(ctx, func(tx *sqldb.Tx) error {
		var top int64
		if err := tx.QueryRowContext(ctx, selectMaxLedger).Scan(&top); err != nil {
			return err
		}
		defer func() { sw.ledger = top }()
		if full {
			var err error
			ids, err = allItemIDs(ctx, tx)
			return err
		}
		if top == sw.ledger && sw.ledger > 0 {
			return nil
		}
		rows, err := tx.QueryContext(ctx, selectChangedItems, max(sw.ledger-sweepOverlap, 0))
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				return err
			}
			ids = append(ids, id)
		}
		return rows.Err()
	})
	if err != nil || len(ids) == 0 {
		return 0, err
	}
	slices.Sort(ids)
	changed := 0
	for start := 0; start < len(ids); start += 1000 {
		n, err := r.publish(ctx, ids[start:min(start+1000, len(ids))])
		if err != nil {
			return changed, err
		}
		changed += n
	}
	return changed, nil
}

func allItemIDs(ctx context.Context, tx *sqldb.Tx) ([]int64, error) {
	var ids []int64
	for after := int64(0); ; {
		rows, err := tx.QueryContext(ctx, selectAllItemIDs, after, 10_000)
		if err != nil {
			return nil, err
		}
		n := 0
		for rows.Next() {
			if err := rows.Scan(&after); err != nil {
				rows.Close()
				return nil, err
			}
			ids = append(ids, after)
			n++
		}
		rows.Close()
		if err := rows.Err(); err != nil || n < 10_000 {
			return ids, err
		}
	}
}

// publish publishes the changes of the items' availability on every channel.
func (r *Registry) publish(ctx context.Context, ids []int64) (int, error) {
	changed := 0
	err := r.db.Update(ctx, func(tx *sqldb.Tx) error {
		changed = 0
		skus, err := itemSKUs(ctx, tx, ids)
		if err != nil {
			return err
		}
		chans, err := List(ctx, tx)
		if err != nil {
			return err
		}
		for _, c := range chans {
			sites, err := channelSites(ctx, tx, c.Channel.Code)
			if err != nil {
				return err
			}
			stock, err := channelStock(ctx, tx, c.Channel, c.ID, sites, ids, skus)
			if err != nil {
				return err
			}
			n, err := publishChanges(ctx, tx, c.Channel, c.ID, stock)
			if err != nil {
				return err
			}
			changed += n
		}
		return nil
	})
	return changed, err
}

// publishChanges records the figures that differ from those last published
// and adds an event for each, and one for each of the channel's thresholds
// crossed (inventory.low_stock, out_of_stock, back_in_stock).
func publishChanges(ctx context.Context, tx *sqldb.Tx, ch *oms.Channel, chID int64, stock []oms.ChannelStock) (int, error) {
	code := ch.Code
	vals := make([]any, len(stock))
	for i, s := range stock {
		vals[i] = s.SKU
	}
	if len(vals) == 0 {
		return 0, nil
	}
	cond, args := tx.Dialect().InList("sku", "text", vals, []any{chID})
	rows, err := tx.QueryContext(ctx, fmt.Sprintf(selectPublished, cond), args...)
	if err != nil {
		return 0, err
	}
	before := map[string]int64{}
	for rows.Next() {
		var sku string
		var n int64
		if err := rows.Scan(&sku, &n); err != nil {
			rows.Close()
			return 0, err
		}
		before[sku] = n
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	changed := 0
	for _, s := range stock {
		prev := before[s.SKU] // none published yet: 0, so that only stock makes news
		if prev == s.Available {
			continue
		}
		res, err := tx.ExecContext(ctx, upsertPublished, chID, s.SKU, s.Available, tx.Now())
		if err != nil {
			return changed, err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			continue // another process published it first
		}
		data := oms.AvailabilityChanged{Channel: code, SKU: s.SKU, Available: s.Available, Previous: prev, Listing: s.Listing}
		if err := tx.AddEvent(ctx, oms.EventAvailabilityChanged, code+"/"+s.SKU, "", "system:availability", data); err != nil {
			return changed, err
		}
		types, payloads := oms.StockThreshold{Channel: code, SKU: s.SKU, Available: s.Available, Previous: prev,
			Listing: s.Listing, LowStock: ch.LowStock}.Events()
		for i, typ := range types {
			if err := tx.AddEvent(ctx, typ, code+"/"+s.SKU, "", "system:availability", payloads[i]); err != nil {
				return changed, err
			}
		}
		changed++
	}
	return changed, nil
}

func itemSKUs(ctx context.Context, tx *sqldb.Tx, ids []int64) (map[int64]string, error) {
	vals := make([]any, len(ids))
	for i, id := range ids {
		vals[i] = id
	}
	cond, args := tx.Dialect().InList("id", "bigint", vals, nil)
	rows, err := tx.QueryContext(ctx, "SELECT id, sku FROM items WHERE "+cond, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := make(map[int64]string, len(ids))
	for rows.Next() {
		var id int64
		var sku string
		if err := rows.Scan(&id, &sku); err != nil {
			return nil, err
		}
		out[id] = sku
	}
	return out, rows.Err()
}
