package store

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
		engine engine
		err    error
		want   bool
	}{
		{"serialization failure", postgres, &pgconn.PgError{Code: "40001"}, true},
		{"deadlock", postgres, fmt.Errorf("wrapped: %w", &pgconn.PgError{Code: "40P01"}), true},
		{"unique violation", postgres, &pgconn.PgError{Code: "23505"}, false},
		{"check violation", postgres, &pgconn.PgError{Code: "23514"}, false},
		{"plain error", postgres, errors.New("40001"), false},
		{"plain error on sqlite", sqliteEngine, errors.New("database is locked"), false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := c.engine.retryable(c.err); got != c.want {
				t.Errorf("retryable = %v, want %v", got, c.want)
			}
		})
	}
}

// TestRunRetriesWholeTransaction checks that a transaction failing with a
// retryable error runs again from the start, and that other errors do not.
func TestRunRetriesWholeTransaction(t *testing.T) {
	db, err := Open(context.Background(), t.TempDir()+"/oms.db", Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.engine.retryable = func(err error) bool { return errors.Is(err, errFlaky) }
	calls := 0
	err = db.update(context.Background(), func(tx *Tx) error {
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
	err = db.update(context.Background(), func(tx *Tx) error { calls++; return errFlaky })
	if !errors.Is(err, errFlaky) || calls != maxAttempts {
		t.Errorf("always failing: err %v after %d calls, want errFlaky after %d", err, calls, maxAttempts)
	}
	calls = 0
	err = db.update(context.Background(), func(tx *Tx) error { calls++; return errors.New("final") })
	if err == nil || calls != 1 {
		t.Errorf("final error retried %d times", calls)
	}
}

var errFlaky = errors.New("flaky")
