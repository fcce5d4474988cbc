package httpapi_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"

	"github.com/omshq/oms/internal/httpapi"
)

// conformance holds the served OpenAPI document's router, made once for the
// package's tests, so that every answer a test receives can be checked
// against the document: the route, the status and the body's schema.
var conformance struct {
	once   sync.Once
	router routers.Router
	err    error
}

func documentRouter() (routers.Router, error) {
	conformance.once.Do(func() {
		rec := httptest.NewRecorder()
		httpapi.New(nil, slog.New(slog.DiscardHandler)).ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/openapi.json", nil))
		doc, err := openapi3.NewLoader().LoadFromData(rec.Body.Bytes())
		if err != nil {
			conformance.err = err
			return
		}
		doc.Servers = nil // match any host: tests serve on a random port
		conformance.router, conformance.err = legacy.NewRouter(doc)
	})
	return conformance.router, conformance.err
}

// conforms checks an answer against the OpenAPI document: a route the
// document has, a status it lists for that route, and a JSON body that fits
// the status's schema. Answers with no route in the document (a 404 for an
// unknown path, a 405) are checked to be problem documents.
func conforms(t testing.TB, req *http.Request, status int, header http.Header, body []byte) {
	t.Helper()
	router, err := documentRouter()
	if err != nil {
		t.Fatalf("OpenAPI document: %v", err)
	}
	// The router splits the decoded path at its slashes: match the path as
	// sent, so that an escaped slash stays inside its segment.
	req = req.Clone(req.Context())
	req.URL.Path = req.URL.EscapedPath()
	route, params, err := router.FindRoute(req)
	if err != nil {
		if status < 400 || !strings.HasPrefix(header.Get("Content-Type"), "application/problem+json") {
			t.Errorf("%s %s: %d answered for a route the OpenAPI document does not have (%v)", req.Method, req.URL.Path, status, err)
		}
		return
	}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route},
		Status:                 status,
		Header:                 header,
		Body:                   io.NopCloser(bytes.NewReader(body)),
		Options:                &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true},
	}
	if err := openapi3filter.ValidateResponse(context.Background(), in); err != nil {
		t.Errorf("%s %s: the %d answer does not fit the OpenAPI document: %v\n%s", req.Method, req.URL.Path, status, err, clip(body))
	}
}

func clip(b []byte) []byte {
	if len(b) > 2000 {
		return append(b[:2000:2000], "…"...)
	}
	return b
}
