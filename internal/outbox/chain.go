package outbox

import (
	"context"
	"time"

	"github.com/omshq/oms/internal/store"
	"github.com/omshq/oms/internal/webhook"
)

// byOrder groups the claimed jobs, in event order, into the chains a
// round sends: each order's jobs in event order, and each job of no order
// alone; the chains come in the order of their first events.
func byOrder(jobs []store.WebhookJob) [][]store.WebhookJob {
	var chains [][]store.WebhookJob
	at := map[string]int{}
	for _, j := range jobs {
		if i, ok := at[j.Event.Key]; ok && j.Event.Key != "" {
			chains[i] = append(chains[i], j)
			continue
		}
		at[j.Event.Key] = len(chains)
		chains = append(chains, []store.WebhookJob{j})
	}
	return chains
}

// sendChain attempts the jobs of one order one after the other and returns
// the attempts made and the jobs left unattempted: all after the first
// attempt that did not succeed, after ctx ended, or once stop has passed
// (half the lease after the claim, so that the lease outlasts the requests
// in flight).
func (d *Deliverer) sendChain(ctx context.Context, chain []store.WebhookJob, stop time.Time) ([]store.WebhookResult, []store.WebhookJob) {
	var rs []store.WebhookResult
	for i, job := range chain {
		if i > 0 && time.Now().After(stop) {
			return rs, chain[i:]
		}
		a, err := d.opt.Client.Deliver(ctx, job.Endpoint, job.Secrets, job.Event, job.Attempt)
		switch {
		case err != nil && ctx.Err() != nil:
			return rs, chain[i:] // stopping: nothing was sent
		case err != nil:
			// The delivery can never be sent as it is: dead-letter it.
			a = webhook.Attempt{Number: job.Attempt, At: time.Now(), Error: err.Error(), Outcome: webhook.Dead}
		}
		if d.opt.Observe != nil {
			d.opt.Observe(string(a.Outcome), a.Latency)
		}
		rs = append(rs, store.WebhookResult{Job: job, Attempt: a})
		if a.Outcome != webhook.Success {
			return rs, chain[i+1:]
		}
	}
	return rs, nil
}
