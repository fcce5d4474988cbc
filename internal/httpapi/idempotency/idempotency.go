// Package idempotency serves the API's POST requests that carry an
// Idempotency-Key: the request's effect and its answer, stored under the
// key, commit together in one unit of work, and a repeat gets the stored
// answer again.
package idempotency

import (
	"bytes"
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/omshq/oms"
)

// Route is what Serve needs of the route a request is for.
type Route struct {
	Pattern string                                             // the route's path pattern, as in the route table
	Secrets map[string]bool                                    // the JSON names of the answer's secret fields
	Handle  func(w http.ResponseWriter, r *http.Request) error // the route's handler
	// Fail answers an error as a problem document.
	Fail func(w http.ResponseWriter, r *http.Request, err error)
}

// Serve serves a POST that carries an Idempotency-Key, for the API key
// keyID: the first request with the key runs and its answer is stored; a
// repeat with the same body gets that answer again (with
// Idempotent-Replayed: true); a repeat with another body or to another
// route is refused with 422.
//
// The request runs as one unit of work (store.Unit): the key is claimed, the
// handler makes its effect and renders its answer into a buffer, and the
// answer is stored under the key, all in one transaction; only once that has
// committed is the answer sent. A server that dies anywhere before the commit
// leaves nothing — neither the effect nor the key — and the retry runs the
// request; one that dies after it leaves both, and the retry gets the first
// answer. A 5xx answer is not stored: its writes are undone and the request
// may be retried. Answers that hold a secret (fields tagged secret:"true" in
// the route's response type) are stored without it, and replayed without it.
func Serve(w http.ResponseWriter, r *http.Request, svc oms.Idempotency, keyID string, rt Route) {
	key := r.Header.Get("Idempotency-Key")
	if len(key) > 255 {
		rt.Fail(w, r, oms.Invalid("Idempotency-Key", "must be at most 255 bytes"))
		return
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			err = oms.Errorf(oms.ETOOLARGE, "the request body is over %d bytes", tooLarge.Limit)
		}
		rt.Fail(w, r, err)
		return
	}
	req := idempotentRequest(r, rt.Pattern, keyID, key, body)
	var replay *oms.StoredResponse
	var answer *buffered
	err = svc.Unit(r.Context(), func(ctx context.Context) error {
		replay, answer = nil, nil // a unit may run again
		stored, err := svc.ClaimIdempotency(ctx, req)
		if err != nil || stored != nil {
			replay = stored
			return err
		}
		rr := r.WithContext(ctx)
		rr.Body = io.NopCloser(bytes.NewReader(body))
		answer = &buffered{header: http.Header{}}
		if err := rt.Handle(answer, rr); err != nil {
			rt.Fail(answer, rr, err)
		}
		if answer.status >= 500 || answer.status == 0 {
			return errNotStored
		}
		stored, err = storedAnswer(answer, rt.Secrets)
		if err != nil {
			return err
		}
		return svc.FinishIdempotency(ctx, req, *stored)
	})
	switch {
	case errors.Is(err, errNotStored):
		answer.send(w) // the 5xx, its writes undone
	case err != nil:
		rt.Fail(w, r, err)
	case replay != nil:
		for name, v := range replay.Headers {
			w.Header().Set(name, v)
		}
		w.Header().Set("Content-Type", replay.ContentType)
		w.Header().Set("Idempotent-Replayed", "true")
		w.Header().Set("Content-Length", strconv.Itoa(len(replay.Body)))
		w.WriteHeader(replay.Status)
		w.Write(replay.Body)
	default:
		answer.send(w)
	}
}

// errNotStored ends the unit of a request answered with a 5xx: it is
// undone, and its key stays free for a retry.
var errNotStored = errors.New("idempotency: a failed request's answer is not stored")

// idempotentRequest identifies the request under its key. A path that holds
// a credential (a return link's token) is not stored: the route's pattern
// is, and the path is folded into the hash with the body.
func idempotentRequest(r *http.Request, pattern, keyID, key string, body []byte) oms.IdempotentRequest {
	path := r.URL.Path
	h := sha256.New()
	if strings.Contains(pattern, "{token}") {
		h.Write([]byte(path))
		h.Write([]byte{0})
		path = pattern
	}
	h.Write(body)
	return oms.IdempotentRequest{APIKeyID: keyID, Key: key, Method: r.Method, Path: path, Hash: h.Sum(nil)}
}

// storedAnswer is the answer as it is stored and replayed: without the
// secret fields of a success.
func storedAnswer(b *buffered, secrets map[string]bool) (*oms.StoredResponse, error) {
	body := b.body.Bytes()
	if len(secrets) > 0 && b.status < 300 {
		var err error
		if body, err = withoutFields(body, secrets); err != nil {
			return nil, fmt.Errorf("idempotency: remove the secret from the answer: %w", err)
		}
	}
	out := &oms.StoredResponse{Status: b.status, ContentType: b.header.Get("Content-Type"), Body: body}
	for _, name := range replayedHeaders {
		if v := b.header.Get(name); v != "" {
			if out.Headers == nil {
				out.Headers = make(map[string]string)
			}
			out.Headers[name] = v
		}
	}
	return out, nil
}

// replayedHeaders are the headers of an answer that its replay gives again:
// those that say what the request made (where it is, its version, what an
// ingested order's delivery did) and how to cache it.
var replayedHeaders = []string{"Location", "ETag", "Cache-Control", "OMS-Ingest-Outcome"}

// withoutFields returns the JSON object without the named members, the
// others as they were, in their order.
func withoutFields(obj []byte, names map[string]bool) ([]byte, error) {
	dec := json.NewDecoder(bytes.NewReader(obj))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return nil, errors.New("the answer is not a JSON object")
	}
	out := []byte{'{'}
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return nil, err
		}
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return nil, err
		}
		name, _ := t.(string)
		if names[name] {
			continue
		}
		if len(out) > 1 {
			out = append(out, ',')
		}
		out = strconv.AppendQuote(out, name)
		out = append(out, ':')
		out = append(out, v...)
	}
	if _, err := dec.Token(); err != nil {
		return nil, err
	}
	return append(out, "}\n"...), nil
}

// buffered keeps an answer until its unit of work has committed.
type buffered struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (b *buffered) Header() http.Header { return b.header }

func (b *buffered) WriteHeader(status int) {
	if b.status == 0 {
		b.status = status
	}
}

func (b *buffered) Write(p []byte) (int, error) {
	if b.status == 0 {
		b.status = http.StatusOK
	}
	return b.body.Write(p)
}

// send writes the answer to w.
func (b *buffered) send(w http.ResponseWriter) {
	for k, v := range b.header {
		w.Header()[k] = v
	}
	w.Header().Set("Content-Length", strconv.Itoa(b.body.Len()))
	w.WriteHeader(cmp.Or(b.status, http.StatusOK))
	w.Write(b.body.Bytes())
}
