package httpapi

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

// logEntry is what the access log records of a request beyond what the
// response shows, filled in while it is served.
type logEntry struct {
	key  string // the id of the API key that authenticated it
	code string // the problem code of an error answer
	err  error  // the internal error behind a 5xx answer
}

type logEntryKey struct{}

// entryOf returns the request's access log entry, or nil outside ServeHTTP.
func entryOf(r *http.Request) *logEntry {
	e, _ := r.Context().Value(logEntryKey{}).(*logEntry)
	return e
}

// serveLogged serves the request and writes its access log line: method,
// path, route, status, latency, bytes written and the API key's id — never
// the secret, nor a return link's token, nor the query string, which may
// hold a customer's email.
// Errors (5xx) are logged at error level with the internal error, client
// errors (4xx) at debug level, everything else at info.
func (s *Server) serveLogged(w http.ResponseWriter, r *http.Request, next http.Handler) {
	start := time.Now()
	entry := &logEntry{}
	sw := &statusWriter{ResponseWriter: w}
	id := requestID(r.Header.Get(requestIDHeader))
	w.Header().Set(requestIDHeader, id)
	ctx := store.WithRequestID(context.WithValue(r.Context(), logEntryKey{}, entry), id)
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
	if !s.log.Enabled(r.Context(), level) {
		return
	}
	attrs := []slog.Attr{slog.String("method", r.Method), slog.String("path", loggedPath(r)),
		slog.String("route", r.Pattern), slog.Int("status", status), slog.Duration("latency", time.Since(start)),
		slog.Int64("bytes", sw.bytes), slog.String("request_id", id)}
	if entry.key != "" {
		attrs = append(attrs, slog.String("key", entry.key))
	}
	if entry.code != "" {
		attrs = append(attrs, slog.String("code", entry.code))
	}
	if entry.err != nil {
		attrs = append(attrs, slog.Any("error", entry.err))
	}
	s.log.LogAttrs(r.Context(), level, "request", attrs...)
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

// portalPath starts the paths of the return portal, whose next segment is a
// return link's token: a credential.
const portalPath = "/v1/return-portal/"

// loggedPath is the request's path as logs show it: with a return link's
// token left out, whether or not the path names a route.
func loggedPath(r *http.Request) string {
	rest, ok := strings.CutPrefix(r.URL.Path, portalPath)
	if !ok {
		return r.URL.Path
	}
	if _, tail, more := strings.Cut(rest, "/"); more {
		return portalPath + "{token}/" + tail
	}
	return portalPath + "{token}"
}
