package cli

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/omshq/oms/internal/store"
)

const reportsUsage = `oms reports rebuild [--db …]

Recomputes every report rollup from the source data (the stock ledger, the
orders) in one transaction, replacing what was there. Reports stay fast
because orders and stock movements keep the rollups up to date as they
happen; rebuild when oms check finds a rollup wrong, or after loading data
by a path that bypasses the store.
`

// reportsCommand runs oms reports.
func reportsCommand(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "rebuild" {
		fmt.Fprint(stderr, reportsUsage)
		return exitError(2)
	}
	return withDB(ctx, "reports rebuild", args[1:], stderr, func(db *store.DB, _ string) error {
		start := time.Now()
		if err := db.RebuildReports(ctx); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "rebuilt the report rollups in %s\n", time.Since(start).Round(time.Millisecond))
		return nil
	})
}
