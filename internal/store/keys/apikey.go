package keys

import (
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base64"
	"errors"
	"strings"
	"time"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/store/sqldb"
	"github.com/omshq/oms/internal/store/users"
)

const (
	insertAPIKey = `
INSERT INTO api_keys (id, name, role, prefix, hash, created_at, channels, locations) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`
	// A secret is the key's current one (hash) or the one its last rotation
	// replaced (previous_hash), which works until previous_expires_at.
	selectAPIKeyByHash = `
SELECT ` + apiKeyColumns + `, hash FROM api_keys WHERE (hash = $1 OR previous_hash = $1) AND revoked_at IS NULL`
	countAPIKeys = `SELECT COUNT(*) FROM api_keys WHERE revoked_at IS NULL`
)

// keyPrefix starts every secret, so that a leaked key is easy to recognise
// and to scan for.
const keyPrefix = "oms_"

// CreateAPIKey makes a key with the role and returns it with its secret; the
// secret is not stored and cannot be shown again. A channel key is bound to
// the channels of scope (one or more), a warehouse key may be bound to
// locations (see oms.CheckKeyScope). It returns EINVALID for an unknown
// role, a bad name, or a scope that is missing, not the role's or names a
// channel or location that does not exist.
func (r *Keyring) CreateAPIKey(ctx context.Context, name string, role oms.Role, by oms.Principal, scope ...oms.KeyScope) (oms.APIKey, string, error) {
	actor := by.Actor()
	var p oms.Problems
	if !role.Valid() {
		p.Add("role", "must be one of admin, manager, agent, warehouse, channel")
	}
	if strings.TrimSpace(name) == "" {
		p.Add("name", "is required: at most 100 bytes")
	} else {
		oms.CheckLine(&p, "name", name, 100)
	}
	var sc oms.KeyScope
	for _, s := range scope {
		sc.Channels, sc.Locations = append(sc.Channels, s.Channels...), append(sc.Locations, s.Locations...)
	}
	channels, locations := oms.CheckKeyScope(&p, role, sc.Channels, sc.Locations)
	if err := p.Err(); err != nil {
		return oms.APIKey{}, "", err
	}
	raw := make([]byte, 24)
	if _, err := rand.Read(raw); err != nil {
		return oms.APIKey{}, "", err
	}
	secret := keyPrefix + base64.RawURLEncoding.EncodeToString(raw)
	k := oms.APIKey{ID: sqldb.NewID("key"), Name: name, Role: role, Prefix: secret[:len(keyPrefix)+6], Channels: channels, Locations: locations}
	err := r.db.Update(ctx, func(tx *sqldb.Tx) error {
		k.CreatedAt = tx.Now()
		if err := users.CheckScope(ctx, tx, sc); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, insertAPIKey, k.ID, k.Name, k.Role, k.Prefix, users.HashSecret(secret), tx.Now(),
			strings.Join(channels, "\n"), strings.Join(locations, "\n")); err != nil {
			return err
		}
		return tx.AddEvent(ctx, oms.EventAPIKeyCreated, k.ID, "", actor, eventOfKey(k, &k.CreatedAt, nil))
	})
	return k, secret, err
}

func nonNilStrings(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// keyTTL is how long a checked key is trusted without asking the database
// again. A revoked or rotated key is dropped sooner: every server drops its
// cached keys within keyCheckEvery of any revocation or rotation (see
// keyGeneration).
const keyTTL = time.Minute

type cachedKey struct {
	key     oms.APIKey
	gen     uint64    // the generation of the cache it was read in
	expires time.Time // of the entry, by the process's clock
	until   time.Time // of a rotated-out secret, by the store's clock; zero for a current one
}

// Authenticate returns the live key whose secret this is, or EUNAUTHORIZED:
// the key's current secret, or the one its last rotation replaced until
// that one's overlap ends.
func (r *Keyring) Authenticate(ctx context.Context, secret string) (oms.APIKey, error) {
	var k oms.APIKey
	if !strings.HasPrefix(secret, keyPrefix) || len(secret) > 100 {
		return k, oms.Errorf(oms.EUNAUTHORIZED, "the API key is not valid")
	}
	// The generation is read before the key, so that a key read before a
	// revocation is never kept in a generation that follows it.
	gen, err := r.keyGeneration(ctx)
	if err != nil {
		return k, err
	}
	hash := users.HashSecret(secret)
	now := r.db.Now()
	if v, ok := r.keys.Load(string(hash)); ok {
		c := v.(cachedKey)
		if c.gen == gen && time.Now().Before(c.expires) && (c.until.IsZero() || now.Before(c.until)) {
			r.noteKeyUse(c.key.ID, now)
			return c.key, nil
		}
	}
	var current []byte
	row := r.db.Read.QueryRowContext(ctx, selectAPIKeyByHash, hash)
	if err := scanAPIKey(row, &k, &current); errors.Is(err, sql.ErrNoRows) {
		return k, oms.Errorf(oms.EUNAUTHORIZED, "the API key is not valid")
	} else if err != nil {
		return k, err
	}
	c := cachedKey{key: k, gen: gen, expires: time.Now().Add(keyTTL)}
	if !bytes.Equal(current, hash) {
		if k.PreviousExpiresAt == nil || !now.Before(*k.PreviousExpiresAt) {
			return oms.APIKey{}, oms.Errorf(oms.EUNAUTHORIZED, "the API key has expired: it was rotated")
		}
		c.until = *k.PreviousExpiresAt
	}
	r.keys.Store(string(hash), c)
	r.noteKeyUse(k.ID, now)
	return k, nil
}

// CountAPIKeys returns how many live keys exist.
func (r *Keyring) CountAPIKeys(ctx context.Context) (int, error) {
	var n int
	err := r.db.Read.QueryRowContext(ctx, countAPIKeys).Scan(&n)
	return n, err
}
