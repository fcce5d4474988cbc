package reports

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"
	"math/bits"

	"github.com/omshq/oms/internal/store"
)

// The report rollups are written in two steps. A transaction that moves
// them records its delta, summed over its orders and by day, as one row of
// rollup_pending (journalDelta): one small insert, whatever the number of
// rows the delta touches, and no lock on a rollup row that every other
// order placed that day also needs. Folding (foldRollups) takes pending
// deltas, adds their sum to the rollup tables at every grain and deletes
// them, in one transaction. So the rollup tables plus the pending deltas
// always equal the sum of every order's contribution; reports and the
// checker add the pending deltas to what they read.
//
// A background folder runs every few seconds (store.Options.FoldEvery, 5
// seconds by default), so that what a report adds from the journal is a few
// seconds' orders. However many orders
// those seconds placed, a fold writes each rollup row once: a sale-day
// burst of thousands of orders on a few hundred SKUs costs a few thousand
// row writes, not a hundred thousand. Measured with oms bench on SQLite,
// folding every second took a quarter of the order writer's time.

// foldBatch is how many pending deltas one fold transaction takes.
const foldBatch = 500

// journalDelta records the delta for the next fold.
func (tx *txn) journalDelta(ctx context.Context, d *rollupDelta) error {
	b := d.encode()
	if b == nil {
		return nil // it changes nothing
	}
	_, err := tx.ExecContext(ctx, "INSERT INTO rollup_pending (delta) VALUES ($1)", b)
	return err
}

// FoldReports adds every pending rollup delta to the rollup tables: the
// stock rollup's, then the order rollups'. One failing does not hold back
// the other.
func (db *Reports) FoldReports(ctx context.Context) error {
	return errors.Join(db.FoldStock(ctx), db.foldOrders(ctx))
}

// foldOrders adds every pending order rollup delta to the order rollup
// tables.
func (db *Reports) foldOrders(ctx context.Context) error {
	if db.engine.name == "sqlite" {
		return db.foldSlices(ctx)
	}
	for {
		var some bool
		err := db.db.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM rollup_pending)").Scan(&some)
		if err != nil || !some {
			return err
		}
		var n int
		if err := db.fold(ctx, func(tx *txn) (err error) { n, err = tx.foldRollups(ctx, foldBatch); return err }); err != nil {
			return fmt.Errorf("fold report rollups: %w", err)
		}
		if n < foldBatch {
			return nil
		}
	}
}

// On SQLite a fold in one transaction holds the one writer while it
// upserts: at a thousand orders a second, 0.4–0.7 s every fold, which every
// order placed meanwhile waits out. So SQLite folds in slices. The oldest
// pending deltas are read and summed, and the sum cut into parts of up to
// foldPart keys laid out as rows, on a read connection; one short write
// transaction swaps the deltas for the parts, each a pending delta of its
// own; then each part is added to the tables, and its pending row
// deleted, in a short transaction of its own. The tables plus the pending
// deltas sum to the same at every commit, and an order batch waits at
// most for one part.
const foldPart = 128

// errFoldRace is a fold finding pending deltas gone or changed since it
// read them: another fold took them first. It starts again.
var errFoldRace = errors.New("store: pending deltas folded concurrently")

// foldSlice is a part of a sliced fold: its pending row as written, and
// its rows, laid out by the watermark of grains.
type foldSlice struct {
	blob   []byte
	rows   tableRows
	grains grainSet
}

// foldSlices folds every pending delta in slices (SQLite), foldBatch
// deltas at a time.
func (db *Reports) foldSlices(ctx context.Context) error {
	for {
		ids, blobs, sum, gs, err := db.readPending(ctx)
		if err != nil || len(ids) == 0 {
			return err
		}
		var parts []foldSlice
		for _, p := range sum.split(foldPart) {
			parts = append(parts, foldSlice{blob: p.encode(), rows: p.tableRows(0, gs), grains: gs})
		}
		partIDs := ids
		if len(ids) == 1 && len(parts) == 1 {
			parts[0].blob = blobs[0] // nothing to swap
		} else {
			err = db.fold(ctx, func(tx *txn) (err error) { partIDs, err = tx.swapPending(ctx, ids, blobs, parts); return err })
		}
		for i := 0; err == nil && i < len(parts); i++ {
			err = db.fold(ctx, func(tx *txn) error { return tx.addSlice(ctx, partIDs[i], parts[i]) })
		}
		switch {
		case errors.Is(err, errFoldRace):
			continue
		case err != nil:
			return fmt.Errorf("fold report rollups: %w", err)
		case len(ids) < foldBatch:
			return nil
		}
	}
}

// readPending reads the oldest pending deltas, up to foldBatch, with their
// sum and the watermark.
func (db *Reports) readPending(ctx context.Context) (ids []int64, blobs [][]byte, sum *rollupDelta, gs grainSet, err error) {
	err = db.view(ctx, func(tx *txn) error {
		ids, blobs, sum = nil, nil, newDelta()
		if gs, err = tx.rolled(ctx, ""); err != nil {
			return err
		}
		return tx.Each(ctx, "SELECT id, delta FROM rollup_pending ORDER BY id LIMIT $1", []any{foldBatch},
			func(rows *sql.Rows) error {
				var id int64
				var b []byte
				if err := rows.Scan(&id, &b); err != nil {
					return err
				}
				ids, blobs = append(ids, id), append(blobs, b)
				return sum.addEncoded(b)
			})
	})
	return ids, blobs, sum, gs, err
}

// swapPending deletes the pending deltas read — every one still as read,
// or it returns errFoldRace — and writes the parts as pending deltas,
// returning their ids.
func (tx *txn) swapPending(ctx context.Context, ids []int64, blobs [][]byte, parts []foldSlice) ([]int64, error) {
	was := make(map[int64][]byte, len(ids))
	vals := make([]any, len(ids))
	for i, id := range ids {
		was[id], vals[i] = blobs[i], id
	}
	in, args := tx.db.engine.inList("id", "bigint", vals, nil)
	n := 0
	err := tx.Each(ctx, "DELETE FROM rollup_pending WHERE "+in+" RETURNING id, delta", args, func(rows *sql.Rows) error {
		var id int64
		var b []byte
		if err := rows.Scan(&id, &b); err != nil {
			return err
		}
		if n++; !bytes.Equal(b, was[id]) {
			return errFoldRace
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if n != len(ids) {
		return nil, errFoldRace
	}
	out := make([]int64, len(parts))
	for i, p := range parts {
		if err := tx.QueryRowContext(ctx, "INSERT INTO rollup_pending (delta) VALUES ($1) RETURNING id", p.blob).Scan(&out[i]); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// addSlice adds a part to the tables and deletes its pending row. A part
// already gone was added by another fold; one that changed, or laid out by
// a watermark a roll has moved since, is errFoldRace.
func (tx *txn) addSlice(ctx context.Context, id int64, p foldSlice) error {
	gs, err := tx.rolled(ctx, "")
	if err != nil {
		return err
	}
	if gs != p.grains {
		return errFoldRace
	}
	var b []byte
	err = tx.QueryRowContext(ctx, "DELETE FROM rollup_pending WHERE id = $1 RETURNING delta", id).Scan(&b)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nil
	case err != nil:
		return err
	case !bytes.Equal(b, p.blob):
		return errFoldRace
	}
	return tx.upsertRows(ctx, p.rows)
}

// split cuts the delta into parts of up to n keys: rollup_sales keys in
// key order, then shipping times, then returns. A summed delta holds no
// zero entries (addEncoded drops them), so none is cut out.
func (d *rollupDelta) split(n int) []*rollupDelta {
	var parts []*rollupDelta
	next := func() *rollupDelta {
		if len(parts) == 0 || parts[len(parts)-1].size() >= n {
			parts = append(parts, newDelta())
		}
		return parts[len(parts)-1]
	}
	for _, k := range sortedSalesKeys(d.sales) {
		next().sales[k] = d.sales[k]
	}
	for k, v := range d.cycles {
		next().cycles[k] = v
	}
	for k, v := range d.returns {
		next().returns[k] = v
	}
	return parts
}

// size is how many keys the delta holds.
func (d *rollupDelta) size() int { return len(d.sales) + len(d.cycles) + len(d.returns) }

// foldRollups folds up to limit pending deltas, oldest first, and returns
// how many. On PostgreSQL it locks the rows it takes; a fold in
// another process meanwhile waits for them and then finds them gone.
func (tx *txn) foldRollups(ctx context.Context, limit int) (int, error) {
	q := "DELETE FROM rollup_pending WHERE id IN (SELECT id FROM rollup_pending ORDER BY id LIMIT $1" +
		tx.db.engine.forUpdate + ") RETURNING delta"
	sum, n, err := tx.sumDeltas(ctx, q, limit)
	if err != nil {
		return 0, err
	}
	gs, err := tx.rolled(ctx, tx.db.engine.forShare)
	if err != nil {
		return 0, err
	}
	return n, tx.writeDelta(ctx, sum, gs)
}

// pendingDelta is the sum of the pending deltas the transaction sees.
func (tx *txn) pendingDelta(ctx context.Context) (*rollupDelta, error) {
	sum, _, err := tx.sumDeltas(ctx, "SELECT delta FROM rollup_pending")
	return sum, err
}

// sumDeltas sums the encoded deltas a query returns, and counts them.
func (tx *txn) sumDeltas(ctx context.Context, q string, args ...any) (*rollupDelta, int, error) {
	sum, n := newDelta(), 0
	err := tx.Each(ctx, q, args, func(rows *sql.Rows) error {
		var b []byte
		if err := rows.Scan(&b); err != nil {
			return err
		}
		n++
		return sum.addEncoded(b)
	})
	return sum, n, err
}

// Fold is one run of the background folder, which the store runs every
// Options.FoldEvery: it rolls the days before today up, if a day has ended
// since the last roll, and folds.
func (db *Reports) Fold(ctx context.Context) error {
	var errs []error
	if err := db.rollReports(ctx); err != nil && !errors.Is(err, context.Canceled) {
		errs = append(errs, fmt.Errorf("report rollups: roll failed; the next fold retries: %w", err))
	}
	if err := db.FoldReports(ctx); err != nil && !errors.Is(err, context.Canceled) {
		errs = append(errs, fmt.Errorf("report rollups: fold failed; the next one retries: %w", err))
	}
	return errors.Join(errs...)
}

// merge adds another delta times sign (+1 or −1) to d.
func (d *rollupDelta) merge(o *rollupDelta, sign int64) {
	for k, v := range o.sales {
		acc := d.sales[k]
		for i := range v {
			acc[i] += sign * v[i]
		}
		d.sales[k] = acc
	}
	for k, n := range o.cycles {
		d.cycles[k] += sign * n
	}
	for k, n := range o.returns {
		d.returns[k] += sign * n
	}
}

// deltaFormat is the first byte of an encoded delta: 2 since sales keys
// carry the base currency (format 1's deltas went with the rollups that
// schema version 19 rebuilt).
const deltaFormat = 2

// encode lays the delta out compactly: zero entries left out, integers as
// varints, and each sales row's measures as a bitmap of the non-zero ones
// followed by their values. It returns nil when nothing is left.
func (d *rollupDelta) encode() []byte {
	b := []byte{deltaFormat}
	n := 0
	for _, v := range d.sales {
		if v != (salesVals{}) {
			n++
		}
	}
	empty := n == 0
	b = binary.AppendUvarint(b, uint64(n))
	for k, v := range d.sales {
		if v == (salesVals{}) {
			continue
		}
		b = appendInts(b, k.day, k.channel, k.item, k.location)
		b = appendSparse(appendString(appendString(b, k.currency), k.base), v[:])
	}
	b = appendCounts(b, d.cycles, func(b []byte, k cycleKey) []byte {
		return appendInts(appendString(appendInts(b, k.day, k.channel, k.location), k.kind), k.hours)
	})
	b = appendCounts(b, d.returns, func(b []byte, k returnKey) []byte {
		return appendString(appendInts(b, k.day, k.channel, k.item), k.reason)
	})
	if empty && len(b) == 4 { // the format byte and three zero counts
		return nil
	}
	return b
}

func appendCounts[K comparable](b []byte, m map[K]int64, key func([]byte, K) []byte) []byte {
	var n int
	for _, c := range m {
		if c != 0 {
			n++
		}
	}
	b = binary.AppendUvarint(b, uint64(n))
	for k, c := range m {
		if c != 0 {
			b = binary.AppendVarint(key(b, k), c)
		}
	}
	return b
}

// appendSparse lays out values most of which are zero: a bitmap of the
// non-zero ones, then their values.
func appendSparse(b []byte, xs []int64) []byte {
	var mask uint64
	for i, x := range xs {
		if x != 0 {
			mask |= 1 << i
		}
	}
	b = binary.AppendUvarint(b, mask)
	for _, x := range xs {
		if x != 0 {
			b = binary.AppendVarint(b, x)
		}
	}
	return b
}

func appendInts(b []byte, xs ...int64) []byte {
	for _, x := range xs {
		b = binary.AppendVarint(b, x)
	}
	return b
}

func appendString(b []byte, s string) []byte {
	return append(binary.AppendUvarint(b, uint64(len(s))), s...)
}

// errDelta is what decodeDelta returns for bytes encode did not write.
var errDelta = errors.New("report rollups: a pending delta is malformed")

// deltaReader reads what encode wrote; the first malformed read sets err
// and every read after it returns zero.
type deltaReader struct {
	b   []byte
	err error
}

func (r *deltaReader) uint() uint64 {
	if r.err != nil {
		return 0
	}
	x, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.err = errDelta
		return 0
	}
	r.b = r.b[n:]
	return x
}

func (r *deltaReader) int() int64 {
	if r.err != nil {
		return 0
	}
	x, n := binary.Varint(r.b)
	if n <= 0 {
		r.err = errDelta
		return 0
	}
	r.b = r.b[n:]
	return x
}

func (r *deltaReader) string() string {
	n := r.uint()
	if r.err != nil || n > uint64(len(r.b)) {
		r.err = errDelta
		return ""
	}
	s := string(r.b[:n])
	r.b = r.b[n:]
	return s
}

// nonZero reads an integer encode wrote because it is not zero.
func (r *deltaReader) nonZero() int64 {
	x := r.int()
	if x == 0 {
		r.err = errDelta
	}
	return x
}

// addSparse reads what appendSparse wrote for len(dst) values and adds
// them to dst; it reports false for a bitmap naming more values, or none.
func (r *deltaReader) addSparse(dst []int64) bool {
	mask := r.uint()
	if r.err != nil || mask == 0 || bits.Len64(mask) > len(dst) {
		return r.err != nil // a read error is r's to report
	}
	for i := range dst {
		if mask&(1<<i) != 0 {
			dst[i] += r.nonZero()
		}
	}
	return true
}

// count reads an entry count, refusing one the remaining bytes cannot hold.
func (r *deltaReader) count() int {
	n := r.uint()
	if n > uint64(len(r.b)) {
		r.err = errDelta
		return 0
	}
	return int(n)
}

// decodeDelta reads a delta encode wrote.
func decodeDelta(b []byte) (*rollupDelta, error) {
	d := newDelta()
	if err := d.addEncoded(b); err != nil {
		return nil, err
	}
	return d, nil
}

// addEncoded adds a delta encode wrote to d, leaving out the rows that sum
// to zero: summing pending deltas this way builds no map per delta. On an
// error d holds part of it and is to be thrown away.
func (d *rollupDelta) addEncoded(b []byte) error {
	if len(b) == 0 || b[0] != deltaFormat {
		return errDelta
	}
	r := &deltaReader{b: b[1:]}
	for range r.count() {
		k := salesKey{day: r.int(), channel: r.int(), item: r.int(), location: r.int(), currency: r.string(), base: r.string()}
		v := d.sales[k]
		if !r.addSparse(v[:]) {
			return errDelta // encode leaves zero rows out
		}
		if v == (salesVals{}) {
			delete(d.sales, k)
		} else {
			d.sales[k] = v
		}
	}
	for range r.count() {
		k := cycleKey{day: r.int(), channel: r.int(), location: r.int(), kind: r.string(), hours: r.int()}
		if _, ok := bucketIndex[k.hours]; !ok && r.err == nil {
			return errDelta
		}
		addCount(d.cycles, k, r.nonZero())
	}
	for range r.count() {
		k := returnKey{day: r.int(), channel: r.int(), item: r.int(), reason: r.string()}
		addCount(d.returns, k, r.nonZero())
	}
	if r.err != nil || len(r.b) != 0 {
		return errDelta
	}
	return nil
}

// addCount adds n to m[k], deleting it at zero.
func addCount[K comparable](m map[K]int64, k K, n int64) {
	if m[k] += n; m[k] == 0 {
		delete(m, k)
	}
}

// rollupView runs fn in a read-only transaction that sees the rollup
// tables and the pending deltas as of one moment (REPEATABLE READ on
// PostgreSQL; a SQLite read transaction is a snapshot), so that reads
// through tx.read count every change committed before it began, once,
// whether or not a fold committed meanwhile. A report never waits for a
// fold, nor holds the writer.
func (db *Reports) rollupView(ctx context.Context, fn func(*txn) error) error {
	return db.db.Snapshot(ctx, db.engine.name == "postgres", func(tx *store.Tx) error { return fn(db.wrap(tx)) })
}

// rollupColumns are the columns of each order rollup table, as its rows
// are written.
var rollupColumns = map[string][]column{"rollup_sales": salesCols, "rollup_cycles": cycleCols, "rollup_returns": returnRollCol}

// eachRow calls fn with each row the delta adds to the rollup table at the
// grains of gs, laid out in rollupColumns (shard 0). Rows are not merged:
// one key may come more than once, as a day's row and then its week's may
// fall on the same week. fn must not keep row.
func (d *rollupDelta) eachRow(table string, gs grainSet, fn func(row []any) error) error {
	switch table {
	case "rollup_sales":
		row := make([]any, 0, len(salesCols))
		for k, v := range d.sales {
			if v == (salesVals{}) {
				continue
			}
			ks, ng := gs.keys(k.day)
			for _, g := range ks[:ng] {
				row = salesRow(row, g, k, 0, v)
				if err := fn(row); err != nil {
					return err
				}
			}
		}
		return nil
	case "rollup_cycles":
		return eachOf(cycleRows(d.cycles, 0, gs), fn)
	case "rollup_returns":
		return eachOf(returnRows(d.returns, 0, gs), fn)
	}
	return fmt.Errorf("store: %s is not an order rollup", table)
}

func eachOf(rows [][]any, fn func([]any) error) error {
	for _, r := range rows {
		if err := fn(r); err != nil {
			return err
		}
	}
	return nil
}

// seenDelta is the sum of the pending deltas the transaction sees, read
// once.
func (tx *txn) seenDelta(ctx context.Context) (*rollupDelta, error) {
	if tx.seen == nil {
		d, err := tx.pendingDelta(ctx)
		if err != nil {
			return nil, err
		}
		tx.seen = d
	}
	return tx.seen, nil
}
