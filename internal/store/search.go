package store

import (
	"context"
	"errors"
	"time"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/store/search"
)

// The order search lives in internal/store/search (search.Index). Order
// placement writes a new order's search document in its own batch insert
// (searchRow, searchCols), and the writes that change a searched field
// rewrite it in their transaction (reindexOrder).

// searchCols are the columns the batch writes the search index with.
func (e engine) searchCols() []column {
	if e.Name == "sqlite" {
		return []column{{Name: "rowid", Type: "bigint"}, {Name: "terms", Type: "text"}}
	}
	return []column{{Name: "order_seq", Type: "bigint"}, {Name: "terms", Type: "text"}}
}

// searchRow is the index row of a newly placed order (search.Row).
func searchRow(p *pending) []any { return search.Row(p.ids.seq, p.order) }

// reindexOrder writes the order's search document anew from its stored
// fields (search.Reindex).
func (tx *Tx) reindexOrder(ctx context.Context, seq int64) error {
	return search.Reindex(ctx, tx.Tx, seq)
}

// wordsLookup is a statement selecting the seq of the orders whose search
// document holds every word, the last one as a prefix with prefix
// (search.WordsLookup).
func (e engine) wordsLookup(words []string, prefix bool, arg func(any) string) string {
	return search.WordsLookup(e.Engine, words, prefix, arg)
}

// searchHooks are what the search needs of the rest of the store: who sees
// which orders, and the customers' records.
func (db *DB) searchHooks() search.Hooks {
	return search.Hooks{OrderScope: orderScope,
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
