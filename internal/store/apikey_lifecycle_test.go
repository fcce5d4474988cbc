package store_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/store"
	"github.com/omshq/oms/internal/store/reports"
	"github.com/omshq/oms/internal/store/storetest"
)

// openTwice opens two handles on one fresh database, as two servers would.
func openTwice(t *testing.T, e storetest.Engine, opt store.Options) (*store.DB, *store.DB) {
	t.Helper()
	dsn := e.DSN(t)
	var dbs [2]*store.DB
	for i := range dbs {
		opt := opt
		opt.Feed = reports.New()
		db, err := store.Open(ctx, dsn, opt)
		must(t, err)
		t.Cleanup(func() { db.Close() })
		dbs[i] = db
	}
	return dbs[0], dbs[1]
}

// refusedWithin asks db to authenticate secret until it is refused, and
// fails the test unless that happens within d of since.
func refusedWithin(t *testing.T, db *store.DB, secret string, since time.Time, d time.Duration) time.Duration {
	t.Helper()
	for {
		_, err := db.Authenticate(ctx, secret)
		if oms.ErrorCode(err) == oms.EUNAUTHORIZED {
			return time.Since(since)
		} else if err != nil {
			t.Fatal(err)
		}
		if time.Since(since) > d {
			t.Fatalf("the key still works %v after it was revoked", time.Since(since))
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// TestAPIKeyRevokedOnEveryServer: a key revoked on one server is refused
// at once there, and within a second by another server that has it cached.
func TestAPIKeyRevokedOnEveryServer(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		a, b := openTwice(t, e, store.Options{})
		_, admin, err := a.CreateAPIKey(ctx, "admin", oms.RoleAdmin, oms.System("test"))
		must(t, err)
		k, secret, err := a.CreateAPIKey(ctx, "desk", oms.RoleAgent, oms.System("test"))
		must(t, err)
		for _, db := range []*store.DB{a, b} {
			for range 3 { // cached on both servers
				got, err := db.Authenticate(ctx, secret)
				must(t, err)
				if got.ID != k.ID {
					t.Fatalf("authenticated as %s, want %s", got.ID, k.ID)
				}
			}
		}
		start := time.Now()
		must(t, a.RevokeAPIKey(ctx, k.ID, oms.System("test")))
		if _, err := a.Authenticate(ctx, secret); oms.ErrorCode(err) != oms.EUNAUTHORIZED {
			t.Fatalf("the revoking server still takes the key: %v", err)
		}
		took := refusedWithin(t, b, secret, start, time.Second)
		t.Logf("the other server refused the key %v after it was revoked", took)
		// The other keys still work on both.
		for _, db := range []*store.DB{a, b} {
			if _, err := db.Authenticate(ctx, admin); err != nil {
				t.Errorf("the admin key: %v", err)
			}
		}
		// Revoking again does nothing; an unknown key is not found.
		must(t, b.RevokeAPIKey(ctx, k.ID, oms.System("test")))
		wantCode(t, b.RevokeAPIKey(ctx, "key_nope", oms.System("test")), oms.ENOTFOUND)
		keys, _, err := b.ListAPIKeys(ctx, "", 50)
		must(t, err)
		if len(keys) != 1 || keys[0].Role != oms.RoleAdmin {
			t.Errorf("live keys after the revocation: %+v", keys)
		}
		evs, err := a.Events(ctx, oms.Principal{Role: oms.RoleAdmin}, "", oms.EventAPIKeyRevoked, 10)
		must(t, err)
		if len(evs) != 1 || evs[0].Subject != k.ID {
			t.Errorf("revocation events: %+v", evs)
		}
	})
}

// TestAPIKeyRevokeLastAdmin: the last live admin key cannot be revoked,
// not even by two revocations racing for the last two.
func TestAPIKeyRevokeLastAdmin(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		a, b := openTwice(t, e, store.Options{})
		first, _, err := a.CreateAPIKey(ctx, "first", oms.RoleAdmin, oms.System("test"))
		must(t, err)
		wantCode(t, a.RevokeAPIKey(ctx, first.ID, oms.System("test")), oms.ECONFLICT)
		for round := range 4 {
			second, _, err := a.CreateAPIKey(ctx, "second", oms.RoleAdmin, oms.System("test"))
			must(t, err)
			var wg sync.WaitGroup
			errs := make([]error, 2)
			for i, db := range []*store.DB{a, b} {
				id := []string{first.ID, second.ID}[i]
				wg.Go(func() { errs[i] = db.RevokeAPIKey(ctx, id, oms.System("test")) })
			}
			wg.Wait()
			keys, _, err := a.ListAPIKeys(ctx, "", 50)
			must(t, err)
			if len(keys) != 1 || (errs[0] == nil) == (errs[1] == nil) {
				t.Fatalf("round %d: live keys %+v after revoking both at once: %v", round, keys, errs)
			}
			for _, err := range errs {
				if err != nil && oms.ErrorCode(err) != oms.ECONFLICT {
					t.Fatalf("round %d: %v", round, err)
				}
			}
			first = keys[0]
		}
	})
}

// TestAPIKeyRotation: a rotated key keeps its id, name and role and gets a
// new secret; the old one keeps working until the overlap ends, on every
// server, then is refused.
func TestAPIKeyRotation(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		clk := &clock{t: time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)}
		a, b := openTwice(t, e, store.Options{Now: clk.now})
		k, old, err := a.CreateAPIKey(ctx, "shop", oms.RoleAgent, oms.System("test"))
		must(t, err)
		for _, db := range []*store.DB{a, b} {
			_, err := db.Authenticate(ctx, old)
			must(t, err)
		}
		for _, bad := range []time.Duration{-time.Second, oms.MaxKeyOverlap + time.Second} {
			_, _, err := a.RotateAPIKey(ctx, k.ID, bad, oms.System("test"))
			if e := wantCode(t, err, oms.EINVALID); e.Fields[0].Field != "expires_in_seconds" {
				t.Errorf("overlap %v: %v", bad, err)
			}
		}
		_, _, err = a.RotateAPIKey(ctx, "key_nope", time.Hour, oms.System("test"))
		wantCode(t, err, oms.ENOTFOUND)

		r, fresh, err := a.RotateAPIKey(ctx, k.ID, time.Hour, oms.System("test"))
		must(t, err)
		if r.ID != k.ID || r.Name != "shop" || r.Role != oms.RoleAgent || fresh == old || r.Prefix != fresh[:10] ||
			r.PreviousExpiresAt == nil || !r.PreviousExpiresAt.Equal(clk.now().Add(time.Hour)) {
			t.Fatalf("rotated %+v, secret %q", r, fresh)
		}
		for _, db := range []*store.DB{a, b} {
			for _, s := range []string{old, fresh} {
				if got, err := db.Authenticate(ctx, s); err != nil || got.ID != k.ID {
					t.Fatalf("within the overlap: %+v %v", got, err)
				}
			}
		}
		// The other server, which had the old secret cached as the key's
		// current one, learns of the rotation within a second.
		for start := time.Now(); ; time.Sleep(5 * time.Millisecond) {
			got, err := b.Authenticate(ctx, old)
			must(t, err)
			if got.PreviousExpiresAt != nil {
				break
			}
			if time.Since(start) > time.Second {
				t.Fatal("the other server has not seen the rotation after a second")
			}
		}
		clk.add(time.Hour - time.Second)
		_, err = b.Authenticate(ctx, old)
		must(t, err)
		clk.add(time.Second)
		for _, db := range []*store.DB{a, b} {
			_, err := db.Authenticate(ctx, old)
			wantCode(t, err, oms.EUNAUTHORIZED)
			_, err = db.Authenticate(ctx, fresh)
			must(t, err)
		}
		keys, _, err := a.ListAPIKeys(ctx, "", 10)
		must(t, err)
		if len(keys) != 1 || keys[0].PreviousExpiresAt != nil || keys[0].RotatedAt == nil || keys[0].Prefix != fresh[:10] {
			t.Errorf("listed after the overlap: %+v", keys)
		}

		// Rotating again ends the last overlap at once; an overlap of 0 ends
		// the replaced secret's at once too.
		_, second, err := a.RotateAPIKey(ctx, k.ID, time.Hour, oms.System("test"))
		must(t, err)
		_, third, err := b.RotateAPIKey(ctx, k.ID, 0, oms.System("test"))
		must(t, err)
		for _, s := range []string{old, fresh, second} {
			_, err := a.Authenticate(ctx, s)
			wantCode(t, err, oms.EUNAUTHORIZED)
		}
		_, err = a.Authenticate(ctx, third)
		must(t, err)
		// A revoked key cannot be rotated.
		_, _, err = a.CreateAPIKey(ctx, "admin", oms.RoleAdmin, oms.System("test"))
		must(t, err)
		must(t, a.RevokeAPIKey(ctx, k.ID, oms.System("test")))
		_, _, err = a.RotateAPIKey(ctx, k.ID, time.Hour, oms.System("test"))
		wantCode(t, err, oms.ENOTFOUND)
		_, err = a.Authenticate(ctx, third)
		wantCode(t, err, oms.EUNAUTHORIZED)
	})
}

// TestAPIKeyLastUsed: a key's last use is recorded at most once a minute,
// whatever the number of requests, and is listed.
func TestAPIKeyLastUsed(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		clk := &clock{t: time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)}
		db := storetest.OpenWith(t, e, store.Options{Now: clk.now})
		k, secret, err := db.CreateAPIKey(ctx, "desk", oms.RoleAgent, oms.System("test"))
		must(t, err)
		lastUsed := func() *time.Time {
			t.Helper()
			store.WaitKeyUseForTest(db)
			keys, _, err := db.ListAPIKeys(ctx, "", 10)
			must(t, err)
			if len(keys) != 1 || keys[0].ID != k.ID {
				t.Fatalf("keys %+v", keys)
			}
			return keys[0].LastUsedAt
		}
		if at := lastUsed(); at != nil {
			t.Fatalf("never used, last used at %v", at)
		}
		use := func(n int) {
			for range n {
				_, err := db.Authenticate(ctx, secret)
				must(t, err)
			}
		}
		t0 := clk.now()
		use(50)
		if at := lastUsed(); at == nil || !at.Equal(t0) {
			t.Fatalf("last used at %v, want %v", at, t0)
		}
		// Within the minute nothing is written: not even after the column
		// is cleared behind the store's back.
		_, err = store.RawForTest(db).Exec("UPDATE api_keys SET last_used_at = NULL")
		must(t, err)
		clk.add(59 * time.Second)
		use(50)
		if at := lastUsed(); at != nil {
			t.Fatalf("a use within the minute was written: %v", at)
		}
		clk.add(2 * time.Second)
		use(1)
		if at := lastUsed(); at == nil || !at.Equal(t0.Add(61*time.Second)) {
			t.Fatalf("last used at %v, want %v", at, t0.Add(61*time.Second))
		}
	})
}

// TestListAPIKeys pages through the live keys, newest first.
func TestListAPIKeys(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		db := storetest.Open(t, e)
		var ids []string
		for _, name := range []string{"a", "b", "c", "d", "e"} {
			k, _, err := db.CreateAPIKey(ctx, name, oms.RoleAdmin, oms.System("test"))
			must(t, err)
			ids = append([]string{k.ID}, ids...)
		}
		must(t, db.RevokeAPIKey(ctx, ids[2], oms.System("test")))
		want := append(append([]string{}, ids[:2]...), ids[3:]...)
		var got []string
		after := ""
		for pages := 0; ; pages++ {
			keys, next, err := db.ListAPIKeys(context.Background(), after, 2)
			must(t, err)
			for _, k := range keys {
				got = append(got, k.ID)
			}
			if next == "" {
				if pages != 1 {
					t.Errorf("%d pages, want 2", pages+1)
				}
				break
			}
			after = next
		}
		if len(got) != len(want) {
			t.Fatalf("listed %v, want %v", got, want)
		}
		for i := range want {
			if got[i] != want[i] {
				t.Fatalf("listed %v, want %v", got, want)
			}
		}
	})
}
