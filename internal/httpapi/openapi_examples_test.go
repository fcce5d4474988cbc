package httpapi

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/fx"
	"github.com/omshq/oms/internal/httpapi/orderbody"
	"github.com/omshq/oms/internal/httpapi/service"
	"github.com/omshq/oms/internal/store/storetest"
)

// Every request body has an example; it validates against the body's
// schema and decodes into the request type without unknown fields (which
// the schemas, open to additions, would let through).
func TestOpenAPIRequestExamples(t *testing.T) {
	s, doc := loadOpenAPI(t)
	for _, rt := range s.routes {
		if rt.Request == nil {
			continue
		}
		t.Run(rt.Method+" "+rt.Path, func(t *testing.T) {
			body := doc.Paths.Value(rt.Path).GetOperation(rt.Method).RequestBody.Value
			if raw, ok := rt.Request.(rawBody); ok {
				mt := body.Content.Get(raw.mediaType())
				ex, _ := mt.Example.(string)
				if ex == "" {
					t.Fatal("no example")
				}
				if _, isECB := rt.Request.(ecbDocument); isECB {
					if _, err := fx.ParseECB(strings.NewReader(ex)); err != nil {
						t.Errorf("the example is not an ECB rates file: %v", err)
					}
				}
				return
			}
			mt := body.Content.Get("application/json")
			if mt.Example == nil {
				t.Fatal("no example")
			}
			if err := mt.Schema.Value.VisitJSON(mt.Example); err != nil {
				t.Errorf("the example does not fit its schema: %v", err)
			}
			typ := reflect.TypeOf(rt.Request)
			if _, ok := rt.Request.(channelPayload); ok {
				typ = reflect.TypeFor[orderbody.OrderRequest]() // the example is oms's own format
			}
			dec := json.NewDecoder(strings.NewReader(requestExamples[reflect.TypeOf(rt.Request)]))
			dec.DisallowUnknownFields()
			if err := dec.Decode(reflect.New(typ).Interface()); err != nil {
				t.Errorf("the example does not decode into %v: %v", typ, err)
			}
		})
	}
	for typ := range requestExamples {
		if !slices.ContainsFunc(s.routes, func(rt route) bool { return reflect.TypeOf(rt.Request) == typ }) {
			t.Errorf("an example of %v, which no route takes", typ)
		}
	}
}

// The examples are requests oms takes: set up from them in order, each is
// answered with success.
func TestOpenAPIExamplesAccepted(t *testing.T) {
	db := storetest.Open(t, storetest.Engines(t)[0])
	_, secret, err := db.CreateAPIKey(t.Context(), "admin", oms.RoleAdmin, oms.System("test"))
	if err != nil {
		t.Fatal(err)
	}
	s := New(db, slog.New(slog.DiscardHandler))
	example := func(v any) string { return requestExamples[reflect.TypeOf(v)] }
	steps := []struct {
		method, path, body string
		want               int
	}{
		{"PUT", "/v1/channels/web", example(channelRequest{}), 201},
		{"PUT", "/v1/locations/wh-east", example(locationRequest{}), 201},
		{"PUT", "/v1/locations/store-soho", strings.Replace(example(locationRequest{}), `"kind": "warehouse"`, `"kind": "store"`, 1), 201},
		{"PUT", "/v1/items/TSHIRT-BLK-M", example(itemRequest{}), 201},
		{"PUT", "/v1/items/TSHIRT-BLK-L", example(itemRequest{}), 201},
		{"PUT", "/v1/items/MUG-WHT", example(itemRequest{}), 201},
		{"POST", "/v1/inventory/adjustments", example(adjustmentRequest{}), 201},
		{"POST", "/v1/orders", example(orderbody.OrderRequest{}), 201},
		{"POST", "/v1/sourcing/simulate", example(orderbody.OrderRequest{}), 200},
		{"POST", "/v1/supply", example(supplyRequest{}), 201},
		{"POST", "/v1/transfers", strings.Replace(example(transferRequest{}), "MUG-WHT", "TSHIRT-BLK-M", 1), 201},
		{"PUT", "/v1/channels/web/sku-mappings/BUNDLE-1", example(skuMappingRequest{}), 200},
		{"POST", "/v1/orders/1001/notes", example(service.NoteRequest{}), 201},
		{"POST", "/v1/orders/1001/holds", example(holdRequest{}), 200},
		{"POST", "/v1/orders/1001/release", example(releaseRequest{}), 200},
		{"POST", "/v1/cases", example(service.CaseRequest{}), 201},
		{"PUT", "/v1/settings/fulfillment", example(oms.FulfillmentSettings{}), 200},
		{"PUT", "/v1/settings/screening", example(oms.Screening{}), 200},
		{"PUT", "/v1/settings/returns", example(oms.ReturnSettings{}), 200},
		{"PUT", "/v1/settings/currency", example(oms.CurrencySettings{}), 200},
		{"PUT", "/v1/settings/reports", example(oms.ReportSettings{}), 200},
		{"PUT", "/v1/geo/postal-centroids", example(centroidsRequest{}), 200},
		{"PUT", "/v1/tax-rules/US-CA", example(taxRuleRequest{}), 201},
		{"POST", "/v1/fx-rates", example(ecbDocument{}), 200},
		{"POST", "/v1/api-keys", example(apiKeyRequest{}), 201},
	}
	for _, st := range steps {
		req := httptest.NewRequest(st.method, st.path, bytes.NewReader([]byte(st.body)))
		req.Header.Set("Authorization", "Bearer "+secret)
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		if rec.Code != st.want {
			t.Errorf("%s %s with its example: status %d, want %d: %s", st.method, st.path, rec.Code, st.want, rec.Body)
		}
	}
	if t.Failed() {
		return
	}
	var o oms.Order
	req := httptest.NewRequest(http.MethodGet, "/v1/orders/1001", nil)
	req.Header.Set("Authorization", "Bearer "+secret)
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	if err := json.Unmarshal(rec.Body.Bytes(), &o); err != nil || o.ExternalID != "WEB-48213" || len(o.Lines) != 2 {
		t.Errorf("the example order: %v %+v", err, o)
	}
}
