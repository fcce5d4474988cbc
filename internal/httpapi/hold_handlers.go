package httpapi

import (
	"net/http"

	"github.com/omshq/oms"
)

type holdRequest struct {
	Type   oms.HoldType `json:"type"`
	Reason string       `json:"reason,omitempty"`
}

type releaseRequest struct {
	Type oms.HoldType `json:"type,omitempty"` // omit to release every hold
}

func (s *Server) placeHold(w http.ResponseWriter, r *http.Request) error {
	var req holdRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	ctx, err := guarded(r)
	if err != nil {
		return err
	}
	o, err := s.svc.Holds.PlaceHold(ctx, r.PathValue("id"), req.Type, req.Reason, actor(r))
	if err != nil {
		return err
	}
	return writeOrder(w, r, http.StatusOK, o)
}

func (s *Server) releaseHolds(w http.ResponseWriter, r *http.Request) error {
	var req releaseRequest
	if r.ContentLength != 0 {
		if err := decode(r, &req); err != nil {
			return err
		}
	}
	ctx, err := guarded(r)
	if err != nil {
		return err
	}
	o, err := s.svc.Holds.ReleaseHolds(ctx, r.PathValue("id"), req.Type, actor(r))
	if err != nil {
		return err
	}
	return writeOrder(w, r, http.StatusOK, o)
}

func (s *Server) getScreening(w http.ResponseWriter, r *http.Request) error {
	rules, err := s.svc.Holds.Screening(r.Context())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, rules)
}

func (s *Server) putScreening(w http.ResponseWriter, r *http.Request) error {
	var rules oms.Screening
	if err := decodeWhole(r, &rules); err != nil {
		return err
	}
	if err := s.svc.Holds.PutScreening(r.Context(), rules, actor(r)); err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, rules)
}
