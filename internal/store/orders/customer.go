package orders

import (
	"strings"

	"github.com/omshq/oms/internal/store/customers"
)

// clip shortens s to at most n bytes, on a rune boundary, marking the cut
// (customers.Clip).
func clip(s string, n int) string { return customers.Clip(s, n) }

// Summarize turns an event type into words for a person: "order.placed"
// becomes "Order placed".
func Summarize(typ string) string {
	s := strings.NewReplacer(".", " ", "_", " ").Replace(typ)
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
