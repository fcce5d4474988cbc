// Package customers keeps the customers oms knows from their orders and
// the customer service on them: customers read with their history and
// found by email, channel identity or the words of their orders; internal
// notes on orders and customers; cases with their messages; and the order
// timeline, which merges an order's events with its notes and cases. It
// implements oms.Customers on the engine seam (sqldb). Order placement,
// which makes the customers, and the orders themselves stay in the store,
// which hands the desk what it needs of them (Orders).
package customers

import (
	"context"
	"database/sql"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/store/sqldb"
)

// Desk is the customers and customer service of a database.
type Desk struct {
	db     *sqldb.DB
	orders Orders
}

// New returns the customers and customer service of db, with what the
// store keeps of the orders.
func New(db *sqldb.DB, orders Orders) *Desk { return &Desk{db: db, orders: orders} }

// Orders is what the desk needs of the orders, which the store keeps. Each
// runs in the transaction it is given.
type Orders interface {
	// Order finds the order by id or number, without locking it:
	// ENOTFOUND for an unknown one.
	Order(ctx context.Context, tx *sqldb.Tx, ref string) (Order, error)
	// Summaries is a page of the customer's orders, newest first, older
	// than the cursor after (0: from the newest), and the cursor of the
	// next page (0 for none).
	Summaries(ctx context.Context, tx *sqldb.Tx, customer, after int64, limit int) ([]oms.OrderSummary, int64, error)
	// Events is the order's events, oldest first (at most the timeline's
	// bound).
	Events(ctx context.Context, tx *sqldb.Tx, orderID string) ([]oms.Event, error)
	// Summarize says in words what an event did, for the timeline.
	Summarize(e oms.Event) string
	// WordsLookup is a statement selecting the seq of the orders whose
	// search document holds every word, the last one as a prefix with
	// prefix; arg adds a parameter.
	WordsLookup(words []string, prefix bool, arg func(any) string) string
}

// Order is an order as the desk knows it.
type Order struct {
	Seq   int64  // its internal key
	ID    string // "ord_…"
	Email string // its customer's email, as the order has it
}

// Querier runs queries: a transaction, or a pool outside any.
type Querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}
