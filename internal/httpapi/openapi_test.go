package httpapi

import (
	"bytes"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/omshq/oms/internal/httpapi/openapi"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/omshq/oms"
)

// serveOpenAPI returns a server without a database and the body of its
// GET /openapi.json, which needs neither a key nor the database.
func serveOpenAPI(t testing.TB) (*Server, []byte) {
	t.Helper()
	s := New(nil, slog.New(slog.DiscardHandler))
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/openapi.json", nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("GET /openapi.json: status %d: %s", rec.Code, rec.Body)
	}
	if ct := rec.Header().Get("Content-Type"); ct != "application/json" {
		t.Fatalf("GET /openapi.json: Content-Type %q, want application/json", ct)
	}
	return s, rec.Body.Bytes()
}

// loadOpenAPI serves the document and loads it with kin-openapi's loader,
// which resolves every $ref, then validates it.
func loadOpenAPI(t *testing.T) (*Server, *openapi3.T) {
	t.Helper()
	s, body := serveOpenAPI(t)
	doc, err := openapi3.NewLoader().LoadFromData(body)
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	if err := doc.Validate(t.Context()); err != nil {
		t.Fatalf("validate: %v", err)
	}
	return s, doc
}

func TestOpenAPIDocument(t *testing.T) {
	_, doc := loadOpenAPI(t)
	if doc.OpenAPI != "3.0.3" || doc.Info.Title != "oms" || doc.Info.Version != openapi.Version {
		t.Errorf("openapi %q, info %q %q", doc.OpenAPI, doc.Info.Title, doc.Info.Version)
	}
	for _, want := range []string{"minor units", "ISO 4217", "Authorization: Bearer <key>", "RFC 9457", "`code`", "Idempotency-Key"} {
		if !strings.Contains(doc.Info.Description, want) {
			t.Errorf("info.description lacks %q", want)
		}
	}
	scheme := doc.Components.SecuritySchemes[openapi.BearerAuth]
	if scheme == nil || scheme.Value.Type != "http" || scheme.Value.Scheme != "bearer" {
		t.Errorf("securitySchemes.%s = %+v, want http bearer", openapi.BearerAuth, scheme)
	}
	for name, ref := range doc.Components.Schemas {
		open := ref.Value.AdditionalProperties.Has != nil && *ref.Value.AdditionalProperties.Has // keyed by data, such as a report row
		if ref.Value.Type == nil || (len(ref.Value.Properties) == 0 && !open) {
			t.Errorf("schema %s has no type or no properties", name)
		}
	}
}

// The document is the same on every request, so that clients can cache it
// and diffs between versions show only real changes.
func TestOpenAPIStable(t *testing.T) {
	_, a := serveOpenAPI(t)
	_, b := serveOpenAPI(t)
	if !bytes.Equal(a, b) {
		t.Error("two requests for /openapi.json got different documents")
	}
}

func TestOpenAPIRoutes(t *testing.T) {
	s, doc := loadOpenAPI(t)
	ops := 0
	ids := map[string]bool{}
	for _, item := range doc.Paths.Map() {
		for _, op := range item.Operations() {
			ops++
			if ids[op.OperationID] {
				t.Errorf("operationId %s is not unique", op.OperationID)
			}
			ids[op.OperationID] = true
		}
	}
	if ops != len(s.routes) {
		t.Errorf("%d operations, want one per route: %d", ops, len(s.routes))
	}
	for _, rt := range s.routes {
		t.Run(rt.Method+" "+rt.Path, func(t *testing.T) {
			item := doc.Paths.Value(rt.Path)
			if item == nil || item.GetOperation(rt.Method) == nil {
				t.Fatal("missing from the document")
			}
			op := item.GetOperation(rt.Method)
			if op.Summary != rt.Summary || op.OperationID == "" {
				t.Errorf("summary %q, operationId %q", op.Summary, op.OperationID)
			}
			checkSecurity(t, rt, op)
			checkParams(t, rt, op)
			checkBody(t, rt, op)
			checkResponses(t, rt, op)
		})
	}
}

func checkSecurity(t *testing.T, rt route, op *openapi3.Operation) {
	t.Helper()
	switch {
	case op.Security == nil:
		t.Error("no security; public routes need an explicit empty list")
	case rt.Perm == "" && len(*op.Security) != 0:
		t.Errorf("security %v on a public route", *op.Security)
	case rt.Perm != "" && (len(*op.Security) != 1 || (*op.Security)[0][openapi.BearerAuth] == nil):
		t.Errorf("security %v, want %s", *op.Security, openapi.BearerAuth)
	case rt.Perm != "" && !strings.Contains(op.Description, "Requires permission "+string(rt.Perm)):
		t.Errorf("description %q does not name %s", op.Description, rt.Perm)
	}
}

func checkParams(t *testing.T, rt route, op *openapi3.Operation) {
	t.Helper()
	got := map[string]*openapi3.Parameter{}
	for _, p := range op.Parameters {
		got[p.Value.In+" "+p.Value.Name] = p.Value
	}
	want := len(rt.Query)
	for seg := range strings.SplitSeq(rt.Path, "/") {
		if name, ok := strings.CutPrefix(seg, "{"); ok {
			want++
			if p := got["path "+strings.TrimSuffix(name, "}")]; p == nil || !p.Required {
				t.Errorf("path parameter %s missing or not required", seg)
			}
		}
	}
	for _, q := range rt.Query {
		if p := got["query "+q.Name]; p == nil || !p.Schema.Value.Type.Is(q.Type) || p.Description != q.Doc {
			t.Errorf("query parameter %s missing or not a documented %s", q.Name, q.Type)
		}
	}
	if rt.IfMatch != noGuard {
		want++
		if p := got["header If-Match"]; p == nil || p.Required != (rt.IfMatch == requiredGuard) {
			t.Errorf("If-Match header missing or required %v, want %v", p != nil && p.Required, rt.IfMatch == requiredGuard)
		}
	}
	if rt.Method == http.MethodPost {
		want++
		if p := got["header Idempotency-Key"]; p == nil || p.Required {
			t.Error("no optional Idempotency-Key header")
		}
	}
	if len(op.Parameters) != want {
		t.Errorf("%d parameters, want %d", len(op.Parameters), want)
	}
}

func checkBody(t *testing.T, rt route, op *openapi3.Operation) {
	t.Helper()
	if rt.Request == nil {
		if op.RequestBody != nil {
			t.Error("a request body on a route that takes none")
		}
		return
	}
	if op.RequestBody == nil || !op.RequestBody.Value.Required {
		t.Fatal("no required request body")
	}
	if raw, ok := rt.Request.(rawBody); ok {
		mt := op.RequestBody.Value.Content.Get(raw.mediaType())
		if mt == nil || !mt.Schema.Value.Type.Is("string") || len(op.RequestBody.Value.Content) != 1 {
			t.Errorf("request body is not text of %s: %+v", raw.mediaType(), op.RequestBody.Value.Content)
		}
		return
	}
	mt := op.RequestBody.Value.Content.Get("application/json")
	if _, free := rt.Request.(channelPayload); free {
		if mt == nil || mt.Schema.Value == nil || !mt.Schema.Value.Type.Is(openapi3.TypeObject) || op.RequestBody.Value.Content.Get("text/csv") == nil {
			t.Errorf("a channel payload is not a free-form JSON object or CSV: %+v", mt)
		}
		return
	}
	if mt == nil || !strings.HasPrefix(mt.Schema.Ref, "#/components/schemas/") {
		t.Errorf("request body is not a JSON component schema: %+v", mt)
	}
}

func checkResponses(t *testing.T, rt route, op *openapi3.Operation) {
	t.Helper()
	for _, status := range rt.Status {
		r := op.Responses.Status(status)
		if status == http.StatusNoContent {
			if r == nil || len(r.Value.Content) != 0 {
				t.Errorf("response 204 missing or with content")
			}
			continue
		}
		if _, ok := rt.Response.(csvFile); ok {
			if r == nil || r.Value.Content.Get("text/csv") == nil {
				t.Errorf("no CSV response %d", status)
			}
			continue
		}
		if _, ok := rt.Response.(metricsText); ok {
			if r == nil || r.Value.Content.Get("text/plain") == nil {
				t.Errorf("no text response %d", status)
			}
			continue
		}
		if r != nil && returnsOrder(rt) && r.Value.Headers["ETag"] == nil {
			t.Errorf("response %d returns an order without its ETag", status)
		}
		if r == nil || r.Value.Content.Get("application/json") == nil {
			t.Errorf("no JSON response %d", status)
		} else if s := r.Value.Content.Get("application/json").Schema; rt.Response != nil && !strings.HasPrefix(s.Ref, "#/components/schemas/") {
			t.Errorf("response %d is not a component schema", status)
		}
	}
	figures := strings.HasPrefix(rt.Path, "/v1/reports/") || strings.HasPrefix(rt.Path, "/v1/exports/")
	problems := map[int]bool{400: true, 401: rt.Perm != "" || strings.HasPrefix(rt.Path, "/v1/webhooks/"), 403: rt.Perm != "", 404: true,
		409: rt.Method != http.MethodGet || figures, 413: rt.Request != nil, 422: rt.Method == http.MethodPost, 500: true,
		412: rt.IfMatch != noGuard, 428: rt.IfMatch == requiredGuard}
	for status, want := range problems {
		r := op.Responses.Status(status)
		if (r != nil) != want {
			t.Errorf("problem response %d: present %v, want %v", status, r != nil, want)
			continue
		}
		if r != nil {
			mt := r.Value.Content.Get("application/problem+json")
			if mt == nil || mt.Schema.Ref != "#/components/schemas/Problem" {
				t.Errorf("response %d is not an application/problem+json Problem", status)
			}
		}
	}
	if n := len(rt.Status) + len(problems); op.Responses.Len() > n {
		t.Errorf("%d responses, want at most %d", op.Responses.Len(), n)
	}
}

// TestOpenAPISchemas spot-checks what reflection made of the Go types.
func TestOpenAPISchemas(t *testing.T) {
	_, doc := loadOpenAPI(t)
	op := func(method, path string) *openapi3.Operation { return doc.Paths.Value(path).GetOperation(method) }
	component := func(name string) *openapi3.Schema { return doc.Components.Schemas[name].Value }
	tests := []struct {
		name  string
		check func(t *testing.T)
	}{
		{"POST /v1/orders takes lines and external_id", func(t *testing.T) {
			body := op("POST", "/v1/orders").RequestBody.Value.Content.Get("application/json").Schema.Value
			hasProps(t, body, "lines", "external_id", "channel", "currency", "shipping_price")
			isRequired(t, body, "lines", true)
			isRequired(t, body, "external_id", true)
			isRequired(t, body, "shipping_price", false) // omitempty
			isType(t, body.Properties["shipping_price"].Value, "integer", "int64")
		}},
		{"order line unit_price is an integer", func(t *testing.T) {
			body := op("POST", "/v1/orders").RequestBody.Value.Content.Get("application/json").Schema.Value
			line := body.Properties["lines"].Value.Items.Value
			isType(t, line.Properties["unit_price"].Value, "integer", "int64")
			isRequired(t, line, "unit_price", true)
			isRequired(t, line, "discount", false)
		}},
		{"POST /v1/orders 201 is an Order", func(t *testing.T) {
			s := op("POST", "/v1/orders").Responses.Status(201).Value.Content.Get("application/json").Schema
			if s.Ref != "#/components/schemas/Order" {
				t.Errorf("201 refers to %q, want the Order schema", s.Ref)
			}
			hasProps(t, s.Value, "allocations", "subtotal", "total", "status", "lines")
			isRequired(t, s.Value, "subtotal", true) // from the embedded Totals
			isRequired(t, s.Value, "ship_to", false)
			isType(t, s.Value.Properties["total"].Value, "integer", "int64")
			isType(t, s.Value.Properties["created_at"].Value, "string", "date-time")
			if enum := s.Value.Properties["status"].Value.Enum; !slices.Contains(enum, any(string(oms.StatusBackordered))) {
				t.Errorf("status enum %v lacks backordered", enum)
			}
		}},
		{"an order's amounts may be null: unknown for an order a channel sent cancelled without them", func(t *testing.T) {
			order, line := component("Order"), component("Line")
			hasProps(t, order, "amounts_unknown")
			isRequired(t, order, "amounts_unknown", false)
			for _, c := range []struct {
				s      *openapi3.Schema
				fields []string
			}{
				{order, []string{"subtotal", "discount_total", "shipping_total", "tax_total", "duties_total", "total"}},
				{line, []string{"unit_price", "subtotal", "discount", "tax"}},
				{component("OrderListItem"), []string{"subtotal", "total"}},
				{component("OrderSummary"), []string{"total"}},
			} {
				for _, f := range c.fields {
					if p := c.s.Properties[f]; p == nil || !p.Value.Nullable {
						t.Errorf("%s is not nullable", f)
					}
				}
			}
			if line.Properties["quantity"].Value.Nullable || order.Properties["version"].Value.Nullable {
				t.Error("a field that is never null is nullable")
			}
		}},
		{"the channel routes name what became of the order", func(t *testing.T) {
			for _, path := range []string{"/v1/channels/{code}/orders", "/v1/webhooks/{code}"} {
				if op("POST", path).Responses.Status(200).Value.Headers["OMS-Ingest-Outcome"] == nil {
					t.Errorf("%s answers without OMS-Ingest-Outcome", path)
				}
			}
		}},
		{"GET /v1/orders filters and pages", func(t *testing.T) {
			hasParams(t, op("GET", "/v1/orders"), "query", "status", "channel", "q", "expand", "limit", "after")
		}},
		{"PUT /v1/channels/{code} has the code in its path", func(t *testing.T) {
			hasParams(t, op("PUT", "/v1/channels/{code}"), "path", "code")
		}},
		{"Int fields are integers", func(t *testing.T) {
			isType(t, component("ItemRequest").Properties["unit_cost"].Value, "integer", "int64")
			isType(t, component("CancelLineRequest").Properties["quantity"].Value, "integer", "int64")
		}},
		{"json.RawMessage is a free-form object", func(t *testing.T) {
			isType(t, component("Event").Properties["data"].Value, "object", "")
		}},
		{"a secret is shown once: optional, and said so", func(t *testing.T) {
			for _, c := range []struct{ method, path, field string }{
				{"POST", "/v1/api-keys", "secret"}, {"POST", "/v1/orders/{id}/return-link", "token"}, {"POST", "/v1/orders/{id}/return-link", "path"},
			} {
				s := op(c.method, c.path).Responses.Status(201).Value.Content.Get("application/json").Schema.Value
				isRequired(t, s, c.field, false)
				if d := s.Properties[c.field].Value.Description; !strings.Contains(d, "Shown once") {
					t.Errorf("%s %s %s: %q", c.method, c.path, c.field, d)
				}
			}
		}},
		{"Problem lists field errors and shortages", func(t *testing.T) {
			p := component("Problem")
			hasProps(t, p, "type", "title", "status", "detail", "code", "errors", "short")
			isRequired(t, p, "code", true)
			isRequired(t, p, "short", false)
		}},
		{"only placing an order can be out of stock", func(t *testing.T) {
			if d := *op("POST", "/v1/orders").Responses.Status(409).Value.Description; !strings.Contains(d, "out_of_stock") {
				t.Errorf("409 of POST /v1/orders: %q", d)
			}
			if d := *op("POST", "/v1/orders/{id}/cancel").Responses.Status(409).Value.Description; strings.Contains(d, "out_of_stock") {
				t.Errorf("409 of cancel: %q", d)
			}
		}},
		{"GET /openapi.json is public and free-form", func(t *testing.T) {
			o := op("GET", "/openapi.json")
			isType(t, o.Responses.Status(200).Value.Content.Get("application/json").Schema.Value, "object", "")
			if o.Security == nil || len(*o.Security) != 0 {
				t.Errorf("security %v, want []", o.Security)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, tt.check)
	}
}

func hasProps(t *testing.T, s *openapi3.Schema, names ...string) {
	t.Helper()
	for _, n := range names {
		if s.Properties[n] == nil {
			t.Errorf("no property %s", n)
		}
	}
}

func isRequired(t *testing.T, s *openapi3.Schema, name string, want bool) {
	t.Helper()
	if got := slices.Contains(s.Required, name); got != want {
		t.Errorf("%s required = %v, want %v", name, got, want)
	}
}

func isType(t *testing.T, s *openapi3.Schema, typ, format string) {
	t.Helper()
	if !s.Type.Is(typ) || s.Format != format {
		t.Errorf("type %v format %q, want %s %q", s.Type, s.Format, typ, format)
	}
}

func hasParams(t *testing.T, op *openapi3.Operation, in string, names ...string) {
	t.Helper()
	var got []string
	for _, p := range op.Parameters {
		if p.Value.In == in {
			got = append(got, p.Value.Name)
		}
	}
	if !slices.Equal(got, names) {
		t.Errorf("%s parameters %v, want %v", in, got, names)
	}
}

// Two types with one name would silently share a schema; the generator
// refuses instead.
func TestOpenAPINameClash(t *testing.T) {
	type Order struct {
		Note string `json:"note"`
	}
	routes := []route{
		{Method: "GET", Path: "/a", Response: oms.Order{}, Status: []int{200}},
		{Method: "GET", Path: "/b", Response: Order{}, Status: []int{200}},
	}
	if _, err := openAPIDocument(routes); err == nil || !strings.Contains(err.Error(), "schema Order") {
		t.Errorf("err = %v, want a clash on the schema Order", err)
	}
}

func BenchmarkOpenAPI(b *testing.B) {
	s := New(nil, slog.New(slog.DiscardHandler))
	for b.Loop() {
		if _, err := openAPIDocument(s.routes); err != nil {
			b.Fatal(err)
		}
	}
}
