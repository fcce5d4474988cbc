package oms_test

import (
	"fmt"
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
		{"lines a marketplace zeroed when it cancelled", []oms.Line{
			{Quantity: 0},
			{Quantity: 0},
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
			if got := oms.DeriveStatus(tt.lines, nil, false); got != tt.want {
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
			if got := oms.DeriveStatus(c.lines, states(c.fs), false); got != c.want {
				t.Errorf("DeriveStatus = %s, want %s", got, c.want)
			}
		})
	}
}

func TestDeriveStatusHeld(t *testing.T) {
	cases := []struct {
		lines []oms.Line
		want  oms.Status
	}{
		{[]oms.Line{{Quantity: 2, Allocated: 2}}, oms.StatusOnHold},
		{[]oms.Line{{Quantity: 2, Open: 2}}, oms.StatusOnHold},
		{[]oms.Line{{Quantity: 2, Shipped: 1, Allocated: 1}}, oms.StatusOnHold},
		{[]oms.Line{{Quantity: 2, Shipped: 2}}, oms.StatusShipped},
		{[]oms.Line{{Quantity: 2, Cancelled: 2}}, oms.StatusCancelled},
	}
	for _, c := range cases {
		if got := oms.DeriveStatus(c.lines, nil, true); got != c.want {
			t.Errorf("held %+v = %s, want %s", c.lines, got, c.want)
		}
	}
}

func TestScreening(t *testing.T) {
	us := &oms.Address{Line1: "1 A St", City: "Boston", Country: "US", PostalCode: "02108"}
	order := func(total int64, ship *oms.Address) *oms.Order {
		return &oms.Order{Currency: "USD", Totals: oms.Totals{Total: total}, ShipTo: ship, Customer: oms.Customer{Email: "a@b.co"}}
	}
	rules := oms.Screening{MaxTotal: map[string]int64{"USD": 100_000}, BillingMustMatch: true,
		MaxOrdersPerEmail: 3, WindowMinutes: 60, CheckAddress: true}
	cases := []struct {
		name string
		o    *oms.Order
		in   oms.ScreenInput
		want []oms.HoldType
	}{
		{"clean", order(5_000, us), oms.ScreenInput{Billing: us}, nil},
		{"over the threshold", order(100_001, us), oms.ScreenInput{}, []oms.HoldType{oms.HoldFraud}},
		{"at the threshold", order(100_000, us), oms.ScreenInput{}, nil},
		{"billing abroad", order(5_000, us), oms.ScreenInput{Billing: &oms.Address{Country: "NG"}}, []oms.HoldType{oms.HoldFraud}},
		{"too many orders", order(5_000, us), oms.ScreenInput{RecentOrders: 3}, []oms.HoldType{oms.HoldFraud}},
		{"bad postal code", order(5_000, &oms.Address{Line1: "x", City: "y", Country: "US", PostalCode: "ABC"}), oms.ScreenInput{}, []oms.HoldType{oms.HoldAddress}},
		{"no postal format known", order(5_000, &oms.Address{Line1: "x", City: "y", Country: "IE"}), oms.ScreenInput{}, nil},
		{"everything wrong", order(200_000, &oms.Address{Line1: "x", City: "y", Country: "US"}),
			oms.ScreenInput{Billing: &oms.Address{Country: "CA"}, RecentOrders: 9},
			[]oms.HoldType{oms.HoldFraud, oms.HoldFraud, oms.HoldFraud, oms.HoldAddress}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var got []oms.HoldType
			for _, h := range rules.Screen(c.o, c.in) {
				got = append(got, h.Type)
				if h.Reason == "" {
					t.Error("hold without a reason")
				}
			}
			if fmt.Sprint(got) != fmt.Sprint(c.want) {
				t.Errorf("holds = %v, want %v", got, c.want)
			}
		})
	}
	off := oms.Screening{}
	if h := off.Screen(order(1<<40, &oms.Address{Country: "US"}), oms.ScreenInput{RecentOrders: 99}); len(h) != 0 {
		t.Errorf("rules off still hold: %+v", h)
	}
	bad := oms.Screening{MaxTotal: map[string]int64{"XYZ": 1}, MaxOrdersPerEmail: 2}
	checkInvalid(t, bad.Validate(), "max_total.XYZ", "window_minutes")
}

// states gives each status the shipped flag it has in a plain shipment or
// a pickup at the store itself.
func states(ss []oms.FulfillmentStatus) []oms.FulfillmentState {
	out := make([]oms.FulfillmentState, len(ss))
	for i, s := range ss {
		out[i] = oms.FulfillmentState{Status: s, Shipped: s.Gone()}
	}
	return out
}

// TestDeriveStatusStoreTransfer follows a pickup whose units come from
// another location: shipped to the store, ready there, picked up.
func TestDeriveStatusStoreTransfer(t *testing.T) {
	gone := []oms.Line{{Quantity: 2, Shipped: 2}}
	cases := []struct {
		name string
		fs   []oms.FulfillmentState
		want oms.Status
	}{
		{"on its way to the store", []oms.FulfillmentState{{Status: oms.FulfillmentShipped, Shipped: true}}, oms.StatusShipped},
		{"at the counter", []oms.FulfillmentState{{Status: oms.FulfillmentReadyForPickup, Shipped: true}}, oms.StatusReadyForPickup},
		{"picked up", []oms.FulfillmentState{{Status: oms.FulfillmentPickedUp, Shipped: true}}, oms.StatusDelivered},
	}
	for _, c := range cases {
		if got := oms.DeriveStatus(gone, c.fs, false); got != c.want {
			t.Errorf("%s: %s, want %s", c.name, got, c.want)
		}
	}
	mixed := []oms.Line{{Quantity: 2, Shipped: 1, Allocated: 1}}
	both := []oms.FulfillmentState{{Status: oms.FulfillmentReadyForPickup, Shipped: true}, {Status: oms.FulfillmentReadyForPickup}}
	if got := oms.DeriveStatus(mixed, both, false); got != oms.StatusReadyForPickup {
		t.Errorf("half from the store, half transferred, all at the counter: %s", got)
	}
}
