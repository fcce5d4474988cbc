package httpapi

import (
	"context"
	"fmt"
	"net/http"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/httpapi/answer"
	"github.com/omshq/oms/internal/httpapi/decode"
	"github.com/omshq/oms/internal/httpapi/paging"
)

type returnLineInput struct {
	LineID    string     `json:"line_id"`
	Quantity  decode.Int `json:"quantity"`
	Reason    string     `json:"reason"`
	Condition string     `json:"condition,omitempty"` // new, opened, used, damaged, defective
}

type exchangeLineInput struct {
	SKU       string     `json:"sku"`
	Quantity  decode.Int `json:"quantity"`
	UnitPrice decode.Int `json:"unit_price"`
	Tax       decode.Int `json:"tax,omitempty"`
}

type returnRequest struct {
	Lines   []returnLineInput `json:"lines"`
	Comment string            `json:"comment,omitempty"` // the customer's
	// Exchange makes it an exchange: the replacement lines become a new
	// order when the return is approved.
	Exchange []exchangeLineInput `json:"exchange,omitempty"`
}

// portalReturnRequest is a return a customer starts through a return link.
type portalReturnRequest struct {
	Lines   []returnLineInput `json:"lines"`
	Comment string            `json:"comment,omitempty"`
}

type receiptInput struct {
	LineID      string     `json:"line_id"`
	Quantity    decode.Int `json:"quantity"`
	Condition   string     `json:"condition"`          // new, opened, used, damaged, defective
	Disposition string     `json:"disposition"`        // restock or scrap
	Location    string     `json:"location,omitempty"` // where restocked units go
}

type receiveReturnRequest struct {
	Units []receiptInput `json:"units"`
}

type closeReturnRequest struct {
	PaymentReference string `json:"payment_reference,omitempty"` // the payment provider's refund id
	Reason           string `json:"reason,omitempty"`
}

type refundRequest struct {
	Kind             string     `json:"kind"` // manual or appeasement
	Amount           decode.Int `json:"amount"`
	Reason           string     `json:"reason"`
	PaymentReference string     `json:"payment_reference,omitempty"`
}

type returnLinkRequest struct {
	ExpiresInDays int `json:"expires_in_days,omitempty"` // default: the settings' link_days
}

type returnPage struct {
	Returns    []oms.Return `json:"returns"`
	NextCursor *string      `json:"next_cursor"`
}

// request turns the body into the core's request, recording bad numbers
// under their JSON path.
func (req *returnRequest) request() (oms.ReturnRequest, error) {
	var p oms.Problems
	out := oms.ReturnRequest{Comment: req.Comment, Lines: returnLines(&p, req.Lines)}
	for i, x := range req.Exchange {
		f := fmt.Sprintf("exchange[%d].", i)
		out.Exchange = append(out.Exchange, oms.ExchangeLine{SKU: x.SKU, Quantity: x.Quantity.Value(&p, f+"quantity", true),
			UnitPrice: x.UnitPrice.Value(&p, f+"unit_price", true), Tax: x.Tax.Value(&p, f+"tax", false)})
	}
	return out, p.Err()
}

func returnLines(p *oms.Problems, in []returnLineInput) []oms.ReturnLine {
	var out []oms.ReturnLine
	for i, l := range in {
		out = append(out, oms.ReturnLine{LineID: l.LineID, Reason: l.Reason, Condition: l.Condition,
			Quantity: l.Quantity.Value(p, fmt.Sprintf("lines[%d].quantity", i), true)})
	}
	return out
}

func (s *Server) createReturn(w http.ResponseWriter, r *http.Request) error {
	var req returnRequest
	if err := decode.Request(r, &req); err != nil {
		return err
	}
	rr, err := req.request()
	if err != nil {
		return err
	}
	ret, err := s.svc.Returns.CreateReturn(r.Context(), r.PathValue("id"), rr, oms.SourceStaff, viewer(r))
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/v1/returns/"+ret.ID)
	return answer.JSON(w, http.StatusCreated, ret)
}

func (s *Server) listReturns(w http.ResponseWriter, r *http.Request) error {
	q, limit, after, err := paging.List(r)
	if err != nil {
		return err
	}
	f := oms.ReturnFilter{Status: oms.ReturnStatus(q.Get("status")), Order: q.Get("order"), After: after, Limit: limit + 1,
		Principal: viewer(r)}
	if f.Status != "" && !f.Status.Valid() {
		return oms.Invalid("status", "must be one of %v", oms.ReturnStatuses)
	}
	if f.Order != "" && f.Principal.Bound() {
		// Another's order is not found, as by its own path.
		if err := s.svc.Orders.AuthorizeOrder(r.Context(), f.Principal, f.Order); err != nil {
			return err
		}
	}
	rs, err := s.svc.Returns.Returns(r.Context(), f)
	if err != nil {
		return err
	}
	var page returnPage
	page.Returns, page.NextCursor = paging.Of(rs, limit, func(r oms.Return) int64 { return r.Number })
	return answer.JSON(w, http.StatusOK, page)
}

func (s *Server) receiveReturn(w http.ResponseWriter, r *http.Request) error {
	var req receiveReturnRequest
	if err := decode.Request(r, &req); err != nil {
		return err
	}
	var p oms.Problems
	var units []oms.Receipt
	for i, u := range req.Units {
		units = append(units, oms.Receipt{LineID: u.LineID, Condition: u.Condition, Disposition: u.Disposition,
			Location: u.Location, Quantity: u.Quantity.Value(&p, fmt.Sprintf("units[%d].quantity", i), true)})
	}
	if err := p.Err(); err != nil {
		return err
	}
	for i, u := range units {
		// Restocked units go into the key's locations only.
		if u.Location == "" {
			continue
		}
		if err := viewer(r).WorkAt(fmt.Sprintf("units[%d].location", i), u.Location); err != nil {
			return err
		}
	}
	ret, err := s.svc.Returns.ReceiveReturn(r.Context(), r.PathValue("id"), units, viewer(r))
	if err != nil {
		return err
	}
	return answer.JSON(w, http.StatusOK, ret)
}

func (s *Server) closeReturn(w http.ResponseWriter, r *http.Request) error {
	var req closeReturnRequest
	if err := decode.Request(r, &req); err != nil {
		return err
	}
	ret, err := s.svc.Returns.CloseReturn(r.Context(), r.PathValue("id"),
		oms.CloseRequest{PaymentReference: req.PaymentReference, Reason: req.Reason}, viewer(r))
	if err != nil {
		return err
	}
	return answer.JSON(w, http.StatusOK, ret)
}

func (s *Server) refundOrder(w http.ResponseWriter, r *http.Request) error {
	var req refundRequest
	if err := decode.Request(r, &req); err != nil {
		return err
	}
	var p oms.Problems
	amount := req.Amount.Value(&p, "amount", true)
	if err := p.Err(); err != nil {
		return err
	}
	f, err := s.svc.Returns.RefundOrder(r.Context(), r.PathValue("id"), oms.RefundRequest{Kind: req.Kind, Amount: amount,
		Reason: req.Reason, PaymentReference: req.PaymentReference}, viewer(r))
	if err != nil {
		return err
	}
	return answer.JSON(w, http.StatusCreated, f)
}

func (s *Server) getReturnSettings(w http.ResponseWriter, r *http.Request) error {
	set, err := s.svc.Returns.ReturnSettings(r.Context())
	if err != nil {
		return err
	}
	return answer.JSON(w, http.StatusOK, set)
}

func (s *Server) putReturnSettings(w http.ResponseWriter, r *http.Request) error {
	var set oms.ReturnSettings
	if err := decode.Whole(r, &set); err != nil {
		return err
	}
	if err := s.svc.Returns.PutReturnSettings(r.Context(), set, viewer(r)); err != nil {
		return err
	}
	return answer.JSON(w, http.StatusOK, set)
}

func (s *Server) createReturnLink(w http.ResponseWriter, r *http.Request) error {
	var req returnLinkRequest
	if err := decode.Request(r, &req); err != nil {
		return err
	}
	l, err := s.svc.Returns.CreateReturnLink(r.Context(), r.PathValue("id"), req.ExpiresInDays, viewer(r))
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store") // the token is a credential
	return answer.JSON(w, http.StatusCreated, l)
}

func (s *Server) portalReturn(w http.ResponseWriter, r *http.Request) error {
	var req portalReturnRequest
	if err := decode.Request(r, &req); err != nil {
		return err
	}
	var p oms.Problems
	rr := oms.ReturnRequest{Comment: req.Comment, Lines: returnLines(&p, req.Lines)}
	if err := p.Err(); err != nil {
		return err
	}
	ret, err := s.svc.Returns.PortalReturn(r.Context(), r.PathValue("token"), rr)
	if err != nil {
		return err
	}
	return answer.JSON(w, http.StatusCreated, oms.PortalReturn{ID: ret.ID, Status: ret.Status, Refund: ret.Refund.Total,
		CreatedAt: ret.CreatedAt})
}

// fetch answers a GET with what get finds for the path value named.
func fetch[T any](name string, get func(context.Context, string) (T, error)) func(http.ResponseWriter, *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		v, err := get(r.Context(), r.PathValue(name))
		if err != nil {
			return err
		}
		return answer.JSON(w, http.StatusOK, v)
	}
}

func (s *Server) getReturn(w http.ResponseWriter, r *http.Request) error {
	return fetch("id", s.svc.Returns.Return)(w, r)
}

func (s *Server) getRefunds(w http.ResponseWriter, r *http.Request) error {
	return fetch("id", s.svc.Returns.Refunds)(w, r)
}

func (s *Server) getReturnPortal(w http.ResponseWriter, r *http.Request) error {
	return fetch("token", s.svc.Returns.ReturnPortal)(w, r)
}

func (s *Server) approveReturn(w http.ResponseWriter, r *http.Request) error {
	return s.moveReturn(s.svc.Returns.ApproveReturn)(w, r)
}

func (s *Server) rejectReturn(w http.ResponseWriter, r *http.Request) error {
	return s.moveReturn(s.svc.Returns.RejectReturn)(w, r)
}

// moveReturn answers a move of the return named by the path (approve,
// reject) that takes no body.
func (s *Server) moveReturn(move func(ctx context.Context, ref string, by oms.Principal) (*oms.Return, error)) func(http.ResponseWriter, *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		ret, err := move(r.Context(), r.PathValue("id"), viewer(r))
		if err != nil {
			return err
		}
		return answer.JSON(w, http.StatusOK, ret)
	}
}
