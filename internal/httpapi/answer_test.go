package httpapi

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/omshq/oms/internal/httpapi/answer"
)

// A JSON answer that cannot be encoded is a 500 problem document, its
// status line written once: never a 200 whose body breaks off or carries
// the problem.
func TestWriteJSONEncodesFirst(t *testing.T) {
	s := New(nil, slog.New(slog.DiscardHandler))
	year10000 := time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC).AddDate(0, 0, 1)
	h := s.wrap(route{Method: "GET", Path: "/x", Handle: func(w http.ResponseWriter, r *http.Request) error {
		return answer.JSON(w, http.StatusOK, map[string]any{"to": year10000})
	}})
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/x", nil))
	if rec.Code != http.StatusInternalServerError {
		t.Fatalf("status %d, want 500: %s", rec.Code, rec.Body)
	}
	if ct := rec.Header().Get("Content-Type"); ct != "application/problem+json" {
		t.Errorf("Content-Type %q", ct)
	}
	var p Problem
	if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil || p.Status != 500 || p.Code != "internal" {
		t.Errorf("body %q: %v", rec.Body, err)
	}
}
