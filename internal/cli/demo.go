package cli

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/omshq/oms/internal/demo"
	"github.com/omshq/oms/internal/progress"
	"github.com/omshq/oms/internal/store"
	"github.com/omshq/oms/internal/store/reports"
)

const demoUsage = `Usage: oms demo [--db …] [--orders 20000] [--days 90] [--seed 1]

Fills an empty database with a demo business: web, Amazon, eBay and store
till channels in USD, EUR and GBP; two warehouses and two stores that ship
and take pickups; 200 items with costs; and the orders of the last --days
days with their shipments, deliveries, pickups, backorders, restocks, holds
and cancellations — all through the same code as real orders, on a clock
that walks through the days. Then run oms serve on the same database.
`

func demoCommand(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, dsn := newFlags("demo", stderr)
	orders := fs.Int("orders", 20_000, "orders to place")
	days := fs.Int("days", 90, "days the orders spread over, ending today")
	seed := fs.Uint64("seed", 1, "the same seed makes the same business")
	fs.Usage = func() { fmt.Fprint(stderr, demoUsage); fs.PrintDefaults() }
	if err := parse(fs, args); err != nil {
		return err
	}
	switch {
	case fs.NArg() > 0:
		return usageError(fs, "%s", extraArgs(fs))
	case *orders < 1:
		return usageError(fs, "-orders %d: give 1 or more", *orders)
	case *days < 1 || *days > 3650:
		return usageError(fs, "-days %d: give 1 to 3650", *days)
	}
	clock := &demo.Clock{}
	// Demo data is made again in a minute: commits need not wait for the
	// disk (SQLite synchronous=normal), which makes the demo several times
	// faster. oms serve opens the database in its own, durable mode.
	db, err := store.Open(ctx, *dsn, store.Options{Now: clock.Now, SQLiteSync: "normal", Feed: reports.New()})
	if err != nil {
		return fmt.Errorf("open database: %w", err)
	}
	defer db.Close()
	counts, err := db.Counts(ctx)
	if err != nil {
		return err
	}
	if counts["orders"] > 0 || counts["items"] > 0 {
		return fmt.Errorf("%s already holds items or orders: the demo fills an empty database", *dsn)
	}
	mode := progress.Lines
	if isTerminal(stderr) {
		mode = progress.Bar
	}
	bar := progress.New(mode, stderr, "demo", "", int64(*orders))
	began := time.Now()
	sum, err := demo.Run(ctx, db, clock, demo.Options{Orders: *orders, Days: *days, Seed: *seed,
		End: time.Now().UTC(), Progress: func(n int64, status string) { bar.Set(n, status) }})
	bar.Finish()
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "demo: %s in %s\n", sum, time.Since(began).Round(100*time.Millisecond))
	rep, err := db.Check(ctx)
	if err != nil {
		return err
	}
	if len(rep.Violations) > 0 {
		for _, v := range rep.Violations {
			fmt.Fprintln(stderr, v)
		}
		return exitError(1)
	}
	fmt.Fprintf(stdout, "check: every invariant holds (%d orders, %d lines, %d balances)\nnow run: oms serve --db %s\n",
		rep.Orders, rep.Lines, rep.Balances, *dsn)
	return nil
}
