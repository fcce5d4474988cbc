package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"errors"
	"strings"
	"time"

	"github.com/omshq/oms"
)

const (
	insertAPIKey = `
INSERT INTO api_keys (id, name, role, prefix, hash, created_at) VALUES ($1, $2, $3, $4, $5, $6)`
	selectAPIKeyByHash = `
SELECT id, name, role, prefix, created_at FROM api_keys WHERE hash = $1 AND revoked_at IS NULL`
	countAPIKeys = `SELECT COUNT(*) FROM api_keys WHERE revoked_at IS NULL`
)

// keyPrefix starts every secret, so that a leaked key is easy to recognise
// and to scan for.
const keyPrefix = "oms_"

// CreateAPIKey makes a key with the role and returns it with its secret; the
// secret is not stored and cannot be shown again. It returns EINVALID for an
// unknown role or a bad name.
func (db *DB) CreateAPIKey(ctx context.Context, name string, role oms.Role, actor string) (oms.APIKey, string, error) {
	var p oms.Problems
	if !role.Valid() {
		p.Add("role", "must be one of admin, manager, agent, warehouse, channel")
	}
	if strings.TrimSpace(name) == "" {
		p.Add("name", "is required: at most 100 bytes")
	} else {
		oms.CheckLine(&p, "name", name, 100)
	}
	if err := p.Err(); err != nil {
		return oms.APIKey{}, "", err
	}
	raw := make([]byte, 24)
	if _, err := rand.Read(raw); err != nil {
		return oms.APIKey{}, "", err
	}
	secret := keyPrefix + base64.RawURLEncoding.EncodeToString(raw)
	k := oms.APIKey{ID: newID("key"), Name: name, Role: role, Prefix: secret[:len(keyPrefix)+6]}
	err := db.update(ctx, func(tx *Tx) error {
		k.CreatedAt = tx.now
		if _, err := tx.ExecContext(ctx, insertAPIKey, k.ID, k.Name, k.Role, k.Prefix, hashKey(secret), tx.now); err != nil {
			return err
		}
		return tx.addEvent(ctx, oms.EventAPIKeyCreated, k.ID, "", actor, k)
	})
	return k, secret, err
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
	err := db.read.QueryRowContext(ctx, selectAPIKeyByHash, hash).
		Scan(&k.ID, &k.Name, &k.Role, &k.Prefix, &k.CreatedAt)
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
