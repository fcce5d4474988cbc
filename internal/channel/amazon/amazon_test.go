package amazon

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/channel/internal/payloadtest"
)

// fixture returns the raw orders of amazon_orders.json and the order id and
// items of amazon_order_items.json.
func fixture(t testing.TB) (orders []json.RawMessage, itemsOf string, items []json.RawMessage) {
	t.Helper()
	orders, err := Orders(payloadtest.Fixture(t, "amazon_orders.json"))
	if err != nil {
		t.Fatalf("Orders: %v", err)
	}
	if len(orders) != 2 {
		t.Fatalf("Orders: got %d orders, want 2", len(orders))
	}
	itemsOf, items, err = Items(payloadtest.Fixture(t, "amazon_order_items.json"))
	if err != nil {
		t.Fatalf("Items: %v", err)
	}
	return orders, itemsOf, items
}

// deBody is the envelope of the DE order with its items.
func deBody(t testing.TB) []byte {
	t.Helper()
	orders, _, items := fixture(t)
	return Envelope(orders[0], items)
}

func TestParseGermanOrder(t *testing.T) {
	orders, itemsOf, items := fixture(t)
	if itemsOf != "306-4418273-5529103" || len(items) != 2 {
		t.Fatalf("Items: order %q with %d items", itemsOf, len(items))
	}
	in, err := Parse(Envelope(orders[0], items))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	d := in.Draft
	if d.ExternalID != "306-4418273-5529103" || d.Currency != "EUR" || d.Channel != "" {
		t.Errorf("id %q currency %q channel %q", d.ExternalID, d.Currency, d.Channel)
	}
	payloadtest.WantTimes(t, in, time.Date(2025, 11, 13, 21, 7, 44, 0, time.UTC), time.Date(2025, 11, 13, 21, 39, 10, 0, time.UTC))
	if in.RawTimes["PurchaseDate"] != "2025-11-13T21:07:44Z" || in.RawTimes["LastUpdateDate"] != "2025-11-13T21:39:10Z" ||
		in.RawTimes["LatestShipDate"] != "2025-11-15T22:59:59Z" {
		t.Errorf("RawTimes = %v", in.RawTimes)
	}
	if in.Status != "Unshipped" || in.Cancelled || in.FulfilledByChannel {
		t.Errorf("status %q cancelled %v by channel %v", in.Status, in.Cancelled, in.FulfilledByChannel)
	}
	// amazon.de prices include VAT: ItemTax is the VAT inside ItemPrice.
	if !d.TaxesIncluded {
		t.Error("TaxesIncluded = false for amazon.de")
	}
	// Keyboard: 89.99 with 14.37 VAT, promotion 9.00 carrying 1.44 VAT, so
	// 14.37 − 1.44 = 12.93 VAT on the 80.99 paid. Cables: ItemPrice 25.98 is
	// 2 × 12.99, VAT 4.15.
	want := []oms.LineDraft{
		{SKU: "KB-MX-DE-QWERTZ", Quantity: 1, UnitPrice: 8999, Subtotal: 8999, Discount: 900, Tax: 1293,
			Title: "Mechanische Tastatur QWERTZ, braune Schalter, Aluminiumrahmen", ListingID: "B0C1XK7Q2M"},
		{SKU: "USB-C-KBL-2M-3ER", Quantity: 2, UnitPrice: 1299, Subtotal: 2598, Discount: 0, Tax: 415,
			Title: "USB-C Kabel 2 m, geflochten (3er-Pack)", ListingID: "B09ZT5QW3R"},
	}
	if !reflect.DeepEqual(d.Lines, want) {
		t.Errorf("Lines =\n%+v\nwant\n%+v", d.Lines, want)
	}
	if d.ShippingPrice != 499 || d.ShippingTax != 80 || d.Duties != 0 {
		t.Errorf("shipping %d tax %d duties %d, want 499 80 0", d.ShippingPrice, d.ShippingTax, d.Duties)
	}
	// 115.97 − 9.00 + 4.99 = 111.96 = OrderTotal; VAT 12.93 + 4.15 + 0.80.
	stated := oms.Totals{Subtotal: 11597, DiscountTotal: 900, ShippingTotal: 499, TaxTotal: 1788, Total: 11196}
	if in.Stated != stated {
		t.Errorf("Stated = %+v, want %+v", in.Stated, stated)
	}
	wantCustomer := oms.Customer{Email: "q7w2k9x4m1p3z8@marketplace.amazon.de", Name: "Jürgen Weiß", Phone: "+49 211 5550123"}
	if d.Customer != wantCustomer {
		t.Errorf("Customer = %+v", d.Customer)
	}
	wantShipTo := oms.Address{Name: "Jürgen Weiß", Line1: "Schloßstraße 12", Line2: "Hinterhaus, 3. OG", City: "Düsseldorf",
		Region: "Nordrhein-Westfalen", PostalCode: "40477", Country: "DE", Phone: "+49 211 5550123"}
	if d.ShipTo == nil || !reflect.DeepEqual(*d.ShipTo, wantShipTo) {
		t.Errorf("ShipTo = %+v", d.ShipTo)
	}
	if len(in.Notes) != 0 {
		t.Errorf("Notes = %q", in.Notes)
	}
	o := payloadtest.Placeable(t, in)
	if o.Totals != stated {
		t.Errorf("order totals = %+v, want %+v", o.Totals, stated)
	}
}

// The US order of the fixture is an AFN order still Pending: no address, no
// OrderTotal, and the fixture has no items for it.
func TestParsePendingAFNOrder(t *testing.T) {
	orders, _, _ := fixture(t)
	_, err := Parse(Envelope(orders[1], nil))
	payloadtest.WantFields(t, err, "order_items")

	// Amazon does return the items of a Pending order, without prices.
	item := json.RawMessage(`{"ASIN":"B0D2QX8Y4L","SellerSKU":"CHG-65W-USB-C","OrderItemId":"61234567890123",
		"Title":"65 W USB-C charger","QuantityOrdered":2,"QuantityShipped":0,"IsGift":"false"}`)
	in, err := Parse(Envelope(orders[1], []json.RawMessage{item}))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	d := in.Draft
	if d.ExternalID != "114-7730215-3318662" || d.Currency != "USD" || d.TaxesIncluded {
		t.Errorf("id %q currency %q taxes included %v", d.ExternalID, d.Currency, d.TaxesIncluded)
	}
	if !in.FulfilledByChannel || in.Status != "Pending" || in.Cancelled {
		t.Errorf("by channel %v status %q cancelled %v", in.FulfilledByChannel, in.Status, in.Cancelled)
	}
	payloadtest.WantTimes(t, in, time.Date(2025, 11, 14, 10, 51, 2, 0, time.UTC), time.Date(2025, 11, 14, 10, 51, 33, 0, time.UTC))
	if d.ShipTo != nil || d.Customer != (oms.Customer{}) {
		t.Errorf("ShipTo %+v Customer %+v, want none", d.ShipTo, d.Customer)
	}
	want := []oms.LineDraft{{SKU: "CHG-65W-USB-C", Quantity: 2, Title: "65 W USB-C charger", ListingID: "B0D2QX8Y4L"}}
	if !reflect.DeepEqual(d.Lines, want) {
		t.Errorf("Lines = %+v", d.Lines)
	}
	if in.Stated != (oms.Totals{}) {
		t.Errorf("Stated = %+v, want zero", in.Stated)
	}
	if !payloadtest.HasNote(in, "stated no OrderTotal") || !payloadtest.HasNote(in, "no ShippingAddress") || !payloadtest.HasNote(in, "no ItemPrice") {
		t.Errorf("Notes = %q", in.Notes)
	}
	payloadtest.Placeable(t, in)
}

// A US order adds tax on top; the promotion's tax is not paid.
func TestParseTaxOnTop(t *testing.T) {
	order := `{"AmazonOrderId":"112-0000001-0000001","PurchaseDate":"2025-11-10T15:00:00Z",
		"LastUpdateDate":"2025-11-10T16:00:00.000Z","OrderStatus":"Shipped","FulfillmentChannel":"MFN",
		"MarketplaceId":"ATVPDKIKX0DER","OrderTotal":{"CurrencyCode":"USD","Amount":"45.43"},
		"ShippingAddress":{"AddressLine1":"","AddressLine2":"1 Cross St.","City":"Canton","StateOrRegion":"MI",
		"PostalCode":"48817","CountryCode":"us"},"BuyerInfo":{"BuyerEmail":"Invalid Request"}}`
	item := `{"ASIN":"B01","SellerSKU":"MUG-12","QuantityOrdered":2,
		"ItemPrice":{"CurrencyCode":"USD","Amount":"39.98"},"ItemTax":{"CurrencyCode":"USD","Amount":"3.30"},
		"PromotionDiscount":{"CurrencyCode":"USD","Amount":"-4.00"},"PromotionDiscountTax":{"Amount":"0.33"},
		"ShippingPrice":{"CurrencyCode":"USD","Amount":"5.99"},"ShippingTax":{"CurrencyCode":"USD","Amount":"0.49"}}`
	in, err := Parse(Envelope(json.RawMessage(order), []json.RawMessage{json.RawMessage(item)}))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	d := in.Draft
	if d.TaxesIncluded {
		t.Error("TaxesIncluded = true for amazon.com")
	}
	// UnitPrice 39.98 / 2; tax 3.30 − 0.33; the negative discount is a discount.
	want := oms.LineDraft{SKU: "MUG-12", Quantity: 2, UnitPrice: 1999, Subtotal: 3998, Discount: 400, Tax: 297, ListingID: "B01"}
	if len(d.Lines) != 1 || d.Lines[0] != want {
		t.Errorf("Lines = %+v", d.Lines)
	}
	// 39.98 − 4.00 + 5.99 + 2.97 + 0.49 = 45.43.
	stated := oms.Totals{Subtotal: 3998, DiscountTotal: 400, ShippingTotal: 599, TaxTotal: 346, Total: 4543}
	if in.Stated != stated {
		t.Errorf("Stated = %+v, want %+v", in.Stated, stated)
	}
	if d.ShipTo == nil || d.ShipTo.Line1 != "1 Cross St." || d.ShipTo.Line2 != "" || d.ShipTo.Country != "US" {
		t.Errorf("ShipTo = %+v", d.ShipTo)
	}
	if d.Customer.Email != "" || !payloadtest.HasNote(in, "BuyerEmail") {
		t.Errorf("email %q notes %q", d.Customer.Email, in.Notes)
	}
	if !in.UpdatedAt.Equal(time.Date(2025, 11, 10, 16, 0, 0, 0, time.UTC)) {
		t.Errorf("UpdatedAt = %v", in.UpdatedAt)
	}
	payloadtest.Placeable(t, in)
}

// JPY has no minor unit: "3980" and "3980.00" are the same amount.
func TestParseJPY(t *testing.T) {
	for _, amt := range []string{"3980", "3980.00"} {
		order := `{"AmazonOrderId":"503-0000001-0000001","PurchaseDate":"2025-11-10T15:00:00Z",
			"LastUpdateDate":"2025-11-10T15:00:00Z","OrderStatus":"Canceled","FulfillmentChannel":"AFN",
			"MarketplaceId":"A1VC38T7YXB528","OrderTotal":{"CurrencyCode":"JPY","Amount":"` + amt + `"}}`
		items := []json.RawMessage{
			json.RawMessage(`{"ASIN":"B02","SellerSKU":"","QuantityOrdered":1,"ItemPrice":{"CurrencyCode":"JPY","Amount":"` + amt + `"},
				"ItemTax":{"CurrencyCode":"JPY","Amount":"362"}}`),
			json.RawMessage(`{"ASIN":"B03","SellerSKU":"GONE","QuantityOrdered":0,"ItemPrice":{"CurrencyCode":"JPY","Amount":"0"}}`),
		}
		in, err := Parse(Envelope(json.RawMessage(order), items))
		if err != nil {
			t.Fatalf("%s: Parse: %v", amt, err)
		}
		d := in.Draft
		want := []oms.LineDraft{{Quantity: 1, UnitPrice: 3980, Subtotal: 3980, Tax: 362, ListingID: "B02"}}
		if d.Currency != "JPY" || !d.TaxesIncluded || !reflect.DeepEqual(d.Lines, want) {
			t.Errorf("%s: currency %q included %v lines %+v", amt, d.Currency, d.TaxesIncluded, d.Lines)
		}
		if !in.Cancelled || !in.FulfilledByChannel {
			t.Errorf("%s: cancelled %v by channel %v", amt, in.Cancelled, in.FulfilledByChannel)
		}
		if in.Stated.Total != 3980 || !payloadtest.HasNote(in, "no SellerSKU") || !payloadtest.HasNote(in, "QuantityOrdered 0") {
			t.Errorf("%s: stated %+v notes %q", amt, in.Stated, in.Notes)
		}
	}
}

func TestParseErrors(t *testing.T) {
	de := string(deBody(t))
	tests := []struct {
		name   string
		body   string
		fields []string
	}{
		{"truncated", de[:len(de)/2], []string{"body"}},
		{"empty", "", []string{"body"}},
		{"not an object", `[1,2]`, []string{"body"}},
		{"no order", `{"order_items":[]}`, []string{"order"}},
		{"order not an object", `{"order":"x","order_items":[]}`, []string{"order"}},
		{"items not a list", `{"order":{},"order_items":{}}`, []string{"order_items"}},
		{"quantity two", payloadtest.Replace(t, de, `"QuantityOrdered": 1,`, `"QuantityOrdered": "two",`),
			[]string{"order_items[0].QuantityOrdered"}},
		{"negative quantity", payloadtest.Replace(t, de, `"QuantityOrdered": 2,`, `"QuantityOrdered": -2,`),
			[]string{"order_items[1].QuantityOrdered"}},
		{"fractional quantity", payloadtest.Replace(t, de, `"QuantityOrdered": 2,`, `"QuantityOrdered": 1.5,`),
			[]string{"order_items[1].QuantityOrdered"}},
		{"missing quantity", payloadtest.Replace(t, de, `"QuantityOrdered": 2,`, ``), []string{"order_items[1].QuantityOrdered"}},
		{"too many decimals", payloadtest.Replace(t, de, `"89.99"`, `"89.999"`), []string{"order_items[0].ItemPrice.Amount"}},
		{"amount as a number", payloadtest.Replace(t, de, `"89.99"`, `89.99`), []string{"order_items[0].ItemPrice.Amount"}},
		{"not a number", payloadtest.Replace(t, de, `"14.37"`, `"14,37"`), []string{"order_items[0].ItemTax.Amount"}},
		{"negative price", payloadtest.Replace(t, de, `"25.98"`, `"-25.98"`), []string{"order_items[1].ItemPrice.Amount"}},
		{"other currency", payloadtest.Replace(t, de, `"Amount": "4.15"`, `"Amount": "4.15", "CurrencyCode": "USD"`), []string{"order_items[1].ItemTax.CurrencyCode"}},
		{"unknown currency", strings.ReplaceAll(de, `"EUR"`, `"EURO"`), []string{"order.OrderTotal.CurrencyCode"}},
		{"missing order id", payloadtest.Replace(t, de, `"AmazonOrderId": "306-4418273-5529103",`, ``), []string{"order.AmazonOrderId"}},
		{"missing purchase date", payloadtest.Replace(t, de, `"PurchaseDate": "2025-11-13T21:07:44Z",`, ``), []string{"order.PurchaseDate"}},
		{"bad update date", payloadtest.Replace(t, de, `"2025-11-13T21:39:10Z"`, `"13.11.2025"`), []string{"order.LastUpdateDate"}},
		{"discount above price", payloadtest.Replace(t, de, `"9.00"`, `"99.00"`), []string{"order_items[0].PromotionDiscount.Amount"}},
		{"discount tax above tax", payloadtest.Replace(t, de, `"1.44"`, `"14.38"`), []string{"order_items[0].PromotionDiscountTax.Amount"}},
		{"two problems", payloadtest.Replace(t, payloadtest.Replace(t, de, `"QuantityOrdered": 1,`, `"QuantityOrdered": "two",`), `"25.98"`, `"25.985"`),
			[]string{"order_items[0].QuantityOrdered", "order_items[1].ItemPrice.Amount"}},
		{"only cancelled items", strings.ReplaceAll(strings.ReplaceAll(de, `"QuantityOrdered": 1,`, `"QuantityOrdered": 0,`),
			`"QuantityOrdered": 2,`, `"QuantityOrdered": 0,`), []string{"order_items"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.body))
			payloadtest.WantFields(t, err, tt.fields...)
		})
	}
}

func TestPages(t *testing.T) {
	if _, err := Orders([]byte(`{"errors":[{"code":"Unauthorized"}]}`)); oms.ErrorCode(err) != oms.EINVALID {
		t.Errorf("Orders without payload: %v", err)
	}
	if _, _, err := Items([]byte(`{"payload":{"OrderItems":[]}}`)); oms.ErrorCode(err) != oms.EINVALID {
		t.Errorf("Items without AmazonOrderId: %v", err)
	}
	if _, _, err := Items([]byte(`{"payload":`)); oms.ErrorCode(err) != oms.EINVALID {
		t.Errorf("Items truncated: %v", err)
	}
	if got := string(Envelope(nil, nil)); got != `{"order":null,"order_items":[]}` {
		t.Errorf("Envelope(nil, nil) = %s", got)
	}
}

// cancelledBody is the DE order as getOrders and getOrderItems answer once
// Amazon has cancelled it: status Canceled, no OrderTotal, no address or
// buyer, every item's QuantityOrdered zeroed and its amounts gone.
func cancelledBody(t testing.TB) []byte {
	t.Helper()
	orders, _, items := fixture(t)
	order := payloadtest.Mutate(t, orders[0], func(o map[string]any) {
		o["OrderStatus"], o["LastUpdateDate"] = "Canceled", "2025-11-14T08:02:51Z"
		o["NumberOfItemsUnshipped"] = 0
		for _, k := range []string{"OrderTotal", "ShippingAddress", "BuyerInfo", "PaymentMethod"} {
			delete(o, k)
		}
	})
	var zeroed []json.RawMessage
	for _, it := range items {
		zeroed = append(zeroed, payloadtest.Mutate(t, it, func(o map[string]any) {
			o["QuantityOrdered"] = 0
			for _, k := range []string{"ItemPrice", "ItemTax", "ShippingPrice", "ShippingTax", "ShippingDiscount",
				"ShippingDiscountTax", "PromotionDiscount", "PromotionDiscountTax", "PromotionIds"} {
				delete(o, k)
			}
		}))
	}
	return Envelope(order, zeroed)
}

// TestParseCancelled: an order Amazon cancelled before oms saw it is read
// with a line of quantity 0 per zeroed item and its amounts unknown, and it
// can be placed as cancelled; a merchant-fulfilled order first seen Shipped
// is read as shipped outside oms.
func TestParseCancelled(t *testing.T) {
	in, err := Parse(cancelledBody(t))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	d := in.Draft
	want := []oms.LineDraft{{SKU: "KB-MX-DE-QWERTZ", Title: "Mechanische Tastatur QWERTZ, braune Schalter, Aluminiumrahmen", ListingID: "B0C1XK7Q2M"},
		{SKU: "USB-C-KBL-2M-3ER", Title: "USB-C Kabel 2 m, geflochten (3er-Pack)", ListingID: "B09ZT5QW3R"}}
	if !in.Cancelled || !d.Cancelled || !in.AmountsUnknown || in.Shipped || !reflect.DeepEqual(d.Lines, want) {
		t.Errorf("cancelled %v/%v amounts unknown %v shipped %v lines %+v", in.Cancelled, d.Cancelled, in.AmountsUnknown, in.Shipped, d.Lines)
	}
	if d.Currency != "EUR" || d.ShipTo != nil || in.Stated != (oms.Totals{}) || !payloadtest.HasNote(in, "zeroed every item") {
		t.Errorf("currency %q ship-to %+v stated %+v notes %q", d.Currency, d.ShipTo, in.Stated, in.Notes)
	}
	if o := payloadtest.Placeable(t, in); o.Status != oms.StatusCancelled || o.Total != 0 {
		t.Errorf("placed as %s, total %d", o.Status, o.Total)
	}
	// Not cancelled, the same zeroed items are no order at all.
	pending := strings.Replace(string(cancelledBody(t)), `"Canceled"`, `"Unshipped"`, 1)
	_, err = Parse([]byte(pending))
	payloadtest.WantFields(t, err, "order_items")

	shipped := strings.Replace(string(deBody(t)), `"Unshipped"`, `"Shipped"`, 1)
	in, err = Parse([]byte(shipped))
	if err != nil || !in.Shipped || in.Cancelled || in.FulfilledByChannel || in.AmountsUnknown {
		t.Fatalf("shipped: %+v %v", in, err)
	}
	// Amazon ships an AFN order itself: that is FulfilledByChannel, not Shipped.
	afn := strings.Replace(shipped, `"MFN"`, `"AFN"`, 1)
	if in, err = Parse([]byte(afn)); err != nil || in.Shipped || !in.FulfilledByChannel {
		t.Fatalf("AFN shipped: %+v %v", in, err)
	}
}
