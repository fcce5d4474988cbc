package orders

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/store/sqldb"
)

const (
	selectFulfillments = `
SELECT f.order_seq, f.n, f.location_id, l.code, f.pickup, f.status, f.carrier, f.service, f.tracking_number,
    f.tracking_url, f.created_at, f.updated_at, f.shipped_at, f.delivered_at, o.id, f.reject_reason,
    COALESCE(o.pickup_location, '')
FROM fulfillments f JOIN locations l ON l.id = f.location_id JOIN orders o ON o.seq = f.order_seq
WHERE %s
ORDER BY f.order_seq, f.n%s`
	selectFulfillmentLines = `
SELECT fl.order_seq, fl.n, fl.position, ol.sku, fl.quantity
FROM fulfillment_lines fl JOIN order_lines ol ON ol.order_seq = fl.order_seq AND ol.position = fl.position
WHERE %s
ORDER BY fl.order_seq, fl.n, fl.position`
	updateFulfillment = `
UPDATE fulfillments SET status = $3, carrier = $4, service = $5, tracking_number = $6, tracking_url = $7,
    updated_at = $8, shipped_at = $9, delivered_at = $10, reject_reason = $11
WHERE order_seq = $1 AND n = $2`
	deleteFulfillmentLines = `DELETE FROM fulfillment_lines WHERE order_seq = $1 AND n = $2`
)

// Fulfillment is a fulfillment with its keys, as a transaction changes it.
type Fulfillment struct {
	oms.Fulfillment
	seq        int64
	N          int
	LocationID int64
	Changed    bool // save its row and lines
	isNew      bool // insert rather than update
}

// Fulfillments loads the fulfillments matching where (a condition on f.*),
// with their lines.
func (tx *Tx) Fulfillments(ctx context.Context, where string, args ...any) ([]*Fulfillment, error) {
	return tx.FulfillmentsLimit(ctx, where, 0, args...)
}

// FulfillmentsLimit is fulfillments, at most limit of them (0: all).
func (tx *Tx) FulfillmentsLimit(ctx context.Context, where string, limit int, args ...any) ([]*Fulfillment, error) {
	suffix := ""
	if limit > 0 {
		suffix = " LIMIT " + strconv.Itoa(limit)
	}
	rows, err := tx.QueryContext(ctx, fmt.Sprintf(selectFulfillments, where, suffix), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*Fulfillment
	byKey := make(map[[2]int64]*Fulfillment)
	var seqs []any
	for rows.Next() {
		f := &Fulfillment{}
		var shipped, delivered sql.NullTime
		if err := rows.Scan(&f.seq, &f.N, &f.LocationID, &f.Location, &f.Pickup, &f.Status, &f.Carrier, &f.Service,
			&f.TrackingNumber, &f.TrackingURL, &f.CreatedAt, &f.UpdatedAt, &shipped, &delivered, &f.OrderID, &f.RejectReason,
			&f.DeliverTo); err != nil {
			return nil, err
		}
		if !f.Pickup || f.DeliverTo == f.Location {
			f.DeliverTo = "" // only a fulfillment shipping to another store has a destination
		}
		f.ID = oms.FulfillmentID(f.seq, f.N)
		f.OrderNumber = strconv.FormatInt(f.seq, 10)
		f.CreatedAt, f.UpdatedAt = f.CreatedAt.UTC(), f.UpdatedAt.UTC()
		f.ShippedAt, f.DeliveredAt = utcPtr(shipped), utcPtr(delivered)
		f.Lines = []oms.FulfillmentLine{}
		out = append(out, f)
		byKey[[2]int64{f.seq, int64(f.N)}] = f
		if len(seqs) == 0 || seqs[len(seqs)-1] != f.seq {
			seqs = append(seqs, f.seq)
		}
	}
	if err := rows.Err(); err != nil || len(out) == 0 {
		return out, err
	}
	rows.Close()
	in, args := tx.DB.Engine.InList("fl.order_seq", "bigint", seqs, nil)
	lrows, err := tx.QueryContext(ctx, fmt.Sprintf(selectFulfillmentLines, in), args...)
	if err != nil {
		return nil, err
	}
	defer lrows.Close()
	for lrows.Next() {
		var seq, n int64
		var pos int
		var l oms.FulfillmentLine
		if err := lrows.Scan(&seq, &n, &pos, &l.SKU, &l.Quantity); err != nil {
			return nil, err
		}
		if f := byKey[[2]int64{seq, n}]; f != nil {
			l.LineID = LineID(seq, pos)
			f.Lines = append(f.Lines, l)
		}
	}
	return out, lrows.Err()
}

// utcPtr is the time in UTC, or nil for NULL (sqldb.UTCPtr).
func utcPtr(t sql.NullTime) *time.Time { return sqldb.UTCPtr(t) }

// States lists the state of the fulfillments, for DeriveStatus.
func States(fs []*Fulfillment) []oms.FulfillmentState {
	out := make([]oms.FulfillmentState, len(fs))
	for i, f := range fs {
		out[i] = f.State()
	}
	return out
}

// SaveFulfillments writes the fulfillments marked changed or new.
func (tx *Tx) SaveFulfillments(ctx context.Context, o *oms.Order, fs []*Fulfillment) error {
	var newRows []FulfillmentRow
	var lines []FulfillmentLineRow
	for _, f := range fs {
		if !f.Changed {
			continue
		}
		f.UpdatedAt = tx.Now()
		if f.isNew {
			f.CreatedAt = tx.Now()
			newRows = append(newRows, FulfillmentRow{f.seq, f.N, f.LocationID, f.Pickup, string(f.Status), tx.Now(), tx.Now(), nullTimePtr(f.ShippedAt)})
		} else {
			if _, err := tx.ExecContext(ctx, updateFulfillment, f.seq, f.N, string(f.Status), f.Carrier, f.Service,
				f.TrackingNumber, f.TrackingURL, tx.Now(), f.ShippedAt, f.DeliveredAt, f.RejectReason); err != nil {
				return fmt.Errorf("fulfillment %s: %w", f.ID, err)
			}
			if _, err := tx.ExecContext(ctx, deleteFulfillmentLines, f.seq, f.N); err != nil {
				return err
			}
		}
		for _, l := range f.Lines {
			lines = append(lines, FulfillmentLineRow{f.seq, f.N, LinePosition(o, l.LineID), l.Quantity})
		}
	}
	return tx.InsertMany(ctx, []Insert{{"fulfillments", FulfillmentCols, RowsOf(newRows)},
		{"fulfillment_lines", FulfillmentLineCols, RowsOf(lines)}})
}

// LinePosition returns the index of the line in the order, or -1.
func LinePosition(o *oms.Order, id string) int {
	return slices.IndexFunc(o.Lines, func(l oms.Line) bool { return l.ID == id })
}

// TakeFromFulfillments removes qty units of the line from the order's open
// fulfillments at the location — the least advanced first — as their
// reservation is released. A fulfillment left with nothing is cancelled; its
// lines stay as they were, for the record.
func TakeFromFulfillments(fs []*Fulfillment, lineID string, locationID int64, qty int64) {
	order := []oms.FulfillmentStatus{oms.FulfillmentPending, oms.FulfillmentPicking, oms.FulfillmentPacked, oms.FulfillmentReadyForPickup}
	for _, st := range order {
		for _, f := range fs {
			if qty == 0 {
				return
			}
			if f.Status != st || f.LocationID != locationID || f.ShippedAt != nil {
				continue
			}
			left := f.Quantity(lineID)
			take := min(qty, left)
			if take == 0 {
				continue
			}
			qty -= take
			f.Changed = true
			if sumLines(f.Lines) == take {
				f.Status = oms.FulfillmentCancelled
				continue
			}
			f.Lines = reduceLine(f.Lines, lineID, take)
		}
	}
}

func sumLines(ls []oms.FulfillmentLine) int64 {
	var n int64
	for _, l := range ls {
		n += l.Quantity
	}
	return n
}

// reduceLine takes n units of the line out of ls, dropping emptied lines.
func reduceLine(ls []oms.FulfillmentLine, lineID string, n int64) []oms.FulfillmentLine {
	out := ls[:0]
	for _, l := range ls {
		if l.LineID == lineID && n > 0 {
			take := min(n, l.Quantity)
			l.Quantity -= take
			n -= take
		}
		if l.Quantity > 0 {
			out = append(out, l)
		}
	}
	return out
}

// AddToFulfillments puts newly allocated units of a line into the order's
// pending fulfillment at the location, or into a new one.
func AddToFulfillments(fs []*Fulfillment, o *oms.Order, seq int64, l oms.Line, location string, locationID int64, qty int64) []*Fulfillment {
	for _, f := range fs {
		if f.Status == oms.FulfillmentPending && f.LocationID == locationID {
			f.Changed = true
			for i := range f.Lines {
				if f.Lines[i].LineID == l.ID {
					f.Lines[i].Quantity += qty
					return fs
				}
			}
			f.Lines = append(f.Lines, oms.FulfillmentLine{LineID: l.ID, SKU: l.SKU, Quantity: qty})
			return fs
		}
	}
	n := 1
	for _, f := range fs {
		n = max(n, f.N+1)
	}
	f := &Fulfillment{seq: seq, N: n, LocationID: locationID, Changed: true, isNew: true}
	f.ID, f.OrderID, f.OrderNumber, f.Location = oms.FulfillmentID(seq, n), o.ID, o.Number, location
	f.Pickup, f.Status = o.PickupLocation != "", oms.FulfillmentPending
	if f.Pickup && location != o.PickupLocation {
		f.DeliverTo = o.PickupLocation
	}
	f.Lines = []oms.FulfillmentLine{{LineID: l.ID, SKU: l.SKU, Quantity: qty}}
	return append(fs, f)
}
