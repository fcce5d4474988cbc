package outbox

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/omshq/oms/internal/store"
	"github.com/omshq/oms/internal/webhook"
)

// Deliverer attempts the due deliveries of one endpoint at a time: the
// work of a webhook delivery job (internal/jobs), and of the loop
// Dispatcher. Many Deliverers, on any number of servers, may work the same
// endpoint at once: each claims its deliveries under a lease, so none is
// attempted twice at once, and a killed server's claims go out again when
// their lease ends.
type Deliverer struct {
	db  *store.DB
	opt DispatcherOptions
	log *slog.Logger
	rec recorder // the rounds of all endpoints record together
}

// NewDeliverer returns a Deliverer over the store; of the options it uses
// Client, Lease, PerEndpoint, Queue (the deliveries a round claims),
// Logger and Observe.
func NewDeliverer(db *store.DB, opt DispatcherOptions) *Deliverer {
	opt = opt.withDefaults()
	return &Deliverer{db: db, opt: opt, log: opt.Logger}
}

// Round claims up to Queue deliveries of the endpoint that may be
// attempted now (of each order only the earliest open one), attempts them,
// PerEndpoint at a time, and records the attempts in one transaction. It
// returns how many attempts it recorded. When ctx ends first, the
// deliveries not attempted are released to go out again at once.
func (d *Deliverer) Round(ctx context.Context, endpointID string) (int, error) {
	jobs, err := d.db.ClaimEndpointDeliveries(ctx, endpointID, d.opt.Lease, d.opt.Queue)
	if err != nil || len(jobs) == 0 {
		return 0, err
	}
	var (
		mu       sync.Mutex
		results  []store.WebhookResult
		released []store.WebhookJob
		wg       sync.WaitGroup
	)
	slots := make(chan struct{}, d.opt.PerEndpoint)
	for _, job := range jobs {
		wg.Go(func() {
			select {
			case slots <- struct{}{}:
				defer func() { <-slots }()
			case <-ctx.Done():
				mu.Lock()
				released = append(released, job)
				mu.Unlock()
				return
			}
			a, err := d.opt.Client.Deliver(ctx, job.Endpoint, job.Secrets, job.Event, job.Attempt)
			switch {
			case err != nil && ctx.Err() != nil:
				// Stopping: nothing was sent.
				mu.Lock()
				released = append(released, job)
				mu.Unlock()
				return
			case err != nil:
				// The delivery can never be sent as it is: dead-letter it.
				a = webhook.Attempt{Number: job.Attempt, At: time.Now(), Error: err.Error(), Outcome: webhook.Dead}
			}
			if d.opt.Observe != nil {
				d.opt.Observe(string(a.Outcome), a.Latency)
			}
			mu.Lock()
			results = append(results, store.WebhookResult{Job: job, Attempt: a})
			mu.Unlock()
		})
	}
	wg.Wait()
	record := context.WithoutCancel(ctx)
	for _, job := range released {
		if err := d.db.ReleaseWebhookJob(record, job); err != nil {
			d.log.Warn("webhook: releasing a delivery", slog.String("delivery", job.DeliveryID), slog.Any("error", err))
		}
	}
	if len(results) == 0 {
		return 0, nil
	}
	if err := d.rec.add(record, d.db, results); err != nil {
		return 0, err
	}
	return len(results), nil
}

// roundPause is how long Drain waits after a round that did not fill
// (Queue deliveries), so that the next one has more to take: fewer, larger
// transactions, which leave more of the database's writer to the rest of
// the server.
const roundPause = 50 * time.Millisecond

// Drain runs rounds for the endpoint until none finds a delivery to
// attempt, ctx ends, or, when budget is above 0, budget has passed; it
// returns how many attempts it made and whether it stopped with
// deliveries perhaps left to attempt now (ctx or budget ran out).
func (d *Deliverer) Drain(ctx context.Context, endpointID string, budget time.Duration) (int, bool, error) {
	start := time.Now()
	total := 0
	for {
		if ctx.Err() != nil {
			return total, true, nil
		}
		if budget > 0 && time.Since(start) >= budget {
			return total, true, nil
		}
		n, err := d.Round(ctx, endpointID)
		total += n
		if err != nil {
			return total, true, err
		}
		if n == 0 {
			return total, ctx.Err() != nil, nil
		}
		if n < d.opt.Queue {
			select {
			case <-ctx.Done():
			case <-time.After(roundPause):
			}
		}
	}
}

// recorder writes the attempts of the rounds that finish together in one
// transaction (group commit): the first round of a batch waits for the
// previous batch's commit while later ones join it, then writes them all.
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

// add records rs with the attempts that finish meanwhile, and returns once
// they are written.
func (r *recorder) add(ctx context.Context, db *store.DB, rs []store.WebhookResult) error {
	r.mu.Lock()
	b, lead := r.cur, false
	if b == nil {
		b, lead = &recordBatch{done: make(chan struct{})}, true
		r.cur = b
	}
	b.results = append(b.results, rs...)
	r.mu.Unlock()
	if !lead {
		<-b.done
		return b.err
	}
	r.commit.Lock()
	r.mu.Lock()
	r.cur = nil // later rounds start the next batch
	r.mu.Unlock()
	b.err = db.RecordWebhookAttempts(ctx, b.results)
	r.commit.Unlock()
	close(b.done)
	return b.err
}
