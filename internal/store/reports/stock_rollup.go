package reports

import (
	"context"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/omshq/oms"
)

// The stock rollup (table stock_rollup) keeps, per (item, location), a row
// per UTC day and per calendar month in which the ledger moved it; stockout
// spells record when an item had no unreserved unit at a location. Spells
// are written in the transaction of the movement, after its balance row was
// locked, so they add no lock another transaction could wait on first. What
// the movements add to the rollup is journalled in that transaction and
// folded into stock_rollup soon after (stock_journal.go). A month row's
// levels (on_hand, reserved, unit_cost) are those of its last movement that
// changed on hand: reservations and releases add to the day row only, and
// no report reads a month's levels.

const (
	// startSpells opens stockout spells; one that started and ended at the
	// same moment is open again.
	startSpells = `
INSERT INTO stockout_spells (item_id, location_id, started_at, ended_at)
SELECT v.item_id, v.location_id, v.started_at, NULL FROM %s
WHERE true
ON CONFLICT (item_id, location_id, started_at) DO UPDATE SET ended_at = NULL`
	endSpell = `
UPDATE stockout_spells SET ended_at = $3
WHERE item_id = $1 AND location_id = $2 AND ended_at IS NULL`
)

var (
	stockRollupCols = []column{{"item_id", "bigint"}, {"location_id", "bigint"}, {"span", "text"}, {"day", "bigint"},
		{"next_day", "bigint"}, {"on_hand", "bigint"}, {"reserved", "bigint"}, {"net", "bigint"}, {"unit_days", "bigint"},
		{"received", "bigint"}, {"shipped", "bigint"}}
	spellCols = []column{{"item_id", "bigint"}, {"location_id", "bigint"}, {"started_at", "timestamptz"}}
)

// The rollup spans.
const (
	spanDay   = "day"
	spanMonth = "month"
)

// epochDay is the UTC day holding t, as days since 1970-01-01.
func epochDay(t time.Time) int64 {
	s := t.Unix()
	d := s / 86400
	if s%86400 < 0 {
		d--
	}
	return d
}

// dayTime is the midnight (UTC) starting day d.
func dayTime(d int64) time.Time { return time.Unix(d*86400, 0).UTC() }

// monthSpan returns the first day of the month holding day d and the first
// day of the next.
func monthSpan(d int64) (first, next int64) {
	t := dayTime(d)
	m := time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC)
	return epochDay(m), epochDay(m.AddDate(0, 1, 0))
}

// stockKey names a rollup row.
type stockKey struct {
	item, location int64
	span           string
	day            int64
}

// stockRoll is what movements add to a rollup row.
type stockRoll struct {
	next                                   int64
	onHand, reserved, cost                 int64 // after the last movement; cost is the item's unit cost then
	net, unitDays, received, shipped, cogs int64
}

// stockMove is a ledger movement as the rollup reads it.
type stockMove struct {
	item, location             int64
	kind                       string
	delta, reservedDelta       int64
	onHandAfter, reservedAfter int64
	at                         time.Time
	cost                       int64 // the item's unit cost when it moved
}

// free is the unreserved stock before and after the movement.
func (m stockMove) free() (before, after int64) {
	after = m.onHandAfter - m.reservedAfter
	return after - m.delta + m.reservedDelta, after
}

// stockRolls accumulates movements, in the order they happened, into
// rollup rows and spell changes.
type stockRolls struct {
	rows   map[stockKey]*stockRoll
	starts [][]any // item, location, started_at
	ends   [][]any // item, location, ended_at
	// tooLarge is set when the cost of the units a row shipped passes 64
	// bits.
	tooLarge bool
}

func newStockRolls() *stockRolls { return &stockRolls{rows: make(map[stockKey]*stockRoll)} }

// add folds one movement into its day row and, when it changes on hand,
// its month row, and opens or ends a stockout spell when it takes the last
// unreserved unit or brings one back.
func (s *stockRolls) add(m stockMove) {
	day := epochDay(m.at)
	s.fold(stockKey{m.item, m.location, spanDay, day}, day+1, day, m)
	if m.delta != 0 {
		// A movement that only reserves or releases units adds nothing to
		// the month's sums, and a month's levels are read by nothing (the
		// closing state of a past day comes from day rows): the month row
		// is left alone, which halves what order placement writes here.
		first, next := monthSpan(day)
		s.fold(stockKey{m.item, m.location, spanMonth, first}, next, day, m)
	}
	before, after := m.free()
	switch {
	case before > 0 && after <= 0:
		s.starts = append(s.starts, []any{m.item, m.location, m.at})
	case before <= 0 && after > 0:
		s.ends = append(s.ends, []any{m.item, m.location, m.at})
	}
}

func (s *stockRolls) fold(k stockKey, next, day int64, m stockMove) {
	r := s.rows[k]
	if r == nil {
		r = &stockRoll{next: next}
		s.rows[k] = r
	}
	r.onHand, r.reserved, r.cost = m.onHandAfter, m.reservedAfter, m.cost
	r.net += m.delta
	r.unitDays += m.delta * (next - day)
	if m.delta > 0 && (m.kind == oms.MoveReceive || m.kind == oms.MoveReturn) {
		r.received += m.delta
	}
	if m.kind == oms.MoveShip {
		r.shipped -= m.delta
		cogs, ok := mulFits(-m.delta, m.cost)
		if r.cogs, ok = addFits(r.cogs, cogs, ok); !ok {
			s.tooLarge = true
		}
	}
}

// mulFits returns a × b and whether it fits in 64 bits.
func mulFits(a, b int64) (int64, bool) {
	if a == 0 || b == 0 {
		return 0, true
	}
	p := a * b
	return p, p/b == a && !(a == -1 && b == math.MinInt64) && !(b == -1 && a == math.MinInt64)
}

// addFits returns a + b and whether it fits in 64 bits and ok holds.
func addFits(a, b int64, ok bool) (int64, bool) {
	c := a + b
	return c, ok && (c > a) == (b > 0)
}

// foldFailed is the error of a stock rollup write: the cost of goods
// shipped past 64 bits (the only value the upserts can make NULL) is
// refused as oms.TooLarge.
func (tx *txn) foldFailed(err error) error {
	if tx.db.engine.notNull(err) {
		return cogsTooLarge()
	}
	return fmt.Errorf("stock rollup: %w", err)
}

// writeSpells ends spells, then opens spells. A transaction's movements
// either each write their own changes (tx.apply) or only take stock (a
// placement batch), so the ends never belong after the starts.
func (tx *txn) writeSpells(ctx context.Context, s *stockRolls) error {
	for _, e := range s.ends {
		if _, err := tx.ExecContext(ctx, endSpell, e...); err != nil {
			return fmt.Errorf("stockout spell: %w", err)
		}
	}
	if len(s.starts) == 0 {
		return nil
	}
	table, args := tx.db.engine.rowTable(spellCols, s.starts, nil, "v")
	if _, err := tx.ExecContext(ctx, fmt.Sprintf(startSpells, table), args...); err != nil {
		return fmt.Errorf("stockout spell: %w", err)
	}
	return nil
}

const selectLedgerForRollup = `
SELECT item_id, location_id, kind, delta, reserved_delta, on_hand_after, reserved_after, created_at
FROM ledger ORDER BY id`

// rebuildStock recomputes the stock rollup and the stockout spells from the
// ledger, and drops the pending deltas, which the ledger holds too. The
// rows are written as a fold writes them (writeStockRows). The ledger
// keeps no unit cost, so the rebuilt rows value the units shipped at each
// item's current cost. Backorder counts record the state of an
// order when it was placed, which no other table keeps: they are left as
// they are. On PostgreSQL it first locks the tables against writers: a
// transaction moving stock meanwhile waits to journal its delta until the
// rebuild, which did not see its movements, has committed.
func (tx *txn) rebuildStock(ctx context.Context) error {
	tables := []string{"stock_rollup", "stockout_spells", "stock_pending"}
	if tx.db.engine.name == "postgres" {
		if _, err := tx.ExecContext(ctx, "LOCK TABLE "+strings.Join(tables, ", ")+" IN EXCLUSIVE MODE"); err != nil {
			return err
		}
	}
	for _, table := range tables {
		if _, err := tx.ExecContext(ctx, "DELETE FROM "+table); err != nil {
			return err
		}
	}
	costs, err := tx.itemCosts(ctx, nil)
	if err != nil {
		return err
	}
	rolls := newStockRolls()
	rows, err := tx.QueryContext(ctx, selectLedgerForRollup)
	if err != nil {
		return err
	}
	defer rows.Close()
	var spells spellLog
	for rows.Next() {
		var m stockMove
		if err := rows.Scan(&m.item, &m.location, &m.kind, &m.delta, &m.reservedDelta, &m.onHandAfter,
			&m.reservedAfter, &m.at); err != nil {
			return err
		}
		m.at, m.cost = m.at.UTC(), costs[m.item]
		rolls.add(m)
		spells.add(m)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if err := rows.Close(); err != nil {
		return err
	}
	return tx.writeRebuiltStock(ctx, rolls, spells.rows)
}

// spellLog rebuilds stockout spells from movements in ledger order, as
// writeSpells would have written them.
type spellLog struct {
	rows [][]any          // item, location, started_at, ended_at (nil while open)
	last map[[2]int64]int // the index of each pair's latest spell
}

func (l *spellLog) add(m stockMove) {
	if l.last == nil {
		l.last = make(map[[2]int64]int)
	}
	p := [2]int64{m.item, m.location}
	i, seen := l.last[p]
	before, after := m.free()
	switch {
	case before > 0 && after <= 0:
		if seen && l.endedAt(i, m.at) {
			l.rows[i][3] = nil // ended and started again at one moment: one spell, open
			return
		}
		l.last[p] = len(l.rows)
		l.rows = append(l.rows, []any{m.item, m.location, m.at, nil})
	case before <= 0 && after > 0 && seen && l.rows[i][3] == nil:
		l.rows[i][3] = m.at
	}
}

// endedAt reports whether spell i ended at t.
func (l *spellLog) endedAt(i int, t time.Time) bool {
	end, ok := l.rows[i][3].(time.Time)
	return ok && end.Equal(t)
}

// writeRebuiltStock writes the rebuilt rollup rows and inserts the spells,
// in chunks within SQLite's parameter limit.
func (tx *txn) writeRebuiltStock(ctx context.Context, rolls *stockRolls, spells [][]any) error {
	if rolls.tooLarge {
		return cogsTooLarge()
	}
	if err := tx.writeStockRows(ctx, rolls); err != nil {
		return err
	}
	for _, chunk := range chunks(spells, 5000) {
		if err := tx.insertRows(ctx, "stockout_spells", spellRowCols, chunk); err != nil {
			return err
		}
	}
	return nil
}

var spellRowCols = append(spellCols[:len(spellCols):len(spellCols)], column{"ended_at", "timestamptz"})

// chunks splits rows into slices of at most n.
func chunks(rows [][]any, n int) [][][]any {
	var out [][][]any
	for len(rows) > 0 {
		k := min(n, len(rows))
		out = append(out, rows[:k])
		rows = rows[k:]
	}
	return out
}
