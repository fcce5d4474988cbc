package payload

import (
	"encoding/json"
	"strconv"
	"strings"

	"github.com/omshq/oms"
)

// Present reports whether a raw JSON field was sent with a value: neither
// absent nor null.
func Present(raw json.RawMessage) bool {
	s := strings.TrimSpace(string(raw))
	return s != "" && s != "null"
}

// Integer reads a JSON integer literal exactly, which a float could not do
// for ids above 2^53. present is false for an absent or null value; ok is
// false for anything but an integer that fits an int64.
func Integer(raw json.RawMessage) (v int64, present, ok bool) {
	if !Present(raw) {
		return 0, false, false
	}
	v, err := strconv.ParseInt(strings.TrimSpace(string(raw)), 10, 64)
	return v, true, err == nil
}

// ID returns the id at path, a positive JSON integer, as a decimal string
// exactly as sent. An absent id is a problem "is required", any other value
// "must be a positive integer"; either way ID returns "".
func ID(p *oms.Problems, path string, raw json.RawMessage) string {
	id, present, ok := Integer(raw)
	switch {
	case !present:
		p.Add(path, "is required")
	case !ok || id < 1:
		p.Add(path, "must be a positive integer")
	default:
		return strconv.FormatInt(id, 10)
	}
	return ""
}

// FirstID returns the first of the ids that is a positive integer (a
// simple WooCommerce product's variation_id is 0, a Shopify variant may be
// null), as a decimal string, or "".
func FirstID(raws ...json.RawMessage) string {
	for _, raw := range raws {
		if v, _, ok := Integer(raw); ok && v > 0 {
			return strconv.FormatInt(v, 10)
		}
	}
	return ""
}

// Quantity reads a line quantity at path: a JSON integer from 1 to
// oms.MaxLineQuantity. An absent one is a problem "is required", any other
// value "must be an integer from 1 to N"; either way Quantity returns 0.
func Quantity(p *oms.Problems, path string, raw json.RawMessage) int64 {
	q, present, ok := Integer(raw)
	switch {
	case !present:
		p.Add(path, "is required")
	case !ok || q < 1 || q > oms.MaxLineQuantity:
		p.Add(path, "must be an integer from 1 to %d", oms.MaxLineQuantity)
	default:
		return q
	}
	return 0
}

// QuantityFrom reads a quantity at path: a whole number from least (0 lets
// an Amazon item cancelled before shipping through) to oms.MaxLineQuantity.
// Its problems are worded apart from Quantity's: "is required", "must be a
// whole number, not 1.5" (quoting the value) and "must be between least and
// N". ok is false after a problem, and the quantity 0.
func QuantityFrom(p *oms.Problems, path string, raw json.RawMessage, least int64) (n int64, ok bool) {
	n, present, ok := Integer(raw)
	switch {
	case !present:
		p.Add(path, "is required")
	case !ok:
		p.Add(path, "must be a whole number, not %s", Clip(strings.TrimSpace(string(raw)), 32))
	case n < least || n > oms.MaxLineQuantity:
		p.Add(path, "must be between %d and %d", least, oms.MaxLineQuantity)
	default:
		return n, true
	}
	return 0, false
}

// LineCount checks the number of lines n of the list at path: at least one
// ("at least one line is required") and at most oms.MaxLines. It reports
// whether n is within them.
func LineCount(p *oms.Problems, path string, n int) bool {
	switch {
	case n == 0:
		p.Add(path, "at least one line is required")
	case n > oms.MaxLines:
		p.Add(path, "at most %d lines are allowed", oms.MaxLines)
	default:
		return true
	}
	return false
}
