package outbox

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/omshq/oms/internal/store"
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

// Round claims the deliveries of up to Queue orders of the endpoint that
// may be attempted now, of each order its first open one and up to Chain
// in all after it (store.ClaimEndpointChains), attempts them, PerEndpoint
// orders at a time and each order's one after the other, and records the
// attempts in one transaction. It returns how many attempts it recorded.
// An order's chain stops at its first attempt that does not succeed, and
// when ctx ends: the deliveries not attempted are released to go out
// again at once.
func (d *Deliverer) Round(ctx context.Context, endpointID string) (int, error) {
	start := time.Now()
	jobs, err := d.db.ClaimEndpointChains(ctx, endpointID, d.opt.Lease, d.opt.Queue, d.opt.Chain)
	if err != nil || len(jobs) == 0 {
		return 0, err
	}
	claimed := time.Now()
	var (
		mu       sync.Mutex
		results  []store.WebhookResult
		released []store.WebhookJob
		wg       sync.WaitGroup
	)
	slots := make(chan struct{}, d.opt.PerEndpoint)
	chains := byOrder(jobs)
	for _, chain := range chains {
		wg.Go(func() {
			var rs []store.WebhookResult
			rest := chain
			select {
			case slots <- struct{}{}:
				rs, rest = d.sendChain(ctx, chain, start.Add(d.opt.Lease/2))
				<-slots
			case <-ctx.Done():
			}
			mu.Lock()
			results, released = append(results, rs...), append(released, rest...)
			mu.Unlock()
		})
	}
	wg.Wait()
	sent := time.Now()
	record := context.WithoutCancel(ctx)
	if err := d.db.ReleaseWebhookJobs(record, released); err != nil {
		d.log.Warn("webhook: releasing deliveries", slog.Int("deliveries", len(released)), slog.Any("error", err))
	}
	if len(results) > 0 {
		if err := d.rec.add(record, d.db, results); err != nil {
			return 0, err
		}
	}
	d.log.Debug("webhook round", slog.String("endpoint", endpointID), slog.Int("claimed", len(jobs)),
		slog.Int("orders", len(chains)), slog.Int("attempted", len(results)), slog.Int("released", len(released)),
		slog.Duration("claim", claimed.Sub(start)), slog.Duration("send", sent.Sub(claimed)),
		slog.Duration("record", time.Since(sent)))
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
