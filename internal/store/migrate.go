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
func (db *DB) migrate(ctx context.Context) error { return db.migrateTo(ctx, 0) }

// migrateTo applies the migrations not yet applied up to version (0: all).
func (db *DB) migrateTo(ctx context.Context, version int64) error {
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
		if fill := afterMigration[r.Source.Version]; fill != nil {
			if err := fill(db, ctx); err != nil {
				return fmt.Errorf("migrate: after version %d: %w", r.Source.Version, err)
			}
		}
	}
	return nil
}

// afterMigration fills what a schema version derives from the rows that
// existed before it, by version.
var afterMigration = map[int64]func(*DB, context.Context) error{
	2: (*DB).indexUnindexedOrders,
	3: func(db *DB, ctx context.Context) error { return db.feed.Rebuild(ctx) },
}

// indexUnindexedOrders writes the search document of every order that has
// none (the orders placed before the search index existed), a thousand
// orders per transaction.
func (db *DB) indexUnindexedOrders(ctx context.Context) error {
	key := "s.order_seq"
	if db.engine.name == "sqlite" {
		key = "s.rowid"
	}
	q := "SELECT o.seq FROM orders o WHERE o.seq > $1 AND NOT EXISTS (SELECT 1 FROM order_search s WHERE " + key +
		" = o.seq) ORDER BY o.seq LIMIT 1000"
	for after := int64(0); ; {
		var seqs []int64
		err := db.update(ctx, func(tx *Tx) (err error) {
			if seqs, err = queryColumn[int64](ctx, tx, q, after); err != nil {
				return err
			}
			for _, seq := range seqs {
				if err := tx.reindexOrder(ctx, seq); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil || len(seqs) == 0 {
			return err
		}
		after = seqs[len(seqs)-1]
	}
}

// PendingMigrations reports how many of the schema migrations this oms
// knows are not applied to the database yet (0: the schema is current).
// A database a newer oms migrated further counts as current.
func (db *DB) PendingMigrations(ctx context.Context) (int, error) {
	dir, err := fs.Sub(migrations, "migrations/"+db.engine.name)
	if err != nil {
		return 0, err
	}
	dialect := goose.DialectSQLite3
	if db.engine.name == "postgres" {
		dialect = goose.DialectPostgres
	}
	p, err := goose.NewProvider(dialect, db.read, dir)
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
