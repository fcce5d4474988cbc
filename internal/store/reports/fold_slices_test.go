package reports

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
)

// foldFixture is a SQLite database with the folder held off, and the sum
// of the deltas journaled into it.
type foldFixture struct {
	db   *Reports
	want *rollupDelta
	mu   sync.Mutex
	n    int
}

func newFoldFixture(t *testing.T) *foldFixture {
	t.Helper()
	return &foldFixture{db: openTempSQLite(t), want: newDelta()}
}

// journal writes n deltas, each one sales key of 582 (97 items, 2
// channels, 3 days), a shipping time and a return.
func (f *foldFixture) journal(t *testing.T, n int) {
	t.Helper()
	for range n {
		f.mu.Lock()
		i := f.n
		f.n++
		f.mu.Unlock()
		d := newDelta()
		d.sales[salesKey{day: 20_000 + int64(i%3), channel: 1 + int64(i%2), item: int64(i % 97), location: 1, currency: "EUR"}] = salesVals{1, int64(i), 6: 100}
		d.cycles[cycleKey{day: 20_000, channel: 1, location: 1, kind: "s", hours: int64(i % 5)}] = 1
		d.returns[returnKey{day: 20_001, channel: 2, item: int64(i % 7), reason: "damaged"}] = 2
		if err := f.db.update(context.Background(), func(tx *txn) error { return tx.journalDelta(context.Background(), d) }); err != nil {
			t.Error(err)
			return
		}
		f.mu.Lock()
		f.want.merge(d, 1)
		f.mu.Unlock()
	}
}

// check asserts that nothing is pending and the tables hold the sum of
// every delta journaled, each row once.
func (f *foldFixture) check(t *testing.T) {
	t.Helper()
	ctx := context.Background()
	var pending int
	if err := f.db.db.QueryRow(ctx, "SELECT COUNT(*) FROM rollup_pending").Scan(&pending); err != nil {
		t.Fatal(err)
	}
	if pending != 0 {
		t.Errorf("%d deltas pending after folding", pending)
	}
	var gs grainSet
	if err := f.db.view(ctx, func(tx *txn) (err error) { gs, err = tx.rolled(ctx, ""); return err }); err != nil {
		t.Fatal(err)
	}
	want := f.want.tableRows(0, gs)
	for _, c := range []struct {
		table, order string
		rows         [][]any
	}{
		{"rollup_sales", "grain, day, channel_id, item_id, location_id, currency", want.sales},
		{"rollup_cycles", "grain, day, channel_id, location_id, kind", want.cycles},
		{"rollup_returns", "grain, day, channel_id, item_id, reason", want.returns},
	} {
		var got []string
		err := f.db.view(ctx, func(tx *txn) error {
			cols := columnNames(rollupColumns[c.table])
			return tx.Each(ctx, "SELECT "+cols+" FROM "+c.table+" ORDER BY "+c.order, nil, func(rows *sql.Rows) error {
				vals := make([]any, len(rollupColumns[c.table]))
				ptrs := make([]any, len(vals))
				for i := range vals {
					ptrs[i] = &vals[i]
				}
				if err := rows.Scan(ptrs...); err != nil {
					return err
				}
				got = append(got, fmt.Sprint(vals...))
				return nil
			})
		})
		if err != nil {
			t.Fatal(err)
		}
		wantRows := make([]string, len(c.rows))
		for i, r := range c.rows {
			wantRows[i] = fmt.Sprint(r...)
		}
		if g, w := strings.Join(got, "\n"), strings.Join(wantRows, "\n"); g != w {
			t.Errorf("%s holds\n%s\nwant\n%s", c.table, g, w)
		}
	}
}

// TestFoldSlices folds deltas of many more keys than one part holds, while
// other folds race it: the tables end up with the sum, every row once.
func TestFoldSlices(t *testing.T) {
	ctx := context.Background()
	t.Run("parts", func(t *testing.T) {
		f := newFoldFixture(t)
		f.journal(t, 300)
		_, _, sum, _, err := f.db.readPending(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if parts := sum.split(foldPart); len(parts) < 3 {
			t.Fatalf("%d parts: the fixture should need several", len(parts))
		}
		if err := f.db.FoldReports(ctx); err != nil {
			t.Fatal(err)
		}
		f.check(t)
	})
	t.Run("taken meanwhile", func(t *testing.T) {
		f := newFoldFixture(t)
		f.journal(t, 100)
		ids, blobs, sum, gs, err := f.db.readPending(ctx)
		if err != nil {
			t.Fatal(err)
		}
		// Another fold takes the deltas between the read and the swap.
		if err := f.db.FoldReports(ctx); err != nil {
			t.Fatal(err)
		}
		f.journal(t, 5)
		var parts []foldSlice
		for _, p := range sum.split(foldPart) {
			parts = append(parts, foldSlice{blob: p.encode(), rows: p.tableRows(0, gs), grains: gs})
		}
		err = f.db.update(ctx, func(tx *txn) error { _, err := tx.swapPending(ctx, ids, blobs, parts); return err })
		if !errors.Is(err, errFoldRace) {
			t.Fatalf("swapping deltas another fold took: %v, want errFoldRace", err)
		}
		// A part gone is skipped; a pending row that is not the part (SQLite
		// gives a deleted row's id to the next) is left.
		var newest int64
		if err := f.db.db.QueryRow(ctx, "SELECT MAX(id) FROM rollup_pending").Scan(&newest); err != nil {
			t.Fatal(err)
		}
		if err := f.db.update(ctx, func(tx *txn) error { return tx.addSlice(ctx, newest+1, parts[0]) }); err != nil {
			t.Fatalf("adding a part already gone: %v", err)
		}
		err = f.db.update(ctx, func(tx *txn) error { return tx.addSlice(ctx, newest, parts[0]) })
		if !errors.Is(err, errFoldRace) {
			t.Fatalf("adding a part whose row holds another delta: %v, want errFoldRace", err)
		}
		if err := f.db.FoldReports(ctx); err != nil {
			t.Fatal(err)
		}
		f.check(t)
	})
	t.Run("rolled", func(t *testing.T) {
		f := newFoldFixture(t)
		f.journal(t, 60)
		if err := f.db.FoldReports(ctx); err != nil {
			t.Fatal(err)
		}
		var weeks int
		if err := f.db.db.QueryRow(ctx, "SELECT COUNT(*) FROM rollup_sales WHERE grain <> 1").Scan(&weeks); err != nil {
			t.Fatal(err)
		}
		if weeks != 0 {
			t.Fatalf("%d week and month rows for days after the watermark", weeks)
		}
		f.check(t) // day rows only
		// A fold laid out before a roll is refused after it.
		f.journal(t, 5)
		ids, blobs, sum, gs, err := f.db.readPending(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if err := f.db.update(ctx, func(tx *txn) error { return tx.rollTo(ctx, 20_001) }); err != nil {
			t.Fatal(err)
		}
		parts := []foldSlice{{blob: sum.encode(), rows: sum.tableRows(0, gs), grains: gs}}
		var partIDs []int64
		if err := f.db.update(ctx, func(tx *txn) (err error) { partIDs, err = tx.swapPending(ctx, ids, blobs, parts); return err }); err != nil {
			t.Fatal(err)
		}
		err = f.db.update(ctx, func(tx *txn) error { return tx.addSlice(ctx, partIDs[0], parts[0]) })
		if !errors.Is(err, errFoldRace) {
			t.Fatalf("adding a part laid out before a roll: %v, want errFoldRace", err)
		}
		if err := f.db.FoldReports(ctx); err != nil {
			t.Fatal(err)
		}
		f.check(t) // the first day at every grain, the others by day
		if err := f.db.update(ctx, func(tx *txn) error { return tx.rollTo(ctx, 20_003) }); err != nil {
			t.Fatal(err)
		}
		// The roll journals the day rows it passes; the fold adds them at
		// every grain.
		var days int
		if err := f.db.db.QueryRow(ctx, "SELECT COUNT(*) FROM rollup_sales WHERE grain = 1 AND day >= 20001").Scan(&days); err != nil {
			t.Fatal(err)
		}
		if days != 0 {
			t.Fatalf("%d day rows of rolled days left in the table", days)
		}
		if err := f.db.FoldReports(ctx); err != nil {
			t.Fatal(err)
		}
		f.check(t) // every day at every grain
		if err := f.db.update(ctx, func(tx *txn) error { return tx.rollTo(ctx, 20_002) }); err != nil {
			t.Fatal(err)
		}
		f.journal(t, 7)
		if err := f.db.FoldReports(ctx); err != nil {
			t.Fatal(err)
		}
		f.check(t) // the watermark did not move back; later changes go to every grain
	})
	t.Run("concurrent", func(t *testing.T) {
		f := newFoldFixture(t)
		var wg sync.WaitGroup
		stop := make(chan struct{})
		for range 3 {
			wg.Go(func() {
				for {
					select {
					case <-stop:
						return
					default:
					}
					if err := f.db.FoldReports(ctx); err != nil {
						t.Error(err)
						return
					}
				}
			})
		}
		var writers sync.WaitGroup
		for range 4 {
			writers.Go(func() { f.journal(t, 150) })
		}
		// The watermark moves across the fixture's days meanwhile.
		writers.Go(func() {
			for day := int64(20_000); day <= 20_003; day++ {
				if err := f.db.update(ctx, func(tx *txn) error { return tx.rollTo(ctx, day) }); err != nil {
					t.Error(err)
				}
				time.Sleep(20 * time.Millisecond)
			}
		})
		writers.Wait()
		close(stop)
		wg.Wait()
		if err := f.db.FoldReports(ctx); err != nil {
			t.Fatal(err)
		}
		f.check(t)
	})
}
