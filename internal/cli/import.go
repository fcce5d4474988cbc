package cli

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/channel"
	"github.com/omshq/oms/internal/progress"
	"github.com/omshq/oms/internal/store"
)

const importUsage = `Usage: oms import --channel CODE [--format KIND] [--dry-run] [--workers 4] [--db …] FILE…

Imports orders from files in the channel's own format: Shopify, WooCommerce
or eBay order JSON (one order, an array, a list response or JSON Lines),
Amazon getOrders pages with getOrderItems responses (or envelopes), or the
CSV format in the README. --format reads the files in another kind's format
(csv, say, for a spreadsheet export of any channel). Importing a file again
changes nothing. --dry-run checks every order and reports each problem by
file and line, writing nothing. The exit status is 1 when any order failed.
`

// importSummary counts what became of the orders of an import. Each order
// is counted once, as created, updated, duplicate, stale or failed; held
// counts the created orders that were put on hold.
type importSummary struct {
	created, held, updated, duplicates, stale, failed atomic.Int64
}

// counts lists the counts, which add up to the orders counted: "2 created
// (1 held), 0 updated, 0 duplicate, 0 stale, 2 failed", or on a dry run "2
// to create (1 to hold), 0 to update, …".
func (s *importSummary) counts(dryRun bool) string {
	format := "%d created (%d held), %d updated, %d duplicate, %d stale, %d failed"
	if dryRun {
		format = "%d to create (%d to hold), %d to update, %d duplicate, %d stale, %d failed"
	}
	return fmt.Sprintf(format, s.created.Load(), s.held.Load(), s.updated.Load(), s.duplicates.Load(), s.stale.Load(), s.failed.Load())
}

func importOrders(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, dsn := newFlags("import", stderr)
	code := fs.String("channel", "", "code of the channel the orders come from (required)")
	format := fs.String("format", "", "read the files in this kind's format (default: the channel's kind)")
	dryRun := fs.Bool("dry-run", false, "check every order and report problems; write nothing")
	workers := fs.Int("workers", 4, "orders imported at once")
	fs.Usage = func() { fmt.Fprint(stderr, importUsage); fs.PrintDefaults() }
	if err := parse(fs, args); err != nil {
		return err
	}
	var bad string
	switch {
	case *code == "":
		bad = "-channel is required: the code of the channel the orders come from"
	case fs.NArg() == 0:
		bad = "name at least one file to import"
	case *workers < 1:
		bad = fmt.Sprintf("-workers %d: give 1 or more", *workers)
	case *format != "" && !channel.Native(*format):
		bad = fmt.Sprintf("-format %q: give csv, shopify, amazon, ebay or woocommerce", *format)
	}
	if bad != "" {
		return usageError(fs, "%s", bad)
	}
	db, err := openExisting(ctx, *dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	ch, err := db.Channel(ctx, *code)
	if err != nil {
		return err
	}
	kind := cmp.Or(*format, ch.Kind)
	if !channel.Native(kind) {
		return fmt.Errorf("channel %s is of kind %s, which has no file format: use --format csv (or shopify, amazon, ebay, woocommerce)", ch.Code, kind)
	}
	files := make([]channel.File, 0, fs.NArg())
	for _, name := range fs.Args() {
		b, err := os.ReadFile(name)
		if err != nil {
			return err
		}
		files = append(files, channel.File{Name: name, Data: b})
	}
	var recs []channel.Record
	if err := channel.Read(kind, files, func(r channel.Record) error {
		recs = append(recs, r)
		return nil
	}); err != nil {
		return err
	}

	mode := progress.Lines
	if isTerminal(stderr) {
		mode = progress.Bar
	}
	label := "importing"
	if *dryRun {
		label = "checking"
	}
	bar := progress.New(mode, stderr, label, "", int64(len(recs)))
	var sum importSummary
	var done atomic.Int64
	stop := progress.Ticker(time.Second, func() { bar.Set(done.Load(), sum.counts(*dryRun)) })

	// Problems are reported in file order once all are in.
	problems := make([]string, len(recs))
	next := make(chan int)
	var wg sync.WaitGroup
	for range *workers {
		wg.Go(func() {
			for i := range next {
				problems[i] = importOne(ctx, db, ch.Code, recs[i], *dryRun, &sum)
				done.Add(1)
			}
		})
	}
	for i := range recs {
		next <- i
	}
	close(next)
	wg.Wait()
	stop()
	bar.Finish()

	for _, p := range problems {
		if p != "" {
			fmt.Fprint(stdout, p)
		}
	}
	fmt.Fprintf(stdout, "%s: %s\n", counted(len(recs), len(files), *dryRun), sum.counts(*dryRun))
	if sum.failed.Load() > 0 {
		return exitError(1)
	}
	return nil
}

// counted says what the summary's counts are of: "4 orders in 1 file", and
// on a dry run that nothing was written.
func counted(orders, files int, dryRun bool) string {
	s := fmt.Sprintf("%d %s in %d %s", orders, plural(orders, "order"), files, plural(files, "file"))
	if dryRun {
		s += " (dry run, nothing written)"
	}
	return s
}

func plural(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}

// importOne imports (or, on a dry run, checks) one order and counts it; it
// returns the problems to report, one line each.
func importOne(ctx context.Context, db *store.DB, code string, r channel.Record, dryRun bool, sum *importSummary) string {
	if r.Err != nil {
		sum.failed.Add(1)
		return describe(r, r.Err)
	}
	if dryRun {
		pv, err := db.PreviewIngest(ctx, code, r.In)
		if err != nil {
			sum.failed.Add(1)
			return describe(r, err)
		}
		count(sum, pv.Outcome, len(pv.Unknown) > 0)
		if len(pv.Unknown) > 0 {
			return fmt.Sprintf("%s: order %s would be held: unknown_sku: %s\n", r.Where(), r.ID, strings.Join(pv.Unknown, ", "))
		}
		return ""
	}
	res, err := db.IngestOrder(ctx, code, r.In, r.Raw, oms.System("import"))
	if err != nil {
		sum.failed.Add(1)
		return describe(r, err)
	}
	held := len(res.Order.Holds) > 0 && res.Outcome == oms.IngestCreated
	count(sum, res.Outcome, held)
	if held {
		return fmt.Sprintf("%s: order %s held: %s\n", r.Where(), r.ID, res.Order.Holds[0].Reason)
	}
	return ""
}

func count(sum *importSummary, outcome string, held bool) {
	switch outcome {
	case oms.IngestCreated:
		sum.created.Add(1)
		if held {
			sum.held.Add(1)
		}
	case oms.IngestUpdated:
		sum.updated.Add(1)
	case oms.IngestDuplicate:
		sum.duplicates.Add(1)
	case oms.IngestStale:
		sum.stale.Add(1)
	}
}

// describe names the record and each problem of err on a line of its own.
func describe(r channel.Record, err error) string {
	where := r.Where()
	if r.ID != "" {
		where += ": order " + r.ID
	}
	var e *oms.Error
	if !errors.As(err, &e) || len(e.Fields) == 0 {
		return fmt.Sprintf("%s: %v\n", where, err)
	}
	var b strings.Builder
	for _, f := range e.Fields {
		fmt.Fprintf(&b, "%s: %s: %s\n", where, f.Field, f.Message)
	}
	return b.String()
}
