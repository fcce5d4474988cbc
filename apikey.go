package oms

import "time"

// Role is what an API key may do. Each route names the permission it needs and
// Allows says which roles hold it.
type Role string

// The roles, from most to least powerful.
const (
	RoleAdmin     Role = "admin"     // everything, including API keys
	RoleManager   Role = "manager"   // catalog, channels, locations, stock and orders
	RoleAgent     Role = "agent"     // customer service: read everything, cancel orders
	RoleWarehouse Role = "warehouse" // stock movements, read orders
	RoleChannel   Role = "channel"   // a sales channel's integration: place and read orders
)

// Roles lists every role.
var Roles = []Role{RoleAdmin, RoleManager, RoleAgent, RoleWarehouse, RoleChannel}

// Valid reports whether r is a known role.
func (r Role) Valid() bool {
	for _, v := range Roles {
		if r == v {
			return true
		}
	}
	return false
}

// Permission is one kind of action a route performs.
type Permission string

// The permissions routes ask for.
const (
	PermCatalogRead    Permission = "catalog:read"       // channels, locations, items
	PermCatalogWrite   Permission = "catalog:write"      // create or change channels, locations, items
	PermInventoryRead  Permission = "inventory:read"     // balances and the ledger
	PermInventoryWrite Permission = "inventory:write"    // stock adjustments
	PermOrderRead      Permission = "orders:read"        // orders and their timelines
	PermOrderCreate    Permission = "orders:create"      // place orders
	PermOrderCancel    Permission = "orders:cancel"      // cancel orders or lines
	PermAPIKeyManage   Permission = "apikeys:manage"     // create and revoke API keys
	PermOrderHold      Permission = "orders:hold"        // put orders on hold and release them
	PermFulfillRead    Permission = "fulfillments:read"  // fulfillments and pick lists
	PermFulfillWrite   Permission = "fulfillments:write" // pick, pack, ship, hand over, reject
	PermServiceRead    Permission = "service:read"       // cases and internal notes
	PermServiceWrite   Permission = "service:write"      // open and answer cases, write notes
	PermOrderEdit      Permission = "orders:edit"        // change lines, quantities and the ship-to before fulfillment
	PermReturnRead     Permission = "returns:read"       // returns and refunds
	PermReturnWrite    Permission = "returns:write"      // start, approve and reject returns; return links
	PermReturnReceive  Permission = "returns:receive"    // receive returned units into stock or scrap
	PermRefundWrite    Permission = "refunds:write"      // refund (agents up to their limit), close returns
	PermCustomerRead   Permission = "customers:read"     // customers, their contact details and history
	PermSearch         Permission = "search"             // the search box over orders (and customers, with customers:read)
	PermReportRead     Permission = "reports:read"       // reports: sales, margins, stock, fulfillment, returns (management figures: not agents)
	// What a sales channel's integration needs to read without the rest:
	// its availability feed; and what it does not: the settings behind
	// sourcing, screening, tax and exchange rates, and what stock cost.
	PermAvailabilityRead Permission = "availability:read" // a channel's availability feed
	PermSettingsRead     Permission = "settings:read"     // fulfillment, screening and currency settings, tax rules, exchange rates
	PermCostRead         Permission = "costs:read"        // unit costs and stock value, wherever they are shown (exports included)
)

var grants = map[Role][]Permission{
	RoleManager: {PermCatalogRead, PermCatalogWrite, PermInventoryRead, PermInventoryWrite,
		PermOrderRead, PermOrderCreate, PermOrderCancel, PermOrderHold, PermFulfillRead, PermFulfillWrite,
		PermServiceRead, PermServiceWrite, PermOrderEdit, PermReturnRead, PermReturnWrite, PermReturnReceive, PermRefundWrite,
		PermCustomerRead, PermSearch, PermReportRead, PermAvailabilityRead, PermSettingsRead, PermCostRead},
	// Agents serve customers one order at a time; the business's figures
	// (sales, costs, margins) are for managers, so agents hold no
	// reports:read.
	RoleAgent: {PermCatalogRead, PermInventoryRead, PermOrderRead, PermOrderCancel, PermOrderHold, PermFulfillRead,
		PermServiceRead, PermServiceWrite, PermOrderEdit, PermReturnRead, PermReturnWrite, PermRefundWrite,
		PermCustomerRead, PermSearch, PermAvailabilityRead, PermSettingsRead},
	// Warehouse staff find an order to ship by its number or tracking, but
	// do not browse customers.
	RoleWarehouse: {PermCatalogRead, PermInventoryRead, PermInventoryWrite, PermOrderRead, PermFulfillRead, PermFulfillWrite,
		PermReturnRead, PermReturnReceive, PermSearch, PermAvailabilityRead, PermSettingsRead},
	// A channel's integration places and reads its own orders and reads
	// what it sells: items (without costs) and its availability feed; not
	// raw stock, supply or the business's settings.
	RoleChannel: {PermCatalogRead, PermAvailabilityRead, PermOrderRead, PermOrderCreate},
}

// Allows reports whether the role holds the permission. Admin holds every one.
func (r Role) Allows(p Permission) bool {
	if r == RoleAdmin {
		return true
	}
	for _, g := range grants[r] {
		if g == p {
			return true
		}
	}
	return false
}

// APIKey is a credential. Only a hash of the secret is stored; the secret is
// shown once, when the key is created.
type APIKey struct {
	ID        string    `json:"id"`
	Name      string    `json:"name"`
	Role      Role      `json:"role"`
	Prefix    string    `json:"prefix"` // the first characters of the secret, to recognise a key
	CreatedAt time.Time `json:"created_at"`
	// LastUsedAt is when the key last authenticated a request, to the
	// minute; absent when it never did.
	LastUsedAt *time.Time `json:"last_used_at,omitempty"`
	// RotatedAt is when the key's secret was last replaced.
	RotatedAt *time.Time `json:"rotated_at,omitempty"`
	// PreviousExpiresAt is when the secret the last rotation replaced stops
	// working; absent once it has.
	PreviousExpiresAt *time.Time `json:"previous_secret_expires_at,omitempty"`
	// Channels are the channel codes a channel key acts for; Locations the
	// location codes a warehouse key is bound to (none: every location).
	Channels  []string `json:"channels,omitempty"`
	Locations []string `json:"locations,omitempty"`
}

// Principal returns who the key is, for authorization.
func (k APIKey) Principal() Principal {
	return Principal{KeyID: k.ID, Name: k.Name, Role: k.Role, Channels: k.Channels, Locations: k.Locations}
}
