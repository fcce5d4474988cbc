package openapi

import (
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3gen"
	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/httpapi/decode"
)

// Version is the version of the API the OpenAPI document describes.
const Version = "1.0.0"

const apiDescription = "oms is an order management system: it takes orders from sales channels, " +
	"reserves stock at locations and tracks each order from placement to shipment.\n\n" +
	"Amounts are integers in minor units of the order's ISO 4217 currency: 1999 is 19.99 USD. " +
	"Authenticate with an API key sent as `Authorization: Bearer <key>`; each operation names the " +
	"permission the key's role needs. Errors are RFC 9457 problem documents (`application/problem+json`) " +
	"with a stable `code` to match on, such as `invalid`, `not_found` or `out_of_stock`; `errors` names " +
	"each invalid field. A POST may carry an `Idempotency-Key` header: a retry with the same key and body " +
	"gets the first answer again, with `Idempotent-Replayed: true`; the same key with another body is " +
	"refused with 422. The request's effect and the answer stored under its key commit together, so a " +
	"request cut off anywhere takes effect once or not at all; a 5xx answer is not stored. A secret in an " +
	"answer (a new API key, a return link's token) is shown once: a replay leaves it out. Keys are kept " +
	"for 24 hours; a key used again after that is a new request."

// BearerAuth names the security scheme of the API keys.
const BearerAuth = "bearerAuth"

// Document describes the spec's operations as an OpenAPI 3 document,
// deriving the schemas of their bodies from the Go types. It fails when two
// types would share a schema name.
func Document(spec Spec) (*openapi3.T, error) {
	schemas := newSchemaSet(spec)
	problem, err := schemas.ref(spec.Problem)
	if err != nil {
		return nil, err
	}
	doc := &openapi3.T{
		OpenAPI: "3.0.3",
		Info:    &openapi3.Info{Title: "oms", Description: apiDescription, Version: Version},
		Paths:   openapi3.NewPaths(),
		Tags:    apiTags,
		Components: &openapi3.Components{
			Schemas: schemas.all,
			SecuritySchemes: openapi3.SecuritySchemes{BearerAuth: {Value: &openapi3.SecurityScheme{
				Type: "http", Scheme: "bearer", Description: "An oms API key."}}},
		},
	}
	for _, rt := range spec.Operations {
		op, err := operation(rt, schemas, problem)
		if err != nil {
			return nil, fmt.Errorf("openapi: %s %s: %w", rt.Method, rt.Path, err)
		}
		item := doc.Paths.Value(rt.Path)
		if item == nil {
			item = &openapi3.PathItem{}
			doc.Paths.Set(rt.Path, item)
		}
		item.SetOperation(rt.Method, op)
	}
	if err := eventPayloads(doc, schemas); err != nil {
		return nil, err
	}
	if schemas.clash != nil {
		return nil, schemas.clash
	}
	return doc, nil
}

// operation describes one route.
func operation(rt Operation, schemas *schemaSet, problem *openapi3.SchemaRef) (*openapi3.Operation, error) {
	op := &openapi3.Operation{OperationID: OperationID(rt.Method, rt.Path), Summary: rt.Summary,
		Tags: []string{Tag(rt.Path)}, Parameters: schemas.operationParams(rt), Responses: openapi3.NewResponses()}
	op.Security, op.Description = operationSecurity(rt.Perm)
	if rt.Bound != "" {
		op.Description += " " + rt.Bound
	}
	if rt.Doc != "" {
		op.Description = rt.Doc + "\n\n" + op.Description
	}
	if rt.ChannelPayload {
		rb := openapi3.NewRequestBody().WithRequired(true).WithJSONSchema(openapi3.NewObjectSchema()).
			WithDescription("An order in the channel's own format, as the channel sends it (a CSV file for a csv channel).")
		rb.Content["text/csv"] = openapi3.NewMediaType().WithSchema(openapi3.NewStringSchema())
		op.RequestBody = &openapi3.RequestBodyRef{Value: rb}
	} else if rt.RawBody != "" {
		op.RequestBody = &openapi3.RequestBodyRef{Value: openapi3.NewRequestBody().WithRequired(true).
			WithContent(openapi3.NewContentWithSchema(openapi3.NewStringSchema(), []string{rt.RawBody}))}
	} else if rt.Request != nil {
		body, err := schemas.ref(rt.Request)
		if err != nil {
			return nil, err
		}
		op.RequestBody = &openapi3.RequestBodyRef{Value: openapi3.NewRequestBody().WithRequired(true).WithJSONSchemaRef(body)}
	}
	if op.RequestBody != nil {
		if err := setRequestExample(rt, op.RequestBody.Value); err != nil {
			return nil, fmt.Errorf("example: %w", err)
		}
	}
	resp := openapi3.NewSchemaRef("", openapi3.NewObjectSchema()) // free-form when the route names no type
	if !rt.CSVFile && !rt.Text && rt.Response != nil {
		var err error
		if resp, err = schemas.ref(rt.Response); err != nil {
			return nil, err
		}
	}
	for _, status := range rt.Status {
		r := openapi3.NewResponse().WithDescription(http.StatusText(status))
		if rt.CSVFile {
			r = r.WithContent(openapi3.NewContentWithSchema(openapi3.NewStringSchema(), []string{"text/csv"}))
		} else if rt.Text {
			r = r.WithContent(openapi3.NewContentWithSchema(openapi3.NewStringSchema(), []string{"text/plain"}))
		} else if status != http.StatusNoContent {
			r = r.WithJSONSchemaRef(resp)
		}
		if _, ok := rt.Response.(oms.Report); ok || rt.CSV {
			// A report answers as CSV too, when asked with Accept: text/csv.
			r.Content["text/csv"] = openapi3.NewMediaType().WithSchema(openapi3.NewStringSchema())
		}
		r.Headers = openapi3.Headers{}
		if rt.Method == http.MethodPost {
			r.Headers["Idempotent-Replayed"] = responseHeader(
				"true when this is the stored answer to an earlier request with the same Idempotency-Key")
		}
		if rt.ReturnsOrder {
			r.Headers["ETag"] = responseHeader(`the order's version, strong: "3"; send it back as If-Match to guard a change`)
		}
		if rt.ChannelPayload {
			r.Headers["OMS-Ingest-Outcome"] = responseHeader("what became of the order: created, duplicate, updated or stale (a webhook also: ignored)")
		}
		op.Responses.Set(strconv.Itoa(status), &openapi3.ResponseRef{Value: r})
	}
	for _, p := range problemResponses {
		if !p.applies(rt) {
			continue
		}
		r := openapi3.NewResponse().WithDescription(p.doc).
			WithContent(openapi3.NewContentWithSchemaRef(problem, []string{"application/problem+json"}))
		if p.status == http.StatusUnauthorized {
			r.Headers = openapi3.Headers{"WWW-Authenticate": responseHeader(`Bearer realm="oms": send an API key as a bearer token`)}
		}
		op.Responses.Set(strconv.Itoa(p.status), &openapi3.ResponseRef{Value: r})
	}
	return op, nil
}

// problemResponses are the problem responses an operation may give, and when.
var problemResponses = []struct {
	status  int
	applies func(rt Operation) bool
	doc     string
}{
	{http.StatusBadRequest, anyRoute, "invalid: the request is malformed or breaks a rule; `errors` names each bad field"},
	{http.StatusUnauthorized, needsKey, "unauthorized: no valid API key was sent"},
	{http.StatusUnauthorized, signedWebhook, "unauthorized: the signature header is missing or does not match the body; " +
		"a channel code that does not exist, or whose kind sends no webhooks, gets this same answer"},
	{http.StatusForbidden, needsKey, "forbidden: the API key's role lacks the permission this operation requires, " +
		"or the request names a channel or location the key is not bound to; `errors` names it"},
	{http.StatusNotFound, anyRoute, "not_found: the thing asked for does not exist"},
	{http.StatusConflict, placesOrder, "conflict: the request clashes with the current state; or out_of_stock: " +
		"the channel rejects backorders and there is not enough stock, and `short` lists each SKU"},
	{http.StatusConflict, func(rt Operation) bool { return isWrite(rt) && !rt.PlacesOrder },
		"conflict: the request clashes with the current state"},
	{http.StatusConflict, addsUp, "conflict: a figure the answer adds up or multiplies out (a stock value, say) " +
		"does not fit in 64 bits; it is refused, never wrapped around"},
	{http.StatusRequestEntityTooLarge, hasBody, fmt.Sprintf("too_large: the request body is over %d bytes", decode.MaxBody)},
	{http.StatusUnprocessableEntity, isPost, "idempotency_key_reused: the Idempotency-Key was used for another request"},
	{http.StatusPreconditionFailed, func(rt Operation) bool { return rt.IfMatch != NoGuard },
		"precondition_failed: If-Match names a version the order is no longer at; `errors` gives the current one"},
	{http.StatusPreconditionRequired, func(rt Operation) bool { return rt.IfMatch == RequiredGuard },
		"precondition_required: send the order's ETag as If-Match"},
	{http.StatusInternalServerError, anyRoute, "internal: a fault on our side; the details are logged, not shown"},
}

func anyRoute(Operation) bool { return true }
func signedWebhook(rt Operation) bool {
	return strings.HasPrefix(rt.Path, "/v1/webhooks/")
}
func needsKey(rt Operation) bool    { return rt.Perm != "" }
func isWrite(rt Operation) bool     { return rt.Method != http.MethodGet }
func hasBody(rt Operation) bool     { return rt.Request != nil }
func isPost(rt Operation) bool      { return rt.Method == http.MethodPost }
func placesOrder(rt Operation) bool { return rt.PlacesOrder }

// addsUp reports whether the route reads a report or an export, whose sums
// and products may pass 64 bits.
func addsUp(rt Operation) bool {
	return rt.Method == http.MethodGet && (strings.HasPrefix(rt.Path, "/v1/reports/") || strings.HasPrefix(rt.Path, "/v1/exports/"))
}

// operationSecurity returns an operation's security requirement and the description
// naming the permission it needs; routes without one need no key.
func operationSecurity(perm oms.Permission) (*openapi3.SecurityRequirements, string) {
	if perm == "" {
		return &openapi3.SecurityRequirements{}, "No authentication."
	}
	return openapi3.NewSecurityRequirements().With(openapi3.NewSecurityRequirement().Authenticate(BearerAuth)),
		"Requires permission " + string(perm) + "."
}

// pathWildcard matches a wildcard of a ServeMux pattern.
var pathWildcard = regexp.MustCompile(`\{([^}]+)\}`)

// operationParams lists the route's path wildcards, its query parameters and, for
// a POST, the Idempotency-Key header.
func (s *schemaSet) operationParams(rt Operation) openapi3.Parameters {
	var ps openapi3.Parameters
	for _, m := range pathWildcard.FindAllStringSubmatch(rt.Path, -1) {
		ps = append(ps, &openapi3.ParameterRef{Value: openapi3.NewPathParameter(m[1]).WithSchema(openapi3.NewStringSchema())})
	}
	for _, q := range rt.Query {
		p := openapi3.NewQueryParameter(q.Name).WithDescription(q.Doc).
			WithSchema(&openapi3.Schema{Type: &openapi3.Types{q.Type}, Enum: s.queryEnum(rt, q.Name)})
		ps = append(ps, &openapi3.ParameterRef{Value: p})
	}
	if rt.IfMatch != NoGuard {
		p := openapi3.NewHeaderParameter("If-Match").WithSchema(openapi3.NewStringSchema()).WithRequired(rt.IfMatch == RequiredGuard).
			WithDescription(`The order's ETag ("3"): the change goes ahead only while the order is at that version, else 412.`)
		ps = append(ps, &openapi3.ParameterRef{Value: p})
	}
	if rt.Method == http.MethodPost {
		p := openapi3.NewHeaderParameter("Idempotency-Key").WithSchema(openapi3.NewStringSchema().WithMaxLength(255)).
			WithDescription("Makes a retry safe: a repeat with the same key and body within 24 hours gets the first answer again (without any secret it showed).")
		ps = append(ps, &openapi3.ParameterRef{Value: p})
	}
	return ps
}

// responseHeader describes a string header of a response.
func responseHeader(doc string) *openapi3.HeaderRef {
	p := openapi3.Parameter{Description: doc, Schema: openapi3.NewStringSchema().NewRef()}
	return &openapi3.HeaderRef{Value: &openapi3.Header{Parameter: p}}
}

// nonWord matches what an operation id leaves out of a path.
var nonWord = regexp.MustCompile(`[^A-Za-z0-9]+`)

// OperationID derives an operation's id from its method and path:
// GET /v1/orders/{id} is get_v1_orders_id.
func OperationID(method, path string) string {
	return strings.ToLower(method) + "_" + strings.Trim(nonWord.ReplaceAllString(path, "_"), "_")
}

// schemaSet derives schemas from Go types, keeping every struct under its
// exported name in all so that operations can refer to it.
type schemaSet struct {
	spec  Spec
	gen   *openapi3gen.Generator
	all   openapi3.Schemas
	names map[string]reflect.Type
	clash error // set when two types would share a name
}

func newSchemaSet(spec Spec) *schemaSet {
	s := &schemaSet{spec: spec, all: openapi3.Schemas{}, names: map[string]reflect.Type{}}
	s.gen = openapi3gen.NewGenerator(
		openapi3gen.CreateComponentSchemas(openapi3gen.ExportComponentSchemasOptions{
			ExportComponentSchemas: true, ExportTopLevelSchema: true}),
		openapi3gen.CreateTypeNameGenerator(s.name),
		openapi3gen.SchemaCustomizer(s.customize),
	)
	return s
}

// ref returns a reference to the schema of v's type, adding it and the types
// it holds to all.
func (s *schemaSet) ref(v any) (*openapi3.SchemaRef, error) {
	ref, err := s.gen.NewSchemaRefForValue(v, s.all)
	if rep := s.all["Report"]; err == nil && rep != nil && rep.Value.Properties["rows"] != nil {
		// openapi3gen refers to the row type without exporting it: a row is
		// an object keyed by the report's column names.
		row := openapi3.NewObjectSchema()
		row.Description = "one value per column of the report, keyed by column name, in column order"
		rep.Value.Properties["rows"].Value.Items = openapi3.NewSchemaRef("", row)
	}
	return ref, err
}

// name is a struct type's component name: its Go name, capitalised.
func (s *schemaSet) name(t reflect.Type) string {
	if t == typeInt {
		return "" // a scalar: openapi3gen inlines a struct type without a name
	}
	r, size := utf8.DecodeRuneInString(t.Name())
	name := string(unicode.ToUpper(r)) + t.Name()[size:]
	if other, ok := s.names[name]; ok && other != t {
		s.clash = fmt.Errorf("openapi: %v and %v would both be the schema %s", other, t, name)
	}
	s.names[name] = t
	return name
}

var (
	typeInt        = reflect.TypeFor[decode.Int]()
	typeTime       = reflect.TypeFor[time.Time]()
	typeRawMessage = reflect.TypeFor[json.RawMessage]()
)

// customize adjusts the schema openapi3gen derived for a type: Int is a JSON
// integer, json.RawMessage any object, closed sets list their values (see
// Spec), and a struct's fields without omitempty are required.
func (s *schemaSet) customize(_ string, t reflect.Type, _ reflect.StructTag, schema *openapi3.Schema) error {
	switch t {
	case typeInt:
		schema.Type, schema.Format = &openapi3.Types{openapi3.TypeInteger}, "int64"
	case typeTime:
		schema.Type, schema.Format = &openapi3.Types{openapi3.TypeString}, "date-time"
	case typeRawMessage:
		schema.Type = &openapi3.Types{openapi3.TypeObject}
	case reflect.TypeFor[oms.ReportRow]():
		// A row is an object keyed by the report's column names, in column order.
		schema.Type, schema.Properties = &openapi3.Types{openapi3.TypeObject}, openapi3.Schemas{}
		schema.AdditionalProperties = openapi3.AdditionalProperties{Has: openapi3.Ptr(true)}
	}
	s.setEnums(t, schema)
	for _, name := range s.spec.Nullable[t] {
		if p := schema.Properties[name]; p != nil && p.Value != nil {
			p.Value.Nullable = true
		}
	}
	if t.Kind() == reflect.Struct && len(schema.Properties) > 0 {
		schema.Required = requiredFields(t, schema.Properties)
		describeSecrets(t, schema.Properties)
	}
	return nil
}

// describeSecrets says of each secret field (see Secrets) that it is
// shown once.
func describeSecrets(t reflect.Type, props openapi3.Schemas) {
	for name := range Secrets(t) {
		if p := props[name]; p != nil && p.Value != nil {
			p.Value.Description = strings.TrimSpace(p.Value.Description + " Shown once: absent when the answer is " +
				"replayed for a repeated Idempotency-Key (Idempotent-Replayed: true); oms does not store it.")
		}
	}
}

// requiredFields lists the JSON names of t's fields that encoding/json always
// writes — those without omitempty or omitzero — among the properties,
// including the fields of embedded structs that a field of t's own does
// not hide (as encoding/json hides them).
func requiredFields(t reflect.Type, props openapi3.Schemas) []string {
	own := map[string]bool{}
	for f := range t.Fields() {
		if name, _, _ := strings.Cut(f.Tag.Get("json"), ","); !f.Anonymous || name != "" {
			own[name] = true
		}
	}
	var names []string
	for f := range t.Fields() {
		tag, tagged := f.Tag.Lookup("json")
		name, opts, _ := strings.Cut(tag, ",")
		switch {
		case f.Anonymous && name == "" && tag != "-":
			if ft := derefType(f.Type); ft.Kind() == reflect.Struct {
				for _, n := range requiredFields(ft, props) {
					if !own[n] {
						names = append(names, n)
					}
				}
			}
		case !tagged || name == "-" || props[name] == nil:
			// not a property of the schema
		case f.Tag.Get("secret") == "true":
			// shown once, absent from a replay
		case !slices.Contains(strings.Split(opts, ","), "omitempty") && !slices.Contains(strings.Split(opts, ","), "omitzero"):
			names = append(names, name)
		}
	}
	return names
}

func derefType(t reflect.Type) reflect.Type {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t
}
