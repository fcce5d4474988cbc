package reports

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"maps"
	"math/big"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/fx"
	"github.com/omshq/oms/internal/store"
)

// Report rollups are kept as orders change, from the store's change feed
// (store.FeedReader). When a transaction puts an order on the feed, before
// changing it, the order's contribution before is recorded
// (OrderChanging); as the transaction ends, the contribution after is read
// back and the difference is recorded for the rollups (Publish, which
// journals it: see rollup_journal.go). Placement, whose "before" is empty,
// adds the contributions of a batch's orders from memory (OrdersPlaced).
// oms.Contribute is pure, so the rollups always equal the sum over all
// orders — what RebuildReports computes from scratch.

// facts is an order's oms.OrderFacts with what converting it to the base
// currency needs.
type facts struct {
	oms.OrderFacts
	seq   int64
	base  string     // the order's base currency; its own when none was set
	rate  *big.Rat   // nil: no rate for the order's date yet
	open  bool       // some line of a known item has units waiting for stock
	costs []lineCost // each line's unit cost as recorded
}

// convertCosts sets each line's unit cost in the base currency, where it
// can be converted: as it is in the base currency, at the order's rate in
// the order's own.
func (f *facts) convertCosts() {
	for i := range f.Lines {
		c := f.costs[i]
		l := &f.Lines[i]
		switch {
		case c.currency == f.base || c.unitCost == 0:
			l.UnitCost, l.CostKnown = c.unitCost, true
		case c.currency == f.Currency && f.rate != nil:
			l.UnitCost, l.CostKnown = f.toBase(c.unitCost), true
		default:
			l.UnitCost, l.CostKnown = 0, false
		}
	}
}

// salesKey is a rollup_sales row's key but for the grain and shard:
// currency is the orders' own, base the base currency their base_ amounts
// and cost are in (the one they were placed under; their own when none was
// set), so that a report never adds amounts of two base currencies.
type salesKey struct {
	day                     int64
	channel, item, location int64
	currency, base          string
}

// salesVals are rollup_sales's measures, in salesMeasures order.
type salesVals [29]int64

type cycleKey struct {
	day               int64
	channel, location int64
	kind              string
	hours             int64
}

type returnKey struct {
	day           int64
	channel, item int64
	reason        string
}

// rollupDelta is an amount to add to the rollups.
type rollupDelta struct {
	sales   map[salesKey]salesVals
	cycles  map[cycleKey]int64
	returns map[returnKey]int64
}

func newDelta() *rollupDelta {
	return &rollupDelta{sales: map[salesKey]salesVals{}, cycles: map[cycleKey]int64{}, returns: map[returnKey]int64{}}
}

// add adds the order's contribution times sign (+1 or −1).
func (d *rollupDelta) add(f *facts, sign int64) {
	c := oms.Contribute(f.OrderFacts)
	for k, fig := range c.Sales {
		key := salesKey{oms.EpochDay(k.Day), k.Channel, k.Item, k.Location, f.Currency, f.base}
		v := d.sales[key]
		for i, x := range f.values(fig) {
			v[i] += sign * x
		}
		d.sales[key] = v
	}
	for k, n := range c.Cycles {
		d.cycles[cycleKey{oms.EpochDay(k.Day), k.Channel, k.Location, k.Kind[:1], k.Hours}] += sign * n
	}
	for k, n := range c.Returns {
		d.returns[returnKey{oms.EpochDay(k.Day), k.Channel, k.Item, k.Reason}] += sign * n
	}
}

// values lays out a row's figures as rollup_sales's measures, converting
// its money to the base currency at the order's rate: each amount on its
// own, rounded half to even. Without a rate the base amounts are 0 and the
// row counts its orders as unconverted; its cost, though a unit cost in the
// base currency needs no rate, is left out too (and not counted missing),
// so that an unconverted order counts in neither its sales nor its cost.
func (f *facts) values(fig oms.SalesFigures) salesVals {
	v := salesVals{fig.Orders, fig.Units, fig.UnitsCancelled, fig.UnitsShipped, fig.UnitsReturned, fig.UnitsRestocked,
		fig.Gross, fig.Discounts, fig.Cancellations, fig.Returns, fig.Tax, fig.Shipping, fig.RefundReturn,
		fig.RefundManual, fig.RefundAppeasement, fig.Cost, fig.CostMissing, fig.Backordered, fig.Split}
	if f.rate == nil {
		v[15], v[16], v[19] = 0, 0, fig.Orders
		return v
	}
	for i, x := range v[6:15] {
		v[20+i] = f.toBase(x)
	}
	return v
}

// toBase converts an amount of the order's currency to its base currency.
func (f *facts) toBase(x int64) int64 {
	if x == 0 || f.Currency == f.base {
		return x
	}
	b, err := fx.ConvertAt(x, f.Currency, f.base, f.rate)
	if err != nil {
		return 0 // an amount too large to convert: oms refuses such orders
	}
	return b
}

// empty reports whether the delta changes nothing.
func (d *rollupDelta) empty() bool {
	return len(d.sales) == 0 && len(d.cycles) == 0 && len(d.returns) == 0
}

// The rollup tables' columns.
var (
	salesMeasures = []string{"orders", "units", "units_cancelled", "units_shipped", "units_returned", "units_restocked",
		"gross", "discounts", "cancellations", "returns", "tax", "shipping", "refund_return", "refund_manual",
		"refund_appeasement", "cost", "cost_missing", "backordered", "split", "unconverted",
		"base_gross", "base_discounts", "base_cancellations", "base_returns", "base_tax", "base_shipping",
		"base_refund_return", "base_refund_manual", "base_refund_appeasement"}
	salesKeyCols  = []column{{"grain", "bigint"}, {"day", "bigint"}, {"channel_id", "bigint"}, {"item_id", "bigint"}, {"location_id", "bigint"}, {"currency", "text"}, {"base_currency", "text"}, {"shard", "bigint"}}
	cycleKeyCols  = []column{{"grain", "bigint"}, {"day", "bigint"}, {"channel_id", "bigint"}, {"location_id", "bigint"}, {"kind", "text"}, {"shard", "bigint"}}
	returnRollCol = []column{{"grain", "bigint"}, {"day", "bigint"}, {"channel_id", "bigint"}, {"item_id", "bigint"}, {"reason", "text"}, {"shard", "bigint"}, {"units", "bigint"}}
)

// bucketCols are rollup_cycles's measures: hN counts the spans in the
// bucket of oms.HourBuckets starting at N hours.
var bucketCols = func() []string {
	out := make([]string, len(oms.HourBuckets))
	for i, h := range oms.HourBuckets {
		out[i] = "h" + strconv.FormatInt(h, 10)
	}
	return out
}()

// bucketIndex is the index of each bucket's lower bound.
var bucketIndex = func() map[int64]int {
	m := make(map[int64]int, len(oms.HourBuckets))
	for i, h := range oms.HourBuckets {
		m[h] = i
	}
	return m
}()

// cycleCols are rollup_cycles's key and measure columns.
var cycleCols = func() []column {
	cols := slices.Clone(cycleKeyCols)
	for _, b := range bucketCols {
		cols = append(cols, column{b, "bigint"})
	}
	return cols
}()

// salesCols are rollup_sales's key and measure columns.
var salesCols = func() []column {
	cols := slices.Clone(salesKeyCols)
	for _, m := range salesMeasures {
		cols = append(cols, column{m, "bigint"})
	}
	return cols
}()

// grainSet says which rollup rows a change on a day goes to. Week and month
// rows hold the days before the watermark, rolled (see rollup_roll.go): a
// change on such a day goes to its day, week and month rows, one on a later
// day to its day row alone, until a roll passes that day.
type grainSet struct {
	rolled int64 // epoch day
}

// keys returns the grain and key day of each row a change on day goes to,
// in the first n entries: an array, so that laying out a delta key by key
// allocates nothing.
func (s grainSet) keys(day int64) (out [3][2]int64, n int) {
	if day >= s.rolled {
		out[0] = [2]int64{int64(oms.GrainDay), day}
		return out, 1
	}
	t := oms.FromEpochDay(day)
	for i, g := range oms.Grains {
		out[i] = [2]int64{int64(g), oms.EpochDay(g.Key(t))}
	}
	return out, len(oms.Grains)
}

// rollupChunk is how many rows one statement of writeDelta upserts.
const rollupChunk = 512

// writeDelta adds the delta to the rollups, at the grains of gs, in
// statements of up to rollupChunk rows, rows in key order so that
// concurrent writers lock them in the same order.
func (tx *txn) writeDelta(ctx context.Context, d *rollupDelta, gs grainSet) error {
	if d.empty() {
		return nil
	}
	// Only folds and rebuilds write the rollups, seldom at once: one shard.
	const shard int64 = 0
	// Rows go out a chunk at a time, so that a large fold holds one
	// chunk's arguments in memory, not the whole fold's.
	rows := make([][]any, 0, rollupChunk)
	err := d.eachSalesRow(shard, gs, func(row []any) error {
		if rows = append(rows, row); len(rows) < rollupChunk {
			return nil
		}
		err := tx.upsertRollup(ctx, "rollup_sales", salesCols, len(salesKeyCols), rows)
		rows = rows[:0]
		return err
	})
	if err != nil {
		return err
	}
	return tx.upsertRows(ctx, tableRows{sales: rows, cycles: cycleRows(d.cycles, shard, gs), returns: returnRows(d.returns, shard, gs)})
}

// tableRows are rows to add to the order rollup tables.
type tableRows struct{ sales, cycles, returns [][]any }

// tableRows lays out the whole delta as writeDelta writes it.
func (d *rollupDelta) tableRows(shard int64, gs grainSet) tableRows {
	var r tableRows
	d.eachSalesRow(shard, gs, func(row []any) error { r.sales = append(r.sales, row); return nil })
	r.cycles, r.returns = cycleRows(d.cycles, shard, gs), returnRows(d.returns, shard, gs)
	return r
}

// upsertRows adds the rows to their tables.
func (tx *txn) upsertRows(ctx context.Context, r tableRows) error {
	if err := tx.upsertRollup(ctx, "rollup_sales", salesCols, len(salesKeyCols), r.sales); err != nil {
		return err
	}
	if err := tx.upsertRollup(ctx, "rollup_cycles", cycleCols, len(cycleKeyCols), r.cycles); err != nil {
		return err
	}
	return tx.upsertRollup(ctx, "rollup_returns", returnRollCol, 6, r.returns)
}

// eachSalesRow calls fn with the delta's rollup_sales rows, merged by key
// at the grains of gs, grain by grain and in key order within one, so that
// concurrent writers lock rows in one order. fn may keep the row.
func (d *rollupDelta) eachSalesRow(shard int64, gs grainSet, fn func(row []any) error) error {
	sales := map[int64]map[salesKey]salesVals{}
	for k, v := range d.sales {
		if v == (salesVals{}) {
			continue
		}
		ks, ng := gs.keys(k.day)
		for _, g := range ks[:ng] {
			gk := k
			gk.day = g[1]
			if sales[g[0]] == nil {
				sales[g[0]] = map[salesKey]salesVals{}
			}
			m := sales[g[0]]
			acc := m[gk]
			for i := range v {
				acc[i] += v[i]
			}
			m[gk] = acc
		}
	}
	for _, g := range oms.Grains {
		m := sales[int64(g)]
		for _, k := range sortedSalesKeys(m) {
			if err := fn(salesRow(make([]any, 0, len(salesCols)), [2]int64{int64(g), k.day}, k, shard, m[k])); err != nil {
				return err
			}
		}
	}
	return nil
}

// sortedSalesKeys returns m's keys in key order.
func sortedSalesKeys(m map[salesKey]salesVals) []salesKey {
	return slices.SortedFunc(maps.Keys(m), func(a, b salesKey) int {
		return cmp.Or(cmp.Compare(a.day, b.day), cmp.Compare(a.channel, b.channel), cmp.Compare(a.item, b.item),
			cmp.Compare(a.location, b.location), cmp.Compare(a.currency, b.currency), cmp.Compare(a.base, b.base))
	})
}

// returnRows lays out the returns delta at the grains of gs, as counterRows
// does.
func returnRows(m map[returnKey]int64, shard int64, gs grainSet) [][]any {
	return counterRows(m, shard, gs, func(k returnKey) []any { return []any{k.day, k.channel, k.item, k.reason} })
}

// salesRow appends to row[:0] the rollup_sales row of key k at grain g (g's
// key day) with its measures: the layout of salesCols.
func salesRow(row []any, g [2]int64, k salesKey, shard int64, v salesVals) []any {
	row = append(row[:0], g[0], g[1], k.channel, k.item, k.location, k.currency, k.base, shard)
	for _, x := range v {
		row = append(row, x)
	}
	return row
}

// cycleRows lays out the shipping-time delta at the grains of gs, in key
// order: grain, day, channel, location, kind, shard, then a count per
// bucket.
func cycleRows(m map[cycleKey]int64, shard int64, gs grainSet) [][]any {
	type key struct {
		grain, day, channel, location int64
		kind                          string
	}
	acc := map[key][]int64{}
	for k, n := range m {
		if n == 0 {
			continue
		}
		ks, ng := gs.keys(k.day)
		for _, g := range ks[:ng] {
			gk := key{g[0], g[1], k.channel, k.location, k.kind}
			if acc[gk] == nil {
				acc[gk] = make([]int64, len(bucketCols))
			}
			acc[gk][bucketIndex[k.hours]] += n
		}
	}
	keys := make([]key, 0, len(acc))
	for k, v := range acc {
		if slices.ContainsFunc(v, func(n int64) bool { return n != 0 }) {
			keys = append(keys, k)
		}
	}
	slices.SortFunc(keys, func(a, b key) int {
		return cmp.Or(cmp.Compare(a.grain, b.grain), cmp.Compare(a.day, b.day), cmp.Compare(a.channel, b.channel),
			cmp.Compare(a.location, b.location), cmp.Compare(a.kind, b.kind))
	})
	rows := make([][]any, len(keys))
	for i, k := range keys {
		row := []any{k.grain, k.day, k.channel, k.location, k.kind, shard}
		for _, n := range acc[k] {
			row = append(row, n)
		}
		rows[i] = row
	}
	return rows
}

// counterRows lays out a one-measure rollup's delta at the grains of gs, in
// key order: grain, the key's columns (day first), shard, count.
func counterRows[K comparable](m map[K]int64, shard int64, gs grainSet, cols func(K) []any) [][]any {
	acc := map[string][]any{}
	for k, n := range m {
		if n == 0 {
			continue
		}
		c := cols(k)
		ks, ng := gs.keys(c[0].(int64))
		for _, g := range ks[:ng] {
			row := append([]any{g[0], g[1]}, c[1:]...)
			id := fmt.Sprint(row...)
			if prev, ok := acc[id]; ok {
				prev[len(prev)-1] = prev[len(prev)-1].(int64) + n
				continue
			}
			acc[id] = append(row, shard, n)
		}
	}
	rows := make([][]any, 0, len(acc))
	for _, r := range acc {
		rows = append(rows, r)
	}
	slices.SortFunc(rows, func(a, b []any) int {
		for i := range len(a) - 2 {
			if c := compareAny(a[i], b[i]); c != 0 {
				return c
			}
		}
		return 0
	})
	return rows
}

func compareAny(a, b any) int {
	switch a := a.(type) {
	case int64:
		return cmp.Compare(a, b.(int64))
	case string:
		return cmp.Compare(a, b.(string))
	}
	return 0
}

// upsertRollup adds rows to a rollup table: the first nkey columns are the
// key, the rest are added to the row's measures. A sum past 64 bits is
// refused (oms.TooLarge): PostgreSQL raises it; SQLite, which would turn it
// into floating point, gets NULL, which the measure's column refuses.
func (tx *txn) upsertRollup(ctx context.Context, table string, cols []column, nkey int, rows [][]any) error {
	keys := make([]string, nkey)
	for i, c := range cols[:nkey] {
		keys[i] = c.name
	}
	sets := make([]string, 0, len(cols)-nkey)
	for _, c := range cols[nkey:] {
		sum := fmt.Sprintf("%s.%s + excluded.%s", table, c.name, c.name)
		if tx.db.engine.name == "sqlite" {
			sum = fmt.Sprintf("CASE WHEN typeof(%s) = 'integer' THEN %s END", sum, sum)
		}
		sets = append(sets, c.name+" = "+sum)
	}
	var err error
	if tx.db.engine.name == "postgres" && len(rows) > 0 {
		rows, err = tx.updateRollup(ctx, table, cols, nkey, rows)
	}
	if err == nil {
		suffix := " ON CONFLICT (" + strings.Join(keys, ", ") + ") DO UPDATE SET " + strings.Join(sets, ", ")
		err = tx.insertRowsThen(ctx, table, cols, rows, suffix)
	}
	if err != nil && tx.db.engine.notNull(err) {
		return oms.TooLarge("a sum of the %s report figures", strings.TrimPrefix(table, "rollup_"))
	}
	return err
}

// updateRollup adds the rows to those of table that exist, in one UPDATE,
// and returns the rows it did not find, for the upsert. On PostgreSQL an
// upsert that finds its row writes a row lock record to the WAL before the
// update; an UPDATE writes the update alone. Only folds and rebuilds write
// the rollups, so rows locked out of key order here seldom meet a second
// writer, and a deadlock when they do is retried like any other.
func (tx *txn) updateRollup(ctx context.Context, table string, cols []column, nkey int, rows [][]any) ([][]any, error) {
	sets := make([]string, 0, len(cols)-nkey)
	for _, c := range cols[nkey:] {
		sets = append(sets, fmt.Sprintf("%s = %s.%s + v.%s", c.name, table, c.name, c.name))
	}
	match := make([]string, nkey)
	ret := make([]string, nkey)
	for i, c := range cols[:nkey] {
		match[i] = fmt.Sprintf("%s.%s = v.%s", table, c.name, c.name)
		ret[i] = table + "." + c.name
	}
	src, args := tx.db.engine.rowTable(cols, rows, nil, "v")
	q := "UPDATE " + table + " SET " + strings.Join(sets, ", ") + " FROM " + src +
		" WHERE " + strings.Join(match, " AND ") + " RETURNING " + strings.Join(ret, ", ")
	found := make(map[string]bool, len(rows))
	key := make([]any, nkey)
	ptrs := make([]any, nkey)
	for i := range key {
		ptrs[i] = &key[i]
	}
	err := tx.Each(ctx, q, args, func(r *sql.Rows) error {
		if err := r.Scan(ptrs...); err != nil {
			return err
		}
		found[fmt.Sprintf("%#v", key)] = true
		return nil
	})
	if err != nil {
		return nil, err
	}
	missing := rows[:0:0]
	for _, r := range rows {
		if !found[fmt.Sprintf("%#v", r[:nkey])] {
			missing = append(missing, r)
		}
	}
	return missing, nil
}

// rollupState is what the report read model keeps of one transaction's
// feed: the orders it changes, with their figures before, and deltas
// computed in memory.
type rollupState struct {
	touched map[int64]*facts
	pending *rollupDelta
	// placing are the deltas of placed orders still being summed, off the
	// writer (OrdersPlaced); Publish waits for them.
	placing []func() *rollupDelta
	// backorders are backorder_days rows of the orders placed.
	backorders []backorderRow
}

func (s *rollupState) has(seq int64) bool {
	_, ok := s.touched[seq]
	return ok
}

// add adds a delta computed in memory to what the transaction writes as
// it ends.
func (s *rollupState) add(d *rollupDelta) {
	if s.pending == nil {
		s.pending = d
		return
	}
	s.pending.merge(d, 1)
}

// OrderChanging records the order's contribution before the transaction
// first changes it.
func (db *Reports) OrderChanging(ctx context.Context, stx *store.Tx, seq int64) error {
	tx := db.wrap(stx)
	if tx.touched(seq) {
		return nil
	}
	fs, err := tx.loadFacts(ctx, seqsWhere(tx.db.engine, []int64{seq}))
	if err != nil {
		return fmt.Errorf("report figures of order %d: %w", seq, err)
	}
	s := tx.rollups()
	if s.touched == nil {
		s.touched = map[int64]*facts{}
	}
	s.touched[seq] = fs[seq] // nil: none yet
	return nil
}

// OrdersPlaced adds the contributions of the orders a batch places, from
// memory, and their backorder counts.
//
// The orders' figures are summed off the writer, side by side, while the
// batch goes on to reserve its stock; Publish waits for the sum. The
// placed orders are not changed after the batch hands them over.
func (db *Reports) OrdersPlaced(stx *store.Tx, ps []store.PlacedOrder) {
	tx := db.wrap(stx)
	s := tx.rollups()
	s.placing = append(s.placing, sumPlaced(ps))
	s.backorders = append(s.backorders, tx.backorderRows(ps)...)
}

// placedPerWorker is the fewest orders worth a goroutine of their own when
// sumPlaced sums a batch's figures.
const placedPerWorker = 8

// sumPlaced sums the placed orders' figures, split among up to GOMAXPROCS
// goroutines; the function it returns waits for them and gives the sum.
func sumPlaced(ps []store.PlacedOrder) func() *rollupDelta {
	workers := max(1, min(runtime.GOMAXPROCS(0), len(ps)/placedPerWorker))
	parts := make([]*rollupDelta, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			d := newDelta()
			for i := w; i < len(ps); i += workers {
				d.add(placedFacts(&ps[i]), 1)
			}
			parts[w] = d
		})
	}
	return func() *rollupDelta {
		wg.Wait()
		for _, d := range parts[1:] {
			parts[0].merge(d, 1)
		}
		return parts[0]
	}
}

// OrdersRebased moves the rollups of orders whose base totals were just
// recorded: their figures before were the same but for the rate.
func (db *Reports) OrdersRebased(ctx context.Context, stx *store.Tx, seqs []int64) error {
	tx := db.wrap(stx)
	d := newDelta()
	for len(seqs) > 0 {
		n := min(len(seqs), 2000)
		if err := tx.baseFilledChunk(ctx, seqs[:n], d); err != nil {
			return err
		}
		seqs = seqs[n:]
	}
	tx.rollups().add(d)
	return nil
}

// Publish journals what the stock movements add to the stock rollup and
// writes their spells and the backorder counts, marks the changed orders
// that have units waiting for stock as backordered and journals the order
// rollups' delta: the contributions after less before, and what was
// computed in memory.
func (db *Reports) Publish(ctx context.Context, stx *store.Tx, moves [][]store.StockMove) error {
	tx := db.wrap(stx)
	if err := tx.journalStock(ctx, moves); err != nil {
		return err
	}
	s, _ := stx.FeedState().(*rollupState)
	if s == nil {
		return nil
	}
	if err := tx.writeBackorders(ctx, s.backorders); err != nil {
		return err
	}
	for _, sum := range s.placing {
		s.add(sum())
	}
	s.placing = nil
	d := s.pending
	if d == nil {
		d = newDelta()
	}
	if len(s.touched) > 0 {
		seqs := slices.Sorted(maps.Keys(s.touched))
		after, err := tx.loadFacts(ctx, seqsWhere(tx.db.engine, seqs))
		if err != nil {
			return fmt.Errorf("report figures: %w", err)
		}
		if err := tx.markBackordered(ctx, after); err != nil {
			return err
		}
		for _, seq := range seqs {
			if b := s.touched[seq]; b != nil {
				d.add(b, -1)
			}
			if a := after[seq]; a != nil {
				d.add(a, 1)
			}
		}
	}
	return tx.journalDelta(ctx, d)
}

// rollups is the transaction's rollup state, made on first use.
func (tx *txn) rollups() *rollupState {
	s, _ := tx.FeedState().(*rollupState)
	if s == nil {
		s = &rollupState{}
		tx.SetFeedState(s)
	}
	return s
}

// touched reports whether the transaction recorded the order's figures
// before.
func (tx *txn) touched(seq int64) bool {
	s, _ := tx.FeedState().(*rollupState)
	return s != nil && s.has(seq)
}

// markBackordered flags the orders with units waiting for stock that are
// not flagged yet.
func (tx *txn) markBackordered(ctx context.Context, fs map[int64]*facts) error {
	var seqs []any
	for _, f := range fs {
		if f.open && !f.Backordered {
			f.Backordered = true
			seqs = append(seqs, f.seq)
		}
	}
	if len(seqs) == 0 {
		return nil
	}
	in, args := tx.db.engine.inList("seq", "bigint", seqs, nil)
	_, err := tx.ExecContext(ctx, "UPDATE orders SET backordered = TRUE WHERE "+in, args...)
	return err
}

// seqSel selects orders by seq for loadFacts: a fragment on a column
// named by %s, with its arguments.
type seqSel struct {
	where func(col string) string
	args  []any
}

func seqsWhere(e engine, seqs []int64) seqSel {
	vals := make([]any, len(seqs))
	for i, s := range seqs {
		vals[i] = s
	}
	_, args := e.inList("x", "bigint", vals, nil)
	return seqSel{where: func(col string) string {
		in, _ := e.inList(col, "bigint", vals, nil)
		return in
	}, args: args}
}

func seqRange(lo, hi int64) seqSel {
	return seqSel{where: func(col string) string { return col + " > $1 AND " + col + " <= $2" }, args: []any{lo, hi}}
}

const (
	selectFactOrders = `
SELECT seq, channel_id, currency, placed_at, shipping_total, tax_total, backordered, COALESCE(base_currency, ''), base_rate
FROM orders WHERE %s`
	selectFactLines = `
SELECT order_seq, position, COALESCE(item_id, 0), quantity, subtotal, discount, tax, qty_open, qty_cancelled,
    qty_shipped, qty_returned, unit_cost, cost_currency
FROM order_lines WHERE %s ORDER BY order_seq, position`
	selectFactShipments = `
SELECT f.order_seq, f.n, f.location_id, f.status, f.shipped_at, f.delivered_at, fl.position, fl.quantity
FROM fulfillments f JOIN fulfillment_lines fl ON fl.order_seq = f.order_seq AND fl.n = f.n
WHERE %s ORDER BY f.order_seq, f.n, fl.position`
	// What came back and what was paid back, in one query: refunds (kind
	// and amount), units received back (line position, reason, units) and
	// units restocked (line position, units).
	selectFactReturns = `
SELECT order_seq, 'refund', 0, kind, amount FROM refunds WHERE %[1]s
UNION ALL
SELECT r.order_seq, 'return', rl.position, rl.reason, rl.received
FROM returns r JOIN return_lines rl ON rl.return_id = r.id
WHERE rl.received > 0 AND %[2]s
UNION ALL
SELECT r.order_seq, 'restock', ru.position, '', ru.quantity
FROM returns r JOIN return_units ru ON ru.return_id = r.id
WHERE ru.disposition = 'restock' AND %[2]s`
)

// loadFacts reads the report facts of the selected orders, by seq.
func (tx *txn) loadFacts(ctx context.Context, sel seqSel) (map[int64]*facts, error) {
	out := map[int64]*facts{}
	err := tx.Each(ctx, fmt.Sprintf(selectFactOrders, sel.where("seq")), sel.args, func(rows *sql.Rows) error {
		f := &facts{}
		var rate sql.NullString
		if err := rows.Scan(&f.seq, &f.Channel, &f.Currency, &f.PlacedAt, &f.Shipping, &f.Tax, &f.Backordered, &f.base, &rate); err != nil {
			return err
		}
		f.PlacedAt = f.PlacedAt.UTC()
		switch {
		case f.base == "":
			f.base, f.rate = f.Currency, big.NewRat(1, 1)
		case rate.Valid:
			f.rate, _ = fx.ParseRateText(rate.String)
		}
		out[f.seq] = f
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = tx.Each(ctx, fmt.Sprintf(selectFactLines, sel.where("order_seq")), sel.args, func(rows *sql.Rows) error {
		var seq, open int64
		var pos int
		var l oms.LineFacts
		var c lineCost
		if err := rows.Scan(&seq, &pos, &l.Item, &l.Quantity, &l.Subtotal, &l.Discount, &l.Tax, &open, &l.Cancelled,
			&l.Shipped, &l.Returned, &c.unitCost, &c.currency); err != nil {
			return err
		}
		f := out[seq]
		if f == nil {
			return nil
		}
		for len(f.Lines) < pos {
			f.Lines, f.costs = append(f.Lines, oms.LineFacts{}), append(f.costs, lineCost{})
		}
		f.Lines, f.costs = append(f.Lines, l), append(f.costs, c)
		if open > 0 && l.Item != 0 {
			f.open = true
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, f := range out {
		f.convertCosts()
	}
	if err := tx.loadShipments(ctx, sel, out); err != nil {
		return nil, err
	}
	return out, tx.loadReturns(ctx, sel, out)
}

func (tx *txn) loadShipments(ctx context.Context, sel seqSel, out map[int64]*facts) error {
	var last *oms.ShipmentFacts
	var lastKey [2]int64
	return tx.Each(ctx, fmt.Sprintf(selectFactShipments, sel.where("f.order_seq")), sel.args, func(rows *sql.Rows) error {
		var seq, n, loc, qty int64
		var pos int
		var status string
		var shipped, delivered sql.NullTime
		if err := rows.Scan(&seq, &n, &loc, &status, &shipped, &delivered, &pos, &qty); err != nil {
			return err
		}
		f := out[seq]
		if f == nil {
			return nil
		}
		if last == nil || lastKey != [2]int64{seq, n} {
			f.Shipments = append(f.Shipments, oms.ShipmentFacts{Location: loc, Status: oms.FulfillmentStatus(status),
				ShippedAt: utcPtr(shipped), DeliveredAt: utcPtr(delivered), Lines: map[int]int64{}})
			last, lastKey = &f.Shipments[len(f.Shipments)-1], [2]int64{seq, n}
		}
		last.Lines[pos] += qty
		return nil
	})
}

func (tx *txn) loadReturns(ctx context.Context, sel seqSel, out map[int64]*facts) error {
	q := fmt.Sprintf(selectFactReturns, sel.where("order_seq"), sel.where("r.order_seq"))
	return tx.Each(ctx, q, sel.args, func(rows *sql.Rows) error {
		var seq, n int64
		var pos int
		var what, text string
		if err := rows.Scan(&seq, &what, &pos, &text, &n); err != nil {
			return err
		}
		f := out[seq]
		if f == nil {
			return nil
		}
		switch what {
		case "refund":
			f.Refunds = append(f.Refunds, oms.RefundFacts{Kind: text, Amount: n})
		case "return":
			f.Returns = append(f.Returns, oms.ReturnFacts{Position: pos, Reason: text, Units: n})
		default:
			if pos < len(f.Lines) {
				f.Lines[pos].Restocked += n
			}
		}
		return nil
	})
}

// placedFacts are the report facts of an order the batch is placing, as it
// will read back: every unit open or allocated, nothing shipped but what a
// marketplace fulfils.
func placedFacts(p *store.PlacedOrder) *facts {
	o := p.Order
	f := &facts{seq: p.Seq, base: p.Base, OrderFacts: oms.OrderFacts{PlacedAt: o.PlacedAt.UTC().Truncate(time.Microsecond),
		Channel: p.Channel, Currency: o.Currency, Shipping: o.ShippingTotal, Tax: o.TaxTotal}}
	switch {
	case f.base == "":
		f.base, f.rate = f.Currency, big.NewRat(1, 1)
	case o.Base != nil:
		f.rate, _ = fx.ParseRateText(o.Base.Rate)
	}
	for i, l := range o.Lines {
		lf := oms.LineFacts{Item: p.LineItems[i], Quantity: l.Quantity, Subtotal: l.Subtotal, Discount: l.Discount, Tax: l.Tax,
			Cancelled: l.Cancelled, Shipped: l.Shipped, Returned: l.Returned}
		c := p.LineCosts[i]
		f.Lines, f.costs = append(f.Lines, lf), append(f.costs, lineCost{c.UnitCost, c.Currency})
		if l.Open > 0 && lf.Item != 0 {
			f.Backordered = true
		}
	}
	f.convertCosts()
	fulOf := map[int64]int{}
	for _, pl := range p.Placements {
		n, ok := fulOf[pl.Location]
		if !ok {
			n = len(f.Shipments)
			fulOf[pl.Location] = n
			f.Shipments = append(f.Shipments, oms.ShipmentFacts{Location: pl.Location, Status: oms.FulfillmentPending, Lines: map[int]int64{}})
		}
		f.Shipments[n].Lines[pl.Line] += pl.Quantity
	}
	if p.Marketplace != 0 {
		at := f.PlacedAt
		s := oms.ShipmentFacts{Location: p.Marketplace, Status: oms.FulfillmentShipped, ShippedAt: &at, Lines: map[int]int64{}}
		for i, l := range o.Lines {
			s.Lines[i] = l.Quantity
		}
		f.Shipments = append(f.Shipments, s)
	}
	return f
}

func (tx *txn) baseFilledChunk(ctx context.Context, seqs []int64, d *rollupDelta) error {
	after, err := tx.loadFacts(ctx, seqsWhere(tx.db.engine, seqs))
	if err != nil {
		return fmt.Errorf("report figures: %w", err)
	}
	for _, a := range after {
		if tx.touched(a.seq) {
			continue // publish compares it with its state before
		}
		before := *a
		before.Lines, before.rate = slices.Clone(a.Lines), nil
		before.convertCosts()
		d.add(&before, -1)
		d.add(a, 1)
	}
	return nil
}
