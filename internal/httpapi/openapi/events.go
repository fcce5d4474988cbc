package openapi

import (
	"fmt"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/omshq/oms"
)

// eventPayloads registers the payload type of every event type that has
// one (oms.EventPayloads) as a component schema, documents the Event
// schema's data by type, and describes the outbound webhooks: one per
// event type, each a POST of {type, timestamp, data}.
//
// The webhooks are OpenAPI 3.1's webhooks section, under the x-webhooks
// extension that 3.0 tools read (Redoc's): the document is 3.0, whose
// nullable fields 3.1 spells as type lists, and kin-openapi refuses a
// webhooks section in a 3.0 document. The entries are those of 3.1's
// webhooks, ready to move there with the document.
func eventPayloads(doc *openapi3.T, schemas *schemaSet) error {
	ps := oms.EventPayloads()
	refs := make(map[string]*openapi3.SchemaRef, len(ps))
	var list strings.Builder
	for _, p := range ps {
		ref, err := schemas.ref(p.Data)
		if err != nil {
			return fmt.Errorf("openapi: payload of %s: %w", p.Type, err)
		}
		refs[p.Type] = ref
		fmt.Fprintf(&list, "\n- `%s`: %s", p.Type, ref.Ref)
	}
	byType := make(map[string]any, len(ps))
	for typ, ref := range refs {
		byType[typ] = ref.Ref
	}
	if ev := schemas.all["Event"]; ev != nil && ev.Value.Properties["data"] != nil {
		data := ev.Value.Properties["data"].Value
		data.Description = "The event's data; its schema depends on the event's type:" + list.String() +
			"\n\nOther types carry an object described with the type."
		data.Extensions = map[string]any{"x-payload-schemas": byType}
	}
	// Every event type oms writes is a webhook message: its data typed
	// where the type has a payload type, a free object where not yet.
	if _, err := schemas.ref(webhookMessage{}); err != nil {
		return err
	}
	obj := openapi3.NewObjectSchema()
	obj.Description = "The event's data, as GET /v1/events shows it."
	freeData := openapi3.NewSchemaRef("", obj)
	hooks := make(map[string]*openapi3.PathItem, len(webhookEventTypes))
	for _, e := range webhookEventTypes {
		data := freeData
		if ref, ok := refs[e.typ]; ok {
			data = openapi3.NewSchemaRef(ref.Ref, nil)
		}
		hooks[e.typ] = &openapi3.PathItem{Post: webhookOperation(e.typ, e.doc, data)}
	}
	for _, p := range ps {
		if hooks[p.Type] == nil {
			hooks[p.Type] = &openapi3.PathItem{Post: webhookOperation(p.Type, "An event of type "+p.Type+".", openapi3.NewSchemaRef(refs[p.Type].Ref, nil))}
		}
	}
	if doc.Extensions == nil {
		doc.Extensions = map[string]any{}
	}
	doc.Extensions["x-webhooks"] = hooks
	return nil
}

// webhookOperation describes the delivery of an event of the type to a
// subscriber's endpoint.
func webhookOperation(typ, summary string, data *openapi3.SchemaRef) *openapi3.Operation {
	kind := openapi3.NewStringSchema()
	kind.Enum = []any{typ}
	body := openapi3.NewObjectSchema().
		WithPropertyRef("type", openapi3.NewSchemaRef("", kind)).
		WithPropertyRef("timestamp", openapi3.NewSchemaRef("", openapi3.NewDateTimeSchema())).
		WithPropertyRef("data", data)
	body.Required = []string{"type", "timestamp", "data"}
	ok := openapi3.NewResponse().WithDescription("Delivered: any 2xx answer acknowledges the event.")
	rs := openapi3.NewResponses()
	rs.Set("2XX", &openapi3.ResponseRef{Value: ok})
	return &openapi3.Operation{
		OperationID: "webhook_" + nonWord.ReplaceAllString(typ, "_"),
		Summary:     summary,
		Description: webhookMessageDoc,
		Tags:        []string{"webhooks"},
		RequestBody: &openapi3.RequestBodyRef{Value: openapi3.NewRequestBody().WithRequired(true).
			WithJSONSchemaRef(openapi3.NewSchemaRef("", body))},
		Responses: rs,
	}
}
