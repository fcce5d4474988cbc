package oms

import (
	"fmt"
	"math/bits"
	"slices"
	"time"

	"github.com/omshq/oms/money"
)

// The shipping refund rules: none; the whole shipping charge once every
// unit of the order has come back; or the returned units' share of it.
const (
	ShippingRefundNone         = "none"
	ShippingRefundFull         = "full"
	ShippingRefundProportional = "proportional"
)

// ShippingRefunds lists the rules for refunding shipping on a return.
var ShippingRefunds = []string{ShippingRefundNone, ShippingRefundFull, ShippingRefundProportional}

// The restocking fee kinds: none, a percentage (in basis points) of the
// returned goods, or a fixed amount per return (in minor units of the
// order's currency, never more than the goods).
const (
	FeeNone    = "none"
	FeePercent = "percent"
	FeeFixed   = "fixed"
)

// FeeKinds lists the kinds of restocking fee.
var FeeKinds = []string{FeeNone, FeePercent, FeeFixed}

// ReturnSettings are how returns and refunds work.
type ReturnSettings struct {
	// Reasons a return line may give.
	Reasons []string `json:"reasons"`
	// ShippingRefund is none, full or proportional.
	ShippingRefund string `json:"shipping_refund"`
	// RestockingFee is charged on returned units whose reason is not in
	// FeeExemptReasons.
	RestockingFee    RestockingFee `json:"restocking_fee"`
	FeeExemptReasons []string      `json:"fee_exempt_reasons"`
	// AgentRefundLimit is, per currency, the largest single refund an agent
	// may issue, in minor units; above it (or in a currency not listed) a
	// manager or admin must.
	AgentRefundLimit map[string]int64 `json:"agent_refund_limit"`
	// LinkDays is how long a return link stays valid by default.
	LinkDays int `json:"link_days"`
}

// RestockingFee is the fee kept from a return's refund.
type RestockingFee struct {
	Kind   string `json:"kind"`   // none, percent, fixed
	Amount int64  `json:"amount"` // basis points (1000 = 10%) or minor units
}

// DefaultReturnSettings are the settings until an admin changes them.
func DefaultReturnSettings() ReturnSettings {
	return ReturnSettings{Reasons: slices.Clone(DefaultReturnReasons), ShippingRefund: ShippingRefundFull,
		RestockingFee: RestockingFee{Kind: FeeNone}, FeeExemptReasons: []string{"damaged", "defective", "wrong_item", "not_as_described"},
		AgentRefundLimit: map[string]int64{"USD": 10000, "EUR": 10000, "GBP": 10000}, LinkDays: 30}
}

// Validate checks the settings and returns EINVALID naming each bad field.
func (s *ReturnSettings) Validate() error {
	var p Problems
	if len(s.Reasons) == 0 || len(s.Reasons) > 50 {
		p.Add("reasons", "give 1 to 50 reasons")
	}
	for i, r := range s.Reasons {
		checkCode(&p, fmt.Sprintf("reasons[%d]", i), r)
		if slices.Index(s.Reasons, r) != i {
			p.Add(fmt.Sprintf("reasons[%d]", i), "%q appears twice", r)
		}
	}
	for i, r := range s.FeeExemptReasons {
		if !slices.Contains(s.Reasons, r) {
			p.Add(fmt.Sprintf("fee_exempt_reasons[%d]", i), "%q is not one of the reasons", r)
		}
	}
	if !oneOf(s.ShippingRefund, ShippingRefunds) {
		p.Add("shipping_refund", "must be none, full or proportional")
	}
	switch f := s.RestockingFee; {
	case !oneOf(f.Kind, FeeKinds):
		p.Add("restocking_fee.kind", "must be none, percent or fixed")
	case f.Kind == FeePercent:
		if f.Amount < 0 || f.Amount > 10000 {
			p.Add("restocking_fee.amount", "must be between 0 and 10000 basis points")
		}
	case f.Kind == FeeFixed:
		checkAmount(&p, "restocking_fee.amount", f.Amount)
	}
	for c, v := range s.AgentRefundLimit {
		if _, ok := money.Lookup(c); !ok {
			p.Add("agent_refund_limit", "%q is not an ISO 4217 currency code", c)
		}
		checkAmount(&p, "agent_refund_limit."+c, v)
	}
	if s.LinkDays < 1 || s.LinkDays > 365 {
		p.Add("link_days", "must be between 1 and 365")
	}
	return p.Err()
}

// MayRefund checks that the role may issue a refund of amount in the
// currency: managers and admins may issue any, agents up to their limit.
// It returns EFORBIDDEN otherwise.
func (s *ReturnSettings) MayRefund(role Role, currency string, amount int64) error {
	switch role {
	case RoleAdmin, RoleManager:
		return nil
	case RoleAgent:
		limit, ok := s.AgentRefundLimit[currency]
		switch {
		case !ok:
			return Errorf(EFORBIDDEN, "agents have no refund limit in %s (agent_refund_limit); a manager must issue it", currency)
		case amount > limit:
			return Errorf(EFORBIDDEN, "a refund of %s %s is above an agent's limit of %s; a manager must issue it",
				money.Format(amount, currency), currency, money.Format(limit, currency))
		}
		return nil
	}
	return Errorf(EFORBIDDEN, "the %s role may not refund", role)
}

// RefundQuote is what returned units are worth, in minor units.
type RefundQuote struct {
	Goods    int64 `json:"goods"`    // the units' share of their lines after discounts
	Tax      int64 `json:"tax"`      // their share of the lines' tax (inside Goods when prices include tax)
	Shipping int64 `json:"shipping"` // shipping and its tax, by the shipping rule
	Fee      int64 `json:"fee"`      // the restocking fee kept
	Total    int64 `json:"total"`    // goods + tax (unless included) + shipping − fee, never below 0
}

// Returning is the units of one line a quote covers.
type Returning struct {
	LineID string
	Units  int64
	Reason string
}

// QuoteRefund prices returned units exactly. Each line's share is its
// net amount (subtotal − discount) and tax times the units returned so far,
// over the units ordered, rounded down; a return refunds the difference
// between that share after it and before it (Line.Returned is the units
// before), so that returning every unit, in any number of returns, refunds
// exactly the line's amounts. Shipping follows the rule, the same way over
// all the order's units not cancelled.
func QuoteRefund(o *Order, units []Returning, s *ReturnSettings) RefundQuote {
	var q RefundQuote
	var feeBase int64
	var before, after, live int64
	var lineTax int64
	for i := range o.Lines {
		l := &o.Lines[i]
		live += l.Quantity - l.Cancelled
		before += l.Returned
		lineTax += l.Tax
	}
	after = before
	for _, u := range units {
		l := o.Line(u.LineID)
		if l == nil || u.Units <= 0 || l.Quantity <= 0 {
			continue
		}
		sub, _ := l.LineSubtotal()
		net := sub - l.Discount
		goods := share(net, l.Returned, u.Units, l.Quantity)
		tax := share(l.Tax, l.Returned, u.Units, l.Quantity)
		q.Goods += goods
		q.Tax += tax
		if !slices.Contains(s.FeeExemptReasons, u.Reason) {
			feeBase += goods
			if !o.TaxesIncluded {
				feeBase += tax
			}
		}
		after += u.Units
	}
	shipping := o.ShippingTotal
	if !o.TaxesIncluded {
		shipping += max(0, o.TaxTotal-lineTax) // the shipping tax
	}
	switch s.ShippingRefund {
	case ShippingRefundFull:
		if live > 0 && after >= live && before < live {
			q.Shipping = shipping
		}
	case ShippingRefundProportional:
		if live > 0 {
			q.Shipping = share(shipping, min(before, live), min(after, live)-min(before, live), live)
		}
	}
	switch s.RestockingFee.Kind {
	case FeePercent:
		q.Fee = mulDiv(feeBase, s.RestockingFee.Amount, 10000)
	case FeeFixed:
		if feeBase > 0 {
			q.Fee = min(s.RestockingFee.Amount, feeBase)
		}
	}
	q.Total = q.Goods + q.Shipping - q.Fee
	if !o.TaxesIncluded {
		q.Total += q.Tax
	}
	q.Total = max(0, q.Total)
	return q
}

// share is the part of amount that units k after the first done of n
// carry: ⌊amount·(done+k)/n⌋ − ⌊amount·done/n⌋. Summed over every unit it is
// amount exactly.
func share(amount, done, k, n int64) int64 {
	if n <= 0 || amount <= 0 {
		return 0
	}
	end := min(done+k, n)
	return mulDiv(amount, end, n) - mulDiv(amount, min(done, n), n)
}

// mulDiv is ⌊a·b/c⌋ for non-negative a, b and positive c with a·b/c in
// range, through a 128-bit product so that it never overflows.
func mulDiv(a, b, c int64) int64 {
	hi, lo := bits.Mul64(uint64(a), uint64(b))
	if hi >= uint64(c) {
		return 1<<63 - 1
	}
	q, _ := bits.Div64(hi, lo, uint64(c))
	return int64(q)
}

// The refund kinds: for a return, by hand (a correction), or a goodwill
// credit (appeasement) for a customer's trouble.
const (
	RefundReturn      = "return"
	RefundManual      = "manual"
	RefundAppeasement = "appeasement"
)

// RefundKinds lists the kinds of refund: a return's, or one made by hand.
var RefundKinds = []string{RefundReturn, RefundManual, RefundAppeasement}

// ManualRefundKinds are the refunds a person may record by hand.
var ManualRefundKinds = []string{RefundManual, RefundAppeasement}

// Refund is money given back on an order: a record for finance; paying it
// is the payment provider's business.
type Refund struct {
	ID               string    `json:"id"` // "ref_<n>"
	OrderID          string    `json:"order_id"`
	OrderNumber      string    `json:"order_number"`
	Kind             string    `json:"kind"`
	Amount           int64     `json:"amount"`
	Currency         string    `json:"currency"`
	Reason           string    `json:"reason"`
	PaymentReference string    `json:"payment_reference,omitempty"`
	ReturnID         string    `json:"return_id,omitempty"`
	Actor            string    `json:"actor"`
	CreatedAt        time.Time `json:"created_at"`
}

// CheckRefund validates a refund by hand: a manual refund or an
// appeasement, an amount from 1 to what is left of the order's total, a
// reason. It returns EINVALID naming each bad field.
func CheckRefund(kind string, amount, left int64, reason, reference string) error {
	var p Problems
	if !oneOf(kind, ManualRefundKinds) {
		p.Add("kind", "must be manual or appeasement")
	}
	if amount < 1 || amount > left {
		p.Add("amount", "must be between 1 and %d, what is left of the order's total after its refunds", left)
	}
	CheckText(&p, "reason", reason, 500)
	if len(reference) > 200 || !printable(reference) {
		p.Add("payment_reference", "must be printable text of at most 200 bytes")
	}
	return p.Err()
}
