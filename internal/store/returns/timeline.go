package returns

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/store/customers"
	"github.com/omshq/oms/money"
)

// returnEventData is what the timeline reads from return, refund and
// exchange events.
type returnEventData struct {
	Return   string           `json:"return"`
	Units    int64            `json:"units"`
	Refund   *oms.RefundQuote `json:"refund"`
	Currency string           `json:"currency"`
	Source   string           `json:"source"`
	Received []oms.ReturnUnit `json:"units_received"`
	Exchange string           `json:"exchange_order"`
	RefundID string           `json:"refund_id"`
	// refund.created
	ID       string `json:"id"`
	Kind     string `json:"kind"`
	Amount   int64  `json:"amount"`
	ReturnID string `json:"return_id"`
	Reason   string `json:"reason"`
	// exchange.created
	Original   string     `json:"original_order"`
	Difference *int64     `json:"price_difference"`
	Expires    *time.Time `json:"expires_at"`
}

// Summary says in words what a return, refund or exchange event did, with
// its particulars, for the timeline; false for another event, or one it
// has nothing particular to say of (the timeline names it by its type).
func Summary(e oms.Event) (string, bool) {
	var d returnEventData
	if !strings.HasPrefix(e.Type, "return") && e.Type != oms.EventRefundCreated && e.Type != oms.EventExchangeCreated ||
		json.Unmarshal(e.Data, &d) != nil {
		return "", false
	}
	value := ""
	if d.Refund != nil {
		value = ", refund value " + money.Format(d.Refund.Total, d.Currency) + " " + d.Currency
	}
	switch e.Type {
	case oms.EventReturnRequested:
		by := ""
		if d.Source == oms.SourceLink {
			by = " by the customer through a return link"
		}
		return fmt.Sprintf("Return %s requested%s: %d units%s", d.Return, by, d.Units, value), true
	case oms.EventReturnApproved:
		if d.Exchange != "" {
			return fmt.Sprintf("Return %s approved; exchange order %s placed", d.Return, d.Exchange), true
		}
		return fmt.Sprintf("Return %s approved", d.Return), true
	case oms.EventReturnReceived:
		var restocked, scrapped int64
		for _, u := range d.Received {
			if u.Disposition == oms.DispositionRestock {
				restocked += u.Quantity
			} else {
				scrapped += u.Quantity
			}
		}
		return fmt.Sprintf("Return %s received: %d restocked, %d scrapped%s", d.Return, restocked, scrapped, value), true
	case oms.EventReturnClosed:
		if d.RefundID != "" {
			return fmt.Sprintf("Return %s closed, refunded by %s", d.Return, d.RefundID), true
		}
		return fmt.Sprintf("Return %s closed, nothing to refund", d.Return), true
	case oms.EventReturnRejected:
		return fmt.Sprintf("Return %s rejected", d.Return), true
	case oms.EventRefundCreated:
		s := fmt.Sprintf("Refund %s of %s %s (%s", d.ID, money.Format(d.Amount, d.Currency), d.Currency, d.Kind)
		if d.ReturnID != "" {
			s += " for " + d.ReturnID
		}
		return s + "): " + customers.Clip(d.Reason, 120), true
	case oms.EventExchangeCreated:
		s := fmt.Sprintf("Exchange order for return %s of order %s", d.Return, d.Original)
		if d.Difference != nil {
			s += ", price difference " + money.Format(*d.Difference, d.Currency) + " " + d.Currency
		}
		return s, true
	case oms.EventReturnLinkCreated:
		if d.Expires != nil {
			return "Return link made, valid until " + d.Expires.UTC().Format("2006-01-02"), true
		}
	}
	return "", false
}
