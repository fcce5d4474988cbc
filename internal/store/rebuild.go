package store

import (
	"context"
	"fmt"
)

// reportRebuilder recomputes one family of report rollups from source
// data, inside the rebuild's transaction.
type reportRebuilder struct {
	name    string
	rebuild func(tx *Tx, ctx context.Context) error
}

// reportRebuilders are the rollups RebuildReports recomputes, in order.
var reportRebuilders = []reportRebuilder{
	{"stock", (*Tx).rebuildStock},
}

// RebuildReports recomputes every report rollup from the source data (the
// ledger, orders) in one transaction, replacing what was there. Run it when
// a rollup is suspected wrong (oms check says so) or after loading data
// by a path that bypasses the store.
func (db *DB) RebuildReports(ctx context.Context) error {
	return db.update(ctx, func(tx *Tx) error {
		for _, r := range reportRebuilders {
			if err := r.rebuild(tx, ctx); err != nil {
				return fmt.Errorf("rebuild %s: %w", r.name, err)
			}
		}
		return nil
	})
}
