// Package idempotency keeps the answers of requests sent with an
// Idempotency-Key: a claim made in the request's unit of work, which
// commits with the request's effect and its answer or not at all, and the
// expiry of old keys. It implements oms.Idempotency on the engine seam
// (sqldb).
package idempotency

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/store/sqldb"
)

const (
	// claimIdempotency claims the key: a new row, or the row of a key that
	// expired ($7) or of a claim left unfinished by an older oms, which
	// committed its claim before the effect ($8).
	claimIdempotency = `
INSERT INTO idempotency_keys (api_key_id, key, method, path, request_hash, created_at)
VALUES ($1, $2, $3, $4, $5, $6)
ON CONFLICT (api_key_id, key) DO UPDATE SET method = excluded.method, path = excluded.path,
    request_hash = excluded.request_hash, status_code = NULL, content_type = NULL, response_body = NULL,
    response_headers = NULL, created_at = excluded.created_at
WHERE idempotency_keys.created_at <= $7 OR (idempotency_keys.status_code IS NULL AND idempotency_keys.created_at <= $8)`
	selectIdempotency = `
SELECT method, path, request_hash, status_code, content_type, response_body, response_headers
FROM idempotency_keys WHERE api_key_id = $1 AND key = $2`
	finishIdempotency = `
UPDATE idempotency_keys SET status_code = $3, content_type = $4, response_body = $5, response_headers = $6
WHERE api_key_id = $1 AND key = $2`
	// expireIdempotency deletes a few expired keys; on PostgreSQL it skips
	// those another server is deleting (%s).
	expireIdempotency = `
DELETE FROM idempotency_keys WHERE (api_key_id, key) IN (
    SELECT api_key_id, key FROM idempotency_keys WHERE created_at <= $1 LIMIT $2%s)`
)

// Answers are the idempotent requests' claims and answers of a database.
type Answers struct{ db *sqldb.DB }

// New returns the idempotent answers of db.
func New(db *sqldb.DB) *Answers { return &Answers{db} }

// staleClaim is how long a claim without an answer — which only an older
// oms, committing the claim before the effect, leaves — blocks a retry.
const staleClaim = time.Minute

// ClaimIdempotency starts an idempotent request: in a unit of work (see
// sqldb.DB.Unit), where the claim commits with the request's effect and
// its answer (FinishIdempotency), or not at all. It returns nil, nil when the caller
// should go ahead, or the stored first answer to replay. On PostgreSQL a
// claim waits for a unit holding the same key to end. It returns
// EIDEMPOTENCY when the key was used for another request, and ECONFLICT
// while a claim an older oms left unfinished is under a minute old.
func (a *Answers) ClaimIdempotency(ctx context.Context, r oms.IdempotentRequest) (*oms.StoredResponse, error) {
	var out *oms.StoredResponse
	claimed := false
	err := a.db.Update(ctx, func(tx *sqldb.Tx) error {
		res, err := tx.ExecContext(ctx, claimIdempotency, r.APIKeyID, r.Key, r.Method, r.Path, r.Hash, tx.Now(),
			tx.Now().Add(-oms.IdempotencyTTL), tx.Now().Add(-staleClaim))
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 1 {
			claimed = true
			return nil
		}
		var method, path string
		var hash []byte
		var status sql.NullInt64
		var ctype sql.NullString
		var body []byte
		var headers sql.NullString
		err = tx.QueryRowContext(ctx, selectIdempotency, r.APIKeyID, r.Key).
			Scan(&method, &path, &hash, &status, &ctype, &body, &headers)
		if err != nil {
			return err
		}
		if method != r.Method || path != r.Path || !bytes.Equal(hash, r.Hash) {
			return oms.Errorf(oms.EIDEMPOTENCY, "this Idempotency-Key was already used for a different request")
		}
		if !status.Valid {
			return oms.Errorf(oms.ECONFLICT, "a request with this Idempotency-Key is still in progress; retry later")
		}
		out = &oms.StoredResponse{Status: int(status.Int64), ContentType: ctype.String, Body: body}
		if headers.Valid {
			if err := json.Unmarshal([]byte(headers.String), &out.Headers); err != nil {
				return fmt.Errorf("idempotency: stored headers: %w", err)
			}
		}
		return nil
	})
	if err == nil && claimed {
		err = a.db.Fault(ctx, sqldb.StepClaimed)
	}
	return out, err
}

// FinishIdempotency stores the answer to replay for the key, in the unit
// of work that claimed it. The answer must hold no secret: it is stored as
// given.
func (a *Answers) FinishIdempotency(ctx context.Context, r oms.IdempotentRequest, resp oms.StoredResponse) error {
	if err := a.db.Fault(ctx, sqldb.StepEffect); err != nil {
		return err
	}
	var headers any // NULL for none
	if len(resp.Headers) > 0 {
		b, err := json.Marshal(resp.Headers)
		if err != nil {
			return err
		}
		headers = string(b)
	}
	return a.db.Update(ctx, func(tx *sqldb.Tx) error {
		res, err := tx.ExecContext(ctx, finishIdempotency, r.APIKeyID, r.Key, resp.Status, resp.ContentType, resp.Body, headers)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return errors.New("store: the idempotency key to finish is not claimed")
		}
		return nil
	})
}

// expireBatch is how many expired keys one transaction deletes: small, so
// that the sweep never holds the writer (or many rows' locks) for long.
const expireBatch = 500

// ExpireIdempotencyKeys deletes the keys older than oms.IdempotencyTTL, a few
// hundred per transaction, and returns how many it deleted. Every server
// may run it at once: on PostgreSQL each skips the rows another is
// deleting.
func (a *Answers) ExpireIdempotencyKeys(ctx context.Context) (int, error) {
	skip := ""
	if a.db.Engine.Name == "postgres" {
		skip = " FOR UPDATE SKIP LOCKED"
	}
	q := fmt.Sprintf(expireIdempotency, skip)
	total := 0
	for {
		var n int64
		err := a.db.Update(ctx, func(tx *sqldb.Tx) error {
			res, err := tx.ExecContext(ctx, q, tx.Now().Add(-oms.IdempotencyTTL), expireBatch)
			if err != nil {
				return err
			}
			n, err = res.RowsAffected()
			return err
		})
		total += int(n)
		if err != nil || n < expireBatch {
			return total, err
		}
	}
}
