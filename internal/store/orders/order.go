package orders

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/store/sqldb"
)

const (
	SetOrderStatus = `
UPDATE orders SET status = $2, updated_at = $3, version = version + $4 WHERE seq = $1`
	selectOrderHead = `
SELECT o.seq, o.id, c.code, o.external_id, o.status, o.currency, o.customer_email, o.customer_name,
    o.customer_phone, o.ship_to, o.taxes_included, o.subtotal, o.discount_total, o.shipping_total,
    o.tax_total, o.total, o.placed_at, o.created_at, o.updated_at, o.version, o.pickup_location, o.billing,
    o.duties_total, o.incoterm, o.channel_total, o.mismatches, o.fulfilled_by_channel, o.amounts_unknown,
    o.base_currency, o.base_rate, o.base_rate_date, o.base_subtotal, o.base_discount_total,
    o.base_shipping_total, o.base_tax_total, o.base_duties_total, o.base_total, o.computed_tax
FROM orders o JOIN channels c ON c.id = o.channel_id`
	selectLines = `
SELECT order_seq, position, item_id, sku, quantity, unit_price, subtotal, discount, tax, qty_open, qty_allocated,
    qty_shipped, qty_cancelled, qty_returned
FROM order_lines WHERE %s ORDER BY order_seq, position`
	// selectAllocations lists each line's allocations from the most to the
	// least preferred location, so that a cancellation, which releases from
	// the end, gives back the least preferred first.
	selectAllocations = `
SELECT a.order_seq, a.position, a.location_id, l.code, a.quantity
FROM allocations a JOIN locations l ON l.id = a.location_id
WHERE %s ORDER BY a.order_seq, a.position, l.priority, l.code`
)

// OrderIDs are an order's internal keys, which the API never shows.
type OrderIDs struct {
	Seq      int64
	Items    map[string]int64 // line id → item id
	Location map[string]int64 // location code → id
}

// LineID is the public id of the line at position (from 0) of order seq:
// "1001-1" is the first line of order 1001.
func LineID(seq int64, position int) string {
	return strconv.FormatInt(seq, 10) + "-" + strconv.Itoa(position+1)
}

const updateLineQuantities = `
UPDATE order_lines SET qty_open = $3, qty_allocated = $4, qty_shipped = $5, qty_cancelled = $6, qty_returned = $7
WHERE order_seq = $1 AND position = $2`

func (tx *Tx) SaveLineQuantities(ctx context.Context, o *oms.Order, seq int64) error {
	for i, l := range o.Lines {
		if _, err := tx.ExecContext(ctx, updateLineQuantities, seq, i, l.Open, l.Allocated, l.Shipped,
			l.Cancelled, l.Returned); err != nil {
			return fmt.Errorf("line %s: %w", l.ID, err)
		}
	}
	return nil
}

// Insert is rows for one table.
type Insert struct {
	Table string
	Cols  []column
	Rows  [][]any
}

// InsertMany inserts rows into several tables: in one statement on
// PostgreSQL (each insert but the last in a WITH), one per table on SQLite.
func (tx *Tx) InsertMany(ctx context.Context, ins []Insert) error {
	if tx.DB.Engine.Name != "postgres" {
		for _, in := range ins {
			if err := tx.InsertRows(ctx, in.Table, in.Cols, in.Rows, ""); err != nil {
				return err
			}
		}
		return nil
	}
	var parts []string
	var args []any
	for _, in := range ins {
		if len(in.Rows) == 0 {
			continue
		}
		var src string
		src, args = tx.DB.Engine.RowSource(in.Cols, in.Rows, args)
		parts = append(parts, "INSERT INTO "+in.Table+" ("+sqldb.ColumnNames(in.Cols)+") "+src)
	}
	if len(parts) == 0 {
		return nil
	}
	q := parts[len(parts)-1]
	if len(parts) > 1 {
		with := make([]string, len(parts)-1)
		for i, p := range parts[:len(parts)-1] {
			with[i] = fmt.Sprintf("i%d AS (%s)", i, p)
		}
		q = "WITH " + strings.Join(with, ", ") + " " + q
	}
	if _, err := tx.ExecContext(ctx, q, args...); err != nil {
		return fmt.Errorf("insert: %w", err)
	}
	return nil
}
