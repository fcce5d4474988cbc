package httpapi

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"

	"github.com/omshq/oms"
)

// Problem is an RFC 9457 problem document.
type Problem struct {
	Type   string           `json:"type"`
	Title  string           `json:"title"`
	Status int              `json:"status"`
	Detail string           `json:"detail"`
	Code   string           `json:"code"`
	Errors []oms.FieldError `json:"errors,omitempty"`
	Short  []oms.Shortage   `json:"short,omitempty"`
}

// codes maps each error code to its HTTP status and title.
var codes = map[string]struct {
	status int
	title  string
}{
	oms.EINVALID:      {http.StatusBadRequest, "Invalid request"},
	oms.ENOTFOUND:     {http.StatusNotFound, "Not found"},
	oms.ECONFLICT:     {http.StatusConflict, "Conflict"},
	oms.EOUTOFSTOCK:   {http.StatusConflict, "Out of stock"},
	oms.EUNAUTHORIZED: {http.StatusUnauthorized, "Unauthorized"},
	oms.EFORBIDDEN:    {http.StatusForbidden, "Forbidden"},
	oms.ETOOLARGE:     {http.StatusRequestEntityTooLarge, "Request too large"},
	oms.EIDEMPOTENCY:  {http.StatusUnprocessableEntity, "Idempotency-Key reused"},
	oms.ESTALE:        {http.StatusPreconditionFailed, "Precondition failed"},
	oms.EVERSION:      {http.StatusPreconditionRequired, "Precondition required"},
	oms.EINTERNAL:     {http.StatusInternalServerError, "Internal error"},
}

// problemFor builds the problem document for err. Internal errors get a
// generic detail; their text never reaches the client.
func problemFor(err error) Problem {
	code := oms.ErrorCode(err)
	c, ok := codes[code]
	if !ok {
		code, c = oms.EINTERNAL, codes[oms.EINTERNAL]
	}
	p := Problem{Type: "urn:oms:problem:" + code, Title: c.title, Status: c.status, Code: code,
		Detail: oms.ErrorMessage(err)}
	var e *oms.Error
	if errors.As(err, &e) {
		p.Errors, p.Short = e.Fields, e.Short
	}
	return p
}

// writeError answers with the problem document for err. The access log
// line records its code and, for an internal error, its details.
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	p := problemFor(err)
	if e := entryOf(r); e != nil {
		e.code = p.Code
		if p.Status >= 500 {
			e.err = err
		}
	} else if p.Status >= 500 {
		s.log.ErrorContext(r.Context(), "request failed", slog.String("method", r.Method),
			slog.String("path", loggedPath(r)), slog.Any("error", err))
	}
	if p.Status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="oms"`)
	}
	w.Header().Set("Content-Type", "application/problem+json")
	w.WriteHeader(p.Status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.Encode(p)
}

// writeJSON answers with v as JSON.
func writeJSON(w http.ResponseWriter, status int, v any) error {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}
