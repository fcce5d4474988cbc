package store

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

// migrate applies every migration not yet applied, in order.
func (db *DB) migrate(ctx context.Context) error {
	dir, err := fs.Sub(migrations, "migrations/"+db.engine.name)
	if err != nil {
		return err
	}
	dialect := goose.DialectSQLite3
	if db.engine.name == "postgres" {
		dialect = goose.DialectPostgres
	}
	var opts []goose.ProviderOption
	if db.engine.name == "postgres" {
		// Several servers may start at once against one database; a session
		// lock lets exactly one of them migrate while the rest wait.
		locker, err := lock.NewPostgresSessionLocker()
		if err != nil {
			return fmt.Errorf("migrate: %w", err)
		}
		opts = append(opts, goose.WithSessionLocker(locker))
	}
	p, err := goose.NewProvider(dialect, db.write, dir, opts...)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	return nil
}
