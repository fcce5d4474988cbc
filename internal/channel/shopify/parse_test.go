package shopify

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/channel/internal/payloadtest"
)

// fixture is the composed Shopify order, in testdata/channels.
const fixture = "shopify_order.json"

// mutate returns the fixture changed by edit.
func mutate(t testing.TB, edit func(o map[string]any)) []byte {
	t.Helper()
	return payloadtest.Mutate(t, payloadtest.Fixture(t, fixture), edit)
}

// obj and list walk the decoded fixture.
func obj(v any, path ...any) map[string]any {
	for _, k := range path {
		switch k := k.(type) {
		case string:
			v = v.(map[string]any)[k]
		case int:
			v = v.([]any)[k]
		}
	}
	return v.(map[string]any)
}

// presentment returns a *_set's presentment_money object.
func presentment(v any, path ...any) map[string]any {
	return obj(v, append(path, "presentment_money")...)
}

// TestParseFixture checks every figure of the composed order against the
// payload's presentment (GBP) amounts, worked out by hand:
// beanie 3 × 24.00 = 72.00 less 7.20, VAT 10.80; socks 1 × 20.00 less 2.00,
// VAT 3.00; shipping 7.20 with VAT 1.20; prices include VAT, so the total is
// 92.00 − 9.20 + 7.20 = 90.00 and the tax inside it 10.80 + 3.00 + 1.20 = 15.00.
func TestParseFixture(t *testing.T) {
	in, err := Parse(payloadtest.Fixture(t, fixture))
	if err != nil {
		t.Fatal(err)
	}
	d := in.Draft
	if d.Channel != "" || d.ExternalID != "6104827391234" || d.Currency != "GBP" || !d.TaxesIncluded {
		t.Errorf("channel %q, external id %q, currency %q, taxes included %v", d.Channel, d.ExternalID, d.Currency, d.TaxesIncluded)
	}
	payloadtest.WantTimes(t, in, time.Date(2025, 11, 14, 8, 42, 17, 0, time.UTC), time.Date(2025, 11, 14, 8, 42, 19, 0, time.UTC))
	if in.RawTimes["created_at"] != "2025-11-14T09:42:17+01:00" || in.RawTimes["updated_at"] != "2025-11-14T09:42:19+01:00" {
		t.Errorf("raw times %v", in.RawTimes)
	}
	want := []oms.LineDraft{
		{SKU: "BEANIE-MER-CHR", Quantity: 3, UnitPrice: 2400, Discount: 720, Tax: 1080, Title: "Merino Wool Beanie", ListingID: "48811223344551"},
		{SKU: "SOCK-TRL-2PK-L", Quantity: 1, UnitPrice: 2000, Discount: 200, Tax: 300, Title: "Trail Running Socks (2-pack)", ListingID: "48811223377319"},
	}
	if !slices.Equal(d.Lines, want) {
		t.Errorf("lines\n got %+v\nwant %+v", d.Lines, want)
	}
	if d.ShippingPrice != 720 || d.ShippingTax != 120 || d.Duties != 0 {
		t.Errorf("shipping %d, shipping tax %d, duties %d; want 720, 120, 0", d.ShippingPrice, d.ShippingTax, d.Duties)
	}
	if s := (oms.Totals{Subtotal: 9200, DiscountTotal: 920, ShippingTotal: 720, TaxTotal: 1500, Total: 9000}); in.Stated != s {
		t.Errorf("stated %+v, want %+v", in.Stated, s)
	}
	c := d.Customer
	if c.Email != "siobhan.oceallaigh@example.ie" || c.Name != "Siobhán Ó Ceallaigh" || c.Phone != "" {
		t.Errorf("customer %+v", c)
	}
	if d.CustomerID != "7719302845761" {
		t.Errorf("customer id %q, want Shopify's customer.id 7719302845761", d.CustomerID)
	}
	if a := d.ShipTo; a == nil || a.City != "London" || a.Country != "GB" || a.Line1 != "Flat 3" ||
		a.Line2 != "27 Gloucester Road" || a.PostalCode != "SW7 4PL" || a.Latitude == nil || *a.Latitude != 51.4975 {
		t.Errorf("ship to %+v", a)
	}
	if a := d.Billing; a == nil || a.City != "Dublin" || a.Country != "IE" || a.Region != "D" {
		t.Errorf("billing %+v", a)
	}
	if in.Status != "paid" || in.Cancelled || in.FulfilledByChannel {
		t.Errorf("status %q, cancelled %v, fulfilled by channel %v", in.Status, in.Cancelled, in.FulfilledByChannel)
	}
	if !payloadtest.HasNote(in, "#1342") || !payloadtest.HasNote(in, "EUR 101.70") {
		t.Errorf("notes %q lack the order name or the shop-currency total", in.Notes)
	}
	o := payloadtest.Placeable(t, in)
	if o.Totals != in.Stated {
		t.Errorf("oms totals %+v, stated %+v", o.Totals, in.Stated)
	}
}

// TestParseShopCurrency reads a payload without *_set fields (the older
// shape): every amount is the unsuffixed shop-currency one, in EUR.
func TestParseShopCurrency(t *testing.T) {
	body := mutate(t, func(o map[string]any) { dropSets(o) })
	in, err := Parse(body)
	if err != nil {
		t.Fatal(err)
	}
	d := in.Draft
	if d.Currency != "EUR" || !payloadtest.HasNote(in, "customer paid in GBP") {
		t.Errorf("currency %q, notes %q", d.Currency, in.Notes)
	}
	l0, l1 := d.Lines[0], d.Lines[1]
	if l0.UnitPrice != 2712 || l0.Discount != 814 || l0.Tax != 1220 || l1.UnitPrice != 2260 || l1.Discount != 226 || l1.Tax != 339 {
		t.Errorf("lines %+v", d.Lines)
	}
	if d.ShippingPrice != 814 || d.ShippingTax != 136 {
		t.Errorf("shipping %d tax %d, want 814, 136", d.ShippingPrice, d.ShippingTax)
	}
	// total_shipping_price_set has no unsuffixed twin: the lines stand in.
	if s := (oms.Totals{Subtotal: 10396, DiscountTotal: 1040, ShippingTotal: 814, TaxTotal: 1695, Total: 10170}); in.Stated != s {
		t.Errorf("stated %+v, want %+v", in.Stated, s)
	}
	payloadtest.Placeable(t, in)
}

// dropSets removes every *_set field, recursively.
func dropSets(v any) {
	switch v := v.(type) {
	case map[string]any:
		for k, e := range v {
			if strings.HasSuffix(k, "_set") {
				delete(v, k)
			} else {
				dropSets(e)
			}
		}
	case []any:
		for _, e := range v {
			dropSets(e)
		}
	}
}

// TestParseFreeShipping moves a free-shipping discount into the order:
// Shopify counts it in total_discounts, oms in a lower shipping price.
func TestParseFreeShipping(t *testing.T) {
	body := mutate(t, func(o map[string]any) {
		sl := obj(o, "shipping_lines", 0)
		sl["discount_allocations"] = []any{map[string]any{"amount": "8.14", "amount_set": map[string]any{
			"shop_money": map[string]any{"amount": "8.14", "currency_code": "EUR"}, "presentment_money": map[string]any{"amount": "7.20", "currency_code": "GBP"}}}}
		presentment(sl, "discounted_price_set")["amount"] = "0.00"
		presentment(sl, "tax_lines", 0, "price_set")["amount"] = "0.00"
		presentment(o, "total_discounts_set")["amount"] = "16.40"
		presentment(o, "total_tax_set")["amount"] = "13.80"
		presentment(o, "total_price_set")["amount"] = "82.80"
	})
	in, err := Parse(body)
	if err != nil {
		t.Fatal(err)
	}
	if in.Draft.ShippingPrice != 0 || in.Draft.ShippingTax != 0 {
		t.Errorf("shipping %d tax %d, want 0, 0", in.Draft.ShippingPrice, in.Draft.ShippingTax)
	}
	if s := (oms.Totals{Subtotal: 9200, DiscountTotal: 920, ShippingTotal: 0, TaxTotal: 1380, Total: 8280}); in.Stated != s {
		t.Errorf("stated %+v, want %+v", in.Stated, s)
	}
	payloadtest.Placeable(t, in)
}

// TestParseDuties reads a line's duty in the presentment currency and the
// order's duties total.
func TestParseDuties(t *testing.T) {
	body := mutate(t, func(o map[string]any) {
		obj(o, "line_items", 0)["duties"] = []any{map[string]any{"harmonized_system_code": "650500", "price_set": map[string]any{
			"shop_money": map[string]any{"amount": "5.65", "currency_code": "EUR"}, "presentment_money": map[string]any{"amount": "5.00", "currency_code": "GBP"}}}}
		o["current_total_duties_set"] = map[string]any{"shop_money": map[string]any{"amount": "5.65", "currency_code": "EUR"},
			"presentment_money": map[string]any{"amount": "5.00", "currency_code": "GBP"}}
		presentment(o, "total_price_set")["amount"] = "95.00"
	})
	in, err := Parse(body)
	if err != nil {
		t.Fatal(err)
	}
	if in.Draft.Duties != 500 || in.Stated.DutiesTotal != 500 || in.Stated.Total != 9500 {
		t.Errorf("duties %d, stated %+v", in.Draft.Duties, in.Stated)
	}
	payloadtest.Placeable(t, in)
}

// TestParseLineWithoutSKU keeps an empty SKU and identifies the listing by
// its variant, or its product when the variant is null.
func TestParseLineWithoutSKU(t *testing.T) {
	body := mutate(t, func(o map[string]any) {
		obj(o, "line_items", 0)["sku"] = ""
		l1 := obj(o, "line_items", 1)
		l1["sku"], l1["variant_id"] = "", nil
	})
	in, err := Parse(body)
	if err != nil {
		t.Fatal(err)
	}
	l0, l1 := in.Draft.Lines[0], in.Draft.Lines[1]
	if l0.SKU != "" || l0.ListingID != "48811223344551" || l0.Title != "Merino Wool Beanie" {
		t.Errorf("line 0 %+v", l0)
	}
	if l1.SKU != "" || l1.ListingID != "9011223377319" || l1.Title != "Trail Running Socks (2-pack)" {
		t.Errorf("line 1 %+v", l1)
	}
	if !payloadtest.HasNote(in, "line 1") || !payloadtest.HasNote(in, "line 2") {
		t.Errorf("notes %q", in.Notes)
	}
}

// TestParseIDs keeps ids above 2^53 exact and reads a cancellation.
func TestParseIDs(t *testing.T) {
	body := mutate(t, func(o map[string]any) {
		o["id"] = json.Number("820982911946154508")
		o["cancelled_at"] = "2025-11-15T10:00:00+01:00"
		o["cancel_reason"] = "customer"
	})
	in, err := Parse(body)
	if err != nil {
		t.Fatal(err)
	}
	if in.Draft.ExternalID != "820982911946154508" {
		t.Errorf("external id %q", in.Draft.ExternalID)
	}
	if !in.Cancelled || in.RawTimes["cancelled_at"] != "2025-11-15T10:00:00+01:00" || !payloadtest.HasNote(in, "customer") {
		t.Errorf("cancelled %v, raw times %v, notes %q", in.Cancelled, in.RawTimes, in.Notes)
	}
}

// TestParseInvalid checks that each malformed payload is EINVALID naming
// the bad fields.
func TestParseInvalid(t *testing.T) {
	full := payloadtest.Fixture(t, fixture)
	tests := []struct {
		name   string
		body   []byte
		fields []string
	}{
		{"truncated", full[:len(full)/2], []string{"body"}},
		{"empty", nil, []string{"body"}},
		{"array", []byte(`[]`), []string{"body"}},
		{"quantity two", mutate(t, func(o map[string]any) { obj(o, "line_items", 1)["quantity"] = "two" }),
			[]string{"line_items[1].quantity"}},
		{"negative quantity", mutate(t, func(o map[string]any) { obj(o, "line_items", 0)["quantity"] = -1 }),
			[]string{"line_items[0].quantity"}},
		{"fractional quantity", mutate(t, func(o map[string]any) { obj(o, "line_items", 0)["quantity"] = 1.5 }),
			[]string{"line_items[0].quantity"}},
		{"too many decimals", mutate(t, func(o map[string]any) {
			presentment(o, "line_items", 0, "price_set")["amount"] = "24.001"
		}), []string{"line_items[0].price_set.presentment_money.amount"}},
		{"missing id", mutate(t, func(o map[string]any) { delete(o, "id") }), []string{"id"}},
		{"id not a number", mutate(t, func(o map[string]any) { o["id"] = "#1342" }), []string{"id"}},
		{"unknown currency", mutate(t, func(o map[string]any) { o["presentment_currency"] = "ZZZ" }),
			[]string{"presentment_currency"}},
		{"presentment amount missing", mutate(t, func(o map[string]any) { delete(obj(o, "line_items", 0), "price_set") }),
			[]string{"line_items[0].price_set"}},
		{"wrong currency code", mutate(t, func(o map[string]any) {
			presentment(o, "line_items", 0, "tax_lines", 0, "price_set")["currency_code"] = "EUR"
		}), []string{"line_items[0].tax_lines[0].price_set.presentment_money.currency_code"}},
		{"negative discount", mutate(t, func(o map[string]any) {
			presentment(o, "line_items", 1, "discount_allocations", 0, "amount_set")["amount"] = "-2.00"
		}), []string{"line_items[1].discount_allocations[0].amount_set.presentment_money.amount"}},
		{"no lines", mutate(t, func(o map[string]any) { o["line_items"] = []any{} }), []string{"line_items"}},
		{"lines not a list", mutate(t, func(o map[string]any) { o["line_items"] = map[string]any{} }), []string{"line_items"}},
		{"bad created_at", mutate(t, func(o map[string]any) { o["created_at"] = "14/11/2025" }), []string{"created_at"}},
		// Without its version a later delivery (a cancellation) would be
		// taken for a repeat and lost.
		{"no updated_at", mutate(t, func(o map[string]any) { delete(o, "updated_at") }), []string{"updated_at"}},
		{"null updated_at", mutate(t, func(o map[string]any) { o["updated_at"] = nil }), []string{"updated_at"}},
		{"several problems", mutate(t, func(o map[string]any) {
			obj(o, "line_items", 1)["quantity"] = "two"
			presentment(o, "shipping_lines", 0, "price_set")["amount"] = "7.2000001"
			delete(o, "id")
		}), []string{"id", "line_items[1].quantity", "shipping_lines[0].price_set.presentment_money.amount"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse(tt.body)
			payloadtest.WantFieldsAmong(t, err, tt.fields...)
		})
	}
}

// TestParseLate: an order first seen cancelled keeps its quantities and
// amounts (Shopify leaves them, zeroing current_quantity) and is Cancelled;
// a line whose quantity is 0 on it is kept without amounts; an order first
// seen fulfilled is Shipped.
func TestParseLate(t *testing.T) {
	cancelled := mutate(t, func(o map[string]any) {
		o["cancelled_at"], o["cancel_reason"], o["financial_status"] = "2025-11-14T10:05:00+01:00", "customer", "voided"
		o["updated_at"], o["shipping_address"] = "2025-11-14T10:05:01+01:00", nil
		for i := range 2 {
			obj(o, "line_items", i)["current_quantity"], obj(o, "line_items", i)["fulfillable_quantity"] = 0, 0
		}
	})
	in, err := Parse(cancelled)
	if err != nil {
		t.Fatal(err)
	}
	if !in.Cancelled || !in.Draft.Cancelled || in.Shipped || in.AmountsUnknown || in.Draft.Lines[0].Quantity != 3 || in.Stated.Total != 9000 {
		t.Errorf("cancelled %v/%v shipped %v unknown %v lines %+v stated %+v", in.Cancelled, in.Draft.Cancelled, in.Shipped,
			in.AmountsUnknown, in.Draft.Lines, in.Stated)
	}
	zeroed := payloadtest.Mutate(t, cancelled, func(o map[string]any) { obj(o, "line_items", 1)["quantity"] = 0 })
	if in, err = Parse(zeroed); err != nil {
		t.Fatal(err)
	}
	if l := in.Draft.Lines[1]; l.Quantity != 0 || l.UnitPrice != 0 || l.Discount != 0 || l.Tax != 0 || l.SKU != "SOCK-TRL-2PK-L" {
		t.Errorf("zeroed line %+v", l)
	}
	payloadtest.WantFields(t, func() error {
		_, err := Parse(payloadtest.Mutate(t, zeroed, func(o map[string]any) { o["cancelled_at"] = nil }))
		return err
	}(), "line_items[1].quantity")

	fulfilled := mutate(t, func(o map[string]any) { o["fulfillment_status"] = "fulfilled" })
	if in, err = Parse(fulfilled); err != nil || !in.Shipped || in.Cancelled {
		t.Fatalf("fulfilled: %+v %v", in, err)
	}
	partial := mutate(t, func(o map[string]any) { o["fulfillment_status"] = "partial" })
	if in, err = Parse(partial); err != nil || in.Shipped {
		t.Fatalf("partially fulfilled: %+v %v", in, err)
	}
}
