package store

import (
	"cmp"
	"context"
	"fmt"
	"slices"
)

// addBackorders adds orders and units to the day's backorder counts of
// their items; shard spreads concurrent batches over rows.
const addBackorders = `
INSERT INTO backorder_days (item_id, day, shard, orders, units)
%s
ON CONFLICT (item_id, day, shard) DO UPDATE SET
    orders = backorder_days.orders + excluded.orders, units = backorder_days.units + excluded.units`

var backorderCols = []column{{"item_id", "bigint"}, {"day", "bigint"}, {"shard", "bigint"}, {"orders", "bigint"},
	{"units", "bigint"}}

// backorderShards is how many rows an (item, day) count is spread over.
const backorderShards = 8

// recordBackorders counts, per item, the batch's orders placed with units of
// it left waiting (open, with no stock allocated) and those units, in one
// statement.
func (tx *Tx) recordBackorders(ctx context.Context, ps []*pending) error {
	type count struct{ orders, units int64 }
	counts := make(map[int64]*count)
	for _, p := range ps {
		seen := make(map[int64]bool)
		for n, l := range p.order.Lines {
			item := p.lineItems[n]
			if item == 0 || l.Open <= 0 {
				continue
			}
			c := counts[item]
			if c == nil {
				c = &count{}
				counts[item] = c
			}
			c.units += l.Open
			if !seen[item] {
				seen[item] = true
				c.orders++
			}
		}
	}
	if len(counts) == 0 {
		return nil
	}
	items := make([]int64, 0, len(counts))
	for id := range counts {
		items = append(items, id)
	}
	slices.SortFunc(items, cmp.Compare[int64])
	day, shard := epochDay(tx.now), ps[0].ids.seq%backorderShards
	rows := make([][]any, len(items))
	for i, id := range items {
		rows[i] = []any{id, day, shard, counts[id].orders, counts[id].units}
	}
	src, args := tx.db.engine.rowSource(backorderCols, rows, nil)
	if _, err := tx.ExecContext(ctx, fmt.Sprintf(addBackorders, src), args...); err != nil {
		return fmt.Errorf("backorders: %w", err)
	}
	return nil
}
