package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/omshq/oms"
)

const (
	insertAPIKey = `
INSERT INTO api_keys (id, name, role, prefix, hash, created_at, channels, locations) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`
	selectAPIKeyByHash = `
SELECT id, name, role, prefix, created_at, channels, locations FROM api_keys WHERE hash = $1 AND revoked_at IS NULL`
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
func (db *DB) CreateAPIKey(ctx context.Context, name string, role oms.Role, actor string, scope ...oms.KeyScope) (oms.APIKey, string, error) {
	var p oms.Problems
	if !role.Valid() {
		p.Add("role", "must be one of admin, manager, agent, warehouse, channel")
	}
	if strings.TrimSpace(name) == "" || len(name) > 100 {
		p.Add("name", "is required: at most 100 bytes")
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
	k := oms.APIKey{ID: newID("key"), Name: name, Role: role, Prefix: secret[:len(keyPrefix)+6], Channels: channels, Locations: locations}
	err := db.update(ctx, func(tx *Tx) error {
		k.CreatedAt = tx.now
		if err := tx.checkKeyScope(ctx, sc); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, insertAPIKey, k.ID, k.Name, k.Role, k.Prefix, hashKey(secret), tx.now,
			strings.Join(channels, "\n"), strings.Join(locations, "\n")); err != nil {
			return err
		}
		return tx.addEvent(ctx, oms.EventAPIKeyCreated, k.ID, "", actor, keyEvent(k))
	})
	return k, secret, err
}

// keyEvent is what the api_key.created event says of a key: no part of its
// secret, not even the prefix the list of keys shows.
func keyEvent(k oms.APIKey) map[string]any {
	return map[string]any{"id": k.ID, "name": k.Name, "role": k.Role, "channels": nonNilStrings(k.Channels),
		"locations": nonNilStrings(k.Locations), "created_at": k.CreatedAt}
}

func nonNilStrings(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// checkKeyScope returns EINVALID naming each channel or location of the
// scope that does not exist (channels[1]).
func (tx *Tx) checkKeyScope(ctx context.Context, sc oms.KeyScope) error {
	var p oms.Problems
	for _, f := range []struct {
		field, query, what string
		codes              []string
	}{
		{"channels", "SELECT COUNT(*) FROM channels WHERE code = $1", "channel", sc.Channels},
		{"locations", "SELECT COUNT(*) FROM locations WHERE code = $1", "location", sc.Locations},
	} {
		for i, code := range f.codes {
			var n int
			if err := tx.QueryRowContext(ctx, f.query, code).Scan(&n); err != nil {
				return err
			}
			if n == 0 {
				p.Add(fmt.Sprintf("%s[%d]", f.field, i), "no %s has code %q", f.what, code)
			}
		}
	}
	return p.Err()
}

// keyTTL is how long a checked key is trusted without asking the database
// again: a revoked key stops working within it.
const keyTTL = 5 * time.Second

type cachedKey struct {
	key     oms.APIKey
	expires time.Time
}

// Authenticate returns the live key whose secret this is, or EUNAUTHORIZED.
func (db *DB) Authenticate(ctx context.Context, secret string) (oms.APIKey, error) {
	var k oms.APIKey
	if !strings.HasPrefix(secret, keyPrefix) || len(secret) > 100 {
		return k, oms.Errorf(oms.EUNAUTHORIZED, "the API key is not valid")
	}
	hash := hashKey(secret)
	if c, ok := db.cache.keys.Load(string(hash)); ok && time.Now().Before(c.(cachedKey).expires) {
		return c.(cachedKey).key, nil
	}
	var channels, locations string
	err := db.read.QueryRowContext(ctx, selectAPIKeyByHash, hash).
		Scan(&k.ID, &k.Name, &k.Role, &k.Prefix, &k.CreatedAt, &channels, &locations)
	k.Channels, k.Locations = splitLines(channels), splitLines(locations)
	if errors.Is(err, sql.ErrNoRows) {
		return k, oms.Errorf(oms.EUNAUTHORIZED, "the API key is not valid")
	} else if err != nil {
		return k, err
	}
	db.cache.keys.Store(string(hash), cachedKey{key: k, expires: time.Now().Add(keyTTL)})
	return k, nil
}

// CountAPIKeys returns how many live keys exist.
func (db *DB) CountAPIKeys(ctx context.Context) (int, error) {
	var n int
	err := db.read.QueryRowContext(ctx, countAPIKeys).Scan(&n)
	return n, err
}

// hashKey is the stored form of a secret. Secrets are 192 random bits, so a
// fast hash is enough: there is nothing to guess.
func hashKey(secret string) []byte {
	h := sha256.Sum256([]byte(secret))
	return h[:]
}
