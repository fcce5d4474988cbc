package cli

import (
	"cmp"
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"time"

	"github.com/omshq/oms/internal/httpapi"
	"github.com/omshq/oms/internal/metrics"
	"github.com/omshq/oms/internal/outbox"
	"github.com/omshq/oms/internal/store"
	"github.com/omshq/oms/internal/stream"
	"github.com/omshq/oms/internal/webhook"
)

// outboxFlags are the flags of oms serve that say where events go besides
// the events API: webhooks and NATS.
type outboxFlags struct {
	allow        *boolValue
	allowPrivate bool
	natsURL      string
	lease        *durationValue
}

// addOutboxFlags defines the flags on fs, with their environment defaults.
func addOutboxFlags(fs *flag.FlagSet) *outboxFlags {
	f := &outboxFlags{}
	f.allow = boolFlag(fs, "webhooks-allow-private", "OMS_WEBHOOKS_ALLOW_PRIVATE",
		"let webhook endpoints be loopback or private addresses, for receivers on this host or network (env OMS_WEBHOOKS_ALLOW_PRIVATE)")
	fs.StringVar(&f.natsURL, "nats", envOr("OMS_NATS", os.Getenv("OMS_NATS_URL")),
		"publish every event to NATS JetStream at this URL, such as nats://127.0.0.1:4222 (env OMS_NATS)")
	f.lease = durationFlag(fs, "webhooks-lease", "OMS_WEBHOOKS_LEASE", outbox.DefaultLease,
		"how long a server holds a webhook delivery it claimed: when it dies mid-attempt, another server sends it after this (env OMS_WEBHOOKS_LEASE)")
	return f
}

// check reports a bad flag or environment value.
func (f *outboxFlags) check() error {
	if f.lease.err == nil && f.lease.value < time.Second {
		f.lease.err = fmt.Errorf("-webhooks-lease %s: give at least 1s", f.lease.value)
	}
	f.allowPrivate = f.allow.value
	return cmp.Or(f.allow.err, f.lease.err)
}

// deliverer is what attempts webhook deliveries, in the delivery jobs or
// in the loop dispatcher: private addresses refused unless allowed, each
// claim held for the lease, each outcome counted in m.
func (f *outboxFlags) deliverer(db *store.DB, log *slog.Logger, m *metrics.Metrics) *outbox.Deliverer {
	return outbox.NewDeliverer(db, f.dispatcherOptions(log, m))
}

func (f *outboxFlags) dispatcherOptions(log *slog.Logger, m *metrics.Metrics) outbox.DispatcherOptions {
	client := webhook.NewClient(webhook.Options{Logger: log,
		HTTP: webhook.NewHTTPClient(webhook.HTTPOptions{AllowPrivate: f.allowPrivate})})
	return outbox.DispatcherOptions{Client: client, Logger: log, Observe: m.WebhookDelivery, Lease: f.lease.value}
}

// startOutbox starts, without the durable job queue (runner nil), the
// webhook dispatcher (with the queue, jobs deliver: see startJobs) and,
// with --nats, the relay to NATS; they run until ctx ends. The returned
// function stops them and waits until they have.
func startOutbox(ctx context.Context, db *store.DB, api *httpapi.Server, log *slog.Logger, f *outboxFlags, deliver *outbox.Deliverer, runner *jobRunner) (func(), error) {
	api.WebhooksAllowPrivate(f.allowPrivate)
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	stop := func() { cancel(); wg.Wait() }
	if runner == nil {
		d := outbox.NewDispatcherWith(db, deliver)
		wg.Go(func() { d.Run(ctx) })
	}
	if f.natsURL != "" {
		pub, err := stream.Connect(ctx, stream.Config{URL: f.natsURL, Logger: log})
		if err != nil {
			return stop, fmt.Errorf("--nats: %w", err)
		}
		log.Info("publishing events to NATS", slog.String("subjects", pub.Subject(">")))
		r := outbox.NewRelay(db, pub, outbox.RelayOptions{Logger: log})
		wg.Go(func() { defer pub.Close(); r.Run(ctx) })
	}
	return stop, nil
}
