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
	DefaultLease       = 5 * time.Minute
	DefaultPerEndpoint = 4
	DefaultQueue       = 64
	DefaultInterval    = 250 * time.Millisecond
	// minGap is the least time between two steps of Run: a finished
	// attempt starts the next step at once, but no sooner.
	minGap = 20 * time.Millisecond
)

// DispatcherOptions configures a Dispatcher; the zero value is usable but
// for Client.
type DispatcherOptions struct {
	// Client delivers; its clock should be the store's.
	Client *webhook.Client
	// Lease is how long a claimed delivery is this server's: when it is
	// killed mid-attempt, another server tries again after the lease. It
	// must be longer than Queue ÷ PerEndpoint request timeouts (default 5
	// minutes).
	Lease time.Duration
	// PerEndpoint bounds the attempts in flight to one endpoint from this
	// server (default 4), so a slow endpoint takes few of its resources.
	PerEndpoint int
	// Queue bounds the deliveries to one endpoint this server has claimed
	// and not yet attempted or finished (default 64).
	Queue int
	// Interval is the pause between steps of Run (default 250 ms).
	Interval time.Duration
	Logger   *slog.Logger
	// Observe, when set, is told each attempt's outcome ("success",
	// "failed", "gone", "dead") and latency: the webhook delivery metrics.
	Observe func(outcome string, latency time.Duration)
	// FanOutElsewhere, when set and true, says another part fans the new
	// events out (the durable job, on one server at a time): the steps
	// then only claim and attempt deliveries.
	FanOutElsewhere func() bool
}

// Dispatcher delivers the events of the outbox to the webhook endpoints.
type Dispatcher struct {
	db    *store.DB
	opt   DispatcherOptions
	log   *slog.Logger
	mu    sync.Mutex
	busy  map[string]int           // deliveries claimed and not finished, per endpoint
	slots map[string]chan struct{} // attempts in flight, per endpoint
	wg    sync.WaitGroup
	wake  chan struct{} // an attempt finished
	rec   recorder
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
	if opt.Queue < opt.PerEndpoint {
		opt.Queue = max(DefaultQueue, opt.PerEndpoint)
	}
	if opt.Interval <= 0 {
		opt.Interval = DefaultInterval
	}
	log := opt.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Dispatcher{db: db, opt: opt, log: log, busy: map[string]int{}, slots: map[string]chan struct{}{},
		wake: make(chan struct{}, 1)}
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

// Run runs steps until ctx ends, then waits for the attempts in flight:
// every Interval, and when an attempt finishes (at most every 20 ms). A
// step does not wait for the attempts it started, so a slow endpoint holds
// up only its own next attempts.
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
		case <-d.wake:
			time.Sleep(minGap)
		}
	}
}

// start fans out, claims what the endpoints' free slots allow, and starts
// the attempts.
func (d *Dispatcher) start(ctx context.Context) (int, error) {
	if d.opt.FanOutElsewhere == nil || !d.opt.FanOutElsewhere() {
		if _, err := d.db.FanOutWebhooks(ctx); err != nil {
			return 0, err
		}
	}
	jobs, err := d.db.ClaimWebhookDeliveries(ctx, d.opt.Lease, d.free)
	for _, job := range jobs {
		d.mu.Lock()
		d.busy[job.Endpoint.ID]++
		slots := d.slots[job.Endpoint.ID]
		if slots == nil {
			slots = make(chan struct{}, d.opt.PerEndpoint)
			d.slots[job.Endpoint.ID] = slots
		}
		d.mu.Unlock()
		d.wg.Add(1)
		go d.attempt(ctx, job, slots)
	}
	return len(jobs), err
}

// free returns how many more deliveries the endpoint may have claimed.
func (d *Dispatcher) free(endpointID string) int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.opt.Queue - d.busy[endpointID]
}

// attempt makes one attempt, within the endpoint's slots, and records it.
func (d *Dispatcher) attempt(ctx context.Context, job store.WebhookJob, slots chan struct{}) {
	defer func() {
		d.mu.Lock()
		d.busy[job.Endpoint.ID]--
		d.mu.Unlock()
		d.wg.Done()
		select {
		case d.wake <- struct{}{}:
		default:
		}
	}()
	select {
	case slots <- struct{}{}:
		defer func() { <-slots }()
	case <-ctx.Done():
		if err := d.db.ReleaseWebhookJob(context.WithoutCancel(ctx), job); err != nil {
			d.log.Warn("webhook: releasing a delivery", slog.String("delivery", job.DeliveryID), slog.Any("error", err))
		}
		return
	}
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
	if d.opt.Observe != nil {
		d.opt.Observe(string(a.Outcome), a.Latency)
	}
	if err := d.rec.add(record, d.db, store.WebhookResult{Job: job, Attempt: a}); err != nil && !errors.Is(err, context.Canceled) {
		d.log.Error("webhook: recording an attempt", slog.String("delivery", job.DeliveryID), slog.Any("error", err))
	}
}

// recorder writes the attempts that finish together in one transaction
// (group commit): the first attempt of a batch waits for the previous
// batch's commit while later ones join it, then writes them all.
type recorder struct {
	mu     sync.Mutex
	cur    *recordBatch
	commit sync.Mutex
}

type recordBatch struct {
	results []store.WebhookResult
	done    chan struct{}
	err     error
}

// add records r with the attempts that finish meanwhile, and returns once
// they are written.
func (r *recorder) add(ctx context.Context, db *store.DB, res store.WebhookResult) error {
	r.mu.Lock()
	b, lead := r.cur, false
	if b == nil {
		b, lead = &recordBatch{done: make(chan struct{})}, true
		r.cur = b
	}
	b.results = append(b.results, res)
	r.mu.Unlock()
	if !lead {
		<-b.done
		return b.err
	}
	r.commit.Lock()
	r.mu.Lock()
	r.cur = nil // later attempts start the next batch
	r.mu.Unlock()
	b.err = db.RecordWebhookAttempts(ctx, b.results)
	r.commit.Unlock()
	close(b.done)
	return b.err
}
