package cli

import (
	"context"
	"database/sql"
	"errors"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/omshq/oms"

	"github.com/omshq/oms/internal/jobs"
	"github.com/omshq/oms/internal/metrics"
	"github.com/omshq/oms/internal/outbox"
	"github.com/omshq/oms/internal/store"
)

// foldRollups folds the report rollups' pending deltas: the one place the
// jobs reach the reporting code, so that it is easy to point elsewhere.
func foldRollups(db *store.DB) func(context.Context) error {
	return reportsOf(db).FoldReports
}

// jobRunner is the server's durable job queue (River), started in the
// background: River's migrations can take seconds on PostgreSQL, during
// which the server already serves, and GET /readyz says it is not ready.
type jobRunner struct {
	r    atomic.Pointer[jobs.Runner]
	done chan struct{} // closed when starting ended, started or not
	err  error         // why it did not start, once done is closed
	stop context.CancelFunc
}

// startJobs starts connecting the server to the durable job queue in its
// database: River's migrations, then the client. A receipt that leaves
// waiting orders enqueues their allocation once the queue is up (before,
// they wait for the next movement of the item, as without jobs); so do
// webhook deliveries (the delivery jobs, see internal/jobs). The
// caller ends it with stopJobs.
func startJobs(ctx context.Context, db *store.DB, log *slog.Logger, deliver *outbox.Deliverer) *jobRunner {
	j := &jobRunner{done: make(chan struct{})}
	ctx, j.stop = context.WithCancel(context.WithoutCancel(ctx))
	db.SetBackorderQueue(func(ctx context.Context, tx *sql.Tx, itemID int64) error {
		if r := j.r.Load(); r != nil {
			return r.AllocateLater(ctx, tx, itemID)
		}
		return nil
	})
	db.SetWebhookQueue(func(ctx context.Context, tx *sql.Tx, endpointIDs []string) error {
		if r := j.r.Load(); r != nil {
			return r.DeliverLater(ctx, tx, endpointIDs)
		}
		return nil // the sweep enqueues them once the queue is up
	})
	work := jobs.Work{
		ExpirePickups:         func(ctx context.Context) (int, error) { return db.ExpirePickups(ctx, oms.System("oms")) },
		ForgetDeliveries:      db.ForgetDeliveries,
		ExpireIdempotencyKeys: db.ExpireIdempotencyKeys,
		FoldRollups:           foldRollups(db),
		CleanSearch:           db.CleanSearchPending,
		AllocateBackorders: func(ctx context.Context, itemID int64) error {
			return db.AllocateBackorders(ctx, itemID, oms.System("oms"))
		},
		FanOutWebhooks:      db.FanOutWebhooks,
		DeliverWebhooks:     deliver.Drain,
		DueWebhookEndpoints: db.DueWebhookEndpoints,
	}
	go func() {
		defer close(j.done)
		start := time.Now()
		r, err := jobs.Open(ctx, db, work, jobs.Options{Logger: log})
		if err != nil {
			j.err = err
			return
		}
		// The client lives until stopJobs stops it, not until ctx ends.
		if err := r.Start(context.WithoutCancel(ctx)); err != nil {
			j.err = err
			return
		}
		j.r.Store(r)
		log.Info("jobs started", slog.Duration("took", time.Since(start)))
	}()
	return j
}

// running reports whether the job queue is up: its jobs are being worked.
func (j *jobRunner) running() bool { return j != nil && j.r.Load() != nil }

// ready fails until the job queue is up with its schema current.
func (j *jobRunner) ready(ctx context.Context) error {
	r := j.r.Load()
	if r == nil {
		return errors.New("the job queue is starting")
	}
	return r.Current(ctx)
}

// queueStats are the job queue's figures, none while it is starting.
func (j *jobRunner) queueStats(ctx context.Context) ([]metrics.QueueStat, error) {
	if r := j.r.Load(); r != nil {
		return r.QueueStats(ctx)
	}
	return nil, nil
}

// stopJobs stops the job queue within ctx: a start still migrating is
// cancelled; a started client lets its jobs finish until ctx ends.
func (j *jobRunner) stopJobs(ctx context.Context) error {
	j.stop()
	<-j.done
	if r := j.r.Load(); r != nil {
		return r.Stop(ctx)
	}
	return nil
}

// registerMetrics adds to m the figures read from the database at each
// scrape: the connection pools, SQLite's write-ahead log, the job queue
// (when jobs run) and the report rollups' fold lag.
func registerMetrics(m *metrics.Metrics, db *store.DB, j *jobRunner) error {
	for name, stats := range db.Pools() {
		if err := m.RegisterDB(name, stats); err != nil {
			return err
		}
	}
	if err := m.RegisterSQLiteLog(db.SQL.LogWritten); err != nil {
		return err
	}
	if j != nil {
		if err := m.RegisterJobQueues(j.queueStats); err != nil {
			return err
		}
	}
	return m.RegisterFoldLag((&foldLag{db: db}).lag)
}

// foldLag measures how long the oldest rollup delta not yet folded has
// waited, as seen by the scrapes: the deltas carry no time, so the first
// scrape that sees a delta oldest in its journal starts its clock. The lag
// is that of the journal (order rollups or stock rollup) further behind.
// Its resolution is the scrape interval.
type foldLag struct {
	db     *store.DB
	mu     sync.Mutex
	oldest [2]int64
	since  [2]time.Time
}

func (f *foldLag) lag(ctx context.Context) (time.Duration, error) {
	ids, err := reportsOf(f.db).OldestPendingFold(ctx)
	if err != nil {
		return 0, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	now := time.Now()
	var lag time.Duration
	for i, id := range ids {
		if id == 0 {
			f.oldest[i], f.since[i] = 0, time.Time{}
			continue
		}
		if id != f.oldest[i] || f.since[i].IsZero() {
			f.oldest[i], f.since[i] = id, now
		}
		lag = max(lag, now.Sub(f.since[i]))
	}
	return lag, nil
}
