package sqldb

import (
	"context"
	"embed"
	"fmt"
	"io/fs"

	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
)

//go:embed migrations
var migrations embed.FS

// Migrate applies the migrations not yet applied up to version (0: all),
// in order. after fills what a schema version derives from the rows that
// existed before it, by version: it runs once, when that version is
// applied to a database.
func (db *DB) Migrate(ctx context.Context, version int64, after map[int64]func(context.Context) error) error {
	dir, err := fs.Sub(migrations, "migrations/"+db.Engine.Name)
	if err != nil {
		return err
	}
	dialect := goose.DialectSQLite3
	if db.Engine.Name == "postgres" {
		dialect = goose.DialectPostgres
	}
	var opts []goose.ProviderOption
	if db.Engine.Name == "postgres" {
		// Several servers may start at once against one database; a session
		// lock lets exactly one of them migrate while the rest wait.
		locker, err := lock.NewPostgresSessionLocker()
		if err != nil {
			return fmt.Errorf("migrate: %w", err)
		}
		opts = append(opts, goose.WithSessionLocker(locker))
	}
	p, err := goose.NewProvider(dialect, db.Write, dir, opts...)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	var results []*goose.MigrationResult
	if version > 0 {
		results, err = p.UpTo(ctx, version)
	} else {
		results, err = p.Up(ctx)
	}
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	// Data a new schema version derives from existing rows is filled once,
	// when that version is applied to a database that had rows before it.
	for _, r := range results {
		if fill := after[r.Source.Version]; fill != nil {
			if err := fill(ctx); err != nil {
				return fmt.Errorf("migrate: after version %d: %w", r.Source.Version, err)
			}
		}
	}
	return nil
}

// PendingMigrations reports how many of the schema migrations this oms
// knows are not applied to the database yet (0: the schema is current).
// A database a newer oms migrated further counts as current.
func (db *DB) PendingMigrations(ctx context.Context) (int, error) {
	dir, err := fs.Sub(migrations, "migrations/"+db.Engine.Name)
	if err != nil {
		return 0, err
	}
	dialect := goose.DialectSQLite3
	if db.Engine.Name == "postgres" {
		dialect = goose.DialectPostgres
	}
	p, err := goose.NewProvider(dialect, db.Read, dir)
	if err != nil {
		return 0, fmt.Errorf("migrations: %w", err)
	}
	status, err := p.Status(ctx)
	if err != nil {
		return 0, fmt.Errorf("migrations: %w", err)
	}
	n := 0
	for _, s := range status {
		if s.State == goose.StatePending {
			n++
		}
	}
	return n, nil
}
