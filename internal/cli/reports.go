package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/omshq/oms/internal/progress"
)

const reportsUsage = `Usage: oms reports rebuild [--db …]

Subcommands:
  rebuild   recomputes every report rollup from the orders and stock (what
            the reports read), with a progress bar on a terminal. The
            rollups are kept as orders change; a rebuild is for after a bulk
            load that bypassed the store, or to repair rollups oms check
            finds wrong. The database must exist.

Flags of rebuild:
`

func reportsCommand(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, dsn := newFlags("reports rebuild", stderr)
	fs.Usage = func() { fmt.Fprint(fs.Output(), reportsUsage); fs.PrintDefaults() }
	switch {
	case len(args) > 0 && isHelp(args[0]):
		fs.Usage()
		return flag.ErrHelp
	case len(args) == 0:
		return usageError(fs, "name the subcommand: rebuild")
	case args[0] != "rebuild":
		return usageError(fs, "%q is not a subcommand: rebuild is", args[0])
	}
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError(fs, "rebuild %s", extraArgs(fs))
	}
	db, err := openExisting(ctx, *dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	mode := progress.Lines
	if isTerminal(stderr) {
		mode = progress.Bar
	}
	start := time.Now()
	var bar *progress.Progress
	var last string
	err = reportsOf(db).RebuildReports(ctx, func(name string, done, total int64) {
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
}
