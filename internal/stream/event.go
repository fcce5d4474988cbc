package stream

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// ErrUnpublishable marks an event that can never be published as it is: a
// type that is not a valid subject token, data that is not a JSON object, an
// id or order id a header cannot carry, or a message larger than the server
// accepts. Publishing it again fails again, so the caller sets it aside (logs
// it, dead-letters it) and moves on rather than retrying.
var ErrUnpublishable = errors.New("stream: event cannot be published")

// Header names every message carries besides Nats-Msg-Id (the event id, by
// which JetStream drops a repeat within the stream's duplicate window).
const (
	HeaderEventID   = "OMS-Event-Id"
	HeaderEventType = "OMS-Event-Type"
	HeaderOrderID   = "OMS-Order-Id" // only on events about an order
)

// Event is one event to publish, as the outbox holds it.
type Event struct {
	// ID is the message id (Nats-Msg-Id): the same on every publish of the
	// event, so a repeat is dropped by JetStream and can be by consumers.
	ID string
	// Type is the event type, such as "order.created"; the subject is the
	// publisher's prefix, a full stop, and the type: "oms.order.created".
	Type string
	// Time is when the event happened; the payload carries it as "timestamp".
	Time time.Time
	// Data is the event's data: a JSON object, or nil for {}.
	Data json.RawMessage
	// OrderID is the order the event is about, or empty. Events with the
	// same OrderID are stored in the order they are given to Publish; all
	// events without one are kept in order among themselves too.
	OrderID string
}

// envelope is the payload: the webhook body ({"type","timestamp","data"})
// with the event id beside it, since a stream message has no webhook-id.
type envelope struct {
	ID        string          `json:"id"`
	Type      string          `json:"type"`
	Timestamp string          `json:"timestamp"`
	Data      json.RawMessage `json:"data"`
}

// Payload returns the message body: {"id","type","timestamp","data"},
// minified, with the timestamp in RFC 3339, UTC, to the nanosecond when
// there is one. It fails with ErrUnpublishable when the event is not valid.
func (e Event) Payload() ([]byte, error) {
	if err := e.validate(); err != nil {
		return nil, err
	}
	data := e.Data
	if data == nil {
		data = json.RawMessage(`{}`)
	}
	if t := bytes.TrimLeft(data, " \t\r\n"); len(t) == 0 || t[0] != '{' {
		return nil, fmt.Errorf("%w: event %s: data is not a JSON object", ErrUnpublishable, e.ID)
	}
	b, err := json.Marshal(envelope{ID: e.ID, Type: e.Type, Timestamp: e.Time.UTC().Format(time.RFC3339Nano), Data: data})
	if err != nil {
		return nil, fmt.Errorf("%w: event %s: data is not valid JSON: %w", ErrUnpublishable, e.ID, err)
	}
	return b, nil
}

// validate checks what the subject and the headers need.
func (e Event) validate() error {
	switch {
	case !headerSafe(e.ID) || e.ID == "":
		return fmt.Errorf("%w: event id %q is empty or holds a space or control character", ErrUnpublishable, e.ID)
	case !headerSafe(e.OrderID):
		return fmt.Errorf("%w: event %s: order id %q holds a space or control character", ErrUnpublishable, e.ID, e.OrderID)
	case validSubject(e.Type) != nil:
		return fmt.Errorf("%w: event %s: type %q: %v", ErrUnpublishable, e.ID, e.Type, validSubject(e.Type))
	case e.Time.IsZero():
		return fmt.Errorf("%w: event %s has no time", ErrUnpublishable, e.ID)
	}
	return nil
}

// message builds the NATS message of the event under prefix.
func message(prefix string, e Event) (*nats.Msg, error) {
	body, err := e.Payload()
	if err != nil {
		return nil, err
	}
	m := nats.NewMsg(prefix + "." + e.Type)
	m.Data = body
	m.Header.Set(jetstream.MsgIDHeader, e.ID)
	m.Header.Set(HeaderEventID, e.ID)
	m.Header.Set(HeaderEventType, e.Type)
	if e.OrderID != "" {
		m.Header.Set(HeaderOrderID, e.OrderID)
	}
	m.Header.Set("Content-Type", "application/json")
	return m, nil
}

// headerSafe reports whether s can be a header value as it is: printable
// ASCII without spaces, which also keeps ids readable in logs.
func headerSafe(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] <= ' ' || s[i] >= 0x7f {
			return false
		}
	}
	return true
}

// validSubject checks a subject, or part of one, without wildcards: tokens
// separated by single full stops.
func validSubject(s string) error {
	for tok := range strings.SplitSeq(s, ".") {
		if err := validToken(tok); err != nil {
			return err
		}
	}
	return nil
}

// validToken checks one subject token, or a stream name: letters, digits,
// '_' and '-'.
func validToken(tok string) error {
	if tok == "" {
		return errors.New("empty token")
	}
	for _, c := range tok {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			return fmt.Errorf("character %q is not a letter, digit, '_' or '-'", c)
		}
	}
	return nil
}
