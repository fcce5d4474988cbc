package reports

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/binary"
	"fmt"
	"slices"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/store"
	"github.com/omshq/oms/internal/store/sqldb"
)

// The stock rollup is written in two steps, as the order rollups are
// (rollup_journal.go). A transaction that moves stock records what its
// movements add to the rollup, summed by row, as one row of stock_pending
// (journalStock): one small insert, where writing the rows themselves took
// an upsert of a row per item, location and day, each on a page of its own.
// Folding (FoldStock) takes pending deltas, oldest first, adds them to
// stock_rollup and deletes them, in one transaction. So stock_rollup plus
// the pending deltas always hold what every movement added; the stock
// reports and the checker add the pending deltas to what they read.
//
// A row's levels (on hand, reserved, unit cost) are those of its last
// movement: a later delta's replace an earlier's. Deltas are summed and
// folded in id order, which is the order the movements were made in for
// each balance: a transaction journals after it moved the balances it
// journals, while it holds their rows, so a later movement of one balance
// is journalled by a transaction that began its insert after the earlier
// one committed. Each delta carries the unit cost of its items as it read
// them, so a fold values the units shipped as the movement did.

// stockFoldBatch is how many pending deltas one fold transaction takes: on
// SQLite a fold holds the one writer, which order batches then wait for.
const stockFoldBatch = 64

// stockDeltaFormat is the first byte of an encoded stock delta.
const stockDeltaFormat = 1

// journalStock records what the movements, in groups as the feed carries
// them, add to the stock rollup, and writes their stockout spells. It
// returns oms.TooLarge when the cost of the units a row shipped passes 64
// bits.
func (tx *txn) journalStock(ctx context.Context, moves [][]store.StockMove) error {
	if len(moves) == 0 {
		return nil
	}
	costs, err := tx.unitCosts(ctx, moves)
	if err != nil {
		return err
	}
	rolls := newStockRolls()
	for _, ms := range moves {
		for _, m := range ms {
			sm := moveOf(m)
			if !m.CostKnown {
				sm.cost = costs[m.Item]
			}
			rolls.add(sm)
		}
		if rolls.tooLarge {
			return cogsTooLarge()
		}
		if err := tx.writeSpells(ctx, rolls); err != nil {
			return err
		}
		rolls.starts, rolls.ends = nil, nil
	}
	if len(rolls.rows) == 0 {
		return nil
	}
	_, err = tx.ExecContext(ctx, "INSERT INTO stock_pending (delta) VALUES ($1)", rolls.encode())
	return err
}

// cogsTooLarge is the error of a movement whose units shipped cost more
// than 64 bits hold.
func cogsTooLarge() error {
	return oms.TooLarge("the cost of the goods shipped (units shipped × unit cost)")
}

// unitCosts reads the unit cost of each item the movements move whose
// cost they do not carry (a reservation's statement reads it).
func (tx *txn) unitCosts(ctx context.Context, moves [][]store.StockMove) (map[int64]int64, error) {
	seen := make(map[int64]bool)
	var ids []any
	for _, ms := range moves {
		for _, m := range ms {
			if !seen[m.Item] && !m.CostKnown {
				seen[m.Item] = true
				ids = append(ids, m.Item)
			}
		}
	}
	if len(ids) == 0 {
		return nil, nil
	}
	return tx.itemCosts(ctx, ids)
}

// itemCosts reads the unit cost of the items with the ids, or of every
// item when ids is nil.
func (tx *txn) itemCosts(ctx context.Context, ids []any) (map[int64]int64, error) {
	costs := make(map[int64]int64)
	read := func(q string, args []any) error {
		return tx.Each(ctx, q, args, func(rows *sql.Rows) error {
			var id, cost int64
			if err := rows.Scan(&id, &cost); err != nil {
				return err
			}
			costs[id] = cost
			return nil
		})
	}
	const q = "SELECT id, unit_cost FROM items"
	if ids == nil {
		if err := read(q, nil); err != nil {
			return nil, fmt.Errorf("stock rollup: unit costs: %w", err)
		}
		return costs, nil
	}
	for len(ids) > 0 {
		chunk := ids[:min(len(ids), 1000)]
		ids = ids[len(chunk):]
		in, args := tx.db.engine.inList("id", "bigint", chunk, nil)
		if err := read(q+" WHERE "+in, args); err != nil {
			return nil, fmt.Errorf("stock rollup: unit costs: %w", err)
		}
	}
	return costs, nil
}

// FoldStock adds every pending stock delta to stock_rollup, oldest first,
// stockFoldBatch deltas a transaction (FoldReports folds these and the
// order rollups' deltas).
func (db *Reports) FoldStock(ctx context.Context) error {
	for {
		var n int
		if err := db.fold(ctx, func(tx *txn) (err error) { n, err = tx.foldStockDeltas(ctx, stockFoldBatch); return err }); err != nil {
			return fmt.Errorf("fold stock rollup: %w", err)
		}
		if n < stockFoldBatch {
			return nil
		}
	}
}

// foldStockDeltas folds up to limit pending deltas, oldest first, and
// returns how many. On PostgreSQL it locks the rows it takes; a fold in
// another process meanwhile waits for them and then finds them gone, so
// the deltas of one balance reach the table in the order they were made.
func (tx *txn) foldStockDeltas(ctx context.Context, limit int) (int, error) {
	q := "DELETE FROM stock_pending WHERE id IN (SELECT id FROM stock_pending ORDER BY id LIMIT $1" +
		tx.db.engine.forUpdate + ") RETURNING id, delta"
	sum, n, err := tx.sumStockDeltas(ctx, q, limit)
	if err != nil || n == 0 {
		return n, err
	}
	return n, tx.writeStockRows(ctx, sum)
}

// pendingStock is the sum of the pending stock deltas the transaction
// sees, read once.
func (tx *txn) pendingStock(ctx context.Context) (*stockRolls, error) {
	if tx.stockSeen == nil {
		sum, _, err := tx.sumStockDeltas(ctx, "SELECT id, delta FROM stock_pending")
		if err != nil {
			return nil, err
		}
		tx.stockSeen = sum
	}
	return tx.stockSeen, nil
}

// sumStockDeltas sums, in id order, the encoded deltas a query returns as
// (id, delta), and counts them.
func (tx *txn) sumStockDeltas(ctx context.Context, q string, args ...any) (*stockRolls, int, error) {
	type pending struct {
		id    int64
		delta []byte
	}
	var ps []pending
	err := tx.Each(ctx, q, args, func(rows *sql.Rows) error {
		var p pending
		if err := rows.Scan(&p.id, &p.delta); err != nil {
			return err
		}
		ps = append(ps, p)
		return nil
	})
	if err != nil {
		return nil, 0, err
	}
	slices.SortFunc(ps, func(a, b pending) int { return cmp.Compare(a.id, b.id) })
	sum := newStockRolls()
	for _, p := range ps {
		if err := sum.addEncoded(p.delta); err != nil {
			return nil, 0, fmt.Errorf("stock_pending %d: %w", p.id, err)
		}
	}
	return sum, len(ps), nil
}

const (
	// upsertStockLevels sets the levels of the rows a fold writes whose
	// movements only reserved or released units, which add nothing to the
	// sums. Naming no column of stock_rollup_day, it leaves that index
	// alone (SQLite rewrites an index entry whenever an update names one of
	// its columns, changed or not). No item has id 0: that leaves out the
	// rows that pad the statement (sqldb.PadRows).
	upsertStockLevels = `
INSERT INTO stock_rollup (item_id, location_id, span, day, next_day, on_hand, reserved, unit_cost, net, unit_days,
    received, shipped, cogs)
SELECT v.item_id, v.location_id, v.span, v.day, v.next_day, v.on_hand, v.reserved, v.unit_cost, v.net, v.unit_days,
    v.received, v.shipped, v.cogs
FROM %s
WHERE v.item_id <> 0
ON CONFLICT (item_id, location_id, span, day) DO UPDATE SET
    on_hand = excluded.on_hand, reserved = excluded.reserved, unit_cost = excluded.unit_cost`
	// upsertStockSums adds the sums too. The cost of goods shipped is NULL
	// — refused by its column — when it would pass 64 bits, rather than
	// wrapping around (or, on SQLite, turning into floating point).
	upsertStockSums = upsertStockLevels + `, net = stock_rollup.net + excluded.net,
    unit_days = stock_rollup.unit_days + excluded.unit_days, received = stock_rollup.received + excluded.received,
    shipped = stock_rollup.shipped + excluded.shipped,
    cogs = CASE WHEN excluded.cogs <= 9223372036854775807 - stock_rollup.cogs THEN stock_rollup.cogs + excluded.cogs END`
)

// stockFoldCols are the columns of the rows a fold writes.
var stockFoldCols = append(stockRollupCols[:len(stockRollupCols):len(stockRollupCols)],
	column{"cogs", "bigint"}, column{"unit_cost", "bigint"})

// stockFoldChunk is how many rows one statement of a fold writes, within
// SQLite's limit on parameters.
const stockFoldChunk = 1024

// writeStockRows adds the rows to stock_rollup, in key order: the rows
// whose movements only reserved or released units by one statement, the
// others by another.
func (tx *txn) writeStockRows(ctx context.Context, s *stockRolls) error {
	var levels, sums [][]any
	for _, k := range s.keys() {
		r := s.rows[k]
		row := []any{k.item, k.location, k.span, k.day, r.next, r.onHand, r.reserved, r.net, r.unitDays,
			r.received, r.shipped, r.cogs, r.cost}
		if r.net == 0 && r.unitDays == 0 && r.received == 0 && r.shipped == 0 && r.cogs == 0 {
			levels = append(levels, row)
		} else {
			sums = append(sums, row)
		}
	}
	filler := []any{int64(0), int64(0), spanDay, int64(0), int64(0), int64(0), int64(0), int64(0), int64(0),
		int64(0), int64(0), int64(0), int64(0)}
	for _, part := range []struct {
		q    string
		rows [][]any
	}{{upsertStockLevels, levels}, {upsertStockSums, sums}} {
		for _, chunk := range chunks(part.rows, stockFoldChunk) {
			table, args := tx.db.engine.rowTable(stockFoldCols, sqldb.PadRows(tx.db.engine.name, chunk, filler), nil, "v")
			if _, err := tx.ExecContext(ctx, fmt.Sprintf(part.q, table), args...); err != nil {
				return tx.foldFailed(err)
			}
		}
	}
	return nil
}

// keys returns the rows' keys in key order, so that folds lock rows in
// one order.
func (s *stockRolls) keys() []stockKey {
	keys := make([]stockKey, 0, len(s.rows))
	for k := range s.rows {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b stockKey) int {
		return cmp.Or(cmp.Compare(a.item, b.item), cmp.Compare(a.location, b.location), cmp.Compare(a.span, b.span),
			cmp.Compare(a.day, b.day))
	})
	return keys
}

// encode lays the rows out compactly: integers as varints, a row's span
// as a byte, and its sums as a bitmap of the non-zero ones followed by
// their values (a zero bitmap: levels alone). The next day is not kept:
// the span and day give it.
func (s *stockRolls) encode() []byte {
	b := binary.AppendUvarint([]byte{stockDeltaFormat}, uint64(len(s.rows)))
	for k, r := range s.rows {
		span := byte(0)
		if k.span == spanMonth {
			span = 1
		}
		b = append(appendInts(b, k.item, k.location, k.day), span)
		b = appendInts(b, r.onHand, r.reserved, r.cost)
		if sums := [...]int64{r.net, r.unitDays, r.received, r.shipped, r.cogs}; sums == [5]int64{} {
			b = append(b, 0) // levels alone
		} else {
			b = appendSparse(b, sums[:])
		}
	}
	return b
}

// addEncoded adds a delta encode wrote to s: its levels replace those of
// the rows s holds, its sums add to theirs. On an error s holds part of it
// and is to be thrown away.
func (s *stockRolls) addEncoded(b []byte) error {
	if len(b) == 0 || b[0] != stockDeltaFormat {
		return errDelta
	}
	r := &deltaReader{b: b[1:]}
	for range r.count() {
		k := stockKey{item: r.int(), location: r.int(), day: r.int()}
		switch r.uint() {
		case 0:
			k.span = spanDay
		case 1:
			k.span = spanMonth
		default:
			return errDelta
		}
		onHand, reserved, cost := r.int(), r.int(), r.int()
		var sums [5]int64
		if len(r.b) > 0 && r.b[0] == 0 {
			r.b = r.b[1:] // levels alone
		} else if !r.addSparse(sums[:]) {
			return errDelta
		}
		if r.err != nil {
			return errDelta
		}
		row := s.rows[k]
		if row == nil {
			row = &stockRoll{next: k.day + 1}
			if k.span == spanMonth {
				_, row.next = monthSpan(k.day)
			}
			s.rows[k] = row
		}
		row.onHand, row.reserved, row.cost = onHand, reserved, cost
		row.net += sums[0]
		row.unitDays += sums[1]
		row.received += sums[2]
		row.shipped += sums[3]
		row.cogs += sums[4]
	}
	if r.err != nil || len(r.b) != 0 {
		return errDelta
	}
	return nil
}

// dayLevels are a balance's levels at the close of a day.
type dayLevels struct{ day, onHand, reserved, cost int64 }

// after reports whether these levels, pending, close a day no earlier than
// the folded row of day (NULL: none), and so stand in for it.
func (l dayLevels) after(day sql.NullInt64) bool { return !day.Valid || l.day >= day.Int64 }

// latestDays returns, per balance, the levels of its latest day row on or
// before day d.
func (s *stockRolls) latestDays(d int64) map[[2]int64]dayLevels {
	out := make(map[[2]int64]dayLevels)
	for k, r := range s.rows {
		if k.span != spanDay || k.day > d {
			continue
		}
		b := [2]int64{k.item, k.location}
		if l, ok := out[b]; !ok || k.day > l.day {
			out[b] = dayLevels{k.day, r.onHand, r.reserved, r.cost}
		}
	}
	return out
}
