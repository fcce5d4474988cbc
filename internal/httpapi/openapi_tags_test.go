package httpapi

import (
	"os"
	"strings"
	"testing"

	"github.com/omshq/oms/internal/httpapi/openapi"
)

func TestOpenAPITags(t *testing.T) {
	_, doc := loadOpenAPI(t)
	described := map[string]bool{}
	for _, tag := range doc.Tags {
		if tag.Description == "" || described[tag.Name] {
			t.Errorf("tag %s: no description, or listed twice", tag.Name)
		}
		described[tag.Name] = true
	}
	used := map[string]bool{}
	ops := map[string]string{} // "METHOD path" → tag
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			if len(op.Tags) != 1 || !described[op.Tags[0]] {
				t.Errorf("%s %s: tags %v, want one of the document's", method, path, op.Tags)
				continue
			}
			used[op.Tags[0]] = true
			ops[method+" "+path] = op.Tags[0]
		}
	}
	for _, tag := range doc.Tags {
		if !used[tag.Name] {
			t.Errorf("tag %s has no operation", tag.Name)
		}
	}
	for op, want := range map[string]string{
		"GET /healthz":                         "system",
		"POST /v1/orders":                      "orders",
		"POST /v1/orders/{id}/holds":           "orders",
		"POST /v1/sourcing/simulate":           "orders",
		"GET /v1/orders/{id}/fulfillments":     "fulfillment",
		"GET /v1/locations/{code}/picklist":    "fulfillment",
		"POST /v1/fulfillments/{id}/ship":      "fulfillment",
		"GET /v1/inventory":                    "inventory",
		"POST /v1/transfers":                   "inventory",
		"GET /v1/items":                        "catalog",
		"PUT /v1/locations/{code}":             "catalog",
		"POST /v1/webhooks/{code}":             "channels",
		"GET /v1/search":                       "customers",
		"POST /v1/orders/{id}/notes":           "customers",
		"GET /v1/orders/{id}/timeline":         "customers",
		"POST /v1/orders/{id}/returns":         "returns",
		"POST /v1/orders/{id}/refunds":         "returns",
		"GET /v1/return-portal/{token}":        "returns",
		"PUT /v1/settings/returns":             "returns",
		"GET /v1/reports/inventory":            "reports",
		"GET /v1/settings/currency":            "international",
		"PUT /v1/tax-rules/{key}":              "international",
		"GET /v1/events":                       "events",
		"GET /v1/admin/check":                  "admin",
		"POST /v1/api-keys":                    "admin",
		"GET /v1/channels/{code}/availability": "channels",
	} {
		if ops[op] != want {
			t.Errorf("%s: tag %q, want %q", op, ops[op], want)
		}
	}
	for path, want := range map[string]string{"/v1/nothing/{id}": "nothing", "/v1/ordersx": "ordersx"} {
		if tag := openapi.Tag(path); tag != want || described[tag] {
			t.Errorf("%s, which no rule covers, is under %q, want %q, a tag the document does not list", path, tag, want)
		}
	}
}

// Operation ids are what generated clients name their methods by: once
// published, one must not change. testdata/operation_ids.txt lists those
// published; new ones may be added to it.
func TestOpenAPIOperationIDsStable(t *testing.T) {
	_, doc := loadOpenAPI(t)
	ids := map[string]bool{}
	for _, item := range doc.Paths.Map() {
		for _, op := range item.Operations() {
			ids[op.OperationID] = true
		}
	}
	published, err := os.ReadFile("testdata/operation_ids.txt")
	if err != nil {
		t.Fatal(err)
	}
	for id := range strings.FieldsSeq(string(published)) {
		if !ids[id] {
			t.Errorf("operationId %s is gone", id)
		}
	}
}
