package httpapi

import (
	"log/slog"
	"net/http"

	"github.com/omshq/oms/internal/httpapi/accesslog"
	"github.com/omshq/oms/internal/httpapi/answer"
)

// Problem is an RFC 9457 problem document (see answer.Problem).
type Problem = answer.Problem

// writeError answers with the problem document for err. The access log
// line records its code and, for an internal error, its details.
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	p := answer.ProblemFor(err)
	if e := accesslog.EntryOf(r); e != nil {
		e.Code = p.Code
		if p.Status >= 500 {
			e.Err = err
		}
	} else if p.Status >= 500 {
		s.log.ErrorContext(r.Context(), "request failed", slog.String("method", r.Method),
			slog.String("path", accesslog.Path(r)), slog.Any("error", err))
	}
	answer.WriteProblem(w, p)
}
