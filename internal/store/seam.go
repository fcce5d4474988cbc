package store

import (
	"context"

	"github.com/omshq/oms/internal/store/orders"
	"github.com/omshq/oms/internal/store/sqldb"
)

// What the store's users take from the seam and the orders under their
// store names.

// Dialect is the engine's SQL where the engines differ (sqldb.Dialect).
type Dialect = sqldb.Dialect

// Column is a column of a bulk statement, with its PostgreSQL type.
type Column = sqldb.Column

// UnknownSKUReason begins the reason of the hold on an order with a SKU oms
// does not know.
const UnknownSKUReason = orders.UnknownSKUReason

// WithRequestID returns ctx carrying the request id that events written
// under it record (sqldb.WithRequestID).
func WithRequestID(ctx context.Context, id string) context.Context {
	return sqldb.WithRequestID(ctx, id)
}

// RequestID returns the request id ctx carries, or "".
func RequestID(ctx context.Context) string { return sqldb.RequestID(ctx) }
