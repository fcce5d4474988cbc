package oms

import (
	"cmp"
	"slices"
)

// Candidate is stock of one SKU at one location that can ship.
type Candidate struct {
	SKU       string
	Location  string
	Priority  int // lower is preferred
	Available int64
}

// Placement is part of a line to be reserved at a location.
type Placement struct {
	Line     int // index into the lines given to Allocate
	Location string
	Quantity int64
}

// Plan is the outcome of Allocate: where each line's units are reserved, how
// many stay open per line, and which SKUs are short.
type Plan struct {
	Placements []Placement
	Open       []int64
	Short      []Shortage
}

// Allocate decides where to reserve each line's open units. For each SKU it
// takes from locations by priority (lowest first), then most available, then
// code, splitting a line across locations when one cannot cover it. Lines are
// served in order. What no location can cover stays open and is reported as
// a shortage of its SKU.
//
// This is the one place the allocation rule lives; a sourcing engine replaces
// it without touching its callers.
func Allocate(lines []Line, stock []Candidate) Plan {
	bySKU := make(map[string][]Candidate)
	for _, c := range stock {
		if c.Available > 0 {
			bySKU[c.SKU] = append(bySKU[c.SKU], c)
		}
	}
	for _, cs := range bySKU {
		slices.SortFunc(cs, func(a, b Candidate) int {
			return cmp.Or(cmp.Compare(a.Priority, b.Priority), cmp.Compare(b.Available, a.Available),
				cmp.Compare(a.Location, b.Location))
		})
	}
	plan := Plan{Open: make([]int64, len(lines))}
	requested := make(map[string]int64)
	var order []string // SKUs in first-seen order, for a stable shortage list
	for i, l := range lines {
		if _, seen := requested[l.SKU]; !seen {
			order = append(order, l.SKU)
		}
		requested[l.SKU] += l.Open
		need := l.Open
		cs := bySKU[l.SKU]
		for j := range cs {
			if need == 0 {
				break
			}
			take := min(need, cs[j].Available)
			if take == 0 {
				continue
			}
			cs[j].Available -= take
			need -= take
			plan.Placements = append(plan.Placements, Placement{Line: i, Location: cs[j].Location, Quantity: take})
		}
		plan.Open[i] = need
	}
	openBySKU := make(map[string]int64)
	for i, l := range lines {
		openBySKU[l.SKU] += plan.Open[i]
	}
	for _, sku := range order {
		if open := openBySKU[sku]; open > 0 {
			plan.Short = append(plan.Short, Shortage{SKU: sku, Requested: requested[sku],
				Available: requested[sku] - open})
		}
	}
	return plan
}
