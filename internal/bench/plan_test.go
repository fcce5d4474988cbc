package bench

import (
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/omshq/oms"
)

func TestPlanHot(t *testing.T) {
	tests := []struct {
		items, hot int
	}{
		{1, 1}, {10, 1}, {50, 1}, {100, 2}, {1000, 20}, {10_000, 200},
	}
	for _, tt := range tests {
		if got := NewPlan(tt.items).Hot; got != tt.hot {
			t.Errorf("NewPlan(%d).Hot = %d, want %d", tt.items, got, tt.hot)
		}
	}
}

func TestPlanStock(t *testing.T) {
	p := NewPlan(1000)
	total := func(rank int) int64 {
		var n int64
		for loc := range p.Locations {
			n += p.Stock(rank, loc)
		}
		return n
	}
	tests := []struct {
		name      string
		rank, loc int
		want      int64
	}{
		{"ordinary item at a warehouse", 500, 0, plentyStock},
		{"ordinary item at the store", 500, 3, storeStock},
		{"first ordinary item", p.Hot, 2, plentyStock},
		{"hottest item, first location", 0, 0, 5},
		{"hottest item, the store", 0, 3, 5},
		{"least hot of the hot, first location", p.Hot - 1, 0, 50},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := p.Stock(tt.rank, tt.loc); got != tt.want {
				t.Errorf("Stock(%d, %d) = %d, want %d", tt.rank, tt.loc, got, tt.want)
			}
		})
	}
	if got := total(0); got != hotStockMin {
		t.Errorf("hottest item has %d units in all, want %d", got, hotStockMin)
	}
	if got := total(p.Hot - 1); got != hotStockMax {
		t.Errorf("least hot of the hot has %d units in all, want %d", got, hotStockMax)
	}
	for r := 1; r < p.Hot; r++ {
		if total(r) < total(r-1) {
			t.Errorf("rank %d has less stock (%d) than the hotter rank %d (%d)", r, total(r), r-1, total(r-1))
		}
	}
	// A remainder goes to the first locations, never lost.
	odd := NewPlan(1000)
	for r := range odd.Hot {
		var sum int64
		for loc := range odd.Locations {
			sum += odd.Stock(r, loc)
		}
		want := hotStockMin + int64(hotStockMax-hotStockMin)*int64(r)/int64(odd.Hot-1)
		if sum != want {
			t.Errorf("rank %d: locations sum to %d, want %d", r, sum, want)
		}
	}
}

func TestPlanCatalog(t *testing.T) {
	p := NewPlan(10)
	for _, c := range p.Channels {
		if err := c.Validate(); err != nil {
			t.Errorf("channel %s: %v", c.Code, err)
		}
	}
	if p.Channels[backorderChannel].BackorderPolicy != oms.BackorderAccept {
		t.Errorf("channel %d must accept backorders", backorderChannel)
	}
	for i, c := range p.Channels {
		if i != backorderChannel && c.BackorderPolicy != oms.BackorderReject {
			t.Errorf("channel %s must reject backorders", c.Code)
		}
	}
	for _, l := range p.Locations {
		if err := l.Validate(); err != nil {
			t.Errorf("location %s: %v", l.Code, err)
		}
		if !l.CanShip {
			t.Errorf("location %s cannot ship", l.Code)
		}
	}
	store := p.Locations[len(p.Locations)-1]
	if store.Kind != "store" || store.Priority <= p.Locations[0].Priority {
		t.Errorf("the last location must be a store that ships after the warehouses: %+v", store)
	}
}

// TestZipfHotShare checks the popularity curve: the hottest rank is drawn
// most, and the hot ranks draw a minority of the lines — enough that they
// sell out, few enough that most orders still succeed — at any catalog size.
func TestZipfHotShare(t *testing.T) {
	for _, items := range []int{50, 1000, 10_000} {
		p := NewPlan(items)
		z := p.Zipf(rand.New(rand.NewPCG(1, 1)))
		counts := make([]int, items)
		const draws = 200_000
		for range draws {
			r := z.Uint64()
			if r >= uint64(items) {
				t.Fatalf("items %d: drew rank %d", items, r)
			}
			counts[r]++
		}
		var hot int
		for r := range p.Hot {
			hot += counts[r]
		}
		share := float64(hot) / draws
		if share < 0.05 || share > 0.25 {
			t.Errorf("items %d: hot ranks drew %.1f%% of lines, want 5–25%%", items, share*100)
		}
		if counts[0] <= counts[items/2]*5 {
			t.Errorf("items %d: rank 0 drawn %d times, the median rank %d: not hot enough", items, counts[0], counts[items/2])
		}
	}
}

func TestOrderGen(t *testing.T) {
	p := NewPlan(50)
	g := newOrderGen(&p, 42, 3, "run")
	ids := map[string]bool{}
	channels := map[string]int{}
	for range 2000 {
		d := g.runOrder()
		if err := d.Validate(); err != nil {
			t.Fatalf("invalid draft %+v: %v", d, err)
		}
		if ids[d.ExternalID] {
			t.Fatalf("external id %s repeated", d.ExternalID)
		}
		ids[d.ExternalID] = true
		channels[d.Channel]++
		if n := len(d.Lines); n < 1 || n > maxOrderLines {
			t.Fatalf("%d lines", n)
		}
		skus := map[string]bool{}
		for _, l := range d.Lines {
			if skus[l.SKU] {
				t.Fatalf("SKU %s twice in one order", l.SKU)
			}
			skus[l.SKU] = true
			if l.Quantity < 1 || l.Quantity > maxLineQty {
				t.Fatalf("quantity %d", l.Quantity)
			}
		}
	}
	if len(channels) != len(p.Channels) {
		t.Errorf("orders came from %d channels, want %d", len(channels), len(p.Channels))
	}
}

func TestOrderGenRepeatable(t *testing.T) {
	p := NewPlan(1000)
	a, b := newOrderGen(&p, 7, 1, "x"), newOrderGen(&p, 7, 1, "x")
	other := newOrderGen(&p, 8, 1, "x")
	same := true
	for range 100 {
		da, db, do := a.runOrder(), b.runOrder(), other.runOrder()
		if !reflect.DeepEqual(da, db) {
			t.Fatalf("same seed, different orders:\n%+v\n%+v", da, db)
		}
		same = same && reflect.DeepEqual(da.Lines, do.Lines)
	}
	if same {
		t.Error("another seed gave the same orders")
	}
}

func TestPreloadOrder(t *testing.T) {
	tests := []struct {
		name  string
		items int
	}{
		{"catalog with hot items", 1000},
		{"catalog that is all hot", 1},
		{"small catalog", 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := NewPlan(tt.items)
			g := newOrderGen(&p, 1, 0, "pre")
			var backorder int
			const n = 1000
			for range n {
				d := g.preloadOrder()
				if err := d.Validate(); err != nil {
					t.Fatalf("invalid draft: %v", err)
				}
				if d.Channel == p.Channels[backorderChannel].Code {
					backorder++
				}
				for _, l := range d.Lines {
					if tt.items > p.Hot && l.SKU < p.SKU(p.Hot) {
						t.Fatalf("preloaded order takes hot SKU %s", l.SKU)
					}
				}
			}
			if backorder < n*7/10 || backorder > n*9/10 {
				t.Errorf("%d of %d preloaded orders from the backorder channel, want about 80%%", backorder, n)
			}
		})
	}
}
