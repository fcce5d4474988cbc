package bench

import (
	"context"
	"strings"
	"testing"

	"github.com/omshq/oms/internal/store"

	"github.com/omshq/oms"
)

func TestCompareOrder(t *testing.T) {
	want := ack{ID: "ord_1", Number: "7", Lines: []ackLine{
		{ID: "ln_1", SKU: "A", Quantity: 3, Allocated: 2},
		{ID: "ln_2", SKU: "B", Quantity: 1, Allocated: 0},
	}}
	stored := func() *oms.Order {
		return &oms.Order{ID: "ord_1", Lines: []oms.Line{
			{ID: "ln_1", SKU: "A", Quantity: 3, Allocated: 2, Open: 1},
			{ID: "ln_2", SKU: "B", Quantity: 1, Open: 1},
		}, Allocations: []oms.Allocation{{LineID: "ln_1", Location: "x", Quantity: 1}, {LineID: "ln_1", Location: "y", Quantity: 1}}}
	}
	tests := []struct {
		name   string
		change func(o *oms.Order)
		want   string // part of the problem; "" for none
	}{
		{"as acknowledged, split over two locations", func(*oms.Order) {}, ""},
		{"another order", func(o *oms.Order) { o.ID = "ord_2" }, "fetched order ord_2"},
		{"a line lost", func(o *oms.Order) { o.Lines = o.Lines[:1] }, "acknowledged with 2 lines, stored with 1"},
		{"another line id", func(o *oms.Order) { o.Lines[1].ID = "ln_9" }, "line 1"},
		{"another SKU", func(o *oms.Order) { o.Lines[0].SKU = "Z" }, "stored as ln_1 Z"},
		{"quantity changed", func(o *oms.Order) { o.Lines[0].Quantity = 4 }, "acknowledged quantity 3, stored 4"},
		{"allocation lost", func(o *oms.Order) { o.Lines[0].Allocated, o.Lines[0].Open = 1, 2 }, "acknowledged 2 allocated, stored 1"},
		{"reservation row lost", func(o *oms.Order) { o.Allocations = o.Allocations[:1] }, "reservations hold 1"},
		{"reservation on another line", func(o *oms.Order) { o.Allocations[1].LineID = "ln_2" }, "reservations hold 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := stored()
			tt.change(o)
			got := compareOrder(want, o)
			if (tt.want == "") != (got == "") || !strings.Contains(got, tt.want) {
				t.Errorf("compareOrder = %q, want %q", got, tt.want)
			}
		})
	}
}

// TestCheckAcks checks verification against a real in-process oms, both
// through the store and over HTTP: a placed order is found as acknowledged;
// an order never placed, or placed differently, is reported.
func TestCheckAcks(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a server")
	}
	ctx := context.Background()
	tgt, err := startServer(ctx, "sqlite", store.Options{}, 1)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { tgt.close(ctx, false) })
	c := newClient(tgt.base, 2)
	t.Cleanup(c.close)
	plan := NewPlan(10)
	if _, err := setup(ctx, c, tgt.adminKey, &plan, 2, "test"); err != nil {
		t.Fatal(err)
	}
	o, created, err := tgt.db.PlaceOrder(ctx, newOrderGen(&plan, 1, 0, "t").runOrder(), oms.System("test"))
	if err != nil || !created {
		t.Fatalf("PlaceOrder: %v, created %v", err, created)
	}
	good := ackOf(o)
	changed := ackOf(o)
	changed.Lines = changed.Lines[:0]
	missing := ack{ID: "ord_01NOTTHERE", Number: "999"}
	overHTTP := *tgt
	overHTTP.db = nil
	for name, tg := range map[string]*target{"store": tgt, "http": &overHTTP} {
		t.Run(name, func(t *testing.T) {
			got, err := checkAcks(ctx, tg, c, []ack{good, changed, missing}, 2)
			if err != nil {
				t.Fatal(err)
			}
			if got.Checked != 3 || got.Verified != 1 || len(got.Problems) != 2 {
				t.Fatalf("checkAcks = %+v, want 3 checked, 1 verified, 2 problems", got)
			}
			all := strings.Join(got.Problems, "\n")
			if !strings.Contains(all, "ord_01NOTTHERE (number 999) was acknowledged with 201 but does not exist") ||
				!strings.Contains(all, "acknowledged with 0 lines") {
				t.Errorf("problems:\n%s", all)
			}
			inv, err := checkInvariants(ctx, tg, c)
			if err != nil || !inv.OK || inv.Orders != 1 {
				t.Errorf("checkInvariants = %+v, %v; want ok over 1 order", inv, err)
			}
		})
	}
}
