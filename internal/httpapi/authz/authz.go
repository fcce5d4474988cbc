// Package authz is the API's object-level authorization as data and pure
// functions: what a route's path names that a key bound to channels or
// locations may not see, how each route limits such a key, and what of an
// order, an item, an export or an event a key is shown.
package authz

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"

	"github.com/omshq/oms"
)

// Object-level authorization. A route's permission says whether a key's
// role may use it at all; then a key bound to channels or locations (see
// oms.Principal) may use it only on what is theirs. What a path names is
// checked by the server, before the handler runs, for every route under the
// prefixes below (see ScopeOfPath) — a new route under one is covered
// without a word; lists are filtered by the store in SQL, and what a
// request body names is checked by the handler with Principal.ActFor and
// WorkAt. Fields a key may not read (costs, the customer's contact details)
// are left out of what it is shown, by the functions at the end of this
// file.

// Scope is what a route's path names that a bound key may not see.
type Scope string

// The scopes a path may name.
const (
	NoScope          Scope = ""
	OrderScope       Scope = "order"       // /v1/orders/{id}…: the order's channel, or its locations
	FulfillmentScope Scope = "fulfillment" // /v1/fulfillments/{id}…: its location (or pickup store)
	ReturnScope      Scope = "return"      // /v1/returns/{id}…: its order's
	SupplyScope      Scope = "supply"      // /v1/supply/{id}…: the location it is due at
	ChannelScope     Scope = "channel"     // /v1/channels/{code}…: the channel
	LocationScope    Scope = "location"    // /v1/locations/{code}/…: the location (not the location itself: catalog)
)

// scopedPaths maps path prefixes to what they name, longest first.
var scopedPaths = []struct {
	prefix string
	scope  Scope
}{
	{"/v1/orders/{id}", OrderScope},
	{"/v1/fulfillments/{id}", FulfillmentScope},
	{"/v1/returns/{id}", ReturnScope},
	{"/v1/supply/{id}", SupplyScope},
	{"/v1/channels/{code}", ChannelScope},
	{"/v1/locations/{code}/", LocationScope},
}

// ScopeOfPath returns what the route path names.
func ScopeOfPath(path string) Scope {
	for _, s := range scopedPaths {
		if strings.HasPrefix(path, s.prefix) {
			return s.scope
		}
	}
	return NoScope
}

// Bound says how a route limits a key bound to channels, or to
// locations: to what is its own.
type Bound struct{ Channel, Location bool }

// boundRoutes are the routes whose path names nothing a bound key could
// not see, but which still limit it: lists hold its own only, and a body
// naming another's channel or location is forbidden.
var boundRoutes = map[string]Bound{
	"GET /v1/channels":                     {Channel: true},
	"POST /v1/orders":                      {Channel: true},
	"POST /v1/sourcing/simulate":           {Channel: true},
	"GET /v1/orders":                       {Channel: true, Location: true},
	"GET /v1/search":                       {Channel: true, Location: true},
	"GET /v1/events":                       {Channel: true, Location: true},
	"GET /v1/returns":                      {Channel: true, Location: true},
	"POST /v1/fulfillments/moves":          {Channel: true, Location: true},
	"GET /v1/exports/orders":               {Channel: true, Location: true},
	"GET /v1/exports/order-lines":          {Channel: true, Location: true},
	"GET /v1/exports/inventory":            {Location: true},
	"GET /v1/exports/ledger":               {Location: true},
	"GET /v1/inventory":                    {Location: true},
	"GET /v1/inventory/{sku}":              {Location: true},
	"GET /v1/inventory/{sku}/ledger":       {Location: true},
	"POST /v1/inventory/adjustments":       {Location: true},
	"PUT /v1/inventory/{sku}/safety-stock": {Location: true},
	"GET /v1/supply":                       {Location: true},
	"POST /v1/supply":                      {Location: true},
	"POST /v1/transfers":                   {Location: true},
}

// BoundOf returns how the route, by its method and path pattern, limits a
// bound key.
func BoundOf(method, path string) Bound {
	switch ScopeOfPath(path) {
	case OrderScope, FulfillmentScope, ReturnScope:
		return Bound{Channel: true, Location: true}
	case SupplyScope, LocationScope:
		return Bound{Location: true}
	case ChannelScope:
		return Bound{Channel: true}
	}
	return boundRoutes[method+" "+path]
}

// BoundNote says, for the OpenAPI document, how the route limits a bound
// key; "" when it does not.
func BoundNote(method, path string) string {
	sc := BoundOf(method, path)
	var who []string
	if sc.Channel {
		who = append(who, "a channel key to its own channels' orders and settings")
	}
	if sc.Location {
		who = append(who, "a key bound to locations to the stock, fulfillments and orders of its own locations")
	}
	if len(who) == 0 {
		return ""
	}
	return "Limits " + strings.Join(who, ", and ") + ": lists hold its own only, anything else the path names is " +
		"not found (404), and a channel or location of another's that the request names is forbidden (403, naming it)."
}

// OrderFor returns the order as p may see it: without the customer's
// contact details and billing address unless it reads customers, and
// without the ship-to unless it reads customers or ships.
func OrderFor(p oms.Principal, o *oms.Order) *oms.Order {
	if p.SeesCustomers() || o == nil {
		return o
	}
	c := *o
	c.Customer, c.Billing = oms.Customer{}, nil
	if !p.SeesShipTo() {
		c.ShipTo = nil
	}
	return &c
}

// SearchableBy returns EFORBIDDEN naming q when q is an email or a phone
// number and p may not read customers: such a search would tell whether
// the customer has orders. Other searches by such a key look at order
// numbers, external ids and tracking numbers only.
func SearchableBy(p oms.Principal, q string) error {
	q = strings.TrimSpace(q)
	if p.SeesCustomers() || q == "" || !strings.Contains(q, "@") && !strings.HasPrefix(q, "+") {
		return nil
	}
	return oms.Forbidden("q", "searching by the customer's email or phone needs the permission %s", oms.PermCustomerRead)
}

// ItemView is an item as a key sees it: its unit cost only for keys that
// read costs.
type ItemView struct {
	oms.Item
	UnitCost *int64 `json:"unit_cost,omitempty"` // minor units of currency; admin and manager keys only
}

// ItemFor returns the item as p may see it.
func ItemFor(p oms.Principal, it oms.Item) ItemView {
	v := ItemView{Item: it}
	if p.SeesCosts() {
		v.UnitCost = &it.UnitCost
	}
	return v
}

// HiddenColumns are the export columns a key may not read: costs, and the
// customer's contact details.
func HiddenColumns(p oms.Principal) []string {
	var out []string
	if !p.SeesCosts() {
		out = append(out, "unit_cost", "stock_value")
	}
	if !p.SeesCustomers() {
		out = append(out, "customer_email", "customer_name")
	}
	return out
}

// KeptColumns returns the indexes of the header's columns p may read.
func KeptColumns(p oms.Principal, header []string) []int {
	hidden := HiddenColumns(p)
	var keep []int
	for i, h := range header {
		if !slices.Contains(hidden, h) {
			keep = append(keep, i)
		}
	}
	return keep
}

// pick returns the values of row at the indexes.
func Pick(row []string, idx []int) []string {
	out := make([]string, len(idx))
	for i, j := range idx {
		out[i] = row[j]
	}
	return out
}

// HiddenKeys are the keys of event data a key may not read, at any depth.
func HiddenKeys(p oms.Principal) []string {
	var out []string
	if !p.SeesCosts() {
		out = append(out, "unit_cost", "stock_value", "cost_currency")
	}
	if !p.SeesCustomers() {
		out = append(out, "customer", "customer_email", "customer_name", "customer_phone", "email", "phone", "billing")
		if !p.SeesShipTo() {
			out = append(out, "ship_to")
		}
	}
	return out
}

// EventsFor returns the events with the data p may not read taken out.
func EventsFor(p oms.Principal, es []oms.Event) []oms.Event {
	hidden := HiddenKeys(p)
	if len(hidden) == 0 {
		return es
	}
	for i := range es {
		dec := json.NewDecoder(bytes.NewReader(es[i].Data))
		dec.UseNumber() // amounts and ids stay exact
		var v any
		if dec.Decode(&v) != nil {
			continue
		}
		var b bytes.Buffer
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(false)
		if enc.Encode(dropKeys(v, hidden)) == nil {
			es[i].Data = bytes.TrimSuffix(b.Bytes(), []byte("\n"))
		}
	}
	return es
}

// dropKeys removes the keys from every object in v.
func dropKeys(v any, keys []string) any {
	switch t := v.(type) {
	case map[string]any:
		for k, x := range t {
			if slices.Contains(keys, k) {
				delete(t, k)
			} else {
				t[k] = dropKeys(x, keys)
			}
		}
	case []any:
		for i, x := range t {
			t[i] = dropKeys(x, keys)
		}
	}
	return v
}
