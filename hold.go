package oms

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/omshq/oms/money"
)

// HoldType is why an order is stopped before fulfillment.
type HoldType string

// The hold types.
const (
	HoldFraud   HoldType = "fraud"
	HoldPayment HoldType = "payment"
	HoldAddress HoldType = "address"
	HoldManual  HoldType = "manual"
)

// HoldTypes lists every hold type.
var HoldTypes = []HoldType{HoldFraud, HoldPayment, HoldAddress, HoldManual}

// Hold stops an order from being fulfilled until it is released. Its stock
// stays reserved meanwhile.
type Hold struct {
	Type       HoldType   `json:"type"`
	Reason     string     `json:"reason"`
	PlacedBy   string     `json:"placed_by"`
	PlacedAt   time.Time  `json:"placed_at"`
	ReleasedBy string     `json:"released_by,omitempty"`
	ReleasedAt *time.Time `json:"released_at,omitempty"`
}

// Active reports whether the hold still stops the order.
func (h Hold) Active() bool { return h.ReleasedAt == nil }

// ValidateHold checks a hold request and returns an EINVALID error naming
// each bad field.
func ValidateHold(t HoldType, reason string) error {
	var p Problems
	if !slices.Contains(HoldTypes, t) {
		p.Add("type", "must be one of fraud, payment, address, manual")
	}
	if len(reason) > 500 || !printable(reason) {
		p.Add("reason", "must be printable text of at most 500 bytes")
	}
	return p.Err()
}

// Screening is the rule set that puts suspicious orders on hold as they are
// placed. A zero field turns its rule off.
type Screening struct {
	// MaxTotal holds orders whose total exceeds this, per currency, in minor
	// units: {"USD": 500000} holds orders over 5,000.00 USD.
	MaxTotal map[string]int64 `json:"max_total"`
	// BillingMustMatch holds orders whose billing country differs from the
	// ship-to country.
	BillingMustMatch bool `json:"billing_must_match"`
	// MaxOrdersPerEmail holds an order when its customer's email already has
	// this many orders within WindowMinutes.
	MaxOrdersPerEmail int `json:"max_orders_per_email"`
	// MaxOrdersPerAddress does the same for the ship-to address (street,
	// postal code and country, whatever the email).
	MaxOrdersPerAddress int `json:"max_orders_per_address"`
	WindowMinutes       int `json:"window_minutes"`
	// CheckAddress holds orders whose ship-to address fails basic checks: a
	// postal code in the country's format where the country has one.
	CheckAddress bool `json:"check_address"`
}

// Validate checks the rule set and returns an EINVALID error naming each
// bad field.
func (s *Screening) Validate() error {
	var p Problems
	for cur, v := range s.MaxTotal {
		if !validCurrency(cur) {
			p.Add("max_total."+cur, "is not an ISO 4217 currency")
		} else if v < 0 || v > MaxAmount*1000 {
			p.Add("max_total."+cur, "must be a positive amount in minor units")
		}
	}
	if s.MaxOrdersPerEmail < 0 || s.MaxOrdersPerEmail > 1_000_000 {
		p.Add("max_orders_per_email", "must be between 0 and 1000000")
	}
	if s.MaxOrdersPerAddress < 0 || s.MaxOrdersPerAddress > 1_000_000 {
		p.Add("max_orders_per_address", "must be between 0 and 1000000")
	}
	if s.WindowMinutes < 0 || s.WindowMinutes > 60*24*365 {
		p.Add("window_minutes", "must be between 0 and a year")
	}
	if (s.MaxOrdersPerEmail > 0 || s.MaxOrdersPerAddress > 0) && s.WindowMinutes == 0 {
		p.Add("window_minutes", "is required with max_orders_per_email or max_orders_per_address")
	}
	return p.Err()
}

// ScreenInput is what screening looks at besides the order.
type ScreenInput struct {
	Billing         *Address
	RecentOrders    int // the customer email's orders within the window, before this one
	RecentAtAddress int // the ship-to address's orders within the window, before this one
}

// AddressKey is an address reduced to what identifies a door: street,
// postal code and country, lower-cased, spaces squeezed. Empty without a
// street.
func AddressKey(a *Address) string {
	if a == nil || strings.TrimSpace(a.Line1) == "" {
		return ""
	}
	norm := func(s string) string { return strings.Join(strings.Fields(strings.ToLower(s)), " ") }
	return norm(a.Line1) + "|" + norm(a.PostalCode) + "|" + a.Country
}

// Screen returns the holds the rules put on the order, each with its reason.
func (s *Screening) Screen(o *Order, in ScreenInput) []Hold {
	var out []Hold
	hold := func(t HoldType, format string, args ...any) {
		out = append(out, Hold{Type: t, Reason: fmt.Sprintf(format, args...), PlacedBy: "screening"})
	}
	if limit, ok := s.MaxTotal[o.Currency]; ok && limit > 0 && o.Total > limit {
		hold(HoldFraud, "total %d is above the review threshold %d %s", o.Total, limit, o.Currency)
	}
	if s.BillingMustMatch && in.Billing != nil && o.ShipTo != nil && in.Billing.Country != o.ShipTo.Country {
		hold(HoldFraud, "billing country %s differs from ship-to country %s", in.Billing.Country, o.ShipTo.Country)
	}
	if s.MaxOrdersPerEmail > 0 && o.Customer.Email != "" && in.RecentOrders >= s.MaxOrdersPerEmail {
		hold(HoldFraud, "%s placed %d orders in the last %d minutes", o.Customer.Email, in.RecentOrders, s.WindowMinutes)
	}
	if s.MaxOrdersPerAddress > 0 && AddressKey(o.ShipTo) != "" && in.RecentAtAddress >= s.MaxOrdersPerAddress {
		hold(HoldFraud, "%d orders went to this address in the last %d minutes", in.RecentAtAddress, s.WindowMinutes)
	}
	if s.CheckAddress && o.ShipTo != nil {
		if problem := addressProblem(o.ShipTo); problem != "" {
			hold(HoldAddress, "%s", problem)
		}
	}
	return out
}

func validCurrency(code string) bool {
	_, ok := money.Lookup(code)
	return ok
}

// postalFormats are the postal code formats checked, by country.
var postalFormats = map[string]*regexp.Regexp{
	"US": regexp.MustCompile(`^\d{5}(-\d{4})?$`),
	"CA": regexp.MustCompile(`^[A-Za-z]\d[A-Za-z] ?\d[A-Za-z]\d$`),
	"GB": regexp.MustCompile(`^[A-Za-z]{1,2}\d[A-Za-z\d]? ?\d[A-Za-z]{2}$`),
	"DE": regexp.MustCompile(`^\d{5}$`),
	"FR": regexp.MustCompile(`^\d{5}$`),
	"ES": regexp.MustCompile(`^\d{5}$`),
	"IT": regexp.MustCompile(`^\d{5}$`),
	"NL": regexp.MustCompile(`^\d{4} ?[A-Za-z]{2}$`),
	"AU": regexp.MustCompile(`^\d{4}$`),
	"JP": regexp.MustCompile(`^\d{3}-?\d{4}$`),
}

// addressProblem returns what is wrong with a ship-to address, or "".
func addressProblem(a *Address) string {
	if strings.TrimSpace(a.Line1) == "" || strings.TrimSpace(a.City) == "" {
		return "the ship-to address has no street or city"
	}
	re, ok := postalFormats[a.Country]
	if !ok {
		return ""
	}
	if pc := strings.TrimSpace(a.PostalCode); pc == "" || !re.MatchString(pc) {
		return fmt.Sprintf("postal code %q is not a valid %s postal code", a.PostalCode, a.Country)
	}
	return ""
}
