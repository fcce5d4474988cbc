package reports

import (
	"context"
	"fmt"
	"strings"
)

// rebuilder recomputes one family of report rollups from the source data,
// inside tx, calling progress as it goes (done of total units of work).
type rebuilder struct {
	Name string
	Run  func(tx *txn, ctx context.Context, progress func(done, total int64)) error
}

// rebuilders are what RebuildReports runs, in order; a family of reports
// adds its own here.
var rebuilders = []rebuilder{
	{Name: "orders", Run: (*txn).rebuildOrderRollups},
	{Name: "stock", Run: func(tx *txn, ctx context.Context, progress func(done, total int64)) error {
		progress(0, 1)
		if err := tx.rebuildStock(ctx); err != nil {
			return err
		}
		progress(1, 1)
		return nil
	}},
}

// RebuildReports recomputes every report rollup from the source data, each
// family in one transaction, and reports progress by family name.
func (db *Reports) RebuildReports(ctx context.Context, progress func(name string, done, total int64)) error {
	for _, r := range rebuilders {
		err := db.update(ctx, func(tx *txn) error {
			return r.Run(tx, ctx, func(done, total int64) {
				if progress != nil {
					progress(r.Name, done, total)
				}
			})
		})
		if err != nil {
			return fmt.Errorf("rebuild %s reports: %w", r.Name, err)
		}
	}
	return nil
}

// rebuildChunk is how many orders a rebuild reads at a time.
const rebuildChunk = 5000

// orderRollups are the tables rebuildOrderRollups empties and fills.
var orderRollups = []string{"rollup_sales", "rollup_cycles", "rollup_returns", "rollup_pending"}

// rebuildOrderRollups empties the order rollups and their pending deltas
// and adds every order's contribution. On PostgreSQL it first locks them
// against writers: a transaction changing an order meanwhile waits to add
// its delta until the rebuild, which read the order as it was before, has
// committed.
func (tx *txn) rebuildOrderRollups(ctx context.Context, progress func(done, total int64)) error {
	if tx.db.engine.name == "postgres" {
		if _, err := tx.ExecContext(ctx, "LOCK TABLE "+strings.Join(orderRollups, ", ")+" IN EXCLUSIVE MODE"); err != nil {
			return err
		}
	}
	for _, t := range orderRollups {
		if _, err := tx.ExecContext(ctx, "DELETE FROM "+t); err != nil {
			return err
		}
	}
	// A roll meanwhile waits: the rows are laid out by this watermark.
	gs, err := tx.rolled(ctx, tx.db.engine.forUpdate)
	if err != nil {
		return err
	}
	var lo, hi, total int64
	if err := tx.QueryRowContext(ctx, "SELECT COALESCE(MIN(seq), 1) - 1, COALESCE(MAX(seq), 0), COUNT(*) FROM orders").Scan(&lo, &hi, &total); err != nil {
		return err
	}
	var done int64
	progress(0, total)
	for from := lo; from < hi; from += rebuildChunk {
		fs, err := tx.loadFacts(ctx, seqRange(from, min(from+rebuildChunk, hi)))
		if err != nil {
			return err
		}
		if err := tx.markBackordered(ctx, fs); err != nil {
			return err
		}
		d := newDelta()
		for _, f := range fs {
			d.add(f, 1)
		}
		if err := tx.writeDelta(ctx, d, gs); err != nil {
			return err
		}
		done += int64(len(fs))
		progress(done, total)
	}
	return nil
}
