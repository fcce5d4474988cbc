package webhooks_test

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/store"
	"github.com/omshq/oms/internal/store/storetest"
	"github.com/omshq/oms/internal/webhook"
)

// TestWebhookRecordMixedRound: the attempts of rounds to three endpoints,
// recorded together in one call, each land on their own delivery: a 2xx
// succeeds, a 503 with Retry-After fails until then, a 410 leaves the
// delivery open and disables its endpoint (one event however many of its
// deliveries answered 410), and an attempt whose lease is not the
// delivery's any more changes nothing. Later events of an order stay
// behind the first.
func TestWebhookRecordMixedRound(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		h := newHookSetup(t, e, "order.*") // answers 200
		answering := func(status int, header, value, body string) oms.WebhookEndpoint {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				if header != "" {
					w.Header().Set(header, value)
				}
				w.WriteHeader(status)
				w.Write([]byte(body))
			}))
			t.Cleanup(srv.Close)
			ep, _, err := h.db.CreateWebhookEndpoint(ctx, oms.WebhookEndpointInput{URL: &srv.URL,
				EventTypes: []string{"order.*"}, AllowPrivate: true}, oms.System("test"))
			must(t, err)
			return ep
		}
		busy := answering(503, "Retry-After", "120", "busy")
		gone := answering(410, "", "", "gone")
		h.event(t, "order.created", "o1")
		h.event(t, "order.created", "o2")
		h.event(t, "order.cancelled", "o1") // behind o1's first
		_, err := h.db.FanOutWebhooks(ctx)
		must(t, err)

		client := webhook.NewClient(webhook.Options{Now: h.clock.Now,
			HTTP: webhook.NewHTTPClient(webhook.HTTPOptions{AllowPrivate: true, Timeout: 5 * time.Second})})
		var round []store.WebhookResult
		var stale store.WebhookJob
		for _, ep := range []string{h.ep.ID, busy.ID, gone.ID} {
			jobs, err := h.db.ClaimEndpointDeliveries(ctx, ep, time.Minute, 10)
			must(t, err)
			if len(jobs) != 2 || jobs[0].Event.Key != "o1" || jobs[1].Event.Key != "o2" {
				t.Fatalf("endpoint %s claimed %+v, want the first events of o1 and o2", ep, jobs)
			}
			for i, j := range jobs {
				a, err := client.Deliver(ctx, j.Endpoint, j.Secrets, j.Event, j.Attempt)
				must(t, err)
				if ep == h.ep.ID && i == 1 {
					// Its lease ran out and another server took it.
					stale = j
					j.Lease = j.Lease.Add(-time.Second)
				}
				round = append(round, store.WebhookResult{Job: j, Attempt: a})
			}
		}
		must(t, h.db.RecordWebhookAttempts(ctx, round))

		at := h.clock.Now()
		log := func(ep string) map[string]oms.WebhookDelivery {
			ds, _, err := h.db.WebhookDeliveries(ctx, ep, "", 0, 10)
			must(t, err)
			out := map[string]oms.WebhookDelivery{}
			for _, d := range ds {
				out[d.OrderID+" "+d.EventType] = d
			}
			if len(out) != 3 {
				t.Fatalf("endpoint %s has deliveries %+v, want 3", ep, ds)
			}
			return out
		}
		code := func(d oms.WebhookDelivery) int {
			if d.LastStatusCode == nil {
				return 0
			}
			return *d.LastStatusCode
		}
		ok := log(h.ep.ID)
		if d := ok["o1 order.created"]; d.Status != oms.DeliverySucceeded || d.Attempts != 1 || code(d) != 200 ||
			d.LastAttemptAt == nil || !d.LastAttemptAt.Equal(at) || d.LastLatencyMS == nil || d.NextAttemptAt != nil {
			t.Errorf("the 200: %+v, want succeeded after 1 attempt at %v with its latency", d, at)
		}
		if d := ok["o2 order.created"]; d.Status != oms.DeliveryPending || d.Attempts != 0 || d.LastStatusCode != nil {
			t.Errorf("the attempt under a lease not the delivery's changed it: %+v", d)
		}
		for ep, ds := range map[string]map[string]oms.WebhookDelivery{"busy": log(busy.ID), "gone": log(gone.ID)} {
			if d := ds["o1 order.cancelled"]; d.Status != oms.DeliveryPending || d.Attempts != 0 {
				t.Errorf("%s: o1's second event %+v, want pending and never attempted", ep, d)
			}
			for _, k := range []string{"o1 order.created", "o2 order.created"} {
				d := ds[k]
				switch ep {
				case "busy":
					if d.Status != oms.DeliveryFailed || d.Attempts != 1 || code(d) != 503 || d.LastResponse != "busy" ||
						d.NextAttemptAt == nil || !d.NextAttemptAt.Equal(at.Add(120*time.Second)) {
						t.Errorf("busy %s: %+v, want failed after 1 attempt, next at %v (Retry-After)", k, d, at.Add(120*time.Second))
					}
				case "gone":
					if d.Status != oms.DeliveryFailed || d.Attempts != 1 || code(d) != 410 ||
						d.NextAttemptAt == nil || !d.NextAttemptAt.Equal(at) {
						t.Errorf("gone %s: %+v, want open after 1 attempt, due at once when enabled again", k, d)
					}
				}
			}
		}
		for _, ep := range []oms.WebhookEndpoint{h.ep, busy, gone} {
			got, err := h.db.WebhookEndpoint(ctx, ep.ID)
			must(t, err)
			if want := ep.ID != gone.ID; got.Enabled != want {
				t.Errorf("endpoint %s enabled %v, want %v", ep.ID, got.Enabled, want)
			}
		}
		var disabled int
		must(t, rawOf(h.db).QueryRow(`SELECT COUNT(*) FROM events WHERE type = $1 AND subject = $2`,
			oms.EventWebhookEndpointDisabled, gone.ID).Scan(&disabled))
		if disabled != 1 {
			t.Errorf("%d %s events for the endpoint that answered 410 twice, want 1", disabled, oms.EventWebhookEndpointDisabled)
		}

		// The delivery whose lease another server holds goes out when that
		// lease ends, as before.
		h.clock.Add(61 * time.Second)
		jobs, err := h.db.ClaimEndpointDeliveries(ctx, h.ep.ID, time.Minute, 10)
		must(t, err)
		if len(jobs) != 2 || jobs[0].DeliveryID != stale.DeliveryID || jobs[0].Attempt != 1 || jobs[1].Event.Key != "o1" {
			t.Fatalf("after the lease claimed %+v, want o2's first event, not yet attempted, and o1's second", jobs)
		}
	})
}
