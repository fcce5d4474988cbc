package webhook

import (
	"encoding/json"
	"testing"
	"time"
)

func TestEventBody(t *testing.T) {
	at := time.Date(2022, 11, 3, 20, 26, 10, 344522000, time.FixedZone("CET", 3600))
	tests := []struct {
		name string
		ev   Event
		want string
	}{
		{"the specification's shape, minified, UTC",
			Event{ID: "evt_1", Type: "order.created", Time: at, Data: json.RawMessage(` { "id": "ord_1",  "total": 2500 } `)},
			`{"type":"order.created","timestamp":"2022-11-03T19:26:10.344522Z","data":{"id":"ord_1","total":2500}}`},
		{"whole seconds",
			Event{ID: "evt_2", Type: "case.opened", Time: time.Unix(1674087231, 0), Data: json.RawMessage(`{}`)},
			`{"type":"case.opened","timestamp":"2023-01-19T00:13:51Z","data":{}}`},
		{"no data is an empty object",
			Event{ID: "evt_3", Type: "order.held", Time: time.Unix(0, 0)},
			`{"type":"order.held","timestamp":"1970-01-01T00:00:00Z","data":{}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.ev.Body()
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tt.want {
				t.Fatalf("Body =\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}

func TestEventBodyRefuses(t *testing.T) {
	tests := []struct {
		name string
		ev   Event
	}{
		{"no type", Event{ID: "evt_1", Data: json.RawMessage(`{}`)}},
		{"data an array", Event{ID: "evt_1", Type: "a.b", Data: json.RawMessage(`[1]`)}},
		{"data a string", Event{ID: "evt_1", Type: "a.b", Data: json.RawMessage(`"x"`)}},
		{"data empty", Event{ID: "evt_1", Type: "a.b", Data: json.RawMessage(``)}},
		{"data not JSON", Event{ID: "evt_1", Type: "a.b", Data: json.RawMessage(`{"a":}`)}},
		{"data with trailing bytes", Event{ID: "evt_1", Type: "a.b", Data: json.RawMessage(`{} {}`)}},
	}
	for _, tt := range tests {
		if b, err := tt.ev.Body(); err == nil {
			t.Errorf("%s: Body = %s, want an error", tt.name, b)
		}
	}
}
