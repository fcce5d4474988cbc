package woocommerce

import (
	"slices"
	"testing"
	"time"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/channel/internal/payloadtest"
)

// fixture is the composed WooCommerce order, in testdata/channels.
const fixture = "woocommerce_order.json"

// mutate returns the fixture changed by edit.
func mutate(t testing.TB, edit func(o map[string]any)) []byte {
	t.Helper()
	return payloadtest.Mutate(t, payloadtest.Fixture(t, fixture), edit)
}

// item returns the i-th element of the list o[key].
func item(o map[string]any, key string, i int) map[string]any {
	return o[key].([]any)[i].(map[string]any)
}

// TestParseFixture checks every figure of the composed order, worked out by
// hand from the payload (CAD, prices exclude tax): tuque 2 × 34.00 = 68.00
// less 10.20 (15 % coupon), tax 8.66; mitaines 42.00 less 6.30, tax 5.35;
// shipping 14.00 with tax 2.10. Total 110.00 − 16.50 + 14.00 + 16.11 = 123.61.
func TestParseFixture(t *testing.T) {
	in, err := Parse(payloadtest.Fixture(t, fixture))
	if err != nil {
		t.Fatal(err)
	}
	d := in.Draft
	if d.Channel != "" || d.ExternalID != "10482" || d.Currency != "CAD" || d.TaxesIncluded {
		t.Errorf("channel %q, external id %q, currency %q, taxes included %v", d.Channel, d.ExternalID, d.Currency, d.TaxesIncluded)
	}
	payloadtest.WantTimes(t, in, time.Date(2025, 11, 14, 13, 15, 42, 0, time.UTC), time.Date(2025, 11, 14, 13, 16, 5, 0, time.UTC))
	if in.RawTimes["date_created"] != "2025-11-14T08:15:42" || in.RawTimes["date_created_gmt"] != "2025-11-14T13:15:42" ||
		in.RawTimes["date_modified_gmt"] != "2025-11-14T13:16:05" {
		t.Errorf("raw times %v", in.RawTimes)
	}
	want := []oms.LineDraft{
		{SKU: "TUQ-MER-NAV", Quantity: 2, UnitPrice: 3400, Subtotal: 6800, Discount: 1020, Tax: 866,
			Title: "Tuque en laine mérinos - Marine", ListingID: "311"},
		{SKU: "MIT-DBL-M", Quantity: 1, UnitPrice: 4200, Subtotal: 4200, Discount: 630, Tax: 535,
			Title: "Mitaines doublées - M", ListingID: "329"},
	}
	if !slices.Equal(d.Lines, want) {
		t.Errorf("lines\n got %+v\nwant %+v", d.Lines, want)
	}
	if d.ShippingPrice != 1400 || d.ShippingTax != 210 || d.Duties != 0 {
		t.Errorf("shipping %d, shipping tax %d, duties %d; want 1400, 210, 0", d.ShippingPrice, d.ShippingTax, d.Duties)
	}
	if s := (oms.Totals{Subtotal: 11000, DiscountTotal: 1650, ShippingTotal: 1400, TaxTotal: 1611, Total: 12361}); in.Stated != s {
		t.Errorf("stated %+v, want %+v", in.Stated, s)
	}
	if d.CustomerID != "57" {
		t.Errorf("customer id %q, want WooCommerce's customer_id 57", d.CustomerID)
	}
	c := d.Customer
	if c.Email != "genevieve.cote@example.ca" || c.Name != "Geneviève Côté-Lévesque" || c.Phone != "+1 514 555 0199" {
		t.Errorf("customer %+v", c)
	}
	if a := d.ShipTo; a == nil || a.City != "Montréal" || a.Country != "CA" || a.Region != "QC" ||
		a.Line1 != "4520, rue Saint-Denis" || a.Line2 != "App. 3" || a.PostalCode != "H2J 2L3" {
		t.Errorf("ship to %+v", a)
	}
	if a := d.Billing; a == nil || a.City != "Montréal" || a.Country != "CA" {
		t.Errorf("billing %+v", a)
	}
	if in.Status != "processing" || in.Cancelled || in.FulfilledByChannel {
		t.Errorf("status %q, cancelled %v, fulfilled by channel %v", in.Status, in.Cancelled, in.FulfilledByChannel)
	}
	if !payloadtest.HasNote(in, "hiver15") {
		t.Errorf("notes %q lack the coupon", in.Notes)
	}
	o := payloadtest.Placeable(t, in)
	if o.Totals != in.Stated {
		t.Errorf("oms totals %+v, stated %+v", o.Totals, in.Stated)
	}
}

// TestParseUnroundedTax sends line taxes unrounded, as a shop rounding at
// subtotal level does: 8.655 and 5.355 round to 8.66 and 5.36, a unit more
// than cart_tax 14.01, so the last rounded line gives the unit back. An
// unrounded shipping tax gives way to the order's shipping_tax.
func TestParseUnroundedTax(t *testing.T) {
	body := mutate(t, func(o map[string]any) {
		item(o, "line_items", 0)["total_tax"] = "8.655"
		item(o, "line_items", 1)["total_tax"] = "5.355"
		item(o, "shipping_lines", 0)["total_tax"] = "2.0965"
	})
	in, err := Parse(body)
	if err != nil {
		t.Fatal(err)
	}
	d := in.Draft
	if d.Lines[0].Tax != 866 || d.Lines[1].Tax != 535 || d.ShippingTax != 210 {
		t.Errorf("line taxes %d, %d, shipping tax %d; want 866, 535, 210", d.Lines[0].Tax, d.Lines[1].Tax, d.ShippingTax)
	}
	if !payloadtest.HasNote(in, "cart_tax") || !payloadtest.HasNote(in, "shipping_tax") {
		t.Errorf("notes %q", in.Notes)
	}
	payloadtest.Placeable(t, in)
}

// TestParseFees leaves a fee line out of the draft and out of the stated
// totals, saying so.
func TestParseFees(t *testing.T) {
	body := mutate(t, func(o map[string]any) {
		o["fee_lines"] = []any{map[string]any{"name": "Emballage cadeau", "total": "5.00", "total_tax": "0.75"}}
		o["cart_tax"], o["total_tax"], o["total"] = "14.76", "16.86", "129.36"
	})
	in, err := Parse(body)
	if err != nil {
		t.Fatal(err)
	}
	// The fee stays in the stated total and tax total, for Reconcile to
	// report; the subtotal derived from them leaves it out.
	if s := (oms.Totals{Subtotal: 11000, DiscountTotal: 1650, ShippingTotal: 1400, TaxTotal: 1686, Total: 12936}); in.Stated != s {
		t.Errorf("stated %+v, want %+v", in.Stated, s)
	}
	if !payloadtest.HasNote(in, "fee line") || !payloadtest.HasNote(in, "CAD 5.00") {
		t.Errorf("notes %q", in.Notes)
	}
	d := in.Draft
	d.Channel = "woo"
	o, err := d.NewOrder(time.Now())
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"tax_total differs: oms computes 1611, the channel states 1686",
		"total differs: oms computes 12361, the channel states 12936"}
	if got := in.Reconcile(o.Totals); !slices.Equal(got, want) {
		t.Errorf("Reconcile = %q, want %q", got, want)
	}
}

// pricesWithTax is a shop entering prices with 5 % tax: WooCommerce still
// sends net amounts and their tax apart. 2 × 21.00 gross = 40.00 + 2.00 tax,
// less 10 % = 36.00 + 1.80; shipping 10.00 + 0.50; total 48.30.
const pricesWithTax = `{"id": 77, "status": "completed", "currency": "CAD", "prices_include_tax": true,
 "date_created_gmt": "2025-03-01T10:00:00", "date_modified_gmt": "2025-03-02T11:00:00",
 "discount_total": "4.00", "discount_tax": "0.20", "shipping_total": "10.00", "shipping_tax": "0.50",
 "cart_tax": "1.80", "total": "48.30", "total_tax": "2.30",
 "billing": {"first_name": "", "last_name": "", "company": "Atelier Nord", "address_1": "", "city": "", "country": "", "email": "compta@example.ca"},
 "shipping": {"first_name": "Léa", "last_name": "Roy", "address_1": "1 rue Principale", "city": "Québec", "state": "QC", "postcode": "G1R 1A1", "country": "ca"},
 "line_items": [{"name": "Bas de laine", "product_id": 12, "variation_id": 0, "quantity": 2, "sku": "BAS-LAINE",
   "subtotal": "40.00", "subtotal_tax": "2.00", "total": "36.00", "total_tax": "1.80", "price": 18.9}],
 "shipping_lines": [{"method_title": "Colis", "total": "10.00", "total_tax": "0.50"}],
 "fee_lines": [], "coupon_lines": []}`

// TestParsePricesIncludeTax checks that a shop whose prices include tax
// gets tax-inclusive line and shipping amounts, as oms expects when
// TaxesIncluded is set.
func TestParsePricesIncludeTax(t *testing.T) {
	in, err := Parse([]byte(pricesWithTax))
	if err != nil {
		t.Fatal(err)
	}
	d := in.Draft
	want := oms.LineDraft{SKU: "BAS-LAINE", Quantity: 2, UnitPrice: 2100, Subtotal: 4200, Discount: 420, Tax: 180, Title: "Bas de laine", ListingID: "12"}
	if !d.TaxesIncluded || len(d.Lines) != 1 || d.Lines[0] != want {
		t.Errorf("taxes included %v, lines %+v", d.TaxesIncluded, d.Lines)
	}
	if d.ShippingPrice != 1050 || d.ShippingTax != 50 {
		t.Errorf("shipping %d tax %d, want 1050, 50", d.ShippingPrice, d.ShippingTax)
	}
	if s := (oms.Totals{Subtotal: 4200, DiscountTotal: 420, ShippingTotal: 1050, TaxTotal: 230, Total: 4830}); in.Stated != s {
		t.Errorf("stated %+v, want %+v", in.Stated, s)
	}
	if d.Customer.Name != "Atelier Nord" || d.Customer.Email != "compta@example.ca" || d.Billing != nil {
		t.Errorf("customer %+v, billing %+v", d.Customer, d.Billing)
	}
	if d.ShipTo == nil || d.ShipTo.Country != "CA" || d.ShipTo.Name != "Léa Roy" {
		t.Errorf("ship to %+v, notes %q", d.ShipTo, in.Notes)
	}
	if in.Status != "completed" || in.Cancelled {
		t.Errorf("status %q, cancelled %v", in.Status, in.Cancelled)
	}
	payloadtest.Placeable(t, in)
}

// TestParseCancelledWithoutSKU reads a cancelled order whose lines have no
// SKU: the listing is the variation, or the product of a simple item.
func TestParseCancelledWithoutSKU(t *testing.T) {
	body := mutate(t, func(o map[string]any) {
		o["status"] = "cancelled"
		item(o, "line_items", 0)["sku"] = ""
		item(o, "line_items", 1)["sku"] = ""
	})
	in, err := Parse(body)
	if err != nil {
		t.Fatal(err)
	}
	if !in.Cancelled || in.Status != "cancelled" {
		t.Errorf("cancelled %v, status %q", in.Cancelled, in.Status)
	}
	l0, l1 := in.Draft.Lines[0], in.Draft.Lines[1]
	if l0.SKU != "" || l0.ListingID != "311" || l1.SKU != "" || l1.ListingID != "329" || l1.Title != "Mitaines doublées - M" {
		t.Errorf("lines %+v", in.Draft.Lines)
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
		{"webhook ping", []byte("webhook_id=42"), []string{"body"}},
		{"array", []byte(`[{"id": 1}]`), []string{"body"}},
		{"quantity two", mutate(t, func(o map[string]any) { item(o, "line_items", 1)["quantity"] = "two" }),
			[]string{"line_items[1].quantity"}},
		{"negative quantity", mutate(t, func(o map[string]any) { item(o, "line_items", 0)["quantity"] = -2 }),
			[]string{"line_items[0].quantity"}},
		{"too many decimals", mutate(t, func(o map[string]any) { item(o, "line_items", 0)["subtotal"] = "68.001" }),
			[]string{"line_items[0].subtotal"}},
		{"order total too many decimals", mutate(t, func(o map[string]any) { o["total"] = "123.615" }), []string{"total"}},
		{"missing id", mutate(t, func(o map[string]any) { delete(o, "id") }), []string{"id"}},
		{"zero id", mutate(t, func(o map[string]any) { o["id"] = 0 }), []string{"id"}},
		{"unknown currency", mutate(t, func(o map[string]any) { o["currency"] = "$" }), []string{"currency"}},
		{"no gmt date", mutate(t, func(o map[string]any) { delete(o, "date_created_gmt") }), []string{"date_created_gmt"}},
		// Without its version a later delivery (status cancelled) would be
		// taken for a repeat and lost.
		{"no date_modified_gmt", mutate(t, func(o map[string]any) { delete(o, "date_modified_gmt") }), []string{"date_modified_gmt"}},
		{"empty date_modified_gmt", mutate(t, func(o map[string]any) { o["date_modified_gmt"] = "" }), []string{"date_modified_gmt"}},
		{"bad gmt date", mutate(t, func(o map[string]any) { o["date_modified_gmt"] = "14/11/2025" }), []string{"date_modified_gmt"}},
		{"total above subtotal", mutate(t, func(o map[string]any) { item(o, "line_items", 1)["total"] = "42.01" }),
			[]string{"line_items[1].total"}},
		{"money as a number", mutate(t, func(o map[string]any) { item(o, "line_items", 0)["subtotal"] = 68 }),
			[]string{"line_items.subtotal"}},
		{"missing subtotal", mutate(t, func(o map[string]any) { delete(item(o, "line_items", 0), "subtotal") }),
			[]string{"line_items[0].subtotal"}},
		{"no lines", mutate(t, func(o map[string]any) { o["line_items"] = []any{} }), []string{"line_items"}},
		{"several problems", mutate(t, func(o map[string]any) {
			item(o, "line_items", 0)["quantity"] = "two"
			item(o, "shipping_lines", 0)["total"] = "14.001"
			delete(o, "id")
		}), []string{"id", "line_items[0].quantity", "shipping_lines[0].total"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse(tt.body)
			payloadtest.WantFieldsAmong(t, err, tt.fields...)
		})
	}
}

// TestParseLate: a cancelled order with a line of quantity 0 keeps it
// without amounts; a completed order is Shipped.
func TestParseLate(t *testing.T) {
	body := mutate(t, func(o map[string]any) {
		o["status"] = "cancelled"
		item(o, "line_items", 1)["quantity"] = 0
	})
	in, err := Parse(body)
	if err != nil {
		t.Fatal(err)
	}
	if l := in.Draft.Lines[1]; !in.Draft.Cancelled || l.Quantity != 0 || l.Subtotal != 0 || l.Tax != 0 || l.SKU != "MIT-DBL-M" {
		t.Errorf("cancelled %v, zeroed line %+v", in.Draft.Cancelled, l)
	}
	open := mutate(t, func(o map[string]any) { item(o, "line_items", 1)["quantity"] = 0 })
	_, err = Parse(open)
	payloadtest.WantFields(t, err, "line_items[1].quantity")

	completed := mutate(t, func(o map[string]any) { o["status"] = "completed" })
	if in, err = Parse(completed); err != nil || !in.Shipped || in.Cancelled {
		t.Fatalf("completed: %+v %v", in, err)
	}
}
