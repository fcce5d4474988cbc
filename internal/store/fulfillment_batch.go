package store

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/omshq/oms"
)

// MoveFulfillments makes many moves in one transaction, as a warehouse
// closing a wave or a carrier reporting deliveries does. Each move is all or
// nothing on its own: one that MoveFulfillment would refuse (ENOTFOUND,
// ECONFLICT, EINVALID) is left out with its error, and the others go ahead.
// Results are in the order of moves; moves of one order are made in the
// order given. The error is for the batch as a whole (too many moves, a
// database failure): then nothing moved.
func (db *DB) MoveFulfillments(ctx context.Context, moves []oms.BatchMove, by oms.Principal) ([]oms.MoveResult, error) {
	actor := by.Actor()
	if len(moves) > oms.MaxBatchMoves {
		return nil, oms.Invalid("moves", "at most %d moves in one batch, not %d", oms.MaxBatchMoves, len(moves))
	}
	// Orders are locked in one order, whoever moves them, so that two
	// batches cannot each hold an order the other waits for.
	seqs := make([]int64, len(moves))
	for i, m := range moves {
		seqs[i], _, _ = oms.ParseFulfillmentID(m.Fulfillment)
	}
	turn := make([]int, len(moves))
	for i := range turn {
		turn[i] = i
	}
	slices.SortStableFunc(turn, func(a, b int) int { return cmp.Compare(seqs[a], seqs[b]) })

	var out []oms.MoveResult
	err := db.update(ctx, func(tx *Tx) error {
		out = make([]oms.MoveResult, len(moves))
		if err := tx.lockForMoves(ctx, seqs); err != nil {
			return err
		}
		for _, i := range turn {
			m := moves[i]
			if err := m.Tracking.Validate(); err != nil {
				out[i].Err = err
				continue
			}
			var f oms.Fulfillment
			err := tx.savepoint(ctx, func() (err error) {
				f, err = tx.move(ctx, m.Fulfillment, m.FulfillmentMove, actor)
				return err
			})
			if err != nil {
				var e *oms.Error
				if !errors.As(err, &e) {
					return err // the database's, not the move's: the batch fails (or is tried again)
				}
				out[i].Err = err
				continue
			}
			out[i].Fulfillment = &f
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// savepoint runs fn inside a savepoint and undoes what it wrote if it
// fails. What the transaction keeps in memory for the report rollups stays
// right: an order's figures are read when it is first touched, which is
// before anything fn undoes.
func (tx *Tx) savepoint(ctx context.Context, fn func() error) error {
	if _, err := tx.ExecContext(ctx, "SAVEPOINT step"); err != nil {
		return err
	}
	err := fn()
	if err != nil {
		if _, rerr := tx.ExecContext(ctx, "ROLLBACK TO SAVEPOINT step"); rerr != nil {
			return rerr
		}
	}
	if _, rerr := tx.ExecContext(ctx, "RELEASE SAVEPOINT step"); rerr != nil {
		return rerr
	}
	return err
}

// lockForMoves locks, on PostgreSQL, the orders of a batch in number order
// and then the balances their allocations hold units of, in key order, before any
// move is made: the order every single move locks in (its order, then its
// balances). Two batches at one location then wait for each other instead
// of each holding balances the other needs next, which PostgreSQL would
// break as a deadlock and the batch would run again from the start. SQLite
// has one writer and needs no locks.
func (tx *Tx) lockForMoves(ctx context.Context, seqs []int64) error {
	if tx.db.engine.name != "postgres" {
		return nil
	}
	vals := make([]any, 0, len(seqs))
	for _, s := range seqs {
		if s > 0 {
			vals = append(vals, s)
		}
	}
	if len(vals) == 0 {
		return nil
	}
	in, args := tx.db.engine.inList("seq", "bigint", vals, nil)
	if _, err := tx.ExecContext(ctx, "SELECT seq FROM orders WHERE "+in+" ORDER BY seq FOR UPDATE", args...); err != nil {
		return fmt.Errorf("lock orders: %w", err)
	}
	// What a move takes from stock or gives back is allocated at a
	// location: those balances.
	in, args = tx.db.engine.inList("order_seq", "bigint", vals, nil)
	_, err := tx.ExecContext(ctx, `
SELECT b.item_id FROM balances b
JOIN (SELECT DISTINCT item_id, location_id FROM allocations WHERE `+in+`) a
    ON a.item_id = b.item_id AND a.location_id = b.location_id
ORDER BY b.item_id, b.location_id FOR UPDATE OF b`, args...)
	if err != nil {
		return fmt.Errorf("lock balances: %w", err)
	}
	return nil
}
