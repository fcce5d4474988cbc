package orderbody

import (
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/httpapi/decode"
)

func TestDecodeOrder(t *testing.T) {
	d, err := Decode([]byte(`{"channel":"web","external_id":"A-1","currency":"JPY",
		"lines":[{"sku":"tea","quantity":2,"unit_price":1500,"tax":300}],"shipping_price":0,
		"taxes_included":true,"placed_at":"2026-01-02T03:04:05.123456789+09:00"}`))
	if err != nil {
		t.Fatal(err)
	}
	want := time.Date(2026, 1, 1, 18, 4, 5, 123456000, time.UTC)
	if d.Lines[0].UnitPrice != 1500 || d.Lines[0].Tax != 300 || !d.TaxesIncluded || !d.PlacedAt.Equal(want) {
		t.Errorf("draft = %+v", d)
	}
	o, err := d.NewOrder(time.Now())
	if err != nil || o.Total != 3000 || o.TaxTotal != 300 {
		t.Errorf("order totals = %+v, %v", o.Totals, err)
	}
}

// FuzzDecodeOrder feeds arbitrary bodies to the order decoder: it never
// panics, every failure is an EINVALID naming at least one field, and every
// success is a draft the core accepts with balanced lines and exact totals.
func FuzzDecodeOrder(f *testing.F) {
	f.Add([]byte(`{"channel":"web","external_id":"1","currency":"USD","lines":[{"sku":"a","quantity":1,"unit_price":100}]}`))
	f.Add([]byte(`{"channel":"web","external_id":"1","currency":"KWD","lines":[{"sku":"a","quantity":3,"unit_price":1005,"discount":5,"tax":1}],"shipping_price":250,"shipping_tax":10}`))
	f.Add([]byte(`{"lines":[{"quantity":1.5,"unit_price":"3"}]}`))
	f.Add([]byte(`{"lines":[{"quantity":1e3}],"placed_at":"x"}`))
	f.Add([]byte(`{"channel":null,"lines":null,"customer":{"email":"a@b.c"}}`))
	f.Add([]byte(`[]`))
	f.Add([]byte(`{"a":`))
	f.Fuzz(func(t *testing.T, body []byte) {
		d, err := Decode(body)
		if err != nil {
			var e *oms.Error
			if !errors.As(err, &e) || e.Code != oms.EINVALID || len(e.Fields) == 0 {
				t.Fatalf("error %v is not an EINVALID naming a field", err)
			}
			return
		}
		if err := d.Validate(); err != nil {
			t.Fatalf("decoded draft fails validation: %v", err)
		}
		o, err := d.NewOrder(time.Now())
		if err != nil {
			t.Fatalf("NewOrder: %v", err)
		}
		var sub, disc, tax int64
		for _, l := range o.Lines {
			if !l.Balanced() || l.Open != l.Quantity {
				t.Fatalf("line not balanced: %+v", l)
			}
			sub += l.Quantity * l.UnitPrice
			disc += l.Discount
			tax += l.Tax
		}
		tax += d.ShippingTax
		want := sub - disc + d.ShippingPrice + d.Duties
		if !d.TaxesIncluded {
			want += tax
		}
		if o.Subtotal != sub || o.DiscountTotal != disc || o.TaxTotal != tax || o.DutiesTotal != d.Duties || o.Total != want {
			t.Fatalf("totals %+v, want subtotal %d discount %d tax %d total %d", o.Totals, sub, disc, tax, want)
		}
	})
}

// benchOrder is a typical web order: a customer, a ship-to address, three
// lines and shipping.
var benchOrder = []byte(`{"channel":"web","external_id":"W-100234","currency":"USD",
	"customer":{"email":"ann.lee@example.com","name":"Ann Lee","phone":"+1 555 0100","external_id":"c-77"},
	"ship_to":{"name":"Ann Lee","line1":"1 Main St","line2":"Apt 4","city":"Springfield","region":"IL","postal_code":"62701","country":"US","phone":"+1 555 0100"},
	"lines":[{"sku":"TEE-BLK-M","quantity":2,"unit_price":1999,"discount":200},
		{"sku":"MUG-WHT","quantity":1,"unit_price":1250},
		{"sku":"CAP-RED","quantity":3,"unit_price":899,"tax":0}],
	"shipping_price":499,"placed_at":"2026-03-01T10:00:00Z"}`)

// BenchmarkDecodeOrder decodes and validates a typical order body, as
// placement does on every POST /v1/orders.
func BenchmarkDecodeOrder(b *testing.B) {
	b.ReportAllocs()
	b.SetBytes(int64(len(benchOrder)))
	for b.Loop() {
		if _, err := Decode(benchOrder); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCheckOrder times the walk alone over a typical order body: the
// part of BenchmarkDecodeOrder the walk adds to encoding/json's decoding.
func BenchmarkCheckOrder(b *testing.B) {
	typ := reflect.TypeFor[OrderRequest]()
	b.ReportAllocs()
	b.SetBytes(int64(len(benchOrder)))
	for b.Loop() {
		if p, err := decode.Check(benchOrder, typ); err != nil || p != nil {
			b.Fatal(p, err)
		}
	}
}
