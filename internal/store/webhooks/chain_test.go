package webhooks_test

import (
	"slices"
	"testing"
	"time"

	"github.com/omshq/oms/internal/store"
	"github.com/omshq/oms/internal/store/storetest"
	"github.com/omshq/oms/internal/webhook"
)

// TestWebhookClaimChains: a claim takes, with the first open delivery of
// each order, the order's next open ones up to the chain's length, in
// event order; a later claim takes none of them while they are leased;
// and an order's chain stops before an open delivery that is not due, so
// that a retried earlier event does not carry the events behind a failed
// one out before it.
func TestWebhookClaimChains(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		h := newHookSetup(t, e, "order.*")
		for _, ev := range [][2]string{{"order.created", "o1"}, {"order.created", "o2"}, {"order.held", "o1"},
			{"order.released", "o1"}, {"order.cancelled", "o1"}} {
			h.event(t, ev[0], ev[1])
		}
		_, err := h.db.FanOutWebhooks(ctx)
		must(t, err)
		names := func(jobs []store.WebhookJob) []string {
			var out []string
			for _, j := range jobs {
				out = append(out, j.Event.Key+" "+j.Event.Type)
			}
			return out
		}
		jobs, err := h.db.ClaimEndpointChains(ctx, h.ep.ID, time.Minute, 10, 3)
		must(t, err)
		want := []string{"o1 order.created", "o2 order.created", "o1 order.held", "o1 order.released"}
		if got := names(jobs); !slices.Equal(got, want) {
			t.Fatalf("claimed %v, want %v", got, want)
		}
		if more, err := h.db.ClaimEndpointChains(ctx, h.ep.ID, time.Minute, 10, 8); err != nil || len(more) != 0 {
			t.Fatalf("a second claim took %v (%v), want nothing while the first holds o1's and o2's firsts", names(more), err)
		}

		// o1's held event fails until an hour from now; its released event
		// is given back unattempted.
		now := h.clock.Now()
		results := []store.WebhookResult{
			{Job: jobs[0], Attempt: webhook.Attempt{Number: 1, At: now, StatusCode: 200, Outcome: webhook.Success}},
			{Job: jobs[1], Attempt: webhook.Attempt{Number: 1, At: now, StatusCode: 200, Outcome: webhook.Success}},
			{Job: jobs[2], Attempt: webhook.Attempt{Number: 1, At: now, StatusCode: 503, Outcome: webhook.Failed, Next: now.Add(time.Hour)}},
		}
		must(t, h.db.RecordWebhookAttempts(ctx, results))
		must(t, h.db.ReleaseWebhookJobs(ctx, jobs[3:]))
		if more, err := h.db.ClaimEndpointChains(ctx, h.ep.ID, time.Minute, 10, 8); err != nil || len(more) != 0 {
			t.Fatalf("with o1's held event failed until later, a claim took %v (%v), want nothing", names(more), err)
		}

		// Retried, o1's created event is open again ahead of the failed
		// one: it goes out alone.
		_, err = h.db.RetryWebhookDelivery(ctx, h.ep.ID, jobs[0].DeliveryID)
		must(t, err)
		jobs, err = h.db.ClaimEndpointChains(ctx, h.ep.ID, time.Minute, 10, 8)
		must(t, err)
		if got, want := names(jobs), []string{"o1 order.created"}; !slices.Equal(got, want) {
			t.Fatalf("after the retry claimed %v, want %v", got, want)
		}
		must(t, h.db.RecordWebhookAttempts(ctx, []store.WebhookResult{
			{Job: jobs[0], Attempt: webhook.Attempt{Number: 1, At: now, StatusCode: 200, Outcome: webhook.Success}}}))

		// When the held event is due, the rest of o1 follows it.
		h.clock.Add(time.Hour)
		jobs, err = h.db.ClaimEndpointChains(ctx, h.ep.ID, time.Minute, 10, 8)
		must(t, err)
		if got, want := names(jobs), []string{"o1 order.held", "o1 order.released", "o1 order.cancelled"}; !slices.Equal(got, want) {
			t.Fatalf("an hour later claimed %v, want %v", got, want)
		}
		if jobs[0].Attempt != 2 || jobs[1].Attempt != 1 {
			t.Errorf("attempts %d and %d, want 2 for the retry and 1 for the released event", jobs[0].Attempt, jobs[1].Attempt)
		}
	})
}
