package oms_test

import (
	"reflect"
	"testing"

	"github.com/omshq/oms"
)

// editOrder is order 1001: line 1 (3 × 10.00, discount 3.00, tax 2.70) has
// one unit open and two in a pending fulfillment at east; line 2 (2 × 5.00)
// is being picked at west.
func editOrder() (*oms.Order, []oms.Fulfillment) {
	o := &oms.Order{ID: "ord_1", Number: "1001", Currency: "USD", Holds: []oms.Hold{},
		Lines: []oms.Line{
			{ID: "1001-1", SKU: "A", Quantity: 3, UnitPrice: 1000, Subtotal: 3000, Discount: 300, Tax: 270, Open: 1, Allocated: 2},
			{ID: "1001-2", SKU: "B", Quantity: 2, UnitPrice: 500, Subtotal: 1000, Allocated: 2},
		},
		Allocations: []oms.Allocation{{LineID: "1001-1", Location: "east", Quantity: 2}, {LineID: "1001-2", Location: "west", Quantity: 2}},
	}
	o.Totals, _ = oms.ComputeTotals(o.Lines, oms.Charges{Shipping: 500, ShippingTax: 45})
	o.Refresh()
	fs := []oms.Fulfillment{
		{ID: "1001-F1", Location: "east", Status: oms.FulfillmentPending, Lines: []oms.FulfillmentLine{{LineID: "1001-1", SKU: "A", Quantity: 2}}},
		{ID: "1001-F2", Location: "west", Status: oms.FulfillmentPicking, Lines: []oms.FulfillmentLine{{LineID: "1001-2", SKU: "B", Quantity: 2}}},
	}
	return o, fs
}

func TestEdit(t *testing.T) {
	us := &oms.Address{Line1: "9 Oak Ave", City: "Denver", Country: "US"}
	tests := []struct {
		name     string
		ops      []oms.EditOp
		releases []oms.Release
		lines    []oms.Line // the lines after, when checked
		total    int64
	}{
		{"lower a quantity: open first, then the pending allocation",
			[]oms.EditOp{{Kind: oms.EditQuantity, LineID: "1001-1", Quantity: 1}},
			[]oms.Release{{LineID: "1001-1", SKU: "A", Location: "east", Quantity: 1}},
			[]oms.Line{{ID: "1001-1", SKU: "A", Quantity: 1, UnitPrice: 1000, Subtotal: 1000, Discount: 100, Tax: 90, Allocated: 1}},
			// 1000 − 100 + 1000 + 500 shipping + 90 + 45 tax
			2535},
		{"raise a quantity: the new units are open",
			[]oms.EditOp{{Kind: oms.EditQuantity, LineID: "1001-1", Quantity: 5}},
			nil,
			[]oms.Line{{ID: "1001-1", SKU: "A", Quantity: 5, UnitPrice: 1000, Subtotal: 5000, Discount: 500, Tax: 450, Open: 3, Allocated: 2}},
			5000 - 500 + 1000 + 500 + 450 + 45},
		{"remove a line: everything released, amounts 0",
			[]oms.EditOp{{Kind: oms.EditRemoveLine, LineID: "1001-1"}},
			[]oms.Release{{LineID: "1001-1", SKU: "A", Location: "east", Quantity: 2}},
			[]oms.Line{{ID: "1001-1", SKU: "A", UnitPrice: 1000}},
			1000 + 500 + 45},
		{"cancel units: released, the amounts stay",
			[]oms.EditOp{{Kind: oms.EditCancelLine, LineID: "1001-1", Quantity: 2}},
			[]oms.Release{{LineID: "1001-1", SKU: "A", Location: "east", Quantity: 1}},
			[]oms.Line{{ID: "1001-1", SKU: "A", Quantity: 3, UnitPrice: 1000, Subtotal: 3000, Discount: 300, Tax: 270, Allocated: 1, Cancelled: 2}},
			3000 - 300 + 1000 + 500 + 270 + 45},
		{"add a line and change the address",
			[]oms.EditOp{{Kind: oms.EditAddLine, Line: oms.LineDraft{SKU: "C", Quantity: 2, UnitPrice: 250, Tax: 40}},
				{Kind: oms.EditShipTo, ShipTo: us}},
			nil, nil, 3000 - 300 + 1000 + 500 + 270 + 45 + 500 + 40},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o, fs := editOrder()
			before := o.Total
			res, err := o.Edit(tt.ops, fs)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(res.Releases, tt.releases) {
				t.Errorf("releases %+v, want %+v", res.Releases, tt.releases)
			}
			if tt.lines != nil && !reflect.DeepEqual(o.Lines[:len(tt.lines)], tt.lines) {
				t.Errorf("lines %+v, want %+v", o.Lines[:len(tt.lines)], tt.lines)
			}
			if o.Total != tt.total || res.After.Total != tt.total || res.Before.Total != before || len(res.Changes) != len(tt.ops) {
				t.Errorf("total %d (result %d, before %d), want %d; changes %q", o.Total, res.After.Total, res.Before.Total, tt.total, res.Changes)
			}
			for _, l := range o.Lines {
				if !l.Balanced() {
					t.Errorf("line %+v does not add up", l)
				}
			}
		})
	}
	t.Run("added line and new address", func(t *testing.T) {
		o, fs := editOrder()
		if _, err := o.Edit([]oms.EditOp{{Kind: oms.EditAddLine, Line: oms.LineDraft{SKU: "C", Quantity: 2, UnitPrice: 250}},
			{Kind: oms.EditShipTo, ShipTo: us}}, fs); err != nil {
			t.Fatal(err)
		}
		if l := o.Lines[2]; l.SKU != "C" || l.Open != 2 || l.Subtotal != 500 || o.ShipTo.City != "Denver" {
			t.Errorf("line %+v, ship-to %+v", l, o.ShipTo)
		}
	})
}

func TestEditRefused(t *testing.T) {
	bad := &oms.Address{Line1: "1 Rue", City: "Paris", Country: "XX"}
	tests := []struct {
		name  string
		ops   []oms.EditOp
		code  string
		field string
	}{
		{"no operations", nil, oms.EINVALID, "operations"},
		{"unknown line", []oms.EditOp{{Kind: oms.EditQuantity, LineID: "1001-9", Quantity: 1}}, oms.EINVALID, "operations[0].line_id"},
		{"quantity 0", []oms.EditOp{{Kind: oms.EditQuantity, LineID: "1001-1", Quantity: 0}}, oms.EINVALID, "operations[0].quantity"},
		{"negative quantity", []oms.EditOp{{Kind: oms.EditQuantity, LineID: "1001-1", Quantity: -2}}, oms.EINVALID, "operations[0].quantity"},
		{"bad country", []oms.EditOp{{Kind: oms.EditShipTo, ShipTo: bad}}, oms.EINVALID, "operations[0].ship_to.country"},
		{"unknown op", []oms.EditOp{{Kind: "merge"}}, oms.EINVALID, "operations[0].op"},
		{"add line without sku", []oms.EditOp{{Kind: oms.EditAddLine, Line: oms.LineDraft{Quantity: 1}}}, oms.EINVALID, "operations[0].sku"},
		{"cancel too many", []oms.EditOp{{Kind: oms.EditCancelLine, LineID: "1001-1", Quantity: 4}}, oms.EINVALID, "operations[0].quantity"},
		{"below what is being picked", []oms.EditOp{{Kind: oms.EditQuantity, LineID: "1001-2", Quantity: 1}}, oms.ECONFLICT, "operations[0].quantity"},
		{"remove a line being picked", []oms.EditOp{{Kind: oms.EditRemoveLine, LineID: "1001-2"}}, oms.ECONFLICT, "operations[0].line_id"},
		{"a good op then a bad one", []oms.EditOp{{Kind: oms.EditQuantity, LineID: "1001-1", Quantity: 1},
			{Kind: oms.EditQuantity, LineID: "1001-1", Quantity: 0}}, oms.EINVALID, "operations[1].quantity"},
		{"a removed line", []oms.EditOp{{Kind: oms.EditRemoveLine, LineID: "1001-1"},
			{Kind: oms.EditQuantity, LineID: "1001-1", Quantity: 2}}, oms.ECONFLICT, "operations[1].line_id"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o, fs := editOrder()
			want, _ := editOrder()
			_, err := o.Edit(tt.ops, fs)
			e, ok := err.(*oms.Error)
			if !ok || e.Code != tt.code || len(e.Fields) == 0 || e.Fields[0].Field != tt.field {
				t.Fatalf("err = %v, want %s on %s", err, tt.code, tt.field)
			}
			if !reflect.DeepEqual(o, want) {
				t.Errorf("a refused edit changed the order: %+v", o)
			}
		})
	}
	t.Run("shipped line and address", func(t *testing.T) {
		o, fs := editOrder()
		o.Lines[1].Allocated, o.Lines[1].Shipped = 0, 2
		for _, op := range []oms.EditOp{{Kind: oms.EditQuantity, LineID: "1001-2", Quantity: 3},
			{Kind: oms.EditShipTo, ShipTo: &oms.Address{Line1: "1 Main", City: "Reno", Country: "US"}}} {
			_, err := o.Edit([]oms.EditOp{op}, fs)
			if oms.ErrorCode(err) != oms.ECONFLICT {
				t.Errorf("%s on a shipped order: %v", op.Kind, err)
			}
		}
	})
	t.Run("every line removed", func(t *testing.T) {
		o, _ := editOrder()
		_, err := o.Edit([]oms.EditOp{{Kind: oms.EditRemoveLine, LineID: "1001-1"}, {Kind: oms.EditRemoveLine, LineID: "1001-2"}}, nil)
		if oms.ErrorCode(err) != oms.ECONFLICT {
			t.Errorf("emptying the order: %v", err)
		}
	})
}

func TestProrate(t *testing.T) {
	tests := []struct{ v, num, den, want int64 }{
		{300, 1, 3, 100},
		{100, 2, 3, 67},
		{5, 1, 2, 2},  // 2.5: half to even
		{15, 1, 2, 8}, // 7.5: half to even
		{oms.MaxAmount, oms.MaxLineQuantity, 7, 1428571428571428571},
	}
	for _, tt := range tests {
		if got, ok := oms.Prorate(tt.v, tt.num, tt.den); !ok || got != tt.want {
			t.Errorf("Prorate(%d, %d, %d) = %d, %v; want %d", tt.v, tt.num, tt.den, got, ok, tt.want)
		}
	}
	if _, ok := oms.Prorate(oms.MaxAmount, oms.MaxAmount, 1); ok {
		t.Error("an overflow was not reported")
	}
}
