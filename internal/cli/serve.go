package cli

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"runtime/debug"
	"time"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/console"
	"github.com/omshq/oms/internal/httpapi"
	"github.com/omshq/oms/internal/store"
	"github.com/omshq/oms/internal/version"
)

func serve(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, dsn := newFlags("serve", stderr)
	addr := os.Getenv("OMS_ADDR")
	if addr == "" {
		addr = "127.0.0.1:8080"
	}
	fs.StringVar(&addr, "addr", addr, "address to listen on (env OMS_ADDR)")
	level := fs.String("log-level", cmp.Or(os.Getenv("OMS_LOG_LEVEL"), "info"),
		"debug, info, warn or error; debug adds a line per refused request (env OMS_LOG_LEVEL)")
	secureCookies := fs.Bool("secure-cookies", os.Getenv("OMS_SECURE_COOKIES") == "true",
		"mark the console's cookies Secure: for a server behind a proxy that ends TLS (env OMS_SECURE_COOKIES=true)")
	format := fs.String("log-format", cmp.Or(os.Getenv("OMS_LOG_FORMAT"), "text"), "text or json (env OMS_LOG_FORMAT)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError(fs)
	}
	log, err := newLogger(stderr, *level, *format)
	if err != nil {
		fmt.Fprintf(stderr, "oms serve: %v\n", err)
		return usageError(fs)
	}
	v := version.Get()
	log.Info("oms starting", slog.String("version", v.Version), slog.String("commit", v.Commit),
		slog.Bool("modified", v.Modified), slog.String("go", v.Go))
	tuneGC()
	db, err := openDB(ctx, *dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	base := "http://" + ln.Addr().String()
	if err := firstKey(ctx, db, base, stdout); err != nil {
		ln.Close()
		return err
	}
	if err := firstUser(ctx, db, base, stdout); err != nil {
		ln.Close()
		return err
	}
	ui := console.New(db, console.Options{Secure: *secureCookies, Log: log})
	srv := &http.Server{Handler: withConsole(httpapi.New(db, log), ui), ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout: 30 * time.Second, WriteTimeout: 60 * time.Second, IdleTimeout: 2 * time.Minute,
		ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}
	log.Info("oms listening", slog.String("url", base), slog.String("database", db.Engine()), slog.String("db", store.RedactDSN(*dsn)))
	fmt.Fprintf(stdout, "oms listening on %s\n", base)
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	go sweep(ctx, db, log)
	go publishAvailability(ctx, db, log)
	go expireIdempotencyKeys(ctx, db, log, idempotencySweepEvery)
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	shutdown, cancel := context.WithTimeout(context.WithoutCancel(ctx), 15*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// sweepEvery is how often a server looks for background work that is due.
const sweepEvery = time.Minute

// sweep runs the periodic work — expiring uncollected pickups, forgetting
// old webhook delivery ids — until ctx ends. Every server runs it; the store
// makes each piece of work safe to race for.
func sweep(ctx context.Context, db *store.DB, log *slog.Logger) {
	every(ctx, sweepEvery, func() {
		n, err := db.ExpirePickups(ctx, "oms")
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
	_, secret, err := db.CreateAPIKey(ctx, "admin", oms.RoleAdmin, "oms serve")
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
