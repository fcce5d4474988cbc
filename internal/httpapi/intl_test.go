package httpapi_test

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/store/storetest"
)

// ecbFixture is the ECB daily file of 2025-11-14 (illustrative rates): 1 EUR
// is 1.1612 USD, 179.53 JPY, 0.88195 GBP, 384.45 HUF, 147.20 ISK …
const ecbFixture = "../../testdata/channels/ecb_eurofxref.xml"

func readFixture(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(ecbFixture)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// ecbDoc writes an ECB document: days maps "YYYY-MM-DD" to cubes such as
// `<Cube currency='USD' rate='1.1612'/>`.
func ecbDoc(days ...string) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>
<gesmes:Envelope xmlns:gesmes="http://www.gesmes.org/xml/2002-08-01" xmlns="http://www.ecb.int/vocabulary/2002-08-01/eurofxref">
<gesmes:subject>Reference rates</gesmes:subject><Cube>`)
	for i := 0; i+1 < len(days); i += 2 {
		fmt.Fprintf(&b, "<Cube time='%s'>%s</Cube>", days[i], days[i+1])
	}
	b.WriteString("</Cube></gesmes:Envelope>")
	return b.String()
}

func cube(currency, rate string) string {
	return fmt.Sprintf("<Cube currency='%s' rate='%s'/>", currency, rate)
}

// wantProblem checks that a call was refused with a problem naming field.
func wantProblem(t *testing.T, r response, status int, field string) {
	t.Helper()
	if r.status != status {
		t.Fatalf("status %d, want %d: %s", r.status, status, r.body)
	}
	p := r.problem(t)
	for _, f := range p.Errors {
		if f.Field == field {
			return
		}
	}
	t.Errorf("problem %+v does not name %s", p, field)
}

func TestFXRates(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		h := setup(t, e)
		h.mustCall("GET", "/v1/fx-rates?date=2025-11-14", oms.RoleAgent, nil, 404)

		var sum oms.FXImport
		h.mustCall("POST", "/v1/fx-rates", oms.RoleManager, readFixture(t), 200).json(t, &sum)
		want := oms.FXImport{Days: 1, FirstDay: "2025-11-14", LastDay: "2025-11-14", Rates: 30, Added: 30}
		if sum != want {
			t.Fatalf("import = %+v, want %+v", sum, want)
		}
		// The same file again changes nothing, not even the event log.
		before, _ := h.db.Counts(ctx)
		h.mustCall("POST", "/v1/fx-rates", oms.RoleManager, readFixture(t), 200).json(t, &sum)
		if want.Added, want.Unchanged = 0, 30; sum != want {
			t.Errorf("second import = %+v, want %+v", sum, want)
		}
		if after, _ := h.db.Counts(ctx); fmt.Sprint(before) != fmt.Sprint(after) {
			t.Errorf("a repeated import wrote: %v → %v", before, after)
		}

		// Sunday has Friday's rates, as the ECB wrote them; a week on, none.
		var got struct {
			Date     string            `json:"date"`
			RateDate string            `json:"rate_date"`
			Base     string            `json:"base"`
			Rates    map[string]string `json:"rates"`
		}
		h.mustCall("GET", "/v1/fx-rates?date=2025-11-16", oms.RoleWarehouse, nil, 200).json(t, &got)
		if got.Date != "2025-11-16" || got.RateDate != "2025-11-14" || got.Base != "EUR" || len(got.Rates) != 30 ||
			got.Rates["USD"] != "1.1612" || got.Rates["ISK"] != "147.20" || got.Rates["IDR"] != "19402.17" {
			t.Errorf("rates on a Sunday = %+v", got)
		}
		h.mustCall("GET", "/v1/fx-rates?date=2025-11-21", oms.RoleAgent, nil, 200)
		h.mustCall("GET", "/v1/fx-rates?date=2025-11-22", oms.RoleAgent, nil, 404)
		h.mustCall("GET", "/v1/fx-rates?date=2025-11-13", oms.RoleAgent, nil, 404)
		h.mustCall("POST", "/v1/fx-rates", oms.RoleAgent, readFixture(t), 403)

		// A correction replaces the day's rate; a history file adds days.
		h.mustCall("POST", "/v1/fx-rates", oms.RoleManager, ecbDoc("2025-11-14", cube("USD", "1.1613")), 200).json(t, &sum)
		if sum.Changed != 1 || sum.Added != 0 || sum.Unchanged != 0 {
			t.Errorf("correction = %+v", sum)
		}
		got.Rates = nil
		h.mustCall("GET", "/v1/fx-rates?date=2025-11-14", oms.RoleAgent, nil, 200).json(t, &got)
		if got.Rates["USD"] != "1.1613" || got.Rates["GBP"] != "0.88195" {
			t.Errorf("after the correction USD %s, GBP %s", got.Rates["USD"], got.Rates["GBP"])
		}
		h.mustCall("POST", "/v1/fx-rates", oms.RoleManager, readFixture(t), 200).json(t, &sum)
		if sum.Changed != 1 || sum.Unchanged != 29 {
			t.Errorf("restoring import = %+v", sum)
		}
		hist := ecbDoc("2025-11-13", cube("USD", "1.1589")+cube("GBP", "0.8821"), "2025-11-12", cube("USD", "1.1574")+cube("GBP", "0.88"))
		h.mustCall("POST", "/v1/fx-rates", oms.RoleManager, hist, 200).json(t, &sum)
		if want := (oms.FXImport{Days: 2, FirstDay: "2025-11-12", LastDay: "2025-11-13", Rates: 4, Added: 4}); sum != want {
			t.Errorf("history import = %+v, want %+v", sum, want)
		}
		got.Rates = nil
		h.mustCall("GET", "/v1/fx-rates?date=2025-11-13", oms.RoleAgent, nil, 200).json(t, &got)
		if got.RateDate != "2025-11-13" || got.Rates["GBP"] != "0.8821" || len(got.Rates) != 2 {
			t.Errorf("rates of 2025-11-13 = %+v", got)
		}

		// 100.00 USD in GBP, through the euro: 100 × 0.88195 / 1.1612 =
		// 75.9516… GBP, so 7595 pence.
		var c oms.Conversion
		h.mustCall("GET", "/v1/fx-rates/convert?from=USD&to=GBP&amount=10000&date=2025-11-16", oms.RoleAgent, nil, 200).json(t, &c)
		if c != (oms.Conversion{From: "USD", To: "GBP", Amount: 10000, Converted: 7595, Rate: "0.88195/1.1612", RateDate: "2025-11-14"}) {
			t.Errorf("USD → GBP = %+v", c)
		}
		// Ties go to the even neighbour: 0.10 EUR is 38.445 HUF (3844.5
		// fillér) → 3844; 0.30 EUR is 115.335 HUF (11533.5) → 11534.
		for amount, want := range map[int]int64{10: 3844, 30: 11534} {
			h.mustCall("GET", fmt.Sprintf("/v1/fx-rates/convert?from=EUR&to=HUF&amount=%d&date=2025-11-14", amount), oms.RoleAgent, nil, 200).json(t, &c)
			if c.Converted != want || c.Rate != "384.45" {
				t.Errorf("%d EUR cents → %d HUF fillér at %s, want %d", amount, c.Converted, c.Rate, want)
			}
		}
		// 1 JPY back to euro cents: 100 / 179.53 = 0.557… → 1; and a
		// refund converts symmetrically.
		h.mustCall("GET", "/v1/fx-rates/convert?from=JPY&to=EUR&amount=-1&date=2025-11-14", oms.RoleAgent, nil, 200).json(t, &c)
		if c.Converted != -1 || c.Rate != "1/179.53" {
			t.Errorf("-1 JPY → %d EUR cents at %s", c.Converted, c.Rate)
		}

		for _, bad := range []struct{ query, field string }{
			{"from=XYZ&to=GBP&amount=1&date=2025-11-14", "from"},
			{"from=USD&to=gbp&amount=1&date=2025-11-14", "to"},
			{"from=USD&to=KWD&amount=1&date=2025-11-14", "to"}, // no rate that day
			{"from=USD&to=GBP&amount=1.5&date=2025-11-14", "amount"},
			{"from=USD&to=GBP&date=2025-11-14", "amount"},
			{"from=USD&to=GBP&amount=1&date=14.11.2025", "date"},
		} {
			wantProblem(t, h.call("GET", "/v1/fx-rates/convert?"+bad.query, oms.RoleAgent, nil), 400, bad.field)
		}
		wantProblem(t, h.call("GET", "/v1/fx-rates?date=2025-02-30", oms.RoleAgent, nil), 400, "date")
	})
}

// Bad documents are refused whole, naming the field, and write nothing.
func TestFXRatesBadInput(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		h := setup(t, e)
		before, _ := h.db.Counts(ctx)
		for _, c := range []struct {
			name, body, field string
		}{
			{"not XML", `{"USD": 1.16}`, "body"},
			{"truncated", readFixture(t)[:400], "body"},
			{"no rates", ecbDoc(), "body"},
			{"rate abc", ecbDoc("2025-11-17", cube("USD", "1.16")+cube("GBP", "abc")), "Cube.Cube[0].Cube[1].rate"},
			{"rate zero", ecbDoc("2025-11-17", cube("USD", "0")), "Cube.Cube[0].Cube[0].rate"},
			{"negative rate", ecbDoc("2025-11-17", cube("USD", "1.1")+cube("JPY", "-179.53")), "Cube.Cube[0].Cube[1].rate"},
			{"lower-case currency", ecbDoc("2025-11-17", cube("usd", "1.16")), "Cube.Cube[0].Cube[0].currency"},
			{"bad day", ecbDoc("2025-11-17", cube("USD", "1.16"), "17/11/2025", cube("USD", "1.16")), "Cube.Cube[1].time"},
		} {
			t.Run(c.name, func(t *testing.T) {
				wantProblem(t, h.call("POST", "/v1/fx-rates", oms.RoleManager, c.body), 400, c.field)
			})
		}
		if after, _ := h.db.Counts(ctx); fmt.Sprint(before) != fmt.Sprint(after) {
			t.Errorf("refused imports wrote: %v → %v", before, after)
		}
	})
}

// intlSeed creates a backordering channel per currency and the items the
// international tests order.
func (h *harness) intlSeed() {
	h.t.Helper()
	for code, cur := range map[string]string{"us": "USD", "eu": "EUR", "jp": "JPY", "kw": "KWD", "ca": "CAD"} {
		h.mustCall("PUT", "/v1/channels/"+code, oms.RoleManager,
			fmt.Sprintf(`{"name":"%s","kind":"web","currency":"%s","backorder_policy":"backorder"}`, code, cur), 201)
	}
	h.mustCall("PUT", "/v1/items/tea", oms.RoleManager, `{"name":"Tea","unit_cost":100,"currency":"USD"}`, 201)
	h.mustCall("PUT", "/v1/items/pot", oms.RoleManager, `{"name":"Teapot","unit_cost":900,"currency":"USD"}`, 201)
}

// placeIntl places an order of the channel and returns it with its raw body.
func (h *harness) placeIntl(ext, channel, currency, rest string) (oms.Order, string) {
	h.t.Helper()
	body := fmt.Sprintf(`{"channel":%q,"external_id":%q,"currency":%q,"customer":{"email":"a@example.com"},%s}`,
		channel, ext, currency, rest)
	var o oms.Order
	r := h.mustCall("POST", "/v1/orders", oms.RoleChannel, body, 201)
	r.json(h.t, &o)
	return o, string(r.body)
}

func TestBaseTotals(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		h := setup(t, e)
		h.intlSeed()
		var set oms.CurrencySettings
		h.mustCall("GET", "/v1/settings/currency", oms.RoleAgent, nil, 200).json(t, &set)
		if set.BaseCurrency != "" {
			t.Errorf("default base currency %q, want none", set.BaseCurrency)
		}
		// Without a base currency, orders record no base totals.
		if _, raw := h.placeIntl("N-0", "eu", "EUR", `"lines":[{"sku":"tea","quantity":1,"unit_price":1000,"tax":0}]`); strings.Contains(raw, `"base"`) {
			t.Errorf("an order placed without a base currency has base totals: %s", raw)
		}
		wantProblem(t, h.call("PUT", "/v1/settings/currency", oms.RoleManager, `{"base_currency":"ABC"}`), 400, "base_currency")
		wantProblem(t, h.call("PUT", "/v1/settings/currency", oms.RoleManager, `{"base_currency":"eur"}`), 400, "base_currency")
		h.mustCall("PUT", "/v1/settings/currency", oms.RoleAgent, `{"base_currency":"EUR"}`, 403)
		h.mustCall("PUT", "/v1/settings/currency", oms.RoleManager, `{"base_currency":"EUR"}`, 200)
		h.mustCall("GET", "/v1/settings/currency", oms.RoleAgent, nil, 200).json(t, &set)
		if set.BaseCurrency != "EUR" {
			t.Fatalf("base currency %q", set.BaseCurrency)
		}

		// Before any rate: placed all the same, without base totals …
		early, raw := h.placeIntl("U-1", "us", "USD", `"placed_at":"2025-11-14T15:00:00Z","lines":[{"sku":"tea","quantity":1,"unit_price":10000,"tax":0}]`)
		if early.Base != nil || strings.Contains(raw, `"base"`) {
			t.Errorf("an order without a rate has base totals: %s", raw)
		}
		late, _ := h.placeIntl("U-2", "us", "USD", `"placed_at":"2025-11-25T15:00:00Z","lines":[{"sku":"tea","quantity":1,"unit_price":10000,"tax":0}]`)
		// … except in the base currency itself, at rate 1.
		eur, _ := h.placeIntl("E-1", "eu", "EUR", `"placed_at":"2025-11-14T15:00:00Z","lines":[{"sku":"tea","quantity":3,"unit_price":1999,"discount":97,"tax":0}],"shipping_price":450`)
		if b := eur.Base; b == nil || *b != (oms.BaseTotals{Currency: "EUR", Rate: "1", RateDate: "2025-11-14", Totals: eur.Totals}) {
			t.Errorf("EUR order base = %+v, totals %+v", b, eur.Totals)
		}

		// The import fills the order of a day it covers: 100.00 USD is
		// 100 / 1.1612 = 86.1178… EUR. The order 11 days after is left.
		var sum oms.FXImport
		h.mustCall("POST", "/v1/fx-rates", oms.RoleManager, readFixture(t), 200).json(t, &sum)
		if sum.OrdersFilled != 1 {
			t.Errorf("import filled %d orders, want 1", sum.OrdersFilled)
		}
		var o oms.Order
		h.mustCall("GET", "/v1/orders/"+early.ID, oms.RoleAgent, nil, 200).json(t, &o)
		want := oms.BaseTotals{Currency: "EUR", Rate: "1/1.1612", RateDate: "2025-11-14",
			Totals: oms.Totals{Subtotal: 8612, Total: 8612}}
		if o.Base == nil || *o.Base != want || o.Version != 2 || o.Total != 10000 {
			t.Errorf("filled order: base %+v, version %d, total %d; want %+v", o.Base, o.Version, o.Total, want)
		}
		var tl struct{ Events []oms.Event }
		h.mustCall("GET", "/v1/orders/"+early.ID+"/events", oms.RoleAgent, nil, 200).json(t, &tl)
		// order.created, order.backordered (no stock), then the base totals.
		if n := len(tl.Events); n != 3 || tl.Events[2].Type != oms.EventOrderBaseRecorded {
			t.Errorf("timeline = %+v", tl.Events)
		}
		var lateNow oms.Order
		h.mustCall("GET", "/v1/orders/"+late.ID, oms.RoleAgent, nil, 200).json(t, &lateNow)
		if lateNow.Base != nil {
			t.Errorf("an order 11 days after the last rate got base totals %+v", lateNow.Base)
		}

		// A JPY order on Sunday takes Friday's rate, 179.53 yen a euro:
		// 3960 → 2205.76 → 2206; 500 → 278.50 → 279; 360 → 200.52 → 201;
		// total 4820 → 2684.79 → 2685 (the parts sum to 2686: each is
		// rounded on its own).
		jpy, _ := h.placeIntl("J-1", "jp", "JPY", `"placed_at":"2025-11-16T03:00:00Z",
			"lines":[{"sku":"tea","quantity":2,"unit_price":1980,"tax":360}],"shipping_price":500,"shipping_tax":0`)
		if jpy.Totals != (oms.Totals{Subtotal: 3960, ShippingTotal: 500, TaxTotal: 360, Total: 4820}) {
			t.Errorf("JPY totals = %+v", jpy.Totals)
		}
		want = oms.BaseTotals{Currency: "EUR", Rate: "1/179.53", RateDate: "2025-11-14",
			Totals: oms.Totals{Subtotal: 2206, ShippingTotal: 279, TaxTotal: 201, Total: 2685}}
		if jpy.Base == nil || *jpy.Base != want {
			t.Errorf("JPY base = %+v, want %+v", jpy.Base, want)
		}

		// KWD has three decimals and no ECB rate: a rate from another
		// source in the ECB's format, 0.3562 KWD a euro. 12.250 → 34.3908 →
		// 34.39 EUR; 0.250 → 0.70; 1.500 → 4.21; 13.500 → 37.9001 → 37.90.
		h.mustCall("POST", "/v1/fx-rates", oms.RoleManager, ecbDoc("2025-11-14", cube("KWD", "0.3562")), 200)
		kwd, _ := h.placeIntl("K-1", "kw", "KWD", `"placed_at":"2025-11-14T09:00:00Z",
			"lines":[{"sku":"pot","quantity":2,"unit_price":6125,"discount":250,"tax":0}],"shipping_price":1500`)
		if kwd.Totals != (oms.Totals{Subtotal: 12250, DiscountTotal: 250, ShippingTotal: 1500, Total: 13500}) {
			t.Errorf("KWD totals = %+v", kwd.Totals)
		}
		want = oms.BaseTotals{Currency: "EUR", Rate: "1/0.3562", RateDate: "2025-11-14",
			Totals: oms.Totals{Subtotal: 3439, DiscountTotal: 70, ShippingTotal: 421, Total: 3790}}
		if kwd.Base == nil || *kwd.Base != want {
			t.Errorf("KWD base = %+v, want %+v", kwd.Base, want)
		}
		var page struct{ Orders []oms.Order }
		h.mustCall("GET", "/v1/orders?channel=kw", oms.RoleAgent, nil, 200).json(t, &page)
		if len(page.Orders) != 1 || page.Orders[0].Base == nil || *page.Orders[0].Base != want {
			t.Errorf("order list = %+v", page.Orders)
		}
	})
}

func TestTaxRules(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		h := setup(t, e)
		h.intlSeed()
		h.mustCall("PUT", "/v1/tax-rules/US-CA", oms.RoleManager, `{"rate":"0.0725","name":"Sales tax"}`, 201)
		h.mustCall("PUT", "/v1/tax-rules/US-CA", oms.RoleManager, `{"rate":"0.0725","name":"CA sales tax"}`, 200)
		h.mustCall("PUT", "/v1/tax-rules/DE", oms.RoleManager, `{"rate":"0.19","inclusive":true,"name":"MwSt"}`, 201)
		h.mustCall("PUT", "/v1/tax-rules/CA", oms.RoleManager, `{"rate":"0.05","name":"GST"}`, 201)
		h.mustCall("PUT", "/v1/tax-rules/CA-QC", oms.RoleManager, `{"rate":"0.099750","name":"QST"}`, 201)
		h.mustCall("PUT", "/v1/tax-rules/CA-ON", oms.RoleManager, `{"rate":"0.13","replaces_country":true,"name":"HST"}`, 201)
		h.mustCall("PUT", "/v1/tax-rules/FR", oms.RoleAgent, `{"rate":"0.2"}`, 403)

		before, _ := h.db.Counts(ctx)
		for _, c := range []struct{ key, body, field string }{
			{"XX", `{"rate":"0.2"}`, "country"},
			{"de", `{"rate":"0.19"}`, "country"},
			{"US-", `{"rate":"0.05"}`, "region"},
			{"US-CALI", `{"rate":"0.05"}`, "region"},
			{"FR", `{"rate":"abc"}`, "rate"},
			{"FR", `{"rate":"20%"}`, "rate"},
			{"FR", `{"rate":"1.5"}`, "rate"},
			{"FR", `{"rate":"0.0000001"}`, "rate"},
			{"FR", `{"rate":0.2}`, "rate"},
			{"FR", `{}`, "rate"},
			{"FR", `{"rate":"0.2","replaces_country":true}`, "replaces_country"},
			{"FR", `{"rate":"0.2","name":"T\u0007VA"}`, "name"},
			{"CA-BC", `{"rate":"0.07","inclusive":true,"name":"PST"}`, "inclusive"},
		} {
			wantProblem(t, h.call("PUT", "/v1/tax-rules/"+c.key, oms.RoleManager, c.body), 400, c.field)
		}
		if after, _ := h.db.Counts(ctx); fmt.Sprint(before) != fmt.Sprint(after) {
			t.Errorf("refused rules wrote: %v → %v", before, after)
		}

		var list struct{ Rules []oms.TaxRule }
		h.mustCall("GET", "/v1/tax-rules", oms.RoleAgent, nil, 200).json(t, &list)
		var keys []string
		for _, r := range list.Rules {
			keys = append(keys, r.Key+"="+r.Rate)
		}
		if fmt.Sprint(keys) != "[CA=0.05 CA-ON=0.13 CA-QC=0.09975 DE=0.19 US-CA=0.0725]" {
			t.Errorf("rules = %v", keys)
		}
		var qst oms.TaxRule
		h.mustCall("GET", "/v1/tax-rules/CA-QC", oms.RoleAgent, nil, 200).json(t, &qst)
		if qst.Country != "CA" || qst.Region != "QC" || qst.Name != "QST" || qst.Inclusive || qst.ReplacesCountry {
			t.Errorf("CA-QC = %+v", qst)
		}
		h.mustCall("DELETE", "/v1/tax-rules/CA-ON", oms.RoleAgent, nil, 403)
		h.mustCall("DELETE", "/v1/tax-rules/CA-ON", oms.RoleManager, nil, 204)
		h.mustCall("DELETE", "/v1/tax-rules/CA-ON", oms.RoleManager, nil, 404)
		h.mustCall("GET", "/v1/tax-rules/CA-ON", oms.RoleAgent, nil, 404)

		h.mustCall("PUT", "/v1/locations/mtl", oms.RoleManager, `{"name":"Montréal store","kind":"store","can_ship":false,"can_pickup":true,
			"address":{"line1":"1 Rue Sainte-Catherine","city":"Montréal","region":"QC","country":"CA"}}`, 201)
		shipTo := func(region, country string) string {
			return fmt.Sprintf(`"ship_to":{"line1":"1 Main St","city":"X","region":%q,"country":%q}`, region, country)
		}

		// US-CA, tax added: 39.98 × 7.25 % = 2.89855 → 2.90; shipping
		// 5.00 × 7.25 % = 0.3625 → 0.36.
		us, _ := h.placeIntl("T-US", "us", "USD", shipTo("CA", "US")+`,"lines":[{"sku":"tea","quantity":2,"unit_price":1999}],"shipping_price":500`)
		if us.Lines[0].Tax != 290 || us.TaxesIncluded || us.Totals != (oms.Totals{Subtotal: 3998, ShippingTotal: 500, TaxTotal: 326, Total: 4824}) {
			t.Errorf("US-CA order: line tax %d, totals %+v", us.Lines[0].Tax, us.Totals)
		}
		wantTax := &oms.TaxComputation{Destination: "US-CA", Rules: []oms.AppliedTax{{Key: "US-CA", Name: "CA sales tax", Rate: "0.0725"}}}
		if fmt.Sprint(us.ComputedTax) != fmt.Sprint(wantTax) {
			t.Errorf("computed tax = %+v", us.ComputedTax)
		}

		// DE, VAT inside the prices: 119.00 holds 19.00; shipping 4.90
		// holds 0.78235 → 0.78. The total stays 123.90.
		de, _ := h.placeIntl("T-DE", "eu", "EUR", shipTo("", "DE")+`,"lines":[{"sku":"pot","quantity":1,"unit_price":11900}],"shipping_price":490`)
		if de.Lines[0].Tax != 1900 || !de.TaxesIncluded || de.Totals != (oms.Totals{Subtotal: 11900, ShippingTotal: 490, TaxTotal: 1978, Total: 12390}) {
			t.Errorf("DE order: line tax %d, included %v, totals %+v", de.Lines[0].Tax, de.TaxesIncluded, de.Totals)
		}
		if de.ComputedTax == nil || !de.ComputedTax.Inclusive || de.ComputedTax.Destination != "DE" {
			t.Errorf("DE computed tax = %+v", de.ComputedTax)
		}

		// Québec, GST 5 % and QST 9.975 % together: (49.98 − 5.00) ×
		// 14.975 % = 6.735755 → 6.74; shipping 10.00 → 1.4975 → 1.50.
		qc, _ := h.placeIntl("T-QC", "ca", "CAD", shipTo("QC", "CA")+`,"lines":[{"sku":"tea","quantity":2,"unit_price":2499,"discount":500}],"shipping_price":1000`)
		if qc.Lines[0].Tax != 674 || qc.Totals != (oms.Totals{Subtotal: 4998, DiscountTotal: 500, ShippingTotal: 1000, TaxTotal: 824, Total: 6322}) {
			t.Errorf("CA-QC order: line tax %d, totals %+v", qc.Lines[0].Tax, qc.Totals)
		}
		if c := qc.ComputedTax; c == nil || c.Destination != "CA-QC" || len(c.Rules) != 2 || c.Rules[0].Key != "CA" || c.Rules[1].Key != "CA-QC" {
			t.Errorf("CA-QC computed tax = %+v", c)
		}
		// Picked up at the Montréal store without a ship-to: taxed there.
		pick, _ := h.placeIntl("T-PU", "ca", "CAD", `"pickup_location":"mtl","lines":[{"sku":"tea","quantity":2,"unit_price":2499,"discount":500}],"shipping_price":1000`)
		if pick.TaxTotal != 824 || pick.ComputedTax == nil || pick.ComputedTax.Destination != "CA-QC" {
			t.Errorf("pickup order: tax %d, computed %+v", pick.TaxTotal, pick.ComputedTax)
		}

		// Tax the channel gives is kept as given, 0 included.
		zero, raw := h.placeIntl("T-Z", "ca", "CAD", shipTo("QC", "CA")+`,"lines":[{"sku":"tea","quantity":2,"unit_price":2499,"discount":500,"tax":0}],"shipping_price":1000`)
		if zero.TaxTotal != 0 || zero.Total != 5498 || zero.ComputedTax != nil || strings.Contains(raw, "computed_tax") {
			t.Errorf("explicit zero tax: totals %+v, computed %+v", zero.Totals, zero.ComputedTax)
		}
		given, _ := h.placeIntl("T-G", "us", "USD", shipTo("CA", "US")+`,"lines":[{"sku":"tea","quantity":2,"unit_price":1999}],"shipping_price":500,"shipping_tax":37`)
		if given.TaxTotal != 37 || given.Lines[0].Tax != 0 || given.Total != 4535 || given.ComputedTax != nil {
			t.Errorf("channel's shipping tax: totals %+v, computed %+v", given.Totals, given.ComputedTax)
		}

		// No rule for Brazil: no tax, and the order says why.
		br, _ := h.placeIntl("T-BR", "us", "USD", shipTo("SP", "BR")+`,"lines":[{"sku":"tea","quantity":1,"unit_price":1000}]`)
		if br.TaxTotal != 0 || br.ComputedTax == nil || len(br.ComputedTax.Rules) != 0 ||
			br.ComputedTax.Note != "no tax rule matches BR-SP: no tax was charged" {
			t.Errorf("order to Brazil: tax %d, computed %+v", br.TaxTotal, br.ComputedTax)
		}
		var again oms.Order
		h.mustCall("GET", "/v1/orders/"+br.ID, oms.RoleAgent, nil, 200).json(t, &again)
		if fmt.Sprint(again.ComputedTax) != fmt.Sprint(br.ComputedTax) {
			t.Errorf("read back: %+v", again.ComputedTax)
		}

		// Duties and the incoterm are kept and shown; an unknown incoterm is refused.
		ddp, _ := h.placeIntl("T-DDP", "us", "USD", shipTo("", "GB")+`,"lines":[{"sku":"tea","quantity":1,"unit_price":1000,"tax":200}],"duties":350,"incoterm":"DDP"`)
		if ddp.DutiesTotal != 350 || ddp.Incoterm != "DDP" || ddp.Total != 1550 {
			t.Errorf("DDP order: totals %+v, incoterm %q", ddp.Totals, ddp.Incoterm)
		}
		wantProblem(t, h.call("POST", "/v1/orders", oms.RoleChannel, `{"channel":"us","external_id":"T-FOB","currency":"USD",
			"lines":[{"sku":"tea","quantity":1,"unit_price":1000}],"incoterm":"FOB"}`), 400, "incoterm")
		wantProblem(t, h.call("POST", "/v1/orders", oms.RoleChannel, `{"channel":"us","external_id":"T-DUT","currency":"USD",
			"lines":[{"sku":"tea","quantity":1,"unit_price":1000}],"duties":-1}`), 400, "duties")
	})
}

func TestItemCustoms(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		h := setup(t, e)
		var it oms.Item
		h.mustCall("PUT", "/v1/items/shirt", oms.RoleManager,
			`{"name":"Shirt","unit_cost":500,"currency":"EUR","hs_code":"6109.10.00","country_of_origin":"PT"}`, 201).json(t, &it)
		if it.HSCode != "61091000" || it.CountryOfOrigin != "PT" {
			t.Errorf("item = %+v", it)
		}
		h.mustCall("GET", "/v1/items/shirt", oms.RoleAgent, nil, 200).json(t, &it)
		if it.HSCode != "61091000" || it.CountryOfOrigin != "PT" {
			t.Errorf("read back = %+v", it)
		}
		it = oms.Item{}
		h.mustCall("PUT", "/v1/items/shirt", oms.RoleManager, `{"name":"Shirt","unit_cost":500,"currency":"EUR","hs_code":"610910"}`, 200).json(t, &it)
		if it.HSCode != "610910" || it.CountryOfOrigin != "" {
			t.Errorf("replaced = %+v", it)
		}
		before, _ := h.db.Counts(ctx)
		for _, c := range []struct{ body, field string }{
			{`"hs_code":"12"`, "hs_code"},
			{`"hs_code":"61091000001"`, "hs_code"},
			{`"hs_code":"6109..10"`, "hs_code"},
			{`"hs_code":"6109.10."`, "hs_code"},
			{`"hs_code":"6109-10"`, "hs_code"},
			{`"country_of_origin":"XX"`, "country_of_origin"},
			{`"country_of_origin":"pt"`, "country_of_origin"},
			{`"country_of_origin":"PRT"`, "country_of_origin"},
		} {
			body := `{"name":"Cap","unit_cost":500,"currency":"EUR",` + c.body + `}`
			wantProblem(t, h.call("PUT", "/v1/items/cap", oms.RoleManager, body), 400, c.field)
		}
		h.mustCall("GET", "/v1/items/cap", oms.RoleAgent, nil, 404)
		if after, _ := h.db.Counts(ctx); fmt.Sprint(before) != fmt.Sprint(after) {
			t.Errorf("refused items wrote: %v → %v", before, after)
		}
	})
}
