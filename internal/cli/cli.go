package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/omshq/oms/internal/store"
)

// defaultDB is the SQLite file used when neither --db nor OMS_DB is given.
const defaultDB = "oms.db"

const usage = `oms — order management system

Usage:
  oms serve   [--addr 127.0.0.1:8080] [--db PATH|postgres://…]   run the API server
  oms migrate [--db …]                                          create or upgrade the schema
  oms apikey create --role ROLE --name NAME [--db …]            print a new API key
  oms fx import [--db …] FILE                                   import ECB exchange rates (XML)
  oms check   [--db …]                                          verify every invariant
  oms import  --channel CODE [--dry-run] [--db …] FILE…          import orders from channel files; see oms import -h
  oms demo    [--orders 20000] [--days 90] [--db …]              fill an empty database with a demo business
  oms export  [--out FILE] [--from DAY] [--to DAY] … orders|order-lines|inventory|ledger
                                                                write CSV; see oms export -h
  oms reports rebuild [--db …]                                  recompute the report rollups from the orders
  oms bench   [--db sqlite|postgres://… | --url URL --key KEY] [--clients 32] [--duration 30s]
                                                                measure order placement; see oms bench -h

The database is --db, else $OMS_DB, else ./oms.db (SQLite).
Roles: admin, manager, agent, warehouse, channel.
`

// Run runs the command line and returns the process exit code.
func Run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	var err error
	switch args[0] {
	case "serve":
		err = serve(ctx, args[1:], stdout, stderr)
	case "migrate":
		err = migrate(ctx, args[1:], stdout, stderr)
	case "apikey":
		err = apikey(ctx, args[1:], stdout, stderr)
	case "fx":
		err = fxCommand(ctx, args[1:], stdout, stderr)
	case "check":
		err = check(ctx, args[1:], stdout, stderr)
	case "import":
		err = importOrders(ctx, args[1:], stdout, stderr)
	case "bench":
		err = bench(ctx, args[1:], stdout, stderr)
	case "export":
		err = export(ctx, args[1:], stdout, stderr)
	case "demo":
		err = demoCommand(ctx, args[1:], stdout, stderr)
	case "reports":
		err = reportsCommand(ctx, args[1:], stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	default:
		fmt.Fprintf(stderr, "oms: unknown command %q\n\n%s", args[0], usage)
		return 2
	}
	var exit exitError
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.As(err, &exit):
		return int(exit)
	}
	fmt.Fprintf(stderr, "oms %s: %v\n", args[0], err)
	return 1
}

// exitError ends the command with the code, its message already printed.
type exitError int

func (e exitError) Error() string { return fmt.Sprintf("exit %d", int(e)) }

// newFlags returns a flag set with the --db flag every command shares.
func newFlags(name string, stderr io.Writer) (*flag.FlagSet, *string) {
	fs := flag.NewFlagSet("oms "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	dsn := os.Getenv("OMS_DB")
	if dsn == "" {
		dsn = defaultDB
	}
	db := fs.String("db", dsn, "SQLite file path or postgres:// URL (env OMS_DB)")
	return fs, db
}

func openDB(ctx context.Context, dsn string) (*store.DB, error) {
	db, err := store.Open(ctx, dsn, store.Options{SQLiteSync: os.Getenv("OMS_SQLITE_SYNC")})
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	return db, nil
}

// withDB parses the flags a command shares (--db) and runs fn on the open,
// migrated database.
func withDB(ctx context.Context, name string, args []string, stderr io.Writer, fn func(db *store.DB, dsn string) error) error {
	fs, dsn := newFlags(name, stderr)
	if err := fs.Parse(args); err != nil {
		return err
	}
	db, err := openDB(ctx, *dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	return fn(db, *dsn)
}

func migrate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return withDB(ctx, "migrate", args, stderr, func(_ *store.DB, dsn string) error {
		fmt.Fprintf(stdout, "database %s is up to date\n", redact(dsn))
		return nil
	})
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
