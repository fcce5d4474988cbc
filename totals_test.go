package oms_test

import (
	"math"
	"testing"

	"github.com/omshq/oms"
	"github.com/omshq/oms/money"
)

func TestComputeTotals(t *testing.T) {
	tests := []struct {
		name          string
		currency      string // only to check the hand-computed total reads as intended
		lines         []oms.Line
		shipping      int64
		shippingTax   int64
		taxesIncluded bool
		want          oms.Totals
		wantTotal     string // money.Format(want.Total, currency)
		wantErr       bool
	}{
		{
			// 2 × ¥1500 − ¥300 + ¥800 = ¥3800 − ¥300; shipping ¥500; tax ¥270 + ¥80 + ¥50.
			name: "JPY, taxes excluded", currency: "JPY",
			lines: []oms.Line{
				{Quantity: 2, UnitPrice: 1500, Discount: 300, Tax: 270},
				{Quantity: 1, UnitPrice: 800, Tax: 80},
			},
			shipping: 500, shippingTax: 50,
			want:      oms.Totals{Subtotal: 3800, DiscountTotal: 300, ShippingTotal: 500, TaxTotal: 400, Total: 4400},
			wantTotal: "4400",
		},
		{
			name: "JPY, taxes included", currency: "JPY",
			lines: []oms.Line{
				{Quantity: 2, UnitPrice: 1500, Discount: 300, Tax: 270},
				{Quantity: 1, UnitPrice: 800, Tax: 80},
			},
			shipping: 500, shippingTax: 50, taxesIncluded: true,
			want:      oms.Totals{Subtotal: 3800, DiscountTotal: 300, ShippingTotal: 500, TaxTotal: 400, Total: 4000},
			wantTotal: "4000",
		},
		{
			// 3 × $19.99 = $59.97, less $5.00, plus $7.99 shipping and $5.00 tax.
			name: "USD, taxes excluded", currency: "USD",
			lines:     []oms.Line{{Quantity: 3, UnitPrice: 1999, Discount: 500, Tax: 500}},
			shipping:  799,
			want:      oms.Totals{Subtotal: 5997, DiscountTotal: 500, ShippingTotal: 799, TaxTotal: 500, Total: 6796},
			wantTotal: "67.96",
		},
		{
			name: "USD, taxes included are reported but not added", currency: "USD",
			lines:    []oms.Line{{Quantity: 3, UnitPrice: 1999, Discount: 500, Tax: 500}},
			shipping: 799, taxesIncluded: true,
			want:      oms.Totals{Subtotal: 5997, DiscountTotal: 500, ShippingTotal: 799, TaxTotal: 500, Total: 6296},
			wantTotal: "62.96",
		},
		{
			// 4 × 12.345 KWD = 49.380, + 0.500 = 49.880; less 1.000; shipping 2.500;
			// tax 0.025 + 0.125 shipping tax = 0.150.
			name: "KWD, three decimals, taxes excluded", currency: "KWD",
			lines: []oms.Line{
				{Quantity: 4, UnitPrice: 12345, Discount: 1000},
				{Quantity: 1, UnitPrice: 500, Tax: 25},
			},
			shipping: 2500, shippingTax: 125,
			want:      oms.Totals{Subtotal: 49880, DiscountTotal: 1000, ShippingTotal: 2500, TaxTotal: 150, Total: 51530},
			wantTotal: "51.530",
		},
		{
			name: "KWD, three decimals, taxes included", currency: "KWD",
			lines: []oms.Line{
				{Quantity: 4, UnitPrice: 12345, Discount: 1000},
				{Quantity: 1, UnitPrice: 500, Tax: 25},
			},
			shipping: 2500, shippingTax: 125, taxesIncluded: true,
			want:      oms.Totals{Subtotal: 49880, DiscountTotal: 1000, ShippingTotal: 2500, TaxTotal: 150, Total: 51380},
			wantTotal: "51.380",
		},
		{
			name: "shipping tax alone is added", currency: "USD",
			lines:    []oms.Line{{Quantity: 1, UnitPrice: 1000}},
			shipping: 500, shippingTax: 100,
			want:      oms.Totals{Subtotal: 1000, ShippingTotal: 500, TaxTotal: 100, Total: 1600},
			wantTotal: "16.00",
		},
		{
			name: "no lines, shipping only", currency: "USD",
			shipping:  500,
			want:      oms.Totals{ShippingTotal: 500, Total: 500},
			wantTotal: "5.00",
		},
		{
			name: "discount equal to the subtotal", currency: "USD",
			lines:     []oms.Line{{Quantity: 2, UnitPrice: 250, Discount: 500}},
			want:      oms.Totals{Subtotal: 500, DiscountTotal: 500},
			wantTotal: "0.00",
		},
		{
			// ComputeTotals checks the order's discounts as a whole; the cap per
			// line is OrderDraft.Validate's job.
			name: "one line's discount covered by another line", currency: "USD",
			lines: []oms.Line{
				{Quantity: 1, UnitPrice: 100, Discount: 300},
				{Quantity: 1, UnitPrice: 500},
			},
			want:      oms.Totals{Subtotal: 600, DiscountTotal: 300, Total: 300},
			wantTotal: "3.00",
		},
		{
			name: "total exactly at the limit", currency: "USD",
			lines:     []oms.Line{{Quantity: 1000, UnitPrice: oms.MaxAmount}},
			want:      oms.Totals{Subtotal: oms.MaxAmount * 1000, Total: oms.MaxAmount * 1000},
			wantTotal: "100000000000000.00",
		},
		{
			name:    "discounts above the subtotal",
			lines:   []oms.Line{{Quantity: 2, UnitPrice: 250, Discount: 501}},
			wantErr: true,
		},
		{
			name: "discounts above the subtotal across lines",
			lines: []oms.Line{
				{Quantity: 1, UnitPrice: 100, Discount: 100},
				{Quantity: 1, UnitPrice: 100, Discount: 101},
			},
			shipping: 1000,
			wantErr:  true,
		},
		{
			name:    "total above the limit",
			lines:   []oms.Line{{Quantity: 1000, UnitPrice: oms.MaxAmount + 1}},
			wantErr: true,
		},
		{
			name:    "quantity × price overflows",
			lines:   []oms.Line{{Quantity: 1 << 32, UnitPrice: 1 << 32}},
			wantErr: true,
		},
		{
			name:    "quantity × price overflows to a small positive number",
			lines:   []oms.Line{{Quantity: 1 << 33, UnitPrice: 1<<31 + 1}}, // 2^64 + 2^33 wraps to 2^33
			wantErr: true,
		},
		{
			name: "subtotal sum overflows",
			lines: []oms.Line{
				{Quantity: 1, UnitPrice: math.MaxInt64/2 + 1},
				{Quantity: 1, UnitPrice: math.MaxInt64/2 + 1},
			},
			wantErr: true,
		},
		{
			name: "discount sum overflows",
			lines: []oms.Line{
				{Quantity: 1, UnitPrice: math.MaxInt64, Discount: math.MaxInt64},
				{Quantity: 0, Discount: 1},
			},
			wantErr: true,
		},
		{
			name:        "tax sum overflows with shipping tax",
			lines:       []oms.Line{{Quantity: 1, UnitPrice: 100, Tax: math.MaxInt64}},
			shippingTax: 1,
			wantErr:     true,
		},
		{
			name:          "tax sum overflow is caught even when taxes are included",
			lines:         []oms.Line{{Quantity: 1, UnitPrice: 100, Tax: math.MaxInt64}},
			shippingTax:   1,
			taxesIncluded: true,
			wantErr:       true,
		},
		{
			name:     "total overflows with shipping",
			lines:    []oms.Line{{Quantity: 1, UnitPrice: math.MaxInt64}},
			shipping: 1,
			wantErr:  true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := oms.ComputeTotals(tt.lines, oms.Charges{Shipping: tt.shipping, ShippingTax: tt.shippingTax, TaxesIncluded: tt.taxesIncluded})
			if tt.wantErr {
				checkInvalid(t, err, "lines")
				if got != (oms.Totals{}) {
					t.Errorf("on error got totals %+v, want zero", got)
				}
				return
			}
			if err != nil {
				t.Fatalf("ComputeTotals: %v", err)
			}
			if got != tt.want {
				t.Errorf("ComputeTotals() = %+v, want %+v", got, tt.want)
			}
			// Invariant 5: total = lines − discounts + shipping + tax (unless included).
			sum := got.Subtotal - got.DiscountTotal + got.ShippingTotal
			if !tt.taxesIncluded {
				sum += got.TaxTotal
			}
			if got.Total != sum {
				t.Errorf("total %d != subtotal − discounts + shipping (+ tax) = %d", got.Total, sum)
			}
			if s := money.Format(got.Total, tt.currency); s != tt.wantTotal {
				t.Errorf("total reads %s %s, want %s", s, tt.currency, tt.wantTotal)
			}
		})
	}
}

// TestComputeTotalsRefusesNegativeAmounts covers amounts no validated draft
// carries but an unvalidated caller could: each is EINVALID, never a
// negative or wrapped total.
func TestComputeTotalsRefusesNegativeAmounts(t *testing.T) {
	cases := []struct {
		name              string
		lines             []oms.Line
		shipping, shipTax int64
	}{
		{"negative shipping", []oms.Line{{Quantity: 1, UnitPrice: 100}}, -500, 0},
		{"negative shipping tax", []oms.Line{{Quantity: 1, UnitPrice: 100}}, 0, -1},
		{"negative discount wraps subtotal", []oms.Line{{Quantity: 1, UnitPrice: math.MaxInt64, Discount: -1}}, 0, 0},
		{"negative price", []oms.Line{{Quantity: 2, UnitPrice: -1}}, 0, 0},
		{"negative tax", []oms.Line{{Quantity: 1, UnitPrice: 100, Tax: -5}}, 0, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := oms.ComputeTotals(c.lines, oms.Charges{Shipping: c.shipping, ShippingTax: c.shipTax})
			checkInvalid(t, err, "lines")
			if got != (oms.Totals{}) {
				t.Errorf("totals = %+v, want zero", got)
			}
		})
	}
}

func TestUnitPrice(t *testing.T) {
	tests := []struct {
		name                      string
		subtotal, quantity, price int64
		want                      int64
	}{
		{"divides", 2500, 2, 0, 1250},
		{"a pack", 2400, 6, 2400, 400},
		{"does not divide: rounded down", 2500, 3, 2500, 833},
		{"free", 0, 4, 0, 0},
		{"no units: kept", 1999, 0, 1999, 1999},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := oms.UnitPrice(tt.subtotal, tt.quantity, tt.price); got != tt.want {
				t.Errorf("UnitPrice(%d, %d, %d) = %d, want %d", tt.subtotal, tt.quantity, tt.price, got, tt.want)
			}
		})
	}
}
