package bench

import (
	"context"
	"sync"
	"sync/atomic"
)

// forEach calls fn for every i in [0, n) from workers goroutines; worker
// tells fn which goroutine runs it, so it can keep per-worker state without
// locks. It stops at the first error and returns it.
func forEach(ctx context.Context, workers, n int, fn func(ctx context.Context, worker, i int) error) error {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := range min(workers, n) {
		wg.Go(func() {
			for ctx.Err() == nil {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				if err := fn(ctx, w, i); err != nil {
					cancel(err)
					return
				}
			}
		})
	}
	wg.Wait()
	return context.Cause(ctx)
}
