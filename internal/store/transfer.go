package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/omshq/oms"
)

// Transfer moves stock between locations: it leaves the source at once (a
// ledger movement out) and travels as supply of kind transfer to the
// destination, where receiving it brings it in.
type Transfer struct {
	SKU       string
	From, To  string
	Quantity  int64
	ETA       time.Time
	Reference string
}

// supply is the transfer as the supply it becomes at its destination.
func (t Transfer) supply() *oms.Supply {
	s := &oms.Supply{SKU: t.SKU, Location: t.To, Kind: "transfer", Quantity: t.Quantity,
		ETA: t.ETA.UTC().Truncate(time.Microsecond), Reference: t.Reference}
	if s.Reference == "" {
		s.Reference = "transfer from " + t.From
	}
	return s
}

// Validate checks a transfer and returns an EINVALID error naming each bad
// field as the request names it (the destination is "to").
func (t Transfer) Validate() error {
	var p oms.Problems
	var e *oms.Error
	if errors.As(t.supply().Validate(), &e) {
		for _, f := range e.Fields {
			if f.Field == "location" {
				f.Field = "to"
			}
			p = append(p, f)
		}
	}
	if t.From == t.To {
		p.Add("to", "must differ from the source location")
	}
	return p.Err()
}

// CreateTransfer ships a transfer out of its source and returns the supply
// in transit to the destination. It returns EINVALID for a bad field or
// unknown SKU or location, and ECONFLICT when the source cannot spare the
// units (they are reserved or not there).
func (db *DB) CreateTransfer(ctx context.Context, t Transfer, actor string) (*oms.Supply, error) {
	if err := t.Validate(); err != nil {
		return nil, err
	}
	s := t.supply()
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
