package httpapi

import (
	"log/slog"

	"github.com/omshq/oms"
)

// NewWithServices returns the API over the services alone: no exchange
// rates and no reports.
func NewWithServices(svc oms.Services, log *slog.Logger) *Server {
	return newServer(svc, nil, nil, log)
}
