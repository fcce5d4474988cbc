package store_test

import (
	"fmt"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/store"
	"github.com/omshq/oms/internal/store/storetest"
)

// BenchmarkPlaceOrder places 3-line orders from parallel goroutines against
// plenty of stock, on each engine.
func BenchmarkPlaceOrder(b *testing.B) {
	for _, e := range storetest.Engines(b) {
		b.Run(e.Name, func(b *testing.B) {
			db := storetest.Open(b, e)
			benchSeed(b, db, 100)
			var n atomic.Int64
			b.SetParallelism(8)
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					i := n.Add(1)
					d := draft("web", fmt.Sprint("bench-", i),
						line(fmt.Sprint("S", i%100), 1), line(fmt.Sprint("S", (i+7)%100), 2), line(fmt.Sprint("S", (i+31)%100), 1))
					d.Customer.Email = fmt.Sprintf("c%d@example.com", i%5000)
					if _, _, err := db.PlaceOrder(ctx, d, oms.System("bench")); err != nil {
						b.Fatal(err)
					}
				}
			})
		})
	}
}

func benchSeed(b *testing.B, db *store.DB, items int) {
	seed(b, db)
	for i := range items {
		sku := fmt.Sprint("S", i)
		must(b, put(db.PutItem(ctx, &oms.Item{SKU: sku, Name: sku, Currency: "USD"}, oms.System("bench"))))
		receive(b, db, sku, "east", 1_000_000)
		receive(b, db, sku, "west", 1_000_000)
	}
}

// BenchmarkPlaceRounds places rounds of 10 orders of 1–3 lines, each round
// from 10 goroutines that wait for one another, so that the writer places
// batches of about 10: what oms bench's 32 clients make on 2 cores. It
// reports the process's CPU time per order (cpu-µs/order), which a busy
// machine disturbs less than the wall time; run it with -cpu 1 and compare
// the least of several runs.
func BenchmarkPlaceRounds(b *testing.B) {
	for _, e := range storetest.Engines(b) {
		b.Run(e.Name, func(b *testing.B) {
			db := storetest.Open(b, e)
			benchSeed(b, db, 200)
			const round = 10
			var n atomic.Int64
			place := func() {
				i := n.Add(1)
				lines := []oms.LineDraft{line(fmt.Sprint("S", i*7%200), 1)}
				for l := range i % 3 {
					lines = append(lines, line(fmt.Sprint("S", (i*13+int64(l)*31)%200), 2))
				}
				d := draft("web", fmt.Sprint("round-", i), lines...)
				d.Customer.Email = fmt.Sprintf("c%d@example.com", i%5000)
				if _, _, err := db.PlaceOrder(ctx, d, oms.System("bench")); err != nil {
					b.Error(err)
				}
			}
			cpu := func() time.Duration {
				var u syscall.Rusage
				must(b, syscall.Getrusage(syscall.RUSAGE_SELF, &u))
				return time.Duration(u.Utime.Nano() + u.Stime.Nano())
			}
			b.ResetTimer()
			start := cpu()
			for placed := 0; placed < b.N; placed += round {
				var wg sync.WaitGroup
				for range round {
					wg.Go(place)
				}
				wg.Wait()
			}
			b.ReportMetric(float64(cpu()-start)/float64(time.Microsecond)/float64(n.Load()), "cpu-µs/order")
		})
	}
}
