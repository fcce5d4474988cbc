package store_test

import (
	"sync"
	"testing"
	"time"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/store"
	"github.com/omshq/oms/internal/store/storetest"
)

// TestUserCreate: a user is created with a lower-cased email, taken once
// whatever its case; each bad field is named.
func TestUserCreate(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		db := storetest.Open(t, e)
		_, err := db.PutLocation(ctx, &oms.Location{Code: "store1", Name: "Store 1", Kind: "store", CanPickup: true, Active: true}, oms.System("test"))
		must(t, err)
		u, err := db.CreateUser(ctx, oms.NewUser{Email: " Ann@Example.com", Name: "Ann Lee", Role: oms.RoleAgent,
			Locations: []string{"store1"}, Password: "correct horse"}, oms.System("test"))
		must(t, err)
		if u.Email != "ann@example.com" || u.Label() != "Ann Lee (agent)" || !u.Principal().CanSeeLocation("store1") ||
			u.Principal().CanSeeLocation("east") {
			t.Errorf("user %+v", u)
		}
		if got := oms.ActorLabel(u.Actor()); got != "Ann Lee (agent)" {
			t.Errorf("actor label %q", got)
		}
		_, err = db.CreateUser(ctx, oms.NewUser{Email: "ANN@example.com", Name: "Ann Two", Role: oms.RoleAgent, Password: "correct horse"}, oms.System("test"))
		if oms.ErrorCode(err) != oms.ECONFLICT {
			t.Errorf("same email in other case: %v", err)
		}
		for _, c := range []struct {
			name  string
			nu    oms.NewUser
			field string
		}{
			{"bad email", oms.NewUser{Email: "ann", Name: "A", Role: oms.RoleAgent, Password: "correct horse"}, "email"},
			{"no name", oms.NewUser{Email: "b@example.com", Role: oms.RoleAgent, Password: "correct horse"}, "name"},
			{"channel role", oms.NewUser{Email: "b@example.com", Name: "B", Role: oms.RoleChannel, Password: "correct horse"}, "role"},
			{"short password", oms.NewUser{Email: "b@example.com", Name: "B", Role: oms.RoleAgent, Password: "short"}, "password"},
			{"unknown location", oms.NewUser{Email: "b@example.com", Name: "B", Role: oms.RoleWarehouse, Locations: []string{"nowhere"}, Password: "correct horse"}, "locations[0]"},
			{"bound admin", oms.NewUser{Email: "b@example.com", Name: "B", Role: oms.RoleAdmin, Locations: []string{"store1"}, Password: "correct horse"}, "locations"},
		} {
			_, err := db.CreateUser(ctx, c.nu, oms.System("test"))
			if !hasField(err, c.field) {
				t.Errorf("%s: %v, want a problem naming %s", c.name, err, c.field)
			}
		}
		us, err := db.Users(ctx)
		must(t, err)
		if n, _ := db.CountUsers(ctx); len(us) != 1 || n != 1 || us[0].ID != u.ID || us[0].Locations[0] != "store1" {
			t.Errorf("users %+v (count %d)", us, n)
		}
	})
}

func hasField(err error, field string) bool {
	e, ok := err.(*oms.Error)
	if !ok {
		return false
	}
	for _, f := range e.Fields {
		if f.Field == field {
			return true
		}
	}
	return false
}

// TestUserSessions: a right password starts a session that any server
// accepts; a wrong one, an unknown email and a disabled user are refused
// alike; sessions end on sign-out, everywhere, idle and at their absolute
// expiry; five failures lock the email out for the window.
func TestUserSessions(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		var mu sync.Mutex
		now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
		clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
		advance := func(d time.Duration) { mu.Lock(); now = now.Add(d); mu.Unlock() }
		a, b := openTwice(t, e, store.Options{Now: clock})
		u, err := a.CreateUser(ctx, oms.NewUser{Email: "ann@example.com", Name: "Ann Lee", Role: oms.RoleAgent, Password: "correct horse"}, oms.System("test"))
		must(t, err)
		s, err := a.SignIn(ctx, "ANN@example.com", "correct horse", "10.0.0.1")
		must(t, err)
		got, err := b.Session(ctx, s.Token)
		must(t, err)
		if got.User.ID != u.ID || got.CSRF != s.CSRF || s.CSRF == "" || s.Token == s.CSRF {
			t.Fatalf("session on the other server: %+v", got)
		}
		for _, pw := range []string{"wrong horse", ""} {
			if _, err := a.SignIn(ctx, "ann@example.com", pw, "10.0.0.1"); oms.ErrorCode(err) != oms.EUNAUTHORIZED {
				t.Errorf("password %q: %v", pw, err)
			}
		}
		if _, err := a.SignIn(ctx, "bob@example.com", "correct horse", "10.0.0.1"); oms.ErrorCode(err) != oms.EUNAUTHORIZED {
			t.Errorf("unknown email: %v", err)
		}

		// Idle: a request within SessionIdle keeps the session; none ends it.
		advance(oms.SessionIdle - time.Minute)
		_, err = a.Session(ctx, s.Token)
		must(t, err)
		advance(oms.SessionIdle - time.Minute)
		_, err = a.Session(ctx, s.Token)
		must(t, err)
		advance(oms.SessionIdle)
		if _, err := a.Session(ctx, s.Token); oms.ErrorCode(err) != oms.EUNAUTHORIZED {
			t.Errorf("idle session: %v", err)
		}

		// Absolute expiry, however busy.
		s2, err := a.SignIn(ctx, "ann@example.com", "correct horse", "10.0.0.1")
		must(t, err)
		var rows int
		must(t, store.RawForTest(a).QueryRow("SELECT COUNT(*) FROM user_sessions").Scan(&rows))
		if rows != 1 {
			t.Errorf("%d sessions stored after a sign-in, want 1: the ended one is deleted", rows)
		}
		for range int(oms.SessionLifetime / time.Hour) {
			advance(time.Hour)
			_, err = a.Session(ctx, s2.Token)
		}
		if oms.ErrorCode(err) != oms.EUNAUTHORIZED {
			t.Errorf("session past its lifetime: %v", err)
		}

		// Sign-out, and sign-out everywhere.
		s3, err := a.SignIn(ctx, "ann@example.com", "correct horse", "10.0.0.1")
		must(t, err)
		s4, err := a.SignIn(ctx, "ann@example.com", "correct horse", "10.0.0.2")
		must(t, err)
		s5, err := a.SignIn(ctx, "ann@example.com", "correct horse", "10.0.0.3")
		must(t, err)
		must(t, a.SignOut(ctx, s3.Token))
		if _, err := b.Session(ctx, s3.Token); oms.ErrorCode(err) != oms.EUNAUTHORIZED {
			t.Errorf("signed-out session: %v", err)
		}
		_, err = b.Session(ctx, s4.Token)
		must(t, err)
		must(t, b.SignOutEverywhere(ctx, u.ID))
		for _, tok := range []string{s4.Token, s5.Token} {
			if _, err := a.Session(ctx, tok); oms.ErrorCode(err) != oms.EUNAUTHORIZED {
				t.Errorf("session after sign-out everywhere: %v", err)
			}
		}

		// Lockout: five failures, then even the right password is refused
		// until the window passes.
		for range oms.MaxFailedSignIns {
			if _, err := a.SignIn(ctx, "ann@example.com", "wrong horse", "10.0.0.9"); err == oms.ErrSignInThrottled {
				t.Fatal("throttled too soon")
			}
		}
		if _, err := b.SignIn(ctx, "ann@example.com", "correct horse", "10.0.0.8"); err != oms.ErrSignInThrottled {
			t.Errorf("after %d failures: %v, want throttled", oms.MaxFailedSignIns, err)
		}
		advance(oms.SignInWindow + time.Second)
		_, err = b.SignIn(ctx, "ann@example.com", "correct horse", "10.0.0.8")
		must(t, err)
	})
}

// TestDisableUser: a disabled user's sessions end and they cannot sign in;
// the last admin cannot be disabled.
func TestDisableUser(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		db := storetest.Open(t, e)
		admin, err := db.CreateUser(ctx, oms.NewUser{Email: "root@example.com", Name: "Root", Role: oms.RoleAdmin, Password: "correct horse"}, oms.System("test"))
		must(t, err)
		u, err := db.CreateUser(ctx, oms.NewUser{Email: "ann@example.com", Name: "Ann Lee", Role: oms.RoleAgent, Password: "correct horse"}, oms.System("test"))
		must(t, err)
		s, err := db.SignIn(ctx, "ann@example.com", "correct horse", "10.0.0.1")
		must(t, err)
		got, err := db.DisableUser(ctx, u.ID, oms.System("test"))
		must(t, err)
		if got.DisabledAt == nil {
			t.Errorf("disabled user %+v", got)
		}
		if _, err := db.Session(ctx, s.Token); oms.ErrorCode(err) != oms.EUNAUTHORIZED {
			t.Errorf("a disabled user's session: %v", err)
		}
		if _, err := db.SignIn(ctx, "ann@example.com", "correct horse", "10.0.0.1"); oms.ErrorCode(err) != oms.EUNAUTHORIZED {
			t.Errorf("a disabled user signs in: %v", err)
		}
		if n, _ := db.CountUsers(ctx); n != 1 {
			t.Errorf("%d users not disabled, want 1", n)
		}
		if _, err := db.DisableUser(ctx, admin.ID, oms.System("test")); oms.ErrorCode(err) != oms.ECONFLICT {
			t.Errorf("disabling the last admin: %v", err)
		}
		if _, err := db.DisableUser(ctx, "usr_nosuch", oms.System("test")); oms.ErrorCode(err) != oms.ENOTFOUND {
			t.Errorf("an unknown user: %v", err)
		}
	})
}
