package oms_test

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"

	"github.com/omshq/oms"
)

// partlyShippedOrder has a line partly allocated at two locations, a line
// partly shipped, and a line fully shipped. WH2's allocation of l1 was placed
// last.
func partlyShippedOrder() *oms.Order {
	o := &oms.Order{Number: "1001", Lines: []oms.Line{
		{ID: "l1", SKU: "A", Quantity: 5, Open: 1, Allocated: 4},
		{ID: "l2", SKU: "B", Quantity: 3, Allocated: 2, Shipped: 1},
		{ID: "l3", SKU: "C", Quantity: 2, Shipped: 2},
	}, Allocations: []oms.Allocation{{"l1", "WH1", 3}, {"l2", "WH1", 2}, {"l1", "WH2", 1}}}
	o.Refresh()
	return o
}

// unshippedOrder has one line allocated at two locations and one backordered.
func unshippedOrder() *oms.Order {
	o := &oms.Order{Number: "1002", Lines: []oms.Line{
		{ID: "l1", SKU: "A", Quantity: 4, Allocated: 4},
		{ID: "l2", SKU: "B", Quantity: 2, Open: 2},
	}, Allocations: []oms.Allocation{{"l1", "WH1", 1}, {"l1", "WH2", 3}}}
	o.Refresh()
	return o
}

// finishedOrder has nothing left to cancel: every unit shipped or cancelled.
func finishedOrder() *oms.Order {
	o := &oms.Order{Number: "1003", Lines: []oms.Line{
		{ID: "l1", SKU: "A", Quantity: 3, Shipped: 2, Cancelled: 1},
		{ID: "l2", SKU: "B", Quantity: 1, Cancelled: 1},
	}}
	o.Refresh()
	return o
}

func TestOrderCancel(t *testing.T) {
	tests := []struct {
		name            string
		order           func() *oms.Order
		req             []oms.CancelLine
		wantReleases    []oms.Release
		wantLines       []oms.Line
		wantAllocations []oms.Allocation
		wantStatus      oms.Status
	}{
		{
			name:  "empty request cancels every unshipped unit",
			order: partlyShippedOrder,
			wantReleases: []oms.Release{
				{"l1", "A", "WH2", 1}, {"l1", "A", "WH1", 3}, {"l2", "B", "WH1", 2},
			},
			wantLines: []oms.Line{
				{ID: "l1", SKU: "A", Quantity: 5, Cancelled: 5},
				{ID: "l2", SKU: "B", Quantity: 3, Shipped: 1, Cancelled: 2},
				{ID: "l3", SKU: "C", Quantity: 2, Shipped: 2},
			},
			wantStatus: oms.StatusShipped,
		},
		{
			name:         "empty request on an unshipped order cancels it",
			order:        unshippedOrder,
			wantReleases: []oms.Release{{"l1", "A", "WH2", 3}, {"l1", "A", "WH1", 1}},
			wantLines: []oms.Line{
				{ID: "l1", SKU: "A", Quantity: 4, Cancelled: 4},
				{ID: "l2", SKU: "B", Quantity: 2, Cancelled: 2},
			},
			wantStatus: oms.StatusCancelled,
		},
		{
			name:  "open units go first",
			order: partlyShippedOrder,
			req:   []oms.CancelLine{{"l1", 1}},
			wantLines: []oms.Line{
				{ID: "l1", SKU: "A", Quantity: 5, Allocated: 4, Cancelled: 1},
				{ID: "l2", SKU: "B", Quantity: 3, Allocated: 2, Shipped: 1},
				{ID: "l3", SKU: "C", Quantity: 2, Shipped: 2},
			},
			wantAllocations: []oms.Allocation{{"l1", "WH1", 3}, {"l2", "WH1", 2}, {"l1", "WH2", 1}},
			wantStatus:      oms.StatusPartiallyShipped,
		},
		{
			name:         "then the most recently placed allocation",
			order:        partlyShippedOrder,
			req:          []oms.CancelLine{{"l1", 2}},
			wantReleases: []oms.Release{{"l1", "A", "WH2", 1}},
			wantLines: []oms.Line{
				{ID: "l1", SKU: "A", Quantity: 5, Allocated: 3, Cancelled: 2},
				{ID: "l2", SKU: "B", Quantity: 3, Allocated: 2, Shipped: 1},
				{ID: "l3", SKU: "C", Quantity: 2, Shipped: 2},
			},
			wantAllocations: []oms.Allocation{{"l1", "WH1", 3}, {"l2", "WH1", 2}},
			wantStatus:      oms.StatusPartiallyShipped,
		},
		{
			name:         "a cancel spanning allocations takes the newest first",
			order:        partlyShippedOrder,
			req:          []oms.CancelLine{{"l1", 4}},
			wantReleases: []oms.Release{{"l1", "A", "WH2", 1}, {"l1", "A", "WH1", 2}},
			wantLines: []oms.Line{
				{ID: "l1", SKU: "A", Quantity: 5, Allocated: 1, Cancelled: 4},
				{ID: "l2", SKU: "B", Quantity: 3, Allocated: 2, Shipped: 1},
				{ID: "l3", SKU: "C", Quantity: 2, Shipped: 2},
			},
			wantAllocations: []oms.Allocation{{"l1", "WH1", 1}, {"l2", "WH1", 2}},
			wantStatus:      oms.StatusPartiallyShipped,
		},
		{
			name:         "several lines in one request",
			order:        partlyShippedOrder,
			req:          []oms.CancelLine{{"l2", 1}, {"l1", 1}},
			wantReleases: []oms.Release{{"l2", "B", "WH1", 1}},
			wantLines: []oms.Line{
				{ID: "l1", SKU: "A", Quantity: 5, Allocated: 4, Cancelled: 1},
				{ID: "l2", SKU: "B", Quantity: 3, Allocated: 1, Shipped: 1, Cancelled: 1},
				{ID: "l3", SKU: "C", Quantity: 2, Shipped: 2},
			},
			wantAllocations: []oms.Allocation{{"l1", "WH1", 3}, {"l2", "WH1", 1}, {"l1", "WH2", 1}},
			wantStatus:      oms.StatusPartiallyShipped,
		},
		{
			name:         "part of an allocation stays",
			order:        unshippedOrder,
			req:          []oms.CancelLine{{"l1", 2}},
			wantReleases: []oms.Release{{"l1", "A", "WH2", 2}},
			wantLines: []oms.Line{
				{ID: "l1", SKU: "A", Quantity: 4, Allocated: 2, Cancelled: 2},
				{ID: "l2", SKU: "B", Quantity: 2, Open: 2},
			},
			wantAllocations: []oms.Allocation{{"l1", "WH1", 1}, {"l1", "WH2", 1}},
			wantStatus:      oms.StatusBackordered,
		},
		{
			name:  "cancelling the backordered units leaves an allocated order",
			order: unshippedOrder,
			req:   []oms.CancelLine{{"l2", 2}},
			wantLines: []oms.Line{
				{ID: "l1", SKU: "A", Quantity: 4, Allocated: 4},
				{ID: "l2", SKU: "B", Quantity: 2, Cancelled: 2},
			},
			wantAllocations: []oms.Allocation{{"l1", "WH1", 1}, {"l1", "WH2", 3}},
			wantStatus:      oms.StatusAllocated,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := tt.order()
			before := tt.order()
			releases, err := o.Cancel(slices.Clone(tt.req))
			if err != nil {
				t.Fatalf("Cancel: %v", err)
			}
			if !slices.Equal(releases, tt.wantReleases) {
				t.Errorf("releases = %+v, want %+v", releases, tt.wantReleases)
			}
			if !slices.Equal(o.Lines, tt.wantLines) {
				t.Errorf("lines = %+v, want %+v", o.Lines, tt.wantLines)
			}
			if !slices.Equal(o.Allocations, tt.wantAllocations) {
				t.Errorf("allocations = %+v, want %+v", o.Allocations, tt.wantAllocations)
			}
			if o.Status != tt.wantStatus {
				t.Errorf("status = %q, want %q", o.Status, tt.wantStatus)
			}
			checkCancelled(t, before, o, tt.req, releases)
		})
	}
}

func TestOrderCancelRejects(t *testing.T) {
	tests := []struct {
		name   string
		order  func() *oms.Order
		req    []oms.CancelLine
		code   string
		fields []string
	}{
		{"unknown line", partlyShippedOrder, []oms.CancelLine{{"l9", 1}}, oms.EINVALID, []string{"lines[0].line_id"}},
		{"empty line id", partlyShippedOrder, []oms.CancelLine{{"", 1}}, oms.EINVALID, []string{"lines[0].line_id"}},
		{"line named twice", partlyShippedOrder, []oms.CancelLine{{"l1", 1}, {"l1", 1}}, oms.EINVALID, []string{"lines[1].line_id"}},
		{"zero quantity", partlyShippedOrder, []oms.CancelLine{{"l1", 0}}, oms.EINVALID, []string{"lines[0].quantity"}},
		{"negative quantity", partlyShippedOrder, []oms.CancelLine{{"l1", -1}}, oms.EINVALID, []string{"lines[0].quantity"}},
		{"more than open + allocated", partlyShippedOrder, []oms.CancelLine{{"l1", 6}}, oms.EINVALID, []string{"lines[0].quantity"}},
		{"shipped units cannot be cancelled", partlyShippedOrder, []oms.CancelLine{{"l2", 3}}, oms.EINVALID, []string{"lines[0].quantity"}},
		{"fully shipped line", partlyShippedOrder, []oms.CancelLine{{"l3", 1}}, oms.EINVALID, []string{"lines[0].quantity"}},
		{"a bad line after a good one", partlyShippedOrder, []oms.CancelLine{{"l1", 1}, {"l9", 1}}, oms.EINVALID, []string{"lines[1].line_id"}},
		{"every bad line is named", partlyShippedOrder, []oms.CancelLine{{"l9", 1}, {"l1", 0}, {"l2", 3}},
			oms.EINVALID, []string{"lines[0].line_id", "lines[1].quantity", "lines[2].quantity"}},
		{"nothing left to cancel", finishedOrder, nil, oms.ECONFLICT, nil},
		{"an already cancelled line", finishedOrder, []oms.CancelLine{{"l2", 1}}, oms.EINVALID, []string{"lines[0].quantity"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := tt.order()
			releases, err := o.Cancel(tt.req)
			if code := oms.ErrorCode(err); code != tt.code {
				t.Fatalf("Cancel() error %v has code %q, want %q", err, code, tt.code)
			}
			if got := fieldsOf(err); !slices.Equal(got, tt.fields) {
				t.Errorf("fields = %q, want %q", got, tt.fields)
			}
			if releases != nil {
				t.Errorf("releases = %+v, want none", releases)
			}
			// Nothing is half-done: a rejected cancel leaves the order as it was.
			if want := tt.order(); !reflect.DeepEqual(o, want) {
				t.Errorf("order changed by a rejected cancel:\n%+v\nwant\n%+v", o, want)
			}
		})
	}
}

// TestOrderCancelProperties cancels random parts of random orders until
// nothing is left, checking the invariants after every step.
func TestOrderCancelProperties(t *testing.T) {
	rng := rand.New(rand.NewPCG(2025, 11))
	for n := range 500 {
		o := randomOrder(rng, n)
		for step := 0; ; step++ {
			var req []oms.CancelLine
			if rng.IntN(5) > 0 {
				for _, l := range o.Lines {
					if left := l.Open + l.Allocated; left > 0 && rng.IntN(2) == 0 {
						req = append(req, oms.CancelLine{LineID: l.ID, Quantity: 1 + rng.Int64N(left)})
					}
				}
				rng.Shuffle(len(req), func(i, j int) { req[i], req[j] = req[j], req[i] })
			}
			before := cloneOrder(o)
			releases, err := o.Cancel(slices.Clone(req))
			if len(req) == 0 && !slices.ContainsFunc(before.Lines, func(l oms.Line) bool { return l.Open+l.Allocated > 0 }) {
				if oms.ErrorCode(err) != oms.ECONFLICT {
					t.Fatalf("order %d step %d: nothing left, Cancel() = %v, want ECONFLICT", n, step, err)
				}
				break
			}
			if err != nil {
				t.Fatalf("order %d step %d: Cancel(%+v) on %+v: %v", n, step, req, before, err)
			}
			checkCancelled(t, before, o, req, releases)
			if t.Failed() {
				t.Fatalf("order %d step %d: Cancel(%+v) on\n%+v\ngave\n%+v", n, step, req, before, o)
			}
		}
	}
}

// randomOrder returns a balanced order whose allocations add up to its lines'
// allocated units, placed in a random order.
func randomOrder(rng *rand.Rand, n int) *oms.Order {
	o := &oms.Order{Number: fmt.Sprint(n)}
	for i := range 1 + rng.IntN(4) {
		l := oms.Line{ID: fmt.Sprintf("l%d", i), SKU: fmt.Sprintf("SKU-%d", i),
			Open: rng.Int64N(4), Shipped: rng.Int64N(3), Cancelled: rng.Int64N(2)}
		for range rng.IntN(4) {
			q := 1 + rng.Int64N(3)
			l.Allocated += q
			o.Allocations = append(o.Allocations, oms.Allocation{LineID: l.ID, Location: fmt.Sprintf("WH%d", rng.IntN(3)), Quantity: q})
		}
		l.Quantity = l.Open + l.Allocated + l.Shipped + l.Cancelled
		o.Lines = append(o.Lines, l)
	}
	rng.Shuffle(len(o.Allocations), func(i, j int) { o.Allocations[i], o.Allocations[j] = o.Allocations[j], o.Allocations[i] })
	o.Refresh()
	return o
}

func cloneOrder(o *oms.Order) *oms.Order {
	c := *o
	c.Lines = slices.Clone(o.Lines)
	c.Allocations = slices.Clone(o.Allocations)
	return &c
}

// checkCancelled asserts the invariants of a successful cancel of req (empty:
// everything unshipped) that turned before into after and returned releases.
func checkCancelled(t *testing.T, before, after *oms.Order, req []oms.CancelLine, releases []oms.Release) {
	t.Helper()
	asked := make(map[string]int64)
	for _, r := range req {
		asked[r.LineID] = r.Quantity
	}
	if len(req) == 0 {
		for _, l := range before.Lines {
			asked[l.ID] = l.Open + l.Allocated
		}
	}
	released := make(map[string]int64)
	for _, r := range releases {
		if r.Quantity <= 0 {
			t.Errorf("release %+v has quantity ≤ 0", r)
		}
		if l := before.Line(r.LineID); l == nil || l.SKU != r.SKU {
			t.Errorf("release %+v does not match a line of the order", r)
		}
		released[r.LineID] += r.Quantity
	}
	allocatedAt := make(map[string]int64)
	for _, a := range after.Allocations {
		if a.Quantity <= 0 {
			t.Errorf("allocation %+v left with quantity ≤ 0", a)
		}
		allocatedAt[a.LineID] += a.Quantity
	}
	for i, l := range after.Lines {
		was := before.Lines[i]
		if !l.Balanced() {
			t.Errorf("line %s is not balanced: %+v", l.ID, l)
		}
		if l.Cancelled-was.Cancelled != asked[l.ID] {
			t.Errorf("line %s: %d units cancelled, want %d", l.ID, l.Cancelled-was.Cancelled, asked[l.ID])
		}
		// Open units go first; only the rest comes out of allocations.
		if want := max(0, asked[l.ID]-was.Open); was.Allocated-l.Allocated != want || released[l.ID] != want {
			t.Errorf("line %s: allocated %d → %d, released %d; want %d released", l.ID, was.Allocated, l.Allocated, released[l.ID], want)
		}
		if allocatedAt[l.ID] != l.Allocated {
			t.Errorf("line %s: allocations hold %d units, line says %d allocated", l.ID, allocatedAt[l.ID], l.Allocated)
		}
		if l.Shipped != was.Shipped || l.Returned != was.Returned || l.Quantity != was.Quantity {
			t.Errorf("line %s: shipped, returned or quantity changed: %+v → %+v", l.ID, was, l)
		}
	}
	// Newest first: what stays of a line's allocations is its oldest ones, in
	// their order, the last of them perhaps reduced.
	for _, l := range before.Lines {
		was, now := allocationsOf(before, l.ID), allocationsOf(after, l.ID)
		for j, a := range now {
			last := j == len(now)-1
			if j >= len(was) || a.Location != was[j].Location ||
				(!last && a.Quantity != was[j].Quantity) || (last && a.Quantity > was[j].Quantity) {
				t.Errorf("line %s: allocations %+v → %+v, want the newest released first", l.ID, was, now)
				break
			}
		}
	}
	if want := oms.DeriveStatus(after.Lines, nil, false); after.Status != want {
		t.Errorf("status = %q, want it re-derived as %q", after.Status, want)
	}
}

func allocationsOf(o *oms.Order, lineID string) []oms.Allocation {
	var out []oms.Allocation
	for _, a := range o.Allocations {
		if a.LineID == lineID {
			out = append(out, a)
		}
	}
	return out
}
