// Package accesslog writes the API's access log: a line per request with
// its method, path, route, status, latency, bytes written, request id and
// the API key's id — never a secret, a return link's token or the query
// string. It also gives each request its id (X-Request-Id).
package accesslog

import (
	"context"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/oklog/ulid/v2"

	"github.com/omshq/oms/internal/store"
)

// requestIDHeader names the request's id, taken from the client when sane
// and answered always.
const requestIDHeader = "X-Request-Id"

// maxRequestID bounds the length of a request id taken from a client.
const maxRequestID = 128

// requestID is the client's request id when it is sane — 1 to 128 of the
// characters A–Z, a–z, 0–9 and - _ . : — else a new one ("req_" and a
// ULID), so that a log line or an event never carries what a client
// smuggled into it (line breaks, markup).
func requestID(sent string) string {
	if sent != "" && len(sent) <= maxRequestID && strings.IndexFunc(sent, func(c rune) bool {
		return !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.' || c == ':')
	}) < 0 {
		return sent
	}
	return "req_" + ulid.Make().String()
}

// Entry is what the access log records of a request beyond what the
// response shows, filled in while it is served.
type Entry struct {
	Key  string // the id of the API key that authenticated it
	Code string // the problem code of an error answer
	Err  error  // the internal error behind a 5xx answer
}

type entryKey struct{}

// EntryOf returns the request's access log entry, or nil outside Serve.
func EntryOf(r *http.Request) *Entry {
	e, _ := r.Context().Value(entryKey{}).(*Entry)
	return e
}

// Serve serves the request with next and writes its access log line to log: method,
// path, route, status, latency, bytes written and the API key's id — never
// the secret, nor a return link's token, nor the query string, which may
// hold a customer's email.
// Errors (5xx) are logged at error level with the internal error, client
// errors (4xx) at debug level, everything else at info.
func Serve(log *slog.Logger, w http.ResponseWriter, r *http.Request, next http.Handler) {
	start := time.Now()
	entry := &Entry{}
	sw := &statusWriter{ResponseWriter: w}
	id := requestID(r.Header.Get(requestIDHeader))
	w.Header().Set(requestIDHeader, id)
	ctx := store.WithRequestID(context.WithValue(r.Context(), entryKey{}, entry), id)
	r = r.WithContext(ctx)
	next.ServeHTTP(sw, r)
	status := sw.status
	if status == 0 {
		status = http.StatusOK // nothing written: net/http answers 200
	}
	level := slog.LevelInfo
	switch {
	case status >= 500:
		level = slog.LevelError
	case status >= 400:
		level = slog.LevelDebug
	}
	if !log.Enabled(r.Context(), level) {
		return
	}
	attrs := []slog.Attr{slog.String("method", r.Method), slog.String("path", Path(r)),
		slog.String("route", r.Pattern), slog.Int("status", status), slog.Duration("latency", time.Since(start)),
		slog.Int64("bytes", sw.bytes), slog.String("request_id", id)}
	if entry.Key != "" {
		attrs = append(attrs, slog.String("key", entry.Key))
	}
	if entry.Code != "" {
		attrs = append(attrs, slog.String("code", entry.Code))
	}
	if entry.Err != nil {
		attrs = append(attrs, slog.Any("error", entry.Err))
	}
	log.LogAttrs(r.Context(), level, "request", attrs...)
}

// statusWriter passes a response through, keeping its status and counting
// the bytes of its body.
type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (w *statusWriter) WriteHeader(status int) {
	if w.status == 0 {
		w.status = status
	}
	w.ResponseWriter.WriteHeader(status)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += int64(n)
	return n, err
}

// Flush sends what is buffered, for a handler that streams.
func (w *statusWriter) Flush() {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// Unwrap lets http.ResponseController reach the connection's writer.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// portalPaths start the paths of the return portal, the API's and the
// console's page, whose next segment is a return link's token: a
// credential.
var portalPaths = []string{"/v1/return-portal/", "/return/"}

// Path is the request's path as logs show it: with a return link's
// token left out, whether or not the path names a route.
func Path(r *http.Request) string {
	for _, portal := range portalPaths {
		rest, ok := strings.CutPrefix(r.URL.Path, portal)
		if !ok {
			continue
		}
		if _, tail, more := strings.Cut(rest, "/"); more {
			return portal + "{token}/" + tail
		}
		return portal + "{token}"
	}
	return r.URL.Path
}
