package store

import (
	"context"

	"github.com/omshq/oms"
)

// The change feed. A write that changes an order or a stock balance puts
// the change on its transaction's feed, by name, in the same transaction:
//
//   - tx.orderChanging, before the transaction first changes an order.
//     Locking an order to change it (lockOrder, order and orderHead with
//     lock) is the ordinary way to change one and says so itself, so a new
//     write path that locks the order it changes is on the feed without a
//     line of report code;
//   - tx.ordersPlaced, for the orders a placement batch creates, whose
//     figures are known in memory;
//   - tx.ordersRebased, for orders whose base-currency totals were
//     recorded;
//   - tx.stockMoved, for ledger movements: apply, the ordinary way to move
//     stock, says so itself.
//
// As the transaction ends, before it commits (and at the end of each call
// in a unit of work), the seam publishes what the feed collected to its
// reader, the report read model, which turns it into rollup deltas and a
// journal row for the background folder (rollup_journal.go) and into the
// stock rollup. The write code knows the feed, not the reports.

// A feedReader reads the change feed inside the writing transaction.
type feedReader interface {
	// orderChanging is told of an order before the transaction changes
	// it, maybe more than once.
	orderChanging(ctx context.Context, tx *Tx, seq int64) error
	// ordersPlaced is told of the orders a batch places, as they will read
	// back once it commits.
	ordersPlaced(tx *Tx, ps []*pending)
	// ordersRebased is told of orders whose base totals were just
	// recorded: before, their figures were the same but for the rate.
	ordersRebased(ctx context.Context, tx *Tx, seqs []int64) error
	// publish is given what the transaction changed as it ends, before it
	// commits; it writes in the transaction.
	publish(ctx context.Context, tx *Tx, c *changes) error
	// check adds to r what is wrong with what the reader keeps, read in
	// tx: Check's snapshot.
	check(ctx context.Context, tx *Tx, r *oms.CheckReport) error
}

// changes is what a transaction has put on the feed and not yet published.
type changes struct {
	// moves are the ledger movements, in groups published each as one:
	// a movement of apply is a group of its own, a placement batch's
	// reservations one group.
	moves [][]stockMove
	// rollups is the report read model's state for the transaction: the
	// orders it changes, with their figures before, and what it computed
	// in memory.
	rollups rollupState
}

// empty reports whether nothing waits to be published.
func (c *changes) empty() bool {
	return len(c.moves) == 0 && c.rollups.empty()
}

// orderChanging puts the order on the feed: the transaction is about to
// change it. Calls after the first for an order in a transaction repeat it.
func (tx *Tx) orderChanging(ctx context.Context, seq int64) error {
	return tx.db.feed.orderChanging(ctx, tx, seq)
}

// ordersPlaced puts the orders a batch places on the feed.
func (tx *Tx) ordersPlaced(ps []*pending) {
	tx.db.feed.ordersPlaced(tx, ps)
}

// ordersRebased puts on the feed the orders whose base totals were just
// recorded.
func (tx *Tx) ordersRebased(ctx context.Context, seqs []int64) error {
	return tx.db.feed.ordersRebased(ctx, tx, seqs)
}

// stockMoved puts ledger movements on the feed, as one group.
func (tx *Tx) stockMoved(ms ...stockMove) {
	if len(ms) > 0 {
		tx.changes.moves = append(tx.changes.moves, ms)
	}
}

// publish hands what the feed collected to its reader and empties it.
func (tx *Tx) publish(ctx context.Context) error {
	if tx.changes.empty() {
		return nil
	}
	c := tx.changes
	tx.changes = changes{}
	return tx.db.feed.publish(ctx, tx, &c)
}
