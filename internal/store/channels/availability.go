package channels

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/store/sqldb"
)

// What each channel may sell of the stock (its availability), read a page
// at a time (ChannelAvailability) and published as events when it changes
// (PublishAvailability).
//
// A channel's feed is one list of SKUs in byte order: its listing SKUs, each
// offered as its components allow, and the SKUs of the items it does not
// list under the same name. A listing named like an item shadows the item:
// an order the channel sends for that SKU takes the mapping (see
// placement's mapListings), so the item's own stock is not what the channel
// can sell under it.

const (
	// selectFeedItems reads the next items of a channel's feed: those whose
	// SKU the channel has no listing of. %[1]s is the engine's ByteOrder.
	selectFeedItems = `
SELECT i.id, i.sku FROM items i
WHERE i.sku%[1]s > $2 AND NOT EXISTS (SELECT 1 FROM sku_mappings m WHERE m.channel_id = $1 AND m.listing_sku = i.sku)
ORDER BY i.sku%[1]s LIMIT $3`
	// selectFeedListings reads the next listing SKUs of a channel's feed.
	selectFeedListings = `
SELECT DISTINCT listing_sku%[1]s FROM sku_mappings WHERE channel_id = $1 AND listing_sku%[1]s > $2 ORDER BY 1 LIMIT $3`
	// selectListingsOf names the channel's listings mapped to the items
	// (%[1]s) or named like them (%[2]s).
	selectListingsOf = `SELECT DISTINCT listing_sku FROM sku_mappings WHERE channel_id = $1 AND (%s OR %s)`
	// selectComponents reads the components of the channel's listings (%s).
	selectComponents = `
SELECT m.listing_sku, i.id, i.sku, m.quantity FROM sku_mappings m JOIN items i ON i.id = m.item_id
WHERE m.channel_id = $1 AND %s
ORDER BY m.listing_sku, i.sku`
	// selectSellable sums the stock free to sell of items at locations.
	selectSellable = `
SELECT item_id, SUM(CASE WHEN on_hand - reserved - safety_stock > 0 THEN on_hand - reserved - safety_stock ELSE 0 END)
FROM balances WHERE %s AND %s GROUP BY item_id`
	selectPublished = `SELECT sku, available FROM channel_availability WHERE channel_id = $1 AND %s`
	upsertPublished = `
INSERT INTO channel_availability (channel_id, sku, available, updated_at) VALUES ($1, $2, $3, $4)
ON CONFLICT (channel_id, sku) DO UPDATE SET available = excluded.available, updated_at = excluded.updated_at
WHERE channel_availability.available <> excluded.available`
	selectChangedItems = `SELECT DISTINCT item_id FROM ledger WHERE id > $1`
	selectMaxLedger    = `SELECT COALESCE(MAX(id), 0) FROM ledger`
	selectAllItemIDs   = `SELECT id FROM items WHERE id > $1 ORDER BY id LIMIT $2`
)

// feedEntry is one SKU of a channel's feed: an item's own SKU (item is its
// id), or a listing SKU (item is 0).
type feedEntry struct {
	sku  string
	item int64
}

// mergeFeed returns the first n entries, in byte order of SKU, of items and
// listings, each already in that order; the two share no SKU.
func mergeFeed(items, listings []feedEntry, n int) []feedEntry {
	out := make([]feedEntry, 0, min(n, len(items)+len(listings)))
	for len(out) < n && (len(items) > 0 || len(listings) > 0) {
		if len(listings) == 0 || len(items) > 0 && items[0].sku < listings[0].sku {
			out, items = append(out, items[0]), items[1:]
		} else {
			out, listings = append(out, listings[0]), listings[1:]
		}
	}
	return out
}

// feedPage reads the first n entries of the channel's feed after the SKU:
// at most n items and n listings, merged.
func feedPage(ctx context.Context, tx *sqldb.Tx, chID int64, after string, n int) ([]feedEntry, error) {
	order := tx.Engine().ByteOrder
	var items, listings []feedEntry
	err := tx.Each(ctx, fmt.Sprintf(selectFeedItems, order), []any{chID, after, n}, func(rows *sql.Rows) error {
		var e feedEntry
		items = append(items, e)
		return rows.Scan(&items[len(items)-1].item, &items[len(items)-1].sku)
	})
	if err != nil {
		return nil, err
	}
	names, err := sqldb.QueryColumn[string](ctx, tx, fmt.Sprintf(selectFeedListings, order), chID, after, n)
	if err != nil {
		return nil, err
	}
	for _, name := range names {
		listings = append(listings, feedEntry{sku: name})
	}
	return mergeFeed(items, listings, n), nil
}

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

// sellableBatch bounds the items of one query of sellable.
const sellableBatch = 1000

// sellable returns the stock free to sell of each item at the sites.
func sellable(ctx context.Context, tx *sqldb.Tx, sites, items []int64) (map[int64]int64, error) {
	out := make(map[int64]int64, len(items))
	if len(sites) == 0 {
		return out, nil
	}
	siteVals := make([]any, len(sites))
	for i, s := range sites {
		siteVals[i] = s
	}
	for batch := range slices.Chunk(items, sellableBatch) {
		itemVals := make([]any, len(batch))
		for i, it := range batch {
			itemVals[i] = it
		}
		siteCond, args := tx.Dialect().InList("location_id", "bigint", siteVals, nil)
		itemCond, args := tx.Dialect().InList("item_id", "bigint", itemVals, args)
		err := tx.Each(ctx, fmt.Sprintf(selectSellable, siteCond, itemCond), args, func(rows *sql.Rows) error {
			var id, n int64
			err := rows.Scan(&id, &n)
			out[id] = n
			return err
		})
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// offer is what a channel with the share and buffer may sell of free stock.
func offer(free int64, share int, buffer int64) int64 {
	return max(free*int64(share)/100-buffer, 0)
}

// component is one item of a listing, with the units one listing unit holds.
type component struct {
	id  int64
	sku string
	qty int64
}

// listingOffer is what a channel with the share and buffer may sell of a
// listing: as many as its scarcest component's offer holds.
func listingOffer(comps []component, free map[int64]int64, share int, buffer int64) int64 {
	n := int64(-1)
	for _, c := range comps {
		if k := offer(free[c.id], share, buffer) / c.qty; n < 0 || k < n {
			n = k
		}
	}
	return max(n, 0)
}

// componentsOf returns the components of the channel's listings, by
// listing SKU.
func componentsOf(ctx context.Context, tx *sqldb.Tx, chID int64, listings []any) (map[string][]component, error) {
	out := map[string][]component{}
	if len(listings) == 0 {
		return out, nil
	}
	cond, args := tx.Dialect().InList("m.listing_sku", "text", listings, []any{chID})
	err := tx.Each(ctx, fmt.Sprintf(selectComponents, cond), args, func(rows *sql.Rows) error {
		var listing string
		var c component
		err := rows.Scan(&listing, &c.id, &c.sku, &c.qty)
		out[listing] = append(out[listing], c)
		return err
	})
	return out, err
}

// feedStock computes the channel's availability of the feed's entries, in
// their order: an item's offer of its free stock at the sites, a listing's
// as its components allow. A listing unmapped since it was read is left out.
func feedStock(ctx context.Context, tx *sqldb.Tx, ch *oms.Channel, chID int64, sites []int64, entries []feedEntry) ([]oms.ChannelStock, error) {
	var ids []int64
	var listings []any
	for _, e := range entries {
		if e.item != 0 {
			ids = append(ids, e.item)
		} else {
			listings = append(listings, e.sku)
		}
	}
	comps, err := componentsOf(ctx, tx, chID, listings)
	if err != nil {
		return nil, err
	}
	for _, cs := range comps {
		for _, c := range cs {
			ids = append(ids, c.id)
		}
	}
	slices.Sort(ids)
	free, err := sellable(ctx, tx, sites, slices.Compact(ids))
	if err != nil {
		return nil, err
	}
	out := make([]oms.ChannelStock, 0, len(entries))
	for _, e := range entries {
		if e.item != 0 {
			out = append(out, oms.ChannelStock{SKU: e.sku, Available: offer(free[e.item], ch.SharePercent, ch.Buffer)})
			continue
		}
		cs, ok := comps[e.sku]
		if !ok {
			continue
		}
		s := oms.ChannelStock{SKU: e.sku, Listing: true, Available: listingOffer(cs, free, ch.SharePercent, ch.Buffer)}
		for _, c := range cs {
			s.Components = append(s.Components, oms.SKUComponent{SKU: c.sku, Quantity: c.qty})
		}
		out = append(out, s)
	}
	return out, nil
}

// movedStock computes the channel's availability of what moves with the
// items' stock: the items, but for those the channel lists under their own
// SKU, and the listings mapped to the items or named like them.
func movedStock(ctx context.Context, tx *sqldb.Tx, ch *oms.Channel, chID int64, sites []int64, ids []int64, skus map[int64]string) ([]oms.ChannelStock, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	idVals, skuVals := make([]any, len(ids)), make([]any, len(ids))
	for i, id := range ids {
		idVals[i], skuVals[i] = id, skus[id]
	}
	byItem, args := tx.Dialect().InList("item_id", "bigint", idVals, []any{chID})
	byName, args := tx.Dialect().InList("listing_sku", "text", skuVals, args)
	names, err := sqldb.QueryColumn[string](ctx, tx, fmt.Sprintf(selectListingsOf, byItem, byName), args...)
	if err != nil {
		return nil, err
	}
	listed := make(map[string]bool, len(names))
	for _, name := range names {
		listed[name] = true
	}
	entries := make([]feedEntry, 0, len(ids)+len(names))
	for _, id := range ids {
		if !listed[skus[id]] {
			entries = append(entries, feedEntry{sku: skus[id], item: id})
		}
	}
	for _, name := range names {
		entries = append(entries, feedEntry{sku: name})
	}
	return feedStock(ctx, tx, ch, chID, sites, entries)
}

// ChannelAvailability returns a page of the channel's feed after the SKU
// (from the start when empty), in byte order of SKU: what it may sell of
// each listing SKU and of each item it does not list under the item's own
// SKU (see feedStock); NextCursor is the page's last SKU when more follow.
// It returns ENOTFOUND for an unknown channel.
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
		entries, err := feedPage(ctx, tx, chID, after, limit+1)
		if err != nil {
			return err
		}
		page = &oms.AvailabilityPage{Channel: code, SharePercent: ch.SharePercent, Buffer: ch.Buffer}
		if len(entries) > limit {
			entries = entries[:limit]
			next := entries[limit-1].sku
			page.NextCursor = &next
		}
		page.Items, err = feedStock(ctx, tx, ch, chID, sites, entries)
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
			stock, err := movedStock(ctx, tx, c.Channel, c.ID, sites, ids, skus)
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
