package jobs_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/jobs"
	"github.com/omshq/oms/internal/store"
	"github.com/omshq/oms/internal/store/storetest"
)

var ctx = context.Background()

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// fast are options that make jobs come quickly in tests.
var fast = jobs.Options{PollEvery: 50 * time.Millisecond, FoldEvery: 200 * time.Millisecond,
	PickupsEvery: 200 * time.Millisecond, IdempotencyEvery: 200 * time.Millisecond, SearchCleanEvery: 200 * time.Millisecond}

// counter is a Work that counts what it was asked to do.
type counter struct {
	pickups, keys, folds, cleans atomic.Int64
	mu                           sync.Mutex
	items                        []int64
	// allocate, when set, is what AllocateBackorders does.
	allocate func(ctx context.Context, itemID int64) error
}

func (c *counter) work() jobs.Work {
	return jobs.Work{
		ExpirePickups:         func(context.Context) (int, error) { c.pickups.Add(1); return 0, nil },
		ForgetDeliveries:      func(context.Context) (int64, error) { return 0, nil },
		ExpireIdempotencyKeys: func(context.Context) (int, error) { c.keys.Add(1); return 0, nil },
		FoldRollups:           func(context.Context) error { c.folds.Add(1); return nil },
		CleanSearch:           func(context.Context) (int64, error) { c.cleans.Add(1); return 0, nil },
		AllocateBackorders: func(ctx context.Context, itemID int64) error {
			c.mu.Lock()
			c.items = append(c.items, itemID)
			c.mu.Unlock()
			if c.allocate != nil {
				return c.allocate(ctx, itemID)
			}
			return nil
		},
	}
}

func start(t *testing.T, db *store.DB, w jobs.Work, opt jobs.Options) *jobs.Runner {
	t.Helper()
	r, err := jobs.Open(ctx, db, w, opt)
	must(t, err)
	must(t, r.Start(ctx))
	t.Cleanup(func() {
		stop, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		r.Stop(stop)
	})
	return r
}

// eventually waits up to d for cond.
func eventually(t *testing.T, d time.Duration, what string, cond func() bool) {
	t.Helper()
	for end := time.Now().Add(d); !cond(); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(end) {
			t.Fatalf("after %s: %s", d, what)
		}
	}
}

// The periodic jobs run on both engines, River's tables are current, and
// the queue's stats are read.
func TestPeriodicJobs(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		db := storetest.Open(t, e)
		var c counter
		r := start(t, db, c.work(), fast)
		eventually(t, 15*time.Second, "folds, pickup and key expiry (and on PostgreSQL search merges) ran twice", func() bool {
			return c.folds.Load() >= 2 && c.pickups.Load() >= 2 && c.keys.Load() >= 2 &&
				(c.cleans.Load() >= 2 || db.Engine() != "postgres")
		})
		if db.Engine() != "postgres" && c.cleans.Load() != 0 {
			t.Errorf("SQLite ran %d search merges; its search index has no pending list", c.cleans.Load())
		}
		must(t, r.Current(ctx))
		qs, err := r.QueueStats(ctx)
		must(t, err)
		if len(qs) == 0 || qs[0].Queue != river.QueueDefault {
			t.Errorf("queue stats %+v", qs)
		}
		// A second start migrates nothing and works.
		r2, err := jobs.Open(ctx, db, c.work(), fast)
		must(t, err)
		must(t, r2.Current(ctx))
		must(t, r2.Stop(ctx))
	})
}

// Two servers' clients on one PostgreSQL database: each job runs once; a
// job whose server stopped in the middle of it is worked again by the
// other; and one a killed server left running is rescued and worked.
func TestJobsAcrossServers(t *testing.T) {
	e := storetest.Engines(t)
	if len(e) < 2 {
		t.Skip("needs PostgreSQL")
	}
	dsn := e[1].DSN(t)
	open := func() *store.DB {
		db, err := store.Open(ctx, dsn, store.Options{FoldEvery: -1})
		must(t, err)
		t.Cleanup(func() { db.Close() })
		return db
	}
	dbA, dbB := open(), open()
	var cs [2]counter
	var first atomic.Bool
	started := make(chan int, 1)
	for i := range cs {
		cs[i].allocate = func(ctx context.Context, itemID int64) error {
			if itemID == 999 && first.CompareAndSwap(false, true) {
				started <- i
				<-ctx.Done() // stopped in the middle
				return ctx.Err()
			}
			return nil
		}
	}
	opt := fast
	opt.FoldEvery, opt.PickupsEvery, opt.IdempotencyEvery, opt.SearchCleanEvery = time.Hour, time.Hour, time.Hour, time.Hour
	rs := [2]*jobs.Runner{start(t, dbA, cs[0].work(), opt), start(t, dbB, cs[1].work(), opt)}

	// 40 jobs, inserted through either server, each worked once.
	for i := range 40 {
		_, err := rs[i%2].Client().Insert(ctx, jobs.AllocateBackordersArgs{ItemID: int64(i + 1)}, nil)
		must(t, err)
	}
	items := func(c *counter) []int64 {
		c.mu.Lock()
		defer c.mu.Unlock()
		return slices.Clone(c.items)
	}
	all := func() []int64 { return slices.Concat(items(&cs[0]), items(&cs[1])) }
	eventually(t, 20*time.Second, "40 jobs worked", func() bool { return len(all()) >= 40 })
	time.Sleep(300 * time.Millisecond)
	got := all()
	slices.Sort(got)
	if len(got) != 40 || got[0] != 1 || got[39] != 40 || len(slices.Compact(got)) != 40 {
		t.Fatalf("jobs worked: %v", got)
	}
	if len(items(&cs[0])) == 0 || len(items(&cs[1])) == 0 {
		t.Logf("one server worked every job: %d and %d", len(items(&cs[0])), len(items(&cs[1])))
	}

	// The server that took this job stops in the middle of it (the job
	// does not end by itself): it is cancelled at the end of the grace
	// period and worked again, by the other server.
	job, err := rs[0].Client().Insert(ctx, jobs.AllocateBackordersArgs{ItemID: 999}, nil)
	must(t, err)
	var stopped int
	select {
	case stopped = <-started:
	case <-time.After(20 * time.Second):
		t.Fatal("no server started the job")
	}
	grace, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
	must(t, rs[stopped].Stop(grace))
	cancel()
	other := rs[1-stopped]
	eventually(t, 30*time.Second, "the other server worked the job", func() bool {
		return slices.Contains(items(&cs[1-stopped]), 999)
	})
	var row *rivertype.JobRow
	eventually(t, 10*time.Second, "the job completed", func() bool {
		row, err = other.Client().JobGet(ctx, job.Job.ID)
		return err == nil && row.State == rivertype.JobStateCompleted
	})
	t.Logf("completed at attempt %d, errors %v", row.Attempt, row.Errors)
}

// A job a killed server left running (state running, attempted long ago
// by a client that is gone) is rescued and worked by a live server.
func TestKilledServersJobRescued(t *testing.T) {
	e := storetest.Engines(t)
	if len(e) < 2 {
		t.Skip("needs PostgreSQL")
	}
	db := storetest.Open(t, e[1])
	var c counter
	opt := fast
	opt.FoldEvery, opt.PickupsEvery, opt.IdempotencyEvery, opt.SearchCleanEvery = time.Hour, time.Hour, time.Hour, time.Hour
	opt.JobTimeout, opt.RescueAfter = time.Second, 2*time.Second
	r, err := jobs.Open(ctx, db, c.work(), opt)
	must(t, err)
	// The dead server's job: inserted, then left as a server killed while
	// working it leaves it.
	job, err := r.Client().Insert(ctx, jobs.AllocateBackordersArgs{ItemID: 7}, nil)
	must(t, err)
	pool, _, err := db.JobPool()
	must(t, err)
	_, err = pool.ExecContext(ctx, `UPDATE river_job SET state = 'running', attempt = 1,
		attempted_at = now() - interval '1 hour', attempted_by = ARRAY['killed-server'] WHERE id = $1`, job.Job.ID)
	must(t, err)
	must(t, r.Start(ctx))
	t.Cleanup(func() { r.Stop(ctx) })
	eventually(t, 60*time.Second, "the killed server's job was worked", func() bool {
		c.mu.Lock()
		defer c.mu.Unlock()
		return slices.Contains(c.items, 7)
	})
}

// Stock that arrives for more waiting orders than a receipt serves in its
// own transaction reaches the rest through the job the receipt enqueued in
// that transaction.
func TestBackordersBeyondOneReceipt(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		db := storetest.Open(t, e)
		must(t, put(db.PutChannel(ctx, &oms.Channel{Code: "b2b", Name: "B2B", Kind: "api", Currency: "USD", BackorderPolicy: oms.BackorderAccept}, oms.System("test"))))
		must(t, put(db.PutLocation(ctx, &oms.Location{Code: "east", Active: true, Name: "East", Kind: "warehouse", CanShip: true, Priority: 1}, oms.System("test"))))
		must(t, put(db.PutItem(ctx, &oms.Item{SKU: "A", Name: "Apple", UnitCost: 100, Currency: "USD"}, oms.System("test"))))
		const waiting = 130
		for i := range waiting {
			_, _, err := db.PlaceOrder(ctx, &oms.OrderDraft{Channel: "b2b", ExternalID: fmt.Sprint("w", i), Currency: "USD",
				Customer: oms.Customer{Email: "ann@example.com", Name: "Ann"},
				Lines:    []oms.LineDraft{{SKU: "A", Quantity: 1, UnitPrice: 1000}}}, oms.System("test"))
			must(t, err)
		}
		var c counter
		c.allocate = func(ctx context.Context, itemID int64) error {
			return db.AllocateBackorders(ctx, itemID, oms.System("oms"))
		}
		r, err := jobs.Open(ctx, db, c.work(), fast)
		must(t, err)
		db.SetBackorderQueue(r.AllocateLater)
		must(t, r.Start(ctx))
		t.Cleanup(func() { r.Stop(ctx) })
		n := int64(waiting)
		_, err = db.AdjustInventory(ctx, oms.Adjustment{SKU: "A", Location: "east", Reason: oms.MoveReceive, Delta: &n}, oms.System("test"))
		must(t, err)
		eventually(t, 20*time.Second, "every waiting order allocated", func() bool {
			s, err := db.Stock(ctx, "A")
			return err == nil && len(s.Locations) == 1 && s.Locations[0].Available == 0
		})
		c.mu.Lock()
		if len(c.items) != 1 {
			t.Errorf("allocate jobs worked: %v, want one", c.items)
		}
		c.mu.Unlock()
		storetest.AssertInvariants(t, db)
	})
}

func put(_ bool, err error) error { return err }
