// Package jobs runs the server's background work as durable jobs in the
// database, with River (github.com/riverqueue/river): the pickup expiry
// sweep, forgetting old channel webhook deliveries, idempotency-key expiry,
// folding the report rollups, merging the search index's pending list
// (PostgreSQL), fanning the new events out to the webhook endpoints,
// delivering them (a job per endpoint), and allocating backorders when a
// receipt could not serve every waiting order in its own transaction.
//
// Webhook delivery: the fan-out writes an endpoint's deliveries and
// enqueues, in the same transaction, a job of kind oms.deliver_webhooks for
// the endpoint (DeliverLater), and a periodic sweep enqueues one for every
// endpoint whose retries came due. The job drains its endpoint's due
// deliveries for a while (of each order the earliest open one, so an
// order's events arrive in order; an endpoint's job holds up no other
// endpoint's) and completes, or, when it stopped with deliveries left,
// hands on to the endpoint's next job at once (itself again, snoozed,
// within its period). The job is unique by endpoint while waiting or
// running within a period of DeliverRound: a new event wakes no second job
// while one is at work, and a job stuck on a killed server holds its
// endpoint up for one period at most before the next period's job takes
// over (River's rescuer, later, works the stuck one again; it finds little
// or nothing to do). The deliveries themselves are claimed under a lease,
// so two jobs of one endpoint never attempt a delivery twice at once, and
// the killed server's claims go out again when their lease ends.
//
// Every server runs a River client on the same database. The periodic jobs
// are enqueued by the one client River elects leader, and each job is
// locked by the one client that works it, so a job runs once in effect
// however many servers there are; a job whose server died while working it
// is rescued and worked again by another (RescueAfter), so every piece of
// work is safe to repeat. River's tables (river_job, river_leader, …) are
// created and kept current by River's own migrator, at Open, beside the
// store's; they are River's, not part of the store's schema.
//
// On PostgreSQL River shares the store's pool. On SQLite, whose store
// writes through one connection, River shares that connection and polls
// for work (SQLite has no LISTEN): its statements take their turn with the
// store's transactions (with a connection of its own, its writes waited
// outside SQLite's lock while the store's writer kept it, and under load
// River could neither fetch jobs nor keep its leadership for seconds).
package jobs

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
	"github.com/riverqueue/river/rivertype"

	"github.com/omshq/oms/internal/metrics"
	"github.com/omshq/oms/internal/store"
)

// Work is what the jobs do; the server's wiring supplies it, so that the
// jobs stay apart from where the work lives in the store.
type Work struct {
	ExpirePickups         func(ctx context.Context) (int, error)
	ForgetDeliveries      func(ctx context.Context) (int64, error)
	ExpireIdempotencyKeys func(ctx context.Context) (int, error)
	FoldRollups           func(ctx context.Context) error
	// CleanSearch merges the search index's pending list (PostgreSQL;
	// nothing on SQLite); nil leaves it to PostgreSQL.
	CleanSearch        func(ctx context.Context) (int64, error)
	AllocateBackorders func(ctx context.Context, itemID int64) error
	// FanOutWebhooks writes the webhook deliveries of the events not yet
	// fanned out (store.DB.FanOutWebhooks); nil: no such job.
	FanOutWebhooks func(ctx context.Context) (int, error)
	// DeliverWebhooks attempts the due deliveries of an endpoint for at
	// most budget, and reports how many attempts it made and whether it
	// stopped with some perhaps left (outbox.Deliverer.Drain);
	// DueWebhookEndpoints lists the endpoints with deliveries due
	// (store.DB.DueWebhookEndpoints). Nil: no delivery jobs.
	DeliverWebhooks     func(ctx context.Context, endpointID string, budget time.Duration) (int, bool, error)
	DueWebhookEndpoints func(ctx context.Context) ([]string, error)
}

// Options tune Open. The zero value is ready to use.
type Options struct {
	Logger *slog.Logger
	// The periods of the periodic jobs; 0 picks the default.
	PickupsEvery, IdempotencyEvery, FoldEvery, SearchCleanEvery time.Duration
	// FanOutEvery is the period of the webhook fan-out job (default 1 s):
	// one server at a time works it, fanning out the new events as they
	// come for most of the period.
	FanOutEvery time.Duration
	// PollEvery is how often a client looks for jobs besides being told
	// (PostgreSQL's LISTEN; always on SQLite): default 1 s.
	PollEvery time.Duration
	// JobTimeout bounds one job (default 5 minutes); RescueAfter is how
	// long a job may be running before it is taken as its server's death
	// and worked again (default 10 minutes; more than JobTimeout).
	JobTimeout, RescueAfter time.Duration
	// Workers is how many jobs a server works at once (default 4), besides
	// the webhook delivery jobs, which have a queue of their own.
	Workers int
	// DeliverWorkers is how many endpoints a server delivers to at once
	// (default 32): the webhook queue's workers.
	DeliverWorkers int
	// DeliverRound is the period within which an endpoint has one delivery
	// job at most (default 10 s): a job drains for half of it at most, and
	// a job stuck on a killed server holds its endpoint up for about one.
	DeliverRound time.Duration
	// SweepEvery is the period of the sweep that enqueues the delivery jobs
	// of the endpoints whose retries came due (default 1 s).
	SweepEvery time.Duration
}

// Default periods of the periodic jobs.
const (
	DefaultPickupsEvery     = time.Minute
	DefaultIdempotencyEvery = 5 * time.Minute
	DefaultFoldEvery        = 5 * time.Second
	DefaultSearchCleanEvery = 5 * time.Second
	DefaultFanOutEvery      = time.Second
	DefaultDeliverRound     = 10 * time.Second
	DefaultSweepEvery       = time.Second
	DefaultDeliverWorkers   = 32
	// QueueWebhooks is the queue of the webhook delivery jobs, apart from
	// the other jobs so that many slow endpoints cannot hold them up.
	QueueWebhooks = "webhooks"
	// fanOutPause is how long the fan-out job waits when no event is new.
	fanOutPause = 50 * time.Millisecond
)

// defaultRescueAfter is Options.RescueAfter's default.
const defaultRescueAfter = 10 * time.Minute

// Runner is a server's River client.
type Runner struct {
	client   *river.Client[*sql.Tx]
	round    time.Duration // DeliverRound
	driver   riverdriver.Driver[*sql.Tx]
	pool     *sql.DB
	ownPool  bool
	log      *slog.Logger
	postgres bool
}

// Job arguments. Their kinds name them in river_job.
type (
	// ExpirePickupsArgs: expire uncollected pickups, and forget old channel
	// webhook deliveries.
	ExpirePickupsArgs struct{}
	// ExpireIdempotencyKeysArgs: delete the expired Idempotency-Keys.
	ExpireIdempotencyKeysArgs struct{}
	// FoldRollupsArgs: fold the report rollups' pending deltas.
	FoldRollupsArgs struct{}
	// CleanSearchArgs: merge the search index's pending list.
	CleanSearchArgs struct{}
	// FanOutWebhooksArgs: fan the new events out to the webhook endpoints
	// as they come, for most of a period.
	FanOutWebhooksArgs struct{}
	// SweepWebhooksArgs: enqueue the delivery jobs of the endpoints with
	// deliveries due.
	SweepWebhooksArgs struct{}
	// DeliverWebhooksArgs: attempt an endpoint's due webhook deliveries.
	DeliverWebhooksArgs struct {
		EndpointID string `json:"endpoint_id"`
	}
	// AllocateBackordersArgs: give an item's stock to the orders waiting.
	AllocateBackordersArgs struct {
		// Not unique: two jobs for an item do no harm (the second finds
		// nothing or less to do), while skipping one because another is
		// running could leave orders waiting.
		ItemID int64 `json:"item_id"`
	}
)

func (ExpirePickupsArgs) Kind() string         { return "oms.expire_pickups" }
func (ExpireIdempotencyKeysArgs) Kind() string { return "oms.expire_idempotency_keys" }
func (FoldRollupsArgs) Kind() string           { return "oms.fold_rollups" }
func (CleanSearchArgs) Kind() string           { return "oms.clean_search" }
func (AllocateBackordersArgs) Kind() string    { return "oms.allocate_backorders" }
func (FanOutWebhooksArgs) Kind() string        { return "oms.fan_out_webhooks" }
func (SweepWebhooksArgs) Kind() string         { return "oms.sweep_webhooks" }
func (DeliverWebhooksArgs) Kind() string       { return "oms.deliver_webhooks" }

// Open connects River to the store's database, brings River's tables up
// to date with its migrator and builds the client (Start starts it).
func Open(ctx context.Context, db *store.DB, work Work, opt Options) (*Runner, error) {
	pool, own, err := db.JobPool()
	if err != nil {
		return nil, err
	}
	r := &Runner{pool: pool, ownPool: own, log: opt.Logger, postgres: db.Engine() == "postgres",
		round: orDefault(opt.DeliverRound, DefaultDeliverRound)}
	if r.log == nil {
		r.log = slog.New(slog.DiscardHandler)
	}
	if r.postgres {
		r.driver = riverdatabasesql.New(pool)
	} else {
		r.driver = riversqlite.New(pool)
	}
	if err := r.migrate(ctx); err != nil {
		r.closePool()
		return nil, err
	}
	workers := river.NewWorkers()
	river.AddWorker(workers, river.WorkFunc(func(ctx context.Context, _ *river.Job[ExpirePickupsArgs]) error {
		n, err := work.ExpirePickups(ctx)
		if err != nil {
			return fmt.Errorf("expiring pickups: %w", err)
		}
		if n > 0 {
			r.log.Info("expired uncollected pickups", slog.Int("orders", n))
		}
		if _, err := work.ForgetDeliveries(ctx); err != nil {
			return fmt.Errorf("forgetting webhook deliveries: %w", err)
		}
		return nil
	}))
	river.AddWorker(workers, river.WorkFunc(func(ctx context.Context, _ *river.Job[ExpireIdempotencyKeysArgs]) error {
		n, err := work.ExpireIdempotencyKeys(ctx)
		if err != nil {
			return fmt.Errorf("expiring idempotency keys: %w", err)
		}
		if n > 0 {
			r.log.Debug("expired idempotency keys", slog.Int("keys", n))
		}
		return nil
	}))
	river.AddWorker(workers, river.WorkFunc(func(ctx context.Context, _ *river.Job[FoldRollupsArgs]) error {
		return work.FoldRollups(ctx)
	}))
	river.AddWorker(workers, river.WorkFunc(func(ctx context.Context, _ *river.Job[CleanSearchArgs]) error {
		if work.CleanSearch == nil {
			return nil
		}
		_, err := work.CleanSearch(ctx)
		return err
	}))
	river.AddWorker(workers, river.WorkFunc(func(ctx context.Context, j *river.Job[AllocateBackordersArgs]) error {
		return work.AllocateBackorders(ctx, j.Args.ItemID)
	}))
	fanOutEvery := orDefault(opt.FanOutEvery, DefaultFanOutEvery)
	if work.FanOutWebhooks != nil {
		river.AddWorker(workers, river.WorkFunc(func(ctx context.Context, _ *river.Job[FanOutWebhooksArgs]) error {
			// Most of the period, so that the next job (on any server)
			// takes over about when this one ends.
			until := time.Now().Add(fanOutEvery * 9 / 10)
			for time.Now().Before(until) && ctx.Err() == nil {
				n, err := work.FanOutWebhooks(ctx)
				if err != nil {
					return fmt.Errorf("fanning out webhooks: %w", err)
				}
				if n == 0 {
					select {
					case <-ctx.Done():
						return nil
					case <-time.After(fanOutPause):
					}
				}
			}
			return nil
		}))
	}
	if work.DeliverWebhooks != nil {
		river.AddWorker(workers, &deliverWorker{r: r, work: work, timeout: r.deliverTimeout(opt.RescueAfter)})
		river.AddWorker(workers, river.WorkFunc(func(ctx context.Context, _ *river.Job[SweepWebhooksArgs]) error {
			ids, err := work.DueWebhookEndpoints(ctx)
			if err != nil {
				return fmt.Errorf("webhook sweep: %w", err)
			}
			if len(ids) == 0 {
				return nil
			}
			_, err = r.client.InsertMany(ctx, r.deliverParams(ids))
			return err
		}))
	}
	every := func(d, def time.Duration) river.PeriodicSchedule {
		if d <= 0 {
			d = def
		}
		return river.PeriodicInterval(d)
	}
	periodic := []*river.PeriodicJob{
		river.NewPeriodicJob(every(opt.PickupsEvery, DefaultPickupsEvery),
			func() (river.JobArgs, *river.InsertOpts) { return ExpirePickupsArgs{}, nil }, &river.PeriodicJobOpts{ID: "expire_pickups"}),
		river.NewPeriodicJob(every(opt.IdempotencyEvery, DefaultIdempotencyEvery),
			func() (river.JobArgs, *river.InsertOpts) { return ExpireIdempotencyKeysArgs{}, nil },
			&river.PeriodicJobOpts{ID: "expire_idempotency_keys"}),
		river.NewPeriodicJob(every(opt.FoldEvery, DefaultFoldEvery),
			func() (river.JobArgs, *river.InsertOpts) { return FoldRollupsArgs{}, nil }, &river.PeriodicJobOpts{ID: "fold_rollups"}),
	}
	if r.postgres && work.CleanSearch != nil {
		periodic = append(periodic, river.NewPeriodicJob(every(opt.SearchCleanEvery, DefaultSearchCleanEvery),
			func() (river.JobArgs, *river.InsertOpts) { return CleanSearchArgs{}, nil }, &river.PeriodicJobOpts{ID: "clean_search"}))
	}
	if work.FanOutWebhooks != nil {
		periodic = append(periodic, river.NewPeriodicJob(river.PeriodicInterval(fanOutEvery),
			// The leader enqueues one a period; each works nine tenths of
			// it, so one server at a time fans out (two may overlap for a
			// moment, which FanOutWebhooks allows).
			func() (river.JobArgs, *river.InsertOpts) { return FanOutWebhooksArgs{}, nil },
			&river.PeriodicJobOpts{ID: "fan_out_webhooks", RunOnStart: true}))
	}
	queues := map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: max(opt.Workers, 0) + 4*b2i(opt.Workers == 0)}}
	if work.DeliverWebhooks != nil {
		periodic = append(periodic, river.NewPeriodicJob(every(opt.SweepEvery, DefaultSweepEvery),
			// The sweep runs on the delivery jobs' own queue. Its insert,
			// outside a transaction, wakes the producer of the queue it
			// inserts into, and River (v0.51.2) sets a producer's fetch
			// limiter as it starts it, unguarded, one queue after another:
			// a sweep on the default queue, run on start, could wake the
			// webhooks producer while River was still starting it (the
			// race detector saw it). A job of the webhooks queue runs only
			// once that queue's producer has started.
			func() (river.JobArgs, *river.InsertOpts) {
				return SweepWebhooksArgs{}, &river.InsertOpts{Queue: QueueWebhooks}
			},
			&river.PeriodicJobOpts{ID: "sweep_webhooks", RunOnStart: true}))
		queues[QueueWebhooks] = river.QueueConfig{MaxWorkers: cmp.Or(max(opt.DeliverWorkers, 0), DefaultDeliverWorkers)}
	}
	cfg := &river.Config{
		Queues:               queues,
		Workers:              workers,
		PeriodicJobs:         periodic,
		Logger:               r.log.With(slog.String("component", "river")),
		FetchPollInterval:    opt.PollEvery,
		JobTimeout:           orDefault(opt.JobTimeout, 5*time.Minute),
		RescueStuckJobsAfter: orDefault(opt.RescueAfter, defaultRescueAfter),
		PollOnly:             !r.postgres,
		// The fold and the search merge complete a job every 5 seconds each;
		// River's default keeps completed jobs a day (35,000 rows), an hour will do.
		CompletedJobRetentionPeriod: time.Hour,
	}
	if cfg.FetchPollInterval > 0 && cfg.FetchPollInterval < river.FetchCooldownDefault {
		cfg.FetchCooldown = cfg.FetchPollInterval
	}
	client, err := river.NewClient(r.driver, cfg)
	if err != nil {
		r.closePool()
		return nil, fmt.Errorf("jobs: %w", err)
	}
	r.client = client
	return r, nil
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

func orDefault(d, def time.Duration) time.Duration {
	if d <= 0 {
		return def
	}
	return d
}

// migrateLock is the PostgreSQL advisory lock key under which one server
// at a time brings River's tables up to date.
const migrateLock = 7_145_202_612

// migrate applies River's migrations not yet applied. On PostgreSQL
// servers that start together take turns.
func (r *Runner) migrate(ctx context.Context) error {
	m, err := rivermigrate.New(r.driver, &rivermigrate.Config{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		return fmt.Errorf("jobs: migrate: %w", err)
	}
	if r.postgres {
		conn, err := r.pool.Conn(ctx)
		if err != nil {
			return fmt.Errorf("jobs: migrate: %w", err)
		}
		defer conn.Close()
		if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock($1)", migrateLock); err != nil {
			return fmt.Errorf("jobs: migrate: %w", err)
		}
		defer conn.ExecContext(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1)", migrateLock)
	}
	if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return fmt.Errorf("jobs: migrate: %w", err)
	}
	return nil
}

// Start starts working jobs (and, on the leader, enqueuing the periodic
// ones) until Stop.
func (r *Runner) Start(ctx context.Context) error {
	if err := r.client.Start(ctx); err != nil {
		return fmt.Errorf("jobs: %w", err)
	}
	return nil
}

// Stop stops fetching jobs and waits for those being worked to finish
// until ctx ends; then it cancels them (River works them again later, on
// this server or another) and waits for them to return. It closes the
// connections River owns.
func (r *Runner) Stop(ctx context.Context) error {
	defer r.closePool()
	err := r.client.Stop(ctx)
	if err == nil || !errors.Is(err, context.DeadlineExceeded) && !errors.Is(err, context.Canceled) {
		return err
	}
	r.log.Warn("jobs still running at the end of the grace period: cancelled, to be worked again")
	cancelled, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	return r.client.StopAndCancel(cancelled)
}

func (r *Runner) closePool() {
	if r.ownPool {
		r.pool.Close()
	}
}

// Client is the River client, for tests and for enqueuing.
func (r *Runner) Client() *river.Client[*sql.Tx] { return r.client }

// AllocateLater enqueues, in tx, a job that gives the item's stock to the
// orders waiting for it: the store's backorder queue (see
// store.DB.SetBackorderQueue).
func (r *Runner) AllocateLater(ctx context.Context, tx *sql.Tx, itemID int64) error {
	_, err := r.client.InsertTx(ctx, tx, AllocateBackordersArgs{ItemID: itemID}, nil)
	return err
}

// DeliverLater enqueues, in tx, the webhook delivery job of each endpoint
// (see the package's documentation): the store's webhook queue (see
// store.DB.SetWebhookQueue).
func (r *Runner) DeliverLater(ctx context.Context, tx *sql.Tx, endpointIDs []string) error {
	_, err := r.client.InsertManyTx(ctx, tx, r.deliverParams(endpointIDs))
	return err
}

// deliverParams are the insertions of the delivery jobs of the endpoints:
// unique by endpoint while waiting or running, within a period of
// DeliverRound.
func (r *Runner) deliverParams(endpointIDs []string) []river.InsertManyParams {
	opts := &river.InsertOpts{Queue: QueueWebhooks, UniqueOpts: river.UniqueOpts{ByArgs: true, ByPeriod: r.round,
		ByState: []rivertype.JobState{rivertype.JobStateAvailable, rivertype.JobStatePending,
			rivertype.JobStateRunning, rivertype.JobStateScheduled}}}
	out := make([]river.InsertManyParams, len(endpointIDs))
	for i, id := range endpointIDs {
		out[i] = river.InsertManyParams{Args: DeliverWebhooksArgs{EndpointID: id}, InsertOpts: opts}
	}
	return out
}

// deliverTimeout bounds a delivery job: its drain (half a round) and the
// requests of its last round, within the time after which River takes a
// running job for its server's death.
func (r *Runner) deliverTimeout(rescueAfter time.Duration) time.Duration {
	t := r.round + 2*time.Minute
	if rescue := orDefault(rescueAfter, defaultRescueAfter); t >= rescue {
		t = rescue * 9 / 10
	}
	return t
}

// deliverWorker works the webhook delivery jobs.
type deliverWorker struct {
	river.WorkerDefaults[DeliverWebhooksArgs]
	r       *Runner
	work    Work
	timeout time.Duration
}

func (w *deliverWorker) Timeout(*river.Job[DeliverWebhooksArgs]) time.Duration { return w.timeout }

// Work drains the endpoint's due deliveries for half a round at most
// (and half the job's time). When it stops with deliveries left, the
// endpoint's next job follows at once: this one again, snoozed, within its
// period, or the current period's job after it. Otherwise it completes,
// and the next fan-out to the endpoint, or the sweep, enqueues the next.
func (w *deliverWorker) Work(ctx context.Context, j *river.Job[DeliverWebhooksArgs]) error {
	budget := min(w.r.round/2, w.timeout/2)
	n, left, err := w.work.DeliverWebhooks(ctx, j.Args.EndpointID, budget)
	if err != nil {
		return fmt.Errorf("webhook deliveries to %s: %w", j.Args.EndpointID, err)
	}
	if n > 0 {
		w.r.log.Debug("webhook deliveries", slog.String("endpoint", j.Args.EndpointID), slog.Int("attempts", n))
	}
	if !left || ctx.Err() != nil {
		return nil
	}
	// Work is left: the next job follows at once rather than when the
	// sweep next finds the endpoint due and a client fetches that job
	// (which left the endpoint idle for up to a second or two). Within
	// the job's period the job itself goes back to wait, so that it stays
	// the one unique job of its period; after it, it enqueues the current
	// period's job (none is added when one waits or runs) and completes.
	if time.Now().Truncate(w.r.round).Equal(j.CreatedAt.Truncate(w.r.round)) {
		return river.JobSnooze(0)
	}
	if _, err := w.r.client.InsertMany(ctx, w.r.deliverParams([]string{j.Args.EndpointID})); err != nil {
		return fmt.Errorf("webhook deliveries to %s: enqueueing the next job: %w", j.Args.EndpointID, err)
	}
	return nil
}

// waiting are the states of a job that waits to run.
const waitingStates = "'available', 'scheduled', 'retryable'"

// QueueStats reports each queue's waiting jobs and how long the oldest job
// that is due has waited, for GET /metrics.
func (r *Runner) QueueStats(ctx context.Context) ([]metrics.QueueStat, error) {
	rows, err := r.pool.QueryContext(ctx, "SELECT queue, COUNT(*) FROM river_job WHERE state IN ("+waitingStates+") GROUP BY queue ORDER BY queue")
	if err != nil {
		return nil, err
	}
	var out []metrics.QueueStat
	for rows.Next() {
		var q metrics.QueueStat
		if err := rows.Scan(&q.Queue, &q.Depth); err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, q)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(out) == 0 || out[0].Queue != river.QueueDefault {
		// The queue the jobs use is always shown, at 0 when empty.
		out = append([]metrics.QueueStat{{Queue: river.QueueDefault}}, out...)
	}
	now := time.Now()
	for i := range out {
		res, err := r.client.JobList(ctx, river.NewJobListParams().Queues(out[i].Queue).
			States(rivertype.JobStateAvailable, rivertype.JobStateRetryable).
			OrderBy(river.JobListOrderByScheduledAt, river.SortOrderAsc).First(1))
		if err != nil {
			return nil, err
		}
		if len(res.Jobs) > 0 && res.Jobs[0].ScheduledAt.Before(now) {
			out[i].OldestAge = now.Sub(res.Jobs[0].ScheduledAt)
		}
	}
	return out, nil
}

// Current reports an error when River's tables lack a migration this oms
// knows, for GET /readyz.
func (r *Runner) Current(ctx context.Context) error {
	m, err := rivermigrate.New(r.driver, &rivermigrate.Config{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		return err
	}
	res, err := m.Validate(ctx, nil)
	if err != nil {
		return err
	}
	if !res.OK {
		return fmt.Errorf("job queue schema not current: %v", res.Messages)
	}
	return nil
}
