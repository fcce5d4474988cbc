package returns

import (
	"context"
	"fmt"
	"net/http"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/httpapi/answer"
	"github.com/omshq/oms/internal/httpapi/decode"
	"github.com/omshq/oms/internal/httpapi/handle"
	"github.com/omshq/oms/internal/httpapi/paging"
)

// Handlers answers the routes of returns, refunds, the return settings and
// the return portal.
type Handlers struct {
	returns oms.Returns
	orders  oms.Orders // authorizes a bound key's filter by order
}

// New returns the handlers over the returns service, with orders to
// authorize a list filtered by order.
func New(returns oms.Returns, orders oms.Orders) *Handlers {
	return &Handlers{returns: returns, orders: orders}
}

// ReturnLineInput is a line of a return: how many units of which order
// line come back, and why.
type ReturnLineInput struct {
	LineID    string     `json:"line_id"`
	Quantity  decode.Int `json:"quantity"`
	Reason    string     `json:"reason"`
	Condition string     `json:"condition,omitempty"` // new, opened, used, damaged, defective
}

// ExchangeLineInput is a line of the replacement order of an exchange.
type ExchangeLineInput struct {
	SKU       string     `json:"sku"`
	Quantity  decode.Int `json:"quantity"`
	UnitPrice decode.Int `json:"unit_price"`
	Tax       decode.Int `json:"tax,omitempty"`
}

// ReturnRequest is the body of POST /v1/orders/{id}/returns.
type ReturnRequest struct {
	Lines   []ReturnLineInput `json:"lines"`
	Comment string            `json:"comment,omitempty"` // the customer's
	// Exchange makes it an exchange: the replacement lines become a new
	// order when the return is approved.
	Exchange []ExchangeLineInput `json:"exchange,omitempty"`
}

// PortalReturnRequest is a return a customer starts through a return link.
type PortalReturnRequest struct {
	Lines   []ReturnLineInput `json:"lines"`
	Comment string            `json:"comment,omitempty"`
}

// ReceiptInput is units of a return received back: their condition and
// whether they are restocked or scrapped.
type ReceiptInput struct {
	LineID      string     `json:"line_id"`
	Quantity    decode.Int `json:"quantity"`
	Condition   string     `json:"condition"`          // new, opened, used, damaged, defective
	Disposition string     `json:"disposition"`        // restock or scrap
	Location    string     `json:"location,omitempty"` // where restocked units go
}

// ReceiveReturnRequest is the body of POST /v1/returns/{id}/receive.
type ReceiveReturnRequest struct {
	Units []ReceiptInput `json:"units"`
}

// CloseReturnRequest is the body of POST /v1/returns/{id}/close.
type CloseReturnRequest struct {
	PaymentReference string `json:"payment_reference,omitempty"` // the payment provider's refund id
	Reason           string `json:"reason,omitempty"`
}

// RefundRequest is the body of POST /v1/orders/{id}/refunds.
type RefundRequest struct {
	Kind             string     `json:"kind"` // manual or appeasement
	Amount           decode.Int `json:"amount"`
	Reason           string     `json:"reason"`
	PaymentReference string     `json:"payment_reference,omitempty"`
}

// ReturnLinkRequest is the body of POST /v1/orders/{id}/return-link.
type ReturnLinkRequest struct {
	ExpiresInDays decode.Int `json:"expires_in_days,omitempty"` // 1–365; default: the settings' link_days
}

// ReturnPage is the answer to GET /v1/returns.
type ReturnPage struct {
	Returns    []oms.Return `json:"returns"`
	NextCursor *string      `json:"next_cursor"`
}

// request turns the body into the core's request, recording bad numbers
// under their JSON path.
func (req *ReturnRequest) request() (oms.ReturnRequest, error) {
	var p oms.Problems
	out := oms.ReturnRequest{Comment: req.Comment, Lines: returnLines(&p, req.Lines)}
	for i, x := range req.Exchange {
		f := fmt.Sprintf("exchange[%d].", i)
		out.Exchange = append(out.Exchange, oms.ExchangeLine{SKU: x.SKU, Quantity: x.Quantity.Value(&p, f+"quantity", true),
			UnitPrice: x.UnitPrice.Value(&p, f+"unit_price", true), Tax: x.Tax.Value(&p, f+"tax", false)})
	}
	return out, p.Err()
}

func returnLines(p *oms.Problems, in []ReturnLineInput) []oms.ReturnLine {
	var out []oms.ReturnLine
	for i, l := range in {
		out = append(out, oms.ReturnLine{LineID: l.LineID, Reason: l.Reason, Condition: l.Condition,
			Quantity: l.Quantity.Value(p, fmt.Sprintf("lines[%d].quantity", i), true)})
	}
	return out
}

// CreateReturn answers POST /v1/orders/{id}/returns.
func (h *Handlers) CreateReturn(w http.ResponseWriter, r *http.Request) error {
	var req ReturnRequest
	if err := decode.Request(r, &req); err != nil {
		return err
	}
	rr, err := req.request()
	if err != nil {
		return err
	}
	ret, err := h.returns.CreateReturn(r.Context(), r.PathValue("id"), rr, oms.SourceStaff, handle.Viewer(r))
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/v1/returns/"+ret.ID)
	return answer.JSON(w, http.StatusCreated, ret)
}

// ListReturns answers GET /v1/returns.
func (h *Handlers) ListReturns(w http.ResponseWriter, r *http.Request) error {
	q, limit, after, err := paging.List(r)
	if err != nil {
		return err
	}
	f := oms.ReturnFilter{Status: oms.ReturnStatus(q.Get("status")), Order: q.Get("order"), After: after, Limit: limit + 1,
		Principal: handle.Viewer(r)}
	if f.Status != "" && !f.Status.Valid() {
		return oms.Invalid("status", "must be one of %v", oms.ReturnStatuses)
	}
	if f.Order != "" && f.Principal.Bound() {
		// Another's order is not found, as by its own path.
		if err := h.orders.AuthorizeOrder(r.Context(), f.Principal, f.Order); err != nil {
			return err
		}
	}
	rs, err := h.returns.Returns(r.Context(), f)
	if err != nil {
		return err
	}
	var page ReturnPage
	page.Returns, page.NextCursor = paging.Of(rs, limit, func(r oms.Return) int64 { return r.Number })
	return answer.JSON(w, http.StatusOK, page)
}

// ReceiveReturn answers POST /v1/returns/{id}/receive.
func (h *Handlers) ReceiveReturn(w http.ResponseWriter, r *http.Request) error {
	var req ReceiveReturnRequest
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
		if err := handle.Viewer(r).WorkAt(fmt.Sprintf("units[%d].location", i), u.Location); err != nil {
			return err
		}
	}
	ret, err := h.returns.ReceiveReturn(r.Context(), r.PathValue("id"), units, handle.Viewer(r))
	if err != nil {
		return err
	}
	return answer.JSON(w, http.StatusOK, ret)
}

// CloseReturn answers POST /v1/returns/{id}/close.
func (h *Handlers) CloseReturn(w http.ResponseWriter, r *http.Request) error {
	var req CloseReturnRequest
	if err := decode.Request(r, &req); err != nil {
		return err
	}
	ret, err := h.returns.CloseReturn(r.Context(), r.PathValue("id"),
		oms.CloseRequest{PaymentReference: req.PaymentReference, Reason: req.Reason}, handle.Viewer(r))
	if err != nil {
		return err
	}
	return answer.JSON(w, http.StatusOK, ret)
}

// RefundOrder answers POST /v1/orders/{id}/refunds.
func (h *Handlers) RefundOrder(w http.ResponseWriter, r *http.Request) error {
	var req RefundRequest
	if err := decode.Request(r, &req); err != nil {
		return err
	}
	var p oms.Problems
	amount := req.Amount.Value(&p, "amount", true)
	if len(p) > 0 {
		// Name the other bad fields too; the amount's bounds wait for the
		// order.
		return decode.WithProblems(p, oms.CheckRefund(req.Kind, 1, 1, req.Reason, req.PaymentReference)).Err()
	}
	f, err := h.returns.RefundOrder(r.Context(), r.PathValue("id"), oms.RefundRequest{Kind: req.Kind, Amount: amount,
		Reason: req.Reason, PaymentReference: req.PaymentReference}, handle.Viewer(r))
	if err != nil {
		return err
	}
	return answer.JSON(w, http.StatusCreated, f)
}

// GetReturnSettings answers GET /v1/settings/returns.
func (h *Handlers) GetReturnSettings(w http.ResponseWriter, r *http.Request) error {
	set, err := h.returns.ReturnSettings(r.Context())
	if err != nil {
		return err
	}
	return answer.JSON(w, http.StatusOK, set)
}

// PutReturnSettings answers PUT /v1/settings/returns.
func (h *Handlers) PutReturnSettings(w http.ResponseWriter, r *http.Request) error {
	var set oms.ReturnSettings
	if err := decode.Whole(r, &set); err != nil {
		return err
	}
	if err := h.returns.PutReturnSettings(r.Context(), set, handle.Viewer(r)); err != nil {
		return err
	}
	return answer.JSON(w, http.StatusOK, set)
}

// CreateReturnLink answers POST /v1/orders/{id}/return-link.
func (h *Handlers) CreateReturnLink(w http.ResponseWriter, r *http.Request) error {
	var req ReturnLinkRequest
	if _, err := decode.Optional(r, &req, "use the settings' link_days"); err != nil {
		return err
	}
	var p oms.Problems
	days := req.ExpiresInDays.Value(&p, "expires_in_days", false)
	if len(p) == 0 && req.ExpiresInDays.Set() && (days < 1 || days > 365) {
		p.Add("expires_in_days", "must be between 1 and 365; leave it out for the settings' link_days")
	}
	if err := p.Err(); err != nil {
		return err
	}
	l, err := h.returns.CreateReturnLink(r.Context(), r.PathValue("id"), int(days), handle.Viewer(r))
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store") // the token is a credential
	return answer.JSON(w, http.StatusCreated, l)
}

// PortalReturn answers POST /v1/return-portal/{token}/returns.
func (h *Handlers) PortalReturn(w http.ResponseWriter, r *http.Request) error {
	var req PortalReturnRequest
	if err := decode.Request(r, &req); err != nil {
		return err
	}
	var p oms.Problems
	rr := oms.ReturnRequest{Comment: req.Comment, Lines: returnLines(&p, req.Lines)}
	if err := p.Err(); err != nil {
		return err
	}
	ret, err := h.returns.PortalReturn(r.Context(), r.PathValue("token"), rr)
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

// GetReturn answers GET /v1/returns/{id}.
func (h *Handlers) GetReturn(w http.ResponseWriter, r *http.Request) error {
	return fetch("id", h.returns.Return)(w, r)
}

// GetRefunds answers GET /v1/orders/{id}/refunds.
func (h *Handlers) GetRefunds(w http.ResponseWriter, r *http.Request) error {
	return fetch("id", h.returns.Refunds)(w, r)
}

// GetReturnPortal answers GET /v1/return-portal/{token}.
func (h *Handlers) GetReturnPortal(w http.ResponseWriter, r *http.Request) error {
	return fetch("token", h.returns.ReturnPortal)(w, r)
}

// ApproveReturn answers POST /v1/returns/{id}/approve.
func (h *Handlers) ApproveReturn(w http.ResponseWriter, r *http.Request) error {
	return h.moveReturn(h.returns.ApproveReturn)(w, r)
}

// RejectReturn answers POST /v1/returns/{id}/reject.
func (h *Handlers) RejectReturn(w http.ResponseWriter, r *http.Request) error {
	return h.moveReturn(h.returns.RejectReturn)(w, r)
}

// moveReturn answers a move of the return named by the path (approve,
// reject) that takes no body.
func (h *Handlers) moveReturn(move func(ctx context.Context, ref string, by oms.Principal) (*oms.Return, error)) func(http.ResponseWriter, *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		ret, err := move(r.Context(), r.PathValue("id"), handle.Viewer(r))
		if err != nil {
			return err
		}
		return answer.JSON(w, http.StatusOK, ret)
	}
}
