package httpapi

import (
	"log/slog"
	"net/http"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/httpapi/answer"
)

// readiness is the answer of GET /readyz.
type readiness struct {
	Status string `json:"status"`   // ok or unavailable
	DB     string `json:"database"` // sqlite or postgres
	// PendingMigrations counts the schema migrations this oms knows that
	// the database lacks (0 when ready); absent when the database did not
	// answer.
	PendingMigrations *int `json:"pending_migrations,omitempty"`
	// Reason says why the server is not ready.
	Reason string `json:"reason,omitempty"`
}

// ready answers 200 when the database answers and its schema is current,
// else 503, so that a load balancer sends requests only to a server that
// can serve them.
func (s *Server) ready(w http.ResponseWriter, r *http.Request) error {
	n, err := s.db.PendingMigrations(r.Context())
	if err != nil {
		s.log.ErrorContext(r.Context(), "readiness check failed", slog.Any("error", err))
		return answer.JSON(w, http.StatusServiceUnavailable, readiness{Status: "unavailable", DB: s.db.Engine(), Reason: "the database does not answer"})
	}
	if n > 0 {
		return answer.JSON(w, http.StatusServiceUnavailable, readiness{Status: "unavailable", DB: s.db.Engine(), PendingMigrations: &n,
			Reason: "the database schema is not current: run oms migrate, or start a server that migrates it"})
	}
	for _, c := range s.readyChecks {
		if err := c.check(r.Context()); err != nil {
			s.log.WarnContext(r.Context(), "not ready", slog.String("reason", c.reason), slog.Any("error", err))
			return answer.JSON(w, http.StatusServiceUnavailable, readiness{Status: "unavailable", DB: s.db.Engine(), PendingMigrations: &n, Reason: c.reason})
		}
	}
	return answer.JSON(w, http.StatusOK, readiness{Status: "ok", DB: s.db.Engine(), PendingMigrations: &n})
}

// metricsText marks a route whose answer is the Prometheus text format,
// for the OpenAPI document.
type metricsText struct{}

func (s *Server) serveMetrics(w http.ResponseWriter, r *http.Request) error {
	if s.metrics == nil || !s.metricsHere {
		return oms.Errorf(oms.ENOTFOUND, "metrics are not served on this address")
	}
	s.metrics.Handler().ServeHTTP(w, r)
	return nil
}
