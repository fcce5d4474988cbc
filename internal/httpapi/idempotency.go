package httpapi

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strconv"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/store"
)

// idempotent serves a POST that carries an Idempotency-Key: the first request
// with the key runs and its answer is stored; a repeat with the same body gets
// that answer again (with Idempotent-Replayed: true); a repeat with another
// body or to another route is refused with 422.
func (s *Server) idempotent(w http.ResponseWriter, r *http.Request, rt route) {
	key := r.Header.Get("Idempotency-Key")
	if len(key) > 255 {
		s.writeError(w, r, oms.Invalid("Idempotency-Key", "must be at most 255 bytes"))
		return
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			err = oms.Errorf(oms.ETOOLARGE, "the request body is over %d bytes", tooLarge.Limit)
		}
		s.writeError(w, r, err)
		return
	}
	sum := sha256.Sum256(body)
	req := store.IdempotentRequest{APIKeyID: principal(r).ID, Key: key, Method: r.Method, Path: r.URL.Path, Hash: sum[:]}
	stored, err := s.db.ClaimIdempotency(r.Context(), req)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if stored != nil {
		w.Header().Set("Content-Type", stored.ContentType)
		w.Header().Set("Idempotent-Replayed", "true")
		w.Header().Set("Content-Length", strconv.Itoa(len(stored.Body)))
		w.WriteHeader(stored.Status)
		w.Write(stored.Body)
		return
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	rec := &recorder{ResponseWriter: w}
	if err := rt.handle(rec, r); err != nil {
		s.writeError(rec, r, err)
	}
	// The client may have gone; the answer must still be stored or released.
	ctx := context.WithoutCancel(r.Context())
	if rec.status >= 500 || rec.status == 0 {
		err = s.db.AbandonIdempotency(ctx, req)
	} else {
		err = s.db.FinishIdempotency(ctx, req, store.StoredResponse{Status: rec.status,
			ContentType: rec.Header().Get("Content-Type"), Body: rec.body.Bytes()})
	}
	if err != nil {
		s.log.ErrorContext(ctx, "idempotency record not saved", slog.String("key", key), slog.Any("error", err))
	}
}

// recorder passes a response through while keeping a copy.
type recorder struct {
	http.ResponseWriter
	status int
	body   bytes.Buffer
}

func (r *recorder) WriteHeader(status int) {
	if r.status == 0 {
		r.status = status
	}
	r.ResponseWriter.WriteHeader(status)
}

func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	r.body.Write(b)
	return r.ResponseWriter.Write(b)
}
