package oms

import (
	"fmt"
	"slices"
	"time"

	"github.com/omshq/oms/money"
)

// ReturnStatus is where a return (RMA) stands.
type ReturnStatus string

// The return statuses: requested → approved → received → closed, or
// requested → rejected.
const (
	ReturnRequested ReturnStatus = "requested"
	ReturnApproved  ReturnStatus = "approved"
	ReturnReceived  ReturnStatus = "received"
	ReturnClosed    ReturnStatus = "closed"
	ReturnRejected  ReturnStatus = "rejected"
)

// ReturnStatuses lists the return statuses.
var ReturnStatuses = []ReturnStatus{ReturnRequested, ReturnApproved, ReturnReceived, ReturnClosed, ReturnRejected}

// Valid reports whether s is a return status.
func (s ReturnStatus) Valid() bool { return slices.Contains(ReturnStatuses, s) }

// Pending reports whether the return's units are promised back but not yet
// received: they count against what may still be returned.
func (s ReturnStatus) Pending() bool { return s == ReturnRequested || s == ReturnApproved }

var returnMoves = map[ReturnStatus][]ReturnStatus{
	ReturnRequested: {ReturnApproved, ReturnRejected},
	ReturnApproved:  {ReturnReceived},
	ReturnReceived:  {ReturnClosed},
}

// Move checks that a return may go from s to next. It returns ECONFLICT
// for a move the lifecycle does not allow.
func (s ReturnStatus) Move(next ReturnStatus) error {
	if !slices.Contains(returnMoves[s], next) {
		return Errorf(ECONFLICT, "a %s return cannot become %s", s, next)
	}
	return nil
}

// The dispositions of a received unit: back into stock at a location, or
// written off (damaged, not sellable; stock does not change).
const (
	DispositionRestock = "restock"
	DispositionScrap   = "scrap"
)

// Dispositions lists the dispositions of a received unit.
var Dispositions = []string{DispositionRestock, DispositionScrap}

// ReturnConditions are the conditions a returned unit may be recorded in.
var ReturnConditions = []string{"new", "opened", "used", "damaged", "defective"}

// DefaultReturnReasons are the reasons a return may give until the
// settings say otherwise.
var DefaultReturnReasons = []string{"damaged", "defective", "wrong_item", "not_as_described", "no_longer_needed", "size_fit", "other"}

// Return is a customer's return (RMA) of shipped units of one order,
// optionally with replacement lines that become an exchange order.
type Return struct {
	ID          string         `json:"id"` // "ret_<n>"
	Number      int64          `json:"number"`
	OrderID     string         `json:"order_id"`
	OrderNumber string         `json:"order_number"`
	Status      ReturnStatus   `json:"status"`
	Source      string         `json:"source"` // staff, or return_link when the customer started it
	Comment     string         `json:"comment,omitempty"`
	Currency    string         `json:"currency"`
	Lines       []ReturnLine   `json:"lines"`
	Units       []ReturnUnit   `json:"units"`    // what was received, in what condition and where it went
	Exchange    []ExchangeLine `json:"exchange"` // replacement lines; empty for a plain return
	// ExchangeOrderID is the order the replacement lines became, once the
	// return was approved.
	ExchangeOrderID string `json:"exchange_order_id,omitempty"`
	// Refund is what the returned units are worth: an estimate on the
	// requested units until they are received, then exact on the received
	// ones.
	Refund        RefundQuote `json:"refund"`
	ExchangeTotal int64       `json:"exchange_total"`
	// PriceDifference is the replacement total less the refund value: what
	// the customer owes (positive) or is owed (negative) for an exchange.
	PriceDifference *int64    `json:"price_difference,omitempty"`
	RefundID        string    `json:"refund_id,omitempty"` // the refund issued when it closed
	RequestedBy     string    `json:"requested_by"`
	CreatedAt       time.Time `json:"created_at"`
	UpdatedAt       time.Time `json:"updated_at"`
	Version         int64     `json:"version"`
}

// The kinds of link between orders.
const (
	LinkExchange   = "exchange"    // the other order is this one's exchange: its replacement
	LinkExchangeOf = "exchange_of" // this order is the other's exchange
)

// LinkKinds lists the kinds of link between orders.
var LinkKinds = []string{LinkExchange, LinkExchangeOf}

// OrderLink ties an order to another through an exchange: kind exchange
// names the replacement order, exchange_of the original.
type OrderLink struct {
	Kind     string `json:"kind"`
	OrderID  string `json:"order_id"`
	ReturnID string `json:"return_id"`
}

// ReturnLine is one order line's units on a return.
type ReturnLine struct {
	LineID    string `json:"line_id"`
	SKU       string `json:"sku"`
	Quantity  int64  `json:"quantity"`
	Received  int64  `json:"received"`
	Reason    string `json:"reason"`
	Condition string `json:"condition,omitempty"` // as the customer describes it
}

// ReturnUnit is received units of one line in one condition with one
// disposition.
type ReturnUnit struct {
	LineID      string `json:"line_id"`
	SKU         string `json:"sku,omitempty"`
	Quantity    int64  `json:"quantity"`
	Condition   string `json:"condition"`
	Disposition string `json:"disposition"`
	Location    string `json:"location,omitempty"` // where restocked units went
	LedgerID    int64  `json:"ledger_id,omitempty"`
}

// ExchangeLine is a replacement line of an exchange.
type ExchangeLine struct {
	SKU       string `json:"sku"`
	Quantity  int64  `json:"quantity"`
	UnitPrice int64  `json:"unit_price"`
	Tax       int64  `json:"tax"`
}

// ExchangeTotal sums the replacement lines, tax included unless the
// original order's prices already include it. ok is false on overflow or
// above MaxAmount.
func ExchangeTotal(lines []ExchangeLine, taxesIncluded bool) (int64, bool) {
	var total int64
	ok := true
	for _, l := range lines {
		ext, k := money.Mul(l.Quantity, l.UnitPrice)
		ok = ok && k
		if !taxesIncluded {
			ext, k = money.Add(ext, l.Tax)
			ok = ok && k
		}
		total, k = money.Add(total, ext)
		ok = ok && k
	}
	return total, ok && total <= MaxAmount
}

// ExchangeCredit is what of an exchange's replacement the customer still
// gets, to take off the refund of the return: the replacement total less
// the value of its units cancelled since it was placed (each line's
// amount, tax included unless its prices include it, prorated by its
// units cancelled, half to even) — nothing once the replacement is
// cancelled whole.
func ExchangeCredit(total int64, replacement *Order) int64 {
	if replacement == nil {
		return total
	}
	for _, l := range replacement.Lines {
		if l.Cancelled == 0 || l.Quantity == 0 {
			continue
		}
		amount := l.Subtotal - l.Discount
		if !replacement.TaxesIncluded {
			amount += l.Tax
		}
		v, _ := Prorate(amount, l.Cancelled, l.Quantity)
		total -= v
	}
	return max(total, 0)
}

// ReturnRequest asks to return units of an order's lines.
type ReturnRequest struct {
	Lines    []ReturnLine
	Comment  string
	Exchange []ExchangeLine
}

// MaxReturnComment bounds a return's comment.
const MaxReturnComment = 2000

// Validate checks the request against the reasons allowed and what each
// line may still return (returnable: shipped − returned − in open returns,
// by line id; a line id missing from it is unknown). It returns EINVALID
// naming each bad field.
func (r *ReturnRequest) Validate(reasons []string, returnable map[string]int64) error {
	var p Problems
	if len(r.Lines) == 0 {
		p.Add("lines", "at least one line is required")
	}
	seen := map[string]bool{}
	for i, l := range r.Lines {
		f := fmt.Sprintf("lines[%d]", i)
		left, known := returnable[l.LineID]
		switch {
		case !known:
			p.Add(f+".line_id", "the order has no line %q", l.LineID)
		case seen[l.LineID]:
			p.Add(f+".line_id", "line %q appears twice", l.LineID)
		case left == 0:
			p.Add(f+".quantity", "line %s has no units to return: none shipped, or all returned or on open returns", l.LineID)
		case l.Quantity < 1 || l.Quantity > left:
			p.Add(f+".quantity", "must be between 1 and %d, the units shipped and not yet returned", left)
		}
		seen[l.LineID] = true
		if !slices.Contains(reasons, l.Reason) {
			p.Add(f+".reason", "must be one of %v", reasons)
		}
		if l.Condition != "" && !slices.Contains(ReturnConditions, l.Condition) {
			p.Add(f+".condition", "must be one of %v", ReturnConditions)
		}
	}
	if len(r.Comment) > MaxReturnComment || !printableText(r.Comment) {
		p.Add("comment", "must be text of at most %d bytes", MaxReturnComment)
	}
	for i, x := range r.Exchange {
		f := fmt.Sprintf("exchange[%d]", i)
		checkSKU(&p, f+".sku", x.SKU)
		if x.Quantity < 1 || x.Quantity > MaxLineQuantity {
			p.Add(f+".quantity", "must be between 1 and %d", MaxLineQuantity)
		}
		checkAmount(&p, f+".unit_price", x.UnitPrice)
		checkAmount(&p, f+".tax", x.Tax)
	}
	if len(r.Exchange) > MaxLines {
		p.Add("exchange", "at most %d lines are allowed", MaxLines)
	}
	if _, ok := ExchangeTotal(r.Exchange, false); !ok && len(p) == 0 {
		p.Add("exchange", "the replacement total is too large")
	}
	return p.Err()
}

// Receipt is received units of one line, as the warehouse records them.
type Receipt struct {
	LineID      string
	Quantity    int64
	Condition   string
	Disposition string
	Location    string // required to restock
}

// CheckReceipts validates what was received against the return: each unit
// of a line on the return, no more than it asked for, in a known condition
// and disposition, restocked at a location. It returns EINVALID naming each
// bad field, and the units received per line id.
func (r *Return) CheckReceipts(units []Receipt) (map[string]int64, error) {
	var p Problems
	if len(units) == 0 {
		p.Add("units", "record at least one received unit")
	}
	got := map[string]int64{}
	for i, u := range units {
		f := fmt.Sprintf("units[%d]", i)
		i := slices.IndexFunc(r.Lines, func(l ReturnLine) bool { return l.LineID == u.LineID })
		if i < 0 {
			p.Add(f+".line_id", "the return has no line %q", u.LineID)
		} else if u.Quantity < 1 || got[u.LineID]+u.Quantity > r.Lines[i].Quantity {
			p.Add(f+".quantity", "must be at least 1, and the line's units received at most the %d returned", r.Lines[i].Quantity)
		}
		got[u.LineID] += u.Quantity
		if !slices.Contains(ReturnConditions, u.Condition) {
			p.Add(f+".condition", "must be one of %v", ReturnConditions)
		}
		if !slices.Contains(Dispositions, u.Disposition) {
			p.Add(f+".disposition", "must be restock or scrap")
		} else if u.Disposition == DispositionRestock && u.Location == "" {
			p.Add(f+".location", "is required to restock: the location the units go back into")
		} else if u.Disposition != DispositionRestock && u.Location != "" {
			p.Add(f+".location", "is given only to restock: scrapped units go into no location")
		}
	}
	return got, p.Err()
}

// Returnable is how many units of the line may still be returned, given
// the units on returns not yet received.
func Returnable(l *Line, pending int64) int64 {
	return max(0, l.Shipped-l.Returned-pending)
}

// FillDifference sets the exchange's price difference from the refund
// value and the replacement total.
func (r *Return) FillDifference() {
	r.PriceDifference = nil
	if len(r.Exchange) > 0 {
		d := r.ExchangeTotal - r.Refund.Total
		r.PriceDifference = &d
	}
}
