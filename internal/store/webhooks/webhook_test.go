package webhooks_test

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/outbox"
	"github.com/omshq/oms/internal/store"
	"github.com/omshq/oms/internal/store/storetest"
	"github.com/omshq/oms/internal/webhook"
)

// receiver is an httptest endpoint that verifies every message's signature
// and records what it received, answering status.
type receiver struct {
	t      *testing.T
	srv    *httptest.Server
	secret string
	now    func() time.Time
	mu     sync.Mutex
	status int
	got    []received
}

type received struct {
	ID, Type, Order string
}

func newReceiver(t *testing.T, now func() time.Time) *receiver {
	r := &receiver{t: t, now: now, status: 200}
	r.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		defer r.mu.Unlock()
		if err := webhook.Verify(r.secret, req.Header, body, r.now(), 0); err != nil {
			t.Errorf("message %s: %v", req.Header.Get(webhook.HeaderID), err)
		}
		var msg struct {
			Type      string          `json:"type"`
			Timestamp time.Time       `json:"timestamp"`
			Data      json.RawMessage `json:"data"`
		}
		if err := json.Unmarshal(body, &msg); err != nil || msg.Type == "" || msg.Timestamp.IsZero() || len(msg.Data) == 0 {
			t.Errorf("body %s is not {type, timestamp, data}: %v", body, err)
		}
		var data struct {
			Order string `json:"order"`
		}
		json.Unmarshal(msg.Data, &data)
		r.got = append(r.got, received{req.Header.Get(webhook.HeaderID), msg.Type, data.Order})
		w.WriteHeader(r.status)
	}))
	t.Cleanup(r.srv.Close)
	return r
}

func (r *receiver) answer(status int) { r.mu.Lock(); r.status = status; r.mu.Unlock() }

func (r *receiver) received() []received {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]received(nil), r.got...)
}

// hookSetup is a store on a fake clock with a receiver subscribed to
// order.* and a dispatcher that delivers to private addresses.
type hookSetup struct {
	db    *store.DB
	clock *fakeClock
	rcv   *receiver
	ep    oms.WebhookEndpoint
	disp  *outbox.Dispatcher
}

type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *fakeClock) Add(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

func newHookSetup(t *testing.T, e storetest.Engine, patterns ...string) *hookSetup {
	t.Helper()
	clock := &fakeClock{now: time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC)}
	db := storetest.OpenWith(t, e, store.Options{Now: clock.Now, FoldEvery: -1})
	rcv := newReceiver(t, clock.Now)
	url := rcv.srv.URL
	ep, secret, err := db.CreateWebhookEndpoint(ctx, oms.WebhookEndpointInput{URL: &url, EventTypes: patterns, AllowPrivate: true}, oms.System("test"))
	must(t, err)
	rcv.secret = secret
	sched := webhook.DefaultSchedule()
	sched.Rand = func() float64 { return 0 }
	client := webhook.NewClient(webhook.Options{Now: clock.Now, Schedule: sched,
		HTTP: webhook.NewHTTPClient(webhook.HTTPOptions{AllowPrivate: true, Timeout: 5 * time.Second})})
	return &hookSetup{db: db, clock: clock, rcv: rcv, ep: ep, disp: outbox.NewDispatcher(db, outbox.DispatcherOptions{Client: client})}
}

// event writes an event as a change's transaction would.
func (h *hookSetup) event(t *testing.T, typ, order string) {
	t.Helper()
	var oid any
	if order != "" {
		oid = order
	}
	data, _ := json.Marshal(map[string]string{"order": order})
	_, err := rawOf(h.db).Exec(`INSERT INTO events (type, subject, order_id, actor, data, created_at) VALUES ($1, $2, $3, 'test', $4, $5)`,
		typ, order, oid, string(data), h.clock.Now())
	must(t, err)
}

// drain runs dispatch steps until one attempts nothing.
func (h *hookSetup) drain(t *testing.T) int {
	t.Helper()
	total := 0
	for range 100 {
		n, err := h.disp.DispatchOnce(ctx)
		must(t, err)
		if n == 0 {
			return total
		}
		total += n
	}
	t.Fatal("dispatch never settles")
	return total
}

func (h *hookSetup) deliveries(t *testing.T, status string) []oms.WebhookDelivery {
	t.Helper()
	ds, _, err := h.db.WebhookDeliveries(ctx, h.ep.ID, status, 0, 200)
	must(t, err)
	return ds
}

// TestWebhookDelivery: the events an endpoint subscribed to reach it signed,
// as {type, timestamp, data}, once each, in order; others do not; the
// delivery log records each.
func TestWebhookDelivery(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		h := newHookSetup(t, e, "order.*")
		h.event(t, "order.created", "o1")
		h.event(t, "inventory.adjusted", "")
		h.event(t, "order.held", "o1")
		h.event(t, "order.created", "o2")
		h.drain(t)
		// Events of one order arrive in order; different orders may interleave.
		got := h.rcv.received()
		perOrder := map[string][]string{}
		ids := map[string]bool{}
		for _, r := range got {
			perOrder[r.Order] = append(perOrder[r.Order], r.Type)
			ids[r.ID] = true
		}
		if len(got) != 3 || len(ids) != 3 {
			t.Fatalf("received %v, want 3 distinct events", got)
		}
		if o1 := perOrder["o1"]; len(o1) != 2 || o1[0] != "order.created" || o1[1] != "order.held" {
			t.Errorf("o1's events arrived as %v, want order.created, order.held", o1)
		}
		if o2 := perOrder["o2"]; len(o2) != 1 {
			t.Errorf("o2's events arrived as %v", o2)
		}
		ds := h.deliveries(t, oms.DeliverySucceeded)
		if len(ds) != 3 {
			t.Fatalf("%d succeeded deliveries, want 3", len(ds))
		}
		for _, d := range ds {
			if d.Attempts != 1 || d.LastStatusCode == nil || *d.LastStatusCode != 200 || d.NextAttemptAt != nil {
				t.Errorf("delivery %+v: want one attempt answered 200", d)
			}
		}
		h.drain(t)
		if n := len(h.rcv.received()); n != 3 {
			t.Errorf("%d messages after another step, want still 3", n)
		}
	})
}

// TestWebhookRetryDeadReplay: a failing endpoint is retried on the schedule
// (nothing before each wait is over), the order's next event waits behind
// it, the tenth failure dead-letters it (more than 3 days after the first)
// and releases the next event; retry and replay queue it again.
func TestWebhookRetryDeadReplay(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		h := newHookSetup(t, e, "order.*")
		start := h.clock.Now()
		h.rcv.answer(503)
		h.event(t, "order.created", "o1")
		h.event(t, "order.cancelled", "o1")
		sched := webhook.DefaultSchedule()
		for i, d := range append([]time.Duration{0}, sched.Delays...) {
			h.clock.Add(d - time.Second)
			if i > 0 {
				if n := h.drain(t); n != 0 {
					t.Fatalf("attempt %d made %d attempts a second early", i+1, n)
				}
			}
			h.clock.Add(time.Second)
			if n, err := h.disp.DispatchOnce(ctx); err != nil || n != 1 {
				t.Fatalf("attempt %d: %d attempts (%v), want 1", i+1, n, err)
			}
		}
		for _, r := range h.rcv.received() {
			if r.Type != "order.created" {
				t.Fatalf("received %s while the order's first event was failing", r.Type)
			}
		}
		dead := h.deliveries(t, oms.DeliveryDead)
		if len(dead) != 1 || dead[0].Attempts != 10 || *dead[0].LastStatusCode != 503 {
			t.Fatalf("dead deliveries %+v, want the first event's after 10 attempts", dead)
		}
		if span := dead[0].LastAttemptAt.Sub(start); span < 72*time.Hour {
			t.Errorf("dead after %v, want more than 3 days", span)
		}
		// The dead delivery released the order's next event.
		h.rcv.answer(200)
		h.drain(t)
		if got := h.rcv.received(); got[len(got)-1].Type != "order.cancelled" {
			t.Fatalf("last received %v, want order.cancelled", got[len(got)-1])
		}
		before := len(h.rcv.received())
		d, err := h.db.RetryWebhookDelivery(ctx, h.ep.ID, dead[0].ID)
		must(t, err)
		if d.Status != oms.DeliveryPending {
			t.Errorf("retried delivery is %s, want pending", d.Status)
		}
		h.drain(t)
		if got := h.rcv.received(); len(got) != before+1 || got[before].Type != "order.created" {
			t.Fatalf("after retry received %v", got[before:])
		}
		n, err := h.db.ReplayWebhookEvents(ctx, h.ep.ID, start, h.clock.Now().Add(time.Second))
		must(t, err)
		if n != 2 {
			t.Errorf("replay queued %d, want the order's 2 events", n)
		}
		h.drain(t)
		if got := len(h.rcv.received()); got != before+1+n {
			t.Errorf("received %d after the replay, want %d", got, before+1+n)
		}
		if _, err := h.db.RetryWebhookDelivery(ctx, h.ep.ID, "wd_nope"); oms.ErrorCode(err) != oms.ENOTFOUND {
			t.Errorf("retry of an unknown delivery: %v, want not found", err)
		}
	})
}

// TestWebhookGone: a 410 answer disables the endpoint and nothing more goes
// to it; enabling it again delivers what waited.
func TestWebhookGone(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		h := newHookSetup(t, e, "order.*")
		h.rcv.answer(410)
		h.event(t, "order.created", "o1")
		h.event(t, "order.created", "o2")
		h.drain(t)
		ep, err := h.db.WebhookEndpoint(ctx, h.ep.ID)
		must(t, err)
		if ep.Enabled || ep.DisabledReason != "gone" {
			t.Fatalf("endpoint %+v after 410, want disabled as gone", ep)
		}
		n := len(h.rcv.received())
		h.clock.Add(time.Hour)
		h.drain(t)
		if len(h.rcv.received()) != n {
			t.Fatal("a disabled endpoint received more")
		}
		h.rcv.answer(200)
		yes := true
		_, err = h.db.UpdateWebhookEndpoint(ctx, h.ep.ID, oms.WebhookEndpointInput{Enabled: &yes}, oms.System("test"))
		must(t, err)
		h.drain(t)
		if ok := h.deliveries(t, oms.DeliverySucceeded); len(ok) != 2 {
			t.Errorf("%d delivered after enabling, want 2", len(ok))
		}
	})
}

// TestWebhookSSRF: without AllowPrivate a loopback URL is refused when saved,
// and a guarded client refuses to dial one.
func TestWebhookSSRF(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		h := newHookSetup(t, e, "*")
		url := h.rcv.srv.URL
		_, _, err := h.db.CreateWebhookEndpoint(ctx, oms.WebhookEndpointInput{URL: &url, EventTypes: []string{"*"}}, oms.System("test"))
		var oe *oms.Error
		if !errors.As(err, &oe) || oe.Code != oms.EINVALID || len(oe.Fields) == 0 || oe.Fields[0].Field != "url" {
			t.Fatalf("loopback endpoint without allow: %v, want invalid url", err)
		}
		bad := "http://user:pw@example.com/x"
		if _, _, err := h.db.CreateWebhookEndpoint(ctx, oms.WebhookEndpointInput{URL: &bad, EventTypes: []string{"order.*"}}, oms.System("test")); oms.ErrorCode(err) != oms.EINVALID {
			t.Errorf("URL with credentials: %v, want invalid", err)
		}
		guarded := outbox.NewDispatcher(h.db, outbox.DispatcherOptions{Client: webhook.NewClient(webhook.Options{Now: h.clock.Now})})
		h.event(t, "order.created", "o1")
		_, err = guarded.DispatchOnce(ctx)
		must(t, err)
		if len(h.rcv.received()) != 0 {
			t.Fatal("the guarded client delivered to a loopback address")
		}
		failed := h.deliveries(t, oms.DeliveryFailed)
		if len(failed) == 0 || failed[0].LastError == "" {
			t.Fatalf("deliveries %+v, want a failed one with the refusal", h.deliveries(t, ""))
		}
	})
}

// TestWebhookOutboxAtomic: an event whose transaction rolled back is never
// delivered.
func TestWebhookOutboxAtomic(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		h := newHookSetup(t, e, "order.*")
		tx, err := rawOf(h.db).Begin()
		must(t, err)
		_, err = tx.Exec(`INSERT INTO events (type, subject, order_id, actor, data, created_at) VALUES ('order.created', 'o9', 'o9', 'test', '{}', $1)`, h.clock.Now())
		must(t, err)
		must(t, tx.Rollback())
		h.event(t, "order.created", "o1")
		h.drain(t)
		if got := h.rcv.received(); len(got) != 1 || got[0].Order != "o1" {
			t.Fatalf("received %v, want only o1's event", got)
		}
	})
}

// TestWebhookOutboxLateCommit: on PostgreSQL an event with a lower seq can
// commit after one with a higher seq; the fan-out neither skips it nor
// delivers past it before it is final.
func TestWebhookOutboxLateCommit(t *testing.T) {
	e := storetest.Engine{Name: "postgres", DSN: storetest.PostgresDSN}
	storetest.PostgresDSN(t) // skips without PostgreSQL
	h := newHookSetup(t, e, "order.*")
	raw := rawOf(h.db)
	insert := `INSERT INTO events (type, subject, order_id, actor, data, created_at) VALUES ('order.created', $1, $1, 'test', '{"order":"' || $1 || '"}', $2)`
	late, err := raw.Begin()
	must(t, err)
	defer late.Rollback()
	_, err = late.Exec(insert, "early-seq", h.clock.Now()) // takes the lower seq, commits last
	must(t, err)
	h.event(t, "order.created", "late-seq") // takes the higher seq, commits first
	n, err := h.db.FanOutWebhooks(ctx)
	must(t, err)
	if n != 0 {
		t.Fatalf("fanned out %d deliveries while an earlier event's transaction was open, want 0", n)
	}
	must(t, late.Commit())
	h.drain(t)
	got := h.rcv.received()
	if len(got) != 2 {
		t.Fatalf("received %v, want both events", got)
	}
}

// TestWebhookOutboxLateCommitHigherXid: as TestWebhookOutboxLateCommit,
// with the transaction that commits last holding the higher xid (it took
// its xid after the other, its seq before): a snapshot's xmax, one past
// the highest completed xid, is then at or below its xid, and a horizon
// that waited for the xids below that xmax let the fan-out pass its event.
// (Another transaction on the server completing meanwhile hides the fault.)
func TestWebhookOutboxLateCommitHigherXid(t *testing.T) {
	e := storetest.Engine{Name: "postgres", DSN: storetest.PostgresDSN}
	storetest.PostgresDSN(t) // skips without PostgreSQL
	h := newHookSetup(t, e, "order.*")
	raw := rawOf(h.db)
	insert := `INSERT INTO events (type, subject, order_id, actor, data, created_at) VALUES ('order.created', $1, $1, 'test', '{"order":"' || $1 || '"}', $2)`
	first, err := raw.Begin()
	must(t, err)
	defer first.Rollback()
	late, err := raw.Begin()
	must(t, err)
	defer late.Rollback()
	var a, b int64
	must(t, first.QueryRow(`SELECT pg_current_xact_id()::text::bigint`).Scan(&a))
	must(t, late.QueryRow(`SELECT pg_current_xact_id()::text::bigint`).Scan(&b))
	if b <= a {
		t.Fatalf("xids %d then %d, want the second higher", a, b)
	}
	_, err = late.Exec(insert, "early-seq", h.clock.Now()) // the lower seq, the higher xid, commits last
	must(t, err)
	_, err = first.Exec(insert, "late-seq", h.clock.Now())
	must(t, err)
	must(t, first.Commit())
	if _, err := h.db.FanOutWebhooks(ctx); err != nil {
		t.Fatal(err)
	}
	must(t, late.Commit())
	h.drain(t)
	got := h.rcv.received()
	if len(got) != 2 {
		t.Fatalf("received %v, want both events", got)
	}
}

// TestWebhookLeaseExpiry: a delivery claimed by a server that died
// mid-attempt is attempted by another once the lease runs out, and the dead
// server's late record does not overwrite the outcome.
func TestWebhookLeaseExpiry(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		h := newHookSetup(t, e, "order.*")
		h.event(t, "order.created", "o1")
		_, err := h.db.FanOutWebhooks(ctx)
		must(t, err)
		jobs, err := h.db.ClaimWebhookDeliveries(ctx, time.Minute, func(string) int { return 4 })
		must(t, err)
		if len(jobs) != 1 || jobs[0].Attempt != 1 || jobs[0].Event.Key != "o1" {
			t.Fatalf("claimed %+v, want the one delivery", jobs)
		}
		if n := h.drain(t); n != 0 {
			t.Fatalf("%d attempts while another server holds the lease", n)
		}
		h.clock.Add(61 * time.Second)
		if n := h.drain(t); n != 1 {
			t.Fatalf("%d attempts after the lease ran out, want 1", n)
		}
		late := webhook.Attempt{Number: 1, At: h.clock.Now(), Error: "late", Outcome: webhook.Dead}
		must(t, h.db.RecordWebhookAttempt(ctx, jobs[0], late))
		if ok := h.deliveries(t, oms.DeliverySucceeded); len(ok) != 1 {
			t.Errorf("the dead server's record changed the delivery: %+v", h.deliveries(t, ""))
		}
	})
}

// TestWebhookTwoServers: two dispatchers on one database, racing while
// events are written, deliver every event exactly once (no lease runs
// out), and each order's events in order.
func TestWebhookTwoServers(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		h := newHookSetup(t, e, "order.*")
		other := outbox.NewDispatcher(h.db, outbox.DispatcherOptions{Client: webhook.NewClient(webhook.Options{Now: h.clock.Now,
			HTTP: webhook.NewHTTPClient(webhook.HTTPOptions{AllowPrivate: true})})})
		const orders, steps = 8, 5
		var wg sync.WaitGroup
		stop := make(chan struct{})
		for _, d := range []*outbox.Dispatcher{h.disp, other} {
			wg.Go(func() {
				for {
					select {
					case <-stop:
						return
					default:
					}
					if _, err := d.DispatchOnce(ctx); err != nil {
						t.Error(err)
						return
					}
				}
			})
		}
		types := []string{"order.created", "order.held", "order.released", "order.edited", "order.cancelled"}
		for i := range steps {
			for o := range orders {
				h.event(t, types[i], "o"+string(rune('a'+o)))
			}
		}
		deadline := time.Now().Add(30 * time.Second)
		for len(h.rcv.received()) < orders*steps && time.Now().Before(deadline) {
			time.Sleep(10 * time.Millisecond)
		}
		close(stop)
		wg.Wait()
		got := h.rcv.received()
		seen := map[string]bool{}
		next := map[string]int{}
		for _, r := range got {
			if seen[r.ID] {
				t.Errorf("%s delivered twice", r.ID)
			}
			seen[r.ID] = true
			if want := types[next[r.Order]]; r.Type != want {
				t.Errorf("order %s: got %s, want %s next", r.Order, r.Type, want)
			}
			next[r.Order]++
		}
		if len(seen) != orders*steps {
			t.Errorf("%d events delivered, want %d", len(seen), orders*steps)
		}
	})
}

// TestWebhookBacklogOfOneOrder: an order whose first event keeps failing
// holds back only its own events, however many, not other orders'.
func TestWebhookBacklogOfOneOrder(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		h := newHookSetup(t, e, "order.*")
		h.event(t, "order.created", "stuck")
		h.rcv.answer(500)
		h.drain(t)      // the stuck order's first event fails and waits
		for range 800 { // more than a step reads of an endpoint's open deliveries
			h.event(t, "order.edited", "stuck")
		}
		h.event(t, "order.created", "fine")
		h.rcv.answer(200)
		h.drain(t)
		got := h.rcv.received()
		if last := got[len(got)-1]; last.Order != "fine" || len(got) != 2 {
			t.Fatalf("received %v, want the stuck order's first attempt and then the other order", got)
		}
	})
}

// TestWebhookEndpointInput: URLs and patterns are checked field by field.
func TestWebhookEndpointInput(t *testing.T) {
	db := storetest.Open(t, storetest.Engines(t)[0])
	for _, c := range []struct {
		url, field string
		types      []string
	}{
		{"https://example.com/hooks?to=a@b", "", []string{"order.*"}},
		{"https://user@example.com/hooks", "url", []string{"order.*"}},
		{"https://example.com/hooks", "event_types[0]", []string{"order.**"}},
		{"mailto:a@example.com", "url", []string{"*"}},
		{"https://10.0.0.8/hooks", "url", []string{"*"}},
		{"https://localhost/hooks", "url", []string{"*"}},
	} {
		_, secret, err := db.CreateWebhookEndpoint(ctx, oms.WebhookEndpointInput{URL: &c.url, EventTypes: c.types}, oms.System("test"))
		var oe *oms.Error
		switch {
		case c.field == "" && (err != nil || !strings.HasPrefix(secret, "whsec_")):
			t.Errorf("%s: %v, want it made with a secret", c.url, err)
		case c.field != "" && (!errors.As(err, &oe) || len(oe.Fields) == 0 || oe.Fields[0].Field != c.field):
			t.Errorf("%s %v: %v, want an error on %s", c.url, c.types, err, c.field)
		}
	}
}
