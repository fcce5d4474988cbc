package outbox

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/omshq/oms/internal/store"
	"github.com/omshq/oms/internal/webhook"
)

// Defaults of DispatcherOptions.
const (
	DefaultLease       = time.Minute
	DefaultPerEndpoint = 4
	DefaultInterval    = 250 * time.Millisecond
)

// DispatcherOptions configures a Dispatcher; the zero value is usable but
// for Client.
type DispatcherOptions struct {
	// Client delivers; its clock should be the store's.
	Client *webhook.Client
	// Lease is how long a claimed delivery is this server's: when it is
	// killed mid-attempt, another server tries again after the lease. It
	// must be longer than the client's request timeout (default 1 minute).
	Lease time.Duration
	// PerEndpoint bounds the attempts in flight to one endpoint from this
	// server (default 4), so a slow endpoint takes few of its resources.
	PerEndpoint int
	// Interval is the pause between steps of Run (default 250 ms).
	Interval time.Duration
	Logger   *slog.Logger
}

// Dispatcher delivers the events of the outbox to the webhook endpoints.
type Dispatcher struct {
	db   *store.DB
	opt  DispatcherOptions
	log  *slog.Logger
	mu   sync.Mutex
	busy map[string]int // attempts in flight per endpoint
	wg   sync.WaitGroup
}

// NewDispatcher returns a Dispatcher over the store.
func NewDispatcher(db *store.DB, opt DispatcherOptions) *Dispatcher {
	if opt.Client == nil {
		opt.Client = webhook.NewClient(webhook.Options{})
	}
	if opt.Lease <= 0 {
		opt.Lease = DefaultLease
	}
	if opt.PerEndpoint <= 0 {
		opt.PerEndpoint = DefaultPerEndpoint
	}
	if opt.Interval <= 0 {
		opt.Interval = DefaultInterval
	}
	log := opt.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Dispatcher{db: db, opt: opt, log: log, busy: map[string]int{}}
}

// DispatchOnce is one step: it fans the new events out to the endpoints
// (store.FanOutWebhooks), claims the deliveries that are due, attempts
// each, records the outcomes, and returns how many attempts it made once
// they are all done.
func (d *Dispatcher) DispatchOnce(ctx context.Context) (int, error) {
	n, err := d.start(ctx)
	d.wg.Wait()
	return n, err
}

// Run runs steps every Interval until ctx ends, then waits for the
// attempts in flight. A step does not wait for the attempts it started, so
// a slow endpoint holds up only its own next attempts.
func (d *Dispatcher) Run(ctx context.Context) {
	t := time.NewTicker(d.opt.Interval)
	defer t.Stop()
	for {
		if _, err := d.start(ctx); err != nil && ctx.Err() == nil {
			d.log.Error("webhook dispatch", slog.Any("error", err))
		}
		select {
		case <-ctx.Done():
			d.wg.Wait()
			return
		case <-t.C:
		}
	}
}

// start fans out, claims what the endpoints' free slots allow, and starts
// the attempts.
func (d *Dispatcher) start(ctx context.Context) (int, error) {
	if _, err := d.db.FanOutWebhooks(ctx); err != nil {
		return 0, err
	}
	jobs, err := d.db.ClaimWebhookDeliveries(ctx, d.opt.Lease, d.free)
	for _, job := range jobs {
		d.mu.Lock()
		d.busy[job.Endpoint.ID]++
		d.mu.Unlock()
		d.wg.Add(1)
		go d.attempt(ctx, job)
	}
	return len(jobs), err
}

// free returns how many more attempts the endpoint may have in flight.
func (d *Dispatcher) free(endpointID string) int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.opt.PerEndpoint - d.busy[endpointID]
}

// attempt makes one attempt and records it.
func (d *Dispatcher) attempt(ctx context.Context, job store.WebhookJob) {
	defer func() {
		d.mu.Lock()
		d.busy[job.Endpoint.ID]--
		d.mu.Unlock()
		d.wg.Done()
	}()
	a, err := d.opt.Client.Deliver(ctx, job.Endpoint, job.Secrets, job.Event, job.Attempt)
	record := context.WithoutCancel(ctx)
	switch {
	case err != nil && ctx.Err() != nil:
		// Stopping: nothing was sent; the delivery goes out again at once.
		if err := d.db.ReleaseWebhookJob(record, job); err != nil {
			d.log.Warn("webhook: releasing a delivery", slog.String("delivery", job.DeliveryID), slog.Any("error", err))
		}
		return
	case err != nil:
		// The delivery can never be sent as it is: dead-letter it.
		now := time.Now()
		a = webhook.Attempt{Number: job.Attempt, At: now, Error: err.Error(), Outcome: webhook.Dead}
	}
	if err := d.db.RecordWebhookAttempt(record, job, a); err != nil && !errors.Is(err, context.Canceled) {
		d.log.Error("webhook: recording an attempt", slog.String("delivery", job.DeliveryID), slog.Any("error", err))
	}
}
