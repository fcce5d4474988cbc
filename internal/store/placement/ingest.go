package placement

import (
	"context"
	"database/sql"
	"encoding/json"
	"slices"
	"strings"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/store/channels"
	"github.com/omshq/oms/internal/store/orders"
)

// PlaceIngested places a new order a channel sent, its draft d, through
// order placement (channels.Hooks.Place).
func (db *DB) PlaceIngested(ctx context.Context, d *oms.OrderDraft, in *oms.Ingested, raw []byte, actor string) (*oms.Order, bool, error) {
	return db.place(ctx, d, actor, &orders.IngestExtra{Ingested: in, Raw: raw})
}

const (
	selectChannelUpdated = `SELECT channel_updated_at FROM orders WHERE seq = $1`
	// setChannelUpdated records the version applied; the order changes,
	// so its version goes up.
	setChannelUpdated = `UPDATE orders SET channel_updated_at = $2, version = version + 1, updated_at = $3 WHERE seq = $1`
	selectMaxPayload  = `SELECT COALESCE(MAX(n), 0) FROM order_payloads WHERE order_seq = $1`
	// selectSamePayload finds a stored payload of the order with exactly
	// these bytes.
	selectSamePayload = `SELECT EXISTS (SELECT 1 FROM order_payloads WHERE order_seq = $1 AND body = $2)`
	ensureMarketplace = `
INSERT INTO locations (code, name, kind, can_ship, can_pickup, priority, address, created_at, updated_at, active, channels, country)
VALUES ($1, $2, 'marketplace', FALSE, FALSE, 1000000, '{}', $3, $3, FALSE, '', '')
ON CONFLICT (code) DO NOTHING`
)

// ApplyVersion handles a delivery of an order the store already has. Only
// a newer version writes anything: a repeat (the same version, or the very
// bytes of a payload kept) and an older version change nothing and store
// nothing, so that replaying old deliveries cannot grow the database.
func (db *DB) ApplyVersion(ctx context.Context, o *oms.Order, in *oms.Ingested, raw []byte, actor string) (oms.IngestResult, error) {
	res := oms.IngestResult{Order: o}
	err := db.update(ctx, func(tx *Tx) error {
		cur, ids, err := tx.Order(ctx, o.ID, true)
		if err != nil {
			return err
		}
		res.Order = cur
		var applied sql.NullTime
		if err := tx.QueryRowContext(ctx, selectChannelUpdated, ids.Seq).Scan(&applied); err != nil {
			return err
		}
		var same bool
		if err := tx.QueryRowContext(ctx, selectSamePayload, ids.Seq, raw).Scan(&same); err != nil {
			return err
		}
		newer := !in.UpdatedAt.IsZero() && (!applied.Valid || in.UpdatedAt.After(applied.Time))
		older := !in.UpdatedAt.IsZero() && applied.Valid && in.UpdatedAt.Before(applied.Time)
		if in.UpdatedAt.IsZero() && !applied.Valid {
			// Neither this payload nor the one applied says its version (a
			// CSV row without updated_at): one that differs from every
			// payload kept is a change, applied in the order it arrives —
			// never taken for a repeat, which would lose a cancellation.
			newer = !same
		}
		switch {
		case same || !newer && !older:
			res.Outcome = oms.IngestDuplicate
			return nil // the same version again: a no-op
		case older:
			res.Outcome = oms.IngestStale
			return nil // superseded: a no-op
		}
		res.Outcome = oms.IngestUpdated
		var n int
		if err := tx.QueryRowContext(ctx, selectMaxPayload, ids.Seq).Scan(&n); err != nil {
			return err
		}
		if err := tx.InsertRows(ctx, "order_payloads", orders.PayloadCols, [][]any{{ids.Seq, n + 1, tx.Now(),
			orders.NullTime(in.UpdatedAt), true, raw}}, ""); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, setChannelUpdated, ids.Seq, orders.NullTime(in.UpdatedAt), tx.Now()); err != nil {
			return err
		}
		cur.Version, cur.UpdatedAt = cur.Version+1, tx.Now()
		data := map[string]any{"number": cur.Number, "channel_status": in.Status, "channel_updated_at": orders.NullTime(in.UpdatedAt)}
		changed, err := tx.applyChannelChanges(ctx, cur, ids, in)
		if err != nil {
			return err
		}
		if len(changed) > 0 {
			data["changed"] = changed
		}
		if in.Cancelled && canCancel(cur) {
			fs, err := tx.Fulfillments(ctx, "f.order_seq = $1", ids.Seq)
			if err != nil {
				return err
			}
			if err := tx.Cancel(ctx, cur, ids, fs, nil, oms.OrderCancelled{Reason: "cancelled on the channel"}, actor); err != nil {
				return err
			}
			data["cancelled"] = true
		}
		res.Order = cur
		return tx.AddEvent(ctx, oms.EventOrderChannelUpdated, cur.ID, cur.ID, actor, data)
	})
	return res, err
}

const updateOrderContact = `
UPDATE orders SET ship_to = $2, ship_key = $3, customer_email = $4, customer_name = $5, customer_phone = $6,
    channel_total = $7, mismatches = $8
WHERE seq = $1`

// applyChannelChanges applies to the order what a newer version changed
// beyond a cancellation: the ship-to address and the customer's contact
// (while nothing has shipped), and the reconciliation with the totals the
// channel now states. It returns the names of what changed.
func (tx *Tx) applyChannelChanges(ctx context.Context, o *oms.Order, ids orders.OrderIDs, in *oms.Ingested) ([]string, error) {
	var changed []string
	shipped := false
	for _, l := range o.Lines {
		shipped = shipped || l.Shipped > 0
	}
	d := channels.Draft(o.Channel, in)
	valid := d.Validate() == nil // an invalid version changes no contact
	if valid && !shipped && d.ShipTo != nil && (o.ShipTo == nil || !orders.SameAddress(*o.ShipTo, *d.ShipTo)) {
		o.ShipTo = d.ShipTo
		changed = append(changed, "ship_to")
	}
	c := d.Customer
	c.Email = oms.NormalizeEmail(c.Email)
	if valid && c.Email != "" && c != o.Customer {
		o.Customer = c
		changed = append(changed, "customer")
	}
	if in.Stated != (oms.Totals{}) {
		mm := in.Reconcile(o.Totals)
		if o.ChannelTotal == nil || *o.ChannelTotal != in.Stated.Total || !slices.Equal(mm, o.Mismatches) {
			o.ChannelTotal, o.Mismatches = &in.Stated.Total, mm
			changed = append(changed, "channel_totals")
		}
	}
	if len(changed) == 0 {
		return nil, nil
	}
	var shipTo any
	if o.ShipTo != nil {
		b, err := json.Marshal(o.ShipTo)
		if err != nil {
			return nil, err
		}
		shipTo = string(b)
	}
	var total any
	if o.ChannelTotal != nil {
		total = *o.ChannelTotal
	}
	_, err := tx.ExecContext(ctx, updateOrderContact, ids.Seq, shipTo, oms.AddressKey(o.ShipTo), o.Customer.Email,
		o.Customer.Name, o.Customer.Phone, total, strings.Join(o.Mismatches, "\n"))
	if err == nil && slices.Contains(changed, "customer") {
		err = tx.ReindexOrder(ctx, ids.Seq)
	}
	return changed, err
}

// canCancel reports whether the order has units left to cancel.
func canCancel(o *oms.Order) bool {
	for _, l := range o.Lines {
		if l.Open+l.Allocated > 0 {
			return true
		}
	}
	return false
}

// mapListings replaces the draft's listing SKUs that the channel maps to oms
// SKUs — a bundle becomes one line per component, its quantity multiplied;
// the listing's amounts go on the first component, its unit price the
// listing's amount divided by the component's units (see oms.UnitPrice).
func (tx *Tx) mapListings(ctx context.Context, p *orders.Pending) error {
	_, chID, err := tx.Channel(ctx, p.Draft.Channel)
	if err != nil {
		if oms.ErrorCode(err) == oms.ENOTFOUND {
			return oms.Invalid("channel", "no channel has code %q", p.Draft.Channel)
		}
		return err
	}
	listings := make([]string, 0, len(p.Draft.Lines))
	for _, l := range p.Draft.Lines {
		listings = append(listings, l.SKU)
	}
	ms, err := tx.SKUMappings(ctx, chID, listings)
	if err != nil || len(ms) == 0 {
		return err
	}
	d := *p.Draft
	d.Lines = nil
	for _, l := range p.Draft.Lines {
		comps, ok := ms[l.SKU]
		if !ok {
			d.Lines = append(d.Lines, l)
			continue
		}
		for i, c := range comps {
			line := oms.LineDraft{SKU: c.SKU, Quantity: l.Quantity * c.Quantity, Title: l.Title, ListingID: l.SKU}
			if i == 0 {
				line.Subtotal, line.Discount, line.Tax = lineAmount(l), l.Discount, l.Tax
				line.UnitPrice = oms.UnitPrice(line.Subtotal, line.Quantity, l.UnitPrice)
			}
			d.Lines = append(d.Lines, line)
		}
	}
	p.Draft = &d
	return nil
}

// lineAmount is the line's amount before discount; one too large for 64
// bits is returned as the largest, which the draft's checks refuse.
func lineAmount(l oms.LineDraft) int64 {
	if l.Subtotal != 0 {
		return l.Subtotal
	}
	return mulOrMax(l.Quantity, l.UnitPrice)
}

// prepareIngested applies to the new order what the channel said beyond the
// draft: reconciliation with its stated totals, the version applied, and a
// marketplace's own fulfilment.
func (tx *Tx) prepareIngested(ctx context.Context, p *orders.Pending, o *oms.Order) error {
	in := p.Ingest.Ingested
	if in.Stated != (oms.Totals{}) {
		o.Mismatches = in.Reconcile(o.Totals)
		o.ChannelTotal = &in.Stated.Total
	}
	if in.FulfilledByChannel || in.Shipped {
		// The units left stock oms does not keep: the marketplace's own, or
		// the merchant's before oms saw the order (oms cannot tell which of
		// its locations they left, so it moves no stock).
		code, name := p.Draft.Channel+"-marketplace", "Fulfilled by "+p.Draft.Channel
		if !in.FulfilledByChannel {
			code, name = p.Draft.Channel+"-outside", "Shipped outside oms ("+p.Draft.Channel+")"
		}
		if _, err := tx.ExecContext(ctx, ensureMarketplace, code, name, tx.Now()); err != nil {
			return err
		}
		_, id, err := tx.Location(ctx, code)
		if err != nil {
			return err
		}
		p.Ingest.Marketplace = id
		for i := range o.Lines {
			o.Lines[i].Shipped, o.Lines[i].Open = o.Lines[i].Quantity, 0
		}
		o.FulfilledByChannel = in.FulfilledByChannel
		o.Refresh(oms.FulfillmentState{Status: oms.FulfillmentShipped, Shipped: true})
	}
	if in.Cancelled {
		// A channel may send an order already cancelled: record it so.
		for i := range o.Lines {
			if o.Lines[i].Open > 0 {
				o.Lines[i].Cancelled += o.Lines[i].Open
				o.Lines[i].Open = 0
			}
		}
		o.Refresh()
	}
	// Unknown amounts are 0 in the draft; they stay unknown only on an
	// order with nothing live, whose money no report counts as a sale.
	o.AmountsUnknown = in.AmountsUnknown && o.Status == oms.StatusCancelled
	return nil
}

// ingestColumns are the order row's channel columns.
func ingestColumns(p *orders.Pending) []any {
	if p.Ingest == nil {
		return []any{nil, nil, "", false, false}
	}
	o := p.Order
	var total any
	if o.ChannelTotal != nil {
		total = *o.ChannelTotal
	}
	return []any{orders.NullTime(p.Ingest.Ingested.UpdatedAt), total, strings.Join(o.Mismatches, "\n"), o.FulfilledByChannel, o.AmountsUnknown}
}

const selectPayloads = `
SELECT n, received_at, updated_at, applied, body FROM order_payloads WHERE order_seq = $1 ORDER BY n`

// OrderPayloads returns the payloads the channel sent for the order, oldest
// first: none for an order placed through oms's own API. It returns
// ENOTFOUND for an unknown order.
func (db *DB) OrderPayloads(ctx context.Context, ref string) ([]oms.Payload, error) {
	var out []oms.Payload
	err := db.view(ctx, func(tx *Tx) error {
		_, ids, err := tx.Order(ctx, ref, false)
		if err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, selectPayloads, ids.Seq)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var p oms.Payload
			var upd sql.NullTime
			var body []byte
			if err := rows.Scan(&p.N, &p.ReceivedAt, &upd, &p.Applied, &body); err != nil {
				return err
			}
			p.ReceivedAt, p.Body = p.ReceivedAt.UTC(), string(body)
			if upd.Valid {
				t := upd.Time.UTC()
				p.ChannelUpdatedAt = &t
			}
			out = append(out, p)
		}
		return rows.Err()
	})
	return out, err
}
