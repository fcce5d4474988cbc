package bench

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/httpapi"
	"github.com/omshq/oms/internal/metrics"
	"github.com/omshq/oms/internal/store"
	"github.com/omshq/oms/internal/store/reports"
	"github.com/omshq/oms/internal/store/sqldb"
)

// target is the oms under load: where it answers, its keys, and — when it
// runs in this process — its store and database.
type target struct {
	base       string
	engine     string
	adminKey   string
	channelKey string
	db         *store.DB     // nil over --url
	fresh      *freshDB      // nil over --url
	serverErrs *serverErrors // nil over --url
	srv        *http.Server
	// metrics are the in-process servers' instruments, as oms serve has
	// them; nil over --url.
	metrics *metrics.Metrics
	// peers are the other in-process servers on the same database
	// (--servers), each with its own store: pools, writers, jobs.
	peers []*peer
}

// peer is one more in-process server on the target's database.
type peer struct {
	base string
	db   *store.DB
	srv  *http.Server
}

// startServer opens a fresh database on the engine spec, creates an admin
// key, and serves the API on 127.0.0.1 on a free port; with servers > 1,
// as many servers in all, each opening the database with a store of its
// own (the options' feed reader aside: each gets a new one).
func startServer(ctx context.Context, spec string, opt store.Options, servers int) (_ *target, err error) {
	fresh, err := newFreshDB(ctx, spec, "oms")
	if err != nil {
		return nil, err
	}
	t := &target{fresh: fresh, serverErrs: &serverErrors{}, metrics: metrics.New(metrics.Options{})}
	defer func() {
		if err != nil {
			t.close(ctx, false)
		}
	}()
	if opt.Feed == nil {
		opt.Feed = reports.New()
	}
	if t.db, err = store.Open(ctx, fresh.DSN, opt); err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	t.engine = t.db.Engine()
	t.db.SetMetrics(t.metrics)
	if _, t.adminKey, err = t.db.CreateAPIKey(ctx, "oms bench admin", oms.RoleAdmin, oms.System("oms bench")); err != nil {
		return nil, err
	}
	if t.base, t.srv, err = t.serve(t.db); err != nil {
		return nil, err
	}
	for range servers - 1 {
		p := &peer{}
		popt := opt
		popt.Feed = reports.New()
		if p.db, err = store.Open(ctx, fresh.DSN, popt); err != nil {
			return nil, fmt.Errorf("open database for another server: %w", err)
		}
		t.peers = append(t.peers, p)
		p.db.SetMetrics(t.metrics)
		if p.base, p.srv, err = t.serve(p.db); err != nil {
			return nil, err
		}
	}
	return t, nil
}

// serve serves the API of db on 127.0.0.1 on a free port, logging to the
// target's server errors.
func (t *target) serve(db *store.DB) (string, *http.Server, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	srv := &http.Server{Handler: httpapi.New(db, slog.New(t.serverErrs)), ReadHeaderTimeout: 10 * time.Second,
		ErrorLog: slog.NewLogLogger(t.serverErrs, slog.LevelError)}
	go srv.Serve(ln)
	return "http://" + ln.Addr().String(), srv, nil
}

// bases are the URLs of every server of the target, the first first.
func (t *target) bases() []string {
	bs := []string{t.base}
	for _, p := range t.peers {
		bs = append(bs, p.base)
	}
	return bs
}

// connect readies a running oms: it asks which engine it runs on.
func connect(ctx context.Context, c *client, adminKey, tag string) (*target, error) {
	t := &target{base: c.base, adminKey: adminKey}
	var h struct {
		Database string `json:"database"`
	}
	if err := c.call(ctx, "GET", "/healthz", "", nil, &h, http.StatusOK); err != nil {
		return nil, err
	}
	t.engine = h.Database
	return t, nil
}

// makeChannelKey creates, with the admin key, the channel key that places
// the orders: bound to the plan's channels, so it is made after setup.
func (t *target) makeChannelKey(ctx context.Context, c *client, p *Plan, tag string) error {
	var k struct {
		Secret string `json:"secret"`
	}
	req := map[string]any{"name": "oms bench " + tag, "role": oms.RoleChannel, "channels": p.channelCodes()}
	if err := c.call(ctx, "POST", "/v1/api-keys", t.adminKey, req, &k, http.StatusCreated); err != nil {
		return fmt.Errorf("create a channel key (is --key an admin key?): %w", err)
	}
	t.channelKey = k.Secret
	return nil
}

// close stops the in-process server and closes and drops its database
// unless keep; over --url it does nothing.
func (t *target) close(ctx context.Context, keep bool) error {
	var errs []error
	stop := func(srv *http.Server, db *store.DB) {
		if srv != nil {
			sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
			errs = append(errs, srv.Shutdown(sctx))
			cancel()
		}
		if db != nil {
			errs = append(errs, db.Close())
		}
	}
	for _, p := range t.peers {
		stop(p.srv, p.db)
	}
	stop(t.srv, t.db)
	if t.fresh != nil && !keep {
		errs = append(errs, t.fresh.Drop(ctx))
	}
	return errors.Join(errs...)
}

// serverErrors is the in-process server's log handler: it drops everything
// below ERROR and keeps the first few errors — the details a 500 answer
// hides — for the report.
type serverErrors struct {
	mu    sync.Mutex
	count int
	first []string
}

func (h *serverErrors) Enabled(_ context.Context, l slog.Level) bool { return l >= slog.LevelError }

func (h *serverErrors) Handle(_ context.Context, r slog.Record) error {
	msg := r.Message
	r.Attrs(func(a slog.Attr) bool {
		msg += " " + a.String()
		return true
	})
	h.mu.Lock()
	defer h.mu.Unlock()
	h.count++
	if len(h.first) < maxSamples {
		h.first = append(h.first, msg)
	}
	return nil
}

func (h *serverErrors) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h *serverErrors) WithGroup(string) slog.Handler      { return h }

func (h *serverErrors) get() (int, []string) {
	if h == nil {
		return 0, nil
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.count, append([]string{}, h.first...)
}

// walPosition is the database's write-ahead log position, when the server
// is in-process: PostgreSQL's, or on SQLite the bytes the writers wrote to
// the log so far, with the syncs of the log (its commits).
func (t *target) walPosition(ctx context.Context) (pos, syncs int64, ok bool) {
	if t.db == nil {
		return 0, 0, false
	}
	if t.db.Engine() == "sqlite" {
		return t.db.SQL.LogWritten()
	}
	pos, ok, err := t.db.WALPosition(ctx)
	return pos, 0, ok && err == nil
}

// sessionEvery is how often the bench samples the database's sessions.
const sessionEvery = 100 * time.Millisecond

// sessionSampler counts what the database's client sessions are doing,
// sample by sample, while the orders are placed, and follows the CPU time
// of the server's processes where they run on this machine.
type sessionSampler struct {
	ticker  *sqldb.Ticker
	samples int
	counts  map[string]int
	cpu     *dbCPU
	pids    func() ([]int64, bool, error)
}

// sampleSessions starts sampling the database's sessions every
// sessionEvery, when the server is in-process on PostgreSQL; else nil.
func (t *target) sampleSessions(ctx context.Context) *sessionSampler {
	if t.db == nil || t.engine != "postgres" {
		return nil
	}
	s := &sessionSampler{counts: make(map[string]int), cpu: newDBCPU(),
		pids: func() ([]int64, bool, error) { return t.db.SQL.ServerPIDs(ctx) }}
	s.sampleCPU()
	s.ticker = sqldb.StartTicker(sessionEvery, func() {
		s.sampleCPU()
		states, ok, err := t.db.SQL.SessionStates(ctx)
		if !ok || err != nil {
			return
		}
		s.samples++
		for _, st := range states {
			s.counts[st]++
		}
	})
	return s
}

// sampleCPU reads the CPU time of the server's processes so far.
func (s *sessionSampler) sampleCPU() {
	if pids, ok, err := s.pids(); ok && err == nil {
		s.cpu.sample(pids)
	}
}

// finish stops the sampling and returns the mean number of sessions in
// each state, nil when nothing was sampled, and the CPU time the server's
// processes spent, with false when they could not be read.
func (s *sessionSampler) finish() (*DBSessions, time.Duration, bool) {
	if s == nil {
		return nil, 0, false
	}
	s.ticker.Close()
	s.sampleCPU()
	cpu, cpuOK := s.cpu.total()
	if s.samples == 0 {
		return nil, cpu, cpuOK
	}
	mean := make(map[string]float64, len(s.counts))
	for st, n := range s.counts {
		mean[st] = float64(n) / float64(s.samples)
	}
	return &DBSessions{Samples: s.samples, Mean: mean}, cpu, cpuOK
}

// writers is the number of order writers of the in-process servers, all
// together.
func (t *target) writers() int {
	n := t.db.Writers()
	for _, p := range t.peers {
		n += p.db.Writers()
	}
	return n
}
