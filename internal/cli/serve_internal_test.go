package cli

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/store"
)

// TestExpireIdempotencyKeys: the sweep oms serve runs deletes the keys a
// day old, on its own, and leaves the younger ones.
func TestExpireIdempotencyKeys(t *testing.T) {
	ctx := context.Background()
	var mu sync.Mutex
	now := time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	path := filepath.Join(t.TempDir(), "oms.db")
	db, err := store.Open(ctx, path, store.Options{Now: clock, FoldEvery: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	use := func(key string) {
		r := oms.IdempotentRequest{APIKeyID: "key_1", Key: key, Method: "POST", Path: "/v1/orders", Hash: []byte{1}}
		err := db.Unit(ctx, func(ctx context.Context) error {
			if _, err := db.ClaimIdempotency(ctx, r); err != nil {
				return err
			}
			return db.FinishIdempotency(ctx, r, oms.StoredResponse{Status: 201, ContentType: "application/json", Body: []byte("{}")})
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	for i := range 1200 { // more than one transaction deletes
		use(fmt.Sprint("old-", i))
	}
	mu.Lock()
	now = now.Add(time.Hour)
	mu.Unlock()
	use("young")
	mu.Lock()
	now = now.Add(oms.IdempotencyTTL - time.Minute)
	mu.Unlock()

	raw, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	sweep, stop := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		expireIdempotencyKeys(sweep, db, slog.New(slog.DiscardHandler), 10*time.Millisecond)
		close(done)
	}()
	var left int
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		if err := raw.QueryRow("SELECT COUNT(*) FROM idempotency_keys").Scan(&left); err != nil {
			t.Fatal(err)
		}
		if left <= 1 || time.Now().After(deadline) {
			break
		}
	}
	stop()
	<-done
	var key string
	raw.QueryRow("SELECT key FROM idempotency_keys").Scan(&key)
	if left != 1 || key != "young" {
		t.Errorf("%d keys left (%q), want only the one under a day old", left, key)
	}
}
