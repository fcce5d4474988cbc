package httpapi_test

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/store/storetest"
)

// listSKUs are SKUs whose byte order differs from a case-insensitive or
// locale order, with neighbours just outside the prefixes the tests use.
var listSKUs = []string{
	"mug", "mug-1", "mug-2", "mug-10", "mug.", "mug-red-L", "mugs", "muh", "Mug-UP", "MUG",
	"a-1", "b_2", "Zed", "zed", "0-first", "tee-é", "tee-éa", "tee-ê", "tee-e", "teé", "tee",
}

// putItems creates an item per SKU, unit cost 100 + its index.
func (h *harness) putItems(skus ...string) {
	h.t.Helper()
	for i, sku := range skus {
		h.mustCall("PUT", "/v1/items/"+url.PathEscape(sku), oms.RoleManager,
			fmt.Sprintf(`{"name":"Item %d","unit_cost":%d,"currency":"USD"}`, i, 100+i), 201)
	}
}

type itemPage struct {
	Items []struct {
		SKU      string `json:"sku"`
		Name     string `json:"name"`
		UnitCost *int64 `json:"unit_cost"`
	} `json:"items"`
	NextCursor *string `json:"next_cursor"`
}

// pageAll follows next_cursor from the first page of path (which has a query
// string) to the last, calling add with each page's body; it fails after
// more pages than max.
func (h *harness) pageAll(path string, max int, add func(r response) *string) int {
	h.t.Helper()
	pages := 0
	next := path
	for {
		pages++
		if pages > max {
			h.t.Fatalf("%s: more than %d pages", path, max)
		}
		r := h.mustCall("GET", next, oms.RoleManager, nil, 200) // a key that reads costs
		c := add(r)
		if c == nil {
			return pages
		}
		next = path + "&after=" + url.QueryEscape(*c)
	}
}

// wantSKUs is listSKUs starting with prefix, in byte order.
func wantSKUs(all []string, prefix string) []string {
	var out []string
	for _, s := range all {
		if strings.HasPrefix(s, prefix) {
			out = append(out, s)
		}
	}
	slices.Sort(out)
	return out
}

func TestListItems(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		h := setup(t, e)
		h.putItems(listSKUs...)
		for _, tc := range []struct {
			name, query string
			limit       int
			want        []string
		}{
			{"every item, 4 a page", "", 4, wantSKUs(listSKUs, "")},
			{"every item, one page", "", 200, wantSKUs(listSKUs, "")},
			{"a page of exactly all", "", len(listSKUs), wantSKUs(listSKUs, "")},
			{"one a page", "", 1, wantSKUs(listSKUs, "")},
			{"prefix mug", "&sku_prefix=mug", 2, wantSKUs(listSKUs, "mug")},
			{"prefix mug-", "&sku_prefix=mug-", 2, wantSKUs(listSKUs, "mug-")},
			{"prefix is case-sensitive", "&sku_prefix=M", 1, wantSKUs(listSKUs, "M")},
			{"prefix ending in a two-byte rune", "&sku_prefix=" + url.QueryEscape("tee-é"), 1, wantSKUs(listSKUs, "tee-é")},
			{"prefix of the whole SKU", "&sku_prefix=muh", 5, []string{"muh"}},
			{"prefix nothing has", "&sku_prefix=nothing", 5, nil},
		} {
			t.Run(tc.name, func(t *testing.T) {
				var got []string
				pages := h.pageAll(fmt.Sprintf("/v1/items?limit=%d%s", tc.limit, tc.query), 50, func(r response) *string {
					var p itemPage
					r.json(t, &p)
					if len(p.Items) > tc.limit {
						t.Fatalf("%d items on a page of %d", len(p.Items), tc.limit)
					}
					if p.NextCursor != nil && len(p.Items) != tc.limit {
						t.Errorf("a short page of %d has a next_cursor", len(p.Items))
					}
					for _, it := range p.Items {
						i := slices.Index(listSKUs, it.SKU)
						if it.UnitCost == nil || *it.UnitCost != int64(100+i) || it.Name != fmt.Sprintf("Item %d", i) {
							t.Errorf("%s: name %q, unit_cost %v", it.SKU, it.Name, it.UnitCost)
						}
						got = append(got, it.SKU)
					}
					return p.NextCursor
				})
				if !slices.Equal(got, tc.want) {
					t.Errorf("got %q\nwant %q", got, tc.want)
				}
				if want := max(1, (len(tc.want)+tc.limit-1)/tc.limit); pages != want {
					t.Errorf("%d pages, want %d", pages, want)
				}
			})
		}
		t.Run("default limit is 50", func(t *testing.T) {
			var p itemPage
			h.mustCall("GET", "/v1/items", oms.RoleAgent, nil, 200).json(t, &p)
			if len(p.Items) != len(listSKUs) || p.NextCursor != nil {
				t.Errorf("%d items, next %v", len(p.Items), p.NextCursor)
			}
		})
	})
}

// Items created between two pages appear on a later page when they sort
// after the cursor, and nothing already listed comes again.
func TestListItemsStableCursor(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		h := setup(t, e)
		h.putItems("b", "d", "f")
		var p itemPage
		h.mustCall("GET", "/v1/items?limit=2", oms.RoleAgent, nil, 200).json(t, &p)
		h.putItems("a", "e")
		var q itemPage
		h.mustCall("GET", "/v1/items?limit=2&after="+*p.NextCursor, oms.RoleAgent, nil, 200).json(t, &q)
		var got []string
		for _, it := range append(p.Items, q.Items...) {
			got = append(got, it.SKU)
		}
		if want := []string{"b", "d", "e", "f"}; !slices.Equal(got, want) || q.NextCursor != nil {
			t.Errorf("got %q, next %v; want %q", got, q.NextCursor, want)
		}
	})
}

type stockPage struct {
	Inventory []struct {
		SKU       string `json:"sku"`
		OnHand    int64  `json:"on_hand"`
		Reserved  int64  `json:"reserved"`
		Available int64  `json:"available"`
		Locations []struct {
			Location    string `json:"location"`
			OnHand      int64  `json:"on_hand"`
			Reserved    int64  `json:"reserved"`
			SafetyStock int64  `json:"safety_stock"`
			Available   int64  `json:"available"`
		} `json:"locations"`
	} `json:"inventory"`
	NextCursor *string `json:"next_cursor"`
}

// stockLine is one SKU as the tests compare it: its sums, then each
// balance as location:on_hand/reserved/available.
func (p stockPage) lines() []string {
	var out []string
	for _, s := range p.Inventory {
		l := fmt.Sprintf("%s %d/%d/%d", s.SKU, s.OnHand, s.Reserved, s.Available)
		for _, b := range s.Locations {
			l += fmt.Sprintf(" %s:%d/%d/%d", b.Location, b.OnHand, b.Reserved, b.Available)
		}
		out = append(out, l)
	}
	return out
}

// seedStock stocks the seeded mug (5 at wh1) further and adds SKUs: mug has
// 2 units reserved by an order; cap is at both locations; hat was stocked at
// shop and sold out; pin was never stocked.
func (h *harness) seedStock() {
	h.t.Helper()
	h.seed()
	h.putItems("cap", "hat", "pin")
	for _, a := range []struct {
		sku, loc string
		delta    int
	}{{"cap", "wh1", 7}, {"cap", "shop", 1}, {"hat", "shop", 3}, {"hat", "shop", -3}, {"mug", "shop", 2}} {
		h.mustCall("POST", "/v1/inventory/adjustments", oms.RoleWarehouse,
			fmt.Sprintf(`{"sku":%q,"location":%q,"delta":%d,"reason":"adjust"}`, a.sku, a.loc, a.delta), 201)
	}
	h.mustCall("POST", "/v1/orders", oms.RoleChannel, orderBody("A-1", 2), 201)
}

func TestListInventory(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		h := setup(t, e)
		h.seedStock()
		// The order's 2 mugs are reserved at wh1: the shop cannot ship.
		const mug = "mug 7/2/5 shop:2/0/2 wh1:5/2/3"
		for _, tc := range []struct {
			name, query string
			want        []string
		}{
			{"every SKU", "", []string{"cap 8/0/8 shop:1/0/1 wh1:7/0/7", "hat 0/0/0 shop:0/0/0", mug, "pin 0/0/0"}},
			{"prefix", "sku_prefix=m", []string{mug}},
			{"at a location", "location=shop", []string{"cap 1/0/1 shop:1/0/1", "hat 0/0/0 shop:0/0/0", "mug 2/0/2 shop:2/0/2"}},
			{"low stock: nothing available", "low_stock=true", []string{"hat 0/0/0 shop:0/0/0", "pin 0/0/0"}},
			{"low stock at or below 5", "low_stock=true&below=5", []string{"hat 0/0/0 shop:0/0/0", mug, "pin 0/0/0"}},
			{"low stock at a location", "low_stock=true&below=1&location=shop", []string{"cap 1/0/1 shop:1/0/1", "hat 0/0/0 shop:0/0/0"}},
			{"low stock at a location with a prefix", "low_stock=true&below=7&location=wh1&sku_prefix=c",
				[]string{"cap 7/0/7 wh1:7/0/7"}},
			{"low_stock=false is no filter", "low_stock=false&sku_prefix=p", []string{"pin 0/0/0"}},
			{"wh1 holds no hat", "location=wh1&sku_prefix=h", nil},
			{"mug at wh1", "location=wh1&sku_prefix=mug", []string{"mug 5/2/3 wh1:5/2/3"}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				for _, limit := range []int{1, 2, 50} {
					var got []string
					h.pageAll(fmt.Sprintf("/v1/inventory?limit=%d&%s", limit, tc.query), 10, func(r response) *string {
						if strings.Contains(string(r.body), "cost") || strings.Contains(string(r.body), "value") {
							t.Errorf("the inventory shows costs: %s", r.body)
						}
						var p stockPage
						r.json(t, &p)
						if len(p.Inventory) > limit {
							t.Fatalf("%d SKUs on a page of %d", len(p.Inventory), limit)
						}
						got = append(got, p.lines()...)
						return p.NextCursor
					})
					if !slices.Equal(got, tc.want) {
						t.Errorf("limit %d: got %q\nwant %q", limit, got, tc.want)
					}
				}
			})
		}
	})
}

// A SKU's entry in the list is what GET /v1/inventory/{sku} answers.
func TestListInventoryMatchesStock(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		h := setup(t, e)
		h.seedStock()
		r := h.mustCall("GET", "/v1/inventory?sku_prefix=mug", oms.RoleWarehouse, nil, 200)
		var p struct {
			Inventory []any `json:"inventory"`
		}
		r.json(t, &p)
		var one any
		h.mustCall("GET", "/v1/inventory/mug", oms.RoleWarehouse, nil, 200).json(t, &one)
		if len(p.Inventory) != 1 || fmt.Sprint(p.Inventory[0]) != fmt.Sprint(one) {
			t.Errorf("list entry %v\nGET /v1/inventory/mug %v", p.Inventory, one)
		}
	})
}

func TestListBadParameters(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		h := setup(t, e)
		h.seed()
		long := strings.Repeat("x", 101)
		for _, tc := range []struct {
			path, field string
		}{
			{"/v1/items?limit=0", "limit"},
			{"/v1/items?limit=201", "limit"},
			{"/v1/items?limit=ten", "limit"},
			{"/v1/items?after=%21%21", "after"},
			{"/v1/items?after=" + url.QueryEscape("AA"), "after"}, // a NUL byte
			{"/v1/items?sku_prefix=" + long, "sku_prefix"},
			{"/v1/items?sku_prefix=a%01", "sku_prefix"},
			{"/v1/items?sku_prefix=%FF", "sku_prefix"},
			{"/v1/items?sku_prefix=a%zz", "query"},
			{"/v1/inventory?limit=-1", "limit"},
			{"/v1/inventory?after=%2A", "after"},
			{"/v1/inventory?sku_prefix=%00", "sku_prefix"},
			{"/v1/inventory?low_stock=yes", "low_stock"},
			{"/v1/inventory?low_stock=true&below=-1", "below"},
			{"/v1/inventory?low_stock=true&below=lots", "below"},
			{"/v1/inventory?below=3", "below"},
			{"/v1/inventory?location=nowhere", "location"},
			{"/v1/inventory?location=%FF", "location"},
		} {
			t.Run(tc.path, func(t *testing.T) {
				r := h.mustCall("GET", tc.path, oms.RoleAgent, nil, 400)
				p := r.problem(t)
				if p.Code != oms.EINVALID || len(p.Errors) != 1 || p.Errors[0].Field != tc.field {
					t.Errorf("problem %+v, want one error naming %s", p, tc.field)
				}
			})
		}
	})
}

func TestListRoutes(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		h := setup(t, e)
		h.seed()
		for _, tc := range []struct {
			path   string
			role   oms.Role
			status int
		}{
			{"/v1/items", "", 401},
			{"/v1/inventory", "", 401},
			{"/v1/items", oms.RoleChannel, 200},
			{"/v1/inventory", oms.RoleChannel, 403}, // a channel reads its availability feed
			{"/v1/inventory/mug", oms.RoleChannel, 403},
			{"/v1/inventory/", oms.RoleChannel, 404},
			{"/v1/items/", oms.RoleChannel, 404},
		} {
			if r := h.call("GET", tc.path, tc.role, nil); r.status != tc.status {
				t.Errorf("GET %s as %q: status %d, want %d: %s", tc.path, tc.role, r.status, tc.status, r.body)
			}
		}
	})
}
