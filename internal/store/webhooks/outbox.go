package webhooks

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/webhook"
)

// The outbox: every event is written to the events table in the same
// transaction as the change it records, and readers (the webhook fan-out,
// the event stream) follow the table, each with a cursor in outbox_cursors:
// the seq up to which it handled every event.
//
// A reader may only move its cursor past seqs that are final. On SQLite
// they are at once: one writer commits transactions one after another, in
// the order of their seqs. On PostgreSQL they are not: a transaction takes
// its seq when it inserts the event and may commit after one that took a
// later seq, so "every event above the cursor" read now can miss an event
// that appears later below what was read. outboxHorizon finds a seq below
// which nothing can appear any more: it reads the highest seq committed,
// then takes a new xid, and waits until every transaction with an xid
// below that one has ended (the xmin of a later snapshot reaches it).
// Every event at or below the highest seq read was written by a transaction
// that had an xid when the seq was read (an event is written after the
// change it records, so its transaction has already written and holds an
// xid), and so is committed, or rolled back, once the wait is over. A
// snapshot's xmax would not do: it is one past the highest xid completed
// (PostgreSQL 13 and later), so a transaction that took its xid after the
// last one to complete, and is still writing, is at or above it; the wait
// then let the cursor pass that transaction's events, which were never
// fanned out (seen: 22 events of one order batch, with a later batch of a
// lower xid committed first). The
// wait covers only the writing transactions in flight when it began,
// usually milliseconds; read-only transactions hold no xid and never delay
// it. When it lasts longer than horizonWait the reader tries again later.

// Names of the outbox cursors.
const (
	CursorWebhooks = "webhooks"
	CursorNATS     = "nats"
)

const (
	selectMaxSeq   = `SELECT COALESCE(MAX(seq), 0) FROM events`
	selectNewXid   = `SELECT pg_current_xact_id()::text::bigint` // above every xid assigned before it
	selectXmin     = `SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint`
	selectCursor   = `SELECT seq FROM outbox_cursors WHERE name = $1`
	moveCursor     = `UPDATE outbox_cursors SET seq = $3 WHERE name = $1 AND seq = $2`
	selectOutboxIn = `
SELECT seq, type, subject, order_id, actor, data, created_at
FROM events WHERE seq > $1 AND seq <= $2 ORDER BY seq LIMIT $3`
	claimCursor = `
UPDATE outbox_cursors SET lease_owner = $2, lease_until = $3
WHERE name = $1 AND (lease_until IS NULL OR lease_until < $4 OR lease_owner = $2)
RETURNING seq`
	advanceCursor = `
UPDATE outbox_cursors SET seq = $4 WHERE name = $1 AND lease_owner = $2 AND seq = $3`
)

// horizonWait bounds how long outboxHorizon waits for the transactions in
// flight to end.
const horizonWait = 2 * time.Second

// fanOutBatch is how many events one FanOutWebhooks step reads.
const fanOutBatch = 1000

// errCursorMoved: another server moved the cursor first; this step's work
// is theirs.
var errCursorMoved = errors.New("outbox cursor moved")

// outboxHorizon returns the highest seq below which every event is final
// (see above), and false when the transactions in flight did not end within
// horizonWait.
func (db *Hooks) outboxHorizon(ctx context.Context) (int64, bool, error) {
	var h int64
	if err := db.read.QueryRowContext(ctx, selectMaxSeq).Scan(&h); err != nil {
		return 0, false, fmt.Errorf("outbox horizon: %w", err)
	}
	if db.engine.name != "postgres" {
		return h, true, nil
	}
	var xmax int64
	if err := db.read.QueryRowContext(ctx, selectNewXid).Scan(&xmax); err != nil {
		return 0, false, fmt.Errorf("outbox horizon: %w", err)
	}
	deadline := time.Now().Add(horizonWait)
	for pause := time.Millisecond; ; pause = min(2*pause, 50*time.Millisecond) {
		var xmin int64
		if err := db.read.QueryRowContext(ctx, selectXmin).Scan(&xmin); err != nil {
			return 0, false, fmt.Errorf("outbox horizon: %w", err)
		}
		if xmin >= xmax {
			return h, true, nil
		}
		if time.Now().After(deadline) {
			return 0, false, nil
		}
		select {
		case <-ctx.Done():
			return 0, false, ctx.Err()
		case <-time.After(pause):
		}
	}
}

// FanOutWebhooks is one step of the webhook outbox: it reads the events
// after the cursor that are final (at most fanOutBatch), writes a pending
// delivery of each to every enabled endpoint that subscribed to its type
// and existed when it happened, and moves the cursor past them, all in one
// transaction. It returns how many deliveries it wrote. Any number of
// servers may run it at once: the cursor moves only from where this step
// read it, so one of them does each step's work and the others' roll back.
func (db *Hooks) FanOutWebhooks(ctx context.Context) (int, error) {
	h, ok, err := db.outboxHorizon(ctx)
	if err != nil || !ok {
		return 0, err
	}
	var c int64 // a first look, without taking the writer when there is nothing new
	if err := db.read.QueryRowContext(ctx, selectCursor, CursorWebhooks).Scan(&c); err != nil {
		return 0, fmt.Errorf("webhook cursor: %w", err)
	} else if c >= h {
		return 0, nil
	}
	n := 0
	err = db.update(ctx, func(tx *Tx) error {
		n = 0
		var c int64
		if err := tx.QueryRowContext(ctx, selectCursor, CursorWebhooks).Scan(&c); err != nil {
			return fmt.Errorf("webhook cursor: %w", err)
		}
		if c >= h {
			return nil
		}
		eps, err := tx.enabledEndpoints(ctx)
		if err != nil {
			return err
		}
		next := h
		if len(eps) > 0 {
			events, err := tx.outboxEvents(ctx, c, h, fanOutBatch)
			if err != nil {
				return err
			}
			if len(events) == fanOutBatch {
				next = events[len(events)-1].Seq
			}
			if n, err = tx.fanOut(ctx, eps, events); err != nil {
				return err
			}
		}
		return tx.moveCursor(ctx, CursorWebhooks, c, next)
	})
	if errors.Is(err, errCursorMoved) {
		return 0, nil
	}
	return n, err
}

// fanOut writes the deliveries of events to the endpoints that want them,
// many rows a statement, and enqueues the delivery jobs of the endpoints
// it wrote to (SetWebhookQueue).
func (tx *Tx) fanOut(ctx context.Context, eps []endpointRow, events []OutboxEvent) (int, error) {
	var rows []any
	var wrote []string
	n := 0
	flush := func() error {
		if len(rows) == 0 {
			return nil
		}
		var q strings.Builder
		q.WriteString("INSERT INTO webhook_deliveries (id, endpoint_id, event_seq, order_key, status, next_attempt_at, created_at) VALUES ")
		for i := 0; i < len(rows)/5; i++ {
			if i > 0 {
				q.WriteString(", ")
			}
			fmt.Fprintf(&q, "($%d, $%d, $%d, $%d, 'pending', $%d, $%d)", 5*i+1, 5*i+2, 5*i+3, 5*i+4, 5*i+5, 5*i+5)
		}
		q.WriteString(" ON CONFLICT (endpoint_id, event_seq) DO NOTHING")
		_, err := tx.ExecContext(ctx, q.String(), rows...)
		rows = rows[:0]
		if err != nil {
			return fmt.Errorf("webhook deliveries: %w", err)
		}
		return nil
	}
	now := tx.now
	for _, ev := range events {
		for _, ep := range eps {
			if ev.CreatedAt.Before(ep.CreatedAt) || !webhook.Matches(ep.EventTypes, ev.Type) {
				continue
			}
			rows = append(rows, newID("wd"), ep.ID, ev.Seq, ev.OrderID, now)
			wrote = append(wrote, ep.ID)
			n++
			if len(rows) == 5*fanOutRows {
				if err := flush(); err != nil {
					return 0, err
				}
			}
		}
	}
	if err := flush(); err != nil {
		return 0, err
	}
	return n, tx.deliverLater(ctx, distinctEndpoints(wrote))
}

// fanOutRows is how many deliveries one statement of fanOut writes.
const fanOutRows = 200

// moveCursor moves the cursor from seq from to seq to, or returns
// errCursorMoved when it is no longer at from.
func (tx *Tx) moveCursor(ctx context.Context, name string, from, to int64) error {
	res, err := tx.ExecContext(ctx, moveCursor, name, from, to)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		return errCursorMoved
	}
	return nil
}

// OutboxEvent is an event as the outbox's readers see it: with its seq.
type OutboxEvent struct {
	Seq int64
	oms.Event
}

// outboxEvents reads up to limit events with seqs in (after, upTo].
func (tx *Tx) outboxEvents(ctx context.Context, after, upTo int64, limit int) ([]OutboxEvent, error) {
	rows, err := tx.QueryContext(ctx, selectOutboxIn, after, upTo, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	return scanOutbox(rows)
}

func scanOutbox(rows *sql.Rows) ([]OutboxEvent, error) {
	var out []OutboxEvent
	for rows.Next() {
		var e OutboxEvent
		var oid *string
		var data string
		if err := rows.Scan(&e.Seq, &e.Type, &e.Subject, &oid, &e.Actor, &data, &e.CreatedAt); err != nil {
			return nil, err
		}
		if oid != nil {
			e.OrderID = *oid
		}
		e.ID = eventID(e.Seq)
		e.Data = json.RawMessage(data)
		e.CreatedAt = e.CreatedAt.UTC()
		out = append(out, e)
	}
	return out, rows.Err()
}

// ClaimOutbox takes the outbox cursor name for owner until lease from now
// and returns up to limit final events after it (see outboxHorizon), with
// the cursor's seq. It returns no events when another owner holds an
// unexpired lease, so one server at a time reads a cursor and a killed
// server's lease runs out. The owner passes the seqs to AdvanceOutbox once
// it handled the events.
func (db *Hooks) ClaimOutbox(ctx context.Context, name, owner string, lease time.Duration, limit int) ([]OutboxEvent, int64, error) {
	h, ok, err := db.outboxHorizon(ctx)
	if err != nil || !ok {
		return nil, 0, err
	}
	var c int64
	err = db.update(ctx, func(tx *Tx) error {
		err := tx.QueryRowContext(ctx, claimCursor, name, owner, tx.now.Add(lease), tx.now).Scan(&c)
		if errors.Is(err, sql.ErrNoRows) {
			return errCursorMoved
		}
		return err
	})
	if errors.Is(err, errCursorMoved) || (err == nil && c >= h) {
		return nil, c, nil
	}
	if err != nil {
		return nil, 0, err
	}
	var out []OutboxEvent
	err = db.view(ctx, func(tx *Tx) error {
		out, err = tx.outboxEvents(ctx, c, h, limit)
		return err
	})
	return out, c, err
}

// AdvanceOutbox moves the cursor name, which owner claimed at seq from, to
// seq to. It returns ECONFLICT when owner lost the cursor meanwhile (its
// lease ran out and another server moved it).
func (db *Hooks) AdvanceOutbox(ctx context.Context, name, owner string, from, to int64) error {
	return db.update(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, advanceCursor, name, owner, from, to)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return oms.Errorf(oms.ECONFLICT, "the outbox cursor %s moved: another server took it", name)
		}
		return nil
	})
}
