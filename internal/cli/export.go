package cli

import (
	"bufio"
	"context"
	"encoding/csv"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/progress"
)

const exportUsage = `Usage: oms export [--db …] [--out FILE] [--from DAY] [--to DAY] [--channel CODE] [--status S]
                  [--sku SKU] [--location CODE] orders|order-lines|inventory|ledger

Writes an export as CSV, the same as GET /v1/exports/{name}: to --out, or to
standard output. A progress bar shows on a terminal. --from and --to are days
(YYYY-MM-DD, both inclusive) or RFC 3339 times.
`

func export(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, dsn := newFlags("export", stderr)
	out := fs.String("out", "", "file to write (default: standard output)")
	from := fs.String("from", "", "first day or time")
	to := fs.String("to", "", "last day or time")
	var f oms.ExportFilter
	fs.StringVar(&f.Channel, "channel", "", "channel code (orders, order lines)")
	status := fs.String("status", "", "order status (orders, order lines)")
	fs.StringVar(&f.SKU, "sku", "", "only this SKU")
	fs.StringVar(&f.Location, "location", "", "location code (inventory, ledger)")
	fs.Usage = func() { fmt.Fprint(stderr, exportUsage); fs.PrintDefaults() }
	// Flags may come before or after the export's name.
	var names []string
	for rest := args; ; rest = fs.Args()[1:] {
		if err := parse(fs, rest); err != nil {
			return err
		}
		if fs.NArg() == 0 {
			break
		}
		names = append(names, fs.Arg(0))
	}
	if len(names) != 1 {
		return usageError(fs, "name one export (%s), not %d", strings.Join(oms.Exports, ", "), len(names))
	}
	name := names[0]
	var given []string
	fs.Visit(func(fl *flag.Flag) {
		if slices.Contains(oms.ExportFilterNames, fl.Name) {
			given = append(given, fl.Name)
		}
	})
	if err := oms.CheckExportTakes(name, given); err != nil {
		return err
	}
	var p oms.Problems
	f.Range, f.Status = oms.ParseRange(&p, *from, *to), oms.Status(*status)
	if err := p.Err(); err != nil {
		return err
	}
	header, err := oms.ExportHeader(name)
	if err != nil {
		return err
	}
	db, err := openExisting(ctx, *dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.CheckExportFilter(ctx, f); err != nil {
		return err
	}
	total, err := db.ExportCount(ctx, name, f)
	if err != nil {
		return err
	}
	w := stdout
	if *out != "" {
		file, err := os.Create(*out)
		if err != nil {
			return err
		}
		defer file.Close()
		w = file
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	cw := csv.NewWriter(bw)
	cw.Write(header)

	mode := progress.Off
	if isTerminal(stderr) && (*out != "" || !isTerminal(stdout)) {
		mode = progress.Bar
	}
	bar := progress.New(mode, stderr, "exporting "+name, "", total)
	var done atomic.Int64
	stop := progress.Ticker(200*time.Millisecond, func() { bar.Set(done.Load(), fmt.Sprintf("%d rows", done.Load())) })
	err = db.Export(ctx, name, f, func(row []string) error {
		done.Add(1)
		return cw.Write(row)
	})
	stop()
	bar.Finish()
	if err != nil {
		return err
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	if *out != "" {
		fmt.Fprintf(stderr, "%s: %d rows written to %s\n", name, done.Load(), strings.TrimSpace(*out))
	}
	return nil
}
