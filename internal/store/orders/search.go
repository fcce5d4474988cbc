package orders

import (
	"context"

	"github.com/omshq/oms/internal/store/search"
)

// The order search lives in internal/store/search (search.Index). Order
// placement writes a new order's search document in its own batch insert
// (searchRow, SearchCols), and the writes that change a searched field
// rewrite it in their transaction (ReindexOrder).

// SearchCols are the columns the batch writes the search index with.
func (e engine) SearchCols() []column {
	if e.Name == "sqlite" {
		return []column{{Name: "rowid", Type: "bigint"}, {Name: "terms", Type: "text"}}
	}
	return []column{{Name: "order_seq", Type: "bigint"}, {Name: "terms", Type: "text"}}
}

// ReindexOrder writes the order's search document anew from its stored
// fields (search.Reindex).
func (tx *Tx) ReindexOrder(ctx context.Context, seq int64) error {
	return search.Reindex(ctx, tx.Tx, seq)
}

// WordsLookup is a statement selecting the seq of the orders whose search
// document holds every word, the last one as a prefix with prefix
// (search.WordsLookup).
func (e engine) WordsLookup(words []string, prefix bool, arg func(any) string) string {
	return search.WordsLookup(e.Engine, words, prefix, arg)
}
