package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/omshq/oms"
)

const apikeyUsage = `Usage: oms apikey create --role ROLE --name NAME [--channels CODES] [--locations CODES] [--db …]

Subcommands:
  create    creates an API key with the role and prints it, only the key, on
            standard output: it is shown this once (the database keeps a
            hash). The database must exist.

Roles: admin (everything, including API keys), manager (catalog, channels,
locations, stock and orders), agent (customer service), warehouse (stock
movements, fulfillment), channel (a sales channel's integration).

A channel key acts for the channels --channels names (one or more,
required); a warehouse key given --locations sees and moves the stock,
fulfillments and returns of those locations only.

Flags of create:
`

func apikey(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, dsn := newFlags("apikey create", stderr)
	role := fs.String("role", "", "admin, manager, agent, warehouse or channel (required)")
	name := fs.String("name", "", "who or what the key is for (required)")
	channels := fs.String("channels", "", "comma-separated channel codes a channel key acts for (required for a channel key)")
	locations := fs.String("locations", "", "comma-separated location codes a warehouse key is bound to (default: every location)")
	fs.Usage = func() { fmt.Fprint(fs.Output(), apikeyUsage); fs.PrintDefaults() }
	switch {
	case len(args) > 0 && isHelp(args[0]):
		fs.Usage()
		return flag.ErrHelp
	case len(args) == 0 || args[0] != "create":
		return usageError(fs)
	}
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError(fs)
	}
	db, err := openExisting(ctx, *dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	_, secret, err := db.CreateAPIKey(ctx, *name, oms.Role(*role), "cli",
		oms.KeyScope{Channels: codes(*channels), Locations: codes(*locations)})
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, secret)
	return nil
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
