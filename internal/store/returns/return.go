package returns

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/store/sqldb"
)

// Returns (RMA): asked for, approved (an exchange places its replacement
// order then), received into stock or scrap, and closed with their refund.

const (
	insertReturn = `
INSERT INTO returns (order_seq, status, source, comment, quote, exchange_total, requested_by, created_at, updated_at, version)
VALUES ($1, 'requested', $2, $3, $4, $5, $6, $7, $7, 1) RETURNING id`
	insertReturnLine = `
INSERT INTO return_lines (return_id, n, position, quantity, received, reason, item_condition) VALUES ($1, $2, $3, $4, 0, $5, $6)`
	insertExchangeLine = `
INSERT INTO exchange_lines (return_id, n, sku, quantity, unit_price, tax) VALUES ($1, $2, $3, $4, $5, $6)`
	insertReturnUnit = `
INSERT INTO return_units (return_id, n, position, quantity, item_condition, disposition, location_id, ledger_id)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`
	updateReturn = `
UPDATE returns SET status = $2, quote = $3, exchange_order_seq = $4, refund_id = $5, updated_at = $6, version = version + 1
WHERE id = $1`
	updateReturnLineReceived = `UPDATE return_lines SET received = $3 WHERE return_id = $1 AND n = $2`
	insertOrderLink          = `INSERT INTO order_links (order_seq, linked_seq, kind, return_id) VALUES ($1, $2, $3, $4)`
	selectOrderLinks         = `
SELECT k.kind, o.id, k.return_id FROM order_links k JOIN orders o ON o.seq = k.linked_seq
WHERE k.order_seq = $1 ORDER BY k.return_id`
	selectReturnCols = `
SELECT r.id, o.id, r.order_seq, o.currency, r.status, r.source, r.comment, r.quote, r.exchange_total, x.id,
    r.refund_id, r.requested_by, r.created_at, r.updated_at, r.version
FROM returns r JOIN orders o ON o.seq = r.order_seq LEFT JOIN orders x ON x.seq = r.exchange_order_seq`
	selectReturnLines = `
SELECT rl.return_id, rl.position, ol.sku, rl.quantity, rl.received, rl.reason, rl.item_condition, r.order_seq
FROM return_lines rl JOIN returns r ON r.id = rl.return_id
JOIN order_lines ol ON ol.order_seq = r.order_seq AND ol.position = rl.position
WHERE %s ORDER BY rl.return_id, rl.n`
	selectReturnUnits = `
SELECT ru.return_id, ru.position, ol.sku, ru.quantity, ru.item_condition, ru.disposition, l.code, ru.ledger_id, r.order_seq
FROM return_units ru JOIN returns r ON r.id = ru.return_id
JOIN order_lines ol ON ol.order_seq = r.order_seq AND ol.position = ru.position
LEFT JOIN locations l ON l.id = ru.location_id
WHERE %s ORDER BY ru.return_id, ru.n`
	selectExchangeLines = `
SELECT return_id, sku, quantity, unit_price, tax FROM exchange_lines WHERE %s ORDER BY return_id, n`
	// selectPendingReturnUnits sums, per order line, the units on returns
	// not yet received.
	selectPendingReturnUnits = `
SELECT rl.position, SUM(rl.quantity) FROM return_lines rl JOIN returns r ON r.id = rl.return_id
WHERE r.order_seq = $1 AND r.status IN ('requested', 'approved') GROUP BY rl.position`
)

// returnID is the public id of return n: "ret_12".
func returnID(n int64) string { return "ret_" + strconv.FormatInt(n, 10) }

// Number parses a return id ("ret_12" or 12) into its number: ENOTFOUND
// for one that is not.
func Number(ref string) (int64, error) {
	n, err := strconv.ParseInt(strings.TrimPrefix(ref, "ret_"), 10, 64)
	if err != nil || n <= 0 {
		return 0, sqldb.NotFound("return %q does not exist", ref)
	}
	return n, nil
}

// CreateReturn asks to return units of the order's shipped lines. It
// returns ENOTFOUND for an unknown order and EINVALID naming the field for
// an unknown line, more units than were shipped and not yet returned, a
// reason not in the settings, or a bad replacement line.
func (c *Counter) CreateReturn(ctx context.Context, ref string, req oms.ReturnRequest, source string, by oms.Principal) (*oms.Return, error) {
	actor := by.Actor()
	var r *oms.Return
	err := c.store.Update(ctx, func(tx Tx) (err error) {
		r, err = createReturn(ctx, tx, ref, req, source, actor)
		return err
	})
	return r, err
}

func createReturn(ctx context.Context, tx Tx, ref string, req oms.ReturnRequest, source, actor string) (*oms.Return, error) {
	o, ids, err := tx.Order(ctx, ref, true)
	if err != nil {
		return nil, err
	}
	set, err := returnSettings(ctx, tx)
	if err != nil {
		return nil, err
	}
	returnable, err := returnable(ctx, tx, o, ids.Seq)
	if err != nil {
		return nil, err
	}
	if err := req.Validate(set.Reasons, returnable); err != nil {
		return nil, err
	}
	for i, x := range req.Exchange {
		if err := tx.ItemExists(ctx, x.SKU); oms.ErrorCode(err) == oms.ENOTFOUND {
			return nil, oms.Invalid(fmt.Sprintf("exchange[%d].sku", i), "no item has SKU %q", x.SKU)
		} else if err != nil {
			return nil, err
		}
	}
	r := &oms.Return{OrderID: o.ID, OrderNumber: o.Number, Status: oms.ReturnRequested, Source: source,
		Comment: req.Comment, Currency: o.Currency, Lines: []oms.ReturnLine{}, Units: []oms.ReturnUnit{},
		Exchange: append([]oms.ExchangeLine{}, req.Exchange...), RequestedBy: actor, CreatedAt: tx.Now(), UpdatedAt: tx.Now(), Version: 1}
	var units []oms.Returning
	for _, l := range req.Lines {
		units = append(units, oms.Returning{LineID: l.LineID, Units: l.Quantity, Reason: l.Reason})
		r.Lines = append(r.Lines, oms.ReturnLine{LineID: l.LineID, SKU: o.Line(l.LineID).SKU, Quantity: l.Quantity,
			Reason: l.Reason, Condition: l.Condition})
	}
	r.Refund = oms.QuoteRefund(o, units, &set)
	r.ExchangeTotal, _ = oms.ExchangeTotal(r.Exchange, o.TaxesIncluded)
	r.FillDifference()
	quote, err := json.Marshal(r.Refund)
	if err != nil {
		return nil, err
	}
	if err := tx.QueryRowContext(ctx, insertReturn, ids.Seq, source, r.Comment, string(quote), r.ExchangeTotal,
		actor, tx.Now()).Scan(&r.Number); err != nil {
		return nil, err
	}
	r.ID = returnID(r.Number)
	for n, l := range r.Lines {
		if _, err := tx.ExecContext(ctx, insertReturnLine, r.Number, n, linePosition(o, l.LineID), l.Quantity, l.Reason, l.Condition); err != nil {
			return nil, err
		}
	}
	for n, x := range r.Exchange {
		if _, err := tx.ExecContext(ctx, insertExchangeLine, r.Number, n, x.SKU, x.Quantity, x.UnitPrice, x.Tax); err != nil {
			return nil, err
		}
	}
	return r, tx.AddEvent(ctx, oms.EventReturnRequested, r.ID, o.ID, actor, returnSummary(r))
}

// returnSummary is the data of return.requested, which the later return
// events add to.
func returnSummary(r *oms.Return) oms.ReturnRequestedEvent {
	var units int64
	for _, l := range r.Lines {
		units += l.Quantity
	}
	return oms.ReturnRequestedEvent{Return: r.ID, OrderNumber: r.OrderNumber, Status: r.Status, Units: units,
		Lines: r.Lines, Refund: r.Refund, Currency: r.Currency, Source: r.Source}
}

// returnable is, by line id, how many units each line may still return.
func returnable(ctx context.Context, tx Tx, o *oms.Order, seq int64) (map[string]int64, error) {
	rows, err := tx.QueryContext(ctx, selectPendingReturnUnits, seq)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	pending := map[string]int64{}
	for rows.Next() {
		var pos int
		var q int64
		if err := rows.Scan(&pos, &q); err != nil {
			return nil, err
		}
		pending[lineID(seq, pos)] = q
	}
	out := make(map[string]int64, len(o.Lines))
	for i := range o.Lines {
		out[o.Lines[i].ID] = oms.Returnable(&o.Lines[i], pending[o.Lines[i].ID])
	}
	return out, rows.Err()
}

// Return returns the return with its lines, units and exchange, or
// ENOTFOUND.
func (c *Counter) Return(ctx context.Context, ref string) (*oms.Return, error) {
	var r *oms.Return
	err := c.store.View(ctx, func(tx Tx) (err error) {
		r, _, err = returnByRef(ctx, tx, ref, false)
		return err
	})
	return r, err
}

// returnByRef reads the return and its order's sequence number.
func returnByRef(ctx context.Context, tx Tx, ref string, lock bool) (*oms.Return, int64, error) {
	n, err := Number(ref)
	if err != nil {
		return nil, 0, err
	}
	q := selectReturnCols + " WHERE r.id = $1"
	if lock {
		q += tx.Engine().LockOf("r")
	}
	rs, seqs, err := returns(ctx, tx, q, n)
	if err != nil {
		return nil, 0, err
	}
	if len(rs) == 0 {
		return nil, 0, sqldb.NotFound("return %q does not exist", ref)
	}
	return &rs[0], seqs[0], nil
}

// Returns lists returns, newest first. It returns ENOTFOUND for an unknown
// order.
func (c *Counter) Returns(ctx context.Context, f oms.ReturnFilter) ([]oms.Return, error) {
	var out []oms.Return
	err := c.store.View(ctx, func(tx Tx) error {
		var conds []string
		var args []any
		if f.Status != "" {
			args = append(args, string(f.Status))
			conds = append(conds, fmt.Sprintf("r.status = $%d", len(args)))
		}
		if f.Order != "" {
			_, oSeq, err := tx.OrderHead(ctx, f.Order, false)
			if err != nil {
				return err
			}
			args = append(args, oSeq)
			conds = append(conds, fmt.Sprintf("r.order_seq = $%d", len(args)))
		}
		if f.After > 0 {
			args = append(args, f.After)
			conds = append(conds, fmt.Sprintf("r.id < $%d", len(args)))
		}
		if scope := c.store.OrderScope(f.Principal, "so", func(v any) string {
			args = append(args, v)
			return fmt.Sprintf("$%d", len(args))
		}); scope != "" {
			conds = append(conds, "EXISTS (SELECT 1 FROM orders so WHERE so.seq = r.order_seq AND "+scope+")")
		}
		q := selectReturnCols
		if len(conds) > 0 {
			q += " WHERE " + strings.Join(conds, " AND ")
		}
		args = append(args, f.Limit)
		var err error
		out, _, err = returns(ctx, tx, q+fmt.Sprintf(" ORDER BY r.id DESC LIMIT $%d", len(args)), args...)
		return err
	})
	return out, err
}

// returns reads returns with their lines, units and exchange lines, and
// the sequence number of each one's order.
func returns(ctx context.Context, tx Tx, q string, args ...any) ([]oms.Return, []int64, error) {
	rows, err := tx.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, nil, err
	}
	var out []oms.Return
	var seqs []int64
	for rows.Next() {
		var r oms.Return
		var seq int64
		var quote string
		var exchange sql.NullString
		var refund sql.NullInt64
		if err := rows.Scan(&r.Number, &r.OrderID, &seq, &r.Currency, &r.Status, &r.Source, &r.Comment, &quote,
			&r.ExchangeTotal, &exchange, &refund, &r.RequestedBy, &r.CreatedAt, &r.UpdatedAt, &r.Version); err != nil {
			rows.Close()
			return nil, nil, err
		}
		if err := json.Unmarshal([]byte(quote), &r.Refund); err != nil {
			rows.Close()
			return nil, nil, fmt.Errorf("return %d quote: %w", r.Number, err)
		}
		r.ID, r.OrderNumber, r.ExchangeOrderID = returnID(r.Number), strconv.FormatInt(seq, 10), exchange.String
		if refund.Valid {
			r.RefundID = refundID(refund.Int64)
		}
		r.CreatedAt, r.UpdatedAt = r.CreatedAt.UTC(), r.UpdatedAt.UTC()
		r.Lines, r.Units, r.Exchange = []oms.ReturnLine{}, []oms.ReturnUnit{}, []oms.ExchangeLine{}
		out, seqs = append(out, r), append(seqs, seq)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(out) == 0 {
		return out, seqs, err
	}
	return out, seqs, fillReturns(ctx, tx, out)
}

// fillReturns reads the lines, units and exchange lines of the returns.
func fillReturns(ctx context.Context, tx Tx, rs []oms.Return) error {
	ids := make([]any, len(rs))
	at := make(map[int64]*oms.Return, len(rs))
	for i := range rs {
		ids[i], at[rs[i].Number] = rs[i].Number, &rs[i]
	}
	err := eachReturnRow(ctx, tx, selectReturnLines, "rl.return_id", ids, func(rows *sql.Rows) error {
		var id, seq int64
		var pos int
		var l oms.ReturnLine
		if err := rows.Scan(&id, &pos, &l.SKU, &l.Quantity, &l.Received, &l.Reason, &l.Condition, &seq); err != nil {
			return err
		}
		l.LineID = lineID(seq, pos)
		at[id].Lines = append(at[id].Lines, l)
		return nil
	})
	if err != nil {
		return err
	}
	err = eachReturnRow(ctx, tx, selectReturnUnits, "ru.return_id", ids, func(rows *sql.Rows) error {
		var id, seq int64
		var pos int
		var u oms.ReturnUnit
		var loc sql.NullString
		var ledger sql.NullInt64
		if err := rows.Scan(&id, &pos, &u.SKU, &u.Quantity, &u.Condition, &u.Disposition, &loc, &ledger, &seq); err != nil {
			return err
		}
		u.LineID, u.Location, u.LedgerID = lineID(seq, pos), loc.String, ledger.Int64
		at[id].Units = append(at[id].Units, u)
		return nil
	})
	if err != nil {
		return err
	}
	err = eachReturnRow(ctx, tx, selectExchangeLines, "return_id", ids, func(rows *sql.Rows) error {
		var id int64
		var x oms.ExchangeLine
		if err := rows.Scan(&id, &x.SKU, &x.Quantity, &x.UnitPrice, &x.Tax); err != nil {
			return err
		}
		at[id].Exchange = append(at[id].Exchange, x)
		return nil
	})
	for i := range rs {
		rs[i].FillDifference()
	}
	return err
}

// eachReturnRow runs the query for the return ids and calls fn on each row.
func eachReturnRow(ctx context.Context, tx Tx, q, col string, ids []any, fn func(*sql.Rows) error) error {
	cond, args := tx.Engine().InList(col, "bigint", ids, nil)
	return tx.Each(ctx, fmt.Sprintf(q, cond), args, fn)
}

// ApproveReturn approves a requested return. For an exchange it places the
// replacement order through the normal placement path — same channel,
// customer and ship-to, linked to the original both ways — which must
// reserve every unit: otherwise it returns EOUTOFSTOCK and nothing is
// written. It returns ECONFLICT when the return is not requested.
func (c *Counter) ApproveReturn(ctx context.Context, ref string, by oms.Principal) (*oms.Return, error) {
	actor := by.Actor()
	return c.moveReturn(ctx, ref, oms.ReturnApproved, actor, func(tx Tx, r *oms.Return, o *oms.Order, ids Keys) error {
		if len(r.Exchange) == 0 {
			return nil
		}
		x, xSeq, err := placeExchange(ctx, tx, r, o, actor)
		if err != nil {
			return err
		}
		r.ExchangeOrderID = x.ID
		for _, l := range []struct {
			from, to int64
			kind     string
		}{{ids.Seq, xSeq, oms.LinkExchange}, {xSeq, ids.Seq, oms.LinkExchangeOf}} {
			if _, err := tx.ExecContext(ctx, insertOrderLink, l.from, l.to, l.kind, r.Number); err != nil {
				return err
			}
		}
		return tx.AddEvent(ctx, oms.EventExchangeCreated, r.ID, x.ID, actor, oms.ExchangeCreated{Return: r.ID,
			OriginalOrder: o.ID, ExchangeOrder: x.ID, ExchangeTotal: r.ExchangeTotal,
			PriceDifference: r.PriceDifference, Currency: r.Currency})
	})
}

// placeExchange places the exchange's replacement order in the
// transaction.
func placeExchange(ctx context.Context, tx Tx, r *oms.Return, o *oms.Order, actor string) (*oms.Order, int64, error) {
	d := &oms.OrderDraft{Channel: o.Channel, ExternalID: "exchange-" + r.ID + "-" + o.ExternalID, Currency: o.Currency,
		Customer: o.Customer, ShipTo: o.ShipTo, PickupLocation: o.PickupLocation, Billing: o.Billing,
		TaxesIncluded: o.TaxesIncluded, ForeignCurrency: true}
	if len(d.ExternalID) > 255 {
		d.ExternalID = d.ExternalID[:255]
	}
	for _, x := range r.Exchange {
		d.Lines = append(d.Lines, oms.LineDraft{SKU: x.SKU, Quantity: x.Quantity, UnitPrice: x.UnitPrice, Tax: x.Tax})
	}
	if err := d.Validate(); err != nil {
		return nil, 0, oms.Invalid("exchange", "the replacement order is not valid: %s", oms.ErrorMessage(err))
	}
	x, seq, err := tx.PlaceExchange(ctx, d, actor)
	switch {
	case errors.Is(err, ErrOrderExists):
		return nil, 0, oms.Errorf(oms.ECONFLICT, "the exchange order of %s exists already", r.ID)
	case err != nil:
		return nil, 0, err
	}
	var short []oms.Shortage
	for _, l := range x.Lines {
		if l.Open > 0 {
			short = append(short, oms.Shortage{SKU: l.SKU, Requested: l.Quantity, Available: l.Quantity - l.Open})
		}
	}
	if len(short) > 0 {
		return nil, 0, &oms.Error{Code: oms.EOUTOFSTOCK, Short: short,
			Message: "the replacement items are not in stock; nothing was approved"}
	}
	return x, seq, nil
}

// RejectReturn rejects a requested return; its units may be returned
// again. It returns ECONFLICT when the return is not requested.
func (c *Counter) RejectReturn(ctx context.Context, ref string, by oms.Principal) (*oms.Return, error) {
	actor := by.Actor()
	return c.moveReturn(ctx, ref, oms.ReturnRejected, actor, nil)
}

// moveReturn locks the order and the return, moves the return to status
// (ECONFLICT when its lifecycle does not allow it), runs fn, saves the
// return and records its event.
func (c *Counter) moveReturn(ctx context.Context, ref string, status oms.ReturnStatus, actor string,
	fn func(Tx, *oms.Return, *oms.Order, Keys) error) (*oms.Return, error) {
	var r *oms.Return
	err := c.store.Update(ctx, func(tx Tx) error {
		_, seq, err := returnByRef(ctx, tx, ref, false)
		if err != nil {
			return err
		}
		// The order first, as every writer locks it, then the return.
		o, ids, err := tx.Order(ctx, strconv.FormatInt(seq, 10), true)
		if err != nil {
			return err
		}
		if r, _, err = returnByRef(ctx, tx, ref, true); err != nil {
			return err
		}
		if err := r.Status.Move(status); err != nil {
			return err
		}
		r.Status, r.UpdatedAt = status, tx.Now()
		if fn != nil {
			if err := fn(tx, r, o, ids); err != nil {
				return err
			}
		}
		return saveReturn(ctx, tx, r, o, actor)
	})
	return r, err
}

// saveReturn writes the return's status, refund value, links, and its
// event.
func saveReturn(ctx context.Context, tx Tx, r *oms.Return, o *oms.Order, actor string) error {
	quote, err := json.Marshal(r.Refund)
	if err != nil {
		return err
	}
	var exchange, refund any
	if r.ExchangeOrderID != "" {
		_, xSeq, err := tx.OrderHead(ctx, r.ExchangeOrderID, false)
		if err != nil {
			return err
		}
		exchange = xSeq
	}
	if r.RefundID != "" {
		refund, _ = strconv.ParseInt(strings.TrimPrefix(r.RefundID, "ref_"), 10, 64)
	}
	if _, err := tx.ExecContext(ctx, updateReturn, r.Number, string(r.Status), string(quote), exchange, refund, tx.Now()); err != nil {
		return err
	}
	r.Version++
	r.FillDifference()
	s := returnSummary(r)
	_, data := oms.ReturnMoved{Return: s.Return, OrderNumber: s.OrderNumber, Status: s.Status, Units: s.Units,
		Lines: s.Lines, Refund: s.Refund, Currency: s.Currency, Source: s.Source,
		ExchangeOrder: r.ExchangeOrderID, RefundID: r.RefundID, UnitsReceived: r.Units}.Event()
	return tx.AddEvent(ctx, "return."+string(r.Status), r.ID, o.ID, actor, data)
}

// Links reads the orders an exchange ties to the order seq, in q (a
// transaction, or a pool).
func Links(ctx context.Context, q Querier, seq int64) ([]oms.OrderLink, error) {
	rows, err := q.QueryContext(ctx, selectOrderLinks, seq)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []oms.OrderLink
	for rows.Next() {
		var l oms.OrderLink
		var ret int64
		if err := rows.Scan(&l.Kind, &l.OrderID, &ret); err != nil {
			return nil, err
		}
		l.ReturnID = returnID(ret)
		out = append(out, l)
	}
	return out, rows.Err()
}
