package metrics

import (
	"net/http"

	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Middleware counts and times the requests next serves, labelled by the
// route pattern that matched (r.Pattern, "GET /v1/orders/{id}"), the method
// and the status code; never by the path, which would grow a series per id.
//
// It works on either side of the router. Wrapping the http.ServeMux itself
// (Middleware(mux)) counts every request, those no route matched as
// route="unmatched"; the mux sets the pattern on the request it is given,
// which Middleware reads after it returns, so nothing between the two may
// replace the request (r.WithContext). Wrapping each route's handler inside
// the mux reads the pattern the mux has already set, and leaves out what no
// route matched.
func (m *Metrics) Middleware(next http.Handler) http.Handler {
	if m == nil {
		return next
	}
	route := promhttp.WithLabelFromRequest("route", routeLabel)
	counted := promhttp.InstrumentHandlerCounter(m.requests, next, route)
	return promhttp.InstrumentHandlerDuration(m.requestDuration, counted, route)
}

// routeLabel is the request's route pattern, or "unmatched" — also for
// the catch-all pattern "/", which a router registers to answer what no
// route matched.
func routeLabel(r *http.Request) string {
	if r.Pattern == "" || r.Pattern == "/" {
		return "unmatched"
	}
	return r.Pattern
}
