package store

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/omshq/oms"
)

const (
	claimIdempotency = `
INSERT INTO idempotency_keys (api_key_id, key, method, path, request_hash, created_at)
VALUES ($1, $2, $3, $4, $5, $6)
ON CONFLICT (api_key_id, key) DO NOTHING`
	selectIdempotency = `
SELECT method, path, request_hash, status_code, content_type, response_body, created_at
FROM idempotency_keys WHERE api_key_id = $1 AND key = $2`
	retakeIdempotency = `
UPDATE idempotency_keys SET created_at = $3 WHERE api_key_id = $1 AND key = $2 AND status_code IS NULL AND created_at = $4`
	finishIdempotency = `
UPDATE idempotency_keys SET status_code = $3, content_type = $4, response_body = $5
WHERE api_key_id = $1 AND key = $2`
	abandonIdempotency = `
DELETE FROM idempotency_keys WHERE api_key_id = $1 AND key = $2 AND status_code IS NULL`
)

// IdempotentRequest identifies one POST under an Idempotency-Key.
type IdempotentRequest struct {
	APIKeyID string
	Key      string
	Method   string
	Path     string
	Hash     []byte // SHA-256 of the request body
}

// StoredResponse is the first answer given to an idempotent request.
type StoredResponse struct {
	Status      int
	ContentType string
	Body        []byte
}

// staleClaim is how long an unfinished claim blocks a retry: a process that
// died mid-request must not lock its key forever.
const staleClaim = time.Minute

// ClaimIdempotency starts an idempotent request. It returns nil, nil when the
// caller should go ahead (and later Finish or Abandon), or the stored first
// answer to replay. It returns EIDEMPOTENCY when the key was used for another
// request, and ECONFLICT while the first request is still running.
func (db *DB) ClaimIdempotency(ctx context.Context, r IdempotentRequest) (*StoredResponse, error) {
	var out *StoredResponse
	err := db.update(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, claimIdempotency, r.APIKeyID, r.Key, r.Method, r.Path, r.Hash, tx.now)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 1 {
			return nil
		}
		var method, path string
		var hash []byte
		var status sql.NullInt64
		var ctype sql.NullString
		var body []byte
		var created time.Time
		err = tx.QueryRowContext(ctx, selectIdempotency, r.APIKeyID, r.Key).
			Scan(&method, &path, &hash, &status, &ctype, &body, &created)
		if errors.Is(err, sql.ErrNoRows) {
			return errRetryClaim
		} else if err != nil {
			return err
		}
		if method != r.Method || path != r.Path || !bytes.Equal(hash, r.Hash) {
			return oms.Errorf(oms.EIDEMPOTENCY, "this Idempotency-Key was already used for a different request")
		}
		if status.Valid {
			out = &StoredResponse{Status: int(status.Int64), ContentType: ctype.String, Body: body}
			return nil
		}
		if tx.now.Sub(created) < staleClaim {
			return oms.Errorf(oms.ECONFLICT, "a request with this Idempotency-Key is still in progress; retry later")
		}
		_, err = tx.ExecContext(ctx, retakeIdempotency, r.APIKeyID, r.Key, tx.now, created)
		return err
	})
	if errors.Is(err, errRetryClaim) {
		return db.ClaimIdempotency(ctx, r)
	}
	return out, err
}

// errRetryClaim means the claim vanished between insert and read (its owner
// abandoned it); claiming again is safe.
var errRetryClaim = errors.New("store: idempotency claim vanished")

// FinishIdempotency stores the answer to replay for the key.
func (db *DB) FinishIdempotency(ctx context.Context, r IdempotentRequest, resp StoredResponse) error {
	return db.update(ctx, func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, finishIdempotency, r.APIKeyID, r.Key, resp.Status, resp.ContentType, resp.Body)
		return err
	})
}

// AbandonIdempotency forgets an unfinished claim, so that the request can be
// retried (after a fault on our side).
func (db *DB) AbandonIdempotency(ctx context.Context, r IdempotentRequest) error {
	return db.update(ctx, func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, abandonIdempotency, r.APIKeyID, r.Key)
		return err
	})
}
