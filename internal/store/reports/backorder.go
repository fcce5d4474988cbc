package reports

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	"github.com/omshq/oms/internal/store"
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

// backorderRows counts, per item, the batch's orders placed with units of
// it left waiting (open, with no stock allocated) and those units: the rows
// to add to backorder_days, by item.
func (tx *txn) backorderRows(ps []store.PlacedOrder) []backorderRow {
	type count struct{ orders, units int64 }
	counts := make(map[int64]*count)
	for _, p := range ps {
		seen := make(map[int64]bool)
		for n, l := range p.Order.Lines {
			item := p.LineItems[n]
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
	items := make([]int64, 0, len(counts))
	for id := range counts {
		items = append(items, id)
	}
	slices.SortFunc(items, cmp.Compare[int64])
	day, shard := epochDay(tx.now), ps[0].Seq%backorderShards
	rows := make([]backorderRow, len(items))
	for i, id := range items {
		rows[i] = backorderRow{id, day, shard, counts[id].orders, counts[id].units}
	}
	return rows
}

// backorderStatement is the statement adding rows to backorder_days, with
// its arguments appended to args.
func (e engine) backorderStatement(rows []backorderRow, args []any) (string, []any) {
	src, args := e.rowSource(backorderCols, rowsOf(rows), args)
	return fmt.Sprintf(addBackorders, src), args
}

// writeBackorders adds the rows to backorder_days.
func (tx *txn) writeBackorders(ctx context.Context, rows []backorderRow) error {
	if len(rows) == 0 {
		return nil
	}
	q, args := tx.db.engine.backorderStatement(rows, nil)
	if _, err := tx.ExecContext(ctx, q, args...); err != nil {
		return fmt.Errorf("backorders: %w", err)
	}
	return nil
}

// backorderRow is a row of backorder_days (backorderCols).
type backorderRow struct {
	item, day, shard, orders, units int64
}

func (r backorderRow) values() []any { return []any{r.item, r.day, r.shard, r.orders, r.units} }
