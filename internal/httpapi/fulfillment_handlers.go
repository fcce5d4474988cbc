package httpapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/httpapi/answer"
	"github.com/omshq/oms/internal/httpapi/decode"
	"github.com/omshq/oms/internal/httpapi/handle"
	"github.com/omshq/oms/internal/httpapi/paging"
)

type fulfillmentList struct {
	Fulfillments []oms.Fulfillment `json:"fulfillments"`
}

type pickList struct {
	Location string         `json:"location"`
	Items    []oms.PickItem `json:"items"`
}

// fulfillmentLineInput names units of an order line in a fulfillment.
type fulfillmentLineInput struct {
	LineID   string     `json:"line_id"`
	Quantity decode.Int `json:"quantity"`
}

type shipRequest struct {
	Carrier        string                 `json:"carrier,omitempty"`
	Service        string                 `json:"service,omitempty"`
	TrackingNumber string                 `json:"tracking_number,omitempty"`
	TrackingURL    string                 `json:"tracking_url,omitempty"`
	Lines          []fulfillmentLineInput `json:"lines,omitempty"` // omit to ship everything
}

func (r shipRequest) tracking() oms.Tracking {
	return oms.Tracking{Carrier: r.Carrier, Service: r.Service, TrackingNumber: r.TrackingNumber, TrackingURL: r.TrackingURL}
}

type rejectRequest struct {
	Lines  []fulfillmentLineInput `json:"lines,omitempty"` // omit to reject everything
	Reason string                 `json:"reason,omitempty"`
}

// fulfillmentLines reads lines, adding to p each bad quantity, named after
// the prefix at ("" or "moves[2].").
func fulfillmentLines(p *oms.Problems, at string, in []fulfillmentLineInput) []oms.FulfillmentLine {
	out := make([]oms.FulfillmentLine, len(in))
	for i, l := range in {
		out[i] = oms.FulfillmentLine{LineID: l.LineID, Quantity: l.Quantity.Value(p, fmt.Sprintf("%slines[%d].quantity", at, i), true)}
	}
	return out
}

func (s *Server) orderFulfillments(w http.ResponseWriter, r *http.Request) error {
	fs, err := s.svc.Fulfillments.OrderFulfillments(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	if p := handle.Viewer(r); p.LocationBound() {
		// An order's few fulfillments are not paged: those at the key's
		// locations, or to be picked up at one.
		fs = slices.DeleteFunc(fs, func(f oms.Fulfillment) bool {
			return !p.CanSeeLocation(f.Location) && (f.DeliverTo == "" || !p.CanSeeLocation(f.DeliverTo))
		})
	}
	return answer.JSON(w, http.StatusOK, fulfillmentList{Fulfillments: answer.NonNil(fs)})
}

func (s *Server) getFulfillment(w http.ResponseWriter, r *http.Request) error {
	f, err := s.svc.Fulfillments.Fulfillment(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	return answer.JSON(w, http.StatusOK, f)
}

func (s *Server) locationFulfillments(w http.ResponseWriter, r *http.Request) error {
	limit, _, err := paging.Params(r)
	if err != nil {
		return err
	}
	var sts []oms.FulfillmentStatus
	if v := r.URL.Query().Get("status"); v != "" {
		for _, st := range strings.Split(v, ",") {
			if !slices.Contains(oms.FulfillmentStatuses, oms.FulfillmentStatus(st)) {
				return oms.Invalid("status", "%q is not a fulfillment status", st)
			}
			sts = append(sts, oms.FulfillmentStatus(st))
		}
	}
	fs, err := s.svc.Fulfillments.LocationFulfillments(r.Context(), r.PathValue("code"), sts, limit)
	if err != nil {
		return err
	}
	return answer.JSON(w, http.StatusOK, fulfillmentList{Fulfillments: answer.NonNil(fs)})
}

func (s *Server) pickList(w http.ResponseWriter, r *http.Request) error {
	limit, _, err := paging.Params(r)
	if err != nil {
		return err
	}
	items, err := s.svc.Fulfillments.PickList(r.Context(), r.PathValue("code"), limit)
	if err != nil {
		return err
	}
	return answer.JSON(w, http.StatusOK, pickList{Location: r.PathValue("code"), Items: answer.NonNil(items)})
}

// cancelFulfillmentRequest is the body of a fulfillment's cancellation:
// optional, as is its reason.
type cancelFulfillmentRequest struct {
	Reason string `json:"reason,omitempty"` // why, one line: kept as the fulfillment's reject_reason
}

// moveFulfillment serves the steps that take no body (the route refuses
// one; see wrap) and the cancellation, which may give a reason.
func (s *Server) moveFulfillment(to oms.FulfillmentStatus) func(http.ResponseWriter, *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		m := oms.FulfillmentMove{To: to}
		if to == oms.FulfillmentCancelled {
			var req cancelFulfillmentRequest
			if _, err := decode.Optional(r, &req, "cancel the fulfillment"); err != nil {
				return err
			}
			var p oms.Problems
			oms.CheckLine(&p, "reason", req.Reason, 200)
			if err := p.Err(); err != nil {
				return err
			}
			m.Reason = req.Reason
		}
		f, err := s.svc.Fulfillments.MoveFulfillment(r.Context(), r.PathValue("id"), m, handle.Viewer(r))
		if err != nil {
			return err
		}
		return answer.JSON(w, http.StatusOK, f)
	}
}

func (s *Server) shipFulfillment(w http.ResponseWriter, r *http.Request) error {
	var req shipRequest
	body, err := decode.Optional(r, &req, "ship every unit")
	if err != nil {
		return err
	}
	var p oms.Problems
	if decode.GivenEmpty(body, "lines") {
		p.Add("lines", "must name at least one line; leave lines out to ship every unit")
	}
	lines := fulfillmentLines(&p, "", req.Lines)
	m := oms.FulfillmentMove{To: oms.FulfillmentShipped, Lines: lines, Tracking: req.tracking()}
	if err := decode.InvalidWith(p, m.Tracking.Validate); err != nil {
		return err
	}
	f, err := s.svc.Fulfillments.MoveFulfillment(r.Context(), r.PathValue("id"), m, handle.Viewer(r))
	if err != nil {
		return err
	}
	return answer.JSON(w, http.StatusOK, f)
}

func (s *Server) rejectFulfillment(w http.ResponseWriter, r *http.Request) error {
	var req rejectRequest
	body, err := decode.Optional(r, &req, "reject every unit")
	if err != nil {
		return err
	}
	var p oms.Problems
	if decode.GivenEmpty(body, "lines") {
		p.Add("lines", "must name at least one line; leave lines out to reject every unit")
	}
	oms.CheckLine(&p, "reason", req.Reason, 200)
	lines := fulfillmentLines(&p, "", req.Lines)
	if err := p.Err(); err != nil {
		return err
	}
	o, err := s.svc.Fulfillments.RejectFulfillment(r.Context(), r.PathValue("id"), lines, req.Reason, handle.Viewer(r))
	if err != nil {
		return err
	}
	return writeOrder(w, r, http.StatusOK, o)
}

// moveRequest is one move of a batch: tracking and lines as a shipment
// takes them.
type moveRequest struct {
	Fulfillment string `json:"fulfillment_id"`
	Status      string `json:"status"` // picking, packed, shipped, delivered, ready_for_pickup, picked_up or cancelled
	shipRequest
}

type moveBatchRequest struct {
	Moves []moveRequest `json:"moves"`
}

// moveResult is what became of one move: the fulfillment as it is now, or
// the problem that left it as it was.
type moveResult struct {
	Fulfillment string           `json:"fulfillment_id"`
	Moved       bool             `json:"moved"`
	Result      *oms.Fulfillment `json:"fulfillment,omitempty"`
	Problem     *Problem         `json:"problem,omitempty"`
}

type moveBatchResponse struct {
	Moved   int          `json:"moved"`
	Failed  int          `json:"failed"`
	Results []moveResult `json:"results"` // in the order of the moves
}

// moveFulfillments makes a batch of moves. A request that is malformed
// anywhere moves nothing; a move the fulfillment's state refuses is
// answered in its result and the others go ahead.
func (s *Server) moveFulfillments(w http.ResponseWriter, r *http.Request) error {
	var req moveBatchRequest
	body, err := decode.ReadBody(r)
	if err != nil {
		return err
	}
	if err := decode.JSON(body, &req); err != nil {
		return err
	}
	moves, err := batchMoves(req.Moves, body)
	if err != nil {
		return err
	}
	// A bound key's moves of another location's fulfillments are not
	// found; the others go ahead.
	refused := make(map[int]error)
	var mine []oms.BatchMove
	for i, m := range moves {
		if p := handle.Viewer(r); p.Bound() {
			if err := s.svc.Fulfillments.AuthorizeFulfillment(r.Context(), p, m.Fulfillment); err != nil {
				refused[i] = err
				continue
			}
		}
		mine = append(mine, m)
	}
	var done []oms.MoveResult
	if len(mine) > 0 {
		if done, err = s.svc.Fulfillments.MoveFulfillments(r.Context(), mine, handle.Viewer(r)); err != nil {
			return err
		}
	}
	results := make([]oms.MoveResult, len(moves))
	for i := range moves {
		if err, ok := refused[i]; ok {
			results[i] = oms.MoveResult{Err: err}
		} else {
			results[i], done = done[0], done[1:]
		}
	}
	resp := moveBatchResponse{Results: make([]moveResult, len(results))}
	for i, res := range results {
		out := moveResult{Fulfillment: moves[i].Fulfillment, Moved: res.Err == nil, Result: res.Fulfillment}
		if res.Err != nil {
			p := answer.ProblemFor(res.Err)
			out.Problem = &p
			resp.Failed++
		} else {
			resp.Moved++
		}
		resp.Results[i] = out
	}
	return answer.JSON(w, http.StatusOK, resp)
}

// batchMoves checks every move of the request (read from body), naming
// each bad field by its place in the batch.
func batchMoves(in []moveRequest, body []byte) ([]oms.BatchMove, error) {
	var p oms.Problems
	switch {
	case len(in) == 0:
		p.Add("moves", "at least one move is required")
	case len(in) > oms.MaxBatchMoves:
		p.Add("moves", "at most %d moves in one batch, not %d", oms.MaxBatchMoves, len(in))
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	var given struct {
		Moves []json.RawMessage `json:"moves"`
	}
	_ = json.Unmarshal(body, &given) // well-formed: decoding read it
	out := make([]oms.BatchMove, len(in))
	for i, m := range in {
		at := fmt.Sprintf("moves[%d].", i)
		if i < len(given.Moves) && decode.GivenEmpty(given.Moves[i], "lines") {
			p.Add(at+"lines", "must name at least one line; leave lines out to move every unit")
		}
		to := oms.FulfillmentStatus(m.Status)
		if m.Fulfillment == "" {
			p.Add(at+"fulfillment_id", "is required")
		}
		if to == oms.FulfillmentPending || !slices.Contains(oms.FulfillmentStatuses, to) {
			p.Add(at+"status", "must be one of picking, packed, shipped, delivered, ready_for_pickup, picked_up, cancelled")
		}
		lines := fulfillmentLines(&p, at, m.Lines)
		t := m.tracking()
		var e *oms.Error
		if errors.As(t.Validate(), &e) {
			for _, f := range e.Fields {
				p.Add(at+f.Field, "%s", f.Message)
			}
		}
		out[i] = oms.BatchMove{Fulfillment: m.Fulfillment, FulfillmentMove: oms.FulfillmentMove{To: to, Tracking: t, Lines: lines}}
	}
	return out, p.Err()
}
