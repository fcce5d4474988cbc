package handle

import (
	"context"
	"net/http"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/httpapi/openapi"
)

// Func is a handler of the API: it answers the request, or returns the
// error the API answers with as a problem document.
type Func func(w http.ResponseWriter, r *http.Request) error

// Route is one route of the API: method, path, the permission it needs,
// its handler, and its operation — what it takes and answers, and what
// the OpenAPI document says of it. The OpenAPI document is generated from
// the routes, so it lists every route there is.
type Route struct {
	Method, Path string
	Perm         oms.Permission  // empty: no authentication
	Summary      string          // one line, for the OpenAPI document
	Doc          string          // a longer description, for the OpenAPI document
	Request      any             // the body's type, for the OpenAPI document
	Response     any             // the success body's type
	Status       []int           // success statuses
	Query        []openapi.Param // query parameters
	BodyLimit    int64           // the largest body taken; decode.MaxBody when 0
	IfMatch      openapi.Guard   // whether the route takes If-Match
	CSV          bool            // whether the route also answers CSV, to Accept: text/csv
	Handle       Func
}

type keyOf struct{}

// WithKey returns the request carrying key, the API key that authenticated
// it, for Key and Viewer.
func WithKey(r *http.Request, key oms.APIKey) *http.Request {
	return r.WithContext(context.WithValue(r.Context(), keyOf{}, key))
}

// Key returns the API key that authenticated the request; the zero key
// when the route needs none.
func Key(r *http.Request) oms.APIKey {
	k, _ := r.Context().Value(keyOf{}).(oms.APIKey)
	return k
}

// Viewer returns who makes the request; the zero Principal when no key
// was needed.
func Viewer(r *http.Request) oms.Principal { return Key(r).Principal() }
