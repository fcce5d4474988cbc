package reports

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/store"
)

// Check runs the checks of the stock rollup and the order rollups in tx:
// the store's Check calls it in its snapshot.
func (db *Reports) Check(ctx context.Context, stx *store.Tx, r *oms.CheckReport) error {
	tx := db.wrap(stx)
	for _, c := range stockChecks {
		if err := tx.Violations(ctx, r, c.name, c.query); err != nil {
			return err
		}
	}
	if err := tx.checkStockLevels(ctx, r); err != nil {
		return err
	}
	return tx.checkRollups(ctx, r)
}

// CheckReports adds to r what is wrong with the report rollups, read in
// one snapshot: the checks `oms check` runs on them.
func (db *Reports) CheckReports(ctx context.Context, r *oms.CheckReport) error {
	return db.db.Snapshot(ctx, true, func(tx *store.Tx) error { return db.Check(ctx, tx, r) })
}

// checkRollupsUpTo is the most orders checkRollups recomputes the rollups
// of in memory; above it the check is left to `oms reports rebuild`.
const checkRollupsUpTo = 200_000

// checkRollups verifies that the report rollups, at every grain, with the
// pending deltas, equal the sum of every order's contribution — what a
// rebuild would write — and that every order with units waiting for stock
// is marked backordered.
func (tx *txn) checkRollups(ctx context.Context, r *oms.CheckReport) error {
	var lo, hi, n int64
	if err := tx.QueryRowContext(ctx, "SELECT COALESCE(MIN(seq), 1) - 1, COALESCE(MAX(seq), 0), COUNT(*) FROM orders").Scan(&lo, &hi, &n); err != nil {
		return err
	}
	if n > checkRollupsUpTo {
		return nil
	}
	want := newDelta()
	for from := lo; from < hi; from += rebuildChunk {
		fs, err := tx.loadFacts(ctx, seqRange(from, min(from+rebuildChunk, hi)))
		if err != nil {
			return err
		}
		for _, f := range fs {
			if f.open && !f.Backordered {
				r.Violations = append(r.Violations, fmt.Sprintf("order %d: units wait for stock, but it is not marked backordered", f.seq))
			}
			want.add(f, 1)
		}
	}
	// What is still pending is not in the tables yet.
	pending, err := tx.pendingDelta(ctx)
	if err != nil {
		return err
	}
	want.merge(pending, -1)
	gs, err := tx.rolled(ctx, "")
	if err != nil {
		return err
	}
	for _, t := range rollupTables(want, gs) {
		got, err := tx.rollupSums(ctx, t.table, t.keys, t.measures)
		if err != nil {
			return err
		}
		for k, v := range t.want {
			if g := got[k]; g != v {
				r.Violations = append(r.Violations, fmt.Sprintf("%s %s: %s, but the orders sum to %s", t.table, k, g, v))
			}
			delete(got, k)
		}
		for k, g := range got {
			r.Violations = append(r.Violations, fmt.Sprintf("%s %s: %s, but no order contributes to it", t.table, k, g))
		}
	}
	return nil
}

// rollupTable is one rollup table's expected sums, as text by key text.
type rollupTable struct {
	table    string
	keys     []string
	measures []string
	want     map[string]string
}

// rollupTables lays out the delta at the grains of gs as rollupSums reads
// the tables: zero rows left out.
func rollupTables(d *rollupDelta, gs grainSet) []rollupTable {
	sales := rollupTable{"rollup_sales", []string{"grain", "day", "channel_id", "item_id", "location_id", "currency", "base_currency"}, salesMeasures, map[string]string{}}
	acc := map[string]salesVals{}
	for k, v := range d.sales {
		ks, ng := gs.keys(k.day)
		for _, g := range ks[:ng] {
			id := keyText(g[0], g[1], k.channel, k.item, k.location, k.currency, k.base)
			a := acc[id]
			for i := range v {
				a[i] += v[i]
			}
			acc[id] = a
		}
	}
	for id, v := range acc {
		if v != (salesVals{}) {
			sales.want[id] = fmt.Sprint(v[:])
		}
	}
	cycles := rollupTable{"rollup_cycles", []string{"grain", "day", "channel_id", "location_id", "kind"}, bucketCols, map[string]string{}}
	for _, row := range cycleRows(d.cycles, 0, gs) {
		counts := make([]int64, 0, len(bucketCols))
		for _, v := range row[6:] {
			counts = append(counts, v.(int64))
		}
		cycles.want[keyText(row[:5]...)] = fmt.Sprint(counts)
	}
	returns := rollupTable{"rollup_returns", []string{"grain", "day", "channel_id", "item_id", "reason"}, []string{"units"}, map[string]string{}}
	for _, row := range counterRows(d.returns, 0, gs, func(k returnKey) []any { return []any{k.day, k.channel, k.item, k.reason} }) {
		returns.want[keyText(row[:5]...)] = fmt.Sprint([]int64{row[6].(int64)})
	}
	return []rollupTable{sales, cycles, returns}
}

// rollupSums reads a rollup table summed over shards, leaving out rows
// whose sums are all zero.
func (tx *txn) rollupSums(ctx context.Context, table string, keys, measures []string) (map[string]string, error) {
	q := fmt.Sprintf("SELECT %s, %s FROM %s GROUP BY %s", strings.Join(keys, ", "), sumsOf(measures), table, strings.Join(keys, ", "))
	out := map[string]string{}
	err := tx.Each(ctx, q, nil, func(rows *sql.Rows) error {
		vals := make([]any, len(keys)+len(measures))
		ptrs := make([]any, len(vals))
		for i := range vals {
			if i < len(keys) && (keys[i] == "currency" || keys[i] == "base_currency" || keys[i] == "kind" || keys[i] == "reason") {
				vals[i] = new(string)
			} else {
				vals[i] = new(int64)
			}
			ptrs[i] = vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return err
		}
		key := make([]any, len(keys))
		for i := range keys {
			key[i] = deref(vals[i])
		}
		ms := make([]int64, len(measures))
		zero := true
		for i := range measures {
			ms[i] = *vals[len(keys)+i].(*int64)
			zero = zero && ms[i] == 0
		}
		if !zero {
			out[keyText(key...)] = fmt.Sprint(ms)
		}
		return nil
	})
	return out, err
}

// keyText writes a rollup row's key as the checker names it: its columns
// separated by spaces, strings (a currency and a base currency) included.
func keyText(key ...any) string { return strings.TrimSuffix(fmt.Sprintln(key...), "\n") }

func deref(v any) any {
	switch v := v.(type) {
	case *string:
		return *v
	case *int64:
		return *v
	}
	return v
}
