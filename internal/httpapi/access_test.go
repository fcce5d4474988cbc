package httpapi

import (
	"flag"
	"fmt"
	"log/slog"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/httpapi/authz"
)

// The access table: every route × every kind of key, as the README shows
// it and as TestAccessMatrix (access_matrix_test.go) checks it by sending
// every request.

var updateREADME = flag.Bool("update-readme", false, "rewrite the README's access table from the route table")

// AccessPrincipals are the kinds of key of the access table, in its
// column order: a key of each role, a warehouse key bound to locations and
// a channel key (always bound to channels).
var AccessPrincipals = []string{"admin", "manager", "agent", "warehouse", "warehouse, bound", "channel"}

// Access cells: allowed; allowed on the key's own channels or locations
// only; forbidden (403).
const (
	Allowed   = "✓"
	Own       = "own"
	Forbidden = "—"
)

// RouteAccess is a route's row of the access table.
type RouteAccess struct {
	Method, Path string
	Perm         oms.Permission
	Cells        []string // by AccessPrincipals
}

// Key is the route as the decision table names it: "GET /v1/orders".
func (a RouteAccess) Key() string { return a.Method + " " + a.Path }

// AccessTable returns the access table of the server's routes, from the
// route table, the roles' grants and how each route limits a bound key.
func AccessTable(s *Server) []RouteAccess {
	out := make([]RouteAccess, len(s.routes))
	for i, rt := range s.routes {
		sc := authz.BoundOf(rt.Method, rt.Path)
		cell := func(role oms.Role, bound bool) string {
			switch {
			case rt.Perm == "":
				return Allowed
			case !role.Allows(rt.Perm):
				return Forbidden
			case bound:
				return Own
			}
			return Allowed
		}
		out[i] = RouteAccess{Method: rt.Method, Path: rt.Path, Perm: rt.Perm, Cells: []string{
			cell(oms.RoleAdmin, false), cell(oms.RoleManager, false), cell(oms.RoleAgent, false),
			cell(oms.RoleWarehouse, false), cell(oms.RoleWarehouse, sc.Location), cell(oms.RoleChannel, sc.Channel)}}
	}
	return out
}

// NewForTest returns the API over no database: enough for its route table.
func NewForTest() *Server { return New(nil, slog.New(slog.DiscardHandler)) }

// accessMarkdown renders the access table as the README holds it.
func accessMarkdown(rows []RouteAccess) string {
	var b strings.Builder
	b.WriteString("| route | admin | manager | agent | warehouse | warehouse, bound to locations | channel (bound to channels) | permission |\n")
	b.WriteString("|---|:-:|:-:|:-:|:-:|:-:|:-:|---|\n")
	for _, r := range rows {
		perm := "none: public"
		if r.Perm != "" {
			perm = "`" + string(r.Perm) + "`"
		}
		fmt.Fprintf(&b, "| `%s %s` | %s | %s |\n", r.Method, r.Path, strings.Join(r.Cells, " | "), perm)
	}
	return b.String()
}

const (
	accessBegin = "<!-- access table: generated from the route table; go test ./internal/httpapi -run TestAccessTableInREADME -update-readme -->\n"
	accessEnd   = "<!-- end of the access table -->\n"
)

// TestAccessTableInREADME: the README's access table is the one the route
// table gives; -update-readme writes it there.
func TestAccessTableInREADME(t *testing.T) {
	const path = "../../README.md"
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	readme := string(b)
	before, rest, ok := strings.Cut(readme, accessBegin)
	table, after, ok2 := strings.Cut(rest, accessEnd)
	if !ok || !ok2 {
		t.Fatalf("the README has no access table between %q and %q", accessBegin, accessEnd)
	}
	want := accessMarkdown(AccessTable(NewForTest()))
	if table == want {
		return
	}
	if *updateREADME {
		if err := os.WriteFile(path, []byte(before+accessBegin+want+accessEnd+after), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Errorf("the README's access table is stale: run go test ./internal/httpapi -run TestAccessTableInREADME -update-readme")
}

// TestOpenAPIAccess: the document says how each route limits a bound key,
// that a 403 may name the channel or location, that items have a cost only
// for some keys, and what a key is bound to.
func TestOpenAPIAccess(t *testing.T) {
	doc, err := openAPIDocument(NewForTest().routes)
	if err != nil {
		t.Fatal(err)
	}
	op := doc.Paths.Value("/v1/orders/{id}").Get
	if !strings.Contains(op.Description, "a channel key to its own channels'") || !strings.Contains(op.Description, "not found (404)") {
		t.Errorf("GET /v1/orders/{id}: %q", op.Description)
	}
	if r := op.Responses.Value("403"); r == nil || !strings.Contains(*r.Value.Description, "not bound to") {
		t.Errorf("GET /v1/orders/{id} 403: %v", r)
	}
	if d := doc.Paths.Value("/v1/items").Get.Description; strings.Contains(d, "Limits") {
		t.Errorf("GET /v1/items limits no bound key: %q", d)
	}
	item := doc.Components.Schemas["ItemView"]
	if item == nil || item.Value.Properties["unit_cost"] == nil || slices.Contains(item.Value.Required, "unit_cost") ||
		!slices.Contains(item.Value.Required, "sku") {
		t.Errorf("ItemView: %+v", item)
	}
	req := doc.Components.Schemas["ApiKeyRequest"]
	if req == nil || req.Value.Properties["channels"] == nil || req.Value.Properties["locations"] == nil {
		t.Errorf("ApiKeyRequest: %+v", req)
	}
}
