package returns

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/store/sqldb"
)

const (
	insertRefund = `
INSERT INTO refunds (order_seq, return_id, kind, amount, currency, reason, payment_reference, actor, created_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`
	selectRefunds = `
SELECT f.id, o.id, f.order_seq, f.kind, f.amount, f.currency, f.reason, f.payment_reference, f.return_id, f.actor, f.created_at
FROM refunds f JOIN orders o ON o.seq = f.order_seq WHERE f.order_seq = $1 ORDER BY f.id`
	selectRefunded = `SELECT COALESCE(SUM(amount), 0) FROM refunds WHERE order_seq = $1`
	returnsKey     = "returns"
)

// refundID is the public id of refund n: "ref_3".
func refundID(n int64) string { return "ref_" + strconv.FormatInt(n, 10) }

// ReceiveReturn records the units of an approved return that came back:
// restocked units enter on hand at their location through a ledger
// movement of kind return (and the orders waiting for the item get them,
// as with any receipt); scrapped ones are recorded and leave stock alone.
// The lines' returned quantities grow, and the refund value becomes exact
// on the units received. It returns ECONFLICT when the return is not
// approved and EINVALID naming the field for bad units.
func (c *Counter) ReceiveReturn(ctx context.Context, ref string, units []oms.Receipt, by oms.Principal) (*oms.Return, error) {
	actor := by.Actor()
	return c.moveReturn(ctx, ref, oms.ReturnReceived, actor, func(tx Tx, r *oms.Return, o *oms.Order, ids Keys) error {
		got, err := r.CheckReceipts(units)
		if err != nil {
			return err
		}
		set, err := returnSettings(ctx, tx)
		if err != nil {
			return err
		}
		var returning []oms.Returning
		for i := range r.Lines {
			l := &r.Lines[i]
			l.Received = got[l.LineID]
			returning = append(returning, oms.Returning{LineID: l.LineID, Units: l.Received, Reason: l.Reason})
			if _, err := tx.ExecContext(ctx, updateReturnLineReceived, r.Number, i, l.Received); err != nil {
				return err
			}
		}
		r.Refund = oms.QuoteRefund(o, returning, &set)
		restocked, err := receiveUnits(ctx, tx, r, o, ids, units, actor)
		if err != nil {
			return err
		}
		for id, q := range got {
			o.Line(id).Returned += q
		}
		if err := tx.SaveLineQuantities(ctx, o, ids.Seq); err != nil {
			return err
		}
		for _, item := range restocked {
			// Stock arrived: the orders waiting for it get it, oldest first.
			if err := tx.AllocateWaiting(ctx, item, actor); err != nil {
				return err
			}
		}
		return nil
	})
}

// receiveUnits records each received group of units, restocking through
// the ledger, and returns the items restocked.
func receiveUnits(ctx context.Context, tx Tx, r *oms.Return, o *oms.Order, ids Keys, units []oms.Receipt, actor string) ([]int64, error) {
	var items []int64
	for i, u := range units {
		item := ids.Items[u.LineID]
		ru := oms.ReturnUnit{LineID: u.LineID, SKU: o.Line(u.LineID).SKU, Quantity: u.Quantity, Condition: u.Condition,
			Disposition: u.Disposition}
		var loc, ledger any
		if u.Disposition == oms.DispositionRestock {
			locID, err := tx.Location(ctx, u.Location)
			if oms.ErrorCode(err) == oms.ENOTFOUND {
				return nil, oms.Invalid(fmt.Sprintf("units[%d].location", i), "no location has code %q", u.Location)
			} else if err != nil {
				return nil, err
			}
			id, err := tx.Restock(ctx, Restock{Item: item, Location: locID, SKU: ru.SKU, LocationCode: u.Location,
				Quantity: u.Quantity, Reference: "return " + r.ID, OrderID: o.ID, Actor: actor})
			if err != nil {
				return nil, err
			}
			ru.Location, ru.LedgerID, loc, ledger = u.Location, id, locID, id
			if !slices.Contains(items, item) {
				items = append(items, item)
			}
		}
		if _, err := tx.ExecContext(ctx, insertReturnUnit, r.Number, len(r.Units), linePosition(o, u.LineID), u.Quantity,
			u.Condition, u.Disposition, loc, ledger); err != nil {
			return nil, err
		}
		r.Units = append(r.Units, ru)
	}
	return items, nil
}

// CloseReturn closes a received return and issues its refund: the exact
// value of the units received, less what the customer still gets of an
// exchange's replacement (oms.ExchangeCredit),
// and never more than is left of the order's total after its refunds. An
// agent may issue it up to their limit (EFORBIDDEN above it). It returns
// ECONFLICT when the return is not received.
func (c *Counter) CloseReturn(ctx context.Context, ref string, cr oms.CloseRequest, by oms.Principal) (*oms.Return, error) {
	actor := by.Actor()
	role := by.Role
	var p oms.Problems
	if cr.Reason != "" {
		oms.CheckText(&p, "reason", cr.Reason, 500)
	}
	checkReference(&p, cr.PaymentReference)
	if err := p.Err(); err != nil {
		return nil, err
	}
	return c.moveReturn(ctx, ref, oms.ReturnClosed, actor, func(tx Tx, r *oms.Return, o *oms.Order, ids Keys) error {
		refunded, err := refunded(ctx, tx, ids.Seq)
		if err != nil {
			return err
		}
		credit := int64(0)
		if len(r.Exchange) > 0 {
			// What the customer still gets of the replacement: units of it
			// cancelled since are refunded with the return.
			var x *oms.Order
			if r.ExchangeOrderID != "" {
				if x, _, err = tx.Order(ctx, r.ExchangeOrderID, false); err != nil {
					return err
				}
			}
			credit = min(oms.ExchangeCredit(r.ExchangeTotal, x), r.Refund.Total)
		}
		amount := min(r.Refund.Total-credit, o.Total-refunded)
		if amount <= 0 {
			return nil
		}
		set, err := returnSettings(ctx, tx)
		if err != nil {
			return err
		}
		if err := set.MayRefund(role, o.Currency, amount); err != nil {
			return err
		}
		reason := cr.Reason
		if reason == "" {
			reason = "return " + r.ID
		}
		f := &oms.Refund{Kind: oms.RefundReturn, Amount: amount, Reason: reason, PaymentReference: cr.PaymentReference,
			ReturnID: r.ID}
		if err := addRefund(ctx, tx, o, ids.Seq, r.Number, f, actor); err != nil {
			return err
		}
		r.RefundID = f.ID
		return nil
	})
}

func checkReference(p *oms.Problems, ref string) {
	oms.CheckLine(p, "payment_reference", ref, 200)
}

// RefundOrder records a manual refund or a goodwill credit (appeasement)
// on the order. It returns EINVALID naming the field for an amount above
// what is left of the order's total after its refunds, EFORBIDDEN for an
// agent above their limit, and ENOTFOUND for an unknown order.
func (c *Counter) RefundOrder(ctx context.Context, ref string, req oms.RefundRequest, by oms.Principal) (*oms.Refund, error) {
	actor := by.Actor()
	role := by.Role
	var f *oms.Refund
	err := c.store.Update(ctx, func(tx Tx) error {
		o, oSeq, err := tx.OrderHead(ctx, ref, true)
		if err != nil {
			return err
		}
		refunded, err := refunded(ctx, tx, oSeq)
		if err != nil {
			return err
		}
		if err := oms.CheckRefund(req.Kind, req.Amount, o.Total-refunded, req.Reason, req.PaymentReference); err != nil {
			return err
		}
		set, err := returnSettings(ctx, tx)
		if err != nil {
			return err
		}
		if err := set.MayRefund(role, o.Currency, req.Amount); err != nil {
			return err
		}
		f = &oms.Refund{Kind: req.Kind, Amount: req.Amount, Reason: req.Reason, PaymentReference: req.PaymentReference}
		return addRefund(ctx, tx, o, oSeq, 0, f, actor)
	})
	return f, err
}

// addRefund records the refund and its refund.created event.
func addRefund(ctx context.Context, tx Tx, o *oms.Order, seq, ret int64, f *oms.Refund, actor string) error {
	var retID any
	if ret > 0 {
		retID = ret
	}
	f.OrderID, f.OrderNumber, f.Currency, f.Actor, f.CreatedAt = o.ID, o.Number, o.Currency, actor, tx.Now()
	var n int64
	if err := tx.QueryRowContext(ctx, insertRefund, seq, retID, f.Kind, f.Amount, f.Currency, f.Reason,
		f.PaymentReference, actor, tx.Now()).Scan(&n); err != nil {
		return err
	}
	f.ID = refundID(n)
	return tx.AddEvent(ctx, oms.EventRefundCreated, f.ID, o.ID, actor, f)
}

func refunded(ctx context.Context, tx Tx, seq int64) (int64, error) {
	var n int64
	err := tx.QueryRowContext(ctx, selectRefunded, seq).Scan(&n)
	return n, err
}

// Refunds returns the order's refunds, oldest first, or ENOTFOUND.
func (c *Counter) Refunds(ctx context.Context, ref string) (*oms.OrderRefunds, error) {
	var out *oms.OrderRefunds
	err := c.store.View(ctx, func(tx Tx) error {
		o, oSeq, err := tx.OrderHead(ctx, ref, false)
		if err != nil {
			return err
		}
		out = &oms.OrderRefunds{Refunds: []oms.Refund{}, Currency: o.Currency, Paid: o.Total}
		rows, err := tx.QueryContext(ctx, selectRefunds, oSeq)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var f oms.Refund
			var n, seq int64
			var ret sql.NullInt64
			if err := rows.Scan(&n, &f.OrderID, &seq, &f.Kind, &f.Amount, &f.Currency, &f.Reason, &f.PaymentReference,
				&ret, &f.Actor, &f.CreatedAt); err != nil {
				return err
			}
			f.ID, f.OrderNumber, f.CreatedAt = refundID(n), strconv.FormatInt(seq, 10), f.CreatedAt.UTC()
			if ret.Valid {
				f.ReturnID = returnID(ret.Int64)
			}
			out.Refunded += f.Amount
			out.Refunds = append(out.Refunds, f)
		}
		out.Left = out.Paid - out.Refunded
		return rows.Err()
	})
	return out, err
}

// ReturnSettings returns how returns and refunds work (the defaults until
// changed).
func (c *Counter) ReturnSettings(ctx context.Context) (oms.ReturnSettings, error) {
	var s oms.ReturnSettings
	err := c.store.View(ctx, func(tx Tx) (err error) {
		s, err = returnSettings(ctx, tx)
		return err
	})
	return s, err
}

func returnSettings(ctx context.Context, tx Tx) (oms.ReturnSettings, error) {
	var raw string
	err := tx.QueryRowContext(ctx, sqldb.SelectSetting, returnsKey).Scan(&raw)
	if errors.Is(err, sql.ErrNoRows) {
		return oms.DefaultReturnSettings(), nil
	} else if err != nil {
		return oms.ReturnSettings{}, err
	}
	var s oms.ReturnSettings
	return s, json.Unmarshal([]byte(raw), &s)
}

// PutReturnSettings replaces the return settings. It returns EINVALID
// naming a bad field.
func (c *Counter) PutReturnSettings(ctx context.Context, s oms.ReturnSettings, by oms.Principal) error {
	actor := by.Actor()
	if err := s.Validate(); err != nil {
		return err
	}
	b, err := json.Marshal(s)
	if err != nil {
		return err
	}
	return c.store.Update(ctx, func(tx Tx) error {
		if _, err := tx.ExecContext(ctx, sqldb.UpsertSetting, returnsKey, string(b), tx.Now()); err != nil {
			return err
		}
		return tx.AddEvent(ctx, oms.EventSettingsSaved, returnsKey, "", actor, s)
	})
}
