package httpapi

import (
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/omshq/oms"
)

// Every event type with a payload type has its schema among the
// components, a line in the Event schema's data, and a webhook (x-webhooks)
// that posts {type, timestamp, data} with data of that schema.
func TestOpenAPIEventPayloads(t *testing.T) {
	_, doc := loadOpenAPI(t)
	var webhooks map[string]*openapi3.PathItem
	raw, err := json.Marshal(doc.Extensions["x-webhooks"])
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, &webhooks); err != nil {
		t.Fatalf("x-webhooks: %v", err)
	}
	data := doc.Components.Schemas["Event"].Value.Properties["data"].Value
	byType, _ := data.Extensions["x-payload-schemas"].(map[string]any)
	ps := oms.EventPayloads()
	if len(ps) == 0 {
		t.Fatal("no event has a payload type")
	}
	for _, p := range ps {
		name := reflect.TypeOf(p.Data).Name()
		ref := "#/components/schemas/" + name
		if s := doc.Components.Schemas[name]; s == nil || len(s.Value.Properties) == 0 {
			t.Errorf("%s: no component schema %s with properties", p.Type, name)
		}
		if byType[p.Type] != ref || !strings.Contains(data.Description, "`"+p.Type+"`: "+ref) {
			t.Errorf("%s: the Event schema's data does not name %s (%v)", p.Type, ref, byType[p.Type])
		}
		hook := webhooks[p.Type]
		if hook == nil || hook.Post == nil {
			t.Errorf("%s: no webhook", p.Type)
			continue
		}
		body := hook.Post.RequestBody.Value.Content.Get("application/json").Schema.Value
		if got := body.Properties["data"].Ref; got != ref {
			t.Errorf("%s: the webhook's data is %q, want %q", p.Type, got, ref)
		}
		if e := body.Properties["type"].Value.Enum; len(e) != 1 || e[0] != p.Type {
			t.Errorf("%s: the webhook's type is %v", p.Type, e)
		}
		if !slices.Equal(body.Required, []string{"type", "timestamp", "data"}) {
			t.Errorf("%s: the webhook body requires %v", p.Type, body.Required)
		}
	}
	if len(webhooks) < len(ps) {
		t.Errorf("%d webhooks for %d event types with payloads", len(webhooks), len(ps))
	}
}
