package store

import (
	"context"
	"errors"
	"time"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/store/orders"
	"github.com/omshq/oms/internal/store/search"
)

// searchHooks are what the search needs of the rest of the store: who sees
// which orders, and the customers' records.
func (db *DB) searchHooks() search.Hooks {
	return search.Hooks{OrderScope: orders.OrderScope,
		Customers: func(ctx context.Context, r search.Querier, ids []any) (map[int64]*oms.CustomerRecord, error) {
			return db.Desk.Records(ctx, r, ids)
		}}
}

// cleanSearch is one run of the background search-list cleaner.
func (db *DB) cleanSearch() {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if _, err := db.CleanSearchPending(ctx); err != nil && !errors.Is(err, context.Canceled) {
		db.log.Warn("search index: merging the pending list failed; the next run retries", "err", err)
	}
}
