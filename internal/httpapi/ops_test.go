package httpapi_test

import (
	"bytes"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/httpapi"
	"github.com/omshq/oms/internal/metrics"
	"github.com/omshq/oms/internal/store/storetest"
)

// A sane X-Request-Id comes back as sent, is on the access log line and on
// the events the request caused; anything else is replaced by a new id.
func TestRequestID(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		h := setup(t, e)
		var buf lockedBuffer
		h.serve(httpapi.New(h.db, slog.New(slog.NewJSONHandler(&buf, nil))))
		h.seed()
		r := h.call("POST", "/v1/orders", oms.RoleManager, orderBody("RID-1", 1), "X-Request-Id", "shop-42.abc:7")
		if r.status != 201 {
			t.Fatalf("status %d: %s", r.status, r.body)
		}
		if got := r.header.Get("X-Request-Id"); got != "shop-42.abc:7" {
			t.Errorf("X-Request-Id %q, want the one sent", got)
		}
		if !strings.Contains(buf.String(), `"request_id":"shop-42.abc:7"`) {
			t.Errorf("the access log has no request_id:\n%s", buf.String())
		}
		var o oms.Order
		r.json(t, &o)
		var page struct {
			Events []oms.Event `json:"events"`
		}
		h.mustCall("GET", "/v1/orders/"+o.ID+"/events", oms.RoleManager, nil, 200)
		h.mustCall("GET", "/v1/events?limit=200", oms.RoleAdmin, nil, 200).json(t, &page)
		found := 0
		for _, ev := range page.Events {
			if ev.OrderID == o.ID {
				found++
				if ev.RequestID != "shop-42.abc:7" {
					t.Errorf("event %s %s: request_id %q", ev.ID, ev.Type, ev.RequestID)
				}
			} else if ev.RequestID == "shop-42.abc:7" {
				t.Errorf("event %s of another request has this request's id", ev.ID)
			}
		}
		if found == 0 {
			t.Fatalf("no event of the order in %+v", page.Events)
		}
		for _, bad := range []string{"", "a b", "x\ty", "é", strings.Repeat("a", 129), "<script>"} {
			r := h.call("GET", "/healthz", "", nil, "X-Request-Id", bad)
			got := r.header.Get("X-Request-Id")
			if !strings.HasPrefix(got, "req_") || len(got) != 30 {
				t.Errorf("sent %q: X-Request-Id %q, want a new req_ id", bad, got)
			}
		}
		a, b := h.call("GET", "/healthz", "", nil), h.call("GET", "/healthz", "", nil)
		if a.header.Get("X-Request-Id") == b.header.Get("X-Request-Id") {
			t.Errorf("two requests share the id %q", a.header.Get("X-Request-Id"))
		}
	})
}

func TestReadyz(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		h := setup(t, e)
		var got struct {
			Status            string `json:"status"`
			Database          string `json:"database"`
			PendingMigrations *int   `json:"pending_migrations"`
		}
		h.mustCall("GET", "/readyz", "", nil, 200).json(t, &got)
		if got.Status != "ok" || got.Database != h.db.Engine() || got.PendingMigrations == nil || *got.PendingMigrations != 0 {
			t.Errorf("readyz %+v", got)
		}
	})
}

// GET /metrics answers the Prometheus text format to admin and manager
// keys, counting requests by route pattern; with the metrics served on a
// listener of their own it is not found on the API.
func TestMetricsScrape(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		h := setup(t, e)
		m := metrics.New(metrics.Options{})
		api := httpapi.New(h.db, slog.New(slog.DiscardHandler))
		api.UseMetrics(m, true)
		h.serve(api)
		h.db.SetMetrics(m)
		h.seed()
		h.mustCall("POST", "/v1/orders", oms.RoleManager, orderBody("M-1", 2), 201)
		h.mustCall("POST", "/v1/orders", oms.RoleManager, orderBody("M-2", 50), 409)
		h.mustCall("GET", "/v1/orders/nope", oms.RoleManager, nil, 404)
		h.mustCall("GET", "/v1/orders/nope2", oms.RoleManager, nil, 404)
		r := h.mustCall("GET", "/metrics", oms.RoleManager, nil, 200)
		if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "text/plain") {
			t.Errorf("content type %q", ct)
		}
		for _, want := range []string{
			`oms_http_requests_total{code="404",method="get",route="GET /v1/orders/{id}"} 2`,
			`oms_http_request_duration_seconds_bucket{method="get",route="GET /v1/orders/{id}",le="+Inf"} 2`,
			`go_goroutines `,
			`oms_orders_placed_total{channel="web"} 1`,
			`oms_orders_refused_total{reason="out_of_stock"} 1`,
			`oms_stock_reservations_total{outcome="reserved"} 1`,
			`oms_stock_reservations_total{outcome="short"} 1`,
			`oms_stock_reserved_units_total 2`,
			`oms_writer_batch_orders_count 2`,
			`oms_writer_wait_seconds_count 2`,
			// The refused order's batch reserved nothing: it held no stock.
			`oms_writer_stock_held_seconds_count 1`,
		} {
			if !bytes.Contains(r.body, []byte(want)) {
				t.Errorf("the scrape lacks %s", want)
			}
		}
		h.mustCall("GET", "/metrics", oms.RoleAdmin, nil, 200)
		h.mustCall("GET", "/metrics", oms.RoleAgent, nil, 403)
		h.mustCall("GET", "/metrics", "", nil, 401)

		elsewhere := httpapi.New(h.db, slog.New(slog.DiscardHandler))
		elsewhere.UseMetrics(m, false)
		h.serve(elsewhere)
		h.mustCall("GET", "/metrics", oms.RoleAdmin, nil, 404)
		rec := httptest.NewRecorder()
		m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
		if rec.Code != 200 || !strings.Contains(rec.Body.String(), "oms_http_requests_total") {
			t.Errorf("the metrics listener's handler: %d %s", rec.Code, rec.Body)
		}
	})
}

// serve makes the harness call handler instead of the API it started with.
func (h *harness) serve(handler http.Handler) {
	h.srv = httptest.NewServer(handler)
	h.t.Cleanup(h.srv.Close)
}
