package httpapi

import (
	"bytes"
	"encoding/json"
	"net/http"
	"slices"
	"strings"

	"github.com/omshq/oms"
)

// Object-level authorization. A route's permission says whether a key's
// role may use it at all; then a key bound to channels or locations (see
// oms.Principal) may use it only on what is theirs. What a path names is
// checked here, before the handler runs, for every route under the
// prefixes below — a new route under one is covered without a word; lists
// are filtered by the store in SQL, and what a request body names is
// checked by the handler with Principal.ActFor and WorkAt. Fields a key may
// not read (costs, the customer's contact details) are left out of what it
// is shown, by the functions at the end of this file.

// pathScope is what a route's path names that a bound key may not see.
type pathScope string

const (
	noScope          pathScope = ""
	orderScope       pathScope = "order"       // /v1/orders/{id}…: the order's channel, or its locations
	fulfillmentScope pathScope = "fulfillment" // /v1/fulfillments/{id}…: its location (or pickup store)
	returnScope      pathScope = "return"      // /v1/returns/{id}…: its order's
	supplyScope      pathScope = "supply"      // /v1/supply/{id}…: the location it is due at
	channelScope     pathScope = "channel"     // /v1/channels/{code}…: the channel
	locationScope    pathScope = "location"    // /v1/locations/{code}/…: the location (not the location itself: catalog)
)

// scopedPaths maps path prefixes to what they name, longest first.
var scopedPaths = []struct {
	prefix string
	scope  pathScope
}{
	{"/v1/orders/{id}", orderScope},
	{"/v1/fulfillments/{id}", fulfillmentScope},
	{"/v1/returns/{id}", returnScope},
	{"/v1/supply/{id}", supplyScope},
	{"/v1/channels/{code}", channelScope},
	{"/v1/locations/{code}/", locationScope},
}

// scopeOfPath returns what the route path names.
func scopeOfPath(path string) pathScope {
	for _, s := range scopedPaths {
		if strings.HasPrefix(path, s.prefix) {
			return s.scope
		}
	}
	return noScope
}

// boundScope says how a route limits a key bound to channels, or to
// locations: to what is its own.
type boundScope struct{ channel, location bool }

// boundRoutes are the routes whose path names nothing a bound key could
// not see, but which still limit it: lists hold its own only, and a body
// naming another's channel or location is forbidden.
var boundRoutes = map[string]boundScope{
	"GET /v1/channels":               {channel: true},
	"POST /v1/orders":                {channel: true},
	"POST /v1/sourcing/simulate":     {channel: true},
	"GET /v1/orders":                 {channel: true, location: true},
	"GET /v1/search":                 {channel: true, location: true},
	"GET /v1/events":                 {channel: true, location: true},
	"GET /v1/returns":                {channel: true, location: true},
	"POST /v1/fulfillments/moves":    {channel: true, location: true},
	"GET /v1/exports/orders":         {channel: true, location: true},
	"GET /v1/exports/order-lines":    {channel: true, location: true},
	"GET /v1/exports/inventory":      {location: true},
	"GET /v1/exports/ledger":         {location: true},
	"GET /v1/inventory":              {location: true},
	"GET /v1/inventory/{sku}":        {location: true},
	"GET /v1/inventory/{sku}/ledger": {location: true},
	"POST /v1/inventory/adjustments": {location: true},
	"GET /v1/supply":                 {location: true},
	"POST /v1/supply":                {location: true},
	"POST /v1/transfers":             {location: true},
}

// scopeOf returns how the route limits a bound key.
func scopeOf(rt route) boundScope {
	switch scopeOfPath(rt.path) {
	case orderScope, fulfillmentScope, returnScope:
		return boundScope{channel: true, location: true}
	case supplyScope, locationScope:
		return boundScope{location: true}
	case channelScope:
		return boundScope{channel: true}
	}
	return boundRoutes[rt.method+" "+rt.path]
}

// boundNote says, for the OpenAPI document, how the route limits a bound
// key; "" when it does not.
func boundNote(rt route) string {
	sc := scopeOf(rt)
	var who []string
	if sc.channel {
		who = append(who, "a channel key to its own channels' orders and settings")
	}
	if sc.location {
		who = append(who, "a key bound to locations to the stock, fulfillments and orders of its own locations")
	}
	if len(who) == 0 {
		return ""
	}
	return "Limits " + strings.Join(who, ", and ") + ": lists hold its own only, anything else the path names is " +
		"not found (404), and a channel or location of another's that the request names is forbidden (403, naming it)."
}

// viewer returns who makes the request; the zero Principal when no key
// was needed.
func viewer(r *http.Request) oms.Principal { return principal(r).Principal() }

// authorizePath returns ENOTFOUND when the route's path names an object the
// key may not see; for a channel or location code named by a write,
// EFORBIDDEN naming it (placing an order into another channel is
// forbidden, not unknown).
func (s *Server) authorizePath(r *http.Request, rt route) error {
	p := viewer(r)
	if !p.Bound() {
		return nil
	}
	ctx := r.Context()
	switch scopeOfPath(rt.path) {
	case orderScope:
		return s.svc.Orders.AuthorizeOrder(ctx, p, r.PathValue("id"))
	case fulfillmentScope:
		return s.svc.Fulfillments.AuthorizeFulfillment(ctx, p, r.PathValue("id"))
	case returnScope:
		return s.svc.Returns.AuthorizeReturn(ctx, p, r.PathValue("id"))
	case supplyScope:
		id, err := supplyID(r)
		if err != nil {
			return err
		}
		return s.svc.Inventory.AuthorizeSupply(ctx, p, id)
	case channelScope:
		code := r.PathValue("code")
		if p.CanSeeChannel(code) {
			return nil
		} else if r.Method != http.MethodGet {
			return p.ActFor("channel", code)
		}
		return oms.Errorf(oms.ENOTFOUND, "channel %q does not exist", code)
	case locationScope:
		code := r.PathValue("code")
		if p.CanSeeLocation(code) {
			return nil
		} else if r.Method != http.MethodGet {
			return p.WorkAt("location", code)
		}
		return oms.Errorf(oms.ENOTFOUND, "location %q does not exist", code)
	}
	return nil
}

// orderFor returns the order as p may see it: without the customer's
// contact details and billing address unless it reads customers, and
// without the ship-to unless it reads customers or ships.
func orderFor(p oms.Principal, o *oms.Order) *oms.Order {
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

// searchableBy returns EFORBIDDEN naming q when q is an email or a phone
// number and p may not read customers: such a search would tell whether
// the customer has orders. Other searches by such a key look at order
// numbers, external ids and tracking numbers only.
func searchableBy(p oms.Principal, q string) error {
	q = strings.TrimSpace(q)
	if p.SeesCustomers() || q == "" || !strings.Contains(q, "@") && !strings.HasPrefix(q, "+") {
		return nil
	}
	return oms.Forbidden("q", "searching by the customer's email or phone needs the permission %s", oms.PermCustomerRead)
}

// itemView is an item as a key sees it: its unit cost only for keys that
// read costs.
type itemView struct {
	oms.Item
	UnitCost *int64 `json:"unit_cost,omitempty"` // minor units of currency; admin and manager keys only
}

func itemFor(p oms.Principal, it oms.Item) itemView {
	v := itemView{Item: it}
	if p.SeesCosts() {
		v.UnitCost = &it.UnitCost
	}
	return v
}

// hiddenColumns are the export columns a key may not read: costs, and the
// customer's contact details.
func hiddenColumns(p oms.Principal) []string {
	var out []string
	if !p.SeesCosts() {
		out = append(out, "unit_cost", "stock_value")
	}
	if !p.SeesCustomers() {
		out = append(out, "customer_email", "customer_name")
	}
	return out
}

// keptColumns returns the indexes of the header's columns p may read.
func keptColumns(p oms.Principal, header []string) []int {
	hidden := hiddenColumns(p)
	var keep []int
	for i, h := range header {
		if !slices.Contains(hidden, h) {
			keep = append(keep, i)
		}
	}
	return keep
}

// pick returns the values of row at the indexes.
func pick(row []string, idx []int) []string {
	out := make([]string, len(idx))
	for i, j := range idx {
		out[i] = row[j]
	}
	return out
}

// hiddenKeys are the keys of event data a key may not read, at any depth.
func hiddenKeys(p oms.Principal) []string {
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

// eventsFor returns the events with the data p may not read taken out.
func eventsFor(p oms.Principal, es []oms.Event) []oms.Event {
	hidden := hiddenKeys(p)
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
