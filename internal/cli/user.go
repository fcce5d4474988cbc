package cli

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/base64"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/store"
)

const userUsage = `Usage: oms user create --email EMAIL --name NAME --role ROLE [--locations CODES] [--password-stdin] [--db …]
       oms user list [--db …]

Subcommands:
  create    creates a console user: a person who signs in at /login with the
            email and a password. With --password-stdin the password is the
            first line of standard input (at least 10 bytes); without it a
            password is made up and printed, this once.
  list      lists the users by email: id, email, name, role, locations.

Roles are the API keys' (one permission table): admin, manager, agent,
warehouse. A user given --locations (a store clerk, a picker) sees and acts
on those locations' fulfillments and stock only.

`

// stdin is where --password-stdin reads; tests replace it.
var stdin io.Reader = os.Stdin

func userCommand(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	sub := ""
	if len(args) > 0 {
		sub = args[0]
	}
	fs, dsn := newFlags(strings.TrimSpace("user "+sub), stderr)
	var email, name, role, locations *string
	var fromStdin *bool
	if sub != "list" {
		email = fs.String("email", "", "the person's email: what they sign in with (required)")
		name = fs.String("name", "", "the person's name, as timelines show it (required)")
		role = fs.String("role", "", "admin, manager, agent or warehouse (required)")
		locations = fs.String("locations", "", "comma-separated location codes the user works at (default: every location)")
		fromStdin = fs.Bool("password-stdin", false, "read the password from the first line of standard input")
	}
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), userUsage)
		fmt.Fprint(fs.Output(), "Flags of create (list takes --db only):\n")
		fs.PrintDefaults()
	}
	switch {
	case isHelp(sub):
		fs.Usage()
		return flag.ErrHelp
	case sub != "create" && sub != "list":
		return usageError(fs, "%q is not create or list", sub)
	}
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	if fs.NArg() != 0 {
		return usageError(fs, "%s %s", sub, extraArgs(fs))
	}
	db, err := openExisting(ctx, *dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	if sub == "list" {
		return listUsers(ctx, db, stdout)
	}
	password, made := "", false
	if *fromStdin {
		line, err := bufio.NewReader(stdin).ReadString('\n')
		if err != nil && err != io.EOF {
			return err
		}
		password = strings.TrimRight(line, "\r\n")
	} else if password, err = newPassword(); err != nil {
		return err
	}
	made = !*fromStdin
	u, err := db.CreateUser(ctx, oms.NewUser{Email: *email, Name: *name, Role: oms.Role(*role),
		Locations: codes(*locations), Password: password}, oms.System("cli"))
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "created %s: %s, %s\n", u.ID, u.Email, u.Label())
	if made {
		fmt.Fprintf(stdout, "password (shown only now): %s\n", password)
	}
	return nil
}

// newPassword makes up a password of 128 random bits.
func newPassword() (string, error) {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// listUsers prints every user as a table, by email.
func listUsers(ctx context.Context, db *store.DB, stdout io.Writer) error {
	us, err := db.Users(ctx)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tEMAIL\tNAME\tROLE\tLOCATIONS\tCREATED")
	for _, u := range us {
		locs := strings.Join(u.Locations, ",")
		if locs == "" {
			locs = "all"
		}
		if u.DisabledAt != nil {
			locs += " (disabled)"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", u.ID, u.Email, u.Name, u.Role, locs, u.CreatedAt.Format(time.RFC3339))
	}
	return tw.Flush()
}

// firstUser prints, on a database without console users, how to create
// the first admin.
func firstUser(ctx context.Context, db *store.DB, base string, stdout io.Writer) error {
	n, err := db.CountUsers(ctx)
	if err != nil || n > 0 {
		return err
	}
	fmt.Fprintf(stdout, `
The console at %s/ has no users yet. Create the first admin with:

    oms user create --email you@example.com --name "Your Name" --role admin

(add --db as for oms serve; it prints a password, or reads one with --password-stdin)
and sign in at %s/login.

`, base, base)
	return nil
}
