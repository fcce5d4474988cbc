package service

import (
	"net/http"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/httpapi/answer"
	"github.com/omshq/oms/internal/httpapi/decode"
	"github.com/omshq/oms/internal/httpapi/handle"
	"github.com/omshq/oms/internal/httpapi/paging"
)

// Handlers answers the routes of customer service: notes on orders and
// customers, cases and their messages, and an order's timeline.
type Handlers struct {
	orders    oms.Orders
	customers oms.Customers
}

// New returns the handlers over the orders and customers services.
func New(orders oms.Orders, customers oms.Customers) *Handlers {
	return &Handlers{orders: orders, customers: customers}
}

// NoteRequest is the body of POST /v1/orders/{id}/notes and POST /v1/customers/{customer}/notes.
type NoteRequest struct {
	Body string `json:"body"`
}

// NoteList is the answer to GET /v1/orders/{id}/notes and GET /v1/customers/{customer}/notes.
type NoteList struct {
	Notes []oms.Note `json:"notes"`
}

// AddOrderNote answers POST /v1/orders/{id}/notes.
func (h *Handlers) AddOrderNote(w http.ResponseWriter, r *http.Request) error {
	var req NoteRequest
	if err := decode.Request(r, &req); err != nil {
		return err
	}
	n, err := h.orders.AddOrderNote(r.Context(), r.PathValue("id"), req.Body, handle.Viewer(r))
	if err != nil {
		return err
	}
	return answer.JSON(w, http.StatusCreated, n)
}

// OrderNotes answers GET /v1/orders/{id}/notes.
func (h *Handlers) OrderNotes(w http.ResponseWriter, r *http.Request) error {
	ns, err := h.orders.OrderNotes(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	return answer.JSON(w, http.StatusOK, NoteList{Notes: answer.NonNil(ns)})
}

// AddCustomerNote answers POST /v1/customers/{customer}/notes.
func (h *Handlers) AddCustomerNote(w http.ResponseWriter, r *http.Request) error {
	var req NoteRequest
	if err := decode.Request(r, &req); err != nil {
		return err
	}
	n, err := h.customers.AddCustomerNote(r.Context(), r.PathValue("customer"), req.Body, handle.Viewer(r))
	if err != nil {
		return err
	}
	return answer.JSON(w, http.StatusCreated, n)
}

// CustomerNotes answers GET /v1/customers/{customer}/notes.
func (h *Handlers) CustomerNotes(w http.ResponseWriter, r *http.Request) error {
	ns, err := h.customers.CustomerNotes(r.Context(), r.PathValue("customer"))
	if err != nil {
		return err
	}
	return answer.JSON(w, http.StatusOK, NoteList{Notes: answer.NonNil(ns)})
}

// CaseRequest is the body of POST /v1/cases.
type CaseRequest struct {
	Customer     string `json:"customer,omitempty"` // a customer id (cus_…) or email
	Order        string `json:"order,omitempty"`    // an order id or number
	Subject      string `json:"subject"`
	Message      string `json:"message"`
	FromCustomer bool   `json:"from_customer,omitempty"` // the message is the customer's, taken down by staff
	Assignee     string `json:"assignee,omitempty"`
}

// CaseMessageRequest is the body of POST /v1/cases/{id}/messages.
type CaseMessageRequest struct {
	Body         string `json:"body"`
	FromCustomer bool   `json:"from_customer,omitempty"`
	Internal     bool   `json:"internal,omitempty"` // a staff-only note on the case
}

// CaseUpdate is the body of PATCH /v1/cases/{id}.
type CaseUpdate struct {
	Status   *oms.CaseStatus `json:"status,omitempty"`
	Assignee *string         `json:"assignee,omitempty"`
}

// CasePage is the answer to GET /v1/cases.
type CasePage struct {
	Cases      []oms.Case `json:"cases"`
	NextCursor *string    `json:"next_cursor"`
}

// Timeline is the answer to GET /v1/orders/{id}/timeline.
type Timeline struct {
	Entries []oms.TimelineEntry `json:"entries"`
}

// OpenCase answers POST /v1/cases.
func (h *Handlers) OpenCase(w http.ResponseWriter, r *http.Request) error {
	var req CaseRequest
	if err := decode.Request(r, &req); err != nil {
		return err
	}
	c, err := h.customers.OpenCase(r.Context(), oms.CaseRequest{Customer: req.Customer, Order: req.Order, Subject: req.Subject,
		Message: req.Message, FromCustomer: req.FromCustomer, Assignee: req.Assignee}, handle.Viewer(r))
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/v1/cases/"+c.ID)
	return answer.JSON(w, http.StatusCreated, c)
}

// GetCase answers GET /v1/cases/{id}.
func (h *Handlers) GetCase(w http.ResponseWriter, r *http.Request) error {
	c, err := h.customers.Case(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	return answer.JSON(w, http.StatusOK, c)
}

// ListCases answers GET /v1/cases.
func (h *Handlers) ListCases(w http.ResponseWriter, r *http.Request) error {
	q, limit, after, err := paging.List(r)
	if err != nil {
		return err
	}
	f := oms.CaseFilter{Status: oms.CaseStatus(q.Get("status")), Assignee: q.Get("assignee"),
		Customer: q.Get("customer"), Order: q.Get("order"), After: after, Limit: limit + 1}
	if f.Status != "" && !f.Status.Valid() {
		return oms.Invalid("status", "must be open, pending or resolved")
	}
	cs, err := h.customers.Cases(r.Context(), f)
	if err != nil {
		return err
	}
	var page CasePage
	page.Cases, page.NextCursor = paging.Of(cs, limit, func(c oms.Case) int64 { return c.Number })
	return answer.JSON(w, http.StatusOK, page)
}

// AddCaseMessage answers POST /v1/cases/{id}/messages.
func (h *Handlers) AddCaseMessage(w http.ResponseWriter, r *http.Request) error {
	var req CaseMessageRequest
	if err := decode.Request(r, &req); err != nil {
		return err
	}
	c, err := h.customers.AddCaseMessage(r.Context(), r.PathValue("id"),
		oms.CaseMessage{Body: req.Body, FromCustomer: req.FromCustomer, Internal: req.Internal}, handle.Viewer(r))
	if err != nil {
		return err
	}
	return answer.JSON(w, http.StatusOK, c)
}

// UpdateCase answers PATCH /v1/cases/{id}.
func (h *Handlers) UpdateCase(w http.ResponseWriter, r *http.Request) error {
	var req CaseUpdate
	if err := decode.Request(r, &req); err != nil {
		return err
	}
	c, err := h.customers.UpdateCase(r.Context(), r.PathValue("id"), oms.CaseChange{Status: req.Status, Assignee: req.Assignee}, handle.Viewer(r))
	if err != nil {
		return err
	}
	return answer.JSON(w, http.StatusOK, c)
}

// OrderTimeline answers GET /v1/orders/{id}/timeline.
func (h *Handlers) OrderTimeline(w http.ResponseWriter, r *http.Request) error {
	es, err := h.orders.OrderTimeline(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	return answer.JSON(w, http.StatusOK, Timeline{Entries: answer.NonNil(es)})
}
