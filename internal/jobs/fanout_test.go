package jobs_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/omshq/oms/internal/jobs"
	"github.com/omshq/oms/internal/store"
	"github.com/omshq/oms/internal/store/storetest"
)

// The webhook fan-out runs as a periodic job, over and over, and on one
// server at a time however many run: two clients on one database never
// fan out at once.
func TestFanOutJob(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		dsn := e.DSN(t)
		var calls, inside, overlaps atomic.Int64
		fanOut := func(context.Context) (int, error) {
			if inside.Add(1) > 1 {
				overlaps.Add(1)
			}
			defer inside.Add(-1)
			calls.Add(1)
			time.Sleep(5 * time.Millisecond)
			return 0, nil
		}
		opt := fast
		opt.FoldEvery, opt.PickupsEvery, opt.IdempotencyEvery = time.Hour, time.Hour, time.Hour
		opt.FanOutEvery = 500 * time.Millisecond
		servers := 1
		if e.Name == "postgres" {
			servers = 2
		}
		for range servers {
			db, err := store.Open(ctx, dsn, store.Options{FoldEvery: -1})
			must(t, err)
			t.Cleanup(func() { db.Close() })
			var c counter
			w := c.work()
			w.FanOutWebhooks = fanOut
			start(t, db, w, opt)
		}
		eventually(t, 20*time.Second, "the fan-out ran over two periods", func() bool { return calls.Load() >= 20 })
		// Periods may touch at their ends (a job takes nine tenths of one);
		// they must not run side by side for long.
		if n := overlaps.Load(); n*5 > calls.Load() {
			t.Errorf("%d of %d fan-outs overlapped another server's", n, calls.Load())
		}
	})
}

var _ = jobs.DefaultFanOutEvery
