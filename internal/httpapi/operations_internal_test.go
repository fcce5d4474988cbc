package httpapi

import (
	"log/slog"
	"testing"

	"github.com/omshq/oms/internal/httpapi/openapi"

	"github.com/omshq/oms"
)

// TestOperationsMatchRouteTable checks that the operations table describes
// the routes of the route table and nothing else: a route without an
// operation panics at start, and an operation without a route is prose
// left behind.
func TestOperationsMatchRouteTable(t *testing.T) {
	s := newServer(oms.Services{}, nil, nil, slog.New(slog.DiscardHandler))
	routed := map[string]bool{}
	for _, rt := range s.routes {
		routed[openapi.OperationID(rt.method, rt.path)] = true
	}
	for id, op := range operations {
		if !routed[id] {
			t.Errorf("operation %s has no route", id)
		}
		if op.summary == "" || len(op.status) == 0 {
			t.Errorf("operation %s: no summary or status", id)
		}
	}
	defer func() {
		if recover() == nil {
			t.Error("a route without an operation did not panic")
		}
	}()
	entry{"GET", "/v1/nowhere", oms.PermOrderRead, nil}.route()
}
