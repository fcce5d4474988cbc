package oms

import (
	"reflect"
	"slices"
	"testing"
)

func TestOrderMovedEvent(t *testing.T) {
	for _, c := range []struct {
		from, to Status
		pickup   bool
		want     string
	}{
		{StatusPending, StatusBackordered, false, EventOrderBackordered},
		{StatusAllocated, StatusBackordered, false, EventOrderBackordered}, // a rejection left units waiting
		{StatusOnHold, StatusBackordered, false, ""},                       // order.released says it
		{StatusBackordered, StatusAllocated, false, EventOrderAllocated},
		{StatusOnHold, StatusAllocated, false, ""},
		{StatusPartiallyShipped, StatusAllocated, false, ""},
		{StatusAllocated, StatusShipped, false, EventOrderShipped},
		{StatusPartiallyShipped, StatusShipped, false, EventOrderShipped},
		{StatusShipped, StatusDelivered, false, EventOrderDelivered},
		{StatusReadyForPickup, StatusDelivered, true, EventOrderPickedUp},
		{StatusAllocated, StatusAllocated, false, ""},
		{StatusAllocated, StatusCancelled, false, ""}, // order.cancelled says it
	} {
		typ, data, ok := OrderMoved{Previous: c.from, Status: c.to}.Event(c.pickup)
		if typ != c.want || ok != (c.want != "") {
			t.Errorf("%s → %s (pickup %v): %q %v, want %q", c.from, c.to, c.pickup, typ, ok, c.want)
			continue
		}
		if ok {
			if pt, _ := PayloadType(typ); pt == nil || pt.Name() == "" || pt != reflect.TypeOf(data) {
				t.Errorf("%s: data of type %T, payload type %v", typ, data, pt)
			}
		}
	}
}

func TestStockThresholdEvents(t *testing.T) {
	for _, c := range []struct {
		prev, now int64
		want      []string
	}{
		{0, 10, []string{EventInventoryBackInStock}},
		{0, 3, []string{EventInventoryBackInStock}}, // low_stock is for falling to the threshold
		{10, 6, nil},
		{10, 5, []string{EventInventoryLowStock}},
		{5, 4, nil}, // low already
		{4, 0, []string{EventInventoryOutOfStock}},
		{10, 0, []string{EventInventoryOutOfStock}},
		{0, 0, nil},
		{3, 8, nil},
	} {
		got, data := StockThreshold{Previous: c.prev, Available: c.now, LowStock: 5}.Events()
		if !slices.Equal(got, c.want) || len(data) != len(got) {
			t.Errorf("%d → %d: %v, want %v", c.prev, c.now, got, c.want)
		}
	}
	if got, _ := (StockThreshold{Previous: 10, Available: 1}).Events(); got != nil {
		t.Errorf("low_stock 0 wrote %v", got)
	}
}
