package oms_test

import (
	"cmp"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"

	"github.com/omshq/oms"
)

// openLine is a line of n units of sku, none of them allocated yet.
func openLine(sku string, n int64) oms.Line {
	return oms.Line{SKU: sku, Quantity: n, Open: n}
}

func TestAllocate(t *testing.T) {
	tests := []struct {
		name  string
		lines []oms.Line
		stock []oms.Candidate
		want  oms.Plan
	}{
		{
			name:  "lower priority number first, even with less stock",
			lines: []oms.Line{openLine("A", 3)},
			stock: []oms.Candidate{{"A", "far", 2, 100}, {"A", "near", 1, 1}},
			want: oms.Plan{Placements: []oms.Placement{{0, "near", 1}, {0, "far", 2}},
				Open: []int64{0}},
		},
		{
			name:  "most available breaks a priority tie",
			lines: []oms.Line{openLine("A", 3)},
			stock: []oms.Candidate{{"A", "small", 1, 2}, {"A", "big", 1, 5}},
			want:  oms.Plan{Placements: []oms.Placement{{0, "big", 3}}, Open: []int64{0}},
		},
		{
			name:  "location code breaks a full tie",
			lines: []oms.Line{openLine("A", 3)},
			stock: []oms.Candidate{{"A", "wh-b", 1, 5}, {"A", "wh-a", 1, 5}},
			want:  oms.Plan{Placements: []oms.Placement{{0, "wh-a", 3}}, Open: []int64{0}},
		},
		{
			name:  "a line split across three locations",
			lines: []oms.Line{openLine("A", 10)},
			stock: []oms.Candidate{{"A", "l1", 0, 3}, {"A", "l3", 1, 5}, {"A", "l2", 0, 4}},
			want: oms.Plan{Placements: []oms.Placement{{0, "l2", 4}, {0, "l1", 3}, {0, "l3", 3}},
				Open: []int64{0}},
		},
		{
			name:  "exact cover is not short",
			lines: []oms.Line{openLine("A", 5)},
			stock: []oms.Candidate{{"A", "l1", 0, 2}, {"A", "l2", 0, 3}},
			want:  oms.Plan{Placements: []oms.Placement{{0, "l2", 3}, {0, "l1", 2}}, Open: []int64{0}},
		},
		{
			name:  "two lines of one SKU share stock in line order",
			lines: []oms.Line{openLine("A", 3), openLine("A", 3)},
			stock: []oms.Candidate{{"A", "wh", 0, 4}},
			want: oms.Plan{Placements: []oms.Placement{{0, "wh", 3}, {1, "wh", 1}},
				Open:  []int64{0, 2},
				Short: []oms.Shortage{{SKU: "A", Requested: 6, Available: 4}}},
		},
		{
			name:  "the next line continues where the last left off",
			lines: []oms.Line{openLine("A", 2), openLine("A", 3)},
			stock: []oms.Candidate{{"A", "l1", 0, 3}, {"A", "l2", 1, 5}},
			want: oms.Plan{Placements: []oms.Placement{{0, "l1", 2}, {1, "l1", 1}, {1, "l2", 2}},
				Open: []int64{0, 0}},
		},
		{
			name:  "locations with nothing available are ignored",
			lines: []oms.Line{openLine("A", 2)},
			stock: []oms.Candidate{{"A", "empty", 0, 0}, {"A", "owing", 0, -3}, {"A", "far", 9, 2}},
			want:  oms.Plan{Placements: []oms.Placement{{0, "far", 2}}, Open: []int64{0}},
		},
		{
			name:  "stock of another SKU is not used",
			lines: []oms.Line{openLine("A", 2)},
			stock: []oms.Candidate{{"B", "wh", 0, 10}},
			want: oms.Plan{Open: []int64{2},
				Short: []oms.Shortage{{SKU: "A", Requested: 2, Available: 0}}},
		},
		{
			name:  "shortages per SKU in first-seen order with totals",
			lines: []oms.Line{openLine("B", 2), openLine("A", 1), openLine("B", 1), openLine("C", 1)},
			stock: []oms.Candidate{{"C", "wh", 0, 5}, {"B", "wh", 0, 1}},
			want: oms.Plan{Placements: []oms.Placement{{0, "wh", 1}, {3, "wh", 1}},
				Open: []int64{1, 1, 1, 0},
				Short: []oms.Shortage{
					{SKU: "B", Requested: 3, Available: 1},
					{SKU: "A", Requested: 1, Available: 0},
				}},
		},
		{
			name:  "only open units are allocated",
			lines: []oms.Line{{SKU: "A", Quantity: 5, Allocated: 3, Shipped: 1, Open: 1}, {SKU: "A", Quantity: 2, Allocated: 2}},
			stock: []oms.Candidate{{"A", "wh", 0, 10}},
			want:  oms.Plan{Placements: []oms.Placement{{0, "wh", 1}}, Open: []int64{0, 0}},
		},
		{
			name:  "no lines",
			stock: []oms.Candidate{{"A", "wh", 0, 10}},
			want:  oms.Plan{Open: []int64{}},
		},
		{
			name:  "no stock at all",
			lines: []oms.Line{openLine("A", 1)},
			want: oms.Plan{Open: []int64{1},
				Short: []oms.Shortage{{SKU: "A", Requested: 1, Available: 0}}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stock := slices.Clone(tt.stock)
			got := oms.Allocate(tt.lines, stock)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Allocate() =\n%+v\nwant\n%+v", got, tt.want)
			}
			if !slices.Equal(stock, tt.stock) {
				t.Errorf("Allocate changed its candidates: %+v, was %+v", stock, tt.stock)
			}
			checkPlan(t, tt.lines, tt.stock, got)
		})
	}
}

// TestAllocateProperties checks the allocation invariants on random orders
// and stock.
func TestAllocateProperties(t *testing.T) {
	rng := rand.New(rand.NewPCG(2025, 7))
	skus := []string{"A", "B", "C", "D"}
	locations := []string{"L1", "L2", "L3", "L4", "L5"}
	for range 3000 {
		var stock []oms.Candidate
		for _, sku := range skus {
			for _, loc := range locations {
				if rng.IntN(3) > 0 {
					stock = append(stock, oms.Candidate{SKU: sku, Location: loc,
						Priority: rng.IntN(3), Available: rng.Int64N(13) - 2})
				}
			}
		}
		rng.Shuffle(len(stock), func(i, j int) { stock[i], stock[j] = stock[j], stock[i] })
		lines := make([]oms.Line, rng.IntN(7))
		for i := range lines {
			open := rng.Int64N(15)
			allocated := rng.Int64N(3)
			lines[i] = oms.Line{SKU: skus[rng.IntN(len(skus))], Quantity: open + allocated,
				Open: open, Allocated: allocated}
		}
		before := slices.Clone(stock)
		plan := oms.Allocate(lines, stock)
		if !slices.Equal(stock, before) {
			t.Fatalf("Allocate changed its candidates")
		}
		checkPlan(t, lines, stock, plan)
		if t.Failed() {
			t.Logf("lines %+v\nstock %+v\nplan %+v", lines, stock, plan)
			return
		}
	}
}

// checkPlan asserts the invariants of an allocation plan. Each (SKU, location)
// must appear at most once in stock.
func checkPlan(t *testing.T, lines []oms.Line, stock []oms.Candidate, plan oms.Plan) {
	t.Helper()
	type key struct{ sku, loc string }
	available := make(map[key]int64)
	for _, c := range stock {
		if c.Available > 0 {
			available[key{c.SKU, c.Location}] = c.Available
		}
	}
	if len(plan.Open) != len(lines) {
		t.Fatalf("len(Open) = %d, want one per line (%d)", len(plan.Open), len(lines))
	}
	placedByLine := make([]int64, len(lines))
	used := make(map[key]int64)
	for i, p := range plan.Placements {
		if p.Line < 0 || p.Line >= len(lines) {
			t.Fatalf("placement %d names line %d of %d", i, p.Line, len(lines))
		}
		if p.Quantity <= 0 {
			t.Errorf("placement %d has quantity %d, want > 0", i, p.Quantity)
		}
		if i > 0 && p.Line < plan.Placements[i-1].Line {
			t.Errorf("placement %d for line %d comes after line %d: lines are not served in order", i, p.Line, plan.Placements[i-1].Line)
		}
		k := key{lines[p.Line].SKU, p.Location}
		if _, ok := available[k]; !ok {
			t.Errorf("placement %d reserves %s at %s, which has no stock of it", i, k.sku, k.loc)
		}
		placedByLine[p.Line] += p.Quantity
		used[k] += p.Quantity
	}
	for i, l := range lines {
		if plan.Open[i] < 0 || placedByLine[i]+plan.Open[i] != l.Open {
			t.Errorf("line %d: placed %d + open %d, want %d open units accounted for", i, placedByLine[i], plan.Open[i], l.Open)
		}
	}
	for k, n := range used {
		if n > available[k] {
			t.Errorf("%s at %s: placed %d, only %d available", k.sku, k.loc, n, available[k])
		}
	}

	// A SKU is short iff more is asked than is available, and then every
	// unit available was used.
	requested := make(map[string]int64)
	total := make(map[string]int64)
	var seen []string
	for _, l := range lines {
		if _, ok := requested[l.SKU]; !ok {
			seen = append(seen, l.SKU)
		}
		requested[l.SKU] += l.Open
	}
	for k, n := range available {
		total[k.sku] += n
	}
	var wantShort []oms.Shortage
	for _, sku := range seen {
		if requested[sku] > total[sku] {
			wantShort = append(wantShort, oms.Shortage{SKU: sku, Requested: requested[sku], Available: total[sku]})
		}
	}
	if !slices.Equal(plan.Short, wantShort) {
		t.Errorf("Short = %+v, want %+v", plan.Short, wantShort)
	}

	// Greedy by rank: a location is drawn on only once every better-ranked
	// location of that SKU is exhausted.
	bySKU := make(map[string][]oms.Candidate)
	for _, c := range stock {
		if c.Available > 0 {
			bySKU[c.SKU] = append(bySKU[c.SKU], c)
		}
	}
	for sku, cs := range bySKU {
		slices.SortFunc(cs, func(a, b oms.Candidate) int {
			return cmp.Or(cmp.Compare(a.Priority, b.Priority), cmp.Compare(b.Available, a.Available),
				cmp.Compare(a.Location, b.Location))
		})
		for m := range cs {
			if used[key{sku, cs[m].Location}] == 0 {
				continue
			}
			for _, better := range cs[:m] {
				if u := used[key{sku, better.Location}]; u != better.Available {
					t.Errorf("%s: drew on %s while better-ranked %s still had %d", sku, cs[m].Location, better.Location, better.Available-u)
				}
			}
		}
	}
}

// BenchmarkAllocate allocates an order of 5 lines over 4 locations, where some
// lines split across locations and one SKU runs short.
func BenchmarkAllocate(b *testing.B) {
	lines := []oms.Line{openLine("TSHIRT-S", 3), openLine("TSHIRT-M", 12), openLine("MUG", 1),
		openLine("CAP", 40), openLine("TSHIRT-M", 2)}
	var stock []oms.Candidate
	for i, loc := range []string{"eu-1", "eu-2", "us-1", "store-9"} {
		for j, sku := range []string{"TSHIRT-S", "TSHIRT-M", "MUG", "CAP"} {
			stock = append(stock, oms.Candidate{SKU: sku, Location: loc, Priority: i % 2, Available: int64(2 + (i+j)%5)})
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		plan := oms.Allocate(lines, stock)
		if len(plan.Short) != 1 {
			b.Fatalf("plan %+v, want CAP short", plan)
		}
	}
}
