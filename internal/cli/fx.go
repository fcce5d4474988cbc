package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/fx"
)

const fxUsage = `Usage: oms fx import [--db …] FILE

Subcommands:
  import    stores the ECB euro reference rates of an XML file (the daily
            file or a history file) as POST /v1/fx-rates does, and prints
            what changed. The database must exist.

Flags of import:
`

// fxCommand runs "oms fx import FILE": it stores the ECB reference rates of
// an XML file (the daily file or a history file) as POST /v1/fx-rates does,
// and prints what the import did.
func fxCommand(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, dsn := newFlags("fx import", stderr)
	fs.Usage = func() { fmt.Fprint(fs.Output(), fxUsage); fs.PrintDefaults() }
	switch {
	case len(args) > 0 && isHelp(args[0]):
		fs.Usage()
		return flag.ErrHelp
	case len(args) == 0:
		return usageError(fs, "name the subcommand: import")
	case args[0] != "import":
		return usageError(fs, "%q is not a subcommand: import is", args[0])
	}
	// Flags may come before or after the file.
	var files []string
	for rest := args[1:]; ; rest = fs.Args()[1:] {
		if err := parse(fs, rest); err != nil {
			return err
		}
		if fs.NArg() == 0 {
			break
		}
		files = append(files, fs.Arg(0))
	}
	if len(files) != 1 {
		return usageError(fs, "import takes one ECB file, not %d", len(files))
	}
	f, err := os.Open(files[0])
	if err != nil {
		return err
	}
	defer f.Close()
	rates, err := fx.ParseECB(f)
	if err != nil {
		return fmt.Errorf("%s: %w", files[0], err)
	}
	db, err := openExisting(ctx, *dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	res, err := db.ImportRates(ctx, rates, oms.System("cli"))
	if err != nil {
		return err
	}
	printImport(stdout, res)
	return nil
}

func printImport(w io.Writer, r oms.FXImport) {
	days := "days"
	if r.Days == 1 {
		days = "day"
	}
	fmt.Fprintf(w, "%d rates of %d %s (%s to %s): %d added, %d changed, %d unchanged; base totals recorded on %d orders\n",
		r.Rates, r.Days, days, r.FirstDay, r.LastDay, r.Added, r.Changed, r.Unchanged, r.OrdersFilled)
}
