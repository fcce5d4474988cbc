package httpapi

import (
	"github.com/omshq/oms/internal/httpapi/handle"
	"net/http"
)

// resourceOrder is POST /v1/orders/{id}/source: the order's units waiting
// for stock are sourced again, where stock is now. If-Match guards it when
// given.
func (s *Server) resourceOrder(w http.ResponseWriter, r *http.Request) error {
	version, err := ifMatch(r)
	if err != nil {
		return err
	}
	o, err := s.svc.Fulfillments.ResourceOrder(r.Context(), r.PathValue("id"), version, handle.Viewer(r))
	if err != nil {
		return err
	}
	return writeOrder(w, r, http.StatusOK, o)
}
