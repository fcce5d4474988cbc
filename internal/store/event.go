package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/oklog/ulid/v2"

	"github.com/omshq/oms"
)

const (
	insertEvent = `
INSERT INTO events (type, subject, order_id, actor, data, created_at)
VALUES ($1, $2, $3, $4, $5, $6)`
	selectOrderEvents = `
SELECT seq, type, subject, order_id, actor, data, created_at
FROM events WHERE order_id = $1 ORDER BY seq LIMIT $2`
)

// newID returns a new unique, time-ordered id with the prefix, such as
// "ord_01JD…".
func newID(prefix string) string {
	return prefix + "_" + ulid.Make().String()
}

// eventID is the public id of the event with sequence number seq; events
// are numbered in the order they happened.
func eventID(seq int64) string {
	return "evt_" + strconv.FormatInt(seq, 10)
}

// addEvent records an event in the transaction; data is stored as JSON.
func (tx *Tx) addEvent(ctx context.Context, typ, subject, orderID, actor string, data any) error {
	b, err := json.Marshal(data)
	if err != nil {
		return fmt.Errorf("event %s: %w", typ, err)
	}
	var oid any
	if orderID != "" {
		oid = orderID
	}
	_, err = tx.ExecContext(ctx, insertEvent, typ, subject, oid, actor, string(b), tx.now)
	if err != nil {
		return fmt.Errorf("event %s: %w", typ, err)
	}
	return nil
}

// maxTimeline bounds the events returned for one order.
const maxTimeline = 1000

// OrderEvents returns the events of the order (by id or number), oldest
// first, or ENOTFOUND.
func (db *DB) OrderEvents(ctx context.Context, ref string) ([]oms.Event, error) {
	var out []oms.Event
	err := db.view(ctx, func(tx *Tx) error {
		o, err := tx.orderHead(ctx, ref, false)
		if err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, selectOrderEvents, o.ID, maxTimeline)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var e oms.Event
			var oid *string
			var data string
			var seq int64
			if err := rows.Scan(&seq, &e.Type, &e.Subject, &oid, &e.Actor, &data, &e.CreatedAt); err != nil {
				return err
			}
			if oid != nil {
				e.OrderID = *oid
			}
			e.ID = eventID(seq)
			e.Data = json.RawMessage(data)
			e.CreatedAt = e.CreatedAt.UTC()
			out = append(out, e)
		}
		return rows.Err()
	})
	return out, err
}
