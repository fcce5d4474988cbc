package bench

import (
	"context"
	"fmt"
	"io"
	"sync/atomic"
	"time"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/progress"
)

// preloadResult is what preloading did.
type preloadResult struct {
	Placed, Errors int64
	Elapsed        time.Duration
	Sample         []ack // every stride-th order, at most preloadSample, to verify and look up
	ErrorSamples   []string
}

// PerSec is preloaded orders per second.
func (r *preloadResult) PerSec() float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(r.Placed) / r.Elapsed.Seconds()
}

const (
	preloadSample   = 10_000             // preloaded orders kept to verify and look up
	preloadMaxErrs  = 1_000              // preloading gives up after this many failures
	preloadSeedSalt = 0x9e3779b97f4a7c15 // keeps preloaded orders apart from the run's
)

// preload places n orders from clients goroutines before the timed run:
// in-process straight through store.PlaceOrder, which batches concurrent
// placements; over --url as POSTs with the channel key.
func preload(ctx context.Context, t *target, c *client, plan *Plan, cfg *Config, tag string,
	mode progress.Mode, stderr io.Writer) (preloadResult, error) {
	n := cfg.Preload
	stride := (n + preloadSample - 1) / preloadSample
	gens := make([]*orderGen, cfg.Clients)
	kept := make([][]ack, cfg.Clients)
	for w := range gens {
		gens[w] = newOrderGen(plan, cfg.Seed^preloadSeedSalt, w, tag+"-pre")
	}
	var placed, errs atomic.Int64
	var failures samples
	start := time.Now()
	p := progress.New(mode, stderr, "preload", "", int64(n))
	stop := progress.Ticker(time.Second, func() {
		k := placed.Load()
		p.Set(k, fmt.Sprintf("%.0f orders/s · %d errors", float64(k)/time.Since(start).Seconds(), errs.Load()))
	})
	err := forEach(ctx, cfg.Clients, n, func(ctx context.Context, w, i int) error {
		a, err := placeOne(ctx, t, c, gens[w])
		if err != nil {
			failures.add("%v", err)
			if errs.Add(1) >= preloadMaxErrs {
				return fmt.Errorf("preload: %d orders failed; the first: %v", preloadMaxErrs, failures.get()[0])
			}
			return nil
		}
		placed.Add(1)
		if i%stride == 0 {
			kept[w] = append(kept[w], a)
		}
		return nil
	})
	stop()
	p.Finish()
	r := preloadResult{Placed: placed.Load(), Errors: errs.Load(), Elapsed: time.Since(start), ErrorSamples: failures.get()}
	for _, k := range kept {
		r.Sample = append(r.Sample, k...)
	}
	return r, err
}

// placeOne places the generator's next preloaded order.
func placeOne(ctx context.Context, t *target, c *client, g *orderGen) (ack, error) {
	d := g.preloadOrder()
	if t.db != nil {
		o, created, err := t.db.PlaceOrder(ctx, d, oms.System("oms bench preload"))
		switch {
		case err != nil:
			return ack{}, fmt.Errorf("store.PlaceOrder: %w", err)
		case !created:
			return ack{}, fmt.Errorf("store.PlaceOrder: %s %s was already there", d.Channel, d.ExternalID)
		}
		return ackOf(o), nil
	}
	status, body, err := c.do(ctx, "POST", "/v1/orders", t.channelKey, encodeDraft(d))
	if err != nil || classify(status, body) != accepted {
		return ack{}, fmt.Errorf("%s", failure("POST /v1/orders", status, body, err))
	}
	return parseAck(body, d.Customer)
}
