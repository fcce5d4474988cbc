package oms_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/omshq/oms"
)

func TestSearchDocument(t *testing.T) {
	c := oms.Customer{Email: "Jane.Doe+shop@Example.com", Name: "Siobhán Ó Ceallaigh", Phone: "+1 (555) 010-0199"}
	got := strings.Fields(oms.SearchDocument("1001", "SO-77/a", c, []string{"1Z999AA1", "1Z999AA1"}))
	want := []string{"1001", "so", "77", "a", "jane", "doe", "shop", "siobhán", "ó", "ceallaigh",
		"1", "555", "010", "0199", "1z999aa1", "15550100199", "janedoeshopexamplecom"}
	if !slices.Equal(got, want) {
		t.Errorf("document\n got %q\nwant %q", got, want)
	}
}

func TestParseSearch(t *testing.T) {
	cases := []struct {
		name, q string
		words   []string
		prefix  bool
		bad     bool
	}{
		{"name", "  Jane Do ", []string{"jane", "do"}, false, false},
		{"long last word is a prefix", "jane smi", []string{"jane", "smi"}, true, false},
		{"email", "Jane.Doe@Example.com", []string{"janedoeexamplecom"}, true, false},
		{"email as far as typed", "jane.doe@ex", []string{"janedoeex"}, true, false},
		{"punctuation only", "#-", nil, false, false},
		{"empty", "", nil, false, true},
		{"blank", " \t ", nil, false, true},
		{"too long", strings.Repeat("a", oms.MaxSearchQuery+1), nil, false, true},
		{"control character", "jane\x00", nil, false, true},
		{"many words are cut", "a b c d e f g h i j", []string{"a", "b", "c", "d", "e", "f", "g", "h"}, false, false},
	}
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			q, err := oms.ParseSearch(tt.q)
			if tt.bad {
				var e *oms.Error
				if !errors.As(err, &e) || e.Code != oms.EINVALID || len(e.Fields) != 1 || e.Fields[0].Field != "q" {
					t.Fatalf("ParseSearch(%q) = %v, want EINVALID naming q", tt.q, err)
				}
				return
			}
			if err != nil || !slices.Equal(q.Words, tt.words) || q.Prefix() != tt.prefix {
				t.Errorf("ParseSearch(%q) = %q prefix %v, %v; want %q prefix %v", tt.q, q.Words, q.Prefix(), err, tt.words, tt.prefix)
			}
		})
	}
}

func TestLifetimeValue(t *testing.T) {
	cases := []struct {
		name   string
		orders []oms.OrderValue
		want   oms.LifetimeValue
	}{
		{"none", nil, oms.LifetimeValue{ByCurrency: []oms.Amount{}}},
		{"refunds come off, in the base currency at the order's rate", []oms.OrderValue{
			{Status: oms.StatusDelivered, Currency: "GBP", Total: 1000, BaseCurrency: "USD", BaseTotal: 1270, Refunded: 250},
			{Status: oms.StatusDelivered, Currency: "GBP", Total: 3, BaseCurrency: "USD", BaseTotal: 5, Refunded: 1},
			{Status: oms.StatusCancelled, Currency: "GBP", Total: 500, BaseCurrency: "USD", BaseTotal: 635, Refunded: 100},
		}, oms.LifetimeValue{ByCurrency: []oms.Amount{{Currency: "GBP", Amount: 652, Orders: 3}},
			Refunded: []oms.Amount{{Currency: "GBP", Amount: 351, Orders: 3}},
			// 1270 − 317.5 → 952 (half to even: 318); 5 − 1.67 → 3; a cancelled order: 0 − 127.
			Base: &oms.Amount{Currency: "USD", Amount: 952 + 3 - 127, Orders: 3}, BaseComplete: true}},
		{"per currency and in base, cancelled left out", []oms.OrderValue{
			{Status: oms.StatusShipped, Currency: "USD", Total: 1000, BaseCurrency: "EUR", BaseTotal: 900},
			{Status: oms.StatusCancelled, Currency: "USD", Total: 5000, BaseCurrency: "EUR", BaseTotal: 4500},
			{Status: oms.StatusAllocated, Currency: "JPY", Total: 1500, BaseCurrency: "EUR", BaseTotal: 950},
			{Status: oms.StatusPending, Currency: "USD", Total: 1, BaseCurrency: "EUR", BaseTotal: 1},
		}, oms.LifetimeValue{ByCurrency: []oms.Amount{{Currency: "USD", Amount: 1001, Orders: 2}, {Currency: "JPY", Amount: 1500, Orders: 1}},
			Base: &oms.Amount{Currency: "EUR", Amount: 1851, Orders: 3}, BaseComplete: true}},
		{"an exchange's replacement counts for what its return does not pay", []oms.OrderValue{
			// 2000 paid; the return of it (worth 2000) pays for the 1400
			// replacement and refunds the other 600: 1400 in all.
			{Status: oms.StatusDelivered, Currency: "USD", Total: 2000, BaseCurrency: "USD", BaseTotal: 2000, Refunded: 600},
			{Status: oms.StatusShipped, Currency: "USD", Total: 1400, BaseCurrency: "USD", BaseTotal: 1400, Credit: 1400},
			// a replacement dearer than the return: the difference counts.
			{Status: oms.StatusShipped, Currency: "USD", Total: 500, BaseCurrency: "USD", BaseTotal: 500, Credit: 300},
		}, oms.LifetimeValue{ByCurrency: []oms.Amount{{Currency: "USD", Amount: 1600, Orders: 3}},
			Refunded: []oms.Amount{{Currency: "USD", Amount: 600, Orders: 1}},
			Base:     &oms.Amount{Currency: "USD", Amount: 1600, Orders: 3}, BaseComplete: true}},
		{"an order without a base total makes the base incomplete", []oms.OrderValue{
			{Status: oms.StatusShipped, Currency: "USD", Total: 1000, BaseCurrency: "USD", BaseTotal: 1000},
			{Status: oms.StatusShipped, Currency: "GBP", Total: 700},
		}, oms.LifetimeValue{ByCurrency: []oms.Amount{{Currency: "USD", Amount: 1000, Orders: 1}, {Currency: "GBP", Amount: 700, Orders: 1}},
			Base: &oms.Amount{Currency: "USD", Amount: 1000, Orders: 1}}},
	}
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			got, err := oms.ComputeLifetimeValue(tt.orders)
			if err != nil || !sameValue(got, tt.want) {
				t.Errorf("got %+v (base %+v), %v\nwant %+v (base %+v)", got, got.Base, err, tt.want, tt.want.Base)
			}
		})
	}
	big := oms.OrderValue{Status: oms.StatusShipped, Currency: "USD", Total: 1 << 62}
	if _, err := oms.ComputeLifetimeValue([]oms.OrderValue{big, big}); oms.ErrorCode(err) != oms.EINVALID {
		t.Errorf("an overflowing sum: %v, want EINVALID", err)
	}
}

func sameValue(a, b oms.LifetimeValue) bool {
	return slices.Equal(a.ByCurrency, b.ByCurrency) && slices.Equal(a.Refunded, b.Refunded) && a.BaseComplete == b.BaseComplete &&
		(a.Base == nil) == (b.Base == nil) && (a.Base == nil || *a.Base == *b.Base)
}

func TestSearchIdentifier(t *testing.T) {
	for q, want := range map[string]bool{"1042": true, "#1042": true, "1Z999AA10123456784": true, "ann@example.com": true,
		"SHOP-77": true, "lee": false, "ann lee": false, "+1 555 0100": false, "W-1 2": false} {
		sq, err := oms.ParseSearch(q)
		if err != nil || sq.Identifier() != want {
			t.Errorf("%q: identifier %v, want %v (%v)", q, sq.Identifier(), want, err)
		}
	}
}
