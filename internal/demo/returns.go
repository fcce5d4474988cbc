package demo

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/omshq/oms"
)

// A return goes through the demo in steps on later days.
type returnStep struct {
	on      time.Time
	orderID string
	lines   []oms.FulfillmentLine // what came, for a return to ask
	id      string                // the return, once asked
	status  oms.ReturnStatus
}

// reasons are why customers send things back, weighed by reasonWeights.
var (
	reasons       = []string{"size_fit", "no_longer_needed", "not_as_described", "defective", "damaged", "wrong_item", "other"}
	reasonWeights = []int{6, 6, 3, 2, 2, 1, 2}
)

func (s *sim) reason() string { return reasons[weighted(s.r, reasonWeights)] }

// delivered decides what becomes of a delivered shipment: a few come
// back, a few earn a goodwill credit.
func (s *sim) delivered(ctx context.Context, day time.Time, f oms.Fulfillment) error {
	switch x := s.r.IntN(100); {
	case x < 7:
		s.returns = append(s.returns, &returnStep{on: day.AddDate(0, 0, 2+s.r.IntN(12)), orderID: f.OrderID, lines: f.Lines})
	case x < 8:
		o, err := s.db.Order(ctx, f.OrderID)
		if err != nil {
			return err
		}
		_, err = s.db.RefundOrder(ctx, o.ID, oms.RefundRequest{Kind: "appeasement", Amount: max(1, o.Total/10),
			Reason: "late delivery"}, oms.Principal{Name: "agent:sam", Role: oms.RoleAgent})
		var e *oms.Error
		if errors.As(err, &e) && (e.Code == oms.EFORBIDDEN || e.Code == oms.EINVALID) {
			return nil // above the agent's limit, or already refunded
		}
		if err == nil {
			s.sum.Appeasements++
		}
		return err
	}
	return nil
}

// stepReturns moves the returns due today on: asked and approved (an
// exchange places its replacement), received a few days later into stock
// or scrap, closed with its refund the day after.
func (s *sim) stepReturns(ctx context.Context, day time.Time) error {
	var later []*returnStep
	for _, r := range s.returns {
		if r.on.After(day) {
			later = append(later, r)
			continue
		}
		done, err := s.stepReturn(ctx, day, r)
		if err != nil {
			return fmt.Errorf("return of %s: %w", r.orderID, err)
		}
		if !done {
			later = append(later, r)
		}
	}
	s.returns = later
	return nil
}

func (s *sim) stepReturn(ctx context.Context, day time.Time, r *returnStep) (done bool, err error) {
	var e *oms.Error
	switch r.status {
	case "":
		req := oms.ReturnRequest{}
		reason := s.reason()
		for _, l := range r.lines {
			req.Lines = append(req.Lines, oms.ReturnLine{LineID: l.LineID, Quantity: 1 + s.r.Int64N(l.Quantity), Reason: reason})
		}
		if reason == "size_fit" && s.chance(400) {
			if req.Exchange, err = s.exchange(ctx, r); err != nil {
				return false, err
			}
		}
		ret, err := s.db.CreateReturn(ctx, r.orderID, req, oms.SourceStaff, oms.System("agent:sam"))
		if errors.As(err, &e) && e.Code == oms.EINVALID {
			return true, nil // returned already through another shipment's return
		}
		if err != nil {
			return false, err
		}
		r.id, r.status = ret.ID, oms.ReturnRequested
		if _, err := s.db.ApproveReturn(ctx, r.id, oms.System("agent:sam")); errors.As(err, &e) && e.Code == oms.EOUTOFSTOCK {
			_, err = s.db.RejectReturn(ctx, r.id, oms.System("agent:sam")) // no replacement to send: the customer keeps it
			return true, err
		} else if err != nil {
			return false, err
		}
		s.sum.Returns++
		if len(req.Exchange) > 0 {
			s.sum.Exchanges++
		}
		r.status, r.on = oms.ReturnApproved, day.AddDate(0, 0, 2+s.r.IntN(4))
	case oms.ReturnApproved:
		ret, err := s.db.Return(ctx, r.id)
		if err != nil {
			return false, err
		}
		var units []oms.Receipt
		for _, l := range ret.Lines {
			u := oms.Receipt{LineID: l.LineID, Quantity: l.Quantity, Condition: "opened", Disposition: oms.DispositionRestock,
				Location: []string{"wh-east", "wh-west"}[s.r.IntN(2)]}
			if l.Reason == "damaged" || l.Reason == "defective" || s.chance(100) {
				u.Condition, u.Disposition, u.Location = "damaged", oms.DispositionScrap, ""
			}
			units = append(units, u)
		}
		if _, err := s.db.ReceiveReturn(ctx, r.id, units, oms.System("staff:returns")); err != nil {
			return false, err
		}
		r.status, r.on = oms.ReturnReceived, day.AddDate(0, 0, 1)
	case oms.ReturnReceived:
		_, err := s.db.CloseReturn(ctx, r.id, oms.CloseRequest{Reason: "returned", PaymentReference: "pay_" + strings.TrimPrefix(r.id, "ret_")},
			oms.Principal{Name: "manager:kim", Role: oms.RoleManager})
		return err == nil, err
	}
	return false, nil
}

// exchange offers another variant of what came back, at the price paid.
func (s *sim) exchange(ctx context.Context, r *returnStep) ([]oms.ExchangeLine, error) {
	o, err := s.db.Order(ctx, r.orderID)
	if err != nil {
		return nil, err
	}
	var out []oms.ExchangeLine
	for _, fl := range r.lines {
		for _, l := range o.Lines {
			if l.ID != fl.LineID {
				continue
			}
			product := l.SKU[:strings.IndexByte(l.SKU, '-')+1]
			for _, it := range s.items {
				if strings.HasPrefix(it.sku, product) && it.sku != l.SKU {
					out = append(out, oms.ExchangeLine{SKU: it.sku, Quantity: 1, UnitPrice: l.UnitPrice, Tax: l.Tax / l.Quantity})
					break
				}
			}
		}
	}
	return out, nil
}
