package oms_test

import (
	"strings"
	"testing"

	"github.com/omshq/oms"
)

func TestAdjustmentValidate(t *testing.T) {
	n := func(v int64) *int64 { return &v }
	tests := []struct {
		name   string
		adj    oms.Adjustment
		fields []string
	}{
		{"receive", oms.Adjustment{SKU: "A", Location: "wh-1", Reason: oms.MoveReceive, Delta: n(5), Reference: "PO-7"}, nil},
		{"adjust down", oms.Adjustment{SKU: "A", Location: "wh-1", Reason: oms.MoveAdjust, Delta: n(-2)}, nil},
		{"adjust up", oms.Adjustment{SKU: "A", Location: "wh-1", Reason: oms.MoveAdjust, Delta: n(2)}, nil},
		{"damage", oms.Adjustment{SKU: "A", Location: "wh-1", Reason: oms.MoveDamage, Delta: n(-1)}, nil},
		{"count to zero", oms.Adjustment{SKU: "A", Location: "wh-1", Reason: oms.MoveCount, SetOnHand: n(0)}, nil},
		{"count to the maximum", oms.Adjustment{SKU: "A", Location: "wh-1", Reason: oms.MoveCount, SetOnHand: n(oms.MaxQuantity)}, nil},
		{"delta at the maximum", oms.Adjustment{SKU: "A", Location: "wh-1", Reason: oms.MoveReceive, Delta: n(oms.MaxQuantity)}, nil},

		{"receive with a negative delta", oms.Adjustment{SKU: "A", Location: "wh-1", Reason: oms.MoveReceive, Delta: n(-5)}, []string{"delta"}},
		{"damage with a positive delta", oms.Adjustment{SKU: "A", Location: "wh-1", Reason: oms.MoveDamage, Delta: n(1)}, []string{"delta"}},
		{"zero delta", oms.Adjustment{SKU: "A", Location: "wh-1", Reason: oms.MoveAdjust, Delta: n(0)}, []string{"delta"}},
		{"delta above the maximum", oms.Adjustment{SKU: "A", Location: "wh-1", Reason: oms.MoveReceive, Delta: n(oms.MaxQuantity + 1)}, []string{"delta"}},
		{"delta below the minimum", oms.Adjustment{SKU: "A", Location: "wh-1", Reason: oms.MoveAdjust, Delta: n(-oms.MaxQuantity - 1)}, []string{"delta"}},
		{"both delta and set_on_hand", oms.Adjustment{SKU: "A", Location: "wh-1", Reason: oms.MoveCount, Delta: n(1), SetOnHand: n(3)}, []string{"delta"}},
		{"neither delta nor set_on_hand", oms.Adjustment{SKU: "A", Location: "wh-1", Reason: oms.MoveCount}, []string{"delta"}},
		{"negative set_on_hand", oms.Adjustment{SKU: "A", Location: "wh-1", Reason: oms.MoveCount, SetOnHand: n(-1)}, []string{"set_on_hand"}},
		{"set_on_hand above the maximum", oms.Adjustment{SKU: "A", Location: "wh-1", Reason: oms.MoveCount, SetOnHand: n(oms.MaxQuantity + 1)}, []string{"set_on_hand"}},
		{"reason ship is not for people", oms.Adjustment{SKU: "A", Location: "wh-1", Reason: oms.MoveShip, Delta: n(-1)}, []string{"reason"}},
		{"reason reserve is not for people", oms.Adjustment{SKU: "A", Location: "wh-1", Reason: oms.MoveReserve, Delta: n(1)}, []string{"reason"}},
		{"no reason", oms.Adjustment{SKU: "A", Location: "wh-1", Delta: n(1)}, []string{"reason"}},
		{"sku with a slash", oms.Adjustment{SKU: "A/B", Location: "wh-1", Reason: oms.MoveReceive, Delta: n(1)}, []string{"sku"}},
		{"location with a slash", oms.Adjustment{SKU: "A", Location: "wh/1", Reason: oms.MoveReceive, Delta: n(1)}, []string{"location"}},
		{"location with a space", oms.Adjustment{SKU: "A", Location: "wh 1", Reason: oms.MoveReceive, Delta: n(1)}, []string{"location"}},
		{"reference too long", oms.Adjustment{SKU: "A", Location: "wh-1", Reason: oms.MoveReceive, Delta: n(1), Reference: strings.Repeat("r", 201)}, []string{"reference"}},
		{"every field bad", oms.Adjustment{SKU: "", Location: "", Reason: "steal", Reference: "\x00"},
			[]string{"sku", "location", "reason", "delta", "reference"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkInvalid(t, tt.adj.Validate(), tt.fields...)
		})
	}
}

func TestAvailable(t *testing.T) {
	tests := []struct {
		name                     string
		onHand, reserved, safety int64
		want                     int64
	}{
		{"nothing reserved", 10, 0, 0, 10},
		{"reserved and safety stock", 10, 3, 2, 5},
		{"exactly used up", 10, 8, 2, 0},
		{"safety stock above what is left", 10, 8, 5, 0},
		{"nothing on hand", 0, 0, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := oms.Available(tt.onHand, tt.reserved, tt.safety); got != tt.want {
				t.Errorf("Available(%d, %d, %d) = %d, want %d", tt.onHand, tt.reserved, tt.safety, got, tt.want)
			}
		})
	}
}

func TestNewStock(t *testing.T) {
	tests := []struct {
		name     string
		balances []oms.Balance
		want     oms.Stock
	}{
		{"no balances", nil, oms.Stock{SKU: "A", Locations: []oms.Balance{}}},
		{"sums every location", []oms.Balance{
			{Location: "l1", OnHand: 10, Reserved: 4, SafetyStock: 1, Available: 5},
			{Location: "l2", OnHand: 3, Reserved: 3, Available: 0},
		}, oms.Stock{SKU: "A", OnHand: 13, Reserved: 7, Available: 5}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := oms.NewStock("A", tt.balances)
			if got.SKU != tt.want.SKU || got.OnHand != tt.want.OnHand || got.Reserved != tt.want.Reserved ||
				got.Available != tt.want.Available {
				t.Errorf("NewStock() = %+v, want sums %+v", got, tt.want)
			}
			// Locations is never null in JSON.
			if got.Locations == nil || len(got.Locations) != len(tt.balances) {
				t.Errorf("Locations = %#v, want the %d balances", got.Locations, len(tt.balances))
			}
		})
	}
}

func TestAdjustmentCountRules(t *testing.T) {
	n, d := int64(5), int64(5)
	cases := []struct {
		name  string
		a     oms.Adjustment
		field string
	}{
		{"receive by set_on_hand", oms.Adjustment{SKU: "A", Location: "w", Reason: oms.MoveReceive, SetOnHand: &n}, "set_on_hand"},
		{"damage by set_on_hand", oms.Adjustment{SKU: "A", Location: "w", Reason: oms.MoveDamage, SetOnHand: &n}, "set_on_hand"},
		{"count by delta", oms.Adjustment{SKU: "A", Location: "w", Reason: oms.MoveCount, Delta: &d}, "delta"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { checkInvalid(t, c.a.Validate(), c.field) })
	}
	ok := oms.Adjustment{SKU: "A", Location: "w", Reason: oms.MoveCount, SetOnHand: &n}
	if err := ok.Validate(); err != nil {
		t.Errorf("count by set_on_hand: %v", err)
	}
}
