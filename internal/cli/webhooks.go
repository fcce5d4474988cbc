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

const webhooksUsage = `Usage: oms webhooks create --url URL --events PATTERNS [--description TEXT] [--allow-private] [--db …]
       oms webhooks list [--db …]
       oms webhooks enable|disable|delete [--db …] ID
       oms webhooks rotate [--overlap 24h] [--db …] ID
       oms webhooks deliveries [--status STATUS] [--db …] ID
       oms webhooks retry [--db …] ID DELIVERY
       oms webhooks replay --from TIME --to TIME [--db …] ID

Subcommands:
  create      subscribes the URL to the event types (comma-separated: order.*,
              fulfillment.shipped, or *) and prints the endpoint's id and its
              signing secret (whsec_…), shown this once.
  list        lists the endpoints: id, enabled, URL, event types.
  enable      turns delivery to the endpoint on (again); disable turns it off.
  delete      deletes the endpoint and its delivery log.
  rotate      gives the endpoint a new secret and prints it; the previous one
              keeps signing beside it for --overlap.
  deliveries  prints the endpoint's delivery log, newest first (at most 200).
  retry       queues a delivery again, a dead one too.
  replay      queues again every event from --from to before --to (RFC 3339)
              that the endpoint subscribes to.

Deliveries go out from a running oms serve.

`

var webhookSubcommands = map[string]int{"create": 0, "list": 0, "enable": 1, "disable": 1, "delete": 1,
	"rotate": 1, "deliveries": 1, "retry": 2, "replay": 1}

func webhooksCommand(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	sub := ""
	if len(args) > 0 {
		sub = args[0]
	}
	fs, dsn := newFlags(strings.TrimSpace("webhooks "+sub), stderr)
	url := fs.String("url", "", "create: the URL events are POSTed to")
	events := fs.String("events", "", "create: comma-separated event type patterns, such as order.*,return.*")
	desc := fs.String("description", "", "create: what the endpoint is for")
	allow := fs.Bool("allow-private", false, "create: let the URL name a loopback or private address")
	overlap := fs.Duration("overlap", store.DefaultWebhookOverlap, "rotate: how long the previous secret keeps signing")
	status := fs.String("status", "", "deliveries: only pending, failed, succeeded or dead")
	from := fs.String("from", "", "replay: RFC 3339 time of the first event")
	to := fs.String("to", "", "replay: RFC 3339 time the range ends before")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), webhooksUsage, "Flags:\n")
		fs.PrintDefaults()
	}
	want, ok := webhookSubcommands[sub]
	switch {
	case isHelp(sub):
		fs.Usage()
		return flag.ErrHelp
	case !ok:
		return usageError(fs, "%q is not a subcommand", sub)
	}
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	if fs.NArg() != want {
		return usageError(fs, "%s takes %d arguments, not %d", sub, want, fs.NArg())
	}
	db, err := openExisting(ctx, *dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	id := fs.Arg(0)
	switch sub {
	case "create":
		in := oms.WebhookEndpointInput{URL: url, Description: desc, EventTypes: codes(*events), AllowPrivate: *allow}
		e, secret, err := db.CreateWebhookEndpoint(ctx, in, oms.System("cli"))
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%s %s\n", e.ID, secret)
	case "list":
		return listWebhookEndpoints(ctx, db, stdout)
	case "enable", "disable":
		on := sub == "enable"
		if _, err := db.UpdateWebhookEndpoint(ctx, id, oms.WebhookEndpointInput{Enabled: &on}, oms.System("cli")); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%sd %s\n", sub, id)
	case "delete":
		if err := db.DeleteWebhookEndpoint(ctx, id, oms.System("cli")); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "deleted %s\n", id)
	case "rotate":
		_, secret, err := db.RotateWebhookSecret(ctx, id, *overlap, oms.System("cli"))
		if err != nil {
			return err
		}
		fmt.Fprintln(stdout, secret)
	case "deliveries":
		return listWebhookDeliveries(ctx, db, id, *status, stdout)
	case "retry":
		d, err := db.RetryWebhookDelivery(ctx, id, fs.Arg(1))
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "queued %s (%s)\n", d.ID, d.EventID)
	case "replay":
		var p oms.Problems
		f, _ := oms.ParseTime(&p, "from", *from)
		t, _ := oms.ParseTime(&p, "to", *to)
		if err := p.Err(); err != nil {
			return err
		}
		n, err := db.ReplayWebhookEvents(ctx, id, f, t)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "queued %d deliveries\n", n)
	}
	return nil
}

// listWebhookEndpoints prints every endpoint as a table, newest first.
func listWebhookEndpoints(ctx context.Context, db *store.DB, stdout io.Writer) error {
	return printTable(stdout, "ID\tENABLED\tURL\tEVENTS\tCREATED",
		func(after string) ([]oms.WebhookEndpoint, string, error) { return db.WebhookEndpoints(ctx, after, 200) },
		func(e oms.WebhookEndpoint) string {
			return fmt.Sprintf("%s\t%t\t%s\t%s\t%s", e.ID, e.Enabled, e.URL, strings.Join(e.EventTypes, ","), e.CreatedAt.Format(time.RFC3339))
		})
}

// listWebhookDeliveries prints the newest 200 deliveries of an endpoint.
func listWebhookDeliveries(ctx context.Context, db *store.DB, id, status string, stdout io.Writer) error {
	ds, _, err := db.WebhookDeliveries(ctx, id, status, 0, 200)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tEVENT\tTYPE\tSTATUS\tATTEMPTS\tCODE\tERROR")
	for _, d := range ds {
		code := "-"
		if d.LastStatusCode != nil {
			code = fmt.Sprint(*d.LastStatusCode)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%s\t%s\n", d.ID, d.EventID, d.EventType, d.Status, d.Attempts, code, d.LastError)
	}
	return tw.Flush()
}
