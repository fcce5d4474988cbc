package oms

import (
	"time"

	"github.com/omshq/oms/money"
)

// A customer is one person across channels. Orders make customers: two
// orders are the same customer when their normalised emails are equal
// (NormalizeEmail: case and surrounding spaces only — "Jane@X.com " is
// "jane@x.com", but "j.ane+shop@gmail.com" stays a different address, since
// only some providers ignore dots and tags), or when a channel gives the
// same customer id for both (an identity). An identity wins over an email:
// a returning Shopify customer with a new email is still the same customer.

// MaxChannelCustomerID bounds a channel's customer id.
const MaxChannelCustomerID = 255

// Identity is a channel's own id for a customer.
type Identity struct {
	Channel    string    `json:"channel"`
	ExternalID string    `json:"external_id"`
	CreatedAt  time.Time `json:"created_at"`
}

// CustomerRecord is a customer as oms keeps them: the contact details of
// their first order, and their identities on the channels.
type CustomerRecord struct {
	ID         string     `json:"id"`
	Email      string     `json:"email,omitempty"` // empty for a customer known only by a channel identity
	Name       string     `json:"name,omitempty"`
	Phone      string     `json:"phone,omitempty"`
	CreatedAt  time.Time  `json:"created_at"`
	Identities []Identity `json:"identities,omitempty"`
}

// OrderSummary is one order in a list: enough to recognise it.
type OrderSummary struct {
	ID         string    `json:"id"`
	Number     string    `json:"number"`
	Channel    string    `json:"channel"`
	ExternalID string    `json:"external_id"`
	Status     Status    `json:"status"`
	Currency   string    `json:"currency"`
	Total      int64     `json:"total"`
	Customer   Customer  `json:"customer"`
	PlacedAt   time.Time `json:"placed_at"`
}

// Amount is a sum of money in one currency over a number of orders.
type Amount struct {
	Currency string `json:"currency"`
	Amount   int64  `json:"amount"`
	Orders   int64  `json:"orders"`
}

// LifetimeValue is what a customer's orders are worth: the totals of their
// orders that are not cancelled, per order currency, and in the base
// currency where the orders have base totals. Base is complete when every
// counted order has a base total (and all in one base currency). Refunds are
// not subtracted yet.
type LifetimeValue struct {
	ByCurrency   []Amount `json:"by_currency"`
	Base         *Amount  `json:"base,omitempty"`
	BaseComplete bool     `json:"base_complete"`
}

// OrderValue is what one order adds to a lifetime value.
type OrderValue struct {
	Status       Status
	Currency     string
	Total        int64
	BaseCurrency string // "" when the order has no base total (yet)
	BaseTotal    int64
}

// ComputeLifetimeValue sums the orders' values exactly: per currency in
// the order given, and in the base currency. Cancelled orders count for
// nothing. It returns EINVALID if a sum would overflow.
func ComputeLifetimeValue(orders []OrderValue) (LifetimeValue, error) {
	lv := LifetimeValue{ByCurrency: []Amount{}, BaseComplete: true}
	at := make(map[string]int)
	for _, o := range orders {
		if o.Status == StatusCancelled {
			continue
		}
		i, ok := at[o.Currency]
		if !ok {
			i = len(lv.ByCurrency)
			at[o.Currency] = i
			lv.ByCurrency = append(lv.ByCurrency, Amount{Currency: o.Currency})
		}
		if err := addAmount(&lv.ByCurrency[i], o.Total); err != nil {
			return lv, err
		}
		switch {
		case o.BaseCurrency == "":
			lv.BaseComplete = false
		case lv.Base == nil:
			lv.Base = &Amount{Currency: o.BaseCurrency}
			fallthrough
		case lv.Base.Currency == o.BaseCurrency:
			if err := addAmount(lv.Base, o.BaseTotal); err != nil {
				return lv, err
			}
		default:
			lv.BaseComplete = false // the base currency changed between orders
		}
	}
	if lv.Base == nil {
		lv.BaseComplete = false
	}
	return lv, nil
}

func addAmount(a *Amount, v int64) error {
	sum, ok := money.Add(a.Amount, v)
	if !ok {
		return Errorf(EINVALID, "the %s lifetime value is too large to sum", a.Currency)
	}
	a.Amount = sum
	a.Orders++
	return nil
}

// CustomerView is a customer with their history across every channel.
type CustomerView struct {
	CustomerRecord
	OrderCount    int64          `json:"order_count"`
	FirstOrderAt  *time.Time     `json:"first_order_at,omitempty"`
	LastOrderAt   *time.Time     `json:"last_order_at,omitempty"`
	LifetimeValue LifetimeValue  `json:"lifetime_value"`
	UnitsReturned int64          `json:"units_returned"`
	OpenCases     int64          `json:"open_cases"`
	Orders        []OrderSummary `json:"orders"`      // newest first, one page
	NextCursor    *string        `json:"next_cursor"` // the next page of orders; null on the last
}
