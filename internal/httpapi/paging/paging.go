// Package paging reads the query string of the API's lists and writes
// their page cursors: the limit, the opaque after cursor (a position, or
// the last SKU of the page before), and the page cut from what was
// fetched.
package paging

import (
	"encoding/base64"
	"net/http"
	"net/url"
	"strconv"
	"unicode"
	"unicode/utf8"

	"github.com/omshq/oms"
)

// Page sizes.
const (
	DefaultLimit = 50
	MaxLimit     = 200
)

// Limit reads the limit query parameter: def when absent, else an
// integer from 1 to most.
func Limit(q url.Values, def, most int) (int, error) {
	v := q.Get("limit")
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > most {
		return 0, oms.Invalid("limit", "must be an integer from 1 to %d", most)
	}
	return n, nil
}

// Params reads limit and after (a cursor) from the query string.
func Params(r *http.Request) (limit int, after int64, err error) {
	q, err := Query(r)
	if err != nil {
		return 0, 0, err
	}
	if limit, err = Limit(q, DefaultLimit, MaxLimit); err != nil {
		return 0, 0, err
	}
	if v := q.Get("after"); v != "" {
		b, err := base64.RawURLEncoding.DecodeString(v)
		n, err2 := strconv.ParseInt(string(b), 10, 64)
		if err != nil || err2 != nil || n <= 0 {
			return 0, 0, oms.Invalid("after", "is not a cursor this API returned")
		}
		after = n
	}
	return limit, after, nil
}

// List reads a list's query: its filters, and the page asked for.
func List(r *http.Request) (q url.Values, limit int, after int64, err error) {
	if limit, after, err = Params(r); err != nil {
		return nil, 0, 0, err
	}
	q, err = Query(r)
	return q, limit, after, err
}

// Query parses the query string, refusing a malformed one rather than
// silently dropping its broken parts.
func Query(r *http.Request) (url.Values, error) {
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return nil, oms.Invalid("query", "the query string is malformed")
	}
	return q, nil
}

// Cursor encodes a position as an opaque page cursor.
func Cursor(pos int64) *string {
	c := base64.RawURLEncoding.EncodeToString([]byte(strconv.FormatInt(pos, 10)))
	return &c
}

// SKUList reads the query of a list in SKU order: limit, after (a
// Cursor holding the last SKU of the previous page) and sku_prefix.
func SKUList(r *http.Request) (q url.Values, limit int, after string, err error) {
	if q, err = Query(r); err != nil {
		return nil, 0, "", err
	}
	var p oms.Problems
	if limit, err = Limit(q, DefaultLimit, MaxLimit); err != nil {
		return nil, 0, "", err
	}
	after = SKUAfter(q, &p)
	if v := q.Get("sku_prefix"); v != "" && !SKUText(v) {
		p.Add("sku_prefix", "must be printable text of at most 100 bytes")
	}
	return q, limit, after, p.Err()
}

// SKUAfter reads the after cursor of a list in SKU order: the SKU a
// SKUCursor holds, "" when there is none. A cursor that cannot hold a SKU is
// recorded in p.
func SKUAfter(q url.Values, p *oms.Problems) string {
	v := q.Get("after")
	if v == "" {
		return ""
	}
	b, err := base64.RawURLEncoding.DecodeString(v)
	if err != nil || len(b) == 0 || !SKUText(string(b)) {
		p.Add("after", "is not a cursor this API returned")
		return ""
	}
	return string(b)
}

// SKUText reports whether s could be (the start of) a SKU: at most 100 bytes
// of UTF-8 without control characters.
func SKUText(s string) bool {
	if len(s) > 100 || !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if unicode.IsControl(r) {
			return false
		}
	}
	return true
}

// SKUCursor encodes the last SKU of a page as an opaque cursor; nil when
// sku is empty (no next page).
func SKUCursor(sku string) *string {
	if sku == "" {
		return nil
	}
	c := base64.RawURLEncoding.EncodeToString([]byte(sku))
	return &c
}

// Of cuts a page of limit items from items fetched with one more (when
// there is a next page), with the cursor of its last item.
func Of[T any](items []T, limit int, pos func(T) int64) ([]T, *string) {
	if len(items) > limit {
		return items[:limit], Cursor(pos(items[limit-1]))
	}
	if items == nil {
		items = []T{}
	}
	return items, nil
}
