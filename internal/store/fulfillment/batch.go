package fulfillment

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
func (fl *Floor) MoveFulfillments(ctx context.Context, moves []oms.BatchMove, by oms.Principal) ([]oms.MoveResult, error) {
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
	err := fl.store.Update(ctx, func(tx Tx) error {
		out = make([]oms.MoveResult, len(moves))
		if err := lockForMoves(ctx, tx, seqs); err != nil {
			return err
		}
		for _, i := range turn {
			m := moves[i]
			if err := m.Tracking.Validate(); err != nil {
				out[i].Err = err
				continue
			}
			var f oms.Fulfillment
			err := tx.Savepoint(ctx, func() (err error) {
				f, err = tx.Move(ctx, m.Fulfillment, m.FulfillmentMove, actor)
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

// lockForMoves locks, on PostgreSQL, the orders of a batch in number order
// and then the balances their allocations hold units of, in key order, before any
// move is made: the order every single move locks in (its order, then its
// balances). Two batches at one location then wait for each other instead
// of each holding balances the other needs next, which PostgreSQL would
// break as a deadlock and the batch would run again from the start. SQLite
// has one writer and needs no locks.
func lockForMoves(ctx context.Context, tx Tx, seqs []int64) error {
	engine := tx.Engine()
	if engine.Name != "postgres" {
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
	in, args := engine.InList("seq", "bigint", vals, nil)
	if _, err := tx.ExecContext(ctx, "SELECT seq FROM orders WHERE "+in+" ORDER BY seq FOR UPDATE", args...); err != nil {
		return fmt.Errorf("lock orders: %w", err)
	}
	// What a move takes from stock or gives back is allocated at a
	// location: those balances.
	in, args = engine.InList("order_seq", "bigint", vals, nil)
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
