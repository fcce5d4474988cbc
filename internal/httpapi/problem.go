package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
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
	body, _ := encodeJSON(p) // text and numbers: it always encodes
	w.Header().Set("Content-Type", "application/problem+json")
	w.WriteHeader(p.Status)
	w.Write(body)
}

// writeJSON answers with v as JSON. v is encoded before anything is sent,
// so that a value that cannot be encoded (a time past year 9999, say) is
// returned as an error — answered as a problem document — rather than
// breaking off an answer whose status line already went out.
func writeJSON(w http.ResponseWriter, status int, v any) error {
	body, err := encodeJSON(v)
	if err != nil {
		return fmt.Errorf("encode the answer: %w", err)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write(body) // the status is out: a client gone away cannot be told more
	return nil
}

// encodeJSON encodes v as a line of JSON, leaving <, > and & as they are.
func encodeJSON(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
