package oms

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"
)

func TestEventPayloadsRegistry(t *testing.T) {
	seen := map[string]bool{}
	for _, p := range EventPayloads() {
		if seen[p.Type] {
			t.Errorf("%s registered twice", p.Type)
		}
		seen[p.Type] = true
		if got, ok := PayloadType(p.Type); !ok || got != reflect.TypeOf(p.Data) {
			t.Errorf("PayloadType(%s) = %v, %v", p.Type, got, ok)
		}
	}
	if _, ok := PayloadType("no.such_event"); ok {
		t.Error("an unknown type has a payload type")
	}
	// Every status a fulfillment moves to has its own event and type.
	for _, s := range []FulfillmentStatus{FulfillmentPicking, FulfillmentPacked, FulfillmentShipped, FulfillmentDelivered,
		FulfillmentReadyForPickup, FulfillmentPickedUp, FulfillmentCancelled} {
		typ, data := FulfillmentMoved{Status: s}.Event()
		if want, ok := PayloadType(typ); !ok || reflect.TypeOf(data) != want {
			t.Errorf("%s: the event's data is %T, its payload type %v", typ, data, want)
		}
	}
	for _, s := range []ReturnStatus{ReturnApproved, ReturnRejected, ReturnReceived, ReturnClosed} {
		typ, data := ReturnMoved{Status: s}.Event()
		if want, ok := PayloadType(typ); !ok || reflect.TypeOf(data) != want {
			t.Errorf("%s: the event's data is %T, its payload type %v", typ, data, want)
		}
	}
}

// The payloads encode as the maps the store wrote before they had types.
func TestEventPayloadsEncodeAsBefore(t *testing.T) {
	since := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	releases := []Release{{LineID: "lin_1", SKU: "A", Location: "east", Quantity: 2}}
	lines := []Line{{ID: "lin_1", SKU: "A", Quantity: 2}}
	total := int64(1999)
	tests := []struct {
		name string
		got  any
		was  map[string]any
	}{
		{"order.created", OrderCreated{Channel: "web", Currency: "USD", ExternalID: "w1", Lines: 1, Number: "1001",
			Status: StatusAllocated, Total: &total},
			map[string]any{"number": "1001", "channel": "web", "external_id": "w1", "status": StatusAllocated,
				"currency": "USD", "total": int64(1999), "lines": 1, "sourcing": Sourcing{}}},
		{"order.created, amounts unknown, ingested", OrderCreated{AmountsUnknown: true, Mismatches: new([]string),
			Notes: &[]string{"n"}, Number: "1002"},
			map[string]any{"number": "1002", "channel": "", "external_id": "", "status": Status(""), "currency": "",
				"total": nil, "amounts_unknown": true, "lines": 0, "sourcing": Sourcing{}, "mismatches": []string(nil),
				"notes": []string{"n"}}},
		{"order.cancelled, pickup expired", OrderCancelled{Fulfillment: "ful_1", Lines: lines, Number: "1001",
			ReadySince: &since, Reason: "pickup expired", Released: ReleasedStockOf(releases), Status: StatusCancelled},
			map[string]any{"number": "1001", "status": StatusCancelled, "released": releases, "lines": lines,
				"reason": "pickup expired", "fulfillment": "ful_1", "ready_since": since}},
		{"order.lines_cancelled", OrderLinesCancelled{Lines: lines, Number: "1001", Status: StatusAllocated},
			map[string]any{"number": "1001", "status": StatusAllocated, "released": []Release(nil), "lines": lines}},
		{"fulfillment.shipped", FulfillmentShippedEvent{Fulfillment: "ful_1", Order: "1001", Location: "east",
			Status: FulfillmentShipped, TrackingNumber: "1Z", OrderStatus: StatusShipped},
			map[string]any{"fulfillment": "ful_1", "order": "1001", "location": "east", "status": FulfillmentShipped,
				"lines": []FulfillmentLine(nil), "tracking_number": "1Z", "carrier": "", "order_status": StatusShipped}},
		{"order.released", OrderReleased{HoldsLeft: 1, Number: "1001", Type: HoldType("fraud")},
			map[string]any{"number": "1001", "type": HoldType("fraud"), "holds_left": 1}},
	}
	for _, tt := range tests {
		got, err := json.Marshal(tt.got)
		if err != nil {
			t.Fatal(err)
		}
		was, err := json.Marshal(tt.was)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != string(was) {
			t.Errorf("%s:\n got %s\nwant %s", tt.name, got, was)
		}
	}
}
