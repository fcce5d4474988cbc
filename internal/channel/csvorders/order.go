package csvorders

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/omshq/oms"
	"github.com/omshq/oms/money"
)

// build turns the rows of one order into an Ingested, or returns an EINVALID
// error naming every problem it finds.
func (r *Reader) build(g *group) (*oms.Ingested, error) {
	var p oms.Problems
	if g.orphan != 0 {
		p.Add(fmt.Sprintf("row[%d]", g.orphan), "line %d cannot be read and may be the first row of order %s (line %d): fix it and import the order again",
			g.orphan, quote(g.id), g.first)
	}
	var rows []*record
	for _, rec := range g.rows {
		if rec.bad != "" {
			p.Add(rec.badField, "line %d: %s", rec.first, rec.bad)
		} else {
			rows = append(rows, rec)
		}
	}
	if len(rows) == 0 {
		return nil, p.Err()
	}
	o := &parser{r: r, p: &p, rows: rows}
	if n := len(g.rows) + g.extra; n > oms.MaxLines {
		o.problem(rows[0], colOrderID, "%s has %d rows; an order has at most %d lines", quote(g.id), n, oms.MaxLines)
		return nil, p.Err()
	}
	if line, ok := r.seen[g.id]; ok {
		o.problem(rows[0], colOrderID, "%s already appeared on line %d: the rows of an order must be consecutive", quote(g.id), line)
	}
	o.unicode()
	o.agree()
	in := o.order(g.id)
	o.validate(in)
	if err := p.Err(); err != nil {
		slices.SortStableFunc(p, func(a, b oms.FieldError) int { return lineOf(a.Field) - lineOf(b.Field) })
		return nil, err
	}
	return in, o.state(in)
}

// lineOf returns N of a field named row[N] or row[N].column.
func lineOf(field string) int {
	digits, _, _ := strings.Cut(strings.TrimPrefix(field, "row["), "]")
	n, _ := strconv.Atoi(digits)
	return n
}

// parser reads the fields of one order's readable rows, collecting problems.
type parser struct {
	r        *Reader
	p        *oms.Problems
	rows     []*record
	currency string          // "" when the order's currency is missing or unknown
	named    map[string]bool // the fields with a problem
}

// problem records that the value of column in rec is bad: the message reads
// "line 7: quantity " followed by the formatted text.
func (o *parser) problem(rec *record, column, format string, args ...any) {
	line := rec.line(o.r, column)
	f := field(line, column)
	if o.named == nil {
		o.named = make(map[string]bool)
	}
	o.named[f] = true
	o.p.Add(f, "line %d: %s %s", line, column, fmt.Sprintf(format, args...))
}

// reported says whether a problem was already found in the value of column
// in rec, or in a value its check depends on.
func (o *parser) reported(rec *record, column string) bool {
	deps := []string{column}
	if column == colLineDiscount { // checked against quantity × unit_price
		deps = append(deps, colQuantity, colUnitPrice)
	}
	for _, c := range deps {
		if o.named[field(rec.line(o.r, c), c)] {
			return true
		}
	}
	return false
}

// unicode checks that every value is valid UTF-8: a byte that is not is
// refused, never kept as U+FFFD.
func (o *parser) unicode() {
	for _, rec := range o.rows {
		for _, c := range columns {
			if v := rec.value(o.r, c.name); !utf8.ValidString(v) {
				o.problem(rec, c.name, "is not valid UTF-8")
			}
		}
	}
}

// agree checks that the order's later rows leave each order-level value
// empty or repeat the first row's.
func (o *parser) agree() {
	first := o.rows[0]
	for _, c := range columns {
		if !c.order {
			continue
		}
		want := first.value(o.r, c.name)
		for _, rec := range o.rows[1:] {
			switch v := rec.value(o.r, c.name); {
			case v == "" || v == want:
			case want == "":
				o.problem(rec, c.name, "is given but not on the order's first row (line %d), where order-level values belong", first.first)
			default:
				o.problem(rec, c.name, "is %s but %s on the order's first row (line %d); later rows must leave it empty or repeat it",
					quote(v), quote(want), first.first)
			}
		}
	}
}

// order reads the order-level fields from the first row and a line from
// every row.
func (o *parser) order(id string) *oms.Ingested {
	f := o.rows[0]
	in := &oms.Ingested{RawTimes: make(map[string]string)}
	d := &in.Draft
	d.ExternalID = id
	o.currency = o.readCurrency(f)
	d.Currency = o.currency
	d.PlacedAt = o.time(f, colPlacedAt, true, in.RawTimes)
	// Without updated_at the order has no version: a later file whose rows
	// differ is a change, applied as it arrives (see the store's
	// ApplyVersion).
	in.UpdatedAt = o.time(f, colUpdatedAt, false, in.RawTimes)
	d.Customer = oms.Customer{Email: f.value(o.r, colEmail), Name: f.value(o.r, colName), Phone: f.value(o.r, colPhone)}
	d.ShipTo = o.address(f)
	d.ShippingPrice = o.amount(f, colShipping, false)
	d.ShippingTax = o.amount(f, colShippingTax, false)
	switch v := strings.ToLower(f.value(o.r, colTaxesIncluded)); v {
	case "", "false":
	case "true":
		d.TaxesIncluded = true
	default:
		o.problem(f, colTaxesIncluded, "must be true or false, not %s", quote(v))
	}
	in.Status = f.value(o.r, colStatus)
	in.Cancelled = strings.EqualFold(in.Status, "cancelled") || strings.EqualFold(in.Status, "canceled")
	d.ComputeTax = f.value(o.r, colShippingTax) == ""
	for _, rec := range o.rows {
		d.Lines = append(d.Lines, o.line(rec))
		d.ComputeTax = d.ComputeTax && rec.value(o.r, colLineTax) == ""
	}
	return in
}

func (o *parser) readCurrency(f *record) string {
	v := strings.ToUpper(f.value(o.r, colCurrency))
	if v == "" {
		o.problem(f, colCurrency, "is required")
		return ""
	}
	if _, ok := money.Lookup(v); !ok {
		o.problem(f, colCurrency, "must be an ISO 4217 currency code such as USD, not %s", quote(v))
		return ""
	}
	return v
}

// time reads an RFC 3339 time, in UTC, keeping the text in raw.
func (o *parser) time(rec *record, column string, required bool, raw map[string]string) time.Time {
	v := rec.value(o.r, column)
	if v == "" {
		if required {
			o.problem(rec, column, "is required")
		}
		return time.Time{}
	}
	raw[column] = v
	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		o.problem(rec, column, "must be an RFC 3339 time such as 2025-11-14T09:30:00+01:00, not %s", quote(v))
		return time.Time{}
	}
	return t.UTC()
}

// address returns the shipping address, or nil when no ship_ column has a
// value. Validate reports missing parts.
func (o *parser) address(f *record) *oms.Address {
	a := oms.Address{Name: f.value(o.r, colShipName), Line1: f.value(o.r, colShipLine1), Line2: f.value(o.r, colShipLine2),
		City: f.value(o.r, colShipCity), Region: f.value(o.r, colShipRegion), PostalCode: f.value(o.r, colShipPostal),
		Country: strings.ToUpper(f.value(o.r, colShipCountry))}
	if a == (oms.Address{}) {
		return nil
	}
	return &a
}

// line reads the line on one row.
func (o *parser) line(rec *record) oms.LineDraft {
	l := oms.LineDraft{SKU: rec.value(o.r, colSKU)}
	if l.SKU == "" {
		o.problem(rec, colSKU, "is required")
	}
	switch v := rec.value(o.r, colQuantity); {
	case v == "":
		o.problem(rec, colQuantity, "is required")
	default:
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 1 || n > oms.MaxLineQuantity {
			o.problem(rec, colQuantity, "must be a whole number from 1 to %d, not %s", oms.MaxLineQuantity, quote(v))
		}
		l.Quantity = n
	}
	l.UnitPrice = o.amount(rec, colUnitPrice, true)
	l.Discount = o.amount(rec, colLineDiscount, false)
	l.Tax = o.amount(rec, colLineTax, false)
	return l
}

// amount reads an amount in the order's currency: 0 when empty, or when the
// currency is unknown (which is reported once, on its own column).
func (o *parser) amount(rec *record, column string, required bool) int64 {
	v := rec.value(o.r, column)
	switch {
	case v == "" && required:
		o.problem(rec, column, "is required")
		return 0
	case v == "" || o.currency == "":
		return 0
	}
	n, err := money.Parse(v, o.currency)
	switch {
	case err != nil:
		o.problem(rec, column, "is not valid: %v", err)
	case n < 0:
		o.problem(rec, column, "must not be negative, not %s", quote(v))
	default:
		return n
	}
	return 0
}

// validate checks the draft as the store will (with a channel set), naming
// each problem by its row and column. A problem with a value already
// reported (a quantity that is not a number is also not from 1 to 1000000)
// is not reported twice.
func (o *parser) validate(in *oms.Ingested) {
	d := in.Draft
	d.Channel = "x"
	var e *oms.Error
	if !errors.As(d.Validate(), &e) {
		return
	}
	for _, fe := range e.Fields {
		rec, column := o.locate(fe.Field)
		switch {
		case column == "":
			o.problem(rec, colOrderID, "%s: %s", quote(in.Draft.ExternalID), fe.Message)
		case !o.reported(rec, column):
			o.problem(rec, column, "%s", fe.Message)
		}
	}
}

// state sets the totals the rows state: those oms computes from them, as the
// CSV has no separate totals. An order whose tax cells are all empty states
// none: oms computes its tax, and there is nothing to reconcile.
func (o *parser) state(in *oms.Ingested) error {
	d := &in.Draft
	if d.ComputeTax {
		return nil
	}
	lines := make([]oms.Line, len(d.Lines))
	for i, l := range d.Lines {
		lines[i] = oms.Line{SKU: l.SKU, Quantity: l.Quantity, UnitPrice: l.UnitPrice, Discount: l.Discount, Tax: l.Tax}
	}
	t, err := oms.ComputeTotals(lines, oms.Charges{Shipping: d.ShippingPrice, ShippingTax: d.ShippingTax, TaxesIncluded: d.TaxesIncluded})
	in.Stated = t
	return err // nil: Validate computed the same totals
}

// locate finds the row and column of a field oms.OrderDraft.Validate names;
// the column is "" for a problem with the whole order.
func (o *parser) locate(path string) (*record, string) {
	first := o.rows[0]
	if rest, ok := strings.CutPrefix(path, "ship_to."); ok {
		return first, shipColumns[rest]
	}
	if rest, ok := strings.CutPrefix(path, "lines["); ok {
		idx, name, _ := strings.Cut(rest, "].")
		if i, err := strconv.Atoi(idx); err == nil && i >= 0 && i < len(o.rows) {
			return o.rows[i], lineColumns[name]
		}
	}
	return first, orderColumns[path]
}
