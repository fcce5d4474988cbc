package oms_test

import (
	"testing"

	"github.com/omshq/oms"
)

// order3 is 3 units at 1000 with a 100 discount and 91 tax on line 1, 1 unit
// at 500 with 40 tax on line 2, and 700 shipping with 70 shipping tax:
// total 2900 − 100 + 700 + 201 = 3701.
func order3(taxesIncluded bool) *oms.Order {
	o := &oms.Order{Currency: "USD", TaxesIncluded: taxesIncluded, Lines: []oms.Line{
		{ID: "1-1", Quantity: 3, UnitPrice: 1000, Discount: 100, Tax: 91, Shipped: 3},
		{ID: "1-2", Quantity: 1, UnitPrice: 500, Tax: 40, Shipped: 1},
	}}
	t, err := oms.ComputeTotals(o.Lines, oms.Charges{Shipping: 700, ShippingTax: 70, TaxesIncluded: taxesIncluded})
	if err != nil {
		panic(err)
	}
	o.Totals = t
	return o
}

func TestQuoteRefund(t *testing.T) {
	none := oms.DefaultReturnSettings()
	none.ShippingRefund = oms.ShippingRefundNone
	full := oms.DefaultReturnSettings()
	prop := oms.DefaultReturnSettings()
	prop.ShippingRefund = oms.ShippingRefundProportional
	pct := none
	pct.RestockingFee = oms.RestockingFee{Kind: oms.FeePercent, Amount: 1000}
	fixed := none
	fixed.RestockingFee = oms.RestockingFee{Kind: oms.FeeFixed, Amount: 250}
	tests := []struct {
		name     string
		settings oms.ReturnSettings
		returned int64 // units of line 1 already returned
		units    []oms.Returning
		incl     bool
		want     oms.RefundQuote
	}{
		{"one of three units, shares rounded down", none, 0, []oms.Returning{{"1-1", 1, "damaged"}}, false,
			oms.RefundQuote{Goods: 966, Tax: 30, Total: 996}},
		{"the second unit", none, 1, []oms.Returning{{"1-1", 1, "damaged"}}, false,
			oms.RefundQuote{Goods: 967, Tax: 30, Total: 997}},
		{"the last unit takes the remainder", none, 2, []oms.Returning{{"1-1", 1, "damaged"}}, false,
			oms.RefundQuote{Goods: 967, Tax: 31, Total: 998}},
		{"everything, shipping full", full, 0, []oms.Returning{{"1-1", 3, "damaged"}, {"1-2", 1, "defective"}}, false,
			oms.RefundQuote{Goods: 3400, Tax: 131, Shipping: 770, Total: 4301}},
		{"part, shipping full refunds none yet", full, 0, []oms.Returning{{"1-2", 1, "defective"}}, false,
			oms.RefundQuote{Goods: 500, Tax: 40, Total: 540}},
		{"proportional shipping: 1 of 4 units", prop, 0, []oms.Returning{{"1-2", 1, "defective"}}, false,
			oms.RefundQuote{Goods: 500, Tax: 40, Shipping: 192, Total: 732}},
		{"taxes included: tax is inside the goods", none, 0, []oms.Returning{{"1-2", 1, "defective"}}, true,
			oms.RefundQuote{Goods: 500, Tax: 40, Total: 500}},
		{"10% fee on a no-fault return", pct, 0, []oms.Returning{{"1-2", 1, "no_longer_needed"}}, false,
			oms.RefundQuote{Goods: 500, Tax: 40, Fee: 54, Total: 486}},
		{"no fee when the goods were faulty", pct, 0, []oms.Returning{{"1-2", 1, "defective"}}, false,
			oms.RefundQuote{Goods: 500, Tax: 40, Total: 540}},
		{"fixed fee", fixed, 0, []oms.Returning{{"1-2", 1, "size_fit"}}, false,
			oms.RefundQuote{Goods: 500, Tax: 40, Fee: 250, Total: 290}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := order3(tt.incl)
			o.Lines[0].Returned = tt.returned
			if got := oms.QuoteRefund(o, tt.units, &tt.settings); got != tt.want {
				t.Errorf("quote = %+v, want %+v", got, tt.want)
			}
		})
	}
}

// TestManySmallReturns returns an awkward order one unit at a time under
// every shipping rule: the refunds add up to exactly the total paid (less
// duties, which are not refunded), never more.
func TestManySmallReturns(t *testing.T) {
	for _, rule := range []string{oms.ShippingRefundNone, oms.ShippingRefundFull, oms.ShippingRefundProportional} {
		t.Run(rule, func(t *testing.T) {
			s := oms.DefaultReturnSettings()
			s.ShippingRefund = rule
			o := &oms.Order{Lines: []oms.Line{
				{ID: "a", Quantity: 7, UnitPrice: 333, Discount: 101, Tax: 187, Shipped: 7},
				{ID: "b", Quantity: 13, UnitPrice: 99, Discount: 7, Tax: 97, Shipped: 13},
			}}
			tot, err := oms.ComputeTotals(o.Lines, oms.Charges{Shipping: 997, ShippingTax: 89})
			if err != nil {
				t.Fatal(err)
			}
			o.Totals = tot
			var sum int64
			for i := 0; i < 20; i++ {
				l := &o.Lines[i%2]
				if l.Returned == l.Shipped {
					l = &o.Lines[1-i%2]
				}
				q := oms.QuoteRefund(o, []oms.Returning{{l.ID, 1, "damaged"}}, &s)
				l.Returned++
				sum += q.Total
				if sum > o.Total {
					t.Fatalf("after %d returns refunded %d of %d", i+1, sum, o.Total)
				}
			}
			want := o.Total
			if rule == oms.ShippingRefundNone {
				want -= 997 + 89
			}
			if sum != want {
				t.Errorf("refunded %d, want %d", sum, want)
			}
		})
	}
}

func TestMayRefund(t *testing.T) {
	s := oms.DefaultReturnSettings()
	tests := []struct {
		role     oms.Role
		currency string
		amount   int64
		ok       bool
	}{
		{oms.RoleAgent, "USD", 10000, true},
		{oms.RoleAgent, "USD", 10001, false},
		{oms.RoleAgent, "JPY", 1, false},
		{oms.RoleManager, "USD", 1_000_000, true},
		{oms.RoleAdmin, "JPY", 1_000_000, true},
		{oms.RoleWarehouse, "USD", 1, false},
		{oms.RoleChannel, "USD", 1, false},
	}
	for _, tt := range tests {
		err := s.MayRefund(tt.role, tt.currency, tt.amount)
		if (err == nil) != tt.ok || (err != nil && oms.ErrorCode(err) != oms.EFORBIDDEN) {
			t.Errorf("%s refunds %d %s: %v", tt.role, tt.amount, tt.currency, err)
		}
	}
}

func TestReturnSettingsValidate(t *testing.T) {
	tests := []struct {
		name  string
		edit  func(*oms.ReturnSettings)
		field string
	}{
		{"defaults", func(*oms.ReturnSettings) {}, ""},
		{"no reasons", func(s *oms.ReturnSettings) { s.Reasons = nil; s.FeeExemptReasons = nil }, "reasons"},
		{"bad reason", func(s *oms.ReturnSettings) { s.Reasons[0] = "no good" }, "reasons[0]"},
		{"exempt reason not a reason", func(s *oms.ReturnSettings) { s.FeeExemptReasons = []string{"x"} }, "fee_exempt_reasons[0]"},
		{"shipping rule", func(s *oms.ReturnSettings) { s.ShippingRefund = "half" }, "shipping_refund"},
		{"fee percent", func(s *oms.ReturnSettings) { s.RestockingFee = oms.RestockingFee{Kind: "percent", Amount: 10001} }, "restocking_fee.amount"},
		{"fee kind", func(s *oms.ReturnSettings) { s.RestockingFee.Kind = "tip" }, "restocking_fee.kind"},
		{"limit currency", func(s *oms.ReturnSettings) { s.AgentRefundLimit["XXY"] = 1 }, "agent_refund_limit"},
		{"link days", func(s *oms.ReturnSettings) { s.LinkDays = 0 }, "link_days"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := oms.DefaultReturnSettings()
			tt.edit(&s)
			err := s.Validate()
			if tt.field == "" && err != nil || tt.field != "" && !hasField(err, tt.field) {
				t.Errorf("Validate = %v, want field %q", err, tt.field)
			}
		})
	}
}

func TestCheckRefund(t *testing.T) {
	tests := []struct {
		kind   string
		amount int64
		reason string
		field  string
	}{
		{"manual", 100, "price match", ""},
		{"appeasement", 500, "late delivery", ""},
		{"return", 100, "x", "kind"},
		{"manual", 0, "x", "amount"},
		{"manual", 501, "x", "amount"},
		{"manual", 100, " ", "reason"},
	}
	for _, tt := range tests {
		err := oms.CheckRefund(tt.kind, tt.amount, 500, tt.reason, "")
		if tt.field == "" && err != nil || tt.field != "" && !hasField(err, tt.field) {
			t.Errorf("%+v: %v", tt, err)
		}
	}
}
