package webhooks_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/omshq/oms/internal/store/storetest"
)

// TestWebhookDispatcherRun: the loop dispatcher (oms serve --jobs loop)
// fans out and drains on its own, every event of an order in order, and
// stops when its context ends.
func TestWebhookDispatcherRun(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		h := newHookSetup(t, e, "order.*")
		for _, o := range []string{"o1", "o2", "o3"} {
			h.event(t, "order.created", o)
			h.event(t, "order.held", o)
			h.event(t, "order.cancelled", o)
		}
		runCtx, cancel := context.WithCancel(ctx)
		var wg sync.WaitGroup
		wg.Go(func() { h.disp.Run(runCtx) })
		defer func() { cancel(); wg.Wait() }()
		for end := time.Now().Add(15 * time.Second); len(h.rcv.received()) < 9; time.Sleep(20 * time.Millisecond) {
			if time.Now().After(end) {
				t.Fatalf("received %d of 9 events", len(h.rcv.received()))
			}
		}
		last := map[string]string{}
		want := map[string]string{"": "order.created", "order.created": "order.held", "order.held": "order.cancelled"}
		for _, r := range h.rcv.received() {
			if want[last[r.Order]] != r.Type {
				t.Errorf("order %s: %s after %q", r.Order, r.Type, last[r.Order])
			}
			last[r.Order] = r.Type
		}
		cancel()
		wg.Wait()
		h.event(t, "order.created", "o4")
		time.Sleep(300 * time.Millisecond)
		if n := len(h.rcv.received()); n != 9 {
			t.Errorf("%d received after the dispatcher stopped, want 9", n)
		}
	})
}
