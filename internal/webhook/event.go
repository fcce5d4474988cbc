package webhook

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"
)

// Event is one event to deliver, as the outbox holds it.
type Event struct {
	// ID is sent as webhook-id and stays the same on every attempt and
	// replay, so a receiver can drop a message it has processed. It may not
	// hold a full stop (the specification's rule) or a space.
	ID string
	// Type is the event type, such as "order.created".
	Type string
	// Time is when the event happened; the body carries it as "timestamp".
	Time time.Time
	// Data is the event's data: a JSON object, or nil for {}.
	Data json.RawMessage
	// Key orders deliveries: events with the same key (an order's id) reach
	// an endpoint in the order they happened. Empty means no order is kept.
	Key string
}

// payload is the body the specification recommends.
type payload struct {
	Type      string          `json:"type"`
	Timestamp string          `json:"timestamp"`
	Data      json.RawMessage `json:"data"`
}

// Body returns the JSON body of the event, minified:
// {"type":…,"timestamp":…,"data":{…}} with the timestamp in RFC 3339, UTC,
// to the nanosecond when there is one. The bytes returned are the bytes
// signed and sent. It fails when Type is empty or Data is not a JSON object.
func (e Event) Body() ([]byte, error) {
	if e.Type == "" {
		return nil, fmt.Errorf("webhook: event %s has no type", e.ID)
	}
	data := e.Data
	if data == nil {
		data = json.RawMessage(`{}`)
	}
	if t := bytes.TrimLeft(data, " \t\r\n"); len(t) == 0 || t[0] != '{' {
		return nil, fmt.Errorf("webhook: event %s: data is not a JSON object", e.ID)
	}
	b, err := json.Marshal(payload{Type: e.Type, Timestamp: e.Time.UTC().Format(time.RFC3339Nano), Data: data})
	if err != nil {
		return nil, fmt.Errorf("webhook: event %s: data is not valid JSON: %w", e.ID, err)
	}
	return b, nil
}
