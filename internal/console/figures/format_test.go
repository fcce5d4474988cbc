package figures

import "testing"

// Amounts are grouped by thousands in their currency; without one, two
// decimals and no code.
func TestAmount(t *testing.T) {
	tests := []struct {
		v        int64
		currency string
		want     string
	}{
		{123456789, "USD", "1,234,567.89 USD"},
		{-100000, "EUR", "−1,000.00 EUR"},
		{5, "JPY", "5 JPY"},
		{123456, "", "1,234.56"},
	}
	for _, tt := range tests {
		if got := Amount(tt.v, tt.currency); got != tt.want {
			t.Errorf("Amount(%d, %q) = %q, want %q", tt.v, tt.currency, got, tt.want)
		}
	}
	if got := GroupThousands("-1234567.5"); got != "−1,234,567.5" {
		t.Errorf("GroupThousands = %q", got)
	}
}
