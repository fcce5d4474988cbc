package httpapi

import (
	"net/http"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/httpapi/answer"
	"github.com/omshq/oms/internal/httpapi/decode"
	"github.com/omshq/oms/internal/httpapi/handle"
	"github.com/omshq/oms/internal/httpapi/paging"
)

type noteRequest struct {
	Body string `json:"body"`
}

type noteList struct {
	Notes []oms.Note `json:"notes"`
}

func (s *Server) addOrderNote(w http.ResponseWriter, r *http.Request) error {
	var req noteRequest
	if err := decode.Request(r, &req); err != nil {
		return err
	}
	n, err := s.svc.Orders.AddOrderNote(r.Context(), r.PathValue("id"), req.Body, handle.Viewer(r))
	if err != nil {
		return err
	}
	return answer.JSON(w, http.StatusCreated, n)
}

func (s *Server) orderNotes(w http.ResponseWriter, r *http.Request) error {
	ns, err := s.svc.Orders.OrderNotes(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	return answer.JSON(w, http.StatusOK, noteList{Notes: answer.NonNil(ns)})
}

func (s *Server) addCustomerNote(w http.ResponseWriter, r *http.Request) error {
	var req noteRequest
	if err := decode.Request(r, &req); err != nil {
		return err
	}
	n, err := s.svc.Customers.AddCustomerNote(r.Context(), r.PathValue("customer"), req.Body, handle.Viewer(r))
	if err != nil {
		return err
	}
	return answer.JSON(w, http.StatusCreated, n)
}

func (s *Server) customerNotes(w http.ResponseWriter, r *http.Request) error {
	ns, err := s.svc.Customers.CustomerNotes(r.Context(), r.PathValue("customer"))
	if err != nil {
		return err
	}
	return answer.JSON(w, http.StatusOK, noteList{Notes: answer.NonNil(ns)})
}

type caseRequest struct {
	Customer     string `json:"customer,omitempty"` // a customer id (cus_…) or email
	Order        string `json:"order,omitempty"`    // an order id or number
	Subject      string `json:"subject"`
	Message      string `json:"message"`
	FromCustomer bool   `json:"from_customer,omitempty"` // the message is the customer's, taken down by staff
	Assignee     string `json:"assignee,omitempty"`
}

type caseMessageRequest struct {
	Body         string `json:"body"`
	FromCustomer bool   `json:"from_customer,omitempty"`
	Internal     bool   `json:"internal,omitempty"` // a staff-only note on the case
}

type caseUpdate struct {
	Status   *oms.CaseStatus `json:"status,omitempty"`
	Assignee *string         `json:"assignee,omitempty"`
}

type casePage struct {
	Cases      []oms.Case `json:"cases"`
	NextCursor *string    `json:"next_cursor"`
}

type timeline struct {
	Entries []oms.TimelineEntry `json:"entries"`
}

func (s *Server) openCase(w http.ResponseWriter, r *http.Request) error {
	var req caseRequest
	if err := decode.Request(r, &req); err != nil {
		return err
	}
	c, err := s.svc.Customers.OpenCase(r.Context(), oms.CaseRequest{Customer: req.Customer, Order: req.Order, Subject: req.Subject,
		Message: req.Message, FromCustomer: req.FromCustomer, Assignee: req.Assignee}, handle.Viewer(r))
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/v1/cases/"+c.ID)
	return answer.JSON(w, http.StatusCreated, c)
}

func (s *Server) getCase(w http.ResponseWriter, r *http.Request) error {
	c, err := s.svc.Customers.Case(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	return answer.JSON(w, http.StatusOK, c)
}

func (s *Server) listCases(w http.ResponseWriter, r *http.Request) error {
	q, limit, after, err := paging.List(r)
	if err != nil {
		return err
	}
	f := oms.CaseFilter{Status: oms.CaseStatus(q.Get("status")), Assignee: q.Get("assignee"),
		Customer: q.Get("customer"), Order: q.Get("order"), After: after, Limit: limit + 1}
	if f.Status != "" && !f.Status.Valid() {
		return oms.Invalid("status", "must be open, pending or resolved")
	}
	cs, err := s.svc.Customers.Cases(r.Context(), f)
	if err != nil {
		return err
	}
	var page casePage
	page.Cases, page.NextCursor = paging.Of(cs, limit, func(c oms.Case) int64 { return c.Number })
	return answer.JSON(w, http.StatusOK, page)
}

func (s *Server) addCaseMessage(w http.ResponseWriter, r *http.Request) error {
	var req caseMessageRequest
	if err := decode.Request(r, &req); err != nil {
		return err
	}
	c, err := s.svc.Customers.AddCaseMessage(r.Context(), r.PathValue("id"),
		oms.CaseMessage{Body: req.Body, FromCustomer: req.FromCustomer, Internal: req.Internal}, handle.Viewer(r))
	if err != nil {
		return err
	}
	return answer.JSON(w, http.StatusOK, c)
}

func (s *Server) updateCase(w http.ResponseWriter, r *http.Request) error {
	var req caseUpdate
	if err := decode.Request(r, &req); err != nil {
		return err
	}
	c, err := s.svc.Customers.UpdateCase(r.Context(), r.PathValue("id"), oms.CaseChange{Status: req.Status, Assignee: req.Assignee}, handle.Viewer(r))
	if err != nil {
		return err
	}
	return answer.JSON(w, http.StatusOK, c)
}

func (s *Server) orderTimeline(w http.ResponseWriter, r *http.Request) error {
	es, err := s.svc.Orders.OrderTimeline(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	return answer.JSON(w, http.StatusOK, timeline{Entries: answer.NonNil(es)})
}
