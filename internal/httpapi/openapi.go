package httpapi

import "net/http"

func (s *Server) openAPI(w http.ResponseWriter, r *http.Request) error {
	return writeJSON(w, http.StatusOK, map[string]any{"openapi": "3.1.0"})
}
