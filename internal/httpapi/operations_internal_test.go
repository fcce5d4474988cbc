package httpapi

import (
	"log/slog"
	"testing"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/httpapi/openapi"
)

// TestOperationsMatchRouteTable checks that the operations table and the
// prose table describe the routes of the route table and nothing else: a
// route without an operation or prose panics at start, and an operation or
// prose without a route is left behind.
func TestOperationsMatchRouteTable(t *testing.T) {
	s := newServer(oms.Services{}, nil, nil, slog.New(slog.DiscardHandler))
	routed := map[string]bool{}
	for _, rt := range s.routes {
		routed[openapi.OperationID(rt.Method, rt.Path)] = true
	}
	for id, op := range operations {
		if !routed[id] {
			t.Errorf("operation %s has no route", id)
		}
		if len(op.status) == 0 {
			t.Errorf("operation %s: no status", id)
		}
	}
	for _, id := range openapi.ProseIDs() {
		if pr, _ := openapi.ProseOf(id); !routed[id] || pr.Summary == "" {
			t.Errorf("prose %s has no route or no summary", id)
		}
	}
	defer func() {
		if recover() == nil {
			t.Error("a route without an operation did not panic")
		}
	}()
	entry{"GET", "/v1/nowhere", oms.PermOrderRead, nil}.route()
}
