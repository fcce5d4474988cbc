package httpapi

import (
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/store"
)

type fulfillmentList struct {
	Fulfillments []oms.Fulfillment `json:"fulfillments"`
}

type pickList struct {
	Location string           `json:"location"`
	Items    []store.PickItem `json:"items"`
}

// fulfillmentLineInput names units of an order line in a fulfillment.
type fulfillmentLineInput struct {
	LineID   string `json:"line_id"`
	Quantity Int    `json:"quantity"`
}

type shipRequest struct {
	Carrier        string                 `json:"carrier,omitempty"`
	Service        string                 `json:"service,omitempty"`
	TrackingNumber string                 `json:"tracking_number,omitempty"`
	TrackingURL    string                 `json:"tracking_url,omitempty"`
	Lines          []fulfillmentLineInput `json:"lines,omitempty"` // omit to ship everything
}

type rejectRequest struct {
	Lines  []fulfillmentLineInput `json:"lines,omitempty"` // omit to reject everything
	Reason string                 `json:"reason,omitempty"`
}

func fulfillmentLines(in []fulfillmentLineInput) ([]oms.FulfillmentLine, error) {
	var p oms.Problems
	out := make([]oms.FulfillmentLine, len(in))
	for i, l := range in {
		out[i] = oms.FulfillmentLine{LineID: l.LineID, Quantity: l.Quantity.Value(&p, fmt.Sprintf("lines[%d].quantity", i), true)}
	}
	return out, p.Err()
}

func (s *Server) orderFulfillments(w http.ResponseWriter, r *http.Request) error {
	fs, err := s.db.OrderFulfillments(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, fulfillmentList{Fulfillments: nonNil(fs)})
}

func (s *Server) getFulfillment(w http.ResponseWriter, r *http.Request) error {
	f, err := s.db.Fulfillment(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, f)
}

var fulfillmentStatuses = []oms.FulfillmentStatus{oms.FulfillmentPending, oms.FulfillmentPicking, oms.FulfillmentPacked,
	oms.FulfillmentShipped, oms.FulfillmentDelivered, oms.FulfillmentReadyForPickup, oms.FulfillmentPickedUp,
	oms.FulfillmentCancelled}

func (s *Server) locationFulfillments(w http.ResponseWriter, r *http.Request) error {
	limit, _, err := pageParams(r)
	if err != nil {
		return err
	}
	var sts []oms.FulfillmentStatus
	if v := r.URL.Query().Get("status"); v != "" {
		for _, st := range strings.Split(v, ",") {
			if !slices.Contains(fulfillmentStatuses, oms.FulfillmentStatus(st)) {
				return oms.Invalid("status", "%q is not a fulfillment status", st)
			}
			sts = append(sts, oms.FulfillmentStatus(st))
		}
	}
	fs, err := s.db.LocationFulfillments(r.Context(), r.PathValue("code"), sts, limit)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, fulfillmentList{Fulfillments: nonNil(fs)})
}

func (s *Server) pickList(w http.ResponseWriter, r *http.Request) error {
	limit, _, err := pageParams(r)
	if err != nil {
		return err
	}
	items, err := s.db.PickList(r.Context(), r.PathValue("code"), limit)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, pickList{Location: r.PathValue("code"), Items: nonNil(items)})
}

// moveFulfillment serves the moves that take no body.
func (s *Server) moveFulfillment(to oms.FulfillmentStatus) func(http.ResponseWriter, *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		f, err := s.db.MoveFulfillment(r.Context(), r.PathValue("id"), store.FulfillmentMove{To: to}, actor(r))
		if err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, f)
	}
}

func (s *Server) shipFulfillment(w http.ResponseWriter, r *http.Request) error {
	var req shipRequest
	if r.ContentLength != 0 {
		if err := decode(r, &req); err != nil {
			return err
		}
	}
	lines, err := fulfillmentLines(req.Lines)
	if err != nil {
		return err
	}
	m := store.FulfillmentMove{To: oms.FulfillmentShipped, Lines: lines, Tracking: oms.Tracking{Carrier: req.Carrier,
		Service: req.Service, TrackingNumber: req.TrackingNumber, TrackingURL: req.TrackingURL}}
	f, err := s.db.MoveFulfillment(r.Context(), r.PathValue("id"), m, actor(r))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, f)
}

func (s *Server) rejectFulfillment(w http.ResponseWriter, r *http.Request) error {
	var req rejectRequest
	if r.ContentLength != 0 {
		if err := decode(r, &req); err != nil {
			return err
		}
	}
	if len(req.Reason) > 200 {
		return oms.Invalid("reason", "must be at most 200 bytes")
	}
	lines, err := fulfillmentLines(req.Lines)
	if err != nil {
		return err
	}
	o, err := s.db.RejectFulfillment(r.Context(), r.PathValue("id"), lines, req.Reason, actor(r))
	if err != nil {
		return err
	}
	return writeOrder(w, http.StatusOK, o)
}
