package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/store"
	"github.com/omshq/oms/internal/store/reports"
)

// defaultDB is the SQLite file used when neither --db nor OMS_DB is given.
const defaultDB = "oms.db"

// command is one subcommand of oms.
type command struct {
	name     string
	synopsis string // how it is called, after "oms "
	summary  string // what it does, in a line
	run      func(ctx context.Context, args []string, stdout, stderr io.Writer) error
}

// commands are every subcommand, in the order oms help lists them.
func commands() []command {
	return []command{
		{"serve", "serve [--addr 127.0.0.1:8080] [--db PATH|postgres://…]", "run the API server (creates and migrates the database)", serve},
		{"migrate", "migrate [--db …]", "create the database or upgrade its schema", migrate},
		{"demo", "demo [--orders 20000] [--days 90] [--seed 1] [--db …]", "fill a new or empty database with a demo business", demoCommand},
		{"check", "check [--db …]", "verify every invariant; exit status 1 on a violation", check},
		{"import", "import --channel CODE [--dry-run] [--format KIND] [--db …] FILE…", "import orders from channel files (JSON or CSV)", importOrders},
		{"export", "export [--out FILE] [--from DAY] [--to DAY] … orders|order-lines|inventory|ledger", "write orders, order lines, stock or the ledger as CSV", export},
		{"fx", "fx import [--db …] FILE", "import ECB exchange rates from an XML file", fxCommand},
		{"apikey", "apikey create --role ROLE --name NAME [--channels CODES] [--locations CODES] | list | revoke ID [--db …]", "create an API key and print it; list or revoke keys", apikey},
		{"webhooks", "webhooks create --url URL --events PATTERNS | list | enable|disable|delete|rotate|deliveries ID | retry ID DELIVERY | replay --from T --to T ID [--db …]", "manage webhook endpoints, their secrets and deliveries", webhooksCommand},
		{"user", "user create --email EMAIL --name NAME --role ROLE [--locations CODES] [--password-stdin] | list [--db …]", "create a console user (a person who signs in); list users", userCommand},
		{"reports", "reports rebuild [--db …]", "recompute the report rollups from the orders and stock", reportsCommand},
		{"bench", "bench [--db sqlite|postgres://… | --url URL --key KEY] [flags]", "measure order placement over HTTP", bench},
		{"version", "version", "print the version, the commit and the Go version", versionCommand},
		{"help", "help", "list the commands", helpCommand},
	}
}

func lookup(name string) (command, bool) {
	for _, c := range commands() {
		if c.name == name {
			return c, true
		}
	}
	return command{}, false
}

// printUsage lists every command with one line each.
func printUsage(w io.Writer) {
	fmt.Fprint(w, "oms — order management system\n\nUsage: oms COMMAND [flags]\n\nCommands:\n")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-8s  %s\n", c.name, c.summary)
	}
	fmt.Fprint(w, `
"oms COMMAND -h" shows a command's flags. The database is --db, else $OMS_DB,
else ./oms.db (SQLite). Only serve, migrate and demo create a SQLite file that
does not exist; the other commands refuse it. Roles of API keys: admin,
manager, agent, warehouse, channel.
`)
}

func helpCommand(_ context.Context, _ []string, stdout, _ io.Writer) error {
	printUsage(stdout)
	return nil
}

// Run runs the command line and returns the process exit code: 0 on
// success, 1 when the command failed, 2 for a bad command line. Errors are
// printed once, as "oms COMMAND: message".
func Run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		printUsage(stderr)
		return 2
	}
	name := args[0]
	if isHelp(name) {
		name = "help"
	}
	cmd, ok := lookup(name)
	if !ok {
		fmt.Fprintf(stderr, "oms: unknown command %q\n\n", name)
		printUsage(stderr)
		return 2
	}
	err := cmd.run(ctx, args[1:], stdout, stderr)
	var exit exitError
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.As(err, &exit):
		return int(exit)
	}
	fmt.Fprintf(stderr, "oms %s: %s\n", name, message(err))
	return 1
}

// isHelp reports whether arg asks for help.
func isHelp(arg string) bool {
	switch arg {
	case "-h", "-help", "--help", "help":
		return true
	}
	return false
}

// message is err as a person reads it after "oms COMMAND: ". An oms.Error
// shows its message, or the fields at fault, without the "oms: code: " its
// Error method begins with; the context it was wrapped in stays.
func message(err error) string {
	var e *oms.Error
	if !errors.As(err, &e) {
		return err.Error()
	}
	msg := e.Message
	if len(e.Fields) > 0 {
		parts := make([]string, len(e.Fields))
		for i, f := range e.Fields {
			parts[i] = f.Field + ": " + f.Message
		}
		msg = strings.Join(parts, "; ")
	}
	return strings.Replace(err.Error(), e.Error(), msg, 1)
}

// exitError ends the command with the code, its message already printed.
type exitError int

func (e exitError) Error() string { return fmt.Sprintf("exit %d", int(e)) }

// newFlags returns a flag set with the --db flag every command shares. Its
// usage names the command's synopsis and summary, then the flags.
func newFlags(name string, stderr io.Writer) (*flag.FlagSet, *string) {
	fs := flag.NewFlagSet("oms "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	if c, ok := lookup(strings.Fields(name)[0]); ok {
		fs.Usage = func() {
			fmt.Fprintf(fs.Output(), "Usage: oms %s\n\n%s.\n\nFlags:\n", c.synopsis, c.summary)
			fs.PrintDefaults()
		}
	}
	dsn := os.Getenv("OMS_DB")
	if dsn == "" {
		dsn = defaultDB
	}
	db := fs.String("db", dsn, "SQLite file path or postgres:// URL (env OMS_DB)")
	return fs, db
}

// parse parses the flags. A bad flag ends the command with exit status 2:
// the flag package has printed it, with the usage, already.
func parse(fs *flag.FlagSet, args []string) error {
	err := fs.Parse(args)
	if err != nil && !errors.Is(err, flag.ErrHelp) {
		return exitError(2)
	}
	return err
}

// usageError says what is wrong with the command line (a line of its own,
// "oms COMMAND: …"), prints the usage and ends the command with exit
// status 2.
func usageError(fs *flag.FlagSet, format string, args ...any) error {
	name := strings.Fields(fs.Name())
	fmt.Fprintf(fs.Output(), "%s: %s\n", strings.Join(name[:min(2, len(name))], " "), fmt.Sprintf(format, args...))
	fs.Usage()
	return exitError(2)
}

// extraArgs is the reason for a command that takes no arguments but was
// given some.
func extraArgs(fs *flag.FlagSet) string {
	return fmt.Sprintf("takes no arguments, not %q", strings.Join(fs.Args(), " "))
}

// openDB opens (and migrates) the database at dsn, creating a SQLite file
// that does not exist: for serve and migrate.
func openDB(ctx context.Context, dsn string) (*store.DB, error) {
	return openDBWith(ctx, dsn, store.Options{})
}

// openDBWith is openDB with options (SQLiteSync and Fault are set here).
func openDBWith(ctx context.Context, dsn string, opt store.Options) (*store.DB, error) {
	opt.SQLiteSync, opt.Fault = os.Getenv("OMS_SQLITE_SYNC"), faultHook()
	if opt.Log == nil {
		opt.Log = slog.Default()
	}
	if opt.Feed == nil {
		opt.Feed = reports.New()
	}
	db, err := store.Open(ctx, dsn, opt)
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	return db, nil
}

// reportsOf is the reporting read model of a store opened with one, as
// openDBWith opens them.
func reportsOf(db *store.DB) oms.Reports { return db.Services().Reports }

// openExisting opens the database at dsn as openDB does, but refuses a
// SQLite file that does not exist: the command would find nothing there,
// and creating the file would hide a mistyped path.
func openExisting(ctx context.Context, dsn string) (*store.DB, error) {
	if err := mustExist(dsn); err != nil {
		return nil, err
	}
	return openDB(ctx, dsn)
}

// mustExist returns an error when dsn names a SQLite file that does not
// exist.
func mustExist(dsn string) error {
	if store.IsPostgres(dsn) {
		return nil
	}
	path := store.SQLitePath(dsn)
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("no database at %s: check --db (or $OMS_DB); oms migrate, serve or demo create one", store.RedactDSN(path))
	}
	return nil
}

// withDB parses the flags a command shares (--db) and runs fn on the open,
// migrated database, which must exist.
func withDB(ctx context.Context, name string, args []string, stderr io.Writer, fn func(db *store.DB, dsn string) error) error {
	fs, dsn := newFlags(name, stderr)
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError(fs, "%s", extraArgs(fs))
	}
	db, err := openExisting(ctx, *dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	return fn(db, *dsn)
}

func migrate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, dsn := newFlags("migrate", stderr)
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError(fs, "%s", extraArgs(fs))
	}
	db, err := openDB(ctx, *dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	fmt.Fprintf(stdout, "database %s is up to date\n", store.RedactDSN(*dsn))
	return nil
}

func check(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return withDB(ctx, "check", args, stderr, func(db *store.DB, _ string) error { return report(ctx, db, stdout) })
}

// report prints what db.Check found, and fails with exit status 1 on any
// violation.
func report(ctx context.Context, db *store.DB, stdout io.Writer) error {
	r, err := db.Check(ctx)
	if err != nil {
		return err
	}
	if len(r.Violations) == 0 {
		fmt.Fprintf(stdout, "ok: every invariant holds over %d orders, %d lines and %d balances\n", r.Orders, r.Lines, r.Balances)
		return nil
	}
	for _, v := range r.Violations {
		fmt.Fprintln(stdout, v)
	}
	fmt.Fprintf(stdout, "FAIL: %d violations over %d orders, %d lines and %d balances\n", len(r.Violations), r.Orders, r.Lines, r.Balances)
	return exitError(1)
}
