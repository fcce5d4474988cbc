package outbox

import (
	"context"
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
	DefaultChain       = 8
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
	// Queue bounds the deliveries to one endpoint a round claims: the
	// deliveries this server has claimed and not yet finished (default 64);
	// a Deliverer's round claims the first of Queue orders, each with its
	// chain.
	Queue int
	// Chain bounds the deliveries of one order a round of a Deliverer
	// claims, sent one after the other (default 8): with the first open
	// delivery of each of up to Queue orders, the next ones of the order.
	Chain int
	// Interval is the pause between steps of Run (default 250 ms).
	Interval time.Duration
	Logger   *slog.Logger
	// Observe, when set, is told each attempt's outcome ("success",
	// "failed", "gone", "dead") and latency: the webhook delivery metrics.
	Observe func(outcome string, latency time.Duration)
	// FanOutElsewhere, when set and true, says another part fans the new
	// events out (the durable job, on one server at a time): the steps
	// then only attempt deliveries.
	FanOutElsewhere func() bool
}

// withDefaults fills in the zero options.
func (opt DispatcherOptions) withDefaults() DispatcherOptions {
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
	if opt.Chain <= 0 {
		opt.Chain = DefaultChain
	}
	if opt.Interval <= 0 {
		opt.Interval = DefaultInterval
	}
	if opt.Logger == nil {
		opt.Logger = slog.New(slog.DiscardHandler)
	}
	return opt
}

// Dispatcher delivers the events of the outbox to the webhook endpoints
// without the durable job queue (oms serve --jobs loop): its steps fan the
// new events out and start a Deliverer's drain of each endpoint with
// deliveries due, one drain per endpoint at a time. With the job queue the
// drains are jobs instead (internal/jobs), on whichever server takes them.
type Dispatcher struct {
	db       *store.DB
	opt      DispatcherOptions
	log      *slog.Logger
	del      *Deliverer
	mu       sync.Mutex
	draining map[string]bool // endpoints this dispatcher drains now
	wg       sync.WaitGroup
	wake     chan struct{} // a drain ended
}

// NewDispatcher returns a Dispatcher over the store.
func NewDispatcher(db *store.DB, opt DispatcherOptions) *Dispatcher {
	return NewDispatcherWith(db, NewDeliverer(db, opt))
}

// NewDispatcherWith returns a Dispatcher over the store that delivers with
// del, and takes its options.
func NewDispatcherWith(db *store.DB, del *Deliverer) *Dispatcher {
	return &Dispatcher{db: db, opt: del.opt, log: del.log, del: del,
		draining: map[string]bool{}, wake: make(chan struct{}, 1)}
}

// DispatchOnce is one step: it fans the new events out to the endpoints
// (store.FanOutWebhooks), and for every endpoint with deliveries due runs
// one round (Deliverer.Round: of each order the earliest open delivery),
// the endpoints side by side, and returns how many attempts it made once
// they are all done.
func (d *Dispatcher) DispatchOnce(ctx context.Context) (int, error) {
	ids, err := d.due(ctx)
	if err != nil {
		return 0, err
	}
	var mu sync.Mutex
	var wg sync.WaitGroup
	total := 0
	var first error
	for _, id := range ids {
		wg.Go(func() {
			n, err := d.del.Round(ctx, id)
			mu.Lock()
			defer mu.Unlock()
			total += n
			if err != nil && first == nil {
				first = err
			}
		})
	}
	wg.Wait()
	return total, first
}

// due fans out, unless another part does, and returns the endpoints with
// deliveries to attempt now.
func (d *Dispatcher) due(ctx context.Context) ([]string, error) {
	if d.opt.FanOutElsewhere == nil || !d.opt.FanOutElsewhere() {
		if _, err := d.db.FanOutWebhooks(ctx); err != nil {
			return nil, err
		}
	}
	return d.db.DueWebhookEndpoints(ctx)
}

// Run runs steps until ctx ends, then waits for the drains in flight:
// every Interval, and when a drain ends (at most every 20 ms). A step
// starts a drain of each endpoint with deliveries due that is not being
// drained already and does not wait for it, so a slow endpoint holds up
// only its own deliveries.
func (d *Dispatcher) Run(ctx context.Context) {
	t := time.NewTicker(d.opt.Interval)
	defer t.Stop()
	for {
		if err := d.start(ctx); err != nil && ctx.Err() == nil {
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

// start fans out and starts the drains of the endpoints with deliveries
// due.
func (d *Dispatcher) start(ctx context.Context) error {
	ids, err := d.due(ctx)
	for _, id := range ids {
		d.mu.Lock()
		busy := d.draining[id]
		d.draining[id] = true
		d.mu.Unlock()
		if busy {
			continue
		}
		d.wg.Go(func() {
			defer func() {
				d.mu.Lock()
				delete(d.draining, id)
				d.mu.Unlock()
				select {
				case d.wake <- struct{}{}:
				default:
				}
			}()
			if _, _, err := d.del.Drain(ctx, id, 0); err != nil && ctx.Err() == nil {
				d.log.Error("webhook delivery", slog.String("endpoint", id), slog.Any("error", err))
			}
		})
	}
	return err
}
