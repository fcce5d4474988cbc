package placement

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/store/orders"
	"github.com/omshq/oms/internal/store/sqldb"
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
		o, err := tx.OrderHead(ctx, ref, false)
		if err != nil {
			return err
		}
		var data string
		err = tx.QueryRowContext(ctx, selectSourcing, o.ID).Scan(&data)
		if errors.Is(err, sql.ErrNoRows) {
			return sqldb.NotFound("order %s has no sourcing decision", o.Number)
		} else if err != nil {
			return err
		}
		if err := json.Unmarshal([]byte(data), &out); err != nil {
			return fmt.Errorf("order %s sourcing: %w", o.Number, err)
		}
		// A decision stored before placements named their line by id.
		for i, pl := range out.Sourcing.Placements {
			if pl.LineID == "" {
				out.Sourcing.Placements[i].LineID = orders.LineID(o.IDs.Seq, pl.Line)
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
		p := &orders.Pending{Draft: d}
		if err := tx.prepareOrder(ctx, p); err != nil {
			return err
		}
		// The tax oms would compute counts towards no_split_below, as when placed.
		if err := tx.computeTaxes(ctx, []*orders.Pending{p}); err != nil {
			return err
		} else if p.Err != nil {
			return p.Err
		}
		stock, sites, set, err := tx.SourcingInputs(ctx, []*orders.Pending{p}, false)
		if err != nil {
			return err
		}
		pts, err := tx.ShipPoints(ctx, []*oms.Order{p.Order})
		if err != nil {
			return err
		}
		out = orders.Source(p.Order, p.LineItems, p.Channel, stock, sites, nil, nil, p.IDs.Location, set, pts[p.Order])
		if len(refused(p, out)) > 0 {
			out.Summary += "; channel " + p.Channel.Code + " rejects backorders: placed now, this order would be refused (409 out_of_stock)"
		}
		return nil
	})
	return out, err
}
