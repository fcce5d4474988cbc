package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/omshq/oms"
)

// Customer service: notes, cases and the order timeline.

const (
	insertNote  = `INSERT INTO notes (order_seq, customer_id, body, author, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id`
	selectNotes = `
SELECT n.id, o.id, n.customer_id, n.body, n.author, n.created_at
FROM notes n LEFT JOIN orders o ON o.seq = n.order_seq
WHERE %s ORDER BY n.id LIMIT 1000`
	selectOrderCustomer = `SELECT customer_id FROM orders WHERE seq = $1`
	selectCustomerByID  = `SELECT id, email FROM customers WHERE id = $1`
	selectCustomerEmail = `SELECT id, email FROM customers WHERE email = $1`

	insertCase = `
INSERT INTO cases (customer_id, order_seq, subject, status, assignee, opened_by, first_response_at, created_at, updated_at, version)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, 1) RETURNING id`
	updateCase = `
UPDATE cases SET status = $2, assignee = $3, first_response_at = $4, resolved_at = $5, updated_at = $6, version = version + 1
WHERE id = $1`
	selectCaseCols = `
SELECT c.id, c.customer_id, cu.email, o.id, c.subject, c.status, c.assignee, c.opened_by, c.first_response_at,
    c.resolved_at, c.created_at, c.updated_at, c.version
FROM cases c LEFT JOIN customers cu ON cu.id = c.customer_id LEFT JOIN orders o ON o.seq = c.order_seq`
	insertCaseMessage = `
INSERT INTO case_messages (case_id, n, author, from_customer, internal, body, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`
	selectCaseMessages = `
SELECT case_id, n, author, from_customer, internal, body, created_at FROM case_messages WHERE %s ORDER BY case_id, n`
)

// customerID is the public id of customer n: "cus_42".
func customerID(n int64) string { return "cus_" + strconv.FormatInt(n, 10) }

// caseID is the public id of case n: "case_7".
func caseID(n int64) string { return "case_" + strconv.FormatInt(n, 10) }

// customerRef finds a customer by id ("cus_42") or email.
func (tx *Tx) customerRef(ctx context.Context, ref string) (int64, string, error) {
	var row *sql.Row
	if n, ok := strings.CutPrefix(ref, "cus_"); ok {
		id, err := strconv.ParseInt(n, 10, 64)
		if err != nil {
			return 0, "", notFound("customer %q does not exist", ref)
		}
		row = tx.QueryRowContext(ctx, selectCustomerByID, id)
	} else {
		row = tx.QueryRowContext(ctx, selectCustomerEmail, oms.NormalizeEmail(ref))
	}
	var id int64
	var email sql.NullString // NULL for a customer known only by a channel identity
	if err := row.Scan(&id, &email); errors.Is(err, sql.ErrNoRows) {
		return 0, "", notFound("customer %q does not exist", ref)
	} else if err != nil {
		return 0, "", err
	}
	return id, email.String, nil
}

// AddOrderNote adds an internal note to the order (by id or number). It
// returns ENOTFOUND for an unknown order and EINVALID for an empty body.
func (db *DB) AddOrderNote(ctx context.Context, ref, body string, by oms.Principal) (*oms.Note, error) {
	actor := by.Actor()
	return db.addNote(ctx, body, actor, func(tx *Tx) (any, any, *oms.Note, error) {
		o, err := tx.orderHead(ctx, ref, false)
		if err != nil {
			return nil, nil, nil, err
		}
		return o.ids.seq, nil, &oms.Note{OrderID: o.ID}, nil
	})
}

// AddCustomerNote adds an internal note to the customer (by id or email).
func (db *DB) AddCustomerNote(ctx context.Context, ref, body string, by oms.Principal) (*oms.Note, error) {
	actor := by.Actor()
	return db.addNote(ctx, body, actor, func(tx *Tx) (any, any, *oms.Note, error) {
		id, _, err := tx.customerRef(ctx, ref)
		if err != nil {
			return nil, nil, nil, err
		}
		return nil, id, &oms.Note{Customer: customerID(id)}, nil
	})
}

func (db *DB) addNote(ctx context.Context, body, actor string, target func(*Tx) (any, any, *oms.Note, error)) (*oms.Note, error) {
	var p oms.Problems
	oms.CheckText(&p, "body", body, oms.MaxNoteBody)
	if err := p.Err(); err != nil {
		return nil, err
	}
	var n *oms.Note
	err := db.update(ctx, func(tx *Tx) error {
		seq, cust, note, err := target(tx)
		if err != nil {
			return err
		}
		var id int64
		if err := tx.QueryRowContext(ctx, insertNote, seq, cust, body, actor, tx.now).Scan(&id); err != nil {
			return err
		}
		note.ID, note.Body, note.Author, note.CreatedAt = "note_"+strconv.FormatInt(id, 10), body, actor, tx.now
		n = note
		return tx.addEvent(ctx, oms.EventNoteAdded, note.ID, note.OrderID, actor, note)
	})
	return n, err
}

// OrderNotes returns the order's notes, oldest first.
func (db *DB) OrderNotes(ctx context.Context, ref string) ([]oms.Note, error) {
	var out []oms.Note
	err := db.view(ctx, func(tx *Tx) error {
		o, err := tx.orderHead(ctx, ref, false)
		if err != nil {
			return err
		}
		out, err = tx.notes(ctx, "n.order_seq = $1", o.ids.seq)
		return err
	})
	return out, err
}

// CustomerNotes returns the customer's notes (not those on their orders).
func (db *DB) CustomerNotes(ctx context.Context, ref string) ([]oms.Note, error) {
	var out []oms.Note
	err := db.view(ctx, func(tx *Tx) error {
		id, _, err := tx.customerRef(ctx, ref)
		if err != nil {
			return err
		}
		out, err = tx.notes(ctx, "n.customer_id = $1", id)
		return err
	})
	return out, err
}

func (tx *Tx) notes(ctx context.Context, cond string, arg any) ([]oms.Note, error) {
	rows, err := tx.QueryContext(ctx, fmt.Sprintf(selectNotes, cond), arg)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []oms.Note{}
	for rows.Next() {
		var n oms.Note
		var id int64
		var order sql.NullString
		var cust sql.NullInt64
		if err := rows.Scan(&id, &order, &cust, &n.Body, &n.Author, &n.CreatedAt); err != nil {
			return nil, err
		}
		n.ID, n.OrderID, n.CreatedAt = "note_"+strconv.FormatInt(id, 10), order.String, n.CreatedAt.UTC()
		if cust.Valid {
			n.Customer = customerID(cust.Int64)
		}
		out = append(out, n)
	}
	return out, rows.Err()
}

// OpenCase opens a case for a customer, and optionally an order. It returns
// EINVALID for a missing subject or message or when neither a customer nor
// an order is named, and ENOTFOUND for an unknown one.
func (db *DB) OpenCase(ctx context.Context, r oms.CaseRequest, by oms.Principal) (*oms.Case, error) {
	actor := by.Actor()
	var p oms.Problems
	checkLine(&p, "subject", r.Subject, 200)
	oms.CheckText(&p, "message", r.Message, oms.MaxNoteBody)
	if r.Customer == "" && r.Order == "" {
		p.Add("customer", "name the customer (id or email) or the order")
	}
	oms.CheckLine(&p, "assignee", r.Assignee, 200)
	if err := p.Err(); err != nil {
		return nil, err
	}
	var c *oms.Case
	err := db.update(ctx, func(tx *Tx) error {
		var cust, seq any
		c = &oms.Case{Subject: r.Subject, Status: oms.CaseOpen, Assignee: r.Assignee, OpenedBy: actor,
			CreatedAt: tx.now, UpdatedAt: tx.now, Version: 1, Messages: []oms.CaseMessage{}}
		if r.Order != "" {
			o, err := tx.orderHead(ctx, r.Order, false)
			if err != nil {
				return err
			}
			seq, c.OrderID = o.ids.seq, o.ID
			var id sql.NullInt64
			if err := tx.QueryRowContext(ctx, selectOrderCustomer, o.ids.seq).Scan(&id); err != nil {
				return err
			}
			if id.Valid {
				cust, c.Customer, c.Email = id.Int64, customerID(id.Int64), o.Customer.Email
			}
		}
		if r.Customer != "" {
			id, email, err := tx.customerRef(ctx, r.Customer)
			if err != nil {
				return oms.Invalid("customer", "no customer %q", r.Customer)
			}
			if c.Customer != "" && c.Customer != customerID(id) {
				return oms.Invalid("customer", "order %s is not customer %s's", c.OrderID, r.Customer)
			}
			cust, c.Customer, c.Email = id, customerID(id), email
		}
		c.AddMessage(oms.CaseMessage{Author: actor, FromCustomer: r.FromCustomer, Body: r.Message}, tx.now)
		var n int64
		if err := tx.QueryRowContext(ctx, insertCase, cust, seq, r.Subject, string(c.Status), r.Assignee, actor,
			c.FirstResponseAt, tx.now).Scan(&n); err != nil {
			return err
		}
		c.ID, c.Number = caseID(n), n
		if err := tx.insertCaseMessages(ctx, c, 0); err != nil {
			return err
		}
		return tx.addEvent(ctx, oms.EventCaseOpened, c.ID, c.OrderID, actor, oms.CaseOpened{Case: c.ID,
			Subject: c.Subject, Customer: c.Customer, Status: c.Status})
	})
	return c, err
}

// checkLine records a problem unless s is 1 to max bytes of printable
// single-line text.
func checkLine(p *oms.Problems, field, s string, max int) {
	if strings.TrimSpace(s) == "" {
		p.Add(field, "is required: one line of at most %d bytes", max)
		return
	}
	oms.CheckLine(p, field, s, max)
}

// saveCase writes the case's status, times and the messages after the
// first known ones.
func (tx *Tx) saveCase(ctx context.Context, c *oms.Case, known int) error {
	if _, err := tx.ExecContext(ctx, updateCase, c.Number, string(c.Status), c.Assignee, c.FirstResponseAt,
		c.ResolvedAt, tx.now); err != nil {
		return err
	}
	c.Version++
	return tx.insertCaseMessages(ctx, c, known)
}

func (tx *Tx) insertCaseMessages(ctx context.Context, c *oms.Case, from int) error {
	for _, m := range c.Messages[from:] {
		if _, err := tx.ExecContext(ctx, insertCaseMessage, c.Number, m.N, m.Author, m.FromCustomer, m.Internal,
			m.Body, m.CreatedAt); err != nil {
			return err
		}
	}
	return nil
}

// caseRef parses a case id ("case_7" or 7).
func caseRef(ref string) (int64, error) {
	n, err := strconv.ParseInt(strings.TrimPrefix(ref, "case_"), 10, 64)
	if err != nil || n <= 0 {
		return 0, notFound("case %q does not exist", ref)
	}
	return n, nil
}

// Case returns the case with its messages, or ENOTFOUND.
func (db *DB) Case(ctx context.Context, ref string) (*oms.Case, error) {
	var c *oms.Case
	err := db.view(ctx, func(tx *Tx) (err error) {
		c, err = tx.caseByRef(ctx, ref, false)
		return err
	})
	return c, err
}

func (tx *Tx) caseByRef(ctx context.Context, ref string, lock bool) (*oms.Case, error) {
	n, err := caseRef(ref)
	if err != nil {
		return nil, err
	}
	q := selectCaseCols + " WHERE c.id = $1"
	if lock {
		q += tx.db.engine.lockOf("c")
	}
	cs, err := tx.cases(ctx, q, n)
	if err != nil {
		return nil, err
	}
	if len(cs) == 0 {
		return nil, notFound("case %q does not exist", ref)
	}
	return &cs[0], nil
}

// cases reads cases and their messages.
func (tx *Tx) cases(ctx context.Context, q string, args ...any) ([]oms.Case, error) {
	rows, err := tx.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	var out []oms.Case
	for rows.Next() {
		var c oms.Case
		var cust sql.NullInt64
		var email, order sql.NullString
		var first, resolved sql.NullTime
		if err := rows.Scan(&c.Number, &cust, &email, &order, &c.Subject, &c.Status, &c.Assignee, &c.OpenedBy,
			&first, &resolved, &c.CreatedAt, &c.UpdatedAt, &c.Version); err != nil {
			rows.Close()
			return nil, err
		}
		c.ID, c.Email, c.OrderID = caseID(c.Number), email.String, order.String
		if cust.Valid {
			c.Customer = customerID(cust.Int64)
		}
		c.CreatedAt, c.UpdatedAt = c.CreatedAt.UTC(), c.UpdatedAt.UTC()
		if first.Valid {
			t := first.Time.UTC()
			c.FirstResponseAt = &t
		}
		if resolved.Valid {
			t := resolved.Time.UTC()
			c.ResolvedAt = &t
		}
		c.Messages = []oms.CaseMessage{}
		out = append(out, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(out) == 0 {
		return out, err
	}
	ids := make([]any, len(out))
	at := make(map[int64]int, len(out))
	for i, c := range out {
		ids[i], at[c.Number] = c.Number, i
	}
	cond, args := tx.db.engine.inList("case_id", "bigint", ids, nil)
	mrows, err := tx.QueryContext(ctx, fmt.Sprintf(selectCaseMessages, cond), args...)
	if err != nil {
		return nil, err
	}
	defer mrows.Close()
	for mrows.Next() {
		var id int64
		var m oms.CaseMessage
		if err := mrows.Scan(&id, &m.N, &m.Author, &m.FromCustomer, &m.Internal, &m.Body, &m.CreatedAt); err != nil {
			return nil, err
		}
		m.CreatedAt = m.CreatedAt.UTC()
		c := &out[at[id]]
		c.Messages = append(c.Messages, m)
	}
	for i := range out {
		out[i].Fill()
	}
	return out, mrows.Err()
}

// Cases lists cases, newest first.
func (db *DB) Cases(ctx context.Context, f oms.CaseFilter) ([]oms.Case, error) {
	var out []oms.Case
	err := db.view(ctx, func(tx *Tx) error {
		var conds []string
		var args []any
		add := func(cond string, v any) {
			args = append(args, v)
			conds = append(conds, fmt.Sprintf(cond, len(args)))
		}
		if f.Status != "" {
			add("c.status = $%d", string(f.Status))
		}
		if f.Assignee != "" {
			add("c.assignee = $%d", f.Assignee)
		}
		if f.Customer != "" {
			id, _, err := tx.customerRef(ctx, f.Customer)
			if err != nil {
				return err
			}
			add("c.customer_id = $%d", id)
		}
		if f.Order != "" {
			o, err := tx.orderHead(ctx, f.Order, false)
			if err != nil {
				return err
			}
			add("c.order_seq = $%d", o.ids.seq)
		}
		if f.After > 0 {
			add("c.id < $%d", f.After)
		}
		q := selectCaseCols
		if len(conds) > 0 {
			q += " WHERE " + strings.Join(conds, " AND ")
		}
		args = append(args, f.Limit)
		q += fmt.Sprintf(" ORDER BY c.id DESC LIMIT $%d", len(args))
		var err error
		out, err = tx.cases(ctx, q, args...)
		return err
	})
	return out, err
}

// AddCaseMessage adds a message to the case (see oms.Case.AddMessage for
// how it moves the case). It returns EINVALID for an empty body.
func (db *DB) AddCaseMessage(ctx context.Context, ref string, m oms.CaseMessage, by oms.Principal) (*oms.Case, error) {
	actor := by.Actor()
	var p oms.Problems
	oms.CheckText(&p, "body", m.Body, oms.MaxNoteBody)
	if m.FromCustomer && m.Internal {
		p.Add("internal", "a customer's message cannot be internal")
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	return db.changeCase(ctx, ref, actor, func(c *oms.Case, now time.Time) (map[string]any, error) {
		m.Author = actor
		c.AddMessage(m, now)
		return map[string]any{"case": c.ID, "message": len(c.Messages), "from_customer": m.FromCustomer,
			"internal": m.Internal, "status": c.Status}, nil
	})
}

// UpdateCase changes the case's status or assignee. It returns EINVALID for
// an unknown status.
func (db *DB) UpdateCase(ctx context.Context, ref string, ch oms.CaseChange, by oms.Principal) (*oms.Case, error) {
	actor := by.Actor()
	var p oms.Problems
	if ch.Status != nil && !ch.Status.Valid() {
		p.Add("status", "must be open, pending or resolved")
	}
	if ch.Assignee != nil {
		oms.CheckLine(&p, "assignee", *ch.Assignee, 200)
	}
	if ch.Status == nil && ch.Assignee == nil {
		p.Add("status", "give a status or an assignee")
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	return db.changeCase(ctx, ref, actor, func(c *oms.Case, now time.Time) (map[string]any, error) {
		data := map[string]any{"case": c.ID}
		if ch.Status != nil && *ch.Status != c.Status {
			data["from"], data["to"] = c.Status, *ch.Status
			c.SetStatus(*ch.Status, now)
		}
		if ch.Assignee != nil && *ch.Assignee != c.Assignee {
			data["assignee"] = *ch.Assignee
			c.Assignee = *ch.Assignee
		}
		c.UpdatedAt = now
		return data, nil
	})
}

// changeCase runs fn on the locked case, saves it and records a
// case.updated event with what fn returns.
func (db *DB) changeCase(ctx context.Context, ref, actor string, fn func(*oms.Case, time.Time) (map[string]any, error)) (*oms.Case, error) {
	var c *oms.Case
	err := db.update(ctx, func(tx *Tx) error {
		var err error
		if c, err = tx.caseByRef(ctx, ref, true); err != nil {
			return err
		}
		known := len(c.Messages)
		data, err := fn(c, tx.now)
		if err != nil {
			return err
		}
		if err := tx.saveCase(ctx, c, known); err != nil {
			return err
		}
		typ := oms.EventCaseUpdated
		if len(c.Messages) > known {
			typ = oms.EventCaseMessage
		}
		return tx.addEvent(ctx, typ, c.ID, c.OrderID, actor, data)
	})
	return c, err
}

// serviceEvents are the event types the timeline shows from their own
// records (notes, cases) rather than as events.
var serviceEvents = map[string]bool{oms.EventNoteAdded: true, oms.EventCaseOpened: true,
	oms.EventCaseMessage: true, oms.EventCaseUpdated: true}

// OrderTimeline merges, oldest first, everything that happened to the
// order: its events (placement, sourcing, fulfillment, holds, edits,
// returns, refunds …), its notes, and the messages and changes of its cases.
func (db *DB) OrderTimeline(ctx context.Context, ref string) ([]oms.TimelineEntry, error) {
	var out []oms.TimelineEntry
	err := db.view(ctx, func(tx *Tx) error {
		o, err := tx.orderHead(ctx, ref, false)
		if err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, selectOrderEvents, o.ID, maxTimeline)
		if err != nil {
			return err
		}
		events, err := scanEvents(rows)
		rows.Close()
		if err != nil {
			return err
		}
		for _, e := range events {
			if serviceEvents[e.Type] && e.Type != oms.EventCaseUpdated {
				continue
			}
			out = append(out, oms.TimelineEntry{At: e.CreatedAt, Kind: oms.TimelineEvent, Type: e.Type, Summary: summarizeEvent(e),
				Actor: e.Actor, Ref: e.ID, Data: e.Data})
		}
		notes, err := tx.notes(ctx, "n.order_seq = $1", o.ids.seq)
		if err != nil {
			return err
		}
		for _, n := range notes {
			out = append(out, oms.TimelineEntry{At: n.CreatedAt, Kind: oms.TimelineNote, Type: oms.EventNoteAdded,
				Summary: "Note: " + clip(n.Body, 120), Actor: n.Author, Ref: n.ID, Data: n})
		}
		cases, err := tx.cases(ctx, selectCaseCols+" WHERE c.order_seq = $1 ORDER BY c.id", o.ids.seq)
		if err != nil {
			return err
		}
		for _, c := range cases {
			for _, m := range c.Messages {
				who := "Staff"
				switch {
				case m.FromCustomer:
					who = "Customer"
				case m.Internal:
					who = "Internal"
				}
				typ := oms.EventCaseMessage
				if m.N == 1 {
					typ = oms.EventCaseOpened
				}
				out = append(out, oms.TimelineEntry{At: m.CreatedAt, Kind: oms.TimelineCase, Type: typ,
					Summary: fmt.Sprintf("Case %s %q — %s: %s", c.ID, c.Subject, who, clip(m.Body, 120)),
					Actor:   m.Author, Ref: c.ID, Data: m})
			}
		}
		sort.SliceStable(out, func(i, j int) bool { return out[i].At.Before(out[j].At) })
		return nil
	})
	return out, err
}

// clip shortens s to at most n bytes, on a rune boundary, marking the cut.
func clip(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

func utf8RuneStart(b byte) bool { return b&0xC0 != 0x80 }

// summarize turns an event type into words for a person: "order.placed"
// becomes "Order placed".
func summarize(typ string) string {
	s := strings.NewReplacer(".", " ", "_", " ").Replace(typ)
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
