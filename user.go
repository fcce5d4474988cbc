package oms

import (
	"context"
	"strings"
	"time"
)

// User is a person who signs in to the console. Users hold the API's roles
// (the same permission table decides what each may do) and may be bound to
// locations, as a store clerk or a picker is: they then see and act on the
// fulfillments and stock of those locations only.
type User struct {
	ID         string     `json:"id"`
	Email      string     `json:"email"` // lower-cased
	Name       string     `json:"name"`
	Role       Role       `json:"role"`
	Locations  []string   `json:"locations,omitempty"`
	CreatedAt  time.Time  `json:"created_at"`
	DisabledAt *time.Time `json:"disabled_at,omitempty"`
}

// Principal is what the user may do and see, as an API key's principal is.
func (u User) Principal() Principal {
	return Principal{UserID: u.ID, Name: u.Name, Role: u.Role, Locations: u.Locations}
}

// Label is how the user shows in timelines: "Ann Lee (agent)".
func (u User) Label() string { return u.Name + " (" + string(u.Role) + ")" }

// Actor is the actor recorded for the user's changes: "user:" and the
// user's id, then their label, as an API key's is "api_key:" id ":" name.
func (u User) Actor() string { return u.Principal().Actor() }

// NewUser is what a user is created with.
type NewUser struct {
	Email     string
	Name      string
	Role      Role
	Locations []string
	Password  string
}

// MinPassword and MaxPassword bound a password's length in bytes.
const (
	MinPassword = 10
	MaxPassword = 200
)

// Session is a signed-in user's session. Token is the cookie's value; only
// its SHA-256 is stored. CSRF is the secret the session's forms carry.
type Session struct {
	Token     string
	CSRF      string
	User      User
	CreatedAt time.Time
	ExpiresAt time.Time // absolute: the session ends then however busy
}

// How long a session lasts: it ends after SessionIdle without a request,
// and SessionLifetime after sign-in in any case.
const (
	SessionIdle     = 2 * time.Hour
	SessionLifetime = 12 * time.Hour
)

// Sign-in throttling: after MaxFailedSignIns failures for one email within
// SignInWindow, that email may not sign in until the window has passed
// since the last of them (a lockout); a client address gets
// MaxFailedSignInsPerAddress failures, over any emails, in the same window.
const (
	SignInWindow               = 15 * time.Minute
	MaxFailedSignIns           = 5
	MaxFailedSignInsPerAddress = 50
)

// Event types of the console's users.
const (
	EventUserCreated  = "user.created"
	EventUserDisabled = "user.disabled"
)

// Users keeps the people who sign in to the console and their sessions.
type Users interface {
	// CreateUser adds a user; EINVALID names the field of bad input, and
	// ECONFLICT answers an email already taken.
	CreateUser(ctx context.Context, nu NewUser, by Principal) (User, error)
	// Users lists the users.
	Users(ctx context.Context) ([]User, error)
	// DisableUser stops the user signing in and ends their sessions; never
	// the last admin.
	DisableUser(ctx context.Context, id string, by Principal) (User, error)
	// SignIn checks an email and a password, throttled per email and per
	// client address, and starts a session.
	SignIn(ctx context.Context, email, password, address string) (Session, error)
	// Session returns the live session of a token, or EUNAUTHORIZED.
	Session(ctx context.Context, token string) (Session, error)
	// SignOut ends one session; SignOutEverywhere every session of a user.
	SignOut(ctx context.Context, token string) error
	SignOutEverywhere(ctx context.Context, userID string) error
}

// ErrSignInThrottled is returned by SignIn while an email or a client
// address has failed too often.
var ErrSignInThrottled = &Error{Code: EUNAUTHORIZED,
	Message: "too many failed sign-ins: wait 15 minutes and try again"}

const userActorPrefix = "user:"

// ActorLabel returns how an event's actor reads for a person: a user's
// label ("Ann Lee (agent)"), an API key's name with "(API key)", or the
// actor as recorded.
func ActorLabel(actor string) string {
	for _, p := range []struct{ prefix, suffix string }{{userActorPrefix, ""}, {"api_key:", " (API key)"}} {
		if rest, ok := strings.CutPrefix(actor, p.prefix); ok {
			if _, label, ok := strings.Cut(rest, ":"); ok {
				return label + p.suffix
			}
		}
	}
	return actor
}
