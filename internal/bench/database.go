package bench

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" driver, to create and drop schemas

	"github.com/omshq/oms/internal/store"
)

// freshDB is an empty database made for one run: a SQLite file in a
// temporary directory, or a schema of its own in a PostgreSQL database.
type freshDB struct {
	DSN   string // what store.Open takes
	Where string // a temporary path or a schema name, for the report
	drop  func(context.Context) error
}

// newFreshDB makes a fresh database on the engine spec ("sqlite" or a
// postgres:// URL); name tells its files or schema apart.
func newFreshDB(ctx context.Context, spec, name string) (*freshDB, error) {
	if store.IsPostgres(spec) {
		return newSchema(ctx, spec, name)
	}
	dir, err := os.MkdirTemp("", "oms-bench-*")
	if err != nil {
		return nil, err
	}
	path := filepath.Join(dir, name+".db")
	return &freshDB{DSN: path, Where: path, drop: func(context.Context) error { return os.RemoveAll(dir) }}, nil
}

// newSchema creates the schema bench_<random>_<name> and returns a URL (or
// key=value string) whose connections use it (pgx passes search_path on as
// a run-time parameter).
func newSchema(ctx context.Context, base, name string) (*freshDB, error) {
	var u *url.URL
	if strings.HasPrefix(base, "postgres") {
		var err error
		if u, err = url.Parse(base); err != nil {
			// The parse error would quote the URL, password and all.
			return nil, fmt.Errorf("--db %s is not a valid URL", store.RedactDSN(base))
		}
	}
	b := make([]byte, 5)
	rand.Read(b)
	schema := "bench_" + hex.EncodeToString(b) + "_" + name
	exec := func(ctx context.Context, q string) error {
		db, err := sql.Open("pgx", base)
		if err != nil {
			return err
		}
		defer db.Close()
		_, err = db.ExecContext(ctx, q)
		return err
	}
	if err := exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		return nil, fmt.Errorf("create schema %s: %w", schema, err)
	}
	dsn := base + " search_path=" + schema
	if u != nil {
		q := u.Query()
		q.Set("search_path", schema)
		u.RawQuery = q.Encode()
		dsn = u.String()
	}
	return &freshDB{DSN: dsn, Where: "schema " + schema, drop: func(ctx context.Context) error {
		if err := exec(ctx, "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			return fmt.Errorf("drop schema %s: %w", schema, err)
		}
		return nil
	}}, nil
}

// Drop removes the database.
func (f *freshDB) Drop(ctx context.Context) error {
	return f.drop(context.WithoutCancel(ctx))
}
