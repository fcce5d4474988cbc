// Package users keeps the console's users and their sessions: people who
// sign in with an email and a password (argon2id), their roles and bound
// locations, sign-in throttling, and sessions with idle and absolute
// expiry. It implements oms.Users on the engine seam (sqldb).
package users

import (
	"context"
	"crypto/sha256"
	"fmt"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/store/sqldb"
)

// Accounts are the users and sessions of a database.
type Accounts struct{ db *sqldb.DB }

// New returns the accounts of db.
func New(db *sqldb.DB) *Accounts { return &Accounts{db} }

// HashSecret is the stored form of a secret (an API key, a session
// token). Secrets are 192 random bits, so a fast hash is enough: there is
// nothing to guess.
func HashSecret(secret string) []byte {
	h := sha256.Sum256([]byte(secret))
	return h[:]
}

// CheckScope returns EINVALID naming each channel or location of the
// scope that does not exist (channels[1]): the binding of a user or of an
// API key.
func CheckScope(ctx context.Context, tx *sqldb.Tx, sc oms.KeyScope) error {
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
