package httpapi

import (
	"net/http"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/httpapi/answer"
	"github.com/omshq/oms/internal/httpapi/decode"
	"github.com/omshq/oms/internal/httpapi/handle"
)

func (s *Server) getStoreSettings(w http.ResponseWriter, r *http.Request) error {
	st, err := s.svc.Admin.StoreSettings(r.Context())
	if err != nil {
		return err
	}
	return answer.JSON(w, http.StatusOK, st)
}

func (s *Server) putStoreSettings(w http.ResponseWriter, r *http.Request) error {
	var st oms.StoreSettings
	if err := decode.Whole(r, &st); err != nil {
		return err
	}
	if err := s.svc.Admin.PutStoreSettings(r.Context(), st, handle.Viewer(r)); err != nil {
		return err
	}
	return answer.JSON(w, http.StatusOK, st)
}
