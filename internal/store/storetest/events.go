package storetest

import (
	"bytes"
	"context"
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/store"
)

// untypedEvents are the event types written before event payloads had Go
// types (oms.EventPayloads) whose data has none yet. A new event type needs
// a payload type: AssertEventPayloads fails on any other type.
var untypedEvents = map[string]bool{
	oms.EventAPIKeyCreated: true, oms.EventAPIKeyRevoked: true, oms.EventAPIKeyRotated: true,
	oms.EventSettingsSaved: true, oms.EventSKUMapped: true, oms.EventOrderChannelUpdated: true,
	oms.EventOrderStaleIgnored: true, oms.EventNoteAdded: true, oms.EventCaseMessage: true,
	oms.EventCaseUpdated: true, oms.EventFXRatesImported: true, oms.EventTaxRuleSaved: true,
}

// structPayloads are the payload types whose events were written from a Go
// struct before they had a type of their own. The others were written from
// Go maps, with their keys in order, and their types keep that order, so
// that the data is the same byte for byte.
var structPayloads = map[reflect.Type]bool{
	reflect.TypeFor[oms.InventoryAdjusted](): true, reflect.TypeFor[oms.Channel](): true,
	reflect.TypeFor[oms.Location](): true, reflect.TypeFor[oms.Item](): true, reflect.TypeFor[oms.Supply](): true,
	reflect.TypeFor[oms.Refund](): true, reflect.TypeFor[oms.WebhookEndpoint](): true, reflect.TypeFor[oms.User](): true,
}

// AssertEventPayloads fails the test if the database holds an event of a
// type with no payload type, or one whose data does not decode strictly
// into its payload type, lacks a field the type always has, or (for a
// payload written from a map before it had a type) has its keys out of
// order.
func AssertEventPayloads(t testing.TB, db *store.DB) {
	t.Helper()
	after := ""
	for {
		es, err := db.Events(context.Background(), oms.Principal{}, after, "", 500)
		if err != nil {
			t.Fatalf("events: %v", err)
		}
		for _, e := range es {
			checkPayload(t, e)
		}
		if len(es) < 500 {
			return
		}
		after = es[len(es)-1].ID
	}
}

func checkPayload(t testing.TB, e oms.Event) {
	t.Helper()
	typ, ok := oms.PayloadType(e.Type)
	if !ok {
		if !untypedEvents[e.Type] {
			t.Errorf("event %s of type %s: the type has no payload type in oms.EventPayloads", e.ID, e.Type)
		}
		return
	}
	v := reflect.New(typ)
	dec := json.NewDecoder(bytes.NewReader(e.Data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v.Interface()); err != nil {
		t.Errorf("event %s (%s): data does not decode into %v: %v\n%s", e.ID, e.Type, typ, err, e.Data)
		return
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal(e.Data, &top); err != nil {
		t.Errorf("event %s (%s): %v", e.ID, e.Type, err)
		return
	}
	for _, f := range reflect.VisibleFields(typ) {
		name, opts, _ := strings.Cut(f.Tag.Get("json"), ",")
		if _, ok := top[name]; !ok && f.IsExported() && !f.Anonymous && name != "-" && !strings.Contains(opts, "omitempty") {
			t.Errorf("event %s (%s): data has no %s, which %v always has\n%s", e.ID, e.Type, name, typ, e.Data)
		}
	}
	if structPayloads[typ] {
		return
	}
	// Written from a map before: its keys are in order.
	if sorted, _ := json.Marshal(top); !bytes.Equal(sorted, e.Data) {
		t.Errorf("event %s (%s): keys out of the order the store wrote them in before:\n%s", e.ID, e.Type, e.Data)
	}
}
