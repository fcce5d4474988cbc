package sqldb_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/omshq/oms/internal/store/sqldb"
	"github.com/omshq/oms/internal/store/storetest"
)

// TestSessionStates holds a row lock in one transaction while another
// waits for it, and reads the sessions: on PostgreSQL the one waiting shows
// as waiting for a lock and the one holding as idle in its transaction; on
// SQLite there are no sessions to read.
func TestSessionStates(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		ctx := context.Background()
		db, err := sqldb.Open(e.DSN(t), sqldb.Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		if err := db.Migrate(ctx, 0, nil); err != nil {
			t.Fatal(err)
		}
		states, ok, err := db.SessionStates(ctx)
		if e.Name == "sqlite" {
			if ok || err != nil || states != nil {
				t.Fatalf("SQLite sessions %q, %v, %v", states, ok, err)
			}
			return
		}
		if !ok || err != nil {
			t.Fatalf("sessions: %v, %v", ok, err)
		}
		set := "UPDATE settings SET value = $1 WHERE key = 'k'"
		if err := db.Exec(ctx, "INSERT INTO settings (key, value, updated_at) VALUES ('k', 'v', now())"); err != nil {
			t.Fatal(err)
		}
		holder, err := db.Write.BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer holder.Rollback()
		if _, err := holder.ExecContext(ctx, set, "held"); err != nil {
			t.Fatal(err)
		}
		waited := make(chan error, 1)
		go func() { waited <- db.Exec(ctx, set, "waited") }()
		want := []string{"active · Lock/transactionid", "idle in transaction"}
		deadline := time.Now().Add(10 * time.Second)
		for !hasAll(states, want) {
			if time.Now().After(deadline) {
				t.Fatalf("sessions %q, want among them %q", states, want)
			}
			time.Sleep(20 * time.Millisecond)
			if states, _, err = db.SessionStates(ctx); err != nil {
				t.Fatal(err)
			}
		}
		if err := holder.Commit(); err != nil {
			t.Fatal(err)
		}
		if err := <-waited; err != nil {
			t.Fatal(err)
		}
	})
}

func hasAll(states, want []string) bool {
	for _, w := range want {
		if !slices.Contains(states, w) {
			return false
		}
	}
	return true
}
