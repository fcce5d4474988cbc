package answer

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"slices"

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

// ProblemFor builds the problem document for err. Internal errors get a
// generic detail; their text never reaches the client.
func ProblemFor(err error) Problem {
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

// JSON answers with v as JSON. v is encoded before anything is sent,
// so that a value that cannot be encoded (a time past year 9999, say) is
// returned as an error — answered as a problem document — rather than
// breaking off an answer whose status line already went out.
func JSON(w http.ResponseWriter, status int, v any) error {
	body, err := encode(v)
	if err != nil {
		return fmt.Errorf("encode the answer: %w", err)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write(body) // the status is out: a client gone away cannot be told more
	return nil
}

// WriteProblem answers with the problem document p; a 401 says how to
// authenticate.
func WriteProblem(w http.ResponseWriter, p Problem) {
	if p.Status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="oms"`)
	}
	body, _ := encode(p) // text and numbers: it always encodes
	w.Header().Set("Content-Type", "application/problem+json")
	w.WriteHeader(p.Status)
	w.Write(body)
}

// Codes returns the error codes a problem document may carry, sorted.
func Codes() []string { return slices.Sorted(maps.Keys(codes)) }

// encode encodes v as a line of JSON, leaving <, > and & as they are.
func encode(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
