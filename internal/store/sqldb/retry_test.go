package sqldb

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
)

func TestRetryable(t *testing.T) {
	cases := []struct {
		name   string
		engine Engine
		err    error
		want   bool
	}{
		{"serialization failure", Postgres, &pgconn.PgError{Code: "40001"}, true},
		{"deadlock", Postgres, fmt.Errorf("wrapped: %w", &pgconn.PgError{Code: "40P01"}), true},
		{"unique violation", Postgres, &pgconn.PgError{Code: "23505"}, false},
		{"check violation", Postgres, &pgconn.PgError{Code: "23514"}, false},
		{"plain error", Postgres, errors.New("40001"), false},
		{"plain error on sqlite", SQLite, errors.New("database is locked"), false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := c.engine.Retryable(c.err); got != c.want {
				t.Errorf("retryable = %v, want %v", got, c.want)
			}
		})
	}
}

// TestRunRetriesWholeTransaction checks that a transaction failing with a
// retryable error runs again from the start, and that other errors do not.
func TestRunRetriesWholeTransaction(t *testing.T) {
	db, err := Open(t.TempDir()+"/oms.db", Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.Engine.Retryable = func(err error) bool { return errors.Is(err, errFlaky) }
	calls := 0
	err = db.Update(context.Background(), func(tx *Tx) error {
		calls++
		if calls < 3 {
			return errFlaky
		}
		return nil
	})
	if err != nil || calls != 3 {
		t.Errorf("flaky: err %v after %d calls, want nil after 3", err, calls)
	}
	calls = 0
	err = db.Update(context.Background(), func(tx *Tx) error { calls++; return errFlaky })
	if !errors.Is(err, errFlaky) || calls != MaxAttempts {
		t.Errorf("always failing: err %v after %d calls, want errFlaky after %d", err, calls, MaxAttempts)
	}
	calls = 0
	err = db.Update(context.Background(), func(tx *Tx) error { calls++; return errors.New("final") })
	if err == nil || calls != 1 {
		t.Errorf("final error retried %d times", calls)
	}
}

var errFlaky = errors.New("flaky")
