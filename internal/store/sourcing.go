package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/omshq/oms"
)

const selectSourcing = `
SELECT data FROM events
WHERE order_id = $1 AND type IN ('order.created', 'order.sourced')
ORDER BY seq DESC LIMIT 1`

// OrderSourcing returns the latest sourcing decision of the order (by id or
// number): where its units were placed, by line id, and why each location
// won or lost. Every order placed has one, an empty one when a marketplace
// fulfils it from its own stock. It returns ENOTFOUND.
func (db *DB) OrderSourcing(ctx context.Context, ref string) (oms.Sourcing, error) {
	var out struct {
		Sourcing oms.Sourcing `json:"sourcing"`
	}
	err := db.view(ctx, func(tx *Tx) error {
		o, err := tx.orderHead(ctx, ref, false)
		if err != nil {
			return err
		}
		var data string
		err = tx.QueryRowContext(ctx, selectSourcing, o.ID).Scan(&data)
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("order %s has no sourcing decision", o.Number)
		} else if err != nil {
			return err
		}
		if err := json.Unmarshal([]byte(data), &out); err != nil {
			return fmt.Errorf("order %s sourcing: %w", o.Number, err)
		}
		// A decision stored before placements named their line by id.
		for i, pl := range out.Sourcing.Placements {
			if pl.LineID == "" {
				out.Sourcing.Placements[i].LineID = lineID(o.ids.seq, pl.Line)
			}
		}
		return nil
	})
	return out.Sourcing, err
}

// SimulateSourcing decides, on the stock as it is now, where a hypothetical
// order would come from, and writes nothing. It returns EINVALID for what
// PlaceOrder would refuse as invalid.
func (db *DB) SimulateSourcing(ctx context.Context, d *oms.OrderDraft) (oms.Sourcing, error) {
	var out oms.Sourcing
	if err := d.Validate(); err != nil {
		return out, err
	}
	err := db.view(ctx, func(tx *Tx) error {
		p := &pending{draft: d}
		if err := tx.prepareOrder(ctx, p); err != nil {
			return err
		}
		// The tax oms would compute counts towards no_split_below, as when placed.
		if err := tx.computeTaxes(ctx, []*pending{p}); err != nil {
			return err
		} else if p.err != nil {
			return p.err
		}
		stock, err := tx.readStock(ctx, []*pending{p}, false)
		if err != nil {
			return err
		}
		sites, err := tx.sites(ctx)
		if err != nil {
			return err
		}
		set, err := tx.fulfillmentSettings(ctx)
		if err != nil {
			return err
		}
		pts, err := tx.shipPoints(ctx, []*oms.Order{p.order})
		if err != nil {
			return err
		}
		out = source(p.order, p.lineItems, p.ch, stock, sites, nil, p.ids.location, set, pts[p.order])
		return nil
	})
	return out, err
}
