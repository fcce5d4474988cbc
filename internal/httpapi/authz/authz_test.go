package authz

import (
	"slices"
	"strings"
	"testing"

	"github.com/omshq/oms"
)

// TestBoundOf: a path naming an order limits both kinds of bound key, a
// location's path only keys bound to locations, and a listed route as the
// table says; others limit none, and say nothing in the document.
func TestBoundOf(t *testing.T) {
	cases := []struct {
		method, path string
		want         Bound
	}{
		{"GET", "/v1/orders/{id}/events", Bound{Channel: true, Location: true}},
		{"PUT", "/v1/locations/{code}/inventory/{sku}", Bound{Location: true}},
		{"PUT", "/v1/channels/{code}", Bound{Channel: true}},
		{"GET", "/v1/exports/ledger", Bound{Location: true}},
		{"GET", "/v1/items", Bound{}},
	}
	for _, c := range cases {
		if got := BoundOf(c.method, c.path); got != c.want {
			t.Errorf("%s %s: %+v, want %+v", c.method, c.path, got, c.want)
		}
		if note := BoundNote(c.method, c.path); (note == "") != (c.want == Bound{}) {
			t.Errorf("%s %s: note %q", c.method, c.path, note)
		}
	}
}

// TestShown: a warehouse key sees no costs and no customer contact
// details, in orders, items, exports and events; an admin sees all.
func TestShown(t *testing.T) {
	wh, admin := oms.Principal{Role: oms.RoleWarehouse}, oms.Principal{Role: oms.RoleAdmin}
	o := &oms.Order{Customer: oms.Customer{Email: "a@example.com"}, Billing: &oms.Address{City: "Oslo"}}
	if got := OrderFor(wh, o); got.Customer.Email != "" || got.Billing != nil || o.Customer.Email == "" {
		t.Errorf("warehouse order: %+v (the original must be kept: %+v)", got.Customer, o.Customer)
	}
	if got := OrderFor(admin, o); got != o {
		t.Error("admin order changed")
	}
	if v := ItemFor(wh, oms.Item{UnitCost: 250}); v.UnitCost != nil {
		t.Errorf("warehouse item cost %d", *v.UnitCost)
	}
	if v := ItemFor(admin, oms.Item{UnitCost: 250}); v.UnitCost == nil || *v.UnitCost != 250 {
		t.Errorf("admin item cost %v", v.UnitCost)
	}
	header := []string{"sku", "unit_cost", "customer_email", "quantity"}
	if got := Pick(header, KeptColumns(wh, header)); !slices.Equal(got, []string{"sku", "quantity"}) {
		t.Errorf("warehouse columns %v", got)
	}
	if err := SearchableBy(wh, " a@example.com "); oms.ErrorCode(err) != oms.EFORBIDDEN {
		t.Errorf("warehouse search by email: %v", err)
	}
	if err := SearchableBy(wh, "SO-1001"); err != nil {
		t.Errorf("warehouse search by number: %v", err)
	}
	es := []oms.Event{{Data: []byte(`{"lines":[{"sku":"A","unit_cost":12345678901234567890}],"customer":{"email":"a@example.com"},"total":10}`)}}
	got := string(EventsFor(wh, es)[0].Data)
	if strings.Contains(got, "unit_cost") || strings.Contains(got, "customer") || !strings.Contains(got, `"total":10`) {
		t.Errorf("warehouse event data %s", got)
	}
}
