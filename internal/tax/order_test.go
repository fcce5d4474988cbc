package tax

import (
	"fmt"
	"testing"
	"time"

	"github.com/omshq/oms"
)

func order(t *testing.T, incl bool, shipping int64, lines ...oms.LineDraft) *oms.Order {
	t.Helper()
	d := oms.OrderDraft{Channel: "x", ExternalID: "1", Currency: "CAD", Lines: lines, ShippingPrice: shipping, TaxesIncluded: incl}
	o, err := d.NewOrder(time.Now())
	if err != nil {
		t.Fatal(err)
	}
	return o
}

func TestCharge(t *testing.T) {
	de := Rule{Country: "DE", Rate: 190000, Inclusive: true, Name: "MwSt"}
	usCA := Rule{Country: "US", Region: "CA", Rate: 72500, Name: "Sales tax"}
	rules := Rules{gst, qst, hst, de, usCA}
	tests := []struct {
		name          string
		dest          *oms.Address
		lines         []oms.LineDraft
		shipping      int64
		lineTax       []int64
		totals        oms.Totals
		incl          bool
		destination   string
		applied, note string
	}{
		// (49.98 − 5.00) × 14.975 % = 6.735755 → 674; 10.00 → 1.4975 → 150.
		{"Québec: GST and QST together", &oms.Address{Country: "CA", Region: "QC"},
			[]oms.LineDraft{{SKU: "a", Quantity: 2, UnitPrice: 2499, Discount: 500}}, 1000, []int64{674},
			oms.Totals{Subtotal: 4998, DiscountTotal: 500, ShippingTotal: 1000, TaxTotal: 824, Total: 6322}, false, "CA-QC", "[CA CA-QC]", ""},
		// 10.00 × 13 % = 1.30, the HST alone.
		{"Ontario: HST replaces GST", &oms.Address{Country: "ca", Region: "CA-ON"},
			[]oms.LineDraft{{SKU: "a", Quantity: 1, UnitPrice: 1000}}, 0, []int64{130},
			oms.Totals{Subtotal: 1000, TaxTotal: 130, Total: 1130}, false, "CA-ON", "[CA-ON]", ""},
		// 5 % of 10.00 and of 3.33 (0.1665 → 0.17).
		{"Alberta: GST alone", &oms.Address{Country: "CA", Region: "AB"},
			[]oms.LineDraft{{SKU: "a", Quantity: 1, UnitPrice: 1000}, {SKU: "b", Quantity: 1, UnitPrice: 333}}, 0, []int64{50, 17},
			oms.Totals{Subtotal: 1333, TaxTotal: 67, Total: 1400}, false, "CA-AB", "[CA]", ""},
		// 119.00 holds 19.00 of VAT; 4.90 holds 0.78235 → 0.78.
		{"Germany: VAT inside the prices", &oms.Address{Country: "DE"},
			[]oms.LineDraft{{SKU: "a", Quantity: 1, UnitPrice: 11900}}, 490, []int64{1900},
			oms.Totals{Subtotal: 11900, ShippingTotal: 490, TaxTotal: 1978, Total: 12390}, true, "DE", "[DE]", ""},
		// 39.98 × 7.25 % = 2.89855 → 290; 5.00 → 0.3625 → 36.
		{"California", &oms.Address{Country: "US", Region: "CA"},
			[]oms.LineDraft{{SKU: "a", Quantity: 2, UnitPrice: 1999}}, 500, []int64{290},
			oms.Totals{Subtotal: 3998, ShippingTotal: 500, TaxTotal: 326, Total: 4824}, false, "US-CA", "[US-CA]", ""},
		{"Texas: no rule", &oms.Address{Country: "US", Region: "TX"},
			[]oms.LineDraft{{SKU: "a", Quantity: 2, UnitPrice: 1999}}, 500, []int64{0},
			oms.Totals{Subtotal: 3998, ShippingTotal: 500, Total: 4498}, false, "US-TX", "[]", "no tax rule matches US-TX: no tax was charged"},
		{"no address", nil,
			[]oms.LineDraft{{SKU: "a", Quantity: 1, UnitPrice: 1000}}, 0, []int64{0},
			oms.Totals{Subtotal: 1000, Total: 1000}, false, "", "[]", "the order has no address to tax by: no tax was charged"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := order(t, false, tt.shipping, tt.lines...)
			if err := rules.Charge(o, tt.dest); err != nil {
				t.Fatal(err)
			}
			var lineTax, applied []string
			for _, l := range o.Lines {
				lineTax = append(lineTax, fmt.Sprint(l.Tax))
			}
			for _, r := range o.ComputedTax.Rules {
				applied = append(applied, r.Key)
			}
			if fmt.Sprint(lineTax) != fmt.Sprint(tt.lineTax) || o.Totals != tt.totals || o.TaxesIncluded != tt.incl {
				t.Errorf("line tax %v, totals %+v, included %v; want %v, %+v, %v", lineTax, o.Totals, o.TaxesIncluded, tt.lineTax, tt.totals, tt.incl)
			}
			c := o.ComputedTax
			if c.Destination != tt.destination || fmt.Sprint(applied) != tt.applied || c.Note != tt.note || c.Inclusive != tt.incl {
				t.Errorf("computed = %+v", c)
			}
		})
	}
}
