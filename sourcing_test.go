package oms_test

import (
	"cmp"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/omshq/oms"
)

func site(code string, prio int, lat, lon float64, stock map[string]int64) oms.Site {
	return oms.Site{Code: code, Priority: prio, CanShip: true, Active: true, Point: &oms.Point{Lat: lat, Lon: lon},
		Stock: stock}
}

func open(sku string, n int64) oms.Line {
	return oms.Line{SKU: sku, Quantity: n, Open: n, UnitPrice: 1000}
}

// chosen lists the locations a decision ships from, sorted.
func chosen(d oms.Sourcing) []string {
	var out []string
	for _, p := range d.Placements {
		if !slices.Contains(out, p.Location) {
			out = append(out, p.Location)
		}
	}
	slices.Sort(out)
	return out
}

var (
	newYork = oms.Point{Lat: 40.71, Lon: -74.01}
	boston  = oms.Point{Lat: 42.36, Lon: -71.06}
)

func TestSourceObjectives(t *testing.T) {
	cases := []struct {
		name  string
		req   oms.SourcingRequest
		want  []string
		open  int64
		check func(t *testing.T, d oms.Sourcing)
	}{
		{
			name: "one location that has everything beats two nearer ones",
			req: oms.SourcingRequest{ShipTo: &boston, Lines: []oms.Line{open("A", 1), open("B", 1)}, Sites: []oms.Site{
				site("near-a", 1, 42.3, -71.1, map[string]int64{"A": 5}),
				site("near-b", 1, 42.4, -71.0, map[string]int64{"B": 5}),
				site("far-ab", 1, 34.0, -118.2, map[string]int64{"A": 5, "B": 5}),
			}},
			want: []string{"far-ab"},
		},
		{
			name: "nearer wins among single locations",
			req: oms.SourcingRequest{ShipTo: &boston, Lines: []oms.Line{open("A", 2)}, Sites: []oms.Site{
				site("la", 1, 34.0, -118.2, map[string]int64{"A": 5}),
				site("nyc", 2, newYork.Lat, newYork.Lon, map[string]int64{"A": 5}),
			}},
			want: []string{"nyc"},
		},
		{
			name: "priority breaks a distance tie",
			req: oms.SourcingRequest{ShipTo: &boston, Lines: []oms.Line{open("A", 2)}, Sites: []oms.Site{
				site("b", 3, newYork.Lat, newYork.Lon, map[string]int64{"A": 5}),
				site("a", 1, newYork.Lat, newYork.Lon, map[string]int64{"A": 5}),
			}},
			want: []string{"a"},
		},
		{
			name: "more stock breaks a priority tie",
			req: oms.SourcingRequest{Lines: []oms.Line{open("A", 2)}, Sites: []oms.Site{
				{Code: "x", CanShip: true, Active: true, Stock: map[string]int64{"A": 3}},
				{Code: "y", CanShip: true, Active: true, Stock: map[string]int64{"A": 9}},
			}},
			want: []string{"y"},
		},
		{
			name: "split when no single location can fill",
			req: oms.SourcingRequest{ShipTo: &boston, Lines: []oms.Line{open("A", 6)}, Sites: []oms.Site{
				site("x", 1, 40, -74, map[string]int64{"A": 4}),
				site("y", 1, 41, -74, map[string]int64{"A": 4}),
				site("z", 1, 30, -90, map[string]int64{"A": 1}),
			}},
			want: []string{"x", "y"},
		},
		{
			name: "short: fill what exists, the rest open",
			req: oms.SourcingRequest{Lines: []oms.Line{open("A", 6), open("B", 1)}, Sites: []oms.Site{
				{Code: "x", CanShip: true, Active: true, Stock: map[string]int64{"A": 4}},
			}},
			want: []string{"x"},
			open: 3,
			check: func(t *testing.T, d oms.Sourcing) {
				if fmt.Sprint(d.Short) != "[{A 6 4} {B 1 0}]" {
					t.Errorf("short = %v", d.Short)
				}
			},
		},
		{
			name: "under the no-split value the best single location is used",
			req: oms.SourcingRequest{NoSplitBelow: 100_000, Lines: []oms.Line{open("A", 6)}, Sites: []oms.Site{
				{Code: "x", CanShip: true, Active: true, Stock: map[string]int64{"A": 4}},
				{Code: "y", CanShip: true, Active: true, Stock: map[string]int64{"A": 3}},
			}},
			want: []string{"x"},
			open: 2,
		},
		{
			name: "the no-split value is the whole order's, not only what waits",
			req: oms.SourcingRequest{NoSplitBelow: 5_000, Lines: []oms.Line{{SKU: "A", Quantity: 6, Allocated: 3, Open: 3, UnitPrice: 1000}},
				From: []string{"z"}, Sites: []oms.Site{
					{Code: "x", CanShip: true, Active: true, Stock: map[string]int64{"A": 2}},
					{Code: "y", CanShip: true, Active: true, Stock: map[string]int64{"A": 1}},
				}},
			want: []string{"x", "y"},
			open: 0,
		},
		{
			name: "an order that is not split waits for the location it draws on",
			req: oms.SourcingRequest{NoSplitBelow: 100_000, Lines: []oms.Line{{SKU: "A", Quantity: 3, Allocated: 2, Open: 1, UnitPrice: 1000}},
				From: []string{"y"}, Sites: []oms.Site{
					{Code: "x", CanShip: true, Active: true, Stock: map[string]int64{"A": 4}},
					{Code: "y", CanShip: true, Active: true, Stock: map[string]int64{"A": 0}},
				}},
			open: 1,
			check: func(t *testing.T, d oms.Sourcing) {
				if v := d.Sites[0]; v.Eligible || v.Reason != "the order is not split: it ships from y" {
					t.Errorf("x = %+v", v)
				}
			},
		},
		{
			name: "ineligible locations are never used",
			req: oms.SourcingRequest{Channel: "web", Lines: []oms.Line{open("A", 1)}, Sites: []oms.Site{
				{Code: "closed", CanShip: true, Active: false, Stock: map[string]int64{"A": 9}},
				{Code: "b2b-only", CanShip: true, Active: true, Channels: []string{"b2b"}, Stock: map[string]int64{"A": 9}},
				{Code: "pickup-only", CanPickup: true, Active: true, Stock: map[string]int64{"A": 9}},
			}},
			open: 1,
			check: func(t *testing.T, d oms.Sourcing) {
				reasons := map[string]string{}
				for _, v := range d.Sites {
					reasons[v.Location] = v.Reason
				}
				if reasons["closed"] != "inactive" || reasons["b2b-only"] != "does not serve channel web" || reasons["pickup-only"] != "does not ship" {
					t.Errorf("reasons = %v", reasons)
				}
			},
		},
		{
			name: "pickup comes from the pickup location only",
			req: oms.SourcingRequest{PickupAt: "store", Lines: []oms.Line{open("A", 3)}, Sites: []oms.Site{
				{Code: "wh", CanShip: true, Active: true, Stock: map[string]int64{"A": 99}},
				{Code: "store", CanPickup: true, Active: true, Stock: map[string]int64{"A": 2}},
			}},
			want: []string{"store"},
			open: 1,
		},
		{
			name: "pickup at a location that cannot: nothing sourced",
			req: oms.SourcingRequest{PickupAt: "wh", Lines: []oms.Line{open("A", 1)}, Sites: []oms.Site{
				{Code: "wh", CanShip: true, Active: true, Stock: map[string]int64{"A": 99}},
			}},
			open: 1,
		},
		{
			name: "country centroids stand in for missing coordinates",
			req: oms.SourcingRequest{ShipCountry: "DE", Lines: []oms.Line{open("A", 1)}, Sites: []oms.Site{
				{Code: "us", CanShip: true, Active: true, Country: "US", Stock: map[string]int64{"A": 9}},
				{Code: "fr", CanShip: true, Active: true, Country: "FR", Priority: 5, Stock: map[string]int64{"A": 9}},
			}},
			want: []string{"fr"},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d := oms.Source(c.req)
			if got := chosen(d); fmt.Sprint(got) != fmt.Sprint(c.want) && !(len(got) == 0 && len(c.want) == 0) {
				t.Errorf("chosen %v, want %v (%s)", got, c.want, d.Summary)
			}
			var open int64
			for _, o := range d.Open {
				open += o
			}
			if open != c.open {
				t.Errorf("open = %d, want %d", open, c.open)
			}
			checkSourcing(t, c.req, d)
			if c.check != nil {
				c.check(t, d)
			}
		})
	}
}

// checkSourcing asserts what holds for every decision: each line's placements
// and open units add up to its open units, no location gives more of a SKU
// than it has, every placement comes from an eligible location (the pickup
// location for a pickup), and every location has a verdict with a reason.
func checkSourcing(t *testing.T, req oms.SourcingRequest, d oms.Sourcing) {
	t.Helper()
	got := make([]int64, len(req.Lines))
	taken := map[[2]string]int64{}
	for _, p := range d.Placements {
		if p.Quantity <= 0 {
			t.Fatalf("placement %+v", p)
		}
		got[p.Line] += p.Quantity
		taken[[2]string{p.Location, req.Lines[p.Line].SKU}] += p.Quantity
		if req.PickupAt != "" && p.Location != req.PickupAt {
			t.Fatalf("pickup order placed at %s", p.Location)
		}
	}
	for i, l := range req.Lines {
		if got[i]+d.Open[i] != l.Open {
			t.Fatalf("line %d: placed %d + open %d ≠ %d", i, got[i], d.Open[i], l.Open)
		}
	}
	for _, s := range req.Sites {
		for sku, n := range taken {
			if sku[0] == s.Code && n > s.Stock[sku[1]] {
				t.Fatalf("%s gives %d of %s, has %d", s.Code, n, sku[1], s.Stock[sku[1]])
			}
		}
		if taken := anyTaken(taken, s.Code); taken && (!s.Active || (req.PickupAt == "" && !s.CanShip)) {
			t.Fatalf("ineligible %s used", s.Code)
		}
	}
	if len(d.Sites) != len(req.Sites) {
		t.Fatalf("%d verdicts for %d locations", len(d.Sites), len(req.Sites))
	}
	for _, v := range d.Sites {
		if v.Reason == "" {
			t.Fatalf("no reason for %s", v.Location)
		}
	}
	checkWording(t, req, d)
}

// checkWording asserts what holds for every explanation: counts agree with
// their nouns, a pickup store is never said to ship, and a distance measured
// from a centroid is said to be approximate.
func checkWording(t *testing.T, req oms.SourcingRequest, d oms.Sourcing) {
	t.Helper()
	texts := []string{d.Summary}
	for _, v := range d.Sites {
		texts = append(texts, v.Reason)
		if v.DistanceKm == nil && v.DistanceBasis != "" || v.DistanceKm != nil && v.DistanceBasis == "" {
			t.Fatalf("%s: distance %v with basis %q", v.Location, v.DistanceKm, v.DistanceBasis)
		}
		if v.Chosen && v.DistanceBasis != "" && v.DistanceBasis != oms.BasisCoordinates &&
			!strings.Contains(v.Reason, "about") && v.Location != req.PickupAt {
			t.Fatalf("%s: a distance by %s shown as exact: %q", v.Location, v.DistanceBasis, v.Reason)
		}
		if v.Location == req.PickupAt && strings.Contains(v.Reason, "ships") {
			t.Fatalf("pickup store %s said to ship: %q", v.Location, v.Reason)
		}
	}
	bad := regexp.MustCompile(`\b1 (units|shipments)\b|\(s\)|\b([02-9]|\d\d+) (unit|shipment)\b`)
	for _, s := range texts {
		if m := bad.FindString(s); m != "" {
			t.Fatalf("%q: %q", s, m)
		}
	}
}

func anyTaken(taken map[[2]string]int64, code string) bool {
	for k := range taken {
		if k[0] == code {
			return true
		}
	}
	return false
}

// TestSourceOptimal checks the exact engine against brute force on random
// small orders: no combination of locations beats its choice on the
// objectives in order — units filled, shipments, distance, priority, stock.
func TestSourceOptimal(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 11))
	skus := []string{"A", "B", "C", "D"}
	for round := range 3000 {
		var sites []oms.Site
		for i := range 1 + r.IntN(7) {
			stock := map[string]int64{}
			for _, s := range skus {
				if r.IntN(3) > 0 {
					stock[s] = int64(r.IntN(6))
				}
			}
			sites = append(sites, oms.Site{Code: fmt.Sprint("L", i), Priority: r.IntN(3), CanShip: r.IntN(8) > 0,
				Active: r.IntN(10) > 0, Point: &oms.Point{Lat: float64(r.IntN(40)), Lon: float64(r.IntN(40))}, Stock: stock})
		}
		var lines []oms.Line
		for range 1 + r.IntN(4) {
			lines = append(lines, open(skus[r.IntN(len(skus))], int64(1+r.IntN(5))))
		}
		req := oms.SourcingRequest{Lines: lines, Sites: sites, ShipTo: &oms.Point{Lat: 20, Lon: 20}}
		d := oms.Source(req)
		checkSourcing(t, req, d)
		got := measure(req, chosen(d))
		best := bruteForce(req)
		if compareMeasure(got, best) != 0 {
			t.Fatalf("round %d: chose %v scoring %+v; brute force finds %+v\nsites %+v\nlines %+v", round, chosen(d), got, best, sites, lines)
		}
	}
}

// measured is a combination's standing on the objectives, computed from
// scratch without the engine.
type measured struct {
	open     int64
	count    int
	distance float64
	priority int
	stock    int64
}

func measure(req oms.SourcingRequest, codes []string) measured {
	var m measured
	demand := map[string]int64{}
	for _, l := range req.Lines {
		demand[l.SKU] += l.Open
	}
	have := map[string]int64{}
	for _, s := range req.Sites {
		if !slices.Contains(codes, s.Code) {
			continue
		}
		m.count++
		m.priority += s.Priority
		m.distance += haversine(*s.Point, *req.ShipTo)
		for sku := range demand {
			have[sku] += s.Stock[sku]
		}
	}
	for sku, n := range demand {
		m.open += max(n-have[sku], 0)
		m.stock -= have[sku]
	}
	return m
}

func compareMeasure(a, b measured) int {
	return cmp.Or(cmp.Compare(a.open, b.open), cmp.Compare(a.count, b.count),
		cmp.Compare(math.Round(a.distance*1000), math.Round(b.distance*1000)),
		cmp.Compare(a.priority, b.priority), cmp.Compare(a.stock, b.stock))
}

// bruteForce measures every combination of eligible locations holding some
// of the order, and the empty one.
func bruteForce(req oms.SourcingRequest) measured {
	var elig []string
	for _, s := range req.Sites {
		useful := false
		for _, l := range req.Lines {
			useful = useful || s.Stock[l.SKU] > 0
		}
		if s.Active && s.CanShip && useful {
			elig = append(elig, s.Code)
		}
	}
	best := measure(req, nil)
	for set := 1; set < 1<<len(elig); set++ {
		var codes []string
		for i, c := range elig {
			if set&(1<<i) != 0 {
				codes = append(codes, c)
			}
		}
		if m := measure(req, codes); compareMeasure(m, best) < 0 {
			best = m
		}
	}
	return best
}

func haversine(a, b oms.Point) float64 {
	const r = 6371.0
	rad := math.Pi / 180
	dLat, dLon := (b.Lat-a.Lat)*rad, (b.Lon-a.Lon)*rad
	h := math.Sin(dLat/2)*math.Sin(dLat/2) + math.Cos(a.Lat*rad)*math.Cos(b.Lat*rad)*math.Sin(dLon/2)*math.Sin(dLon/2)
	return 2 * r * math.Asin(math.Min(1, math.Sqrt(h)))
}

// TestSourceGreedyBounded runs the greedy path on many locations: it stays
// within stock and never places at an ineligible location.
func TestSourceGreedyBounded(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 5))
	for range 200 {
		var sites []oms.Site
		for i := range 20 + r.IntN(30) {
			// At least 13 of them ship and hold stock: more than the exact
			// engine weighs.
			sites = append(sites, oms.Site{Code: fmt.Sprint("L", i), CanShip: i < 13 || r.IntN(5) > 0, Active: true,
				Point: &oms.Point{Lat: float64(r.IntN(60)), Lon: float64(r.IntN(60))},
				Stock: map[string]int64{"A": int64(1 + r.IntN(4)), "B": int64(r.IntN(4))}})
		}
		req := oms.SourcingRequest{Lines: []oms.Line{open("A", int64(1+r.IntN(20))), open("B", int64(1+r.IntN(20)))},
			Sites: sites, ShipTo: &oms.Point{Lat: 10, Lon: 10}}
		d := oms.Source(req)
		if d.Method != "greedy" {
			t.Fatalf("method %s with %d sites", d.Method, len(sites))
		}
		checkSourcing(t, req, d)
	}
}

// BenchmarkSource sources a 5-line order over 4 locations: the exact engine
// on a typical order, as placement runs it for every order.
func BenchmarkSource(b *testing.B) {
	req := oms.SourcingRequest{ShipTo: &boston, Lines: []oms.Line{open("A", 2), open("B", 1), open("C", 3), open("D", 1), open("E", 2)}}
	for i, p := range []oms.Point{newYork, boston, {Lat: 34, Lon: -118}, {Lat: 41.9, Lon: -87.6}} {
		req.Sites = append(req.Sites, site(fmt.Sprint("L", i), i, p.Lat, p.Lon,
			map[string]int64{"A": 5, "B": int64(i), "C": 2, "D": 9, "E": int64(3 - i)}))
	}
	b.ReportAllocs()
	for b.Loop() {
		oms.Source(req)
	}
}

func TestAvailableToPromise(t *testing.T) {
	now := time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC)
	day := func(n int) time.Time { return now.AddDate(0, 0, n) }
	lots := []oms.Lot{{ETA: day(10), Quantity: 5}, {ETA: day(3), Quantity: 4}, {ETA: day(10), Quantity: 1}}
	got := oms.AvailableToPromise(now, 2, 5, lots)
	want := []oms.ATPPoint{{Date: now, Net: -3, ATP: 0}, {Date: day(3), Arriving: 4, Net: 1, ATP: 1}, {Date: day(10), Arriving: 6, Net: 7, ATP: 7}}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("ATP = %+v\nwant  %+v", got, want)
	}
	cases := []struct {
		name                   string
		available, ahead, need int64
		release                *time.Time
		want                   *time.Time
	}{
		{"in stock now", 5, 0, 2, nil, &now},
		{"first lot covers it", 0, 0, 4, nil, ptrTime(day(3))},
		{"behind older orders", 0, 3, 2, nil, ptrTime(day(10))},
		{"more than all supply", 0, 0, 11, nil, nil},
		{"pre-order release later", 0, 0, 1, ptrTime(day(30)), ptrTime(day(30))},
		{"pre-order release earlier", 0, 0, 1, ptrTime(day(1)), ptrTime(day(3))},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := oms.PromiseDate(now, c.available, c.ahead, c.need, lots, c.release)
			if fmt.Sprint(got) != fmt.Sprint(c.want) {
				t.Errorf("promise = %v, want %v", got, c.want)
			}
		})
	}
}

func ptrTime(t time.Time) *time.Time { return &t }

// TestSourcePickupProperty: over random orders and stock, a pickup order is
// only ever placed at its pickup location, within its stock.
func TestSourcePickupProperty(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 13))
	for range 2000 {
		var sites []oms.Site
		for i := range 1 + r.IntN(6) {
			sites = append(sites, oms.Site{Code: fmt.Sprint("L", i), CanShip: r.IntN(2) == 0, CanPickup: r.IntN(2) == 0,
				Active: r.IntN(8) > 0, Stock: map[string]int64{"A": int64(r.IntN(5)), "B": int64(r.IntN(5))}})
		}
		pick := sites[r.IntN(len(sites))]
		req := oms.SourcingRequest{PickupAt: pick.Code, Sites: sites,
			Lines: []oms.Line{open("A", int64(1+r.IntN(6))), open("B", int64(1+r.IntN(6)))}}
		d := oms.Source(req)
		checkSourcing(t, req, d)
		if (!pick.CanPickup || !pick.Active) && len(d.Placements) > 0 {
			t.Fatalf("placed a pickup at %+v", pick)
		}
	}
}

func TestSourcePickupTransfers(t *testing.T) {
	req := oms.SourcingRequest{PickupAt: "store", PickupTransfers: true, Lines: []oms.Line{open("A", 5), open("B", 1)},
		Sites: []oms.Site{
			{Code: "store", CanPickup: true, Active: true, Point: &boston, Stock: map[string]int64{"A": 2}},
			site("nyc", 1, newYork.Lat, newYork.Lon, map[string]int64{"A": 9, "B": 1}),
			site("la", 1, 34.0, -118.2, map[string]int64{"A": 9, "B": 9}),
		}}
	d := oms.Source(req)
	// As a plain plan it must hold: the store counts as shipping to itself.
	plain := oms.SourcingRequest{Lines: req.Lines, Sites: slices.Clone(req.Sites)}
	plain.Sites[0].CanShip = true
	checkSourcing(t, plain, d)
	if got := chosen(d); fmt.Sprint(got) != "[nyc store]" || d.Method != "pickup+transfer" {
		t.Errorf("chosen %v by %s (%s)", got, d.Method, d.Summary)
	}
	req.PickupTransfers = false
	if got := chosen(oms.Source(req)); fmt.Sprint(got) != "[store]" {
		t.Errorf("without transfers: %v", got)
	}
}

// TestSourceExplanations: what a decision says of each location — in the
// singular for one unit or shipment, "about" and why for a distance from a
// centroid, handing over rather than shipping at a pickup store, sending to
// it for a transfer — and the line ids of its placements.
func TestSourceExplanations(t *testing.T) {
	denver := oms.Point{Lat: 39.74, Lon: -104.99}
	store := oms.Site{Code: "store", CanPickup: true, Active: true, Point: &boston, Stock: map[string]int64{"A": 2}}
	cases := []struct {
		name    string
		req     oms.SourcingRequest
		summary string
		reasons map[string]string // location → its reason
		basis   map[string]string // location → its distance basis
	}{
		{
			name: "one unit, one shipment, exact distance",
			req: oms.SourcingRequest{ShipTo: &boston, Lines: []oms.Line{open("A", 1)}, Sites: []oms.Site{
				site("nyc", 1, newYork.Lat, newYork.Lon, map[string]int64{"A": 5})}},
			summary: "filled from nyc in 1 shipment",
			reasons: map[string]string{"nyc": "chosen: ships 1 unit, 306.5 km away"},
			basis:   map[string]string{"nyc": oms.BasisCoordinates},
		},
		{
			name: "thousands separated; two shipments",
			req: oms.SourcingRequest{ShipTo: &boston, Lines: []oms.Line{open("A", 3)}, Sites: []oms.Site{
				site("nyc", 1, newYork.Lat, newYork.Lon, map[string]int64{"A": 2}),
				site("la", 1, 34.0, -118.0, map[string]int64{"A": 2})}},
			summary: "filled from nyc, la in 2 shipments",
			reasons: map[string]string{"nyc": "chosen: ships 2 units, 306.5 km away", "la": "chosen: ships 1 unit, 4,152.2 km away"},
		},
		{
			name: "an address without coordinates is placed at its country's centroid",
			req: oms.SourcingRequest{ShipCountry: "US", Lines: []oms.Line{open("A", 1)}, Sites: []oms.Site{
				site("den", 1, denver.Lat, denver.Lon, map[string]int64{"A": 5})}},
			reasons: map[string]string{"den": "chosen: ships 1 unit, about 546 km away (from the centroid of US; no coordinates for the address)"},
			basis:   map[string]string{"den": oms.BasisCountry},
		},
		{
			name: "an address placed by its postal code",
			req: oms.SourcingRequest{ShipTo: &oms.Point{Lat: 42.3, Lon: -71.1}, ShipToBasis: oms.BasisPostalCode, ShipCountry: "US",
				Lines: []oms.Line{open("A", 1)}, Sites: []oms.Site{site("nyc", 1, newYork.Lat, newYork.Lon, map[string]int64{"A": 5})}},
			reasons: map[string]string{"nyc": "chosen: ships 1 unit, about 300 km away (from the centroid of its postal code; no coordinates for the address)"},
			basis:   map[string]string{"nyc": oms.BasisPostalCode},
		},
		{
			name: "a location without coordinates is placed at its country's centroid",
			req: oms.SourcingRequest{ShipTo: &boston, Lines: []oms.Line{open("A", 1)}, Sites: []oms.Site{
				{Code: "de", Country: "DE", CanShip: true, Active: true, Stock: map[string]int64{"A": 1}}}},
			reasons: map[string]string{"de": "no coordinates for location de)"},
			basis:   map[string]string{"de": oms.BasisCountry},
		},
		{
			name: "a loser farther by centroid is farther by about",
			req: oms.SourcingRequest{ShipCountry: "US", Lines: []oms.Line{open("A", 1)}, Sites: []oms.Site{
				site("den", 1, denver.Lat, denver.Lon, map[string]int64{"A": 5}),
				site("nyc", 1, newYork.Lat, newYork.Lon, map[string]int64{"A": 5})}},
			reasons: map[string]string{"nyc": "lost: farther: about 2,082 km in all, against about 546 km"},
			basis:   map[string]string{"den": oms.BasisCountry, "nyc": oms.BasisCountry},
		},
		{
			name: "a loser needing a second shipment",
			req: oms.SourcingRequest{Lines: []oms.Line{open("A", 2)}, Sites: []oms.Site{
				{Code: "x", CanShip: true, Active: true, Stock: map[string]int64{"A": 2}},
				{Code: "y", CanShip: true, Active: true, Stock: map[string]int64{"A": 1}}}},
			reasons: map[string]string{"y": "lost: with it the order needs 2 shipments, not 1"},
		},
		{
			name:    "partly filled: one unit waits",
			req:     oms.SourcingRequest{Lines: []oms.Line{open("A", 2)}, Sites: []oms.Site{{Code: "x", CanShip: true, Active: true, Stock: map[string]int64{"A": 1}}}},
			summary: "partly filled from x; 1 unit waits for stock",
		},
		{
			name:    "a pickup store hands over at the counter",
			req:     oms.SourcingRequest{PickupAt: "store", ShipTo: &newYork, Lines: []oms.Line{open("A", 2)}, Sites: []oms.Site{store}},
			summary: "filled at store, handed over at the counter",
			reasons: map[string]string{"store": "chosen: hands over 2 units at the counter"},
		},
		{
			name:    "a pickup store with none",
			req:     oms.SourcingRequest{PickupAt: "store", Lines: []oms.Line{open("B", 1)}, Sites: []oms.Site{store}},
			summary: "store has none of the order's open units",
		},
		{
			name: "a transfer sends to the pickup store",
			req: oms.SourcingRequest{PickupAt: "store", PickupTransfers: true, Lines: []oms.Line{open("A", 5)}, Sites: []oms.Site{
				store, site("nyc", 1, newYork.Lat, newYork.Lon, map[string]int64{"A": 9})}},
			summary: "2 units at store, handed over at the counter; the rest: filled from nyc in 1 shipment to store",
			reasons: map[string]string{"store": "chosen: hands over 2 units at the counter", "nyc": "chosen: sends 3 units to store, 306.5 km away"},
		},
		{
			name: "a transfer to a store without coordinates",
			req: oms.SourcingRequest{PickupAt: "store", PickupTransfers: true, Lines: []oms.Line{open("A", 1)}, Sites: []oms.Site{
				{Code: "store", CanPickup: true, Active: true, Country: "US"}, site("den", 1, denver.Lat, denver.Lon, map[string]int64{"A": 9})}},
			summary: "none at store; the rest: filled from den in 1 shipment to store",
			reasons: map[string]string{"den": "chosen: sends 1 unit to store, about 546 km away (from the centroid of US; no coordinates for store store)"},
			basis:   map[string]string{"den": oms.BasisCountry},
		},
		{
			name: "a store that rejected the order's units only receives transfers",
			req: oms.SourcingRequest{PickupAt: "store", PickupTransfers: true, Lines: []oms.Line{open("A", 3)}, Sites: []oms.Site{
				{Code: "store", CanPickup: true, Active: true, Point: &boston, Barred: "rejected units of this order", Stock: map[string]int64{"A": 9}},
				site("nyc", 1, newYork.Lat, newYork.Lon, map[string]int64{"A": 1})}},
			summary: "none at store (rejected units of this order); the rest: partly filled from nyc; 2 units wait for stock",
			reasons: map[string]string{"store": "rejected units of this order", "nyc": "chosen: sends 1 unit to store, 306.5 km away"},
		},
		{
			name: "a location that rejected the order's units is not used",
			req: oms.SourcingRequest{Lines: []oms.Line{open("A", 1)}, Sites: []oms.Site{
				{Code: "x", CanShip: true, Active: true, Barred: "rejected units of this order", Stock: map[string]int64{"A": 9}}}},
			summary: "no eligible location has stock for this order",
			reasons: map[string]string{"x": "rejected units of this order"},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d := oms.Source(c.req)
			plain := c.req
			if c.req.PickupTransfers {
				// As a plain plan it must hold: the store counts as shipping to itself.
				plain = oms.SourcingRequest{Lines: c.req.Lines, Sites: slices.Clone(c.req.Sites)}
				plain.Sites[0].CanShip, plain.Sites[0].Barred = true, ""
			}
			checkSourcing(t, plain, d)
			checkWording(t, c.req, d)
			if c.summary != "" && d.Summary != c.summary {
				t.Errorf("summary %q, want %q", d.Summary, c.summary)
			}
			for _, v := range d.Sites {
				if want, ok := c.reasons[v.Location]; ok && !strings.HasSuffix(v.Reason, want) {
					t.Errorf("%s: reason %q, want %q", v.Location, v.Reason, want)
				}
				if want, ok := c.basis[v.Location]; ok && v.DistanceBasis != want {
					t.Errorf("%s: basis %q, want %q", v.Location, v.DistanceBasis, want)
				}
			}
		})
	}
}

// TestPlacementLineIDs: each placement names its line by id, as the rest of
// the API does, and keeps the index for simulated orders, which have no ids.
func TestPlacementLineIDs(t *testing.T) {
	lines := []oms.Line{{ID: "1001-1", SKU: "A", Quantity: 1, Open: 1}, {ID: "1001-2", SKU: "B", Quantity: 2, Open: 2}}
	d := oms.Source(oms.SourcingRequest{Lines: lines, Sites: []oms.Site{
		{Code: "x", CanShip: true, Active: true, Stock: map[string]int64{"A": 1, "B": 2}}}})
	if len(d.Placements) != 2 {
		t.Fatalf("placements %+v", d.Placements)
	}
	for _, p := range d.Placements {
		if p.LineID != lines[p.Line].ID {
			t.Errorf("placement %+v names line %s", p, lines[p.Line].ID)
		}
	}
	b, err := json.Marshal(d.Placements[1])
	if err != nil || string(b) != `{"line":1,"line_id":"1001-2","location":"x","quantity":2}` {
		t.Errorf("placement JSON %s, %v", b, err)
	}
	// A stored decision from before line ids still reads.
	var old oms.Placement
	if err := json.Unmarshal([]byte(`{"line":1,"location":"x","quantity":2}`), &old); err != nil || old.Line != 1 || old.LineID != "" {
		t.Errorf("old placement %+v, %v", old, err)
	}
}

// TestSourceUsable: the locations an order may draw on at all, whatever
// their stock — what a promise of a date counts.
func TestSourceUsable(t *testing.T) {
	sites := []oms.Site{
		{Code: "wh", CanShip: true, Active: true},
		{Code: "closed", CanShip: true},
		{Code: "b2b", CanShip: true, Active: true, Channels: []string{"b2b"}},
		{Code: "store", CanPickup: true, Active: true},
		{Code: "rejected", CanShip: true, Active: true, Barred: "rejected units of this order"},
	}
	cases := []struct {
		name string
		req  oms.SourcingRequest
		want string
	}{
		{"a shipment", oms.SourcingRequest{Channel: "web"}, "[true false false false false]"},
		{"a shipment on the channel a location serves", oms.SourcingRequest{Channel: "b2b"}, "[true false true false false]"},
		{"a pickup", oms.SourcingRequest{Channel: "web", PickupAt: "store"}, "[false false false true false]"},
		{"a pickup with transfers", oms.SourcingRequest{Channel: "web", PickupAt: "store", PickupTransfers: true}, "[true false false true false]"},
		{"a pickup at a store that rejected units", oms.SourcingRequest{Channel: "web", PickupAt: "rejected"}, "[false false false false false]"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			c.req.Sites = sites
			if c.name == "a pickup at a store that rejected units" {
				c.req.Sites = slices.Clone(sites)
				c.req.Sites[4].CanPickup = true
			}
			if got := fmt.Sprint(c.req.Usable()); got != c.want {
				t.Errorf("usable %s, want %s", got, c.want)
			}
		})
	}
}
