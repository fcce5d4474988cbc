package cli

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/omshq/oms/internal/progress"
	"github.com/omshq/oms/internal/store"
)

const reportsUsage = `oms reports rebuild [--db …]

Recomputes every report rollup from the orders and stock (what the reports
read), with a progress bar on a terminal. The rollups are kept as orders
change; a rebuild is for after a bulk load that bypassed the store, or to
repair rollups oms check finds wrong.
`

func reportsCommand(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "rebuild" {
		fmt.Fprint(stderr, reportsUsage)
		return exitError(2)
	}
	return withDB(ctx, "reports rebuild", args[1:], stderr, func(db *store.DB, _ string) error {
		mode := progress.Lines
		if isTerminal(stderr) {
			mode = progress.Bar
		}
		start := time.Now()
		var bar *progress.Progress
		var last string
		err := db.RebuildReports(ctx, func(name string, done, total int64) {
			if name != last {
				if bar != nil {
					bar.Finish()
				}
				bar, last = progress.New(mode, stderr, "rebuilding "+name+" reports", "", total), name
			}
			bar.Set(done, fmt.Sprintf("%d of %d", done, total))
		})
		if bar != nil {
			bar.Finish()
		}
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "report rollups rebuilt in %s\n", time.Since(start).Round(time.Millisecond))
		return nil
	})
}
