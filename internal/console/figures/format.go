package figures

import (
	"strings"

	"github.com/omshq/oms/money"
)

// GroupThousands puts thin separators in the whole part of a decimal:
// 12345.67 → 12,345.67.
func GroupThousands(s string) string {
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	whole, frac, hasFrac := strings.Cut(s, ".")
	var b strings.Builder
	for i, r := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	out := b.String()
	if hasFrac {
		out += "." + frac
	}
	if neg {
		out = "−" + out
	}
	return out
}

// amount formats minor units in the currency, or with two decimals when
// there is none (no base currency set).
func Amount(v int64, currency string) string {
	if currency == "" {
		return GroupThousands(money.Format(v, "USD"))
	}
	return GroupThousands(money.Format(v, currency)) + " " + currency
}
