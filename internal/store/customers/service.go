package customers

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
	"github.com/omshq/oms/internal/store/sqldb"
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
	// selectCustomerOfEmail finds the customer whose newest order gave the
	// email: a channel's returning customer, known by their identity, who
	// ordered with an address other than the one on their record.
	selectCustomerOfEmail = `
SELECT c.id, c.email FROM orders o JOIN customers c ON c.id = o.customer_id
WHERE o.customer_email = $1 ORDER BY o.seq DESC LIMIT 1`

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
func customerRef(ctx context.Context, tx *sqldb.Tx, ref string) (int64, string, error) {
	var row *sql.Row
	if n, ok := strings.CutPrefix(ref, "cus_"); ok {
		id, err := strconv.ParseInt(n, 10, 64)
		if err != nil {
			return 0, "", sqldb.NotFound("customer %q does not exist", ref)
		}
		row = tx.QueryRowContext(ctx, selectCustomerByID, id)
	} else {
		row = tx.QueryRowContext(ctx, selectCustomerEmail, oms.NormalizeEmail(ref))
	}
	var id int64
	var email sql.NullString // NULL for a customer known only by a channel identity
	err := row.Scan(&id, &email)
	if errors.Is(err, sql.ErrNoRows) && !strings.HasPrefix(ref, "cus_") {
		// No record has the email: the customer who last ordered with it.
		err = tx.QueryRowContext(ctx, selectCustomerOfEmail, oms.NormalizeEmail(ref)).Scan(&id, &email)
	}
	if errors.Is(err, sql.ErrNoRows) {
		return 0, "", sqldb.NotFound("customer %q does not exist", ref)
	} else if err != nil {
		return 0, "", err
	}
	return id, email.String, nil
}

// AddOrderNote adds an internal note to the order (by id or number). It
// returns ENOTFOUND for an unknown order and EINVALID for an empty body.
func (d *Desk) AddOrderNote(ctx context.Context, ref, body string, by oms.Principal) (*oms.Note, error) {
	actor := by.Actor()
	return d.addNote(ctx, body, actor, func(tx *sqldb.Tx) (any, any, *oms.Note, error) {
		o, err := d.orders.Order(ctx, tx, ref)
		if err != nil {
			return nil, nil, nil, err
		}
		return o.Seq, nil, &oms.Note{OrderID: o.ID}, nil
	})
}

// AddCustomerNote adds an internal note to the customer (by id or email).
func (d *Desk) AddCustomerNote(ctx context.Context, ref, body string, by oms.Principal) (*oms.Note, error) {
	actor := by.Actor()
	return d.addNote(ctx, body, actor, func(tx *sqldb.Tx) (any, any, *oms.Note, error) {
		id, _, err := customerRef(ctx, tx, ref)
		if err != nil {
			return nil, nil, nil, err
		}
		return nil, id, &oms.Note{Customer: customerID(id)}, nil
	})
}

func (d *Desk) addNote(ctx context.Context, body, actor string, target func(*sqldb.Tx) (any, any, *oms.Note, error)) (*oms.Note, error) {
	var p oms.Problems
	oms.CheckText(&p, "body", body, oms.MaxNoteBody)
	if err := p.Err(); err != nil {
		return nil, err
	}
	var n *oms.Note
	err := d.db.Update(ctx, func(tx *sqldb.Tx) error {
		seq, cust, note, err := target(tx)
		if err != nil {
			return err
		}
		var id int64
		if err := tx.QueryRowContext(ctx, insertNote, seq, cust, body, actor, tx.Now()).Scan(&id); err != nil {
			return err
		}
		note.ID, note.Body, note.Author, note.CreatedAt = "note_"+strconv.FormatInt(id, 10), body, actor, tx.Now()
		n = note
		return tx.AddEvent(ctx, oms.EventNoteAdded, note.ID, note.OrderID, actor, note)
	})
	return n, err
}

// OrderNotes returns the order's notes, oldest first.
func (d *Desk) OrderNotes(ctx context.Context, ref string) ([]oms.Note, error) {
	var out []oms.Note
	err := d.db.View(ctx, func(tx *sqldb.Tx) error {
		o, err := d.orders.Order(ctx, tx, ref)
		if err != nil {
			return err
		}
		out, err = notes(ctx, tx, "n.order_seq = $1", o.Seq)
		return err
	})
	return out, err
}

// CustomerNotes returns the customer's notes (not those on their orders).
func (d *Desk) CustomerNotes(ctx context.Context, ref string) ([]oms.Note, error) {
	var out []oms.Note
	err := d.db.View(ctx, func(tx *sqldb.Tx) error {
		id, _, err := customerRef(ctx, tx, ref)
		if err != nil {
			return err
		}
		out, err = notes(ctx, tx, "n.customer_id = $1", id)
		return err
	})
	return out, err
}

func notes(ctx context.Context, tx *sqldb.Tx, cond string, arg any) ([]oms.Note, error) {
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
func (d *Desk) OpenCase(ctx context.Context, r oms.CaseRequest, by oms.Principal) (*oms.Case, error) {
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
	err := d.db.Update(ctx, func(tx *sqldb.Tx) error {
		var cust, seq any
		c = &oms.Case{Subject: r.Subject, Status: oms.CaseOpen, Assignee: r.Assignee, OpenedBy: actor,
			CreatedAt: tx.Now(), UpdatedAt: tx.Now(), Version: 1, Messages: []oms.CaseMessage{}}
		if r.Order != "" {
			o, err := d.orders.Order(ctx, tx, r.Order)
			if oms.ErrorCode(err) == oms.ENOTFOUND {
				return oms.Invalid("order", "no order %q", r.Order)
			} else if err != nil {
				return err
			}
			seq, c.OrderID = o.Seq, o.ID
			var id sql.NullInt64
			if err := tx.QueryRowContext(ctx, selectOrderCustomer, o.Seq).Scan(&id); err != nil {
				return err
			}
			if id.Valid {
				cust, c.Customer, c.Email = id.Int64, customerID(id.Int64), o.Email
			}
		}
		if r.Customer != "" {
			id, email, err := customerRef(ctx, tx, r.Customer)
			if err != nil {
				return oms.Invalid("customer", "no customer %q", r.Customer)
			}
			if c.Customer != "" && c.Customer != customerID(id) {
				return oms.Invalid("customer", "order %s is not customer %s's", c.OrderID, r.Customer)
			}
			cust, c.Customer, c.Email = id, customerID(id), email
		}
		c.AddMessage(oms.CaseMessage{Author: actor, FromCustomer: r.FromCustomer, Body: r.Message}, tx.Now())
		var n int64
		if err := tx.QueryRowContext(ctx, insertCase, cust, seq, r.Subject, string(c.Status), r.Assignee, actor,
			c.FirstResponseAt, tx.Now()).Scan(&n); err != nil {
			return err
		}
		c.ID, c.Number = caseID(n), n
		if err := insertCaseMessages(ctx, tx, c, 0); err != nil {
			return err
		}
		return tx.AddEvent(ctx, oms.EventCaseOpened, c.ID, c.OrderID, actor, oms.CaseOpened{Case: c.ID,
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
func saveCase(ctx context.Context, tx *sqldb.Tx, c *oms.Case, known int) error {
	if _, err := tx.ExecContext(ctx, updateCase, c.Number, string(c.Status), c.Assignee, c.FirstResponseAt,
		c.ResolvedAt, tx.Now()); err != nil {
		return err
	}
	c.Version++
	return insertCaseMessages(ctx, tx, c, known)
}

func insertCaseMessages(ctx context.Context, tx *sqldb.Tx, c *oms.Case, from int) error {
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
		return 0, sqldb.NotFound("case %q does not exist", ref)
	}
	return n, nil
}

// Case returns the case with its messages, or ENOTFOUND.
func (d *Desk) Case(ctx context.Context, ref string) (*oms.Case, error) {
	var c *oms.Case
	err := d.db.View(ctx, func(tx *sqldb.Tx) (err error) {
		c, err = caseByRef(ctx, tx, ref, false)
		return err
	})
	return c, err
}

func caseByRef(ctx context.Context, tx *sqldb.Tx, ref string, lock bool) (*oms.Case, error) {
	n, err := caseRef(ref)
	if err != nil {
		return nil, err
	}
	q := selectCaseCols + " WHERE c.id = $1"
	if lock {
		q += tx.Engine().LockOf("c")
	}
	cs, err := cases(ctx, tx, q, n)
	if err != nil {
		return nil, err
	}
	if len(cs) == 0 {
		return nil, sqldb.NotFound("case %q does not exist", ref)
	}
	return &cs[0], nil
}

// cases reads cases and their messages.
func cases(ctx context.Context, tx *sqldb.Tx, q string, args ...any) ([]oms.Case, error) {
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
	cond, args := tx.Engine().InList("case_id", "bigint", ids, nil)
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
func (d *Desk) Cases(ctx context.Context, f oms.CaseFilter) ([]oms.Case, error) {
	var out []oms.Case
	err := d.db.View(ctx, func(tx *sqldb.Tx) error {
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
			id, _, err := customerRef(ctx, tx, f.Customer)
			if err != nil {
				return err
			}
			add("c.customer_id = $%d", id)
		}
		if f.Order != "" {
			o, err := d.orders.Order(ctx, tx, f.Order)
			if err != nil {
				return err
			}
			add("c.order_seq = $%d", o.Seq)
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
		out, err = cases(ctx, tx, q, args...)
		return err
	})
	return out, err
}

// AddCaseMessage adds a message to the case (see oms.Case.AddMessage for
// how it moves the case). It returns EINVALID for an empty body.
func (d *Desk) AddCaseMessage(ctx context.Context, ref string, m oms.CaseMessage, by oms.Principal) (*oms.Case, error) {
	actor := by.Actor()
	var p oms.Problems
	oms.CheckText(&p, "body", m.Body, oms.MaxNoteBody)
	if m.FromCustomer && m.Internal {
		p.Add("internal", "a customer's message cannot be internal")
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	return d.changeCase(ctx, ref, actor, func(c *oms.Case, now time.Time) (map[string]any, error) {
		m.Author = actor
		c.AddMessage(m, now)
		return map[string]any{"case": c.ID, "message": len(c.Messages), "from_customer": m.FromCustomer,
			"internal": m.Internal, "status": c.Status}, nil
	})
}

// UpdateCase changes the case's status or assignee. It returns EINVALID for
// an unknown status.
func (d *Desk) UpdateCase(ctx context.Context, ref string, ch oms.CaseChange, by oms.Principal) (*oms.Case, error) {
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
	return d.changeCase(ctx, ref, actor, func(c *oms.Case, now time.Time) (map[string]any, error) {
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
func (d *Desk) changeCase(ctx context.Context, ref, actor string, fn func(*oms.Case, time.Time) (map[string]any, error)) (*oms.Case, error) {
	var c *oms.Case
	err := d.db.Update(ctx, func(tx *sqldb.Tx) error {
		var err error
		if c, err = caseByRef(ctx, tx, ref, true); err != nil {
			return err
		}
		known := len(c.Messages)
		data, err := fn(c, tx.Now())
		if err != nil {
			return err
		}
		if err := saveCase(ctx, tx, c, known); err != nil {
			return err
		}
		typ := oms.EventCaseUpdated
		if len(c.Messages) > known {
			typ = oms.EventCaseMessage
		}
		return tx.AddEvent(ctx, typ, c.ID, c.OrderID, actor, data)
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
func (d *Desk) OrderTimeline(ctx context.Context, ref string) ([]oms.TimelineEntry, error) {
	var out []oms.TimelineEntry
	err := d.db.View(ctx, func(tx *sqldb.Tx) error {
		o, err := d.orders.Order(ctx, tx, ref)
		if err != nil {
			return err
		}
		events, err := d.orders.Events(ctx, tx, o.ID)
		if err != nil {
			return err
		}
		for _, e := range events {
			if serviceEvents[e.Type] && e.Type != oms.EventCaseUpdated {
				continue
			}
			out = append(out, oms.TimelineEntry{At: e.CreatedAt, Kind: oms.TimelineEvent, Type: e.Type, Summary: d.orders.Summarize(e),
				Actor: e.Actor, Ref: e.ID, Data: e.Data})
		}
		notes, err := notes(ctx, tx, "n.order_seq = $1", o.Seq)
		if err != nil {
			return err
		}
		for _, n := range notes {
			out = append(out, oms.TimelineEntry{At: n.CreatedAt, Kind: oms.TimelineNote, Type: oms.EventNoteAdded,
				Summary: "Note: " + Clip(n.Body, 120), Actor: n.Author, Ref: n.ID, Data: n})
		}
		cases, err := cases(ctx, tx, selectCaseCols+" WHERE c.order_seq = $1 ORDER BY c.id", o.Seq)
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
					Summary: fmt.Sprintf("Case %s %q — %s: %s", c.ID, c.Subject, who, Clip(m.Body, 120)),
					Actor:   m.Author, Ref: c.ID, Data: m})
			}
		}
		sort.SliceStable(out, func(i, j int) bool { return out[i].At.Before(out[j].At) })
		return nil
	})
	return out, err
}

// Clip shortens s to at most n bytes, on a rune boundary, marking the cut:
// how the timeline quotes a note, a message or a reason.
func Clip(s string, n int) string {
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
