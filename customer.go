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
	// AmountsUnknown says the channel sent the order cancelled and without
	// its amounts: the total is written as null.
	AmountsUnknown bool `json:"amounts_unknown,omitempty"`
}

// Amount is a sum of money in one currency over a number of orders.
type Amount struct {
	Currency string `json:"currency"`
	Amount   int64  `json:"amount"`
	Orders   int64  `json:"orders"`
}

// LifetimeValue is what a customer's orders are worth: the totals of their
// orders that are not cancelled, less what was refunded on them, per order
// currency, and in the base currency where the orders have base totals (a
// refund counts there at its order's rate). Base is complete when every
// counted order has a base total (and all in one base currency). Refunded
// is what the refunds (returns, manual refunds, goodwill credits) came to,
// per currency.
type LifetimeValue struct {
	ByCurrency   []Amount `json:"by_currency"`
	Refunded     []Amount `json:"refunded"`
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
	Refunded     int64 // the order's refunds, in its currency
	// Credit is what of an exchange's replacement the return it replaces
	// pays for: counted with the original order, so not again here.
	Credit int64
}

// ComputeLifetimeValue sums the orders' values exactly: per currency in
// the order given, and in the base currency. Cancelled orders count for
// nothing, unless something was refunded on them; an exchange's
// replacement counts for what the return it replaces does not pay. It returns EINVALID if a
// sum would overflow.
func ComputeLifetimeValue(orders []OrderValue) (LifetimeValue, error) {
	lv := LifetimeValue{ByCurrency: []Amount{}, Refunded: []Amount{}, BaseComplete: true}
	at, refundedAt := make(map[string]int), make(map[string]int)
	for _, o := range orders {
		total, baseTotal := o.Total, o.BaseTotal
		if o.Status == StatusCancelled {
			total, baseTotal = 0, 0
			if o.Refunded == 0 {
				continue
			}
		} else if credit := min(o.Credit, o.Total); credit > 0 {
			share, _ := Prorate(credit, o.BaseTotal, o.Total) // the credit at the order's rate
			total, baseTotal = total-credit, baseTotal-share
		}
		if o.Refunded != 0 {
			share, _ := Prorate(o.Refunded, o.BaseTotal, o.Total) // the refund at the order's rate
			baseTotal -= share
			total -= o.Refunded
			if err := addAmount(amountIn(&lv.Refunded, refundedAt, o.Currency), o.Refunded); err != nil {
				return lv, err
			}
		}
		if err := addAmount(amountIn(&lv.ByCurrency, at, o.Currency), total); err != nil {
			return lv, err
		}
		o.BaseTotal = baseTotal
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

// amountIn returns the amount of the currency in list, adding it when new.
func amountIn(list *[]Amount, at map[string]int, currency string) *Amount {
	i, ok := at[currency]
	if !ok {
		i = len(*list)
		at[currency] = i
		*list = append(*list, Amount{Currency: currency})
	}
	return &(*list)[i]
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
	Returns       int64          `json:"returns"` // returns asked for on their orders, not rejected
	OpenCases     int64          `json:"open_cases"`
	Orders        []OrderSummary `json:"orders"`      // newest first, one page
	NextCursor    *string        `json:"next_cursor"` // the next page of orders; null on the last
}
