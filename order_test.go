package oms_test

import (
	"testing"

	"github.com/omshq/oms"
)

func TestDeriveStatus(t *testing.T) {
	tests := []struct {
		name  string
		lines []oms.Line
		want  oms.Status
	}{
		{"no lines", nil, oms.StatusPending},
		{"every unit open", []oms.Line{
			{Quantity: 3, Open: 3},
		}, oms.StatusBackordered},
		{"every unit allocated", []oms.Line{
			{Quantity: 3, Allocated: 3},
			{Quantity: 1, Allocated: 1},
		}, oms.StatusAllocated},
		{"one line allocated, one open", []oms.Line{
			{Quantity: 2, Allocated: 2},
			{Quantity: 1, Open: 1},
		}, oms.StatusBackordered},
		{"a line split between allocated and open", []oms.Line{
			{Quantity: 5, Allocated: 4, Open: 1},
		}, oms.StatusBackordered},
		{"some shipped, rest allocated", []oms.Line{
			{Quantity: 3, Shipped: 1, Allocated: 2},
		}, oms.StatusPartiallyShipped},
		{"some shipped, rest open", []oms.Line{
			{Quantity: 3, Shipped: 1, Open: 2},
		}, oms.StatusPartiallyShipped},
		{"one line shipped, another allocated", []oms.Line{
			{Quantity: 2, Shipped: 2},
			{Quantity: 1, Allocated: 1},
		}, oms.StatusPartiallyShipped},
		{"every unit shipped", []oms.Line{
			{Quantity: 2, Shipped: 2},
			{Quantity: 7, Shipped: 7},
		}, oms.StatusShipped},
		{"shipped units later returned are still shipped", []oms.Line{
			{Quantity: 2, Shipped: 2, Returned: 2},
		}, oms.StatusShipped},
		{"every unit cancelled", []oms.Line{
			{Quantity: 2, Cancelled: 2},
			{Quantity: 1, Cancelled: 1},
		}, oms.StatusCancelled},
		{"one line cancelled, the other shipped", []oms.Line{
			{Quantity: 2, Cancelled: 2},
			{Quantity: 1, Shipped: 1},
		}, oms.StatusShipped},
		{"cancelled and shipped units on one line", []oms.Line{
			{Quantity: 5, Shipped: 3, Cancelled: 2},
		}, oms.StatusShipped},
		{"cancelled and allocated", []oms.Line{
			{Quantity: 4, Cancelled: 1, Allocated: 3},
		}, oms.StatusAllocated},
		{"cancelled and open", []oms.Line{
			{Quantity: 4, Cancelled: 3, Open: 1},
		}, oms.StatusBackordered},
		{"cancelled, shipped and open", []oms.Line{
			{Quantity: 2, Cancelled: 2},
			{Quantity: 3, Shipped: 1, Open: 2},
		}, oms.StatusPartiallyShipped},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for i := range tt.lines {
				if !tt.lines[i].Balanced() {
					t.Fatalf("fixture line %d is not balanced: %+v", i, tt.lines[i])
				}
			}
			if got := oms.DeriveStatus(tt.lines, nil); got != tt.want {
				t.Errorf("DeriveStatus() = %q, want %q", got, tt.want)
			}
			o := oms.Order{Status: "stale", Lines: tt.lines}
			o.Refresh()
			if o.Status != tt.want {
				t.Errorf("Refresh() set status %q, want %q", o.Status, tt.want)
			}
		})
	}
}

func TestLineBalanced(t *testing.T) {
	tests := []struct {
		name string
		line oms.Line
		want bool
	}{
		{"empty line", oms.Line{}, true},
		{"all open", oms.Line{Quantity: 3, Open: 3}, true},
		{"every state used", oms.Line{Quantity: 10, Open: 1, Allocated: 2, Shipped: 3, Cancelled: 4, Returned: 3}, true},
		{"returned equals shipped", oms.Line{Quantity: 2, Shipped: 2, Returned: 2}, true},
		{"returned above shipped", oms.Line{Quantity: 2, Shipped: 1, Open: 1, Returned: 2}, false},
		{"parts sum below quantity", oms.Line{Quantity: 3, Open: 1, Allocated: 1}, false},
		{"parts sum above quantity", oms.Line{Quantity: 3, Open: 2, Allocated: 2}, false},
		{"negative open made up by allocated", oms.Line{Quantity: 3, Open: -1, Allocated: 4}, false},
		{"negative allocated", oms.Line{Quantity: 1, Open: 2, Allocated: -1}, false},
		{"negative shipped", oms.Line{Quantity: 1, Open: 2, Shipped: -1}, false},
		{"negative cancelled", oms.Line{Quantity: 1, Open: 2, Cancelled: -1}, false},
		{"negative returned", oms.Line{Quantity: 1, Shipped: 1, Returned: -1}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.line.Balanced(); got != tt.want {
				t.Errorf("Balanced(%+v) = %v, want %v", tt.line, got, tt.want)
			}
		})
	}
}

func TestOrderLine(t *testing.T) {
	o := oms.Order{Lines: []oms.Line{{ID: "l1", SKU: "A"}, {ID: "l2", SKU: "B"}}}
	tests := []struct {
		name string
		id   string
		want int // index of the line found, -1 for none
	}{
		{"first", "l1", 0},
		{"second", "l2", 1},
		{"unknown", "l3", -1},
		{"empty id", "", -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := o.Line(tt.id)
			if tt.want < 0 {
				if l != nil {
					t.Fatalf("Line(%q) = %+v, want nil", tt.id, *l)
				}
				return
			}
			// A pointer into o.Lines, so that rules can change the line in place.
			if l != &o.Lines[tt.want] {
				t.Fatalf("Line(%q) = %p, want &o.Lines[%d] = %p", tt.id, l, tt.want, &o.Lines[tt.want])
			}
		})
	}
}

func TestDeriveStatusWithFulfillments(t *testing.T) {
	shippedAll := []oms.Line{{Quantity: 2, Shipped: 2}}
	allocated := []oms.Line{{Quantity: 2, Allocated: 2}}
	cases := []struct {
		name  string
		lines []oms.Line
		fs    []oms.FulfillmentStatus
		want  oms.Status
	}{
		{"shipped, in transit", shippedAll, []oms.FulfillmentStatus{oms.FulfillmentShipped}, oms.StatusShipped},
		{"shipped, all delivered", shippedAll, []oms.FulfillmentStatus{oms.FulfillmentDelivered, oms.FulfillmentCancelled}, oms.StatusDelivered},
		{"one of two parcels delivered", shippedAll, []oms.FulfillmentStatus{oms.FulfillmentDelivered, oms.FulfillmentShipped}, oms.StatusShipped},
		{"picked up", shippedAll, []oms.FulfillmentStatus{oms.FulfillmentPickedUp}, oms.StatusDelivered},
		{"waiting at the counter", allocated, []oms.FulfillmentStatus{oms.FulfillmentReadyForPickup}, oms.StatusReadyForPickup},
		{"partly at the counter", allocated, []oms.FulfillmentStatus{oms.FulfillmentReadyForPickup, oms.FulfillmentPicking}, oms.StatusAllocated},
		{"allocated, being picked", allocated, []oms.FulfillmentStatus{oms.FulfillmentPicking}, oms.StatusAllocated},
		{"delivered but more to ship", []oms.Line{{Quantity: 2, Shipped: 1, Allocated: 1}}, []oms.FulfillmentStatus{oms.FulfillmentDelivered, oms.FulfillmentPending}, oms.StatusPartiallyShipped},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := oms.DeriveStatus(c.lines, c.fs); got != c.want {
				t.Errorf("DeriveStatus = %s, want %s", got, c.want)
			}
		})
	}
}
