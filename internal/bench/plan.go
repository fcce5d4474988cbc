package bench

import (
	"fmt"
	"math/rand/v2"

	"github.com/omshq/oms"
)

// The shape of the generated data.
const (
	currency      = "USD"
	customerPool  = 50_000  // distinct customer emails
	plentyStock   = 100_000 // units of an ordinary item at each warehouse
	storeStock    = 1_000   // units of an ordinary item at the store
	hotShare      = 0.02    // the share of items that are hot and sell out
	hotStockMin   = 20      // total units of the hottest item, over every location
	hotStockMax   = 200     // total units of the least hot of the hot items
	maxOrderLines = 5
	maxLineQty    = 3
	zipfS         = 1.1 // Zipf exponent: with v below, the hot 2% draw about an eighth of the lines
	shippingPrice = 499
)

// Plan is the catalog a run sets up: three channels (the last accepts
// backorders), four locations (the last a store that ships after the
// warehouses), and Items items ranked by popularity — rank 0 is the most
// popular. It also generates the orders. Its methods are pure.
type Plan struct {
	Items     int
	Hot       int // ranks below Hot get little stock and sell out during a run
	Channels  []oms.Channel
	Locations []oms.Location
}

// NewPlan returns the plan for a catalog of items items.
func NewPlan(items int) Plan {
	ch := func(code, kind string, p oms.BackorderPolicy) oms.Channel {
		return oms.Channel{Code: code, Name: "Bench " + code, Kind: kind, Currency: currency, BackorderPolicy: p}
	}
	loc := func(code, kind string, priority int, city string) oms.Location {
		return oms.Location{Code: code, Name: "Bench " + code, Kind: kind, CanShip: true, CanPickup: kind == "store",
			Priority: priority, Address: oms.Address{Line1: "1 Bench Rd", City: city, Country: "US"}}
	}
	return Plan{
		Items: items,
		Hot:   max(1, int(float64(items)*hotShare+0.5)),
		Channels: []oms.Channel{
			ch("bench-web", "web", oms.BackorderReject),
			ch("bench-shop", "shopify", oms.BackorderReject),
			ch("bench-b2b", "api", oms.BackorderAccept),
		},
		Locations: []oms.Location{
			loc("bench-east", "warehouse", 1, "Newark"),
			loc("bench-west", "warehouse", 1, "Reno"),
			loc("bench-central", "warehouse", 2, "Memphis"),
			loc("bench-store", "store", 5, "Chicago"),
		},
	}
}

// backorderChannel is the index of the channel that accepts backorders.
const backorderChannel = 2

// SKU returns the SKU of the item of the rank.
func (p Plan) SKU(rank int) string { return fmt.Sprintf("BENCH-%05d", rank+1) }

// Price returns the unit price of the item of the rank, in cents.
func (p Plan) Price(rank int) int64 { return 499 + int64(rank*7919%9500) }

// Stock returns the units the item of the rank starts with at the location
// of index loc. Hot items get hotStockMin to hotStockMax units in all, the
// hottest the fewest, spread over every location; the others get plenty at
// each warehouse and less at the store.
func (p Plan) Stock(rank, loc int) int64 {
	if rank < p.Hot {
		total := int64(hotStockMin)
		if p.Hot > 1 {
			total += int64(hotStockMax-hotStockMin) * int64(rank) / int64(p.Hot-1)
		}
		n := int64(len(p.Locations))
		share := total / n
		if int64(loc) < total%n {
			share++
		}
		return share
	}
	if p.Locations[loc].Kind == "store" {
		return storeStock
	}
	return plentyStock
}

// Zipf returns the popularity distribution of the ranks, drawing from r.
// Its offset grows with the catalog so that the hot share of the lines stays
// about the same at any size.
func (p Plan) Zipf(r *rand.Rand) *rand.Zipf {
	return rand.NewZipf(r, zipfS, 1+float64(p.Items)/20, uint64(p.Items-1))
}

// orderGen generates the orders of one worker: repeatable for a seed, each
// with its own external id.
type orderGen struct {
	plan *Plan
	r    *rand.Rand
	zipf *rand.Zipf
	id   string // prefix of the external ids
	n    int
}

func newOrderGen(plan *Plan, seed uint64, worker int, idPrefix string) *orderGen {
	r := rand.New(rand.NewPCG(seed, uint64(worker)))
	return &orderGen{plan: plan, r: r, zipf: plan.Zipf(r), id: fmt.Sprintf("%s-%d-", idPrefix, worker)}
}

// runOrder returns an order of the timed run: from any channel, its SKUs
// drawn by popularity.
func (g *orderGen) runOrder() *oms.OrderDraft {
	ch := g.r.IntN(len(g.plan.Channels))
	return g.order(ch, func() int { return int(g.zipf.Uint64()) }, g.plan.Items)
}

// preloadOrder returns a preloaded order: mostly from the backorder channel
// so it is never refused, its SKUs drawn evenly from the items that are not
// hot, so that preloading leaves the hot items' stock to the timed run.
func (g *orderGen) preloadOrder() *oms.OrderDraft {
	ch := backorderChannel
	if k := g.r.IntN(10); k < 2 {
		ch = k
	}
	lo := g.plan.Hot
	if lo >= g.plan.Items {
		lo = 0
	}
	return g.order(ch, func() int { return lo + g.r.IntN(g.plan.Items-lo) }, g.plan.Items-lo)
}

// order builds an order of 1–5 lines with distinct SKUs from draw, which
// returns a rank; choices is how many distinct ranks draw can return.
func (g *orderGen) order(channel int, draw func() int, choices int) *oms.OrderDraft {
	g.n++
	c := g.r.IntN(customerPool)
	d := &oms.OrderDraft{
		Channel:       g.plan.Channels[channel].Code,
		ExternalID:    g.id + fmt.Sprint(g.n),
		Currency:      currency,
		Customer:      benchCustomer(c),
		ShippingPrice: shippingPrice,
	}
	lines := 1 + g.r.IntN(min(maxOrderLines, choices))
	seen := make(map[int]bool, lines)
	for len(d.Lines) < lines {
		rank := draw()
		if seen[rank] {
			continue
		}
		seen[rank] = true
		d.Lines = append(d.Lines, oms.LineDraft{SKU: g.plan.SKU(rank), Quantity: 1 + g.r.Int64N(maxLineQty),
			UnitPrice: g.plan.Price(rank)})
	}
	return d
}

// Names for the bench's customers: each of the customerPool customers has
// one email, a phone and a name; a full name is shared by about
// customerPool / (len(firstNames) × len(lastNames)) customers, a last name
// by one in len(lastNames) — as a search box meets them.
var (
	firstNames = []string{"Olivia", "Liam", "Emma", "Noah", "Amelia", "Oliver", "Sophia", "Elijah", "Charlotte", "James",
		"Ava", "William", "Mia", "Lucas", "Isabella", "Henry", "Evelyn", "Theodore", "Harper", "Mateo",
		"Luna", "Levi", "Camila", "Sebastian", "Gianna", "Jack", "Aria", "Ezra", "Ella", "Owen",
		"Nora", "Hugo", "Siobhán", "Yuki", "Aisha", "Ravi", "Zoë", "Lars", "Ines", "Tomás"}
	lastNames = []string{"Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez",
		"Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin",
		"Lee", "Perez", "Thompson", "White", "Harris", "Sanchez", "Clark", "Ramirez", "Lewis", "Robinson",
		"Walker", "Young", "Allen", "King", "Wright", "Scott", "Torres", "Nguyen", "Hill", "Flores",
		"Green", "Adams", "Nelson", "Baker", "Hall", "Rivera", "Campbell", "Mitchell", "Carter", "Roberts"}
)

// benchCustomer is customer c of the pool.
func benchCustomer(c int) oms.Customer {
	return oms.Customer{Email: fmt.Sprintf("customer%05d@bench.example", c),
		Name:  firstNames[c%len(firstNames)] + " " + lastNames[c/len(firstNames)%len(lastNames)],
		Phone: fmt.Sprintf("+1 555 %07d", c)}
}

// channelCodes are the codes of the plan's channels.
func (p *Plan) channelCodes() []string {
	out := make([]string, len(p.Channels))
	for i, c := range p.Channels {
		out[i] = c.Code
	}
	return out
}
