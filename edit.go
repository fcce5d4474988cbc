package oms

import (
	"fmt"
	"math/big"
	"slices"
	"time"

	"github.com/omshq/oms/money"
)

// EditKind names one operation of an order edit.
type EditKind string

// The edit operations.
const (
	EditShipTo     EditKind = "set_ship_to"  // replace the ship-to address
	EditQuantity   EditKind = "set_quantity" // change a line's ordered quantity, up or down
	EditAddLine    EditKind = "add_line"     // add a line
	EditRemoveLine EditKind = "remove_line"  // take a line off the order, as if never ordered
	EditCancelLine EditKind = "cancel_line"  // cancel units of a line, as POST /cancel does
)

// EditKinds lists every edit operation.
var EditKinds = []EditKind{EditShipTo, EditQuantity, EditAddLine, EditRemoveLine, EditCancelLine}

// EditOp is one operation of an order edit. Which fields count depends on
// Kind: LineID and Quantity for set_quantity (the new ordered quantity) and
// cancel_line (units to cancel), LineID for remove_line, ShipTo for
// set_ship_to, Line for add_line.
type EditOp struct {
	Kind     EditKind
	LineID   string
	Quantity int64
	ShipTo   *Address
	Line     LineDraft
}

// EditResult is what an edit did, besides changing the order in place.
type EditResult struct {
	// Releases are the reservations given back by lowered quantities,
	// removed and cancelled lines.
	Releases []Release
	// Changes say in words what each operation did, in order.
	Changes []string
	// Before and After are the totals around the edit.
	Before, After Totals
}

// OrderEdit is the record of one edit of an order: who made it, when, what
// it did, and the order's lines, ship-to and totals before and after.
type OrderEdit struct {
	ID            string       `json:"id"` // "<order number>-E<n>"
	OrderID       string       `json:"order_id"`
	Actor         string       `json:"actor"`
	VersionBefore int64        `json:"version_before"`
	VersionAfter  int64        `json:"version_after"`
	Changes       []string     `json:"changes"`
	Before        EditSnapshot `json:"before"`
	After         EditSnapshot `json:"after"`
	// Difference is After.Total − Before.Total: what the customer owes
	// more (positive) or is owed back (negative).
	Difference int64     `json:"difference"`
	CreatedAt  time.Time `json:"created_at"`
}

// EditSnapshot is what an edit may change of an order.
type EditSnapshot struct {
	ShipTo *Address `json:"ship_to,omitempty"`
	Lines  []Line   `json:"lines"`
	Totals
}

// Snapshot returns the order's ship-to, lines and totals, as an edit record
// keeps them.
func (o *Order) Snapshot() EditSnapshot {
	s := EditSnapshot{Lines: slices.Clone(o.Lines), Totals: o.Totals}
	if o.ShipTo != nil {
		a := *o.ShipTo
		s.ShipTo = &a
	}
	for i := range s.Lines {
		s.Lines[i].PromisedDate = nil
	}
	return s
}

// Edit applies the operations to the order in place, in order, all or
// nothing; fs are the order's fulfillments. It only changes the order:
// releasing stock, sourcing the open units it adds and charging computed
// tax are the caller's.
//
// Edits happen before the order ships: a shipped or delivered order (every
// unit not cancelled has left stock) cannot be edited (ECONFLICT). A line
// with shipped units cannot be changed or removed, and the ship-to cannot
// change once anything shipped (ECONFLICT naming the field). Units being picked, packed or waiting at the
// counter stay: a quantity cannot fall below them (ECONFLICT); units that
// are open or in pending fulfillments are released, the open ones first,
// then the least preferred location's. A changed quantity scales the line's
// amount, discount and tax by new/old quantity, half to even; totals are
// computed again. Cancelling follows Order.Cancel and leaves the amounts as
// they are, as a cancellation always does; removing a line sets its
// quantities and amounts to 0 and keeps it, so that line ids do not move.
//
// It returns EINVALID naming each bad field (operations[i].…) and ECONFLICT
// for a cancelled, shipped or delivered order, an order the channel fulfils,
// or an edit that would leave no line.
func (o *Order) Edit(ops []EditOp, fs []Fulfillment) (EditResult, error) {
	if err := o.editable(); err != nil {
		return EditResult{}, err
	}
	if len(ops) == 0 {
		return EditResult{}, Invalid("operations", "at least one operation is required")
	}
	if len(ops) > MaxLines {
		return EditResult{}, Invalid("operations", "at most %d operations are allowed", MaxLines)
	}
	w := o.clone()
	e := editor{o: w, st: progressOf(fs), res: EditResult{Before: o.Totals}}
	for i, op := range ops {
		e.apply(fmt.Sprintf("operations[%d]", i), op)
	}
	if err := e.err(); err != nil {
		return EditResult{}, err
	}
	if !slices.ContainsFunc(w.Lines, func(l Line) bool { return l.Quantity > 0 }) {
		return EditResult{}, Errorf(ECONFLICT, "the edit would leave order %s without lines; cancel the order instead", o.Number)
	}
	t, err := ComputeTotals(w.Lines, w.charges(o))
	if err != nil {
		return EditResult{}, err
	}
	w.Totals = t
	w.Allocations = compactAllocations(w.Allocations)
	w.Refresh()
	*o = *w
	e.res.After = t
	return e.res, nil
}

// editable says why no edit may touch the order, or nil.
func (o *Order) editable() error {
	switch {
	case o.Status == StatusCancelled:
		return Errorf(ECONFLICT, "order %s is cancelled", o.Number)
	case o.Status == StatusShipped || o.Status == StatusDelivered:
		return Errorf(ECONFLICT, "order %s is %s: an order can be edited only before it ships", o.Number, o.Status)
	case o.FulfilledByChannel:
		return Errorf(ECONFLICT, "order %s is fulfilled by its marketplace; edit it there", o.Number)
	}
	return nil
}

// charges are the order's charges beyond its lines, as its totals hold
// them (from), applied to the order's lines.
func (o *Order) charges(from *Order) Charges {
	var lineTax int64
	for _, l := range from.Lines {
		lineTax += l.Tax
	}
	return Charges{Shipping: from.ShippingTotal, ShippingTax: from.TaxTotal - lineTax, Duties: from.DutiesTotal,
		TaxesIncluded: o.TaxesIncluded}
}

// clone copies the order deeply enough for Edit to work on the copy.
func (o *Order) clone() *Order {
	w := *o
	w.Lines = slices.Clone(o.Lines)
	w.Allocations = slices.Clone(o.Allocations)
	if o.ShipTo != nil {
		a := *o.ShipTo
		w.ShipTo = &a
	}
	return &w
}

// progress is how far each line's allocated units have gone.
type progress struct {
	pending map[string]map[string]int64 // line id → location → units in pending fulfillments
	busy    map[string]int64            // line id → units picked, packed or at the counter
}

func progressOf(fs []Fulfillment) progress {
	st := progress{pending: map[string]map[string]int64{}, busy: map[string]int64{}}
	for _, f := range fs {
		if !f.Status.Open() || f.ShippedAt != nil {
			continue
		}
		for _, l := range f.Lines {
			if f.Status != FulfillmentPending {
				st.busy[l.LineID] += l.Quantity
				continue
			}
			if st.pending[l.LineID] == nil {
				st.pending[l.LineID] = map[string]int64{}
			}
			st.pending[l.LineID][f.Location] += l.Quantity
		}
	}
	return st
}

// editor applies operations to a working copy, collecting problems:
// invalid fields, then conflicts.
type editor struct {
	o         *Order
	st        progress
	res       EditResult
	invalid   Problems
	conflicts Problems
}

func (e *editor) err() error {
	if err := e.invalid.Err(); err != nil {
		return err
	}
	if len(e.conflicts) > 0 {
		return &Error{Code: ECONFLICT, Message: "the edit clashes with what already happened to the order", Fields: e.conflicts}
	}
	return nil
}

func (e *editor) apply(at string, op EditOp) {
	switch op.Kind {
	case EditShipTo:
		e.shipTo(at, op.ShipTo)
	case EditAddLine:
		e.addLine(at, op.Line)
	case EditQuantity, EditRemoveLine, EditCancelLine:
		l := e.line(at, op.LineID)
		if l == nil {
			return
		}
		switch op.Kind {
		case EditQuantity:
			e.setQuantity(at, l, op.Quantity)
		case EditRemoveLine:
			e.remove(at, l)
		default:
			e.cancel(at, l, op.Quantity)
		}
	default:
		e.invalid.Add(at+".op", "must be one of %v", EditKinds)
	}
}

func (e *editor) shipTo(at string, a *Address) {
	if a == nil {
		e.invalid.Add(at+".ship_to", "is required")
		return
	}
	before := len(e.invalid)
	a.validate(&e.invalid, at+".ship_to", true)
	if len(e.invalid) > before {
		return
	}
	if slices.ContainsFunc(e.o.Lines, func(l Line) bool { return l.Shipped > 0 }) {
		e.conflicts.Add(at+".ship_to", "units of order %s have shipped; the address can no longer change", e.o.Number)
		return
	}
	e.o.ShipTo = a
	e.res.Changes = append(e.res.Changes, fmt.Sprintf("ship-to changed to %s, %s", a.City, a.Country))
}

func (e *editor) addLine(at string, d LineDraft) {
	before := len(e.invalid)
	d.validate(&e.invalid, at, false, false)
	if e.o.ComputedTax != nil && d.Tax != 0 {
		e.invalid.Add(at+".tax", "oms computes this order's tax; leave it out")
	}
	if len(e.o.Lines) >= MaxLines {
		e.invalid.Add(at, "an order has at most %d lines", MaxLines)
	}
	if len(e.invalid) > before {
		return
	}
	sub, _ := money.Mul(d.Quantity, d.UnitPrice)
	if d.Subtotal != 0 {
		sub = d.Subtotal
	}
	e.o.Lines = append(e.o.Lines, Line{SKU: d.SKU, Quantity: d.Quantity, UnitPrice: d.UnitPrice, Subtotal: sub,
		Discount: d.Discount, Tax: d.Tax, Open: d.Quantity})
	e.res.Changes = append(e.res.Changes, fmt.Sprintf("added %s × %d", d.SKU, d.Quantity))
}

// line returns the working line with the id, or records why there is none
// to edit.
func (e *editor) line(at, id string) *Line {
	l := e.o.Line(id)
	switch {
	case id == "":
		e.invalid.Add(at+".line_id", "is required")
	case l == nil:
		e.invalid.Add(at+".line_id", "is not a line of order %s", e.o.Number)
	case l.Quantity == 0:
		e.conflicts.Add(at+".line_id", "line %s was removed", id)
	default:
		return l
	}
	return nil
}

func (e *editor) setQuantity(at string, l *Line, q int64) {
	if q < 1 || q > MaxLineQuantity {
		e.invalid.Add(at+".quantity", "must be between 1 and %d (remove_line takes a line off)", MaxLineQuantity)
		return
	}
	if l.Shipped > 0 {
		e.conflicts.Add(at+".line_id", "line %s has shipped units; it can no longer change", l.ID)
		return
	}
	old := l.Quantity
	if q < old && !e.reduce(at+".quantity", l, old-q) {
		return
	}
	if q > old {
		l.Open += q - old
	}
	if !e.scale(at, l, q) {
		return
	}
	e.res.Changes = append(e.res.Changes, fmt.Sprintf("line %s (%s) quantity %d → %d", l.ID, l.SKU, old, q))
}

// reduce takes n units off the line's open and pending allocated units,
// recording the releases, or records the conflict under field.
func (e *editor) reduce(field string, l *Line, n int64) bool {
	var free int64
	for _, q := range e.st.pending[l.ID] {
		free += q
	}
	if free > l.Allocated {
		free = l.Allocated
	}
	if n > l.Open+free {
		e.conflicts.Add(field, "only %d units of line %s can be taken off: the rest are cancelled, or being picked, packed or handed over",
			l.Open+free, l.ID)
		return false
	}
	fromOpen := min(n, l.Open)
	l.Open -= fromOpen
	n -= fromOpen
	// The least preferred location gives its units back first.
	for i := len(e.o.Allocations) - 1; i >= 0 && n > 0; i-- {
		a := &e.o.Allocations[i]
		if a.LineID != l.ID {
			continue
		}
		take := min(n, a.Quantity, e.st.pending[l.ID][a.Location])
		if take == 0 {
			continue
		}
		a.Quantity -= take
		e.st.pending[l.ID][a.Location] -= take
		l.Allocated -= take
		n -= take
		e.res.Releases = append(e.res.Releases, Release{LineID: l.ID, SKU: l.SKU, Location: a.Location, Quantity: take})
	}
	return true
}

// scale sets the line's quantity to q and its amounts in proportion.
func (e *editor) scale(at string, l *Line, q int64) bool {
	old := l.Quantity
	sub, ok := money.Mul(q, l.UnitPrice)
	if exact, k := money.Mul(old, l.UnitPrice); !k || exact != l.Subtotal {
		sub, ok = Prorate(l.Subtotal, q, old)
	}
	disc, ok2 := Prorate(l.Discount, q, old)
	tax, ok3 := Prorate(l.Tax, q, old)
	if !ok || !ok2 || !ok3 || sub > MaxAmount*1000 {
		e.invalid.Add(at+".quantity", "makes the line's amount too large")
		return false
	}
	l.Quantity, l.Subtotal, l.Discount, l.Tax = q, sub, disc, tax
	return true
}

func (e *editor) remove(at string, l *Line) {
	switch {
	case l.Shipped > 0:
		e.conflicts.Add(at+".line_id", "line %s has shipped units; it can no longer be removed", l.ID)
		return
	case e.st.busy[l.ID] > 0:
		e.conflicts.Add(at+".line_id", "%d units of line %s are being picked, packed or handed over", e.st.busy[l.ID], l.ID)
		return
	}
	if !e.reduce(at+".line_id", l, l.Open+l.Allocated) {
		return
	}
	old := l.Quantity
	*l = Line{ID: l.ID, SKU: l.SKU, UnitPrice: l.UnitPrice}
	e.res.Changes = append(e.res.Changes, fmt.Sprintf("line %s (%s × %d) removed", l.ID, l.SKU, old))
}

func (e *editor) cancel(at string, l *Line, n int64) {
	switch {
	case n < 1:
		e.invalid.Add(at+".quantity", "must be at least 1")
		return
	case n > l.Open+l.Allocated:
		e.invalid.Add(at+".quantity", "only %d units of this line can still be cancelled", l.Open+l.Allocated)
		return
	}
	rs, err := e.o.Cancel([]CancelLine{{LineID: l.ID, Quantity: n}})
	if err != nil {
		e.invalid.Add(at+".quantity", "%s", ErrorMessage(err))
		return
	}
	for _, r := range rs {
		if p := e.st.pending[r.LineID]; p != nil {
			p[r.Location] = max(0, p[r.Location]-r.Quantity)
		}
	}
	e.res.Releases = append(e.res.Releases, rs...)
	e.res.Changes = append(e.res.Changes, fmt.Sprintf("line %s (%s) %d cancelled", l.ID, l.SKU, n))
}

// Prorate returns v × num / den rounded half to even, and false when den is
// not positive or the result does not fit in int64.
func Prorate(v, num, den int64) (int64, bool) {
	if den <= 0 {
		return 0, false
	}
	x := new(big.Int).Mul(big.NewInt(v), big.NewInt(num))
	d := big.NewInt(den)
	q, r := new(big.Int).QuoRem(x, d, new(big.Int))
	twice := new(big.Int).Abs(r)
	twice.Lsh(twice, 1)
	if c := twice.Cmp(d); c > 0 || c == 0 && q.Bit(0) == 1 {
		q.Add(q, big.NewInt(int64(x.Sign())))
	}
	return q.Int64(), q.IsInt64()
}
