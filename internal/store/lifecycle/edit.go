package lifecycle

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/fx"
	"github.com/omshq/oms/internal/store/orders"
	"github.com/omshq/oms/internal/tax"
	"github.com/omshq/oms/money"
)

const (
	// updateLineAmounts writes a line's quantities with its amounts: the
	// quantities must add up after every statement.
	updateLineAmounts = `
UPDATE order_lines SET quantity = $3, subtotal = $4, discount = $5, tax = $6, qty_open = $7, qty_allocated = $8,
    qty_shipped = $9, qty_cancelled = $10, qty_returned = $11
WHERE order_seq = $1 AND position = $2`
	updateOrderEdited = `
UPDATE orders SET ship_to = $2, ship_key = $3, taxes_included = $4, subtotal = $5, discount_total = $6,
    tax_total = $7, total = $8, computed_tax = $9, base_subtotal = $10, base_discount_total = $11,
    base_shipping_total = $12, base_tax_total = $13, base_duties_total = $14, base_total = $15
WHERE seq = $1`
	selectMaxEdit = `SELECT COALESCE(MAX(n), 0) FROM order_edits WHERE order_seq = $1`
	selectEdits   = `
SELECT order_seq, n, actor, version_before, version_after, changes, state_before, state_after, difference, created_at
FROM order_edits WHERE order_seq = $1 ORDER BY n`
)

var editCols = []column{{Name: "order_seq", Type: "bigint"}, {Name: "n", Type: "bigint"}, {Name: "actor", Type: "text"}, {Name: "version_before", Type: "bigint"},
	{Name: "version_after", Type: "bigint"}, {Name: "changes", Type: "text"}, {Name: "state_before", Type: "text"}, {Name: "state_after", Type: "text"},
	{Name: "total_before", Type: "bigint"}, {Name: "total_after", Type: "bigint"}, {Name: "difference", Type: "bigint"}, {Name: "created_at", Type: "timestamptz"}}

// editID is the public id of edit n of order seq: "1001-E2".
func editID(seq int64, n int) string {
	return strconv.FormatInt(seq, 10) + "-E" + strconv.Itoa(n)
}

// EditOrder applies the operations to the order (by id or number) if it is
// at version, all or nothing, in one transaction (see oms.Order.Edit for
// the rules). Lowered quantities and removed or cancelled lines release
// their reservations, which go to the orders waiting for the stock; raised
// quantities and added lines are sourced, or wait as a backorder when the
// channel takes backorders. A changed ship-to keeps the allocations made.
// The totals are computed again, with the tax rules recorded at placement
// when oms computed the tax (the new destination's rules when the ship-to
// changed), and so are the base totals. The edit is recorded with its
// order.edited event.
//
// It returns the order and the edit record; ENOTFOUND; EVERSION when
// version is 0; ESTALE when the order is at another version; EINVALID
// naming each bad field; ECONFLICT for an edit the order's fulfillment
// rules out; and EOUTOFSTOCK when added units find no stock and the channel
// rejects backorders.
func (db *DB) EditOrder(ctx context.Context, ref string, version int64, ops []oms.EditOp, by oms.Principal) (*oms.Order, *oms.OrderEdit, error) {
	actor := by.Actor()
	if version == 0 {
		return nil, nil, &oms.Error{Code: oms.EVERSION, Message: "an edit must name the order version it was made on",
			Fields: []oms.FieldError{{Field: "If-Match", Message: `is required: the order's ETag, such as "3"`}}}
	}
	var out *oms.Order
	var rec *oms.OrderEdit
	err := db.update(ctx, func(tx *Tx) error {
		o, ids, err := tx.LockOrder(ctx, ref, version)
		if err != nil {
			return err
		}
		if rec, err = tx.edit(ctx, o, ids, ops, actor); err != nil {
			return err
		}
		out, err = tx.Reread(ctx, o.Number)
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	return out, rec, nil
}

// edit applies the operations to the locked order and saves everything
// they change.
func (tx *Tx) edit(ctx context.Context, o *oms.Order, ids orders.OrderIDs, ops []oms.EditOp, actor string) (*oms.OrderEdit, error) {
	fs, err := tx.Fulfillments(ctx, "f.order_seq = $1", ids.Seq)
	if err != nil {
		return nil, err
	}
	before := o.Snapshot()
	rec := &oms.OrderEdit{OrderID: o.ID, Actor: actor, VersionBefore: o.Version, Before: before, CreatedAt: tx.Now()}
	res, err := o.Edit(ops, Plain(fs))
	if err != nil {
		return nil, err
	}
	if err := tx.addLines(ctx, o, ids, ops, len(before.Lines)); err != nil {
		return nil, err
	}
	asked := waitingMore(o.Lines, before.Lines)
	if err := tx.retax(ctx, o, before.ShipTo); err != nil {
		return nil, err
	}
	if err := tx.release(ctx, o, ids, res.Releases, actor); err != nil {
		return nil, err
	}
	for _, r := range res.Releases {
		orders.TakeFromFulfillments(fs, r.LineID, ids.Location[r.Location], r.Quantity)
	}
	if fs, err = tx.resource(ctx, o, ids, fs, "order edited", actor); err != nil {
		return nil, err
	}
	if err := tx.refuseShort(ctx, o, ids, before.Lines, asked); err != nil {
		return nil, err
	}
	if err := tx.saveEdited(ctx, o, ids, before.Lines); err != nil {
		return nil, err
	}
	if err := tx.saveOrder(ctx, o, ids, fs); err != nil {
		return nil, err
	}
	rec.VersionAfter, rec.Changes, rec.After = o.Version, res.Changes, o.Snapshot()
	rec.Difference = rec.After.Total - rec.Before.Total
	if err := tx.recordEdit(ctx, o, ids, rec); err != nil {
		return nil, err
	}
	if err := tx.OrderMoved(ctx, o, actor, false); err != nil {
		return nil, err
	}
	return rec, tx.giveBack(ctx, ids, res.Releases, actor)
}

// addLines gives the lines the edit added their ids and items, and inserts
// them. It returns EINVALID naming the operation of an unknown SKU.
func (tx *Tx) addLines(ctx context.Context, o *oms.Order, ids orders.OrderIDs, ops []oms.EditOp, first int) error {
	if len(o.Lines) == first {
		return nil
	}
	var skus []string
	for _, l := range o.Lines[first:] {
		skus = append(skus, l.SKU)
	}
	refs, err := tx.ItemRefs(ctx, skus)
	if err != nil {
		return err
	}
	var p oms.Problems
	var rows []orders.LineRow
	pos := first
	for i, op := range ops {
		if op.Kind != oms.EditAddLine {
			continue
		}
		l := &o.Lines[pos]
		ref, ok := refs[l.SKU]
		if !ok {
			p.Add(fmt.Sprintf("operations[%d].sku", i), "no item has SKU %q", l.SKU)
		}
		l.ID = orders.LineID(ids.Seq, pos)
		ids.Items[l.ID] = ref.ID
		rows = append(rows, orders.LineRow{Seq: ids.Seq, Position: pos, Item: ref.ID, SKU: l.SKU, Quantity: l.Quantity,
			UnitPrice: l.UnitPrice, Subtotal: l.Subtotal, Discount: l.Discount, Tax: l.Tax, Open: l.Open,
			Allocated: l.Allocated, Shipped: l.Shipped, Cancelled: l.Cancelled, Returned: l.Returned, Cost: ref.Cost})
		pos++
	}
	if err := p.Err(); err != nil {
		return err
	}
	return tx.InsertRows(ctx, "order_lines", orders.LineCols, orders.RowsOf(rows), "")
}

// retax charges again the tax of an order whose tax oms computed: with the
// rules recorded when it was placed, or, when the ship-to changed, with the
// rules in force for the new destination, as placement would.
func (tx *Tx) retax(ctx context.Context, o *oms.Order, shipTo *oms.Address) error {
	tc := o.ComputedTax
	if tc == nil {
		return nil
	}
	if o.ShipTo != nil && (shipTo == nil || !orders.SameAddress(*o.ShipTo, *shipTo)) {
		rules, err := tx.DB.Settings.TaxRulesIn(ctx, tx.Seam())
		if err != nil {
			return err
		}
		return rules.Charge(o, o.ShipTo)
	}
	rules := make(tax.Rules, 0, len(tc.Rules))
	for _, r := range tc.Rules {
		rate, err := tax.ParseRate(r.Rate)
		if err != nil {
			return fmt.Errorf("order %s: recorded tax rate %q: %w", o.Number, r.Rate, err)
		}
		country, region := tax.ParseKey(r.Key)
		rules = append(rules, tax.Rule{Country: country, Region: region, Rate: rate, Inclusive: tc.Inclusive, Name: r.Name})
	}
	var dest *oms.Address
	if tc.Destination != "" {
		country, region := tax.ParseKey(tc.Destination)
		dest = &oms.Address{Country: country, Region: region}
	}
	return rules.Charge(o, dest)
}

// waitingMore is, per line, how many more units the edit left waiting for
// stock than before it (lines added count from none): what it asks
// sourcing for.
func waitingMore(lines, before []oms.Line) []int64 {
	out := make([]int64, len(lines))
	for i, l := range lines {
		var was int64
		if i < len(before) {
			was = before[i].Open
		}
		out[i] = max(l.Open-was, 0)
	}
	return out
}

// refuseShort returns EOUTOFSTOCK when sourcing left some of the units the
// edit asked for (asked, per line) waiting and the order's channel rejects
// backorders. As placement does, it lists per SKU the units asked for and
// those found. Pre-order items wait whatever the policy, and so does a line
// whose SKU oms does not know, held until it is mapped.
func (tx *Tx) refuseShort(ctx context.Context, o *oms.Order, ids orders.OrderIDs, before []oms.Line, asked []int64) error {
	var skus []string
	for i, l := range o.Lines {
		if asked[i] > 0 && ids.Items[l.ID] != 0 {
			skus = append(skus, l.SKU)
		}
	}
	if len(skus) == 0 {
		return nil
	}
	refs, err := tx.ItemRefs(ctx, skus)
	if err != nil {
		return err
	}
	var short []oms.Shortage
	at := map[string]int{}
	for i, l := range o.Lines {
		if ref, ok := refs[l.SKU]; asked[i] == 0 || !ok || ref.Preorder {
			continue
		}
		j, ok := at[l.SKU]
		if !ok {
			j = len(short)
			at[l.SKU] = j
			short = append(short, oms.Shortage{SKU: l.SKU})
		}
		var was int64
		if i < len(before) {
			was = before[i].Open
		}
		// Sourcing may also have placed units that waited before the edit.
		left := min(max(l.Open-was, 0), asked[i])
		short[j].Requested += asked[i]
		short[j].Available += asked[i] - left
	}
	short = slices.DeleteFunc(short, func(s oms.Shortage) bool { return s.Available >= s.Requested })
	if len(short) == 0 {
		return nil
	}
	ch, err := tx.ChannelOf(ctx, &oms.OrderDraft{Channel: o.Channel, Currency: o.Currency, ForeignCurrency: true})
	if err != nil || ch.Policy != oms.BackorderReject {
		return err
	}
	return &oms.Error{Code: oms.EOUTOFSTOCK, Message: "not enough stock for this edit", Short: short}
}

// saveEdited writes the edited lines' quantities and amounts, and the
// order's ship-to, tax and totals, in its own and the base currency.
func (tx *Tx) saveEdited(ctx context.Context, o *oms.Order, ids orders.OrderIDs, before []oms.Line) error {
	for i, l := range o.Lines[:len(before)] {
		b := before[i]
		if l.Quantity == b.Quantity && l.Subtotal == b.Subtotal && l.Discount == b.Discount && l.Tax == b.Tax {
			continue
		}
		if _, err := tx.ExecContext(ctx, updateLineAmounts, ids.Seq, i, l.Quantity, l.Subtotal, l.Discount, l.Tax,
			l.Open, l.Allocated, l.Shipped, l.Cancelled, l.Returned); err != nil {
			return fmt.Errorf("line %s: %w", l.ID, err)
		}
	}
	if o.Base != nil {
		d, err := time.Parse(time.DateOnly, o.Base.RateDate)
		if err != nil {
			return fmt.Errorf("order %s base rate date: %w", o.Number, err)
		}
		b, err := fx.AtRate(o.Totals, o.Currency, o.Base.Currency, o.Base.Rate, d)
		if err != nil {
			return err
		}
		o.Base = &b
	}
	shipTo, err := jsonOrNull(o.ShipTo)
	if err != nil {
		return err
	}
	computed, err := jsonOrNull(o.ComputedTax)
	if err != nil {
		return err
	}
	var base [6]any
	if b := o.Base; b != nil {
		base = [6]any{b.Subtotal, b.DiscountTotal, b.ShippingTotal, b.TaxTotal, b.DutiesTotal, b.Total}
	}
	_, err = tx.ExecContext(ctx, updateOrderEdited, ids.Seq, shipTo, oms.AddressKey(o.ShipTo), o.TaxesIncluded,
		o.Subtotal, o.DiscountTotal, o.TaxTotal, o.Total, computed, base[0], base[1], base[2], base[3], base[4], base[5])
	return err
}

// jsonOrNull is v as JSON text, or NULL for a nil pointer.
func jsonOrNull[T any](v *T) (any, error) {
	if v == nil {
		return nil, nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return string(b), nil
}

// recordEdit numbers the edit and writes its row and its order.edited
// event.
func (tx *Tx) recordEdit(ctx context.Context, o *oms.Order, ids orders.OrderIDs, rec *oms.OrderEdit) error {
	var n int
	if err := tx.QueryRowContext(ctx, selectMaxEdit, ids.Seq).Scan(&n); err != nil {
		return err
	}
	rec.ID = editID(ids.Seq, n+1)
	changes, err := json.Marshal(rec.Changes)
	if err != nil {
		return err
	}
	before, err := json.Marshal(rec.Before)
	if err != nil {
		return err
	}
	after, err := json.Marshal(rec.After)
	if err != nil {
		return err
	}
	if err := tx.InsertRows(ctx, "order_edits", editCols, [][]any{{ids.Seq, n + 1, rec.Actor, rec.VersionBefore,
		rec.VersionAfter, string(changes), string(before), string(after), rec.Before.Total, rec.After.Total,
		rec.Difference, tx.Now()}}, ""); err != nil {
		return err
	}
	return tx.AddEvent(ctx, oms.EventOrderEdited, rec.ID, o.ID, rec.Actor, oms.OrderEdited{Number: o.Number,
		Edit: rec.ID, Changes: rec.Changes, TotalBefore: rec.Before.Total, TotalAfter: rec.After.Total,
		Difference: rec.Difference, Currency: o.Currency, Status: o.Status, Version: rec.VersionAfter})
}

// giveBack offers the released stock to the orders waiting for it.
func (tx *Tx) giveBack(ctx context.Context, ids orders.OrderIDs, rs []oms.Release, actor string) error {
	done := map[int64]bool{}
	for _, r := range rs {
		if item := ids.Items[r.LineID]; !done[item] {
			done[item] = true
			if err := tx.AllocateWaiting(ctx, item, actor); err != nil {
				return err
			}
		}
	}
	return nil
}

// EventSummary describes an event for the timeline: an edit says what it
// changed and what it did to the total; other events are named.
func EventSummary(e oms.Event) string {
	var d struct {
		Changes    []string `json:"changes"`
		Difference int64    `json:"difference"`
		Currency   string   `json:"currency"`
	}
	if s, ok := cancelSummary(e); ok {
		return s
	}
	if e.Type != oms.EventOrderEdited || json.Unmarshal(e.Data, &d) != nil || len(d.Changes) == 0 {
		return orders.Summarize(e.Type)
	}
	sign := "+"
	if d.Difference < 0 {
		sign = "-"
	}
	return fmt.Sprintf("Order edited: %s. Total %s%s %s", strings.Join(d.Changes, "; "), sign,
		money.Format(max(d.Difference, -d.Difference), d.Currency), d.Currency)
}

// OrderEdits returns the edits of the order (by id or number), oldest
// first, or ENOTFOUND.
func (db *DB) OrderEdits(ctx context.Context, ref string) ([]oms.OrderEdit, error) {
	var out []oms.OrderEdit
	err := db.view(ctx, func(tx *Tx) error {
		h, err := tx.OrderHead(ctx, ref, false)
		if err != nil {
			return err
		}
		out, err = tx.edits(ctx, h.ID, h.IDs.Seq)
		return err
	})
	return out, err
}

func (tx *Tx) edits(ctx context.Context, orderID string, seq int64) ([]oms.OrderEdit, error) {
	rows, err := tx.QueryContext(ctx, selectEdits, seq)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []oms.OrderEdit{}
	for rows.Next() {
		e := oms.OrderEdit{OrderID: orderID}
		var n int
		var changes, before, after string
		if err := rows.Scan(&seq, &n, &e.Actor, &e.VersionBefore, &e.VersionAfter, &changes, &before, &after,
			&e.Difference, &e.CreatedAt); err != nil {
			return nil, err
		}
		e.ID, e.CreatedAt = editID(seq, n), e.CreatedAt.UTC()
		for _, f := range []struct {
			raw string
			v   any
		}{{changes, &e.Changes}, {before, &e.Before}, {after, &e.After}} {
			if err := json.Unmarshal([]byte(f.raw), f.v); err != nil {
				return nil, fmt.Errorf("edit %s: %w", e.ID, err)
			}
		}
		out = append(out, e)
	}
	return out, rows.Err()
}
