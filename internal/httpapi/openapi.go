package httpapi

import (
	"encoding/json"
	"net/http"
	"reflect"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/httpapi/authz"
	"github.com/omshq/oms/internal/httpapi/openapi"
	"github.com/omshq/oms/internal/httpapi/orderbody"
)

// openAPI serves the OpenAPI document of the routes the server serves.
func (s *Server) openAPI(w http.ResponseWriter, r *http.Request) error {
	doc, err := s.openapi()
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json")
	_, err = w.Write(doc)
	return err
}

// marshalOpenAPI renders the document of the routes once; the server keeps it.
func marshalOpenAPI(routes []route) func() ([]byte, error) {
	return sync.OnceValues(func() ([]byte, error) {
		doc, err := openAPIDocument(routes)
		if err != nil {
			return nil, err
		}
		return json.Marshal(doc)
	})
}

// openAPIDocument describes the routes as an OpenAPI 3 document (see
// package openapi), with the tables of this package: the closed sets, the
// examples, the amounts that may be null.
func openAPIDocument(routes []route) (*openapi3.T, error) {
	spec := openapi.Spec{Problem: Problem{}, TypeEnums: typeEnums, FieldEnums: fieldEnums,
		QueryEnums: queryEnums, Nullable: nullableAmounts}
	for _, rt := range routes {
		spec.Operations = append(spec.Operations, operationOf(rt))
	}
	return openapi.Document(spec)
}

// operationOf is what the OpenAPI document says of the route.
func operationOf(rt route) openapi.Operation {
	op := openapi.Operation{Method: rt.Method, Path: rt.Path, Perm: rt.Perm, Summary: rt.Summary, Doc: rt.Doc,
		Bound: authz.BoundNote(rt.Method, rt.Path), Request: rt.Request, Response: rt.Response, Status: rt.Status, Query: rt.Query,
		IfMatch: openapi.Guard(rt.IfMatch), CSV: rt.CSV, ReturnsOrder: returnsOrder(rt)}
	if rt.Request != nil {
		op.Example = requestExamples[reflect.TypeOf(rt.Request)]
	}
	if raw, ok := rt.Request.(rawBody); ok {
		op.RawBody = raw.mediaType()
	}
	_, op.ChannelPayload = rt.Request.(channelPayload)
	_, op.PlacesOrder = rt.Request.(orderbody.OrderRequest)
	_, op.CSVFile = rt.Response.(csvFile)
	_, op.Text = rt.Response.(metricsText)
	return op
}

// rawBody is a request body that is not JSON, such as an XML document: the
// OpenAPI document describes it as text of its media type.
type rawBody interface{ mediaType() string }

// returnsOrder reports whether the route answers with one order, and so
// with its ETag.
func returnsOrder(rt route) bool {
	switch rt.Response.(type) {
	case oms.Order, editResponse:
		return true
	}
	return false
}

// nullableAmounts are the amounts written as null when an order's amounts
// are unknown (oms.Order.AmountsUnknown), by the type that holds them.
var nullableAmounts = map[reflect.Type][]string{
	reflect.TypeFor[oms.Order]():        totalsFields,
	reflect.TypeFor[orderListItem]():    totalsFields,
	reflect.TypeFor[oms.Line]():         {"unit_price", "subtotal", "discount", "tax"},
	reflect.TypeFor[oms.OrderSummary](): {"total"},
}

var totalsFields = []string{"subtotal", "discount_total", "shipping_total", "tax_total", "duties_total", "total"}

// secretFields returns the JSON names of the fields of the response type v
// (a struct, or a pointer to one; embedded structs included) tagged
// secret:"true": what an answer shows once and never stores.
func secretFields(v any) map[string]bool {
	if v == nil {
		return nil
	}
	return openapi.Secrets(reflect.TypeOf(v))
}
