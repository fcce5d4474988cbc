package oms

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"
)

// Sourcing decides where an order's open units come from. It is a pure
// function of the order and the candidate locations; the store feeds it
// locked stock and saves what it decides, with the explanation.
//
// The objectives, in order:
//  1. fill as many units as any combination of locations can — the whole
//     order when that is possible;
//  2. with as few shipments (locations) as possible;
//  3. as near the ship-to address as possible (great-circle distance);
//  4. from the locations of best (lowest) priority;
//  5. from the locations with the most stock, to spread it.
//
// An order worth less than NoSplitBelow (the whole order, not only its open
// units) is never split: it takes what the single best location has and
// leaves the rest open — and once it draws on a location (From), its open
// units wait for that one. A pickup order is
// sourced from its pickup location — and, with PickupTransfers, what that
// lacks from the others, which send it to the store. A Barred location
// (one that rejected units of the order) supplies none of it.
//
// Up to exactLimit candidate locations every combination is weighed, so the
// choice is optimal; beyond that a greedy pass picks locations one at a
// time, each adding the most units.

// Point is a position on Earth in degrees.
type Point struct {
	Lat float64 `json:"latitude"`
	Lon float64 `json:"longitude"`
}

// Site is a location as sourcing sees it.
type Site struct {
	Code      string
	Priority  int // lower is preferred
	CanShip   bool
	CanPickup bool
	Active    bool
	Channels  []string // the channels it serves; empty means every channel
	Point     *Point   // where it is, when known
	Country   string   // ISO 3166-1 alpha-2, for a distance when Point is unknown
	Stock     map[string]int64
	// Barred says why this order may not take stock here (the location
	// rejected units of it); empty when it may.
	Barred string
}

// SourcingRequest is what Source decides on.
type SourcingRequest struct {
	Channel string
	Lines   []Line // each line's Open units are sourced
	ShipTo  *Point // the destination, when known
	// ShipToBasis says what placed ShipTo: BasisCoordinates (the address's
	// own; the default) or BasisPostalCode (the centroid of its postal code).
	ShipToBasis string
	ShipCountry string // the destination country, for a fallback distance
	PickupAt    string // a location code for store pickup; empty to ship
	// PickupTransfers lets a pickup take what its store lacks from other
	// locations, which ship it to the store.
	PickupTransfers bool
	NoSplitBelow    int64 // orders worth less (Σ units not cancelled × unit price) are never split
	// From are the locations a shipment already takes units from (reserved
	// or shipped): an order that is not split sources its open units from
	// them only.
	From  []string
	Sites []Site

	// transferTo is the pickup store that a request for what the store
	// lacks sends its units to; empty for a shipment to the customer.
	transferTo string
}

// SiteVerdict says what sourcing made of one location.
type SiteVerdict struct {
	Location   string   `json:"location"`
	Eligible   bool     `json:"eligible"`
	Chosen     bool     `json:"chosen"`
	Units      int64    `json:"units"`                 // open units of the order it could supply
	Allocated  int64    `json:"allocated"`             // units it was given
	DistanceKm *float64 `json:"distance_km,omitempty"` // to the destination, when known
	// DistanceBasis says how exact DistanceKm is: coordinates (both ends
	// placed by their own), postal_code (the destination placed at its
	// postal code's centroid) or country (one end placed at its country's
	// centroid: a rough figure).
	DistanceBasis string `json:"distance_basis,omitempty"`
	Reason        string `json:"reason"`
}

// Sourcing is a decision: the plan and why.
type Sourcing struct {
	Plan
	Method  string        `json:"method"` // exact, greedy, pickup or none
	Summary string        `json:"summary"`
	Sites   []SiteVerdict `json:"locations"`
}

// exactLimit bounds the candidate locations weighed exhaustively (2^n
// combinations).
const exactLimit = 12

// Source decides where the request's open units come from.
func Source(req SourcingRequest) Sourcing {
	s := newSourcer(req)
	switch {
	case req.PickupAt != "":
		return s.pickup()
	case len(s.cands) == 0:
		return s.finish(nil, "none", "no eligible location has stock for this order")
	case len(s.cands) <= exactLimit:
		return s.exact()
	}
	return s.greedy()
}

// sourcer holds the request prepared for weighing combinations.
type sourcer struct {
	req     SourcingRequest
	demand  map[string]int64 // SKU → open units
	skus    []string
	value   int64
	verdict []SiteVerdict // one per request site
	cands   []int         // indexes of eligible sites with stock for the order
	dist    []float64     // per site, km; NaN when unknown
	approx  bool          // some candidate's distance is measured from a centroid
}

func newSourcer(req SourcingRequest) *sourcer {
	s := &sourcer{req: req, demand: make(map[string]int64)}
	for _, l := range req.Lines {
		if l.Open <= 0 {
			continue
		}
		if _, ok := s.demand[l.SKU]; !ok {
			s.skus = append(s.skus, l.SKU)
		}
		s.demand[l.SKU] += l.Open
	}
	// The order's worth is the whole order's, however much of it waits.
	for _, l := range req.Lines {
		if v, ok := mulAdd(s.value, max(l.Quantity-l.Cancelled, 0), l.UnitPrice); ok {
			s.value = v
		}
	}
	oneOnly := s.value < req.NoSplitBelow && len(req.From) > 0 && req.PickupAt == ""
	s.verdict = make([]SiteVerdict, len(req.Sites))
	s.dist = make([]float64, len(req.Sites))
	for i, site := range req.Sites {
		v := &s.verdict[i]
		v.Location = site.Code
		d := req.distance(site)
		s.dist[i] = d.km
		if !math.IsNaN(d.km) {
			km := math.Round(d.km*10) / 10
			v.DistanceKm, v.DistanceBasis = &km, d.basis
		}
		for _, sku := range s.skus {
			v.Units += min(s.demand[sku], max(site.Stock[sku], 0))
		}
		switch v.Reason = req.bar(site); {
		case v.Reason != "":
		case oneOnly && !slices.Contains(req.From, site.Code):
			v.Reason = fmt.Sprintf("the order is not split: it ships from %s", strings.Join(req.From, ", "))
		case v.Units == 0:
			v.Eligible = true
			v.Reason = "has none of the order's open units"
		default:
			v.Eligible = true
			s.cands = append(s.cands, i)
			s.approx = s.approx || (d.basis != "" && d.basis != BasisCoordinates)
		}
	}
	return s
}

// bar says why the request may not draw on the site at all, whatever its
// stock; empty when it may.
func (req SourcingRequest) bar(site Site) string {
	switch {
	case !site.Active:
		return "inactive"
	case len(site.Channels) > 0 && !slices.Contains(site.Channels, req.Channel):
		return fmt.Sprintf("does not serve channel %s", req.Channel)
	case req.PickupAt != "" && site.Code != req.PickupAt:
		return fmt.Sprintf("not the pickup location %s", req.PickupAt)
	case req.PickupAt != "" && !site.CanPickup:
		return "does not offer pickup"
	case req.PickupAt == "" && !site.CanShip:
		return "does not ship"
	case site.Barred != "":
		return site.Barred
	}
	return ""
}

// Usable reports, for each of the request's sites, whether the order may
// draw on its stock at all: for a shipment, an active location serving the
// channel that ships; for a pickup, its store and — with PickupTransfers —
// every location that could ship to it; never one that is Barred. It is what
// sourcing would weigh, whatever the stock; a promise of a date counts the
// stock and supply of these locations only.
func (req SourcingRequest) Usable() []bool {
	out := make([]bool, len(req.Sites))
	at := -1
	for i, site := range req.Sites {
		out[i] = req.bar(site) == ""
		if site.Code == req.PickupAt {
			at = i
		}
	}
	if at < 0 || !req.PickupTransfers || !req.storeTakesTransfers(req.Sites[at]) {
		return out
	}
	ship := req
	ship.PickupAt = ""
	for i, site := range req.Sites {
		if i != at {
			out[i] = ship.bar(site) == ""
		}
	}
	return out
}

// storeTakesTransfers reports whether the pickup store may hand over units
// other locations send it: it may, unless it is unfit for the order other
// than by having rejected units of it.
func (req SourcingRequest) storeTakesTransfers(store Site) bool {
	store.Barred = ""
	return req.bar(store) == ""
}

func mulAdd(acc, a, b int64) (int64, bool) {
	p := a * b
	if a != 0 && p/a != b {
		return acc, false
	}
	return acc + p, true
}

// score ranks a combination of locations; lower is better, field by field.
type score struct {
	short    int64   // open units left
	count    int     // locations used
	distance float64 // total km to the destination (unknown counts 0)
	priority int     // total priority
	stock    int64   // negated stock of the order's SKUs at the locations
}

func (a score) cmp(b score) int {
	return cmp.Or(cmp.Compare(a.short, b.short), cmp.Compare(a.count, b.count),
		cmp.Compare(math.Round(a.distance*1000), math.Round(b.distance*1000)),
		cmp.Compare(a.priority, b.priority), cmp.Compare(a.stock, b.stock))
}

// score of the combination of candidate indexes in set (bit i is s.cands[i]).
func (s *sourcer) score(set uint32) score {
	var sc score
	for _, sku := range s.skus {
		var have int64
		for i, c := range s.cands {
			if set&(1<<i) != 0 {
				have += max(s.req.Sites[c].Stock[sku], 0)
			}
		}
		sc.short += max(s.demand[sku]-have, 0)
		sc.stock -= have
	}
	for i, c := range s.cands {
		if set&(1<<i) == 0 {
			continue
		}
		sc.count++
		if d := s.dist[c]; !math.IsNaN(d) {
			sc.distance += d
		}
		sc.priority += s.req.Sites[c].Priority
	}
	return sc
}

// exact weighs every combination of candidates. For each candidate it also
// keeps the best combination that includes it, to say why it lost.
func (s *sourcer) exact() Sourcing {
	n := len(s.cands)
	limit := uint32(1) << n
	if s.value < s.req.NoSplitBelow {
		// Only single locations.
		var best uint32
		var bestScore score
		for i := 0; i < n; i++ {
			set := uint32(1) << i
			if sc := s.score(set); best == 0 || sc.cmp(bestScore) < 0 {
				best, bestScore = set, sc
			}
		}
		return s.decide(best, "exact", fmt.Sprintf("worth %d, under the no-split threshold %d: one location only", s.value, s.req.NoSplitBelow))
	}
	var best uint32
	var bestScore score
	withBest := make([]score, n)
	withSet := make([]uint32, n)
	for set := uint32(1); set < limit; set++ {
		sc := s.score(set)
		if best == 0 || sc.cmp(bestScore) < 0 {
			best, bestScore = set, sc
		}
		for i := 0; i < n; i++ {
			if set&(1<<i) != 0 && (withSet[i] == 0 || sc.cmp(withBest[i]) < 0) {
				withBest[i], withSet[i] = sc, set
			}
		}
	}
	out := s.decide(best, "exact", "")
	for i, c := range s.cands {
		if best&(1<<i) == 0 {
			s.verdictOf(c, out).Reason = "lost: " + s.why(withBest[i], bestScore)
		}
	}
	return out
}

// why names the first objective on which combination a loses to b.
func (s *sourcer) why(a, b score) string {
	switch {
	case a.short != b.short:
		return fmt.Sprintf("every combination with it leaves %s open, the chosen one %d", units(a.short), b.short)
	case a.count != b.count:
		return fmt.Sprintf("with it the order needs %s, not %d", shipments(a.count), b.count)
	case math.Round(a.distance*1000) != math.Round(b.distance*1000):
		if s.approx {
			return fmt.Sprintf("farther: about %s in all, against about %s", km(a.distance, 0), km(b.distance, 0))
		}
		return fmt.Sprintf("farther: %s in all, against %s", km(a.distance, 1), km(b.distance, 1))
	case a.priority != b.priority:
		return fmt.Sprintf("lower priority (%d against %d)", a.priority, b.priority)
	}
	return "less stock of the order's items"
}

// greedy picks locations one at a time, each the one that adds the most
// units (then nearest, best priority, most stock), until none adds any.
func (s *sourcer) greedy() Sourcing {
	remaining := make(map[string]int64, len(s.demand))
	for k, v := range s.demand {
		remaining[k] = v
	}
	var chosen []int
	used := make([]bool, len(s.cands))
	oneOnly := s.value < s.req.NoSplitBelow
	for {
		bestI, bestAdd := -1, int64(0)
		for i, c := range s.cands {
			if used[i] {
				continue
			}
			var add int64
			for sku, need := range remaining {
				add += min(need, max(s.req.Sites[c].Stock[sku], 0))
			}
			if add > bestAdd || (add == bestAdd && add > 0 && bestI >= 0 && s.better(c, s.cands[bestI])) {
				bestI, bestAdd = i, add
			}
		}
		if bestI < 0 || bestAdd == 0 {
			break
		}
		used[bestI] = true
		c := s.cands[bestI]
		chosen = append(chosen, bestI)
		for sku, need := range remaining {
			remaining[sku] = need - min(need, max(s.req.Sites[c].Stock[sku], 0))
		}
		if oneOnly {
			break
		}
	}
	return s.decideList(chosen, "greedy")
}

// better reports whether site a wins a tie against b: nearer, then better
// priority, then more stock, then code.
func (s *sourcer) better(a, b int) bool {
	da, db := s.dist[a], s.dist[b]
	if !math.IsNaN(da) && !math.IsNaN(db) && math.Round(da*1000) != math.Round(db*1000) {
		return da < db
	}
	sa, sb := s.req.Sites[a], s.req.Sites[b]
	if sa.Priority != sb.Priority {
		return sa.Priority < sb.Priority
	}
	var ta, tb int64
	for _, sku := range s.skus {
		ta += sa.Stock[sku]
		tb += sb.Stock[sku]
	}
	if ta != tb {
		return ta > tb
	}
	return sa.Code < sb.Code
}

// decide allocates the lines from the combination set (bits over s.cands).
func (s *sourcer) decide(set uint32, method, note string) Sourcing {
	var idx []int
	for i := 0; i < len(s.cands); i++ {
		if set&(1<<i) != 0 {
			idx = append(idx, i)
		}
	}
	out := s.decideList(idx, method)
	if note != "" {
		out.Summary = note + "; " + out.Summary
	}
	return out
}

// decideList allocates the lines from the chosen candidates (indexes into
// s.cands): each line takes from them nearest first, then by priority, then
// most stock.
func (s *sourcer) decideList(idx []int, method string) Sourcing {
	sites := make([]int, len(idx))
	for i, x := range idx {
		sites[i] = s.cands[x]
	}
	slices.SortFunc(sites, func(a, b int) int {
		if s.better(a, b) {
			return -1
		}
		if s.better(b, a) {
			return 1
		}
		return 0
	})
	left := make([]map[string]int64, len(sites))
	for i, c := range sites {
		left[i] = make(map[string]int64, len(s.skus))
		for _, sku := range s.skus {
			left[i][sku] = max(s.req.Sites[c].Stock[sku], 0)
		}
	}
	plan := Plan{Open: make([]int64, len(s.req.Lines))}
	for li, l := range s.req.Lines {
		need := max(l.Open, 0)
		for i, c := range sites {
			take := min(need, left[i][l.SKU])
			if take == 0 {
				continue
			}
			left[i][l.SKU] -= take
			need -= take
			plan.Placements = append(plan.Placements, Placement{Line: li, LineID: l.ID, Location: s.req.Sites[c].Code, Quantity: take})
		}
		plan.Open[li] = need
	}
	plan.Short = shortages(s.req.Lines, plan.Open)
	return s.finishPlan(plan, method)
}

// shortages lists, per SKU in first-seen order, what stays open.
func shortages(lines []Line, open []int64) []Shortage {
	var out []Shortage
	idx := make(map[string]int)
	for i, l := range lines {
		j, ok := idx[l.SKU]
		if !ok {
			j = len(out)
			idx[l.SKU] = j
			out = append(out, Shortage{SKU: l.SKU})
		}
		out[j].Requested += max(l.Open, 0)
		out[j].Available += max(l.Open, 0) - open[i]
	}
	short := out[:0]
	for _, sh := range out {
		if sh.Available < sh.Requested {
			short = append(short, sh)
		}
	}
	return short
}

func (s *sourcer) finish(plan *Plan, method, summary string) Sourcing {
	p := Plan{Open: make([]int64, len(s.req.Lines))}
	if plan != nil {
		p = *plan
	} else {
		for i, l := range s.req.Lines {
			p.Open[i] = max(l.Open, 0)
		}
		p.Short = shortages(s.req.Lines, p.Open)
	}
	return Sourcing{Plan: p, Method: method, Summary: summary, Sites: s.verdict}
}

func (s *sourcer) finishPlan(plan Plan, method string) Sourcing {
	out := Sourcing{Plan: plan, Method: method, Sites: s.verdict}
	used := map[string]int64{}
	for _, p := range plan.Placements {
		used[p.Location] += p.Quantity
	}
	var names []string
	for i := range out.Sites {
		v := &out.Sites[i]
		if n := used[v.Location]; n > 0 {
			v.Chosen, v.Allocated = true, n
			v.Reason = "chosen: " + s.handOver(n)
			if v.DistanceKm != nil && s.req.PickupAt == "" {
				v.Reason += ", " + s.req.away(s.req.Sites[i], s.dist[i])
			}
			names = append(names, v.Location)
		} else if v.Eligible && v.Units > 0 && v.Reason == "" {
			v.Reason = "not needed: the chosen locations cover the order"
		}
	}
	var open int64
	for _, o := range plan.Open {
		open += o
	}
	out.Summary = s.summary(names, open)
	return out
}

// handOver says what a chosen location does with n units.
func (s *sourcer) handOver(n int64) string {
	switch {
	case s.req.PickupAt != "":
		return fmt.Sprintf("hands over %s at the counter", units(n))
	case s.req.transferTo != "":
		return fmt.Sprintf("sends %s to %s", units(n), s.req.transferTo)
	}
	return fmt.Sprintf("ships %s", units(n))
}

// summary says in a line what the chosen locations do and what stays open.
func (s *sourcer) summary(names []string, open int64) string {
	from := strings.Join(names, ", ")
	switch {
	case len(names) == 0 && s.req.PickupAt != "":
		return fmt.Sprintf("%s has none of the order's open units", s.req.PickupAt)
	case len(names) == 0:
		return "nothing could be sourced"
	case open > 0:
		return fmt.Sprintf("partly filled from %s; %s for stock", from, wait(open))
	case s.req.PickupAt != "":
		return fmt.Sprintf("filled at %s, handed over at the counter", from)
	case s.req.transferTo != "":
		return fmt.Sprintf("filled from %s in %s to %s", from, shipments(len(names)), s.req.transferTo)
	}
	return fmt.Sprintf("filled from %s in %s", from, shipments(len(names)))
}

func (s *sourcer) verdictOf(site int, out Sourcing) *SiteVerdict {
	return &out.Sites[site]
}

// pickup sources a pickup order from its pickup location — and, with
// PickupTransfers, what that location lacks from the others, chosen by the
// same objectives as a shipment to the store. A store that rejected units of
// the order hands over only what the others send it.
func (s *sourcer) pickup() Sourcing {
	at := slices.IndexFunc(s.req.Sites, func(site Site) bool { return site.Code == s.req.PickupAt })
	if at < 0 {
		return s.finish(nil, "pickup", fmt.Sprintf("pickup location %s is unknown", s.req.PickupAt))
	}
	store := s.req.Sites[at]
	transfers := s.req.PickupTransfers && s.req.storeTakesTransfers(store)
	if !s.verdict[at].Eligible && !transfers {
		return s.finish(nil, "pickup", fmt.Sprintf("pickup location %s cannot take this order: %s", store.Code, s.verdict[at].Reason))
	}
	local := s.decideList(indexOf(s.cands, at), "pickup")
	var left int64
	for _, o := range local.Open {
		left += o
	}
	if !transfers || left == 0 {
		return local
	}
	rest := s.req
	rest.PickupAt, rest.PickupTransfers, rest.transferTo = "", false, store.Code
	rest.From = slices.DeleteFunc(slices.Clone(s.req.From), func(c string) bool { return c == store.Code })
	rest.ShipTo, rest.ShipToBasis, rest.ShipCountry = store.Point, BasisCoordinates, store.Country
	rest.Lines = slices.Clone(s.req.Lines)
	for i := range rest.Lines {
		rest.Lines[i].Open = local.Open[i]
	}
	rest.Sites = slices.Delete(slices.Clone(s.req.Sites), at, at+1)
	far := Source(rest)
	out := local
	out.Method = "pickup+transfer"
	out.Placements = append(slices.Clone(local.Placements), far.Placements...)
	out.Open, out.Short = far.Open, shortages(s.req.Lines, far.Open)
	for _, v := range far.Sites {
		i := slices.IndexFunc(out.Sites, func(w SiteVerdict) bool { return w.Location == v.Location })
		out.Sites[i] = v
	}
	here := fmt.Sprintf("%s at %s, handed over at the counter", units(s.openUnits()-left), store.Code)
	if s.verdict[at].Allocated == 0 {
		here = "none at " + store.Code
		if store.Barred != "" {
			here += " (" + store.Barred + ")"
		}
	}
	out.Summary = here + "; the rest: " + far.Summary
	return out
}

// openUnits is the request's open units in all.
func (s *sourcer) openUnits() int64 {
	var n int64
	for _, l := range s.req.Lines {
		n += max(l.Open, 0)
	}
	return n
}

func indexOf(cands []int, site int) []int {
	for i, c := range cands {
		if c == site {
			return []int{i}
		}
	}
	return nil
}
