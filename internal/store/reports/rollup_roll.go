package reports

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"github.com/omshq/oms"
)

// Week and month rows of the order rollups hold the days before a
// watermark, rollup_state.rolled_until: a fold adds a change on such a day
// at every grain, and a change on a later day — today's orders, nearly
// every change a fold carries — to its day row alone. The first fold of a
// new UTC day first rolls the days before it up (rollTo), so that they reach
// their week and month rows once. So a fold writes about a third of the
// rows it would write at every grain. Reports read week and month rows for the days before the
// watermark and day rows after it (oms.RollupCover), and lay pending deltas
// out by the same watermark, read in the same transaction.

// rolled reads the watermark with the row-lock suffix lock (the engine's:
// empty on SQLite). A fold takes forShare, so that a roll (forUpdate) cannot
// move the watermark between a fold's reading it and its commit.
func (tx *txn) rolled(ctx context.Context, lock string) (grainSet, error) {
	var gs grainSet
	err := tx.QueryRowContext(ctx, "SELECT rolled_until FROM rollup_state WHERE id = 1"+lock).Scan(&gs.rolled)
	return gs, err
}

// rollReports rolls the days before today up into their week and month
// rows, when the watermark is behind.
func (db *Reports) rollReports(ctx context.Context) error {
	today := oms.EpochDay(oms.DayOf(db.db.Now()))
	var rolled int64
	if err := db.db.QueryRow(ctx, "SELECT rolled_until FROM rollup_state WHERE id = 1").Scan(&rolled); err != nil || rolled >= today {
		return err
	}
	return db.update(ctx, func(tx *txn) error { return tx.rollTo(ctx, today) })
}

// Roll moves the rollups' watermark to the day holding t (never back): the
// days before it go to their week and month rows at the next fold. The
// background folder rolls as each day ends; a test or a benchmark that
// jumps ahead in time rolls ahead with it.
func (db *Reports) Roll(ctx context.Context, t time.Time) error {
	return db.update(ctx, func(tx *txn) error { return tx.rollTo(ctx, oms.EpochDay(oms.DayOf(t))) })
}

// rollTo moves the watermark to day (never back), turning the day rows of
// the days it passes into a pending delta: it deletes them and journals
// their sum, which, being now before the watermark, the next fold adds at
// every grain — in slices on SQLite, so that a day of many keys does not
// hold the writer at midnight. Tables plus pending deltas stay the same sum
// at the commit. A roll of a day of 20,000 orders on 1,000 SKUs wrote its
// 30,000 week and month rows in one transaction in 0.55 s; this way the
// roll's own transaction reads and deletes 10,000 day rows.
func (tx *txn) rollTo(ctx context.Context, day int64) error {
	gs, err := tx.rolled(ctx, tx.db.engine.forUpdate)
	if err != nil || gs.rolled >= day {
		return err
	}
	d, err := tx.dayRows(ctx, gs.rolled, day)
	if err != nil {
		return err
	}
	for _, t := range []string{"rollup_sales", "rollup_cycles", "rollup_returns"} {
		if _, err := tx.ExecContext(ctx, "DELETE FROM "+t+" WHERE grain = $1 AND day >= $2 AND day < $3", int64(oms.GrainDay), gs.rolled, day); err != nil {
			return err
		}
	}
	if err := tx.journalDelta(ctx, d); err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, "UPDATE rollup_state SET rolled_until = $1 WHERE id = 1", day)
	return err
}

// dayRows reads the day rows of the days in [from, to) of every order
// rollup table, summed over shards, as a delta.
func (tx *txn) dayRows(ctx context.Context, from, to int64) (*rollupDelta, error) {
	d := newDelta()
	span := " WHERE grain = $1 AND day >= $2 AND day < $3 GROUP BY "
	args := []any{int64(oms.GrainDay), from, to}
	err := tx.Each(ctx, "SELECT day, channel_id, item_id, location_id, currency, base_currency, "+sumsOf(salesMeasures)+
		" FROM rollup_sales"+span+"day, channel_id, item_id, location_id, currency, base_currency", args, func(rows *sql.Rows) error {
		var k salesKey
		var v salesVals
		ptrs := []any{&k.day, &k.channel, &k.item, &k.location, &k.currency, &k.base}
		for i := range v {
			ptrs = append(ptrs, &v[i])
		}
		if err := rows.Scan(ptrs...); err != nil {
			return err
		}
		if v != (salesVals{}) {
			d.sales[k] = v
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = tx.Each(ctx, "SELECT day, channel_id, location_id, kind, "+sumsOf(bucketCols)+
		" FROM rollup_cycles"+span+"day, channel_id, location_id, kind", args, func(rows *sql.Rows) error {
		var k cycleKey
		counts := make([]int64, len(bucketCols))
		ptrs := []any{&k.day, &k.channel, &k.location, &k.kind}
		for i := range counts {
			ptrs = append(ptrs, &counts[i])
		}
		if err := rows.Scan(ptrs...); err != nil {
			return err
		}
		for i, n := range counts {
			if n != 0 {
				k.hours = oms.HourBuckets[i]
				d.cycles[k] = n
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = tx.Each(ctx, "SELECT day, channel_id, item_id, reason, SUM(units) FROM rollup_returns"+span+"day, channel_id, item_id, reason",
		args, func(rows *sql.Rows) error {
			var k returnKey
			var n int64
			if err := rows.Scan(&k.day, &k.channel, &k.item, &k.reason, &n); err != nil {
				return err
			}
			if n != 0 {
				d.returns[k] = n
			}
			return nil
		})
	return d, err
}

// sumsOf is "SUM(a), SUM(b), …" over the columns, each cast to BIGINT:
// PostgreSQL sums bigints as numeric, and the cast makes a sum past 64 bits
// raise numeric_value_out_of_range (answered as oms.TooLarge) rather than
// fail to scan; SQLite raises its own integer overflow.
func sumsOf(cols []string) string {
	return "CAST(SUM(" + strings.Join(cols, ") AS BIGINT), CAST(SUM(") + ") AS BIGINT)"
}
