package cli

import (
	"net/http"
	"strings"
)

// withConsole serves the API's paths — /v1 and below, /healthz,
// /openapi.json — from api, and every other path from the console.
func withConsole(api, console http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := r.URL.Path
		if p == "/v1" || strings.HasPrefix(p, "/v1/") || p == "/healthz" || p == "/openapi.json" {
			api.ServeHTTP(w, r)
			return
		}
		console.ServeHTTP(w, r)
	})
}
