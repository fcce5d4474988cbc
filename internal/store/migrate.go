package store

import (
	"context"

	"github.com/omshq/oms/internal/store/sqldb"
)

// migrate applies every migration not yet applied, in order.
func (db *DB) migrate(ctx context.Context) error { return db.migrateTo(ctx, 0) }

// migrateTo applies the migrations not yet applied up to version (0: all),
// each followed by what it derives from the rows before it (afterMigration).
func (db *DB) migrateTo(ctx context.Context, version int64) error {
	return db.SQL.Migrate(ctx, version, map[int64]func(context.Context) error{
		2: db.indexUnindexedOrders,
		3: func(ctx context.Context) error { return db.Feed().Rebuild(ctx) },
		// Version 19 keys the order rollups by base currency, emptied.
		19: func(ctx context.Context) error { return db.Feed().Rebuild(ctx) },
	})
}

// PendingMigrations reports how many of the schema migrations this oms
// knows are not applied to the database yet (0: the schema is current).
// A database a newer oms migrated further counts as current.
func (db *DB) PendingMigrations(ctx context.Context) (int, error) {
	return db.SQL.PendingMigrations(ctx)
}

// indexUnindexedOrders writes the search document of every order that has
// none (the orders placed before the search index existed), a thousand
// orders per transaction.
func (db *DB) indexUnindexedOrders(ctx context.Context) error {
	key := "s.order_seq"
	if db.DB.Engine.Name == "sqlite" {
		key = "s.rowid"
	}
	q := "SELECT o.seq FROM orders o WHERE o.seq > $1 AND NOT EXISTS (SELECT 1 FROM order_search s WHERE " + key +
		" = o.seq) ORDER BY o.seq LIMIT 1000"
	for after := int64(0); ; {
		var seqs []int64
		err := db.Update(ctx, func(tx *Tx) (err error) {
			if seqs, err = sqldb.QueryColumn[int64](ctx, tx, q, after); err != nil {
				return err
			}
			for _, seq := range seqs {
				if err := tx.ReindexOrder(ctx, seq); err != nil {
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
