package metrics

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"
)

// serve sends one request through h and returns the status code.
func serve(h http.Handler, method, path string) int {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(method, path, nil))
	return rec.Code
}

// api is a router with two routes, as httpapi's would be.
func api() *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /v1/orders/{id}", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`{"id":"` + r.PathValue("id") + `"}`))
	})
	mux.HandleFunc("POST /v1/orders", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("conflict") != "" {
			w.WriteHeader(http.StatusConflict)
			return
		}
		w.WriteHeader(http.StatusCreated)
	})
	// What no route matched, answered as oms's API answers it: by a
	// catch-all whose pattern is "/".
	mux.HandleFunc("/", http.NotFound)
	return mux
}

func TestMiddlewareLabelsByRoutePattern(t *testing.T) {
	m := New(Options{})
	h := m.Middleware(api())
	for _, r := range []struct {
		method, path string
		code         int
	}{
		{"GET", "/v1/orders/ord_1", 200},
		{"GET", "/v1/orders/ord_2", 200},
		{"POST", "/v1/orders", 201},
		{"POST", "/v1/orders?conflict=1", 409},
		{"GET", "/v1/nothing-here", 404},
		{"DELETE", "/v1/orders", 404},
	} {
		if got := serve(h, r.method, r.path); got != r.code {
			t.Fatalf("%s %s: %d, want %d", r.method, r.path, got, r.code)
		}
	}
	for _, c := range []struct {
		route, method, code string
		want                float64
	}{
		{"GET /v1/orders/{id}", "get", "200", 2}, // one series for both ids
		{"POST /v1/orders", "post", "201", 1},
		{"POST /v1/orders", "post", "409", 1},
		{"unmatched", "get", "404", 1},
		{"unmatched", "delete", "404", 1},
	} {
		if got := testutil.ToFloat64(m.requests.WithLabelValues(c.route, c.method, c.code)); got != c.want {
			t.Errorf("requests{%s %s %s} = %v, want %v", c.route, c.method, c.code, got, c.want)
		}
	}
	if n := testutil.CollectAndCount(m.requests); n != 5 {
		t.Errorf("%d request series, want 5 (no series per path)", n)
	}
	if n := testutil.CollectAndCount(m.requestDuration); n != 4 {
		t.Errorf("%d latency series, want 4", n)
	}
}

func TestMiddlewareInsideTheRouter(t *testing.T) {
	m := New(Options{})
	mux := http.NewServeMux()
	mux.Handle("GET /v1/items/{sku}", m.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {})))
	serve(mux, "GET", "/v1/items/MUG-1")
	serve(mux, "GET", "/v1/none") // no route: not seen from inside
	if got := testutil.ToFloat64(m.requests.WithLabelValues("GET /v1/items/{sku}", "get", "200")); got != 1 {
		t.Errorf("requests = %v, want 1", got)
	}
	if n := testutil.CollectAndCount(m.requests); n != 1 {
		t.Errorf("%d series, want 1", n)
	}
}

// TestHandler scrapes /metrics as Prometheus would, after one observation of
// each kind, and compares what it serves.
func TestHandler(t *testing.T) {
	m := New(Options{})
	serve(m.Middleware(api()), "GET", "/v1/orders/ord_1")
	m.OrderPlaced("web")
	m.OrderPlaced("web")
	m.OrderPlaced("pos")
	m.OrderRefused("out_of_stock")
	m.StockReserved(3)
	m.StockReserved(2)
	m.StockShort()
	m.WriterBatch(3, time.Millisecond, 2*time.Millisecond, 40*time.Millisecond)
	m.WebhookDelivery("success", 120*time.Millisecond)
	m.WebhookDelivery("failed", 3*time.Second)
	m.StreamPublished(5, false)
	m.StreamPublished(2, true)
	must(t, m.RegisterDB("write", func() sql.DBStats {
		return sql.DBStats{MaxOpenConnections: 1, OpenConnections: 1, InUse: 1, WaitCount: 7, WaitDuration: 1500 * time.Millisecond}
	}))
	must(t, m.RegisterDB("read", func() sql.DBStats { return sql.DBStats{MaxOpenConnections: 8, OpenConnections: 3, Idle: 3} }))
	must(t, m.RegisterJobQueues(func(context.Context) ([]QueueStat, error) {
		return []QueueStat{{Queue: "webhook", Depth: 12, OldestAge: 90 * time.Second}, {Queue: "default"}}, nil
	}))
	must(t, m.RegisterFoldLag(func(context.Context) (time.Duration, error) { return 2500 * time.Millisecond, nil }))
	must(t, m.RegisterSQLiteLog(func() (int64, int64, bool) { return 41232, 3, true }))

	srv := httptest.NewServer(m.Handler())
	defer srv.Close()
	resp, err := http.Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); resp.StatusCode != 200 || !strings.HasPrefix(ct, "text/plain; version=0.0.4") {
		t.Fatalf("status %d, content type %q", resp.StatusCode, ct)
	}
	for _, name := range []string{
		"oms_http_requests_total", "oms_http_request_duration_seconds_bucket", "go_goroutines",
		"process_cpu_seconds_total", "promhttp_metric_handler_requests_total",
		"oms_writer_batch_orders_bucket", "oms_writer_wait_seconds_bucket", "oms_writer_batch_seconds_bucket",
		"oms_webhook_delivery_duration_seconds_bucket",
	} {
		if !bytes.Contains(body, []byte("\n"+name)) {
			t.Errorf("/metrics has no %s", name)
		}
	}

	expected := `
# HELP oms_orders_placed_total Orders placed, by channel.
# TYPE oms_orders_placed_total counter
oms_orders_placed_total{channel="pos"} 1
oms_orders_placed_total{channel="web"} 2
# HELP oms_orders_refused_total Orders refused, by the error code of the refusal (out_of_stock, invalid, …).
# TYPE oms_orders_refused_total counter
oms_orders_refused_total{reason="out_of_stock"} 1
# HELP oms_stock_reservations_total Stock reservations at a location: reserved, or short (too little available there).
# TYPE oms_stock_reservations_total counter
oms_stock_reservations_total{outcome="reserved"} 2
oms_stock_reservations_total{outcome="short"} 1
# HELP oms_stock_reserved_units_total Units reserved.
# TYPE oms_stock_reserved_units_total counter
oms_stock_reserved_units_total 5
# HELP oms_writer_batch_orders Orders placed per writer batch.
# TYPE oms_writer_batch_orders histogram
oms_writer_batch_orders_bucket{le="1"} 0
oms_writer_batch_orders_bucket{le="2"} 0
oms_writer_batch_orders_bucket{le="4"} 1
oms_writer_batch_orders_bucket{le="8"} 1
oms_writer_batch_orders_bucket{le="16"} 1
oms_writer_batch_orders_bucket{le="32"} 1
oms_writer_batch_orders_bucket{le="64"} 1
oms_writer_batch_orders_bucket{le="128"} 1
oms_writer_batch_orders_bucket{le="256"} 1
oms_writer_batch_orders_bucket{le="+Inf"} 1
oms_writer_batch_orders_sum 3
oms_writer_batch_orders_count 1
# HELP oms_webhook_deliveries_total Webhook delivery attempts, by outcome (success, failed, gone, dead).
# TYPE oms_webhook_deliveries_total counter
oms_webhook_deliveries_total{outcome="failed"} 1
oms_webhook_deliveries_total{outcome="success"} 1
# HELP oms_stream_events_published_total Events stored in the NATS JetStream stream.
# TYPE oms_stream_events_published_total counter
oms_stream_events_published_total 7
# HELP oms_stream_publish_failures_total Publish calls to NATS JetStream that stopped at a failure.
# TYPE oms_stream_publish_failures_total counter
oms_stream_publish_failures_total 1
# HELP go_sql_in_use_connections The number of connections currently in use.
# TYPE go_sql_in_use_connections gauge
go_sql_in_use_connections{db_name="read"} 0
go_sql_in_use_connections{db_name="write"} 1
# HELP go_sql_open_connections The number of established connections both in use and idle.
# TYPE go_sql_open_connections gauge
go_sql_open_connections{db_name="read"} 3
go_sql_open_connections{db_name="write"} 1
# HELP go_sql_wait_duration_seconds_total The total time blocked waiting for a new connection.
# TYPE go_sql_wait_duration_seconds_total counter
go_sql_wait_duration_seconds_total{db_name="read"} 0
go_sql_wait_duration_seconds_total{db_name="write"} 1.5
# HELP oms_job_queue_depth Jobs waiting to run (available, scheduled, retrying), by queue.
# TYPE oms_job_queue_depth gauge
oms_job_queue_depth{queue="default"} 0
oms_job_queue_depth{queue="webhook"} 12
# HELP oms_job_queue_oldest_age_seconds How long the oldest waiting job has been due, by queue.
# TYPE oms_job_queue_oldest_age_seconds gauge
oms_job_queue_oldest_age_seconds{queue="default"} 0
oms_job_queue_oldest_age_seconds{queue="webhook"} 90
# HELP oms_rollup_fold_lag_seconds Age of the oldest change the report rollups have not folded yet.
# TYPE oms_rollup_fold_lag_seconds gauge
oms_rollup_fold_lag_seconds 2.5
# HELP oms_sqlite_wal_bytes_total Bytes the SQLite writers wrote to the write-ahead log: whole pages, each with a 24-byte frame header.
# TYPE oms_sqlite_wal_bytes_total counter
oms_sqlite_wal_bytes_total 41232
# HELP oms_sqlite_wal_syncs_total Syncs of the SQLite write-ahead log: one a commit of the writers, and one each time the log starts again.
# TYPE oms_sqlite_wal_syncs_total counter
oms_sqlite_wal_syncs_total 3
`
	names := []string{
		"oms_orders_placed_total", "oms_orders_refused_total", "oms_stock_reservations_total",
		"oms_stock_reserved_units_total", "oms_writer_batch_orders", "oms_webhook_deliveries_total",
		"oms_stream_events_published_total", "oms_stream_publish_failures_total",
		"go_sql_in_use_connections", "go_sql_open_connections", "go_sql_wait_duration_seconds_total",
		"oms_job_queue_depth", "oms_job_queue_oldest_age_seconds", "oms_rollup_fold_lag_seconds",
		"oms_sqlite_wal_bytes_total", "oms_sqlite_wal_syncs_total",
	}
	if err := testutil.ScrapeAndCompare(srv.URL, strings.NewReader(expected), names...); err != nil {
		t.Error(err)
	}
	if problems, err := testutil.GatherAndLint(m.Registry()); err != nil || len(problems) > 0 {
		t.Errorf("lint: %v %v", problems, err)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func TestAFailingCollectorLeavesTheRest(t *testing.T) {
	var logs bytes.Buffer
	m := New(Options{Logger: slog.New(slog.NewTextHandler(&logs, nil)), ScrapeTimeout: 50 * time.Millisecond})
	m.OrderPlaced("web")
	must(t, m.RegisterJobQueues(func(context.Context) ([]QueueStat, error) {
		return nil, errors.New("database is closed")
	}))
	must(t, m.RegisterFoldLag(func(ctx context.Context) (time.Duration, error) {
		<-ctx.Done() // a query that hangs: the scrape timeout ends it
		return 0, ctx.Err()
	}))
	start := time.Now()
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	if took := time.Since(start); took > 2*time.Second {
		t.Errorf("the scrape took %v", took)
	}
	body := rec.Body.String()
	if rec.Code != 200 || !strings.Contains(body, `oms_orders_placed_total{channel="web"} 1`) {
		t.Fatalf("status %d, body lacks the other metrics:\n%s", rec.Code, body)
	}
	if strings.Contains(body, "oms_job_queue_depth{") || strings.Contains(body, "oms_rollup_fold_lag_seconds ") {
		t.Error("a failed collector's metrics were served")
	}
	if !strings.Contains(logs.String(), "database is closed") || !strings.Contains(logs.String(), "deadline exceeded") {
		t.Errorf("the failures were not logged: %s", logs.String())
	}
}

func TestRegisterTwice(t *testing.T) {
	m := New(Options{})
	stats := func() sql.DBStats { return sql.DBStats{} }
	must(t, m.RegisterDB("write", stats))
	if err := m.RegisterDB("write", stats); err == nil {
		t.Error("a second pool named write was registered")
	}
	must(t, m.RegisterDB("read", stats))
	lag := func(context.Context) (time.Duration, error) { return 0, nil }
	must(t, m.RegisterFoldLag(lag))
	if err := m.RegisterFoldLag(lag); err == nil {
		t.Error("a second fold lag was registered")
	}
}

func TestNilMetricsRecordNothing(t *testing.T) {
	var m *Metrics
	m.OrderPlaced("web")
	m.OrderRefused("invalid")
	m.StockReserved(1)
	m.StockShort()
	m.WriterBatch(1, time.Second)
	m.WebhookDelivery("dead", time.Second)
	m.StreamPublished(1, true)
	must(t, m.RegisterDB("write", func() sql.DBStats { return sql.DBStats{} }))
	must(t, m.RegisterJobQueues(nil))
	must(t, m.RegisterFoldLag(nil))
	next := http.NotFoundHandler()
	if got := serve(m.Middleware(next), "GET", "/"); got != 404 {
		t.Errorf("Middleware of nil: %d", got)
	}
}

// TestWriterSoFar records writer batches — their orders, their times and
// the times they held stock — and reads back the totals; nothing recorded
// reads as none, and nil metrics record nothing.
func TestWriterSoFar(t *testing.T) {
	m := New(Options{})
	if got := m.WriterSoFar(); got != (WriterTotals{}) {
		t.Errorf("before any batch: %+v", got)
	}
	m.WriterBatch(3, time.Millisecond, time.Millisecond, 2*time.Millisecond)
	m.WriterBatch(9)
	m.WriterBatchDone(4 * time.Millisecond)
	m.WriterBatchDone(12 * time.Millisecond)
	m.StockHeld(2 * time.Millisecond)
	m.StockHeld(6 * time.Millisecond)
	want := WriterTotals{Batches: 2, Orders: 12, Done: 2, BatchTime: 16 * time.Millisecond, Held: 2, HeldTime: 8 * time.Millisecond}
	if got := m.WriterSoFar(); got != want {
		t.Errorf("after two batches: %+v; want %+v", got, want)
	}
	var none *Metrics
	none.WriterBatchDone(time.Second)
	none.StockHeld(time.Second)
	if got := none.WriterSoFar(); got != (WriterTotals{}) {
		t.Errorf("nil metrics read %+v", got)
	}
}
