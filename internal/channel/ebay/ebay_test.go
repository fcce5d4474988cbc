package ebay

import (
	"reflect"
	"testing"
	"time"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/channel/internal/payloadtest"
)

// fixture returns the eBay order of testdata/channels.
func fixture(t testing.TB) string {
	t.Helper()
	return string(payloadtest.Fixture(t, "ebay_order.json"))
}

func TestParseFixture(t *testing.T) {
	in, err := Parse([]byte(fixture(t)))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	d := in.Draft
	if d.ExternalID != "27-13562-80417" || d.Currency != "EUR" || d.Channel != "" || d.ForeignCurrency {
		t.Errorf("id %q currency %q channel %q foreign %v", d.ExternalID, d.Currency, d.Channel, d.ForeignCurrency)
	}
	payloadtest.WantTimes(t, in, time.Date(2025, 11, 13, 17, 4, 51, 0, time.UTC), time.Date(2025, 11, 13, 17, 7, 2, 0, time.UTC))
	wantTimes := map[string]string{"creationDate": "2025-11-13T17:04:51.000Z", "lastModifiedDate": "2025-11-13T17:07:02.000Z"}
	if !reflect.DeepEqual(in.RawTimes, wantTimes) {
		t.Errorf("RawTimes = %v", in.RawTimes)
	}
	if in.Status != "NOT_STARTED" || in.Cancelled || in.FulfilledByChannel {
		t.Errorf("status %q cancelled %v by channel %v", in.Status, in.Cancelled, in.FulfilledByChannel)
	}
	// A German seller's prices include VAT and eBay sends no breakdown.
	if !d.TaxesIncluded {
		t.Error("TaxesIncluded = false for EBAY_DE without eBay-collected tax")
	}
	// The drill set: lineItemCost 29.90 for 2 units, "buy 2 save 10 %" 2.99.
	want := []oms.LineDraft{
		{SKU: "BSH-GSR18-KIT", Quantity: 1, UnitPrice: 12900, Subtotal: 12900, Discount: 0, Tax: 0,
			Title: "Akku-Bohrschrauber 18 V mit 2 Akkus, Ladegerät und Koffer", ListingID: "256718843210"},
		{SKU: "DRILL-HSS-19", Quantity: 2, UnitPrice: 1495, Subtotal: 2990, Discount: 299, Tax: 0,
			Title: "HSS-Metallbohrer-Set 19-tlg., 1–10 mm, Kassette", ListingID: "256719021877:556402337190"},
	}
	if !reflect.DeepEqual(d.Lines, want) {
		t.Errorf("Lines =\n%+v\nwant\n%+v", d.Lines, want)
	}
	if d.ShippingPrice != 890 || d.ShippingTax != 0 || d.Duties != 0 || d.Incoterm != "" {
		t.Errorf("shipping %d tax %d duties %d incoterm %q, want 890 0 0", d.ShippingPrice, d.ShippingTax, d.Duties, d.Incoterm)
	}
	// 158.90 − 2.99 + 8.90 = 164.81.
	stated := oms.Totals{Subtotal: 15890, DiscountTotal: 299, ShippingTotal: 890, TaxTotal: 0, Total: 16481}
	if in.Stated != stated {
		t.Errorf("Stated = %+v, want %+v", in.Stated, stated)
	}
	wantCustomer := oms.Customer{Email: "3f9a2c71b4e8d6@members.ebay.com", Name: "Łucja Wiśniewska", Phone: "+43 664 1234567"}
	if d.Customer != wantCustomer {
		t.Errorf("Customer = %+v", d.Customer)
	}
	wantShipTo := oms.Address{Name: "Łucja Wiśniewska", Line1: "Mariahilfer Straße 47/3/12", City: "Wien", Region: "Wien",
		PostalCode: "1060", Country: "AT", Phone: "+43 664 1234567"}
	if d.ShipTo == nil || !reflect.DeepEqual(*d.ShipTo, wantShipTo) {
		t.Errorf("ShipTo = %+v", d.ShipTo)
	}
	wantNotes := []string{
		"prices include the seller's VAT, which eBay does not break out: the tax is 0",
		"the buyer's checkout note: Bitte nicht vor 17 Uhr zustellen – danke!",
	}
	if !reflect.DeepEqual(in.Notes, wantNotes) {
		t.Errorf("Notes = %q", in.Notes)
	}
	o := payloadtest.Placeable(t, in)
	if o.Totals != stated {
		t.Errorf("order totals = %+v, want %+v", o.Totals, stated)
	}
}

// usOrder is a US sale with eBay collect-and-remit sales tax on top, a
// shipping discount, and optionally import charges.
func usOrder(deliveryCost, total, importCharges string) string {
	charges := ""
	if importCharges != "" {
		charges = `,"importCharges":{"value":"` + importCharges + `","currency":"USD"}`
	}
	return `{"orderId":"12-34567-89012","creationDate":"2025-11-10T15:00:00.000Z","lastModifiedDate":"2025-11-11T09:30:00Z",
	"orderFulfillmentStatus":"NOT_STARTED","orderPaymentStatus":"PAID","cancelStatus":{"cancelState":"CANCELED"},
	"pricingSummary":{"priceSubtotal":{"value":"20.00","currency":"USD"},"deliveryCost":{"value":"` + deliveryCost + `","currency":"USD"},
		"deliveryDiscount":{"value":"-2.00","currency":"USD"},"tax":{"value":"1.50","currency":"USD"},
		"total":{"value":"` + total + `","currency":"USD"}},
	"fulfillmentStartInstructions":[{"shippingStep":{"shipTo":{"fullName":"Pat Doe","email":"Invalid Request",
		"contactAddress":{"addressLine1":"1 Main St","city":"Austin","stateOrProvince":"TX","postalCode":"78701","countryCode":"us"}}}}],
	"lineItems":[{"lineItemId":"1","legacyItemId":"1111","sku":"","title":"Mug","quantity":2,
		"lineItemCost":{"value":"20.00","currency":"USD"},"listingMarketplaceId":"EBAY_US",
		"deliveryCost":{"shippingCost":{"value":"12.00","currency":"USD"}` + charges + `},
		"appliedPromotions":[],
		"taxes":[{"amount":{"value":"1.50","currency":"USD"},"taxType":"STATE_SALES_TAX"}],
		"ebayCollectAndRemitTaxes":[{"amount":{"value":"1.50","currency":"USD"},"taxType":"STATE_SALES_TAX","collectionMethod":"NET"}]}]}`
}

func TestParseTaxOnTopAndDuties(t *testing.T) {
	tests := []struct {
		name                  string
		deliveryCost, total   string
		importCharges         string
		shipping, duties, sum int64
	}{
		// 20.00 + (12.00 − 2.00) + 1.50 = 31.50.
		{"no import charges", "12.00", "31.50", "", 1000, 0, 3150},
		// 20.00 + 10.00 + 4.20 + 1.50 = 35.70, deliveryCost without them.
		{"import charges apart", "12.00", "35.70", "4.20", 1000, 420, 3570},
		// The same, with deliveryCost including the import charges.
		{"import charges in deliveryCost", "16.20", "35.70", "4.20", 1000, 420, 3570},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in, err := Parse([]byte(usOrder(tt.deliveryCost, tt.total, tt.importCharges)))
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			d := in.Draft
			if d.TaxesIncluded || !in.Cancelled || d.Currency != "USD" {
				t.Errorf("taxes included %v cancelled %v currency %q", d.TaxesIncluded, in.Cancelled, d.Currency)
			}
			// taxes[] and ebayCollectAndRemitTaxes[] are the same 1.50.
			want := oms.LineDraft{Quantity: 2, UnitPrice: 1000, Subtotal: 2000, Tax: 150, Title: "Mug", ListingID: "1111"}
			if len(d.Lines) != 1 || d.Lines[0] != want {
				t.Errorf("Lines = %+v", d.Lines)
			}
			if d.ShippingPrice != tt.shipping || d.Duties != tt.duties {
				t.Errorf("shipping %d duties %d, want %d %d", d.ShippingPrice, d.Duties, tt.shipping, tt.duties)
			}
			if (tt.duties > 0) != (d.Incoterm == "DDP") {
				t.Errorf("Incoterm = %q", d.Incoterm)
			}
			stated := oms.Totals{Subtotal: 2000, ShippingTotal: tt.shipping, TaxTotal: 150, DutiesTotal: tt.duties, Total: tt.sum}
			if in.Stated != stated {
				t.Errorf("Stated = %+v, want %+v", in.Stated, stated)
			}
			if d.Customer.Email != "" || d.ShipTo == nil || d.ShipTo.Country != "US" {
				t.Errorf("customer %+v ship-to %+v", d.Customer, d.ShipTo)
			}
			if !payloadtest.HasNote(in, "masks") || !payloadtest.HasNote(in, "has no sku: map its listing 1111") {
				t.Errorf("Notes = %q", in.Notes)
			}
			if !in.UpdatedAt.Equal(time.Date(2025, 11, 11, 9, 30, 0, 0, time.UTC)) {
				t.Errorf("UpdatedAt = %v", in.UpdatedAt)
			}
			d.Lines[0].SKU = "MUG" // the store maps the listing; here it stands in
			payloadtest.Placeable(t, in)
		})
	}
}

// A UK buyer on a euro seller's listing: eBay converts to the seller's EUR,
// the buyer paid GBP.
func TestParseConvertedCurrency(t *testing.T) {
	body := `{"orderId":"09-11111-22222","creationDate":"2025-11-12T08:00:00.000Z","lastModifiedDate":"2025-11-12T08:00:00.000Z",
	"pricingSummary":{"priceSubtotal":{"value":"35.00","currency":"EUR","convertedFromValue":"30.00","convertedFromCurrency":"GBP"},
		"deliveryCost":{"value":"0.0","currency":"EUR"},
		"total":{"value":"35.00","currency":"EUR","convertedFromValue":"30.00","convertedFromCurrency":"GBP"}},
	"fulfillmentStartInstructions":[{"shippingStep":{"shipTo":{"fullName":"Ann Lee",
		"contactAddress":{"addressLine1":"2 High St","city":"York","countryCode":"GB"}}}}],
	"lineItems":[{"legacyItemId":"2222","sku":"BOOK-1","quantity":3,"listingMarketplaceId":"EBAY_DE",
		"lineItemCost":{"value":"35.00","currency":"EUR","convertedFromValue":"30.00","convertedFromCurrency":"GBP"},
		"deliveryCost":{"shippingCost":{"value":"0.0","currency":"EUR"}}}]}`
	in, err := Parse([]byte(body))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	d := in.Draft
	if d.Currency != "GBP" || !d.ForeignCurrency || !d.TaxesIncluded {
		t.Errorf("currency %q foreign %v included %v", d.Currency, d.ForeignCurrency, d.TaxesIncluded)
	}
	want := oms.LineDraft{SKU: "BOOK-1", Quantity: 3, UnitPrice: 1000, Subtotal: 3000, ListingID: "2222"}
	if len(d.Lines) != 1 || d.Lines[0] != want {
		t.Errorf("Lines = %+v", d.Lines)
	}
	if in.Stated != (oms.Totals{Subtotal: 3000, Total: 3000}) {
		t.Errorf("Stated = %+v", in.Stated)
	}
	if !payloadtest.HasNote(in, "converted total is 35.00 EUR") {
		t.Errorf("Notes = %q", in.Notes)
	}
	payloadtest.Placeable(t, in)
}

func TestParseErrors(t *testing.T) {
	fx := fixture(t)
	tests := []struct {
		name   string
		body   string
		fields []string
	}{
		{"truncated", fx[:len(fx)/2], []string{"body"}},
		{"empty", "", []string{"body"}},
		{"not an object", `"order"`, []string{"body"}},
		{"quantity two", payloadtest.Replace(t, fx, `"quantity": 1,`, `"quantity": "two",`), []string{"lineItems[0].quantity"}},
		{"negative quantity", payloadtest.Replace(t, fx, `"quantity": 2,`, `"quantity": -2,`), []string{"lineItems[1].quantity"}},
		{"zero quantity", payloadtest.Replace(t, fx, `"quantity": 2,`, `"quantity": 0,`), []string{"lineItems[1].quantity"}},
		{"too many decimals", payloadtest.Replace(t, fx, `"129.00"`, `"129.001"`), []string{"lineItems[0].lineItemCost.value"}},
		{"amount as a number", payloadtest.Replace(t, fx, `"129.00"`, `129.00`), []string{"lineItems[0].lineItemCost.value"}},
		{"negative cost", payloadtest.Replace(t, fx, `"29.90"`, `"-29.90"`), []string{"lineItems[1].lineItemCost.value"}},
		{"missing order id", payloadtest.Replace(t, fx, `"orderId": "27-13562-80417",`, ``), []string{"orderId"}},
		{"missing creation date", payloadtest.Replace(t, fx, `"creationDate": "2025-11-13T17:04:51.000Z",`, ``), []string{"creationDate"}},
		{"other currency", payloadtest.Replace(t, fx, `{ "value": "2.99", "currency": "EUR" }`, `{ "value": "2.99", "currency": "USD" }`),
			[]string{"lineItems[1].appliedPromotions[0].discountAmount.currency"}},
		{"unknown currency", payloadtest.Replace(t, fx, `"total": { "value": "164.81", "currency": "EUR" }`,
			`"total": { "value": "164.81", "currency": "XYZ" }`), []string{"pricingSummary.total.currency"}},
		{"discount above cost", payloadtest.Replace(t, fx, `{ "value": "2.99", "currency": "EUR" }`, `{ "value": "29.91", "currency": "EUR" }`),
			[]string{"lineItems[1].appliedPromotions"}},
		{"no lines", payloadtest.Replace(t, fx, `"lineItems": [`, `"lineItems": [], "x": [`), []string{"lineItems"}},
		{"lines not a list", payloadtest.Replace(t, fx, `"lineItems": [`, `"lineItems": {}, "x": [`), []string{"lineItems"}},
		{"two problems", payloadtest.Replace(t, payloadtest.Replace(t, fx, `"quantity": 1,`, `"quantity": "two",`), `"29.90"`, `"29.9O"`),
			[]string{"lineItems[0].quantity", "lineItems[1].lineItemCost.value"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.body))
			payloadtest.WantFields(t, err, tt.fields...)
		})
	}
}

// TestParseLate: a cancelled order may have a line of quantity 0, kept
// without amounts; a FULFILLED one is Shipped.
func TestParseLate(t *testing.T) {
	cancelled := payloadtest.Replace(t, fixture(t), `"cancelState": "NONE_REQUESTED"`, `"cancelState": "CANCELED"`)
	zeroed := payloadtest.Mutate(t, []byte(cancelled), func(o map[string]any) {
		o["lineItems"].([]any)[1].(map[string]any)["quantity"] = 0
	})
	in, err := Parse(zeroed)
	if err != nil {
		t.Fatal(err)
	}
	if l := in.Draft.Lines[1]; !in.Cancelled || !in.Draft.Cancelled || len(in.Draft.Lines) != 2 || l.Quantity != 0 || l.Subtotal != 0 ||
		l.Discount != 0 || l.SKU != "DRILL-HSS-19" {
		t.Errorf("cancelled %v lines %+v", in.Cancelled, in.Draft.Lines)
	}
	open := payloadtest.Mutate(t, []byte(fixture(t)), func(o map[string]any) {
		o["lineItems"].([]any)[1].(map[string]any)["quantity"] = 0
	})
	_, err = Parse(open)
	payloadtest.WantFields(t, err, "lineItems[1].quantity")

	fulfilled := payloadtest.Replace(t, fixture(t), `"orderFulfillmentStatus": "NOT_STARTED"`, `"orderFulfillmentStatus": "FULFILLED"`)
	if in, err = Parse([]byte(fulfilled)); err != nil || !in.Shipped || in.Cancelled {
		t.Fatalf("fulfilled: %+v %v", in, err)
	}
}
