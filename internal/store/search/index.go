package search

import (
	"context"
	"fmt"
	"strconv"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/store/sqldb"
)

// Row is the index row of a newly placed order, its seq given, as the
// placement batch inserts it (Cols).
func Row(seq int64, o *oms.Order) []any {
	return []any{seq, oms.SearchDocument(o.Number, o.ExternalID, o.Customer, nil)}
}

// Reindex writes the search document of the order with the seq anew from
// its stored fields, in tx.
func Reindex(ctx context.Context, tx *sqldb.Tx, seq int64) error {
	var ext string
	var c oms.Customer
	if err := tx.QueryRowContext(ctx, selectSearchSource, seq).Scan(&ext, &c.Email, &c.Name, &c.Phone); err != nil {
		return fmt.Errorf("reindex order %d: %w", seq, err)
	}
	tracking, err := sqldb.QueryColumn[string](ctx, tx, selectTrackingNumbers, seq)
	if err != nil {
		return err
	}
	doc := oms.SearchDocument(strconv.FormatInt(seq, 10), ext, c, tracking)
	if tx.Engine().Name == "postgres" {
		_, err = tx.ExecContext(ctx, upsertSearchPG, seq, doc)
		return err
	}
	if _, err := tx.ExecContext(ctx, deleteSearchSQLite, seq); err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, insertSearchSQLite, seq, doc)
	return err
}
