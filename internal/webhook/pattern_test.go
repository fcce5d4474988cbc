package webhook

import (
	"strings"
	"testing"

	"github.com/omshq/oms"
)

func TestValidatePattern(t *testing.T) {
	valid := []string{"*", "order.*", "order.created", "fulfillment.ready_for_pickup", "a.b.*", "Order.Created2", "inventory"}
	for _, p := range valid {
		if err := ValidatePattern("event_types[0]", p); err != nil {
			t.Errorf("ValidatePattern(%q) = %v", p, err)
		}
	}
	invalid := []string{"", "order.", ".order", "order..created", "order.*.created", "*.created", "order*", "ord*.x",
		"**", "order.**", "order created", "order-created", "order/created", "ordér.created", strings.Repeat("a", 129)}
	for _, p := range invalid {
		err := ValidatePattern("event_types[3]", p)
		if oms.ErrorCode(err) != oms.EINVALID || !strings.Contains(err.Error(), "event_types[3]") {
			t.Errorf("ValidatePattern(%q) = %v, want an invalid error naming event_types[3]", p, err)
		}
	}
}

func TestMatches(t *testing.T) {
	tests := []struct {
		patterns []string
		typ      string
		want     bool
	}{
		{[]string{"*"}, "order.created", true},
		{[]string{"*"}, "case.opened", true},
		{[]string{"order.*"}, "order.created", true},
		{[]string{"order.*"}, "order.lines_cancelled", true},
		{[]string{"order.*"}, "order.a.b", true},
		{[]string{"order.*"}, "order", false},
		{[]string{"order.*"}, "orders.created", false},
		{[]string{"order.*"}, "fulfillment.shipped", false},
		{[]string{"order.created"}, "order.created", true},
		{[]string{"order.created"}, "order.created_late", false},
		{[]string{"order.created"}, "Order.Created", false},
		{[]string{"return.*", "refund.created"}, "refund.created", true},
		{[]string{"return.*", "refund.created"}, "return.received", true},
		{[]string{"return.*", "refund.created"}, "order.created", false},
		{nil, "order.created", false},
		{[]string{}, "order.created", false},
	}
	for _, tt := range tests {
		if got := Matches(tt.patterns, tt.typ); got != tt.want {
			t.Errorf("Matches(%q, %q) = %v, want %v", tt.patterns, tt.typ, got, tt.want)
		}
	}
}

// FuzzMatches: a valid pattern without a wildcard matches exactly itself,
// "*" matches everything, and "p.*" matches what starts with "p." and has
// more.
func FuzzMatches(f *testing.F) {
	f.Add("order.*", "order.created")
	f.Add("*", "x")
	f.Add("order.created", "order.created")
	f.Add("a.b", "a.b.c")
	f.Fuzz(func(t *testing.T, pattern, typ string) {
		if ValidatePattern("p", pattern) != nil {
			return
		}
		got := Matches([]string{pattern}, typ)
		var want bool
		switch prefix, wild := strings.CutSuffix(pattern, "*"); {
		case pattern == "*":
			want = true
		case wild:
			want = strings.HasPrefix(typ, prefix) && len(typ) > len(prefix)
		default:
			want = typ == pattern
		}
		if got != want {
			t.Fatalf("Matches(%q, %q) = %v, want %v", pattern, typ, got, want)
		}
	})
}
