// Package storetest opens real databases for tests: SQLite in a temporary
// directory always, and PostgreSQL when OMS_TEST_POSTGRES_URL is set, each
// test in a schema of its own that is dropped afterwards.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"github.com/omshq/oms/internal/store"
	"github.com/omshq/oms/internal/store/reports"
)

// PostgresEnv names the environment variable holding the PostgreSQL URL for tests.
const PostgresEnv = "OMS_TEST_POSTGRES_URL"

// Engine is a database engine under test.
type Engine struct {
	Name string
	// DSN returns a fresh, empty database for the test and drops it afterwards.
	DSN func(t testing.TB) string
}

// Engines returns SQLite and, when OMS_TEST_POSTGRES_URL is set, PostgreSQL.
// Without the variable it logs that PostgreSQL is skipped.
func Engines(t testing.TB) []Engine {
	t.Helper()
	es := []Engine{{Name: "sqlite", DSN: SQLiteDSN}}
	if os.Getenv(PostgresEnv) == "" {
		t.Logf("PostgreSQL tests skipped: set %s (e.g. postgres://postgres@127.0.0.1:5432/test?sslmode=disable)", PostgresEnv)
		return es
	}
	return append(es, Engine{Name: "postgres", DSN: PostgresDSN})
}

// Run runs fn as a subtest on every engine.
func Run(t *testing.T, fn func(t *testing.T, e Engine)) {
	t.Helper()
	for _, e := range Engines(t) {
		t.Run(e.Name, func(t *testing.T) { fn(t, e) })
	}
}

// SQLiteDSN returns the path of a new SQLite database in a temporary directory.
func SQLiteDSN(t testing.TB) string {
	return filepath.Join(t.TempDir(), "oms.db")
}

// PostgresDSN creates a schema of its own for the test and returns a URL whose
// connections use it; the schema is dropped when the test ends. It skips the
// test when OMS_TEST_POSTGRES_URL is unset.
func PostgresDSN(t testing.TB) string {
	t.Helper()
	base := os.Getenv(PostgresEnv)
	if base == "" {
		t.Skipf("PostgreSQL tests skipped: %s is not set", PostgresEnv)
	}
	b := make([]byte, 6)
	rand.Read(b)
	schema := "t_" + hex.EncodeToString(b)
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		a, err := sql.Open("pgx", base)
		if err != nil {
			return
		}
		defer a.Close()
		a.Exec("DROP SCHEMA " + schema + " CASCADE")
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// Open opens a fresh database on the engine, closed when the test ends.
func Open(t testing.TB, e Engine) *store.DB {
	t.Helper()
	return OpenWith(t, e, store.Options{})
}

// OpenWith is Open with options; without a feed reader, the store keeps
// its reports (reports.New).
func OpenWith(t testing.TB, e Engine, opt store.Options) *store.DB {
	t.Helper()
	if opt.Feed == nil {
		opt.Feed = reports.New()
	}
	db, err := store.Open(context.Background(), e.DSN(t), opt)
	if err != nil {
		t.Fatalf("open %s: %v", e.Name, err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// AssertInvariants fails the test if any invariant of the database is broken.
func AssertInvariants(t testing.TB, db *store.DB) {
	t.Helper()
	r, err := db.Check(context.Background())
	if err != nil {
		t.Fatalf("check: %v", err)
	}
	for _, v := range r.Violations {
		t.Errorf("invariant broken: %s", v)
	}
	AssertEventPayloads(t, db)
}
