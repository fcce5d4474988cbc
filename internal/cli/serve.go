package cli

import (
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"runtime/debug"
	"strconv"
	"sync"
	"time"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/console"
	"github.com/omshq/oms/internal/httpapi"
	"github.com/omshq/oms/internal/metrics"
	"github.com/omshq/oms/internal/store"
	"github.com/omshq/oms/internal/version"
)

func serve(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, dsn := newFlags("serve", stderr)
	addr := fs.String("addr", envOr("OMS_ADDR", "127.0.0.1:8080"), "address to listen on (env OMS_ADDR)")
	level := fs.String("log-level", envOr("OMS_LOG_LEVEL", "info"),
		"debug, info, warn or error; debug adds a line per refused request (env OMS_LOG_LEVEL)")
	secure := boolFlag(fs, "secure-cookies", "OMS_SECURE_COOKIES",
		"mark the console's cookies Secure: for a server behind a proxy that ends TLS (env OMS_SECURE_COOKIES)")
	secureCookies := &secure.value
	format := fs.String("log-format", envOr("OMS_LOG_FORMAT", "text"), "text or json (env OMS_LOG_FORMAT)")
	metricsAddr := fs.String("metrics-addr", os.Getenv("OMS_METRICS_ADDR"),
		"serve GET /metrics on this address of its own, without a key (and not on the API); empty: on the API, to admin and manager keys (env OMS_METRICS_ADDR)")
	grace := durationFlag(fs, "grace", "OMS_GRACE", defaultGrace,
		"on SIGTERM or SIGINT, how long to let in-flight requests and jobs finish before stopping them (env OMS_GRACE)")
	jobMode := fs.String("jobs", envOr("OMS_JOBS", "river"),
		"how background work runs: river (durable jobs in the database, once across all servers) or loop (timers in this process) (env OMS_JOBS)")
	outboxFlags := addOutboxFlags(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError(fs, "%s", extraArgs(fs))
	}
	if grace.err == nil && grace.value < 0 {
		grace.err = fmt.Errorf("-grace %s: give a duration of 0 or more", grace.value)
	}
	if err := cmp.Or(grace.err, secure.err, outboxFlags.check()); err != nil {
		return usageError(fs, "%v", err)
	}
	if *metricsAddr != "" {
		if _, _, err := net.SplitHostPort(*metricsAddr); err != nil {
			return usageError(fs, "-metrics-addr: %q is not a host:port such as 127.0.0.1:9090 (env OMS_METRICS_ADDR)", *metricsAddr)
		}
	}
	if *jobMode != "river" && *jobMode != "loop" {
		return usageError(fs, "-jobs: %q is not river or loop", *jobMode)
	}
	log, err := newLogger(stderr, *level, *format)
	if err != nil {
		return usageError(fs, "%v", err)
	}
	v := version.Get()
	log.Info("oms starting", slog.String("version", v.Version), slog.String("commit", v.Commit),
		slog.Bool("modified", v.Modified), slog.String("go", v.Go))
	tuneGC()
	useRiver := *jobMode == "river"
	opt := store.Options{Log: log}
	if useRiver {
		opt.FoldEvery = -1        // a job folds
		opt.SearchCleanEvery = -1 // and merges the search index's pending list
	}
	db, err := openDBWith(ctx, *dsn, opt)
	if err != nil {
		return err
	}
	defer db.Close()
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	defer ln.Close()
	base := "http://" + ln.Addr().String()
	if err := firstKey(ctx, db, base, stdout); err != nil {
		return err
	}
	if err := firstUser(ctx, db, base, stdout); err != nil {
		ln.Close()
		return err
	}
	var mln net.Listener
	if *metricsAddr != "" {
		if mln, err = net.Listen("tcp", *metricsAddr); err != nil {
			return err
		}
		defer mln.Close()
	}
	m := metrics.New(metrics.Options{Logger: log})
	db.SetMetrics(m)
	var runner *jobRunner
	deliver := outboxFlags.deliverer(db, log, m)
	if useRiver {
		runner = startJobs(ctx, db, log, deliver)
	}
	if err := registerMetrics(m, db, runner); err != nil {
		if runner != nil {
			runner.stopJobs(context.WithoutCancel(ctx))
		}
		return err
	}
	api := httpapi.New(db, log)
	waitOutbox, err := startOutbox(ctx, db, api, log, outboxFlags, deliver, runner)
	defer waitOutbox()
	if err != nil {
		if runner != nil {
			runner.stopJobs(context.WithoutCancel(ctx))
		}
		return err
	}
	api.UseMetrics(m, *metricsAddr == "")
	if runner != nil {
		api.AddReadyCheck("the job queue is starting, or its schema is not current", runner.ready)
	}
	// The return page shows the store's name from its settings (the
	// console's Settings page), else the order's channel's.
	ui := console.New(db.Services(), console.Options{Secure: *secureCookies, Log: log, FX: db,
		WebhooksAllowPrivate: outboxFlags.allowPrivate})
	api.Mount(ui)
	srv := newServer(api, log)
	errc := make(chan error, 2)
	var msrv *http.Server
	if mln != nil {
		mux := http.NewServeMux()
		mux.Handle("GET /metrics", m.Handler())
		msrv = newServer(mux, log)
		log.Info("metrics listening", slog.String("url", "http://"+mln.Addr().String()+"/metrics"))
		go func() { errc <- msrv.Serve(mln) }()
	}
	log.Info("oms listening", slog.String("url", base), slog.String("database", db.Engine()), slog.String("db", store.RedactDSN(*dsn)),
		slog.String("jobs", *jobMode))
	fmt.Fprintf(stdout, "oms listening on %s\n", base)
	go func() { errc <- srv.Serve(ln) }()
	if !useRiver {
		go sweep(ctx, db, log)
		go expireIdempotencyKeys(ctx, db, log, idempotencySweepEvery)
	}
	go publishAvailability(ctx, db, log)
	var jobsDone <-chan struct{}
	if runner != nil {
		jobsDone = runner.done
	}
	for {
		select {
		case err := <-errc:
			if runner != nil {
				runner.stopJobs(context.WithoutCancel(ctx))
			}
			return err
		case <-jobsDone:
			jobsDone = nil
			if runner.err != nil {
				log.Error("the job queue did not start", slog.Any("error", runner.err))
				srv.Close()
				if msrv != nil {
					msrv.Close()
				}
				return runner.err
			}
			continue
		case <-ctx.Done():
		}
		break
	}
	return shutdown(log, grace.value, srv, msrv, runner)
}

// defaultGrace is how long a stopping server lets its in-flight requests
// and jobs finish.
const defaultGrace = 20 * time.Second

// newServer is an HTTP server of handler with the API's timeouts.
func newServer(handler http.Handler, log *slog.Logger) *http.Server {
	return &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout: 30 * time.Second, WriteTimeout: 60 * time.Second, IdleTimeout: 2 * time.Minute,
		ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}
}

// shutdown stops a server that was told to stop: it closes the listeners
// at once, lets the requests in flight and the jobs being worked finish
// within the grace period, then stops what is left (a job cut off is
// worked again later, by this server or another). It fails when requests
// had to be cut off.
func shutdown(log *slog.Logger, grace time.Duration, srv, msrv *http.Server, runner *jobRunner) error {
	log.Info("shutting down", slog.Duration("grace", grace))
	ctx, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	var wg sync.WaitGroup
	var jobsErr error
	if runner != nil {
		wg.Go(func() { jobsErr = runner.stopJobs(ctx) })
	}
	if msrv != nil {
		wg.Go(func() { msrv.Shutdown(ctx) })
	}
	err := srv.Shutdown(ctx)
	wg.Wait()
	if err != nil && !errors.Is(err, http.ErrServerClosed) {
		srv.Close()
		return fmt.Errorf("requests still in flight after the grace period of %s were cut off: %w", grace, err)
	}
	if jobsErr != nil {
		log.Error("stopping jobs", slog.Any("error", jobsErr))
	}
	log.Info("stopped")
	return nil
}

// envOr is the environment variable's value, or def when it is unset or
// empty.
func envOr(name, def string) string {
	return cmp.Or(os.Getenv(name), def)
}

// durationValue is a duration flag whose default came from the
// environment; err is a bad environment value, reported after parsing.
type durationValue struct {
	value time.Duration
	err   error
}

// durationFlag defines a duration flag defaulting to the environment
// variable env, else def.
func durationFlag(fs *flag.FlagSet, name, env string, def time.Duration, usage string) *durationValue {
	d := &durationValue{value: def}
	if s := os.Getenv(env); s != "" {
		v, err := time.ParseDuration(s)
		if err != nil || v < 0 {
			d.err = fmt.Errorf("%s=%q is not a duration such as 20s", env, s)
		} else {
			d.value = v
		}
	}
	fs.DurationVar(&d.value, name, d.value, usage)
	return d
}

// boolValue is a true/false flag whose default came from the environment;
// err is a bad environment value, reported after parsing.
type boolValue struct {
	value bool
	err   error
}

// boolFlag defines a true/false flag defaulting to the environment
// variable env (true, false, 1, 0, t, f in any case), else false.
func boolFlag(fs *flag.FlagSet, name, env, usage string) *boolValue {
	b := &boolValue{}
	if s := os.Getenv(env); s != "" {
		v, err := strconv.ParseBool(s)
		if err != nil {
			b.err = fmt.Errorf("%s=%q is not true or false", env, s)
		}
		b.value = v
	}
	fs.BoolVar(&b.value, name, b.value, usage)
	return b
}

// sweepEvery is how often a server looks for background work that is due.
const sweepEvery = time.Minute

// sweep runs the periodic work — expiring uncollected pickups, forgetting
// old webhook delivery ids — until ctx ends. Every server runs it; the store
// makes each piece of work safe to race for.
func sweep(ctx context.Context, db *store.DB, log *slog.Logger) {
	every(ctx, sweepEvery, func() {
		n, err := db.ExpirePickups(ctx, oms.System("oms"))
		if err != nil {
			log.Error("expiring pickups", slog.Any("error", err))
		} else if n > 0 {
			log.Info("expired uncollected pickups", slog.Int("orders", n))
		}
		if _, err := db.ForgetDeliveries(ctx); err != nil {
			log.Error("forgetting webhook deliveries", slog.Any("error", err))
		}
	})
}

// every runs fn at each tick of the interval d until ctx ends.
func every(ctx context.Context, d time.Duration, fn func()) {
	t := time.NewTicker(d)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		fn()
	}
}

// idempotencySweepEvery is how often a server deletes the expired
// Idempotency-Keys.
const idempotencySweepEvery = 5 * time.Minute

// expireIdempotencyKeys deletes the Idempotency-Keys older than a day, a few
// hundred per transaction, every so often until ctx ends. Every server runs
// it; the store lets them race.
func expireIdempotencyKeys(ctx context.Context, db *store.DB, log *slog.Logger, d time.Duration) {
	every(ctx, d, func() {
		n, err := db.ExpireIdempotencyKeys(ctx)
		if err != nil && ctx.Err() == nil {
			log.Error("expiring idempotency keys", slog.Any("error", err))
		} else if n > 0 {
			log.Debug("expired idempotency keys", slog.Int("keys", n))
		}
	})
}

// Availability changes are looked for every availabilityEvery, and all
// SKUs compared every availabilityFullEvery (catching a change of a
// channel's share, buffer or locations).
const (
	availabilityEvery     = 2 * time.Second
	availabilityFullEvery = 10 * time.Minute
)

// publishAvailability publishes the changes of what each channel may sell
// as inventory.availability_changed events until ctx ends.
func publishAvailability(ctx context.Context, db *store.DB, log *slog.Logger) {
	var sw store.AvailabilitySweep
	t := time.NewTicker(availabilityEvery)
	defer t.Stop()
	var lastFull time.Time
	for {
		full := time.Since(lastFull) >= availabilityFullEvery
		if full {
			lastFull = time.Now()
		}
		n, err := db.PublishAvailability(ctx, &sw, full)
		if err != nil && ctx.Err() == nil {
			log.Error("publishing availability", slog.Any("error", err))
		} else if n > 0 {
			log.Debug("availability changed", slog.Int("skus", n))
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// tuneGC lets the heap grow to three times the live data between
// collections instead of twice (unless GOGC says otherwise): a server under
// load then spends about half as much CPU collecting, and its memory stays
// far below what the machine has (oms bench reports it).
func tuneGC() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(200)
	}
}

// firstKey creates an admin key on a database that has none and prints it
// once, with an example call, so that a new user can use the API at once.
func firstKey(ctx context.Context, db *store.DB, base string, stdout io.Writer) error {
	n, err := db.CountAPIKeys(ctx)
	if err != nil || n > 0 {
		return err
	}
	_, secret, err := db.CreateAPIKey(ctx, "admin", oms.RoleAdmin, oms.System("oms serve"))
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, `
This database had no API keys, so an admin key was created. It is shown only now:

    %s

Try it:

    curl -H 'Authorization: Bearer %s' %s/v1/channels

Create keys with fewer rights with: oms apikey create --role agent --name "support desk"
List them with oms apikey list, and revoke one with oms apikey revoke ID.

`, secret, secret, base)
	return nil
}

// newLogger makes the server's logger: text or JSON lines at the level given.
func newLogger(w io.Writer, level, format string) (*slog.Logger, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(level)); err != nil {
		return nil, fmt.Errorf("-log-level: %q is not debug, info, warn or error", level)
	}
	opts := &slog.HandlerOptions{Level: l}
	switch format {
	case "text":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	}
	return nil, fmt.Errorf("-log-format: %q is not text or json", format)
}
