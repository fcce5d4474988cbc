package webhooks_test

import (
	"sync"
	"testing"
	"time"

	"github.com/omshq/oms/internal/outbox"
	"github.com/omshq/oms/internal/store/storetest"
	"github.com/omshq/oms/internal/webhook"
)

// TestWebhookDeliveryObserved: every attempt's outcome and latency reach
// the dispatcher's Observe (the delivery metrics).
func TestWebhookDeliveryObserved(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		h := newHookSetup(t, e, "order.*")
		var mu sync.Mutex
		seen := map[string]int{}
		sched := webhook.DefaultSchedule()
		sched.Rand = func() float64 { return 0 }
		client := webhook.NewClient(webhook.Options{Now: h.clock.Now, Schedule: sched,
			HTTP: webhook.NewHTTPClient(webhook.HTTPOptions{AllowPrivate: true, Timeout: 5 * time.Second})})
		h.disp = outbox.NewDispatcher(h.db, outbox.DispatcherOptions{Client: client, Observe: func(outcome string, latency time.Duration) {
			mu.Lock()
			defer mu.Unlock()
			seen[outcome]++
			if latency < 0 {
				t.Errorf("%s attempt with latency %v", outcome, latency)
			}
		}})
		h.event(t, "order.created", "o1")
		h.event(t, "order.created", "o2")
		h.drain(t)
		h.rcv.answer(500)
		h.event(t, "order.created", "o3")
		h.drain(t)
		mu.Lock()
		defer mu.Unlock()
		if seen["success"] != 2 || seen["failed"] != 1 {
			t.Errorf("observed %v, want 2 success and 1 failed", seen)
		}
	})
}
