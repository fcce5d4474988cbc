package answer

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/omshq/oms"
)

// Each error code answers with its status; an internal error's text, or an
// error that is no oms.Error, never reaches the client.
func TestProblemFor(t *testing.T) {
	tests := []struct {
		err    error
		status int
		code   string
	}{
		{oms.Invalid("sku", "is required"), http.StatusBadRequest, oms.EINVALID},
		{oms.Errorf(oms.ENOTFOUND, "no order 7"), http.StatusNotFound, oms.ENOTFOUND},
		{oms.Errorf(oms.EOUTOFSTOCK, "short"), http.StatusConflict, oms.EOUTOFSTOCK},
		{oms.Errorf(oms.EVERSION, "send If-Match"), http.StatusPreconditionRequired, oms.EVERSION},
		{errors.New("pq: secret detail"), http.StatusInternalServerError, oms.EINTERNAL},
	}
	for _, tt := range tests {
		p := ProblemFor(tt.err)
		if p.Status != tt.status || p.Code != tt.code || p.Type != "urn:oms:problem:"+tt.code {
			t.Errorf("%v: %d %s %s, want %d %s", tt.err, p.Status, p.Code, p.Type, tt.status, tt.code)
		}
		if strings.Contains(p.Detail, "secret detail") {
			t.Errorf("%v: the detail shows the internal error: %q", tt.err, p.Detail)
		}
	}
	if p := ProblemFor(oms.Invalid("sku", "is required")); len(p.Errors) != 1 || p.Errors[0].Field != "sku" {
		t.Errorf("errors = %+v, want sku", p.Errors)
	}
}

// A 401 says how to authenticate, as a problem document.
func TestWriteProblem(t *testing.T) {
	rec := httptest.NewRecorder()
	WriteProblem(rec, ProblemFor(oms.Errorf(oms.EUNAUTHORIZED, "no key")))
	if rec.Code != http.StatusUnauthorized || rec.Header().Get("WWW-Authenticate") != `Bearer realm="oms"` ||
		rec.Header().Get("Content-Type") != "application/problem+json" || !strings.Contains(rec.Body.String(), `"code":"unauthorized"`) {
		t.Errorf("%d %v %s", rec.Code, rec.Header(), rec.Body)
	}
}
