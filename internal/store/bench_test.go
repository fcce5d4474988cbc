package store_test

import (
	"fmt"
	"sync/atomic"
	"testing"

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
