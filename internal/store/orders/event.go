package orders

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/store/sqldb"
)

const (
	selectOrderStatus = `SELECT status FROM orders WHERE seq = $1`
	SelectOrderEvents = `
SELECT seq, type, subject, order_id, actor, data, created_at, request_id
FROM events WHERE order_id = $1 ORDER BY seq LIMIT $2`
	// selectOrderEventsIn is SelectOrderEvents with a condition on the
	// events row e added.
	selectOrderEventsIn = `
SELECT seq, type, subject, order_id, actor, data, created_at, request_id
FROM events e WHERE order_id = $1%s ORDER BY seq LIMIT $2`
)

// newID returns a new unique, time-ordered id with the prefix, such as
// "ord_01JD…" (sqldb.NewID).
func newID(prefix string) string { return sqldb.NewID(prefix) }

// eventID is the public id of the event with sequence number seq
// (sqldb.EventID).
func eventID(seq int64) string { return sqldb.EventID(seq) }

// eventJSON returns the event's data as JSON (sqldb.EventJSON).
func eventJSON(typ string, data any) (string, error) { return sqldb.EventJSON(typ, data) }

// AddEvent records an event in the transaction (sqldb.Tx.AddEvent) and
// remembers its actor.
func (tx *Tx) AddEvent(ctx context.Context, typ, subject, orderID, actor string, data any) error {
	if err := tx.Tx.AddEvent(ctx, typ, subject, orderID, actor, data); err != nil {
		return err
	}
	tx.LastActor = actor
	return nil
}

// NoteStatusBefore remembers the order's stored status, the first time
// the transaction saves the order, for OrderMoved.
func (tx *Tx) NoteStatusBefore(ctx context.Context, o *oms.Order, seq int64) error {
	if _, ok := tx.statusBefore[o.ID]; ok {
		return nil
	}
	var st oms.Status
	if err := tx.QueryRowContext(ctx, selectOrderStatus, seq).Scan(&st); err != nil {
		return err
	}
	if tx.statusBefore == nil {
		tx.statusBefore = make(map[string]oms.Status)
	}
	tx.statusBefore[o.ID] = st
	return nil
}

// OrderMoved adds the order-level event (order.allocated, order.shipped …)
// of the order's status moving since the transaction first saved it, if
// the move has one; pickup says the change handed units over at a store
// counter. It comes after the event of the change that moved the status.
func (tx *Tx) OrderMoved(ctx context.Context, o *oms.Order, actor string, pickup bool) error {
	prev, ok := tx.statusBefore[o.ID]
	if !ok {
		return nil
	}
	delete(tx.statusBefore, o.ID)
	m := oms.OrderMoved{Number: o.Number, Previous: prev, Status: o.Status, Lines: o.Lines}
	for _, l := range o.Lines {
		m.Backordered += l.Open
	}
	typ, data, ok := m.Event(pickup)
	if !ok {
		return nil
	}
	if actor == "" {
		actor = "oms"
	}
	return tx.AddEvent(ctx, typ, o.ID, o.ID, actor, data)
}

// MaxTimeline bounds the events returned for one order.
const MaxTimeline = 1000

// OrderEvents returns the events of the order (by id or number), oldest
// first, or ENOTFOUND.
func (db *DB) OrderEvents(ctx context.Context, ref string) ([]oms.Event, error) {
	return db.OrderEventsFor(ctx, oms.Principal{}, ref)
}

// OrderEventsFor returns the events of the order (by id or number) of the
// kinds p may read (see Events), oldest first, or ENOTFOUND.
func (db *DB) OrderEventsFor(ctx context.Context, p oms.Principal, ref string) ([]oms.Event, error) {
	var out []oms.Event
	err := db.view(ctx, func(tx *Tx) error {
		o, err := tx.OrderHead(ctx, ref, false)
		if err != nil {
			return err
		}
		out, err = tx.scopedEvents(ctx, p, selectOrderEventsIn, o.ID, MaxTimeline)
		return err
	})
	return out, err
}

// ScanEvents reads events from rows of SelectOrderEvents' columns.
func ScanEvents(rows *sql.Rows) ([]oms.Event, error) {
	var out []oms.Event
	for rows.Next() {
		var e oms.Event
		var oid, rid *string
		var data string
		var seq int64
		if err := rows.Scan(&seq, &e.Type, &e.Subject, &oid, &e.Actor, &data, &e.CreatedAt, &rid); err != nil {
			return nil, err
		}
		if oid != nil {
			e.OrderID = *oid
		}
		if rid != nil {
			e.RequestID = *rid
		}
		e.ID = eventID(seq)
		e.Data = json.RawMessage(data)
		e.CreatedAt = e.CreatedAt.UTC()
		out = append(out, e)
	}
	return out, rows.Err()
}

const selectEvents = `
SELECT seq, type, subject, order_id, actor, data, created_at, request_id
FROM events e WHERE seq > $1 AND ($2 = '' OR type = $2)%s ORDER BY seq LIMIT $3`

// Events returns up to limit of the events p may read (see oms.EventReaders
// and eventScope) after the cursor (an event id, or "" for the first),
// oldest first, only those of the type when one is given. It returns
// EINVALID for a cursor that is not an event id.
func (db *DB) Events(ctx context.Context, p oms.Principal, after, typ string, limit int) ([]oms.Event, error) {
	var seq int64
	if after != "" {
		n, err := strconv.ParseInt(strings.TrimPrefix(after, "evt_"), 10, 64)
		if err != nil || n < 0 || !strings.HasPrefix(after, "evt_") {
			return nil, oms.Invalid("after", "must be an event id such as evt_42")
		}
		seq = n
	}
	var out []oms.Event
	err := db.view(ctx, func(tx *Tx) error {
		var err error
		out, err = tx.scopedEvents(ctx, p, selectEvents, seq, typ, limit)
		return err
	})
	return out, err
}

// scopedEvents runs q, a select of events (alias e) with a %s where more
// conditions go, limited to the kinds p may read, and scans the events.
func (tx *Tx) scopedEvents(ctx context.Context, p oms.Principal, q string, args ...any) ([]oms.Event, error) {
	arg, all := numbered(args)
	scope := ""
	if c := tx.DB.Engine.eventScope(p, "e", arg); c != "" {
		scope = " AND " + c
	}
	rows, err := tx.QueryContext(ctx, fmt.Sprintf(q, scope), all()...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	return ScanEvents(rows)
}
