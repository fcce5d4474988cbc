package tax

import (
	"strconv"
	"strings"

	"github.com/omshq/oms"
)

// Rate is a tax rate in millionths: 82500 is 0.0825 (8.25 %), 99750 is
// 0.09975 (9.975 %). Six decimals hold every published sales-tax and VAT
// rate exactly. In JSON and other text it is written as the decimal
// "0.0825".
type Rate int64

// One is the rate 1 (100 %), the largest a rule may have.
const One Rate = 1_000_000

// ParseRate reads a rate written as a decimal from 0 to 1 with at most six
// decimals: "0.0825", "0.2", "0", "1". Anything else ("8.25%", "-0.1",
// "0.0000001", ".2") is an error.
func ParseRate(s string) (Rate, error) {
	whole, frac, point := strings.Cut(s, ".")
	if !digits(whole) || (point && !digits(frac)) || len(frac) > 6 || len(whole) > 7 {
		return 0, oms.Invalid("rate", "%s is not a decimal from 0 to 1 with at most 6 decimals", quote(s))
	}
	n, _ := strconv.ParseInt(whole+frac+strings.Repeat("0", 6-len(frac)), 10, 64)
	if r := Rate(n); r <= One {
		return r, nil
	}
	return 0, oms.Invalid("rate", "%s is above 1", quote(s))
}

// String writes the rate as a decimal without trailing zeros: "0.0825".
func (r Rate) String() string {
	sign, n := "", uint64(r)
	if r < 0 {
		sign, n = "-", -n
	}
	s := strconv.FormatUint(n/1_000_000, 10)
	if frac := strings.TrimRight(strconv.FormatUint(1_000_000+n%1_000_000, 10)[1:], "0"); frac != "" {
		s += "." + frac
	}
	return sign + s
}

// MarshalText writes the rate as String does.
func (r Rate) MarshalText() ([]byte, error) { return []byte(r.String()), nil }

// UnmarshalText reads the rate as ParseRate does.
func (r *Rate) UnmarshalText(b []byte) error {
	v, err := ParseRate(string(b))
	if err != nil {
		return err
	}
	*r = v
	return nil
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// quote quotes s for an error message, cut short if it is long.
func quote(s string) string {
	if len(s) > 32 {
		s = s[:32] + "…"
	}
	return strconv.Quote(s)
}
