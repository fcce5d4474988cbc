package users

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base64"
	"errors"
	"strings"
	"time"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/store/sqldb"
)

// errBadSignIn is the one answer to an unknown email, a wrong password and
// a disabled user, so that none tells which.
var errBadSignIn = &oms.Error{Code: oms.EUNAUTHORIZED, Message: "the email or the password is not right"}

const (
	insertSession = `
INSERT INTO user_sessions (token_hash, user_id, csrf_secret, created_at, last_seen_at, idle_expires_at, expires_at)
VALUES ($1, $2, $3, $4, $4, $5, $6)`
	selectSession = `
SELECT u.id, u.email, u.name, u.role, u.locations, u.created_at, u.disabled_at,
       s.csrf_secret, s.created_at, s.last_seen_at, s.idle_expires_at, s.expires_at
FROM user_sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1`
	touchSession      = `UPDATE user_sessions SET last_seen_at = $2, idle_expires_at = $3 WHERE token_hash = $1`
	deleteSession     = `DELETE FROM user_sessions WHERE token_hash = $1`
	deleteUserSession = `DELETE FROM user_sessions WHERE user_id = $1`
	deleteOldSessions = `DELETE FROM user_sessions WHERE idle_expires_at <= $1 OR expires_at <= $1`
	insertAttempt     = `INSERT INTO login_attempts (id, email, address, attempted_at) VALUES ($1, $2, $3, $4)`
	countByEmail      = `SELECT COUNT(*) FROM login_attempts WHERE email = $1 AND attempted_at > $2`
	countByAddress    = `SELECT COUNT(*) FROM login_attempts WHERE address = $1 AND attempted_at > $2`
	clearAttempts     = `DELETE FROM login_attempts WHERE email = $1`
	forgetAttempts    = `DELETE FROM login_attempts WHERE attempted_at <= $1`
)

// dummyHash is checked against when the email is unknown, so that an
// unknown email takes as long as a wrong password.
var dummyHash, _ = hashPassword("not anyone's password")

// SignIn checks the email and password and starts a session, from the
// client address (for throttling). It returns EUNAUTHORIZED for an unknown
// email, a wrong password or a disabled user alike, and
// oms.ErrSignInThrottled while the email or the address has failed too often;
// each failure is counted.
func (us *Accounts) SignIn(ctx context.Context, email, password, address string) (oms.Session, error) {
	email = strings.ToLower(strings.TrimSpace(email))
	if len(email) > 254 || len(password) > oms.MaxPassword {
		return oms.Session{}, errBadSignIn
	}
	now := us.db.Now().UTC()
	since := now.Add(-oms.SignInWindow)
	var byEmail, byAddress int
	if err := us.db.Read.QueryRowContext(ctx, countByEmail, email, since).Scan(&byEmail); err != nil {
		return oms.Session{}, err
	}
	if err := us.db.Read.QueryRowContext(ctx, countByAddress, address, since).Scan(&byAddress); err != nil {
		return oms.Session{}, err
	}
	if byEmail >= oms.MaxFailedSignIns || byAddress >= oms.MaxFailedSignInsPerAddress {
		return oms.Session{}, oms.ErrSignInThrottled
	}
	var u oms.User
	var hash string
	err := scanUser(us.db.Read.QueryRowContext(ctx, selectUserLogin, email), &u, &hash)
	if errors.Is(err, sql.ErrNoRows) {
		hash = dummyHash
	} else if err != nil {
		return oms.Session{}, err
	}
	ok, err := checkPassword(hash, password)
	if err != nil {
		return oms.Session{}, err
	}
	if !ok || u.ID == "" || u.DisabledAt != nil {
		err := us.db.Update(ctx, func(tx *sqldb.Tx) error {
			_, err := tx.ExecContext(ctx, insertAttempt, sqldb.NewID("att"), email, address, tx.Now())
			return err
		})
		if err != nil {
			return oms.Session{}, err
		}
		return oms.Session{}, errBadSignIn
	}
	return us.startSession(ctx, u)
}

// startSession writes a new session for the user, forgets the user's
// failed sign-ins, and deletes every ended session and every failed
// sign-in older than the window (there are as many sessions as people
// signed in, so a sign-in is the time to tidy them).
func (us *Accounts) startSession(ctx context.Context, u oms.User) (oms.Session, error) {
	token, csrf := make([]byte, 32), make([]byte, 32)
	if _, err := rand.Read(token); err != nil {
		return oms.Session{}, err
	}
	if _, err := rand.Read(csrf); err != nil {
		return oms.Session{}, err
	}
	s := oms.Session{Token: base64.RawURLEncoding.EncodeToString(token), CSRF: base64.RawURLEncoding.EncodeToString(csrf), User: u}
	err := us.db.Update(ctx, func(tx *sqldb.Tx) error {
		s.CreatedAt, s.ExpiresAt = tx.Now().UTC(), tx.Now().Add(oms.SessionLifetime).UTC()
		for _, q := range []struct {
			sql  string
			args []any
		}{
			{insertSession, []any{HashSecret(s.Token), u.ID, csrf, tx.Now(), tx.Now().Add(oms.SessionIdle), s.ExpiresAt}},
			{clearAttempts, []any{u.Email}},
			{forgetAttempts, []any{tx.Now().Add(-oms.SignInWindow)}},
			{deleteOldSessions, []any{tx.Now()}},
		} {
			if _, err := tx.ExecContext(ctx, q.sql, q.args...); err != nil {
				return err
			}
		}
		return nil
	})
	return s, err
}

// touchEvery is how stale a session's last-seen time may be before a
// request writes it again (and with it the idle expiry).
const touchEvery = time.Minute

// oms.Session returns the live session whose token this is, with its user, and
// moves its idle expiry on. It returns EUNAUTHORIZED when there is none, it
// has expired (idle or absolute), or its user is disabled.
func (us *Accounts) Session(ctx context.Context, token string) (oms.Session, error) {
	none := oms.Errorf(oms.EUNAUTHORIZED, "the session has ended: sign in again")
	if token == "" || len(token) > 100 {
		return oms.Session{}, none
	}
	hash := HashSecret(token)
	s := oms.Session{Token: token}
	var csrf []byte
	var seen, idle time.Time
	var disabled sql.NullTime
	var locations string
	u := &s.User
	err := us.db.Read.QueryRowContext(ctx, selectSession, hash).Scan(&u.ID, &u.Email, &u.Name, &u.Role, &locations,
		&u.CreatedAt, &disabled, &csrf, &s.CreatedAt, &seen, &idle, &s.ExpiresAt)
	if errors.Is(err, sql.ErrNoRows) {
		return oms.Session{}, none
	} else if err != nil {
		return oms.Session{}, err
	}
	u.Locations, u.DisabledAt, u.CreatedAt = sqldb.SplitLines(locations), sqldb.UTCPtr(disabled), u.CreatedAt.UTC()
	s.CreatedAt, s.ExpiresAt = s.CreatedAt.UTC(), s.ExpiresAt.UTC()
	s.CSRF = base64.RawURLEncoding.EncodeToString(csrf)
	now := us.db.Now()
	if !now.Before(idle) || !now.Before(s.ExpiresAt) || u.DisabledAt != nil {
		return oms.Session{}, none
	}
	if now.Sub(seen) >= touchEvery {
		err := us.db.Update(ctx, func(tx *sqldb.Tx) error {
			_, err := tx.ExecContext(ctx, touchSession, hash, tx.Now(), tx.Now().Add(oms.SessionIdle))
			return err
		})
		if err != nil {
			return oms.Session{}, err
		}
	}
	return s, nil
}

// SignOut ends the session whose token this is; an unknown one is no error.
func (us *Accounts) SignOut(ctx context.Context, token string) error {
	return us.db.Update(ctx, func(tx *sqldb.Tx) error {
		_, err := tx.ExecContext(ctx, deleteSession, HashSecret(token))
		return err
	})
}

// SignOutEverywhere ends every session of the user.
func (us *Accounts) SignOutEverywhere(ctx context.Context, userID string) error {
	return us.db.Update(ctx, func(tx *sqldb.Tx) error {
		_, err := tx.ExecContext(ctx, deleteUserSession, userID)
		return err
	})
}
