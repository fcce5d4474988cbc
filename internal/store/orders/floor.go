package orders

import (
	"context"
)

// Savepoint runs fn inside a savepoint and undoes what it wrote if it
// fails. What the transaction keeps in memory for the report rollups stays
// right: an order's figures are read when it is first touched, which is
// before anything fn undoes.
func (tx *Tx) Savepoint(ctx context.Context, fn func() error) error {
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
