package webhook

import (
	"strings"

	"github.com/omshq/oms"
)

// maxPatternLength bounds an event type pattern.
const maxPatternLength = 128

// ValidatePattern checks one event type pattern of a subscription: "*" (every
// type), or full-stop separated segments of [a-zA-Z0-9_] (the
// specification's alphabet for event types) of which the last may be "*",
// as in "order.*" or "fulfillment.shipped". It returns an EINVALID
// *oms.Error naming field, which the caller sets to the pattern's place in
// the request, such as "event_types[2]".
func ValidatePattern(field, pattern string) error {
	if pattern == "" || len(pattern) > maxPatternLength {
		return oms.Invalid(field, "must be 1 to %d characters", maxPatternLength)
	}
	segs := strings.Split(pattern, ".")
	for i, s := range segs {
		if s == "*" && i == len(segs)-1 {
			continue
		}
		if s == "" || strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") != "" {
			return oms.Invalid(field, "must be an event type such as order.created, or end in .* such as order.*, or be *; %q is not", pattern)
		}
	}
	return nil
}

// Matches reports whether an event of type typ is one the patterns
// subscribe to. A pattern is an event type, which matches itself; "*",
// which matches every type; or a prefix ending in ".*", which matches every
// type below it: "order.*" matches "order.created" and "order.lines.added"
// but not "order" nor "orders.created". Patterns are assumed valid
// (ValidatePattern); matching is case-sensitive.
func Matches(patterns []string, typ string) bool {
	for _, p := range patterns {
		if p == "*" || p == typ {
			return true
		}
		if prefix, ok := strings.CutSuffix(p, "*"); ok && len(typ) > len(prefix) && strings.HasPrefix(typ, prefix) {
			return true
		}
	}
	return false
}
