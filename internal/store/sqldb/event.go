package sqldb

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"

	"github.com/oklog/ulid/v2"

	"github.com/omshq/oms"
)

// The events table is the audit log, every order's timeline and the
// outbox that outbound webhooks read: every write adds its events in its
// own transaction, through AddEvent.

const insertEvent = `
INSERT INTO events (type, subject, order_id, actor, data, created_at, request_id)
VALUES ($1, $2, $3, $4, $5, $6, $7)`

// NewID returns a new unique, time-ordered id with the prefix, such as
// "ord_01JD…".
func NewID(prefix string) string {
	return prefix + "_" + ulid.Make().String()
}

type requestIDKey struct{}

// WithRequestID returns ctx carrying the id of the request being served
// (X-Request-Id): the events a unit of work under it adds record it.
func WithRequestID(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, requestIDKey{}, id)
}

// RequestID is the request id ctx carries, or "".
func RequestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey{}).(string)
	return id
}

// RequestIDArg is the request id ctx carries as a query argument: NULL
// when there is none.
func RequestIDArg(ctx context.Context) any {
	if id := RequestID(ctx); id != "" {
		return id
	}
	return nil
}

// EventJSON returns the event's data as JSON, or an error when the event
// type has a payload type (oms.PayloadType) and data is not of it (or a
// pointer to it).
func EventJSON(typ string, data any) (string, error) {
	if t, ok := oms.PayloadType(typ); ok {
		dt := reflect.TypeOf(data)
		if dt != nil && dt.Kind() == reflect.Pointer {
			dt = dt.Elem()
		}
		if dt != t {
			return "", fmt.Errorf("event %s: data of type %T, not its payload type %v", typ, data, t)
		}
	}
	b, err := json.Marshal(data)
	if err != nil {
		return "", fmt.Errorf("event %s: %w", typ, err)
	}
	return string(b), nil
}

// EventID is the public id of the event with sequence number seq; events
// are numbered in the order they happened.
func EventID(seq int64) string { return "evt_" + strconv.FormatInt(seq, 10) }

// AddEvent records an event in the transaction, with the request id ctx
// carries; data is stored as JSON, and must be of the event type's payload
// type where it has one. orderID is "" for an event of no order.
func (tx *Tx) AddEvent(ctx context.Context, typ, subject, orderID, actor string, data any) error {
	b, err := EventJSON(typ, data)
	if err != nil {
		return err
	}
	var oid any
	if orderID != "" {
		oid = orderID
	}
	_, err = tx.ExecContext(ctx, insertEvent, typ, subject, oid, actor, b, tx.Now(), RequestIDArg(ctx))
	if err != nil {
		return fmt.Errorf("event %s: %w", typ, err)
	}
	return nil
}

// EventColumns are the columns of the events table, for a bulk insert of
// events (Tx.InsertRows): each row is type, subject, order id (nil for an
// event of no order), actor, data (EventJSON), created at and request id
// (RequestIDArg), as AddEvent writes them one at a time.
var EventColumns = []Column{{Name: "type", Type: "text"}, {Name: "subject", Type: "text"},
	{Name: "order_id", Type: "text"}, {Name: "actor", Type: "text"}, {Name: "data", Type: "text"},
	{Name: "created_at", Type: "timestamptz"}, {Name: "request_id", Type: "text"}}
