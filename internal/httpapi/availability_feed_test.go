package httpapi_test

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/store"
	"github.com/omshq/oms/internal/store/storetest"
)

// feedEntry is one row of a channel's availability feed as a test compares
// it.
type feedEntry struct {
	sku       string
	available int64
	listing   bool
}

// seedFeed makes channel shop (share 100 %, no buffer), warehouse wh1 and
// items with stock there, the channel's listing SKUs mapped 1:1, as packs
// and as bundles — one of them, MUG-1, named like an item — and returns the
// feed that follows, in byte order of SKU.
func seedFeed(h *harness) []feedEntry {
	h.t.Helper()
	h.mustCall("PUT", "/v1/channels/shop", oms.RoleManager, `{"name":"Shop","kind":"shopify","currency":"GBP","backorder_policy":"reject"}`, 201)
	h.mustCall("PUT", "/v1/locations/wh1", oms.RoleManager, `{"name":"Warehouse","kind":"warehouse","can_ship":true,"priority":1}`, 201)
	for _, it := range []struct {
		sku    string
		onHand int64
	}{{"CAP", 9}, {"MUG-1", 92}, {"SOCK", 10}, {"STK-1", 5}, {"TEE", 4}, {"ZED", 0}, {"a-lower", 3}} {
		h.mustCall("PUT", "/v1/items/"+it.sku, oms.RoleManager, `{"name":"Item `+it.sku+`","currency":"GBP"}`, 201)
		if it.onHand > 0 {
			h.mustCall("POST", "/v1/inventory/adjustments", oms.RoleWarehouse,
				fmt.Sprintf(`{"sku":%q,"location":"wh1","delta":%d,"reason":"receive"}`, it.sku, it.onHand), 201)
		}
	}
	for listing, body := range map[string]string{
		"MUG-1":    `{"sku":"STK-1"}`, // shadows the item MUG-1
		"L-TEE":    `{"sku":"TEE"}`,
		"SOCK-3PK": `{"components":[{"sku":"SOCK","quantity":3}]}`,
		"BUNDLE":   `{"components":[{"sku":"SOCK","quantity":2},{"sku":"CAP","quantity":1}]}`,
		"b-bundle": `{"components":[{"sku":"CAP","quantity":1},{"sku":"TEE","quantity":2}]}`,
	} {
		h.mustCall("PUT", "/v1/channels/shop/sku-mappings/"+url.PathEscape(listing), oms.RoleManager, body, 200)
	}
	return []feedEntry{
		{"BUNDLE", 5, true}, // min(10/2, 9)
		{"CAP", 9, false},
		{"L-TEE", 4, true},
		{"MUG-1", 5, true}, // what STK-1 holds, not the item MUG-1's 92
		{"SOCK", 10, false},
		{"SOCK-3PK", 3, true},
		{"STK-1", 5, false},
		{"TEE", 4, false},
		{"ZED", 0, false},
		{"a-lower", 3, false}, // by bytes: lower case after upper
		{"b-bundle", 2, true}, // min(9, 4/2)
	}
}

// feedPage reads one page of shop's feed.
func feedPage(h *harness, query string) oms.AvailabilityPage {
	h.t.Helper()
	var p oms.AvailabilityPage
	h.mustCall("GET", "/v1/channels/shop/availability"+query, oms.RoleChannel, nil, 200).json(h.t, &p)
	return p
}

func entriesOf(p oms.AvailabilityPage) []feedEntry {
	out := make([]feedEntry, len(p.Items))
	for i, it := range p.Items {
		out[i] = feedEntry{it.SKU, it.Available, it.Listing}
	}
	return out
}

// TestAvailabilityFeedShadowedSKU: a listing SKU named like an item is in
// the feed once, offering what its mapping allows — as orders for it take
// the mapping — in JSON, in CSV and in the published events.
func TestAvailabilityFeedShadowedSKU(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		h := setup(t, e)
		want := seedFeed(h)
		p := feedPage(h, "")
		var mugs []oms.ChannelStock
		for _, it := range p.Items {
			if it.SKU == "MUG-1" {
				mugs = append(mugs, it)
			}
		}
		if len(mugs) != 1 || mugs[0].Available != 5 || !mugs[0].Listing ||
			!slices.Equal(mugs[0].Components, []oms.SKUComponent{{SKU: "STK-1", Quantity: 1}}) {
			t.Errorf("MUG-1 in the feed: %+v, want once, the listing of STK-1 offering 5", mugs)
		}
		if got := entriesOf(p); !slices.Equal(got, want) || p.NextCursor != nil {
			t.Errorf("feed %+v (next %v),\nwant %+v", got, p.NextCursor, want)
		}
		r := h.call("GET", "/v1/channels/shop/availability", oms.RoleChannel, nil, "Accept", "text/csv")
		if r.status != 200 || strings.Count(string(r.body), "\nMUG-1,") != 1 || !strings.Contains(string(r.body), "\nMUG-1,5\n") {
			t.Errorf("CSV %d %q, want MUG-1,5 once", r.status, r.body)
		}
		// An order for MUG-1 on the channel takes STK-1, as the feed said.
		order := `order_id,placed_at,currency,sku,quantity,unit_price
SH-1,2025-11-14T10:00:00Z,GBP,MUG-1,2,9.00
`
		h.mustCall("PUT", "/v1/channels/csvshop", oms.RoleManager, `{"name":"CSV","kind":"csv","currency":"GBP","backorder_policy":"reject"}`, 201)
		h.mustCall("PUT", "/v1/channels/csvshop/sku-mappings/MUG-1", oms.RoleManager, `{"sku":"STK-1"}`, 200)
		var o oms.Order
		h.mustCall("POST", "/v1/channels/csvshop/orders", oms.RoleChannel, order, 201).json(t, &o)
		if len(o.Lines) != 1 || o.Lines[0].SKU != "STK-1" {
			t.Fatalf("order for listing MUG-1: lines %+v, want STK-1", o.Lines)
		}
		// Published once per (channel, SKU), with the listing's figure, and
		// stable: a second full sweep finds nothing to publish.
		var sweep store.AvailabilitySweep
		if _, err := h.db.PublishAvailability(ctx, &sweep, true); err != nil {
			t.Fatal(err)
		}
		if n, err := h.db.PublishAvailability(ctx, &sweep, true); err != nil || n != 0 {
			t.Errorf("second full sweep published %d changes (%v), want 0", n, err)
		}
		var events struct{ Events []oms.Event }
		h.mustCall("GET", "/v1/events?type=inventory.availability_changed&limit=1000", oms.RoleChannel, nil, 200).json(t, &events)
		var got []string
		for _, ev := range events.Events {
			if ev.Subject == "shop/MUG-1" {
				got = append(got, string(ev.Data))
			}
		}
		// 5 at first, then 3 after the order took 2 of STK-1.
		if len(got) != 1 || !strings.Contains(got[0], `"available":3`) {
			t.Errorf("events of shop/MUG-1: %v, want one with available 3", got)
		}
	})
}

// TestAvailabilityFeedPages: following next_cursor with any limit yields
// the single page's entries, each once, in the same order, no page holding
// more than limit; the CSV holds the same rows.
func TestAvailabilityFeedPages(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		h := setup(t, e)
		want := seedFeed(h)
		if got := entriesOf(feedPage(h, "")); !slices.Equal(got, want) {
			t.Errorf("single page %+v,\nwant %+v", got, want)
		}
		for _, limit := range []int{1, 2, 3, 4, 5, 10, 11, 12} {
			var got []feedEntry
			pages := 0
			for next := fmt.Sprintf("?limit=%d", limit); next != ""; pages++ {
				p := feedPage(h, next)
				if len(p.Items) > limit || (p.NextCursor != nil) != (len(got)+len(p.Items) < len(want)) {
					t.Errorf("limit %d, page %d: %d entries, next %v", limit, pages, len(p.Items), p.NextCursor)
				}
				got = append(got, entriesOf(p)...)
				if next = ""; p.NextCursor != nil && pages < len(want) {
					next = fmt.Sprintf("?limit=%d&after=%s", limit, url.QueryEscape(*p.NextCursor))
				}
			}
			if !slices.Equal(got, want) {
				t.Errorf("limit %d: pages hold %+v,\nwant %+v", limit, got, want)
			}
		}
		var csv strings.Builder
		csv.WriteString("sku,available\n")
		for _, w := range want {
			fmt.Fprintf(&csv, "%s,%d\n", w.sku, w.available)
		}
		if r := h.call("GET", "/v1/channels/shop/availability", oms.RoleChannel, nil, "Accept", "text/csv"); string(r.body) != csv.String() {
			t.Errorf("CSV %q,\nwant %q", r.body, csv.String())
		}
	})
}

// TestAvailabilityFeedQuery: a cursor that cannot hold a SKU, and a limit
// outside 1–5000, are 400s naming the parameter.
func TestAvailabilityFeedQuery(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		h := setup(t, e)
		seedFeed(h)
		for _, c := range []struct{ query, field string }{
			{"after=garbage", "after"},
			{"after=%21%21", "after"},
			{"after=" + url.QueryEscape("AA"), "after"}, // a NUL byte
			{"after=MUG-1", "after"},                    // a SKU, not a cursor
			{"limit=0", "limit"},
			{"limit=5001", "limit"},
		} {
			for _, accept := range []string{"application/json", "text/csv"} {
				r := h.call("GET", "/v1/channels/shop/availability?"+c.query, oms.RoleChannel, nil, "Accept", accept)
				wantProblem(t, r, 400, c.field)
			}
		}
		if p := feedPage(h, "?limit=5000"); len(p.Items) != 11 || p.NextCursor != nil {
			t.Errorf("limit 5000: %d entries, next %v", len(p.Items), p.NextCursor)
		}
	})
}
