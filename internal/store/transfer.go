package store

import (
	"context"
	"errors"
	"fmt"

	"github.com/omshq/oms"
)

// CreateTransfer ships a transfer out of its source and returns the supply
// in transit to the destination. It returns EINVALID for a bad field or
// unknown SKU or location, and ECONFLICT when the source cannot spare the
// units (they are reserved or not there).
func (db *DB) CreateTransfer(ctx context.Context, t oms.Transfer, by oms.Principal) (*oms.Supply, error) {
	actor := by.Actor()
	if err := t.Validate(); err != nil {
		return nil, err
	}
	s := t.Supply()
	err := db.update(ctx, func(tx *Tx) error {
		itemID, toID, err := tx.itemAndLocation(ctx, t.SKU, t.To)
		var e *oms.Error
		if errors.As(err, &e) && len(e.Fields) == 1 && e.Fields[0].Field == "location" {
			return oms.Invalid("to", "%s", e.Fields[0].Message)
		} else if err != nil {
			return err
		}
		_, fromID, err := tx.location(ctx, t.From)
		if oms.ErrorCode(err) == oms.ENOTFOUND {
			return oms.Invalid("from", "no location has code %q", t.From)
		} else if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, ensureBalance, itemID, fromID, tx.now); err != nil {
			return err
		}
		if _, err := tx.apply(ctx, move{itemID: itemID, locationID: fromID, sku: t.SKU, location: t.From,
			kind: oms.MoveTransfer, delta: -t.Quantity, reference: "transfer to " + t.To + " " + t.Reference,
			actor: actor}); err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, insertSupply, itemID, toID, s.Kind, s.Reference, s.Quantity, s.ETA, tx.now).Scan(&s.ID); err != nil {
			return err
		}
		s.Status, s.CreatedAt, s.UpdatedAt = "open", tx.now, tx.now
		return tx.addEvent(ctx, oms.EventTransferShipped, fmt.Sprint(s.ID), "", actor, oms.TransferShipped{
			Supply: s, From: t.From})
	})
	return s, err
}
