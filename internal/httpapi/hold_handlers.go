package httpapi

import (
	"net/http"
	"slices"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/httpapi/answer"
	"github.com/omshq/oms/internal/httpapi/decode"
	"github.com/omshq/oms/internal/httpapi/handle"
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
	if err := decode.Request(r, &req); err != nil {
		return err
	}
	version, err := ifMatch(r)
	if err != nil {
		return err
	}
	o, err := s.svc.Holds.PlaceHold(r.Context(), r.PathValue("id"), version, req.Type, req.Reason, handle.Viewer(r))
	if err != nil {
		return err
	}
	return writeOrder(w, r, http.StatusOK, o)
}

func (s *Server) releaseHolds(w http.ResponseWriter, r *http.Request) error {
	var req releaseRequest
	if _, err := decode.Optional(r, &req, "release every hold"); err != nil {
		return err
	}
	if req.Type != "" && !slices.Contains(oms.HoldTypes, req.Type) {
		return oms.Invalid("type", "must be one of fraud, payment, address, manual; leave it out to release every hold")
	}
	version, err := ifMatch(r)
	if err != nil {
		return err
	}
	o, err := s.svc.Holds.ReleaseHolds(r.Context(), r.PathValue("id"), version, req.Type, handle.Viewer(r))
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
	return answer.JSON(w, http.StatusOK, rules)
}

func (s *Server) putScreening(w http.ResponseWriter, r *http.Request) error {
	var rules oms.Screening
	if err := decode.Whole(r, &rules); err != nil {
		return err
	}
	if err := s.svc.Holds.PutScreening(r.Context(), rules, handle.Viewer(r)); err != nil {
		return err
	}
	return answer.JSON(w, http.StatusOK, rules)
}
