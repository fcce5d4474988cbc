package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/pprof"
	"strings"
	"time"

	loadtool "github.com/omshq/oms/internal/bench"
)

const benchUsage = `Usage: oms bench [--db sqlite|postgres://… | --url URL --key KEY] [flags]

Measures order placement: sets up 3 channels, 4 locations and --items items
with stock, places orders of 1–5 lines (SKUs drawn from a Zipf distribution;
the hottest 2% have little stock and sell out) from --clients concurrent
clients for a warm-up and then --duration, and reports orders/s, latency
p50/p95/p99/max, accepted / out-of-stock / error counts, lookup latencies
and, in-process, the peak memory of the process. Then it verifies the
invariants (what oms check does) and that every order answered with 201
exists with the lines and allocations the answer showed.

In-process (the default, --db sqlite): oms runs in this process on a fresh
SQLite file in a temporary directory, or with --db postgres://… on a fresh
schema bench_<random>_oms in that database, and is driven over real HTTP on
127.0.0.1. The database is removed afterwards unless --keep. The server and
the load generator share the process, its CPUs and its memory figures.

Over --url: drives a running oms; --key must be an admin key (it creates a
channel key and runs GET /v1/admin/check). --baseline needs in-process mode.

Exit status: 0 when every invariant holds and every acknowledged order was
found as acknowledged — even if some requests failed (they are counted and
shown); 1 when verification fails, printing what, or the run could not be
done; 2 for bad flags.

Flags:
`

func bench(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cfg := loadtool.Defaults()
	fs := flag.NewFlagSet("oms bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), benchUsage)
		fs.PrintDefaults()
	}
	fs.StringVar(&cfg.DB, "db", "", "run oms in-process on a fresh database: sqlite, or a postgres:// URL (a fresh schema is made there); the default without --url is sqlite")
	fs.StringVar(&cfg.URL, "url", "", "drive the running oms at this base URL instead, e.g. http://127.0.0.1:8080")
	fs.StringVar(&cfg.Key, "key", "", "admin API key of the oms at --url")
	fs.IntVar(&cfg.Clients, "clients", cfg.Clients, "concurrent clients, in every phase")
	fs.DurationVar(&cfg.Duration, "duration", cfg.Duration, "measured order run (and the --baseline measurement)")
	fs.DurationVar(&cfg.Warmup, "warmup", cfg.Warmup, "orders placed before the measurement starts, not counted")
	fs.IntVar(&cfg.Items, "items", cfg.Items, "items in the catalog")
	fs.Uint64Var(&cfg.Seed, "seed", cfg.Seed, "seed of the generated orders, so that runs repeat")
	fs.BoolVar(&cfg.Baseline, "baseline", false, "first measure the database's raw transaction ceiling on a separate fresh database and report orders/s ÷ ceiling (in-process only)")
	fs.DurationVar(&cfg.Settle, "settle", cfg.Settle, "with --baseline: pause after the ceiling measurement so its background work (checkpoints, vacuum) does not slow the order run")
	fs.IntVar(&cfg.Preload, "preload", 0, "place this many orders before the timed run (mostly from the backorder channel, ~50k customers)")
	fs.IntVar(&cfg.Webhooks, "webhooks", cfg.Webhooks, "subscribe this many local receivers to every event and run the webhook dispatcher while placing orders (in-process; -1: no dispatcher); reports deliveries/s")
	fs.IntVar(&cfg.Lookups, "lookups", cfg.Lookups, "requests of each lookup kind (by id, by number, by email, list allocated) after the run; 0 skips them")
	fs.IntVar(&cfg.Writers, "writers", 0, "order batches the in-process server runs at once on PostgreSQL (0: the default)")
	fs.IntVar(&cfg.Servers, "servers", cfg.Servers, "run this many oms servers in-process on the one PostgreSQL database of --db, and spread the order clients across them")
	fs.IntVar(&cfg.LookupClients, "lookup-clients", cfg.LookupClients, "concurrent clients of the lookup phase")
	cpuprofile := fs.String("cpuprofile", "", "write a CPU profile of the whole run (server and load generator) to this file")
	blockprofile := fs.String("blockprofile", "", "write a profile of where goroutines blocked (channels, locks, select) during the whole run to this file")
	mutexprofile := fs.String("mutexprofile", "", "write a profile of contended mutexes during the whole run to this file")
	fs.BoolVar(&cfg.JSON, "json", false, "print one JSON object on stdout, and no progress")
	fs.BoolVar(&cfg.Keep, "keep", false, "keep the temporary database (in-process)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "oms bench: unexpected argument %q\n", fs.Arg(0))
		return exitError(2)
	}
	if err := cfg.Validate(); err != nil {
		fmt.Fprintf(stderr, "oms bench: %s\n", strings.ReplaceAll(err.Error(), "\n", "\noms bench: "))
		return exitError(2)
	}
	cfg.Terminal = isTerminal(stderr)
	cfg.SQLiteSync = os.Getenv("OMS_SQLITE_SYNC")
	tuneGC() // the in-process server runs as oms serve would
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	if *blockprofile != "" {
		runtime.SetBlockProfileRate(int(10 * time.Microsecond)) // a sample per 10 µs blocked
		defer runtime.SetBlockProfileRate(0)
		defer writeProfile("block", *blockprofile, stderr)
	}
	if *mutexprofile != "" {
		defer runtime.SetMutexProfileFraction(runtime.SetMutexProfileFraction(1))
		defer writeProfile("mutex", *mutexprofile, stderr)
	}
	return loadtool.Run(ctx, cfg, stdout, stderr)
}

// writeProfile writes the named runtime profile to path; a failure is
// reported, not fatal, as the run itself is done.
func writeProfile(name, path string, stderr io.Writer) {
	f, err := os.Create(path)
	if err == nil {
		err = pprof.Lookup(name).WriteTo(f, 0)
		err = errors.Join(err, f.Close())
	}
	if err != nil {
		fmt.Fprintf(stderr, "oms bench: %s profile: %v\n", name, err)
	}
}

// isTerminal reports whether w is a character device such as a terminal,
// where a progress bar can redraw itself.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
