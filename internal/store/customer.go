package store

import (
	"context"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/store/customers"
	"github.com/omshq/oms/internal/store/lifecycle"
	"github.com/omshq/oms/internal/store/orders"
	"github.com/omshq/oms/internal/store/returns"
	"github.com/omshq/oms/internal/store/search"
	"github.com/omshq/oms/internal/store/sqldb"
)

// The customers and customer service live in internal/store/customers
// (customers.Desk); deskOrders is what the desk needs of the orders.
type deskOrders struct{ db *DB }

// readTx is the store's transaction over the seam's stx, for reads made
// on behalf of an area package: it puts nothing on the change feed.
func (db *DB) readTx(stx *sqldb.Tx) *Tx { return db.TxOf(stx) }

func (d deskOrders) Order(ctx context.Context, stx *sqldb.Tx, ref string) (customers.Order, error) {
	o, err := d.db.readTx(stx).OrderHead(ctx, ref, false)
	if err != nil {
		return customers.Order{}, err
	}
	return customers.Order{Seq: o.IDs.Seq, ID: o.ID, Email: o.Customer.Email}, nil
}

// Summaries reads a page of the customer's orders, newest first, and the
// cursor of the next (0 for none).
func (d deskOrders) Summaries(ctx context.Context, tx *sqldb.Tx, id, after int64, limit int) ([]oms.OrderSummary, int64, error) {
	q := search.SelectOrderSummaries + " WHERE o.customer_id = $1"
	args := []any{id, limit + 1}
	if after > 0 {
		q += " AND o.seq < $3"
		args = append(args, after)
	}
	q += " ORDER BY o.seq DESC LIMIT $2"
	rows, err := tx.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, 0, err
	}
	out := []oms.OrderSummary{}
	var last, next int64
	err = search.ScanSummaries(rows, func(seq, _ int64, o *oms.OrderSummary) {
		if len(out) < limit {
			out, last = append(out, *o), seq
		} else {
			next = last
		}
	})
	return out, next, err
}

func (d deskOrders) Events(ctx context.Context, tx *sqldb.Tx, orderID string) ([]oms.Event, error) {
	rows, err := tx.QueryContext(ctx, orders.SelectOrderEvents, orderID, orders.MaxTimeline)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	return orders.ScanEvents(rows)
}

// Summarize says in words what an event did: with the particulars of
// returns, refunds and exchanges (returns.Summary), or of edits and
// cancellations; other events by their type.
func (d deskOrders) Summarize(e oms.Event) string {
	if s, ok := returns.Summary(e); ok {
		return s
	}
	return lifecycle.EventSummary(e)
}

func (d deskOrders) WordsLookup(words []string, prefix bool, arg func(any) string) string {
	return d.db.DB.Engine.WordsLookup(words, prefix, arg)
}
