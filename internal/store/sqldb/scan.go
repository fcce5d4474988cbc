package sqldb

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"github.com/omshq/oms"
)

// What the store's areas share to read rows back and to answer for what
// is not there.

// Scanner is a row to scan: *sql.Row or *sql.Rows.
type Scanner interface{ Scan(...any) error }

// Querier runs queries: a transaction, or a pool outside any transaction.
type Querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// QueryColumn runs a query of one column and returns its values.
func QueryColumn[T any](ctx context.Context, q Querier, query string, args ...any) ([]T, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		var v T
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// SplitLines reads a newline-separated list; empty is none.
func SplitLines(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

// UTCPtr is the time in UTC, or nil for NULL.
func UTCPtr(t sql.NullTime) *time.Time {
	if !t.Valid {
		return nil
	}
	u := t.Time.UTC()
	return &u
}

// NotFound returns an ENOTFOUND error.
func NotFound(format string, args ...any) error {
	return oms.Errorf(oms.ENOTFOUND, format, args...)
}
