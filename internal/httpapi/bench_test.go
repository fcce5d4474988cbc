package httpapi_test

import (
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/httpapi"
	"github.com/omshq/oms/internal/store/storetest"
)

// BenchmarkPlaceOrderHandler drives POST /v1/orders through the whole
// handler — auth, decoding, validation, placement, encoding — without a
// network, from parallel goroutines, on each engine.
func BenchmarkPlaceOrderHandler(b *testing.B) { benchPlaceOrders(b, false) }

// BenchmarkPlaceOrderIdempotent is BenchmarkPlaceOrderHandler with an
// Idempotency-Key on every order: each runs as a unit of work, placed alone
// in its own transaction with its key and answer.
func BenchmarkPlaceOrderIdempotent(b *testing.B) { benchPlaceOrders(b, true) }

func benchPlaceOrders(b *testing.B, keyed bool) {
	for _, e := range storetest.Engines(b) {
		b.Run(e.Name, func(b *testing.B) {
			db := storetest.Open(b, e)
			_, key, err := db.CreateAPIKey(ctx, "bench", oms.RoleAdmin, oms.System("bench"))
			if err != nil {
				b.Fatal(err)
			}
			h := httpapi.New(db, slog.New(slog.DiscardHandler))
			do := func(method, path, body string, header ...string) *httptest.ResponseRecorder {
				req := httptest.NewRequest(method, path, strings.NewReader(body))
				req.Header.Set("Authorization", "Bearer "+key)
				for i := 0; i+1 < len(header); i += 2 {
					req.Header.Set(header[i], header[i+1])
				}
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, req)
				return rec
			}
			do("PUT", "/v1/channels/web", `{"name":"Web","kind":"web","currency":"USD","backorder_policy":"backorder"}`)
			do("PUT", "/v1/locations/wh", `{"name":"WH","kind":"warehouse","can_ship":true,"priority":1}`)
			for i := range 100 {
				do("PUT", fmt.Sprintf("/v1/items/S%d", i), `{"name":"x","unit_cost":100,"currency":"USD"}`)
				do("POST", "/v1/inventory/adjustments", fmt.Sprintf(`{"sku":"S%d","location":"wh","delta":1000000,"reason":"receive"}`, i))
			}
			var n atomic.Int64
			b.SetParallelism(16)
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					i := n.Add(1)
					body := fmt.Sprintf(`{"channel":"web","external_id":"b-%d","currency":"USD","customer":{"email":"c%d@example.com"},
						"lines":[{"sku":"S%d","quantity":1,"unit_price":1999},{"sku":"S%d","quantity":2,"unit_price":500}],"shipping_price":499}`,
						i, i%5000, i%100, (i+13)%100)
					var header []string
					if keyed {
						header = []string{"Idempotency-Key", fmt.Sprint("bench-", i)}
					}
					if rec := do("POST", "/v1/orders", body, header...); rec.Code != http.StatusCreated {
						b.Fatalf("status %d: %s", rec.Code, rec.Body)
					}
				}
			})
		})
	}
}
