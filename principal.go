package oms

import (
	"fmt"
	"slices"
	"strings"
)

// Principal is who acts: an API key (its id and name) or a person signed
// in to the console (a user's id and name), its role, and what it is bound
// to. Every service method that changes something takes the
// principal it acts for, and records its Actor on the events and the
// ledger. A key bound to channels acts for those channels only, and a
// key bound to locations works at those locations only: lists hold only
// what is theirs, anything else asked for by id is not found, and a write
// into another channel or location is forbidden. The zero Principal is
// bound to nothing and holds no permission: oms's own callers (the command
// line, the store's tests) see everything.
type Principal struct {
	KeyID  string // the API key's id, for a key
	UserID string // the user's id, for a person
	// Name is the key's name or the person's; for oms's own callers, which
	// have neither, the name they act under (see System).
	Name      string
	Role      Role
	Channels  []string // the channel codes a channel key acts for; a channel key is always bound, to none when empty
	Locations []string // the location codes a bound key works at; empty: every location
}

// System returns the principal of one of oms's own callers — the command
// line, a background job, a test — acting under name: bound to nothing,
// with no role.
func System(name string) Principal { return Principal{Name: name} }

// Actor is the text that names the principal on events and the ledger:
// "api_key:<id>:<name>" for a key, "user:<id>:<name> (<role>)" for a
// person signed in to the console, the name of one of oms's own callers,
// "anonymous" for nobody.
func (p Principal) Actor() string {
	switch {
	case p.UserID != "":
		return "user:" + p.UserID + ":" + p.Name + " (" + string(p.Role) + ")"
	case p.KeyID != "":
		return "api_key:" + p.KeyID + ":" + p.Name
	case p.Name != "":
		return p.Name
	}
	return "anonymous"
}

// Allows reports whether the principal's role holds the permission.
func (p Principal) Allows(perm Permission) bool { return p.Role.Allows(perm) }

// ChannelBound reports whether the principal acts for some channels only.
// A channel key always does.
func (p Principal) ChannelBound() bool { return p.Role == RoleChannel || len(p.Channels) > 0 }

// LocationBound reports whether the principal works at some locations only.
func (p Principal) LocationBound() bool { return len(p.Locations) > 0 }

// Bound reports whether the principal is bound to channels or locations.
func (p Principal) Bound() bool { return p.ChannelBound() || p.LocationBound() }

// CanSeeChannel reports whether the principal may act on the channel and
// its orders.
func (p Principal) CanSeeChannel(code string) bool {
	return !p.ChannelBound() || slices.Contains(p.Channels, code)
}

// CanSeeLocation reports whether the principal may see and move the stock
// and fulfillments of the location.
func (p Principal) CanSeeLocation(code string) bool {
	return !p.LocationBound() || slices.Contains(p.Locations, code)
}

// SeesCosts reports whether unit costs and stock value are shown to the
// principal.
func (p Principal) SeesCosts() bool { return p.Allows(PermCostRead) }

// SeesCustomers reports whether the customer's contact details — email,
// name, phone, billing address — are shown to the principal in orders, as
// in the customer records themselves.
func (p Principal) SeesCustomers() bool { return p.Allows(PermCustomerRead) }

// SeesShipTo reports whether an order's ship-to address is shown to the
// principal: to those who read customers, and to those who ship.
func (p Principal) SeesShipTo() bool { return p.SeesCustomers() || p.Allows(PermFulfillWrite) }

// MaxKeyScope bounds the channels or locations one key is bound to.
const MaxKeyScope = 100

// CheckKeyScope checks what a key of the role is bound to, recording each
// problem under channels or locations (channels[1] for one code): a channel
// key names one or more channels, and only it; only a warehouse key may
// name locations. It returns the codes sorted, each once.
func CheckKeyScope(p *Problems, role Role, channels, locations []string) ([]string, []string) {
	switch {
	case role == RoleChannel && len(channels) == 0:
		p.Add("channels", "is required for a channel key: the codes of the channels it acts for, one or more")
	case role != RoleChannel && len(channels) > 0:
		p.Add("channels", "binds a channel key only, not a %s key", role)
	}
	if role != RoleWarehouse && len(locations) > 0 {
		p.Add("locations", "binds a warehouse key only, not a %s key", role)
	}
	return scopeCodes(p, "channels", channels), scopeCodes(p, "locations", locations)
}

// scopeCodes checks a list of codes and returns it sorted, each once.
func scopeCodes(p *Problems, field string, codes []string) []string {
	if len(codes) > MaxKeyScope {
		p.Add(field, "names at most %d codes, not %d", MaxKeyScope, len(codes))
		return nil
	}
	for i, c := range codes {
		checkCode(p, fmt.Sprintf("%s[%d]", field, i), c)
	}
	out := slices.Clone(codes)
	slices.Sort(out)
	return slices.Compact(out)
}

// EventReader says which permission reads the events whose type starts
// with Prefix in the event stream.
type EventReader struct {
	Prefix string
	Perm   Permission
}

// EventReaders lists who reads each kind of event, the first matching
// prefix deciding. An event of a type none matches is read by admins only,
// as are API key events. The events of an order are also limited to the
// orders a bound key may see, and stock and availability events to its
// locations and channels.
func EventReaders() []EventReader {
	return []EventReader{
		{"order.", PermOrderRead}, {"fulfillment.", PermOrderRead}, {"exchange.", PermOrderRead},
		{"return_link.", PermReturnRead}, {"return.", PermReturnRead}, {"refund.", PermReturnRead},
		{"note.", PermServiceRead}, {"case.", PermServiceRead},
		{EventAvailabilityChanged, PermAvailabilityRead},
		{"inventory.", PermInventoryRead}, {"supply.", PermInventoryRead}, {"transfer.", PermInventoryRead},
		{"channel.", PermCatalogRead}, {"location.", PermCatalogRead}, {"item.", PermCatalogRead}, {"sku.", PermCatalogRead},
		{"settings.", PermSettingsRead}, {"fx_rates.", PermSettingsRead}, {"tax_rule.", PermSettingsRead},
		{"api_key.", PermAPIKeyManage},
	}
}

// EventPermission returns the permission that reads events of the type.
func EventPermission(typ string) Permission {
	for _, r := range EventReaders() {
		if strings.HasPrefix(typ, r.Prefix) {
			return r.Perm
		}
	}
	return PermAPIKeyManage
}

// KeyScope is what a new API key is bound to (see CheckKeyScope).
type KeyScope struct {
	Channels  []string
	Locations []string
}

// Forbidden returns an EFORBIDDEN error naming the field whose value the
// principal may not act on.
func Forbidden(field, format string, args ...any) *Error {
	return &Error{Code: EFORBIDDEN, Message: "the API key is not bound to the " + field + " the request names",
		Fields: []FieldError{{Field: field, Message: fmt.Sprintf(format, args...)}}}
}

// ActFor returns an EFORBIDDEN error naming field unless the principal may
// act for the channel: place its orders, read them.
func (p Principal) ActFor(field, channel string) error {
	if p.CanSeeChannel(channel) {
		return nil
	}
	return Forbidden(field, "the API key acts for channels %s only, not %q", listOrNone(p.Channels), channel)
}

// WorkAt returns an EFORBIDDEN error naming field unless the principal may
// move stock and fulfillments at the location.
func (p Principal) WorkAt(field, location string) error {
	if p.CanSeeLocation(location) {
		return nil
	}
	return Forbidden(field, "the API key works at locations %s only, not %q", listOrNone(p.Locations), location)
}

func listOrNone(codes []string) string {
	if len(codes) == 0 {
		return "(none)"
	}
	return strings.Join(codes, ", ")
}
