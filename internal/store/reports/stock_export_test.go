package reports

import (
	"context"
	"math/rand/v2"
	"time"

	"github.com/omshq/oms/internal/store"
)

// FillStockHistoryForTest writes the stock rollup, stockout spells and
// backorder counts of a busy business over the days before end: every
// balance moves every day (at a million orders a year over a few thousand
// balances, nearly all do), some sell out now and then. It replaces what the
// tables held; it is for timing reports, not for checking figures.
func FillStockHistoryForTest(ctx context.Context, sdb *store.DB, days int, end time.Time) error {
	db := Of(sdb)
	err := db.update(ctx, func(tx *txn) error {
		for _, t := range []string{"stock_rollup", "stockout_spells", "backorder_days"} {
			if _, err := tx.ExecContext(ctx, "DELETE FROM "+t); err != nil {
				return err
			}
		}
		rows, err := tx.QueryContext(ctx, "SELECT item_id, location_id FROM balances ORDER BY item_id, location_id")
		if err != nil {
			return err
		}
		var pairs [][2]int64
		for rows.Next() {
			var p [2]int64
			if err := rows.Scan(&p[0], &p[1]); err != nil {
				return err
			}
			pairs = append(pairs, p)
		}
		rows.Close()
		r := rand.New(rand.NewPCG(1, 2))
		last := epochDay(end) - 1
		first := last - int64(days) + 1
		var spells, backorders [][]any
		for i, p := range pairs {
			rolls := newStockRolls()
			onHand := int64(500)
			for d := first; d <= last; d++ {
				at := dayTime(d).Add(12 * time.Hour)
				sold := r.Int64N(8)
				if sold > onHand {
					sold = onHand
				}
				rolls.add(stockMove{item: p[0], location: p[1], kind: "ship", delta: -sold, onHandAfter: onHand - sold, at: at})
				onHand -= sold
				if onHand < 50 {
					rolls.add(stockMove{item: p[0], location: p[1], kind: "receive", delta: 400, onHandAfter: onHand + 400, at: at})
					onHand += 400
				}
				if i%20 == 0 && d%30 == 0 { // one balance in twenty sells out for a few days each month
					spells = append(spells, []any{p[0], p[1], at, at.Add(time.Duration(r.IntN(96)) * time.Hour)})
				}
				if i%50 == 0 && p[1] == pairs[0][1] {
					backorders = append(backorders, []any{p[0], d, int64(r.IntN(8)), int64(3), int64(5)})
				}
			}
			if err := tx.writeRebuiltStock(ctx, rolls, nil); err != nil {
				return err
			}
		}
		for _, c := range chunks(spells, 5000) {
			if err := tx.insertRows(ctx, "stockout_spells", spellRowCols, c); err != nil {
				return err
			}
		}
		for _, c := range chunks(backorders, 5000) {
			src, args := tx.db.engine.rowSource(backorderCols, c, nil)
			if _, err := tx.ExecContext(ctx, "INSERT INTO backorder_days (item_id, day, shard, orders, units) "+src+
				" ON CONFLICT DO NOTHING", args...); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil || db.engine.name != "postgres" {
		return err
	}
	// What autovacuum does to a table that took many inserts: statistics,
	// and a visibility map that lets index-only scans skip the table.
	err = db.db.Exec(ctx, "VACUUM ANALYZE stock_rollup")
	return err
}
