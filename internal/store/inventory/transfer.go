package inventory

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
func (r *Stockroom) CreateTransfer(ctx context.Context, t oms.Transfer, by oms.Principal) (*oms.Supply, error) {
	actor := by.Actor()
	if err := t.Validate(); err != nil {
		return nil, err
	}
	s := t.Supply()
	err := r.store.Update(ctx, func(tx Tx) error {
		itemID, toID, err := ItemAndLocation(ctx, tx, t.SKU, t.To)
		var e *oms.Error
		if errors.As(err, &e) && len(e.Fields) == 1 && e.Fields[0].Field == "location" {
			return oms.Invalid("to", "%s", e.Fields[0].Message)
		} else if err != nil {
			return err
		}
		fromID, err := tx.Location(ctx, t.From)
		if oms.ErrorCode(err) == oms.ENOTFOUND {
			return oms.Invalid("from", "no location has code %q", t.From)
		} else if err != nil {
			return err
		}
		if err := tx.EnsureBalance(ctx, itemID, fromID); err != nil {
			return err
		}
		if _, err := tx.Move(ctx, Move{Item: itemID, Location: fromID, SKU: t.SKU, LocationCode: t.From,
			Kind: oms.MoveTransfer, Delta: -t.Quantity, Reference: "transfer to " + t.To + " " + t.Reference,
			Actor: actor}); err != nil {
			return err
		}
		now := tx.Now()
		if err := tx.QueryRowContext(ctx, insertSupply, itemID, toID, s.Kind, s.Reference, s.Quantity, s.ETA, now).Scan(&s.ID); err != nil {
			return err
		}
		s.Status, s.CreatedAt, s.UpdatedAt = "open", now, now
		return tx.AddEvent(ctx, oms.EventTransferShipped, fmt.Sprint(s.ID), "", actor, oms.TransferShipped{
			Supply: s, From: t.From})
	})
	return s, err
}
