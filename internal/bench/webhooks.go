package bench

import (
	"context"
	"database/sql"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"sync/atomic"
	"time"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/jobs"
	"github.com/omshq/oms/internal/outbox"
	"github.com/omshq/oms/internal/store"
	"github.com/omshq/oms/internal/webhook"
)

// hookSink is the in-process server's webhook delivery with n local
// receivers, each an endpoint subscribed to every event ("*").
type hookSink struct {
	db       *store.DB
	n        int
	first    string // the last event before every receiver had subscribed
	received atomic.Int64
	srvs     []*httptest.Server
	runner   *jobs.Runner
}

// startHooks subscribes n local receivers and starts delivering as oms
// serve does with its durable jobs: a River client on the same database
// fans the events out and works the endpoints' delivery jobs, enqueued in
// the fan-out's transactions; private addresses allowed. The jobs
// unrelated to webhooks are left for later than the run.
func startHooks(ctx context.Context, db *store.DB, n int) (*hookSink, error) {
	h := &hookSink{db: db, n: n}
	for range n {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			h.received.Add(1)
			w.WriteHeader(http.StatusNoContent)
		}))
		h.srvs = append(h.srvs, srv)
		url := srv.URL
		if _, _, err := db.CreateWebhookEndpoint(ctx, oms.WebhookEndpointInput{URL: &url, EventTypes: []string{"*"}, AllowPrivate: true},
			oms.System("oms bench")); err != nil {
			h.stop()
			return nil, err
		}
	}
	// Every endpoint gets the events from here on; the events of the
	// endpoints' creation went to those made before them only.
	last, _, err := h.events(ctx, "")
	if err != nil {
		h.stop()
		return nil, err
	}
	h.first = last
	client := webhook.NewClient(webhook.Options{HTTP: webhook.NewHTTPClient(webhook.HTTPOptions{AllowPrivate: true})})
	d := outbox.NewDeliverer(db, outbox.DispatcherOptions{Client: client})
	var runner atomic.Pointer[jobs.Runner]
	db.SetWebhookQueue(func(ctx context.Context, tx *sql.Tx, endpointIDs []string) error {
		if r := runner.Load(); r != nil {
			return r.DeliverLater(ctx, tx, endpointIDs)
		}
		return nil
	})
	none := func(context.Context) (int, error) { return 0, nil }
	work := jobs.Work{
		ExpirePickups:         none,
		ForgetDeliveries:      func(context.Context) (int64, error) { return 0, nil },
		ExpireIdempotencyKeys: none,
		FoldRollups:           func(context.Context) error { return nil },
		AllocateBackorders: func(ctx context.Context, itemID int64) error {
			return db.AllocateBackorders(ctx, itemID, oms.System("oms bench"))
		},
		FanOutWebhooks:      db.FanOutWebhooks,
		DeliverWebhooks:     d.Drain,
		DueWebhookEndpoints: db.DueWebhookEndpoints,
	}
	r, err := jobs.Open(ctx, db, work, jobs.Options{PickupsEvery: 24 * time.Hour, IdempotencyEvery: 24 * time.Hour,
		FoldEvery: 24 * time.Hour, SearchCleanEvery: 24 * time.Hour,
		Logger: slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))})
	if err != nil {
		h.stop()
		return nil, err
	}
	if err := r.Start(context.WithoutCancel(ctx)); err != nil {
		h.stop()
		return nil, err
	}
	h.runner = r
	runner.Store(r)
	return h, nil
}

// count is how many deliveries the receivers got; 0 without a sink.
func (h *hookSink) count() int64 {
	if h == nil {
		return 0
	}
	return h.received.Load()
}

// events pages through the events after the one with id after and returns
// the last one's id and how many there are.
func (h *hookSink) events(ctx context.Context, after string) (string, int64, error) {
	var n int64
	for {
		evs, err := h.db.Events(ctx, oms.Principal{}, after, "", 1000)
		if err != nil {
			return after, n, err
		}
		n += int64(len(evs))
		if len(evs) > 0 {
			after = evs[len(evs)-1].ID
		}
		if len(evs) < 1000 {
			return after, n, nil
		}
	}
}

// settle waits until every receiver has every event written since they
// subscribed (at most two minutes), and returns how long that took.
func (h *hookSink) settle(ctx context.Context) time.Duration {
	start := time.Now()
	_, written, err := h.events(ctx, h.first)
	if err != nil {
		return 0
	}
	for h.count() < written*int64(h.n) && time.Since(start) < 2*time.Minute && ctx.Err() == nil {
		time.Sleep(20 * time.Millisecond)
	}
	return time.Since(start)
}

func (h *hookSink) stop() {
	if h.runner != nil {
		stop, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		h.runner.Stop(stop)
		cancel()
		h.db.SetWebhookQueue(nil)
	}
	for _, s := range h.srvs {
		s.Close()
	}
}
