package httpapi_test

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/httpapi"
	"github.com/omshq/oms/internal/store"
	"github.com/omshq/oms/internal/store/storetest"
)

// logLine is one access log line as the JSON handler writes it.
type logLine struct {
	Level   string        `json:"level"`
	Msg     string        `json:"msg"`
	Method  string        `json:"method"`
	Path    string        `json:"path"`
	Route   string        `json:"route"`
	Status  int           `json:"status"`
	Latency time.Duration `json:"latency"`
	Bytes   int           `json:"bytes"`
	Key     string        `json:"key"`
	Code    string        `json:"code"`
	Error   string        `json:"error"`
}

func TestAccessLog(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		// Not storetest.Open: the test closes the database itself.
		db, err := store.Open(ctx, e.DSN(t), store.Options{})
		if err != nil {
			t.Fatal(err)
		}
		closed := false
		t.Cleanup(func() {
			if !closed {
				db.Close()
			}
		})
		key, secret, err := db.CreateAPIKey(ctx, "desk", oms.RoleAgent, oms.System("test"))
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		log := slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
		srv := httpapi.New(db, log)
		// serve sends one request straight to the handler, so that its log
		// line is written when serve returns, and returns that line.
		serve := func(method, target, auth string) (*httptest.ResponseRecorder, logLine) {
			t.Helper()
			buf.Reset()
			req := httptest.NewRequest(method, target, nil)
			if auth != "" {
				req.Header.Set("Authorization", "Bearer "+auth)
			}
			rec := httptest.NewRecorder()
			srv.ServeHTTP(rec, req)
			if strings.Contains(buf.String(), secret) {
				t.Errorf("the log holds the key's secret: %s", buf.String())
			}
			lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
			if len(lines) != 1 {
				t.Fatalf("%s %s: %d log lines, want 1: %s", method, target, len(lines), buf.String())
			}
			var l logLine
			if err := json.Unmarshal([]byte(lines[0]), &l); err != nil {
				t.Fatalf("log line %s: %v", lines[0], err)
			}
			if l.Msg != "request" || l.Method != method || l.Path != strings.Split(target, "?")[0] || l.Status != rec.Code {
				t.Errorf("log line %+v for %s %s answered %d", l, method, target, rec.Code)
			}
			if l.Bytes != rec.Body.Len() {
				t.Errorf("bytes %d, body %d", l.Bytes, rec.Body.Len())
			}
			return rec, l
		}

		rec, l := serve("GET", "/v1/orders?q=ann@example.com", secret)
		if rec.Code != 200 || l.Level != "INFO" || l.Key != key.ID || l.Route != "GET /v1/orders" || l.Latency <= 0 || l.Code != "" {
			t.Errorf("2xx: %+v", l)
		}
		if strings.Contains(buf.String(), "ann@example.com") {
			t.Error("the log holds the query string")
		}

		_, l = serve("GET", "/v1/items/nothing", secret)
		if l.Status != 404 || l.Level != "DEBUG" || l.Code != oms.ENOTFOUND || l.Key != key.ID {
			t.Errorf("404: %+v", l)
		}
		_, l = serve("GET", "/v1/no-such-route", "")
		if l.Status != 404 || l.Level != "DEBUG" || l.Key != "" {
			t.Errorf("404 without a route: %+v", l)
		}
		_, l = serve("GET", "/v1/orders", "oms_not_a_key")
		if l.Status != 401 || l.Level != "DEBUG" || l.Key != "" || l.Code != oms.EUNAUTHORIZED {
			t.Errorf("401: %+v", l)
		}
		_, l = serve("POST", "/v1/api-keys", secret) // an agent may not make keys
		if l.Status != 403 || l.Level != "DEBUG" || l.Key != key.ID {
			t.Errorf("403: %+v", l)
		}

		db.Close() // every query fails from here on: an internal error
		closed = true
		rec, l = serve("GET", "/v1/orders", secret)
		if rec.Code != 500 || l.Level != "ERROR" || l.Code != oms.EINTERNAL || !strings.Contains(l.Error, "closed") {
			t.Errorf("5xx: %+v", l)
		}
		if strings.Contains(rec.Body.String(), "closed") {
			t.Errorf("the internal error reached the client: %s", rec.Body)
		}
	})
}

// At the default level, a client's mistakes leave no line; successes and
// faults do.
func TestAccessLogInfoLevel(t *testing.T) {
	db := storetest.Open(t, storetest.Engines(t)[0])
	var buf bytes.Buffer
	srv := httpapi.New(db, slog.New(slog.NewTextHandler(&buf, nil)))
	for _, target := range []string{"/v1/nothing", "/v1/orders", "/healthz"} {
		srv.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, target, nil))
	}
	out := buf.String()
	if strings.Count(out, "\n") != 1 || !strings.Contains(out, "level=INFO msg=request method=GET path=/healthz") {
		t.Errorf("log:\n%s", out)
	}
}
