package sqldb

import (
	"database/sql"
	"strings"
	"time"

	"github.com/omshq/oms"
)

// What the store's areas share to read rows back and to answer for what
// is not there.

// Scanner is a row to scan: *sql.Row or *sql.Rows.
type Scanner interface{ Scan(...any) error }

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
