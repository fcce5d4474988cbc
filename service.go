package oms

import (
	"slices"
	"strings"
	"time"
)

// Note is an internal note on an order or a customer, for the people who
// serve them; customers never see it.
type Note struct {
	ID        string    `json:"id"`
	OrderID   string    `json:"order_id,omitempty"`
	Customer  string    `json:"customer,omitempty"` // the customer's id
	Body      string    `json:"body"`
	Author    string    `json:"author"`
	CreatedAt time.Time `json:"created_at"`
}

// MaxNoteBody bounds a note or a case message.
const MaxNoteBody = 10_000

// CheckText records a problem under field unless s is 1 to max bytes of
// text that is not blank (line breaks and tabs allowed).
func CheckText(p *Problems, field, s string, max int) {
	switch {
	case strings.TrimSpace(s) == "":
		p.Add(field, "is required: text of at most %d bytes", max)
	case len(s) > max:
		p.Add(field, "is %d bytes: give at most %d", len(s), max)
	case !printableText(s):
		p.Add(field, "must be printable text (line breaks and tabs allowed), without control characters")
	}
}

// CheckLine records a problem under field unless s is at most max bytes of
// printable text on one line: valid UTF-8 without control characters — no
// tab or line break either. s may be empty.
func CheckLine(p *Problems, field, s string, max int) {
	if len(s) > max || !printable(s) {
		p.Add(field, "must be printable text on one line, at most %d bytes", max)
	}
}

// printableText is printable but also allows line breaks and tabs.
func printableText(s string) bool {
	return printable(strings.NewReplacer("\n", " ", "\r", " ", "\t", " ").Replace(s))
}

// CaseStatus is where a customer inquiry stands.
type CaseStatus string

// The case statuses: open (someone must act), pending (waiting on the
// customer), resolved.
const (
	CaseOpen     CaseStatus = "open"
	CasePending  CaseStatus = "pending"
	CaseResolved CaseStatus = "resolved"
)

// CaseStatuses lists the case statuses.
var CaseStatuses = []CaseStatus{CaseOpen, CasePending, CaseResolved}

// Valid reports whether s is a case status.
func (s CaseStatus) Valid() bool { return slices.Contains(CaseStatuses, s) }

// Case is a customer inquiry: linked to a customer and optionally an order,
// with its messages, status, assignee and the times service is measured by.
type Case struct {
	ID       string     `json:"id"`
	Number   int64      `json:"number"`
	Customer string     `json:"customer,omitempty"` // the customer's id
	Email    string     `json:"customer_email,omitempty"`
	OrderID  string     `json:"order_id,omitempty"`
	Subject  string     `json:"subject"`
	Status   CaseStatus `json:"status"`
	Assignee string     `json:"assignee,omitempty"`
	OpenedBy string     `json:"opened_by"`
	// FirstResponseAt is when staff first answered; ResolvedAt when it was
	// last resolved (cleared when it reopens). The seconds are the service
	// times: opening to first response, and to resolution.
	FirstResponseAt      *time.Time    `json:"first_response_at,omitempty"`
	ResolvedAt           *time.Time    `json:"resolved_at,omitempty"`
	FirstResponseSeconds *int64        `json:"first_response_seconds,omitempty"`
	ResolutionSeconds    *int64        `json:"resolution_seconds,omitempty"`
	Messages             []CaseMessage `json:"messages"`
	CreatedAt            time.Time     `json:"created_at"`
	UpdatedAt            time.Time     `json:"updated_at"`
	Version              int64         `json:"version"`
}

// CaseMessage is one message of a case: from the customer, or from staff
// (internal messages are staff-only notes on the case).
type CaseMessage struct {
	N            int       `json:"n"`
	Author       string    `json:"author"`
	FromCustomer bool      `json:"from_customer"`
	Internal     bool      `json:"internal,omitempty"`
	Body         string    `json:"body"`
	CreatedAt    time.Time `json:"created_at"`
}

// AddMessage adds a message to the case at now and moves it as service
// desks do: a staff reply to the customer is the first response (once) and
// leaves the case pending on the customer; a customer's message opens it
// again, even a resolved one. An internal note changes neither.
func (c *Case) AddMessage(m CaseMessage, now time.Time) {
	m.N, m.CreatedAt = len(c.Messages)+1, now
	c.Messages = append(c.Messages, m)
	switch {
	case m.Internal:
	case m.FromCustomer:
		c.setStatus(CaseOpen, now)
	default:
		if c.FirstResponseAt == nil {
			t := now
			c.FirstResponseAt = &t
		}
		if c.Status == CaseOpen {
			c.setStatus(CasePending, now)
		}
	}
	c.UpdatedAt = now
	c.fillTimes()
}

// SetStatus moves the case to s at now; resolving records when.
func (c *Case) SetStatus(s CaseStatus, now time.Time) {
	c.setStatus(s, now)
	c.UpdatedAt = now
	c.fillTimes()
}

func (c *Case) setStatus(s CaseStatus, now time.Time) {
	if s == CaseResolved && c.Status != CaseResolved {
		t := now
		c.ResolvedAt = &t
	} else if s != CaseResolved {
		c.ResolvedAt = nil
	}
	c.Status = s
}

// fillTimes derives the service times from the timestamps.
func (c *Case) fillTimes() {
	c.FirstResponseSeconds, c.ResolutionSeconds = nil, nil
	if c.FirstResponseAt != nil {
		s := int64(c.FirstResponseAt.Sub(c.CreatedAt) / time.Second)
		c.FirstResponseSeconds = &s
	}
	if c.ResolvedAt != nil {
		s := int64(c.ResolvedAt.Sub(c.CreatedAt) / time.Second)
		c.ResolutionSeconds = &s
	}
}

// Fill derives the service times of a case read from storage.
func (c *Case) Fill() { c.fillTimes() }

// The kinds of timeline entry.
const (
	TimelineEvent = "event"
	TimelineNote  = "note"
	TimelineCase  = "case" // a case opened, or a message on it
)

// TimelineKinds lists the kinds of timeline entry.
var TimelineKinds = []string{TimelineEvent, TimelineNote, TimelineCase}

// TimelineEntry is one thing that happened to an order, for the one screen
// an agent needs: an event (placement, sourcing, fulfillment, hold, edit,
// return, refund …), a note, or a case message.
type TimelineEntry struct {
	At      time.Time `json:"at"`
	Kind    string    `json:"kind"` // one of TimelineKinds
	Type    string    `json:"type"` // the event type; note.added; case.opened, case.message
	Summary string    `json:"summary"`
	Actor   string    `json:"actor,omitempty"`
	Ref     string    `json:"ref"` // the event, note or case id
	Data    any       `json:"data,omitempty"`
}
