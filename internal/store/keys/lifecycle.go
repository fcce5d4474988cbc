package keys

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base64"
	"errors"
	"maps"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/store/sqldb"
	"github.com/omshq/oms/internal/store/users"
)

// The lifecycle of an API key after it is made: listed, rotated, revoked,
// and its use recorded.

const (
	apiKeyColumns = `id, name, role, prefix, created_at, last_used_at, rotated_at, previous_expires_at, channels, locations`
	selectAPIKeys = `
SELECT ` + apiKeyColumns + `, hash FROM api_keys
WHERE revoked_at IS NULL AND ($1 = '' OR id < $1) ORDER BY id DESC LIMIT $2`
	selectAPIKeyForChange = `
SELECT ` + apiKeyColumns + `, hash, revoked_at IS NOT NULL FROM api_keys WHERE id = $1`
	countOtherAdminKeys = `
SELECT COUNT(*) FROM api_keys WHERE role = 'admin' AND revoked_at IS NULL AND id <> $1`
	revokeAPIKey = `UPDATE api_keys SET revoked_at = $2 WHERE id = $1`
	rotateAPIKey = `
UPDATE api_keys SET previous_hash = hash, previous_expires_at = $2, hash = $3, prefix = $4, rotated_at = $5
WHERE id = $1`
	recordKeyUse = `
UPDATE api_keys SET last_used_at = $2 WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < $2)`
	bumpKeyRevision   = `UPDATE api_key_revision SET revision = revision + 1 WHERE id = 1`
	selectKeyRevision = `SELECT revision FROM api_key_revision WHERE id = 1`
)

// scanAPIKey scans apiKeyColumns into k, then the rest into extra.
func scanAPIKey(row sqldb.Scanner, k *oms.APIKey, extra ...any) error {
	var used, rotated, prevExpires sql.NullTime
	var channels, locations string
	dest := append([]any{&k.ID, &k.Name, &k.Role, &k.Prefix, &k.CreatedAt, &used, &rotated, &prevExpires, &channels, &locations}, extra...)
	if err := row.Scan(dest...); err != nil {
		return err
	}
	k.CreatedAt = k.CreatedAt.UTC()
	k.Channels, k.Locations = sqldb.SplitLines(channels), sqldb.SplitLines(locations)
	k.LastUsedAt, k.RotatedAt, k.PreviousExpiresAt = sqldb.UTCPtr(used), sqldb.UTCPtr(rotated), sqldb.UTCPtr(prevExpires)
	return nil
}

// ListAPIKeys returns a page of the live keys, newest first, after the key
// with id after (from the start when empty), and the id to ask for the next
// page after ("" on the last page). Secrets are never shown again; a key's
// prefix tells it apart.
func (r *Keyring) ListAPIKeys(ctx context.Context, after string, limit int) ([]oms.APIKey, string, error) {
	rows, err := r.db.Read.QueryContext(ctx, selectAPIKeys, after, limit+1)
	if err != nil {
		return nil, "", err
	}
	defer rows.Close()
	now := r.db.Now()
	var out []oms.APIKey
	for rows.Next() {
		var k oms.APIKey
		var hash []byte
		if err := scanAPIKey(rows, &k, &hash); err != nil {
			return nil, "", err
		}
		if k.PreviousExpiresAt != nil && !now.Before(*k.PreviousExpiresAt) {
			k.PreviousExpiresAt = nil // the overlap is over
		}
		out = append(out, k)
	}
	if err := rows.Err(); err != nil {
		return nil, "", err
	}
	var next string
	if len(out) > limit {
		out = out[:limit]
		next = out[limit-1].ID
	}
	return out, next, nil
}

// RevokeAPIKey revokes the key: every server refuses it within a second.
// Revoking a revoked key again does nothing. It returns ENOTFOUND for an
// unknown id and ECONFLICT for the last live admin key, so that the API
// always keeps a key that can make keys.
func (r *Keyring) RevokeAPIKey(ctx context.Context, id string, by oms.Principal) error {
	actor := by.Actor()
	err := r.db.Update(ctx, func(tx *sqldb.Tx) error {
		k, revoked, err := apiKeyForChange(ctx, tx, id)
		if err != nil || revoked {
			return err
		}
		if k.Role == oms.RoleAdmin {
			var others int
			if err := tx.QueryRowContext(ctx, countOtherAdminKeys, id).Scan(&others); err != nil {
				return err
			}
			if others == 0 {
				return oms.Errorf(oms.ECONFLICT, "%s is the last admin key: create another admin key before revoking it", id)
			}
		}
		if _, err := tx.ExecContext(ctx, revokeAPIKey, id, tx.Now()); err != nil {
			return err
		}
		return tx.AddEvent(ctx, oms.EventAPIKeyRevoked, k.ID, "", actor, eventOfKey(k, nil, nil))
	})
	if err == nil {
		r.keyWatch.invalidate()
	}
	return err
}

// RotateAPIKey gives the key a new secret, returned with the key; the
// secret is not stored and cannot be shown again. The key keeps its id,
// name and role. The secret it replaces keeps working for overlap (0 to
// oms.MaxKeyOverlap), then is refused; so is the one an earlier rotation
// replaced, at once. It returns ENOTFOUND for an unknown or revoked key
// and EINVALID for an overlap out of range.
func (r *Keyring) RotateAPIKey(ctx context.Context, id string, overlap time.Duration, by oms.Principal) (oms.APIKey, string, error) {
	actor := by.Actor()
	var k oms.APIKey
	if overlap < 0 || overlap > oms.MaxKeyOverlap {
		return k, "", oms.Invalid("expires_in_seconds", "must be from 0 to %d (7 days)", int64(oms.MaxKeyOverlap/time.Second))
	}
	secret, err := newSecret()
	if err != nil {
		return k, "", err
	}
	err = r.db.Update(ctx, func(tx *sqldb.Tx) error {
		var revoked bool
		var err error
		if k, revoked, err = apiKeyForChange(ctx, tx, id); err != nil {
			return err
		} else if revoked {
			return sqldb.NotFound("no live API key has id %q: it was revoked", id)
		}
		expires := tx.Now().Add(overlap)
		k.Prefix, k.RotatedAt, k.PreviousExpiresAt = secret[:len(keyPrefix)+6], new(tx.Now()), &expires
		if overlap == 0 {
			k.PreviousExpiresAt = nil
		}
		if _, err := tx.ExecContext(ctx, rotateAPIKey, id, expires, users.HashSecret(secret), k.Prefix, tx.Now()); err != nil {
			return err
		}
		return tx.AddEvent(ctx, oms.EventAPIKeyRotated, k.ID, "", actor,
			eventOfKey(k, nil, &expires))
	})
	if err != nil {
		return oms.APIKey{}, "", err
	}
	r.keyWatch.invalidate()
	return k, secret, nil
}

// keyEvent is what the events of a key's lifecycle say: never any part of
// a secret, not even its prefix.
type keyEvent struct {
	ID                string     `json:"id"`
	Name              string     `json:"name"`
	Role              oms.Role   `json:"role"`
	Channels          []string   `json:"channels"`
	Locations         []string   `json:"locations"`
	CreatedAt         *time.Time `json:"created_at,omitempty"`
	PreviousExpiresAt *time.Time `json:"previous_secret_expires_at,omitempty"`
}

// eventOfKey is the event data of key k: created when it was just made,
// expires when a rotation's overlap ends then.
func eventOfKey(k oms.APIKey, created, expires *time.Time) keyEvent {
	return keyEvent{ID: k.ID, Name: k.Name, Role: k.Role, Channels: nonNilStrings(k.Channels),
		Locations: nonNilStrings(k.Locations), CreatedAt: created, PreviousExpiresAt: expires}
}

// apiKeyForChange counts a change of keys (see keyGeneration) and reads the
// key with id, reporting whether it was revoked; ENOTFOUND when there is
// none. Counting first takes the revision's row lock, so that changes of
// keys are serialized: two admins revoking the last two admin keys at once
// cannot both see the other's key live.
func apiKeyForChange(ctx context.Context, tx *sqldb.Tx, id string) (oms.APIKey, bool, error) {
	var k oms.APIKey
	var revoked bool
	var hash []byte
	if _, err := tx.ExecContext(ctx, bumpKeyRevision); err != nil {
		return k, false, err
	}
	err := scanAPIKey(tx.QueryRowContext(ctx, selectAPIKeyForChange, id), &k, &hash, &revoked)
	if errors.Is(err, sql.ErrNoRows) {
		return k, false, sqldb.NotFound("no API key has id %q", id)
	}
	return k, revoked, err
}

// newSecret makes a secret: the prefix and 192 random bits.
func newSecret() (string, error) {
	raw := make([]byte, 24)
	if _, err := rand.Read(raw); err != nil {
		return "", err
	}
	return keyPrefix + base64.RawURLEncoding.EncodeToString(raw), nil
}

// keyCheckEvery is how often a server reads the revision of the keys: a key
// revoked on another server is refused here within it (and the time the
// read takes).
const keyCheckEvery = 250 * time.Millisecond

// keyWatch follows api_key_revision, which every revocation and rotation
// counts up. When it moves, the generation of the key cache moves, and
// every key cached in an older generation is read again.
type keyWatch struct {
	gen      atomic.Uint64
	checked  atomic.Int64 // when the revision was last read, in Unix nanoseconds
	mu       sync.Mutex   // held while reading the revision
	revision int64
}

// invalidate drops every cached key, after this server changed one.
func (w *keyWatch) invalidate() { w.gen.Add(1) }

// keyGeneration returns the generation of the key cache, reading the
// revision of the keys first when keyCheckEvery has passed since the last
// read. One request reads it while the others go on with the generation
// they know, so that no request waits on another's read.
func (r *Keyring) keyGeneration(ctx context.Context) (uint64, error) {
	w := &r.keyWatch
	if time.Now().UnixNano()-w.checked.Load() < int64(keyCheckEvery) || !w.mu.TryLock() {
		return w.gen.Load(), nil
	}
	defer w.mu.Unlock()
	var rev int64
	if err := r.db.Read.QueryRowContext(ctx, selectKeyRevision).Scan(&rev); err != nil {
		return 0, err
	}
	if rev != w.revision {
		w.revision = rev
		w.gen.Add(1)
	}
	w.checked.Store(time.Now().UnixNano())
	return w.gen.Load(), nil
}

// keyUseEvery is how often a server records that a key was used: at most
// once a minute per key, so that authenticating a request writes nothing.
const keyUseEvery = time.Minute

// keyUse records when keys were last used, off the request's path: a
// request that finds its key due notes it, and one goroutine writes what
// was noted.
type keyUse struct {
	noted   sync.Map // key id → time.Time of the use last recorded
	mu      sync.Mutex
	pending map[string]time.Time
	writing bool
	closed  bool
	done    sync.WaitGroup
}

// noteKeyUse notes that the key was used at now, when its last recorded use
// is keyUseEvery old, and starts the writer if it is not running.
func (r *Keyring) noteKeyUse(id string, now time.Time) {
	u := &r.keyUse
	if last, ok := u.noted.Load(id); ok && now.Sub(last.(time.Time)) < keyUseEvery {
		return
	}
	u.mu.Lock()
	defer u.mu.Unlock()
	if last, ok := u.noted.Load(id); (ok && now.Sub(last.(time.Time)) < keyUseEvery) || u.closed {
		return
	}
	u.noted.Store(id, now)
	if u.pending == nil {
		u.pending = make(map[string]time.Time)
	}
	u.pending[id] = now.UTC()
	if !u.writing {
		u.writing = true
		u.done.Add(1)
		go r.writeKeyUse()
	}
}

// writeKeyUse writes the noted uses until none is left. It is best effort:
// a use that fails to be written is not retried, and the next one a minute
// later is.
func (r *Keyring) writeKeyUse() {
	u := &r.keyUse
	defer u.done.Done()
	for {
		u.mu.Lock()
		batch := u.pending
		u.pending = nil
		if len(batch) == 0 {
			u.writing = false
			u.mu.Unlock()
			return
		}
		u.mu.Unlock()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		_ = r.db.Update(ctx, func(tx *sqldb.Tx) error {
			// In id order, so that two servers writing the same keys take
			// their row locks in the same order.
			for _, id := range slices.Sorted(maps.Keys(batch)) {
				if _, err := tx.ExecContext(ctx, recordKeyUse, id, batch[id]); err != nil {
					return err
				}
			}
			return nil
		})
		cancel()
	}
}

// close waits for the writer, and stops new ones, before the database
// closes.
func (u *keyUse) close() {
	u.mu.Lock()
	u.closed = true
	u.mu.Unlock()
	u.done.Wait()
}
