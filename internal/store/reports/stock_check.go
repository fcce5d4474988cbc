package reports

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/omshq/oms"
)

// The checks of the stock rollup, with its pending deltas, against the
// balances.
const (
	levelsCheck = "stock rollup: the latest day's closing on hand or reserved is not the balance (sku, location)"
	netCheck    = "stock rollup: the days' net change is not the balance's on hand (sku, location)"
	// selectRollupByBalance reads each balance, the levels and day of its
	// latest folded day row (NULL for none) and the sum of its folded day
	// rows' net change.
	selectRollupByBalance = `
SELECT i.sku, l.code, b.item_id, b.location_id, b.on_hand, b.reserved, s.day, s.on_hand, s.reserved, COALESCE(n.net, 0)
FROM balances b
JOIN items i ON i.id = b.item_id JOIN locations l ON l.id = b.location_id
LEFT JOIN stock_rollup s ON s.item_id = b.item_id AND s.location_id = b.location_id AND s.span = 'day'
    AND s.day = (SELECT MAX(x.day) FROM stock_rollup x
                 WHERE x.item_id = b.item_id AND x.location_id = b.location_id AND x.span = 'day')
LEFT JOIN (SELECT item_id, location_id, SUM(net) AS net FROM stock_rollup WHERE span = 'day'
           GROUP BY item_id, location_id) n ON n.item_id = b.item_id AND n.location_id = b.location_id`
)

// checkStockLevels verifies that each balance's latest day, folded or
// pending, closes at the balance, and that its days' net changes add up
// to its on hand.
func (tx *txn) checkStockLevels(ctx context.Context, r *oms.CheckReport) error {
	pending, err := tx.pendingStock(ctx)
	if err != nil {
		return err
	}
	latest := pending.latestDays(1 << 62)
	nets := make(map[[2]int64]int64)
	for k, p := range pending.rows {
		if k.span == spanDay {
			nets[[2]int64{k.item, k.location}] += p.net
		}
	}
	add := func(name, sku, code string, found, expected int64) {
		r.Violations = append(r.Violations, fmt.Sprintf("%s: %s %s (%d vs %d)", name, sku, code, found, expected))
	}
	return tx.Each(ctx, selectRollupByBalance, nil, func(rows *sql.Rows) error {
		var sku, code string
		var b [2]int64
		var onHand, reserved, net int64
		var day, dayOnHand, dayReserved sql.NullInt64
		if err := rows.Scan(&sku, &code, &b[0], &b[1], &onHand, &reserved, &day, &dayOnHand, &dayReserved, &net); err != nil {
			return err
		}
		closed := day.Valid
		closeOnHand, closeReserved := dayOnHand.Int64, dayReserved.Int64
		if p, ok := latest[b]; ok && p.after(day) {
			closed, closeOnHand, closeReserved = true, p.onHand, p.reserved
		}
		switch {
		case !closed && (onHand != 0 || reserved != 0):
			add(levelsCheck, sku, code, onHand*1000000+reserved, 0)
		case closed && (closeOnHand != onHand || closeReserved != reserved):
			add(levelsCheck, sku, code, onHand*1000000+reserved, closeOnHand*1000000+closeReserved)
		}
		if net += nets[b]; net != onHand {
			add(netCheck, sku, code, onHand, net)
		}
		return nil
	})
}

// stockChecks verify the folded stock rollup and the stockout spells
// against each other: each fold adds whole deltas, which move a month row
// with its days, so the folded rows alone must agree. checkStockLevels
// checks them, with the pending deltas, against the balances.
var stockChecks = []struct{ name, query string }{
	{"stock rollup: a month is not the sum of its days (item id, month's first day)", `
SELECT CAST(m.item_id AS TEXT), CAST(m.day AS TEXT), m.net * 1000000 + m.shipped, COALESCE(SUM(d.net), 0) * 1000000 + COALESCE(SUM(d.shipped), 0)
FROM stock_rollup m
LEFT JOIN stock_rollup d ON d.item_id = m.item_id AND d.location_id = m.location_id AND d.span = 'day'
    AND d.day >= m.day AND d.day < m.next_day
WHERE m.span = 'month'
GROUP BY m.item_id, m.location_id, m.day, m.net, m.shipped, m.received, m.cogs, m.unit_days, m.next_day
HAVING m.net <> COALESCE(SUM(d.net), 0) OR m.shipped <> COALESCE(SUM(d.shipped), 0)
    OR m.received <> COALESCE(SUM(d.received), 0) OR m.cogs <> COALESCE(SUM(d.cogs), 0)
    OR m.unit_days <> COALESCE(SUM(d.net * (m.next_day - d.day)), 0)`},
	{"stockout spell open while stock is unreserved, or two open at once (sku, location)", `
SELECT i.sku, l.code, COUNT(*), MAX(b.on_hand - b.reserved)
FROM stockout_spells p
JOIN items i ON i.id = p.item_id JOIN locations l ON l.id = p.location_id
LEFT JOIN balances b ON b.item_id = p.item_id AND b.location_id = p.location_id
WHERE p.ended_at IS NULL
GROUP BY i.sku, l.code
HAVING COUNT(*) > 1 OR MAX(COALESCE(b.on_hand - b.reserved, 0)) > 0`},
}
