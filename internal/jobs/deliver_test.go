package jobs_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/jobs"
	"github.com/omshq/oms/internal/outbox"
	"github.com/omshq/oms/internal/store"
	"github.com/omshq/oms/internal/store/storetest"
	"github.com/omshq/oms/internal/webhook"
)

// hookRcv is a webhook receiver: it records each message's event seq per
// order (the first arrival of each id), and answers what answer says.
type hookRcv struct {
	srv      *httptest.Server
	mu       sync.Mutex
	ids      map[string]bool
	perOrder map[string][]int64
	requests int
	// answer, when set, is the status and Retry-After of the n-th request
	// (1 for the first); it may block. Unset: 204.
	answer func(n int) (int, string)
}

func newHookRcv(t *testing.T) *hookRcv {
	r := &hookRcv{ids: map[string]bool{}, perOrder: map[string][]int64{}}
	r.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		b, _ := io.ReadAll(req.Body)
		var msg struct {
			Data struct {
				Number string `json:"number"`
			} `json:"data"`
		}
		id := req.Header.Get(webhook.HeaderID)
		seq, err := strconv.ParseInt(strings.TrimPrefix(id, "evt_"), 10, 64)
		if json.Unmarshal(b, &msg) != nil || err != nil {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		r.mu.Lock()
		r.requests++
		n, answer := r.requests, r.answer
		r.mu.Unlock()
		status, retryAfter := http.StatusNoContent, ""
		if answer != nil {
			status, retryAfter = answer(n)
		}
		if status < 300 {
			r.mu.Lock()
			if !r.ids[id] {
				r.ids[id] = true
				r.perOrder[msg.Data.Number] = append(r.perOrder[msg.Data.Number], seq)
			}
			r.mu.Unlock()
		}
		if retryAfter != "" {
			w.Header().Set("Retry-After", retryAfter)
		}
		w.WriteHeader(status)
	}))
	t.Cleanup(r.srv.Close)
	return r
}

func (r *hookRcv) distinct() int  { r.mu.Lock(); defer r.mu.Unlock(); return len(r.ids) }
func (r *hookRcv) requestsN() int { r.mu.Lock(); defer r.mu.Unlock(); return r.requests }
func (r *hookRcv) setAnswer(f func(n int) (int, string)) {
	r.mu.Lock()
	r.answer = f
	r.mu.Unlock()
}

// inOrder fails the test when an order's events arrived out of order.
func (r *hookRcv) inOrder(t *testing.T) {
	t.Helper()
	r.mu.Lock()
	defer r.mu.Unlock()
	for number, seqs := range r.perOrder {
		for i := 1; i < len(seqs); i++ {
			if seqs[i] < seqs[i-1] {
				t.Errorf("order %s's events arrived as %v, not in order", number, seqs)
				break
			}
		}
	}
}

// subscribe makes r an endpoint of db subscribed to order.*.
func subscribe(t *testing.T, db *store.DB, r *hookRcv) oms.WebhookEndpoint {
	t.Helper()
	url := r.srv.URL
	ep, _, err := db.CreateWebhookEndpoint(ctx, oms.WebhookEndpointInput{URL: &url, EventTypes: []string{"order.*"}, AllowPrivate: true},
		oms.System("test"))
	must(t, err)
	return ep
}

// clock is a settable clock for the store and the webhook client.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// deliverOptions make the fan-out, the sweep and the delivery rounds come
// quickly.
func deliverOptions() jobs.Options {
	opt := fast
	opt.FoldEvery, opt.PickupsEvery, opt.IdempotencyEvery = time.Hour, time.Hour, time.Hour
	opt.FanOutEvery, opt.SweepEvery, opt.DeliverRound = 200*time.Millisecond, 100*time.Millisecond, 2*time.Second
	return opt
}

// startDelivering starts a River client that fans out and delivers the
// events of db with a Deliverer on now's clock (nil: the real one), its
// claims leased for lease, and wires the store's webhook queue to it.
func startDelivering(t *testing.T, db *store.DB, now func() time.Time, lease time.Duration) *jobs.Runner {
	t.Helper()
	sched := webhook.DefaultSchedule()
	sched.Rand = func() float64 { return 0 }
	client := webhook.NewClient(webhook.Options{Now: now, Schedule: sched,
		HTTP: webhook.NewHTTPClient(webhook.HTTPOptions{AllowPrivate: true, Timeout: 30 * time.Second})})
	d := outbox.NewDeliverer(db, outbox.DispatcherOptions{Client: client, Lease: lease})
	var c counter
	w := c.work()
	w.FanOutWebhooks, w.DeliverWebhooks, w.DueWebhookEndpoints = db.FanOutWebhooks, d.Drain, db.DueWebhookEndpoints
	var rp atomic.Pointer[jobs.Runner]
	db.SetWebhookQueue(func(ctx context.Context, tx *sql.Tx, ids []string) error {
		if r := rp.Load(); r != nil {
			return r.DeliverLater(ctx, tx, ids)
		}
		return nil
	})
	r := start(t, db, w, deliverOptions())
	rp.Store(r)
	return r
}

// orderEvents places n orders on the b2b channel and cancels each, and
// returns how many order.* events there are.
func orderEvents(t *testing.T, db *store.DB, n int) int {
	t.Helper()
	for i := range n {
		o, _, err := db.PlaceOrder(ctx, storetest.Draft("b2b", "x"+strconv.Itoa(i)+"-"+strconv.FormatInt(time.Now().UnixNano(), 36), storetest.Line("A", 1)), oms.System("test"))
		must(t, err)
		_, err = db.CancelOrder(ctx, o.Number, o.Version, nil, oms.System("test"))
		must(t, err)
	}
	total := 0
	for after := ""; ; {
		evs, err := db.Events(ctx, oms.Principal{}, after, "", 1000)
		must(t, err)
		for _, e := range evs {
			if strings.HasPrefix(e.Type, "order.") {
				total++
			}
		}
		if len(evs) < 1000 {
			return total
		}
		after = evs[len(evs)-1].ID
	}
}

// The attempts are River jobs of kind oms.deliver_webhooks, one endpoint a
// job: an order's events reach each endpoint in order, and an endpoint
// that does not answer holds up nobody else.
func TestDeliveryJobs(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		db := storetest.OpenWith(t, e, store.Options{FoldEvery: -1})
		storetest.Seed(t, db)
		storetest.Receive(t, db, "A", "east", 1000)
		fast, slow := newHookRcv(t), newHookRcv(t)
		release := make(chan struct{})
		slow.setAnswer(func(int) (int, string) {
			select {
			case <-release:
			case <-time.After(20 * time.Second):
			}
			return http.StatusNoContent, ""
		})
		fastEP := subscribe(t, db, fast)
		subscribe(t, db, slow)
		r := startDelivering(t, db, nil, time.Minute)
		want := orderEvents(t, db, 12)
		if want < 24 {
			t.Fatalf("%d order events, want at least 24", want)
		}
		eventually(t, 15*time.Second, "the fast endpoint received every event", func() bool { return fast.distinct() == want })
		if n := slow.distinct(); n != 0 {
			t.Errorf("the held endpoint acknowledged %d messages", n)
		}
		fast.inOrder(t)
		res, err := r.Client().JobList(ctx, river.NewJobListParams().Kinds("oms.deliver_webhooks").Queues(jobs.QueueWebhooks).
			States(rivertype.JobStates()...).First(100))
		must(t, err)
		if len(res.Jobs) == 0 {
			t.Error("no oms.deliver_webhooks job was inserted")
		}
		close(release)
		eventually(t, 30*time.Second, "the slow endpoint received every event", func() bool { return slow.distinct() == want })
		slow.inOrder(t)
		eventually(t, 5*time.Second, "every delivery to the fast endpoint succeeded in the log", func() bool {
			ds, _, err := db.WebhookDeliveries(ctx, fastEP.ID, oms.DeliverySucceeded, 0, 500)
			return err == nil && len(ds) == want
		})
	})
}

// deliveryOf returns the endpoint's one delivery.
func deliveryOf(t *testing.T, db *store.DB, endpointID string) oms.WebhookDelivery {
	t.Helper()
	ds, _, err := db.WebhookDeliveries(ctx, endpointID, "", 0, 10)
	must(t, err)
	if len(ds) != 1 {
		t.Fatalf("%d deliveries, want 1", len(ds))
	}
	return ds[0]
}

// On a fake clock, through the jobs: a 503 with Retry-After is tried again
// no sooner than it asks; failures follow the schedule (nothing before
// each wait is over) until the delivery is dead, more than 3 days after
// the first attempt; retrying it delivers it at once.
func TestDeliveryJobRetries(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		c := &clock{now: time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC)}
		db := storetest.OpenWith(t, e, store.Options{Now: c.Now, FoldEvery: -1})
		storetest.Seed(t, db)
		storetest.Receive(t, db, "A", "east", 10)
		rcv := newHookRcv(t)
		rcv.setAnswer(func(int) (int, string) { return http.StatusServiceUnavailable, "600" })
		ep := subscribe(t, db, rcv)
		startDelivering(t, db, c.Now, time.Minute)
		start := c.Now()
		o, _, err := db.PlaceOrder(ctx, storetest.Draft("b2b", "r1", storetest.Line("A", 1)), oms.System("test"))
		must(t, err)
		eventually(t, 10*time.Second, "the first attempt", func() bool { return rcv.requestsN() == 1 })
		eventually(t, 5*time.Second, "the first attempt recorded", func() bool { return deliveryOf(t, db, ep.ID).Attempts == 1 })
		d := deliveryOf(t, db, ep.ID)
		if d.Status != oms.DeliveryFailed || d.NextAttemptAt == nil || !d.NextAttemptAt.Equal(start.Add(600*time.Second)) {
			t.Fatalf("after a 503 with Retry-After: 600: %s, next %v; want failed, next at +600s", d.Status, d.NextAttemptAt)
		}
		// The order's next event waits behind its failing first one.
		_, err = db.CancelOrder(ctx, o.Number, o.Version, nil, oms.System("test"))
		must(t, err)
		c.Add(599 * time.Second)
		time.Sleep(600 * time.Millisecond) // sweeps and fan-outs run meanwhile
		if n := rcv.requestsN(); n != 1 {
			t.Fatalf("%d requests before Retry-After was over, want 1", n)
		}
		c.Add(time.Second)
		eventually(t, 5*time.Second, "the second attempt", func() bool { return rcv.requestsN() == 2 })
		// Plain 503s from now on, to the last attempt: the schedule's waits.
		sched := webhook.DefaultSchedule()
		rcv.setAnswer(func(n int) (int, string) {
			if n <= sched.Attempts() {
				return http.StatusServiceUnavailable, ""
			}
			return http.StatusNoContent, ""
		})
		for i := 2; i < sched.Attempts(); i++ {
			eventually(t, 5*time.Second, "the attempt recorded", func() bool { return deliveryOf2(t, db, ep.ID).Attempts == i })
			next := *deliveryOf2(t, db, ep.ID).NextAttemptAt
			c.Add(next.Sub(c.Now()) - time.Second)
			time.Sleep(300 * time.Millisecond)
			if n := rcv.requestsN(); n != i {
				t.Fatalf("attempt %d came a second early", i+1)
			}
			c.Add(time.Second)
			eventually(t, 5*time.Second, "the next attempt", func() bool { return rcv.requestsN() >= i+1 })
		}
		eventually(t, 5*time.Second, "the delivery dead", func() bool {
			ds, _, err := db.WebhookDeliveries(ctx, ep.ID, oms.DeliveryDead, 0, 10)
			return err == nil && len(ds) == 1
		})
		dead, _, err := db.WebhookDeliveries(ctx, ep.ID, oms.DeliveryDead, 0, 10)
		must(t, err)
		if dead[0].Attempts != sched.Attempts() || dead[0].LastAttemptAt.Sub(start) < 72*time.Hour {
			t.Fatalf("dead after %d attempts over %v; want %d over 3 days", dead[0].Attempts, dead[0].LastAttemptAt.Sub(start), sched.Attempts())
		}
		// The dead delivery released the order's next event; a retry (with
		// the clock standing still) sends the dead one again.
		eventually(t, 5*time.Second, "the order's next event", func() bool { return rcv.distinct() == 1 })
		_, err = db.RetryWebhookDelivery(ctx, ep.ID, dead[0].ID)
		must(t, err)
		eventually(t, 5*time.Second, "the retried delivery", func() bool { return rcv.distinct() == 2 })
		eventually(t, 5*time.Second, "both deliveries succeeded in the log", func() bool {
			ds, _, err := db.WebhookDeliveries(ctx, ep.ID, oms.DeliverySucceeded, 0, 10)
			return err == nil && len(ds) == 2
		})
	})
}

// deliveryOf2 returns the endpoint's earliest delivery.
func deliveryOf2(t *testing.T, db *store.DB, endpointID string) oms.WebhookDelivery {
	t.Helper()
	ds, _, err := db.WebhookDeliveries(ctx, endpointID, "", 0, 10)
	must(t, err)
	return ds[len(ds)-1]
}

// A server stopped in the middle of a drain (its River client cancelled
// while an attempt waits for the answer) leaves nothing undelivered:
// another client delivers every event, in order per order.
func TestDeliveryJobKilledMidDrain(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		db := storetest.OpenWith(t, e, store.Options{FoldEvery: -1})
		storetest.Seed(t, db)
		storetest.Receive(t, db, "A", "east", 1000)
		rcv := newHookRcv(t)
		hung, unhang := make(chan struct{}), make(chan struct{})
		rcv.setAnswer(func(n int) (int, string) {
			if n == 3 {
				// Hangs until the client gave up; the answer counts for
				// nothing: the event must come again.
				close(hung)
				<-unhang
				return http.StatusServiceUnavailable, ""
			}
			return http.StatusNoContent, ""
		})
		subscribe(t, db, rcv)
		first := startDelivering(t, db, nil, 2*time.Second)
		want := orderEvents(t, db, 10)
		select {
		case <-hung:
		case <-time.After(15 * time.Second):
			t.Fatal("no attempt hung")
		}
		stop, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
		first.Stop(stop) // gives up on the drain in flight
		cancel()
		close(unhang)
		if n := rcv.distinct(); n >= want {
			t.Fatalf("all %d events delivered before the stop", n)
		}
		startDelivering(t, db, nil, 2*time.Second)
		eventually(t, 30*time.Second, "every event delivered after the stop", func() bool { return rcv.distinct() == want })
		rcv.inOrder(t)
	})
}

// A delivery job that stops with deliveries left is followed by the
// endpoint's next job at once, not when the sweep next finds the endpoint
// due (here an hour away): a backlog is worked without pauses between jobs.
func TestDeliveryJobLeftWorkFollowsAtOnce(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		db := storetest.Open(t, e)
		var c counter
		var calls atomic.Int64
		w := c.work()
		w.DeliverWebhooks = func(ctx context.Context, endpointID string, budget time.Duration) (int, bool, error) {
			// The first two drains stop with work left, the third finds none.
			n := calls.Add(1)
			return 1, n < 3, nil
		}
		w.DueWebhookEndpoints = func(context.Context) ([]string, error) { return nil, nil }
		opt := deliverOptions()
		opt.SweepEvery = time.Hour
		r := start(t, db, w, opt)
		_, err := r.Client().Insert(ctx, jobs.DeliverWebhooksArgs{EndpointID: "wh_1"}, &river.InsertOpts{Queue: jobs.QueueWebhooks})
		must(t, err)
		eventually(t, 5*time.Second, "three drains of the endpoint", func() bool { return calls.Load() >= 3 })
		time.Sleep(300 * time.Millisecond)
		if n := calls.Load(); n != 3 {
			t.Errorf("%d drains, want 3: the drain that left nothing ends the jobs", n)
		}
	})
}
