package users

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"net/mail"
	"strings"

	"golang.org/x/crypto/argon2"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/store/sqldb"
)

const (
	userColumns = `id, email, name, role, locations, created_at, disabled_at`
	insertUser  = `
INSERT INTO users (id, email, name, role, locations, password_hash, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`
	selectUsers      = `SELECT ` + userColumns + ` FROM users ORDER BY email`
	selectUserByID   = `SELECT ` + userColumns + ` FROM users WHERE id = $1`
	countLiveUsers   = `SELECT COUNT(*) FROM users WHERE disabled_at IS NULL`
	selectUserLogin  = `SELECT ` + userColumns + `, password_hash FROM users WHERE email = $1`
	disableUser      = `UPDATE users SET disabled_at = $2 WHERE id = $1`
	countOtherAdmins = `SELECT COUNT(*) FROM users WHERE role = 'admin' AND disabled_at IS NULL AND id <> $1`
)

// CreateUser adds a console user with a password, hashed with argon2id. It
// returns EINVALID naming each bad field: an email that is not one, a
// blank name, a role that is not the API's (or is channel, which is a
// system's, not a person's), a location that does not exist or a role that
// may not be bound (admin), a password shorter than oms.MinPassword; and
// ECONFLICT when the email is taken, whatever its case.
func (us *Accounts) CreateUser(ctx context.Context, nu oms.NewUser, by oms.Principal) (oms.User, error) {
	u, err := checkNewUser(nu)
	if err != nil {
		return u, err
	}
	hash, err := hashPassword(nu.Password)
	if err != nil {
		return u, err
	}
	err = us.db.Update(ctx, func(tx *sqldb.Tx) error {
		u.CreatedAt = tx.Now()
		if err := CheckScope(ctx, tx, oms.KeyScope{Locations: u.Locations}); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, insertUser, u.ID, u.Email, u.Name, u.Role, strings.Join(u.Locations, "\n"), hash, tx.Now())
		if us.db.Engine.Unique(err) {
			return &oms.Error{Code: oms.ECONFLICT, Message: "a user with this email exists",
				Fields: []oms.FieldError{{Field: "email", Message: "is taken by another user"}}}
		} else if err != nil {
			return err
		}
		return tx.AddEvent(ctx, oms.EventUserCreated, u.ID, "", by.Actor(), u)
	})
	return u, err
}

func checkNewUser(nu oms.NewUser) (oms.User, error) {
	var p oms.Problems
	email := strings.ToLower(strings.TrimSpace(nu.Email))
	if a, err := mail.ParseAddress(email); err != nil || a.Address != email || len(email) > 254 {
		p.Add("email", "must be an email address, such as ann@example.com")
	}
	name := strings.TrimSpace(nu.Name)
	if name == "" {
		p.Add("name", "is required: the person's name, at most 100 bytes")
	} else {
		oms.CheckLine(&p, "name", name, 100)
	}
	switch {
	case !nu.Role.Valid() || nu.Role == oms.RoleChannel:
		p.Add("role", "must be one of admin, manager, agent, warehouse")
	case nu.Role == oms.RoleAdmin && len(nu.Locations) > 0:
		p.Add("locations", "binds a manager, agent or warehouse user, not an admin")
	}
	var locations []string
	if nu.Role != oms.RoleChannel {
		// CheckKeyScope's rules for a warehouse key: codes well-formed, sorted, each once.
		_, locations = oms.CheckKeyScope(&p, oms.RoleWarehouse, nil, nu.Locations)
	}
	if n := len(nu.Password); n < oms.MinPassword || n > oms.MaxPassword {
		p.Add("password", "must be %d to %d bytes long", oms.MinPassword, oms.MaxPassword)
	}
	u := oms.User{ID: sqldb.NewID("usr"), Email: email, Name: name, Role: nu.Role, Locations: locations}
	return u, p.Err()
}

// Users returns every user, by email.
func (us *Accounts) Users(ctx context.Context) ([]oms.User, error) {
	rows, err := us.db.Read.QueryContext(ctx, selectUsers)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []oms.User
	for rows.Next() {
		var u oms.User
		if err := scanUser(rows, &u); err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// CountUsers returns how many users are not disabled.
func (us *Accounts) CountUsers(ctx context.Context) (int, error) {
	var n int
	err := us.db.Read.QueryRowContext(ctx, countLiveUsers).Scan(&n)
	return n, err
}

// scanUser scans userColumns into u, then the rest into extra.
func scanUser(row sqldb.Scanner, u *oms.User, extra ...any) error {
	var locations string
	var disabled sql.NullTime
	if err := row.Scan(append([]any{&u.ID, &u.Email, &u.Name, &u.Role, &locations, &u.CreatedAt, &disabled}, extra...)...); err != nil {
		return err
	}
	u.CreatedAt, u.DisabledAt, u.Locations = u.CreatedAt.UTC(), sqldb.UTCPtr(disabled), sqldb.SplitLines(locations)
	return nil
}

// The argon2id parameters of new hashes (OWASP's first choice: 19 MiB, two
// passes, one lane). A stored hash carries its own, so they may change.
const (
	argonMemory  = 19 * 1024
	argonTime    = 2
	argonThreads = 1
	argonKeyLen  = 32
)

// hashPassword returns the password's argon2id hash in PHC form:
// $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>, base64 without padding.
func hashPassword(password string) (string, error) {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(password), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads,
		b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

var errBadHash = errors.New("password hash: not an argon2id PHC string")

// checkPassword reports whether the password matches the PHC-form hash,
// in constant time.
func checkPassword(encoded, password string) (bool, error) {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false, errBadHash
	}
	var version int
	var mem, passes uint32
	var lanes uint8
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false, errBadHash
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &mem, &passes, &lanes); err != nil || mem == 0 || passes == 0 || lanes == 0 {
		return false, errBadHash
	}
	b64 := base64.RawStdEncoding
	salt, err1 := b64.DecodeString(parts[4])
	want, err2 := b64.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(want) == 0 {
		return false, errBadHash
	}
	got := argon2.IDKey([]byte(password), salt, passes, mem, lanes, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

// DisableUser stops the user signing in and ends their sessions; the user
// stays, as the actor of what they did. It returns ENOTFOUND for an unknown
// id, and ECONFLICT for the last admin who is not disabled. Disabling a
// disabled user again does nothing.
func (us *Accounts) DisableUser(ctx context.Context, id string, by oms.Principal) (oms.User, error) {
	var u oms.User
	err := us.db.Update(ctx, func(tx *sqldb.Tx) error {
		err := scanUser(tx.QueryRowContext(ctx, selectUserByID, id), &u)
		if errors.Is(err, sql.ErrNoRows) {
			return sqldb.NotFound("user %q does not exist", id)
		} else if err != nil || u.DisabledAt != nil {
			return err
		}
		if u.Role == oms.RoleAdmin {
			var others int
			if err := tx.QueryRowContext(ctx, countOtherAdmins, id).Scan(&others); err != nil {
				return err
			}
			if others == 0 {
				return oms.Errorf(oms.ECONFLICT, "the last admin cannot be disabled: make another admin first")
			}
		}
		now := tx.Now().UTC()
		u.DisabledAt = &now
		if _, err := tx.ExecContext(ctx, disableUser, id, tx.Now()); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, deleteUserSession, id); err != nil {
			return err
		}
		return tx.AddEvent(ctx, oms.EventUserDisabled, u.ID, "", by.Actor(), u)
	})
	return u, err
}
