package bench

import (
	"context"
	"fmt"
	"github.com/omshq/oms/internal/progress"
	"io"
	"sync"
	"sync/atomic"
	"time"
)

// loadResult is what the timed run measured. The counts and the latency
// cover only requests started after the warm-up; Acks holds every order
// acknowledged, warm-up included, for verification.
type loadResult struct {
	Accepted, Duplicates, OutOfStock, Errors int64
	WarmupAccepted, WarmupErrors             int64
	Elapsed                                  time.Duration // from the end of the warm-up to the last counted answer
	Latency                                  Latency
	Acks                                     []ack
	ErrorSamples                             []string
	// ByServer is the orders each server accepted, warm-up included.
	ByServer []int64
}

// OrdersPerSec is accepted orders per second of the measured window.
func (r *loadResult) OrdersPerSec() float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(r.Accepted) / r.Elapsed.Seconds()
}

// loadWorker is one client's state; only its goroutine touches it until the
// run ends.
type loadWorker struct {
	c       *client // the server this worker places its orders on
	server  int     // its index among the servers
	gen     *orderGen
	lat     []time.Duration
	acks    []ack
	counts  [failed + 1]int64 // measured, by outcome
	warm    [failed + 1]int64 // during the warm-up
	lastEnd time.Time
}

// loadRun places orders with the channel key from cfg.Clients workers, each
// one request at a time, for the warm-up and then the measured duration.
type loadRun struct {
	key      string
	start    time.Time
	warmEnd  time.Time
	end      time.Time
	live     [failed + 1]atomic.Int64 // every answer so far, for the progress line
	failures samples
}

// Worker i places its orders on server i mod len(cs).
func runLoad(ctx context.Context, cs []*client, key string, plan *Plan, cfg *Config, tag string,
	mode progress.Mode, stderr io.Writer) (loadResult, error) {
	l := &loadRun{key: key, start: time.Now()}
	l.warmEnd = l.start.Add(cfg.Warmup)
	l.end = l.warmEnd.Add(cfg.Duration)
	workers := make([]*loadWorker, cfg.Clients)
	var wg sync.WaitGroup
	for i := range workers {
		w := &loadWorker{c: cs[i%len(cs)], server: i % len(cs), gen: newOrderGen(plan, cfg.Seed, i, tag+"-run")}
		workers[i] = w
		wg.Go(func() { l.work(ctx, w) })
	}
	stop := l.showProgress(mode, stderr, cfg)
	wg.Wait()
	stop()
	if err := ctx.Err(); err != nil {
		return loadResult{}, err
	}
	return l.result(workers, cfg.Duration), nil
}

func (l *loadRun) work(ctx context.Context, w *loadWorker) {
	for ctx.Err() == nil && time.Now().Before(l.end) {
		d := w.gen.runOrder()
		body := encodeDraft(d)
		t0 := time.Now()
		status, resp, err := w.c.do(ctx, "POST", "/v1/orders", l.key, body)
		took := time.Since(t0)
		if err != nil && ctx.Err() != nil {
			return // interrupted: not the server's fault
		}
		o := failed
		if err == nil {
			o = classify(status, resp)
		}
		if o == accepted {
			a, perr := parseAck(resp, d.Customer)
			if perr != nil {
				o, err = failed, fmt.Errorf("unreadable 201 answer: %w", perr)
			} else {
				w.acks = append(w.acks, a)
			}
		}
		if o == failed {
			l.failures.add("%s", failure("POST /v1/orders", status, resp, err))
		}
		l.live[o].Add(1)
		if t0.Before(l.warmEnd) {
			w.warm[o]++
			continue
		}
		w.counts[o]++
		w.lat = append(w.lat, took)
		w.lastEnd = t0.Add(took)
	}
}

// showProgress shows, every second, the orders accepted per second over the
// last second and the running counts.
func (l *loadRun) showProgress(mode progress.Mode, stderr io.Writer, cfg *Config) (stop func()) {
	total := int64((cfg.Warmup + cfg.Duration + time.Second - 1) / time.Second)
	p := progress.New(mode, stderr, "orders", "s", total)
	var prev int64
	tick := progress.Ticker(time.Second, func() {
		acc := l.live[accepted].Load()
		phase := ""
		if time.Now().Before(l.warmEnd) {
			phase = "warm-up · "
		}
		p.Set(int64(time.Since(l.start)/time.Second), fmt.Sprintf("%s%.0f orders/s · %d accepted · %d out of stock · %d errors",
			phase, float64(acc-prev), acc, l.live[outOfStock].Load(), l.live[failed].Load()))
		prev = acc
	})
	return func() {
		tick()
		p.Finish()
	}
}

func (l *loadRun) result(workers []*loadWorker, duration time.Duration) loadResult {
	var r loadResult
	lats := make([][]time.Duration, len(workers))
	last := l.warmEnd
	for i, w := range workers {
		for len(r.ByServer) <= w.server {
			r.ByServer = append(r.ByServer, 0)
		}
		r.ByServer[w.server] += w.counts[accepted] + w.warm[accepted]
		lats[i] = w.lat
		r.Acks = append(r.Acks, w.acks...)
		r.Accepted += w.counts[accepted]
		r.Duplicates += w.counts[duplicate]
		r.OutOfStock += w.counts[outOfStock]
		r.Errors += w.counts[failed]
		r.WarmupAccepted += w.warm[accepted]
		r.WarmupErrors += w.warm[failed]
		if w.lastEnd.After(last) {
			last = w.lastEnd
		}
	}
	r.Elapsed = max(last.Sub(l.warmEnd), duration)
	r.Latency = Summarize(merge(lats))
	r.ErrorSamples = l.failures.get()
	return r
}
