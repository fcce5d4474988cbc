package bench

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"runtime"
	"strings"
	"time"

	"github.com/omshq/oms/internal/metrics"
	"github.com/omshq/oms/internal/progress"
)

// ErrVerification is wrapped by the error Run returns when an invariant is
// broken or an acknowledged order is missing or not as acknowledged.
var ErrVerification = errors.New("verification failed")

// memoryEvery is how often the Go runtime's memory is sampled.
const memoryEvery = 100 * time.Millisecond

// Run runs the load tool as cfg says and prints its report on stdout — a
// table, or one JSON object with cfg.JSON — and its progress on stderr. It
// returns an error wrapping ErrVerification when verification fails; request
// errors during the run are reported but are not an error of Run.
func Run(ctx context.Context, cfg Config, stdout, stderr io.Writer) error {
	if err := cfg.Validate(); err != nil {
		return err
	}
	r := &runner{cfg: &cfg, stderr: stderr, plan: NewPlan(cfg.Items), tag: newTag()}
	switch {
	case cfg.JSON:
		r.mode = progress.Off
	case cfg.Terminal:
		r.mode = progress.Bar
	default:
		r.mode = progress.Lines
	}
	err := r.run(ctx)
	if !r.finished {
		return err
	}
	// The run finished, though perhaps not its clean-up: report it.
	rep := &r.rep
	if cfg.JSON {
		err = errors.Join(err, rep.writeJSON(stdout))
	} else {
		err = errors.Join(err, rep.writeTable(stdout))
	}
	if !rep.OK {
		err = errors.Join(fmt.Errorf("%w: %s", ErrVerification, r.failures()), err)
	}
	return err
}

// runner holds one run's state as it goes through the phases.
type runner struct {
	cfg    *Config
	stderr io.Writer
	mode   progress.Mode
	plan   Plan
	tag    string // makes this run's external ids unique on a shared server
	rep    Report
	mem    *memorySampler
	// finished says every phase ran, so that rep is complete.
	finished bool
}

// newTag returns a short random tag.
func newTag() string {
	b := make([]byte, 4)
	rand.Read(b)
	return "b" + hex.EncodeToString(b)
}

// notef prints a line about the run on stderr, except in JSON mode.
func (r *runner) notef(format string, args ...any) {
	if !r.cfg.JSON {
		fmt.Fprintf(r.stderr, format+"\n", args...)
	}
}

func (r *runner) run(ctx context.Context) (err error) {
	cfg := r.cfg
	r.rep = Report{Mode: "url", CPUs: runtime.NumCPU(), Clients: cfg.Clients, LookupClients: cfg.LookupClients, Duration: cfg.Duration.Seconds(),
		Warmup: cfg.Warmup.Seconds(), Items: cfg.Items, Seed: cfg.Seed}
	if cfg.inProcess() {
		r.rep.Mode = "in-process"
		r.mem = startMemorySampler(memoryEvery)
		defer func() {
			if r.mem != nil { // the run failed before memory() read it
				r.mem.Stop()
			}
		}()
	}
	if cfg.Baseline {
		if err := r.baseline(ctx); err != nil {
			return err
		}
	}
	t, c, err := r.open(ctx)
	if err != nil {
		return err
	}
	defer c.close()
	defer func() {
		if cerr := t.close(ctx, cfg.Keep); cerr != nil {
			err = errors.Join(err, fmt.Errorf("clean up: %w", cerr))
		}
	}()
	r.rep.Engine, r.rep.Targets = t.engine, targetsFor(t.engine)
	if err := r.phases(ctx, t, c); err != nil {
		return err
	}
	r.memory()
	r.rep.ServerErrors, r.rep.ServerSamples = t.serverErrs.get()
	r.rep.OK = r.rep.InvariantsOK && r.rep.AcknowledgedVerified == r.rep.AcknowledgedChecked
	r.finished = true
	return nil
}

// open starts the in-process server, or connects to the one at --url.
func (r *runner) open(ctx context.Context) (*target, *client, error) {
	cfg := r.cfg
	if !cfg.inProcess() {
		c := newClient(cfg.URL, cfg.Clients)
		t, err := connect(ctx, c, cfg.Key, r.tag)
		if err != nil {
			c.close()
			return nil, nil, err
		}
		r.notef("driving %s (%s)", c.base, t.engine)
		return t, c, nil
	}
	t, err := startServer(ctx, cfg.DB, cfg.storeOptions(), cfg.Servers)
	if err != nil {
		return nil, nil, err
	}
	r.rep.Database = t.fresh.Where
	r.notef("serving %s on %s (%s)", t.engine, strings.Join(t.bases(), ", "), t.fresh.Where)
	if cfg.Keep {
		r.notef("the database will be kept: %s", t.fresh.Where)
	}
	return t, newClient(t.base, cfg.Clients), nil
}

func (r *runner) baseline(ctx context.Context) error {
	r.notef("baseline: the database ceiling with %d clients for %s, on a fresh database…", r.cfg.Clients, r.cfg.Duration)
	ceil, where, err := measureBaseline(ctx, r.cfg)
	if err != nil {
		return err
	}
	if r.cfg.Keep {
		r.notef("baseline: kept its database: %s", where)
	}
	tps := ceil.PerSecond()
	r.rep.CeilingTxPerSec = &tps
	r.notef("baseline: %.0f transactions/s", tps)
	// The ceiling's writes leave the database and the disk busy for a while
	// (checkpoints, vacuum, write-back); let that pass before the orders are
	// timed, so that neither measurement pays for the other.
	if r.cfg.Settle > 0 {
		r.notef("baseline: letting the database settle for %s…", r.cfg.Settle)
		select {
		case <-time.After(r.cfg.Settle):
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}

// phases sets up the data, preloads, runs the load and the lookups, and
// verifies.
func (r *runner) phases(ctx context.Context, t *target, c *client) error {
	cfg, rep := r.cfg, &r.rep
	r.notef("setup: %d channels, %d locations, %d items with stock…", len(r.plan.Channels), len(r.plan.Locations), cfg.Items)
	s, err := setup(ctx, c, t.adminKey, &r.plan, cfg.Clients, r.tag)
	if err != nil {
		return fmt.Errorf("setup: %w", err)
	}
	rep.SetupSeconds = s.Elapsed.Seconds()
	r.notef("setup: %d items, %d stock rows in %s", s.Items, s.StockRows, s.Elapsed.Round(time.Millisecond))
	if err := t.makeChannelKey(ctx, c, &r.plan, r.tag); err != nil {
		return err
	}

	var sample []ack
	if cfg.Preload > 0 {
		r.notef("preload: %d orders…", cfg.Preload)
		p, err := preload(ctx, t, c, &r.plan, cfg, r.tag, r.mode, r.stderr)
		rep.Preloaded, rep.PreloadErrors, sample = p.Placed, p.Errors, p.Sample
		rep.ErrorSamples = append(rep.ErrorSamples, p.ErrorSamples...)
		if err != nil {
			return err
		}
		rate := p.PerSec()
		rep.PreloadPerSec = &rate
		r.notef("preload: %d orders in %s (%.0f/s), %d errors", p.Placed, p.Elapsed.Round(time.Millisecond), rate, p.Errors)
	}

	var hooks *hookSink
	if cfg.Webhooks >= 0 && t.db != nil {
		if hooks, err = startHooks(ctx, t.db, cfg.Webhooks); err != nil {
			return fmt.Errorf("webhooks: %w", err)
		}
		defer hooks.stop()
		r.notef("webhooks: %d local receivers subscribed to every event", cfg.Webhooks)
	}
	r.notef("orders: %d clients, %s warm-up, %s measured…", cfg.Clients, cfg.Warmup, cfg.Duration)
	// With --servers, each server gets a client of its own, and the order
	// clients are spread across them; everything else goes to the first.
	cs := []*client{c}
	for _, p := range t.peers {
		pc := newClient(p.base, cfg.Clients)
		defer pc.close()
		cs = append(cs, pc)
	}
	wal0, syncs0, walOK := t.walPosition(ctx)
	var writers *writerProfile
	if t.db != nil {
		writers = startWriterProfile()
	}
	writers0 := t.metrics.WriterSoFar()
	sessions := t.sampleSessions(ctx)
	started, before := time.Now(), hooks.count()
	l, err := runLoad(ctx, cs, t.channelKey, &r.plan, cfg, r.tag, r.mode, r.stderr)
	var dbCPU time.Duration
	var dbCPUOK bool
	rep.DBSessions, dbCPU, dbCPUOK = sessions.finish()
	writerCPU, writerOK := writers.stop()
	if err != nil {
		return err
	}
	if t.db != nil {
		rep.recordWriters(t.metrics.WriterSoFar(), writers0, time.Since(started), t.writers())
	}
	r.recordLoad(&l)
	if writerOK && l.Accepted+l.WarmupAccepted > 0 {
		ms := float64(writerCPU) / float64(time.Millisecond) / float64(l.Accepted+l.WarmupAccepted)
		rep.WriterCPUMSPerOrder = &ms
	}
	if dbCPUOK && l.Accepted+l.WarmupAccepted > 0 {
		ms := float64(dbCPU) / float64(time.Millisecond) / float64(l.Accepted+l.WarmupAccepted)
		rep.DBCPUMSPerOrder = &ms
	}
	if wal1, syncs1, ok := t.walPosition(ctx); walOK && ok && l.Accepted+l.WarmupAccepted > 0 {
		per := float64(wal1-wal0) / float64(l.Accepted+l.WarmupAccepted)
		rep.WALBytesPerOrder = &per
		if syncs1 > syncs0 {
			perCommit := float64(wal1-wal0) / float64(syncs1-syncs0)
			rep.WALBytesPerCommit = &perCommit
		}
	}
	if hooks != nil {
		rate := float64(hooks.count()-before) / time.Since(started).Seconds()
		lag := hooks.settle(ctx).Seconds()
		rep.Webhooks, rep.WebhookDeliveriesPerSec, rep.WebhookLagSeconds = cfg.Webhooks, &rate, &lag
		r.notef("webhooks: %.0f deliveries/s, the rest %.1f s after", rate, lag)
	} else {
		rep.Webhooks = -1
	}
	r.notef("orders: %.1f orders/s, p99 %.2f ms, %d accepted, %d out of stock, %d errors",
		rep.OrdersPerSec, rep.LatencyMS.P99, rep.Accepted, rep.OutOfStock, rep.Errors)

	acks := append(l.Acks, sample...)
	if cfg.Lookups > 0 && len(acks) > 0 {
		shipped, err := shipSome(ctx, c, t.adminKey, acks, shipForSearch)
		if err != nil {
			return fmt.Errorf("ship for search: %w", err)
		}
		r.notef("lookups: shipped %d orders with tracking numbers to search for", shipped)
		if err := r.lookups(ctx, c, t, acks); err != nil {
			return err
		}
	}
	return r.verify(ctx, t, c, acks)
}

func (r *runner) recordLoad(l *loadResult) {
	rep := &r.rep
	rep.MeasuredSeconds = l.Elapsed.Seconds()
	rep.OrdersPerSec = l.OrdersPerSec()
	rep.RequestsPerSec = float64(l.Latency.Count) / l.Elapsed.Seconds()
	rep.LatencyMS = toMS(l.Latency)
	rep.Accepted, rep.OutOfStock, rep.Duplicates, rep.Errors = l.Accepted, l.OutOfStock, l.Duplicates, l.Errors
	rep.WarmupAccepted, rep.WarmupErrors = l.WarmupAccepted, l.WarmupErrors
	rep.Servers, rep.AcceptedByServer = len(l.ByServer), l.ByServer
	rep.ErrorSamples = append(rep.ErrorSamples, l.ErrorSamples...)
	rep.Acknowledged = rep.Preloaded + l.Accepted + l.WarmupAccepted
	if rep.CeilingTxPerSec != nil && *rep.CeilingTxPerSec > 0 {
		ratio := rep.OrdersPerSec / *rep.CeilingTxPerSec
		rep.Ratio = &ratio
	}
}

func (r *runner) lookups(ctx context.Context, c *client, t *target, refs []ack) error {
	r.notef("lookups: %d of each kind over %d orders…", r.cfg.Lookups, len(refs))
	ls, err := lookups(ctx, c, t.channelKey, t.adminKey, refs, r.cfg, r.mode, r.stderr)
	if err != nil {
		return fmt.Errorf("lookups: %w", err)
	}
	r.rep.lookupOrder = ls
	r.rep.Lookups = map[string]msLatency{}
	for _, l := range ls {
		m := toMS(l.Latency)
		m.Errors = l.Errors
		r.rep.Lookups[l.Kind] = m
	}
	return nil
}

func (r *runner) verify(ctx context.Context, t *target, c *client, acks []ack) error {
	rep := &r.rep
	r.notef("verify: invariants, and %d acknowledged orders…", len(acks))
	inv, err := checkInvariants(ctx, t, c)
	if err != nil {
		return fmt.Errorf("verify: %w", err)
	}
	rep.InvariantsOK, rep.Violations = inv.OK, inv.Violations
	rep.CheckedOrders, rep.CheckedLines, rep.CheckedBalances = inv.Orders, inv.Lines, inv.Balances
	a, err := checkAcks(ctx, t, c, acks, r.cfg.Clients)
	if err != nil {
		return fmt.Errorf("verify: %w", err)
	}
	rep.AcknowledgedChecked, rep.AcknowledgedVerified, rep.AcknowledgedProblems = a.Checked, a.Verified, a.Problems
	return nil
}

// memory records the peaks of the in-process run.
func (r *runner) memory() {
	if r.mem == nil {
		return
	}
	peakGo := r.mem.Stop()
	r.mem = nil
	r.rep.PeakGoBytes = &peakGo
	if rss, err := peakRSS(); err == nil {
		r.rep.PeakRSSBytes = &rss
	}
}

// failures says in one line what verification found wrong.
func (r *runner) failures() string {
	var parts []string
	if n := len(r.rep.Violations); n > 0 || !r.rep.InvariantsOK {
		parts = append(parts, fmt.Sprintf("%d invariant violations", n))
	}
	if n := r.rep.AcknowledgedChecked - r.rep.AcknowledgedVerified; n > 0 {
		parts = append(parts, fmt.Sprintf("%d acknowledged orders missing or different", n))
	}
	return strings.Join(parts, ", ")
}

// recordWriters records what the order writers' instruments gained from
// before to now, over a span of run.
func (rep *Report) recordWriters(now, before metrics.WriterTotals, run time.Duration, writers int) {
	rep.Writers = writers
	ms := func(d time.Duration, n uint64) *float64 {
		v := float64(d) / float64(n) / float64(time.Millisecond)
		return &v
	}
	share := func(d time.Duration) *float64 {
		v := float64(d) / float64(run)
		return &v
	}
	if n := now.Batches - before.Batches; n > 0 {
		v := float64(now.Orders-before.Orders) / float64(n)
		rep.OrdersPerBatch = &v
	}
	if n := now.Done - before.Done; n > 0 && run > 0 {
		rep.BatchMS, rep.WritersBusy = ms(now.BatchTime-before.BatchTime, n), share(now.BatchTime-before.BatchTime)
	}
	if n := now.Held - before.Held; n > 0 && run > 0 {
		rep.StockHeldMS, rep.StockHeldShare = ms(now.HeldTime-before.HeldTime, n), share(now.HeldTime-before.HeldTime)
	}
}
