package cli

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/omshq/oms/internal/jobs"
	"github.com/omshq/oms/internal/metrics"
	"github.com/omshq/oms/internal/store"
)

// foldRollups folds the report rollups' pending deltas: the one place the
// jobs reach the reporting code, so that it is easy to point elsewhere.
func foldRollups(db *store.DB) func(context.Context) error {
	return db.FoldReports
}

// startJobs connects the server to the durable job queue (River) in its
// database, makes receipts enqueue the backorder allocation they leave
// over, and starts working jobs. The caller stops the runner.
func startJobs(ctx context.Context, db *store.DB, log *slog.Logger) (*jobs.Runner, error) {
	work := jobs.Work{
		ExpirePickups:         func(ctx context.Context) (int, error) { return db.ExpirePickups(ctx, "oms") },
		ForgetDeliveries:      db.ForgetDeliveries,
		ExpireIdempotencyKeys: db.ExpireIdempotencyKeys,
		FoldRollups:           foldRollups(db),
		AllocateBackorders: func(ctx context.Context, itemID int64) error {
			return db.AllocateBackorders(ctx, itemID, "oms")
		},
	}
	r, err := jobs.Open(ctx, db, work, jobs.Options{Logger: log})
	if err != nil {
		return nil, err
	}
	db.SetBackorderQueue(r.AllocateLater)
	if err := r.Start(ctx); err != nil {
		return nil, err
	}
	return r, nil
}

// registerMetrics adds to m the figures read from the database at each
// scrape: the connection pools, the job queues (when jobs run) and the
// report rollups' fold lag.
func registerMetrics(m *metrics.Metrics, db *store.DB, r *jobs.Runner) error {
	for name, stats := range db.Pools() {
		if err := m.RegisterDB(name, stats); err != nil {
			return err
		}
	}
	if r != nil {
		if err := m.RegisterJobQueues(r.QueueStats); err != nil {
			return err
		}
	}
	return m.RegisterFoldLag((&foldLag{db: db}).lag)
}

// foldLag measures how long the oldest report rollup delta not yet folded
// has waited, as seen by the scrapes: the deltas carry no time, so the
// first scrape that sees a delta oldest starts its clock. Its resolution is
// the scrape interval.
type foldLag struct {
	db     *store.DB
	mu     sync.Mutex
	oldest int64
	since  time.Time
}

func (f *foldLag) lag(ctx context.Context) (time.Duration, error) {
	id, ok, err := f.db.OldestPendingFold(ctx)
	if err != nil || !ok {
		return 0, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	now := time.Now()
	if id != f.oldest || f.since.IsZero() {
		f.oldest, f.since = id, now
	}
	return now.Sub(f.since), nil
}
