package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/store"
)

const apikeyUsage = `Usage: oms apikey create --role ROLE --name NAME [--channels CODES] [--locations CODES] [--db …]
       oms apikey list [--db …]
       oms apikey revoke [--db …] ID

Subcommands:
  create    creates an API key with the role and prints it, only the key, on
            standard output: it is shown this once (the database keeps a
            hash). The database must exist.
  list      lists the live keys, newest first: id, prefix (the first
            characters of the secret), role, name, when each was created and
            last used (to the minute). Never a secret.
  revoke    revokes the key with the id: every server refuses it within a
            second. Revoking a revoked key again does nothing; the last live
            admin key cannot be revoked (create another first).

Roles: admin (everything, including API keys), manager (catalog, channels,
locations, stock and orders), agent (customer service), warehouse (stock
movements, fulfillment), channel (a sales channel's integration).

A channel key acts for the channels --channels names (one or more,
required); a warehouse key given --locations sees and moves the stock,
fulfillments and returns of those locations only.

`

func apikey(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	sub := ""
	if len(args) > 0 {
		sub = args[0]
	}
	fs, dsn := newFlags(strings.TrimSpace("apikey "+sub), stderr)
	var role, name, channels, locations *string
	if sub != "list" && sub != "revoke" {
		role = fs.String("role", "", "admin, manager, agent, warehouse or channel (required)")
		name = fs.String("name", "", "who or what the key is for (required)")
		channels = fs.String("channels", "", "comma-separated channel codes a channel key acts for (required for a channel key)")
		locations = fs.String("locations", "", "comma-separated location codes a warehouse key is bound to (default: every location)")
	}
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), apikeyUsage)
		if sub == "list" || sub == "revoke" {
			fmt.Fprintf(fs.Output(), "Flags of %s:\n", sub)
		} else {
			fmt.Fprint(fs.Output(), "Flags of create (list and revoke take --db only):\n")
		}
		fs.PrintDefaults()
	}
	switch {
	case isHelp(sub):
		fs.Usage()
		return flag.ErrHelp
	case sub != "create" && sub != "list" && sub != "revoke":
		return usageError(fs, "%q is not create, list or revoke", sub)
	}
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	if want := map[string]int{"revoke": 1}[sub]; fs.NArg() != want {
		if want == 1 {
			return usageError(fs, "revoke takes the id of one key")
		}
		return usageError(fs, "%s %s", sub, extraArgs(fs))
	}
	db, err := openExisting(ctx, *dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	switch sub {
	case "list":
		return listKeys(ctx, db, stdout)
	case "revoke":
		if err := db.RevokeAPIKey(ctx, fs.Arg(0), oms.System("cli")); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "revoked %s\n", fs.Arg(0))
		return nil
	}
	_, secret, err := db.CreateAPIKey(ctx, *name, oms.Role(*role), oms.System("cli"),
		oms.KeyScope{Channels: codes(*channels), Locations: codes(*locations)})
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, secret)
	return nil
}

// listKeys prints every live key as a table, newest first.
func listKeys(ctx context.Context, db *store.DB, stdout io.Writer) error {
	return printTable(stdout, "ID\tPREFIX\tROLE\tNAME\tCREATED\tLAST USED",
		func(after string) ([]oms.APIKey, string, error) { return db.ListAPIKeys(ctx, after, 200) },
		func(k oms.APIKey) string {
			used := "never"
			if k.LastUsedAt != nil {
				used = k.LastUsedAt.Format(time.RFC3339)
			}
			return fmt.Sprintf("%s\t%s…\t%s\t%s\t%s\t%s", k.ID, k.Prefix, k.Role, k.Name, k.CreatedAt.Format(time.RFC3339), used)
		})
}

// printTable prints a table under header (columns split by tabs) of every
// page that page returns, from the first (after "") until its cursor is
// empty, a row a thing.
func printTable[T any](stdout io.Writer, header string, page func(after string) ([]T, string, error), row func(T) string) error {
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, header)
	for after := ""; ; {
		things, next, err := page(after)
		if err != nil {
			return err
		}
		for _, t := range things {
			fmt.Fprintln(tw, row(t))
		}
		if after = next; after == "" {
			return tw.Flush()
		}
	}
}

// codes splits a comma-separated list of codes; none when empty.
func codes(s string) []string {
	if strings.TrimSpace(s) == "" {
		return nil
	}
	out := strings.Split(s, ",")
	for i := range out {
		out[i] = strings.TrimSpace(out[i])
	}
	return out
}
