package oms_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/omshq/oms"
)

func TestPrincipalScope(t *testing.T) {
	tests := []struct {
		name                      string
		p                         oms.Principal
		channelBound, locBound    bool
		seesWeb, seesB2B, seesWh1 bool
		seesWh2                   bool
	}{
		{"an admin", oms.Principal{Role: oms.RoleAdmin}, false, false, true, true, true, true},
		{"an unbound warehouse key", oms.Principal{Role: oms.RoleWarehouse}, false, false, true, true, true, true},
		{"a warehouse key at wh1", oms.Principal{Role: oms.RoleWarehouse, Locations: []string{"wh1"}}, false, true, true, true, true, false},
		{"a channel key for web", oms.Principal{Role: oms.RoleChannel, Channels: []string{"web"}}, true, false, true, false, true, true},
		{"a channel key for none", oms.Principal{Role: oms.RoleChannel}, true, false, false, false, true, true},
		{"oms itself", oms.Principal{}, false, false, true, true, true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := tt.p
			if p.ChannelBound() != tt.channelBound || p.LocationBound() != tt.locBound || p.Bound() != (tt.channelBound || tt.locBound) {
				t.Errorf("bound: channels %v, locations %v", p.ChannelBound(), p.LocationBound())
			}
			if p.CanSeeChannel("web") != tt.seesWeb || p.CanSeeChannel("b2b") != tt.seesB2B ||
				p.CanSeeLocation("wh1") != tt.seesWh1 || p.CanSeeLocation("wh2") != tt.seesWh2 {
				t.Errorf("sees web %v, b2b %v, wh1 %v, wh2 %v", p.CanSeeChannel("web"), p.CanSeeChannel("b2b"),
					p.CanSeeLocation("wh1"), p.CanSeeLocation("wh2"))
			}
			if err := p.ActFor("channel", "b2b"); (err == nil) != tt.seesB2B {
				t.Errorf("ActFor b2b: %v", err)
			} else if err != nil {
				if e := err.(*oms.Error); e.Code != oms.EFORBIDDEN || e.Fields[0].Field != "channel" {
					t.Errorf("ActFor b2b: %+v", e)
				}
			}
			if err := p.WorkAt("units[0].location", "wh2"); (err == nil) != tt.seesWh2 {
				t.Errorf("WorkAt wh2: %v", err)
			} else if err != nil && err.(*oms.Error).Fields[0].Field != "units[0].location" {
				t.Errorf("WorkAt wh2: %+v", err)
			}
		})
	}
}

// TestWhoSeesWhat: costs are the managers'; contact details go with
// customers:read; the ship-to also with shipping.
func TestWhoSeesWhat(t *testing.T) {
	for _, tt := range []struct {
		role                      oms.Role
		costs, customers, shipsTo bool
	}{
		{oms.RoleAdmin, true, true, true},
		{oms.RoleManager, true, true, true},
		{oms.RoleAgent, false, true, true},
		{oms.RoleWarehouse, false, false, true},
		{oms.RoleChannel, false, false, false},
	} {
		p := oms.Principal{Role: tt.role}
		if p.SeesCosts() != tt.costs || p.SeesCustomers() != tt.customers || p.SeesShipTo() != tt.shipsTo {
			t.Errorf("%s: costs %v, customers %v, ship-to %v", tt.role, p.SeesCosts(), p.SeesCustomers(), p.SeesShipTo())
		}
	}
	// Reports show costs and margins: whoever reads them reads costs.
	for _, r := range oms.Roles {
		if r.Allows(oms.PermReportRead) && !r.Allows(oms.PermCostRead) {
			t.Errorf("%s reads reports but not costs", r)
		}
	}
}

func TestCheckKeyScope(t *testing.T) {
	for _, tt := range []struct {
		name                string
		role                oms.Role
		channels, locations []string
		wantFields          []string
		wantChannels        []string
	}{
		{"a channel key names its channels", oms.RoleChannel, []string{"web", "b2b", "web"}, nil, nil, []string{"b2b", "web"}},
		{"a channel key without channels", oms.RoleChannel, nil, nil, []string{"channels"}, nil},
		{"a bad code", oms.RoleChannel, []string{"web", " x"}, nil, []string{"channels[1]"}, nil},
		{"an agent key with channels", oms.RoleAgent, []string{"web"}, nil, []string{"channels"}, nil},
		{"a manager key with locations", oms.RoleManager, nil, []string{"wh1"}, []string{"locations"}, nil},
		{"a warehouse key with locations", oms.RoleWarehouse, nil, []string{"wh1"}, nil, nil},
		{"a warehouse key without", oms.RoleWarehouse, nil, nil, nil, nil},
		{"too many", oms.RoleWarehouse, nil, slices.Repeat([]string{"a"}, oms.MaxKeyScope+1), []string{"locations"}, nil},
	} {
		var p oms.Problems
		channels, _ := oms.CheckKeyScope(&p, tt.role, tt.channels, tt.locations)
		var got []string
		for _, f := range p {
			got = append(got, f.Field)
		}
		if !slices.Equal(got, tt.wantFields) || len(p) == 0 && !slices.Equal(channels, tt.wantChannels) {
			t.Errorf("%s: problems %v, channels %v; want %v, %v", tt.name, p, channels, tt.wantFields, tt.wantChannels)
		}
	}
}

// TestEventPermission: every event type oms writes is read under a
// permission of its own kind; API key events by admins only.
func TestEventPermission(t *testing.T) {
	f, err := parser.ParseFile(token.NewFileSet(), "event.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	var types []string
	ast.Inspect(f, func(n ast.Node) bool {
		if vs, ok := n.(*ast.ValueSpec); ok && len(vs.Values) == 1 && strings.HasPrefix(vs.Names[0].Name, "Event") {
			if lit, ok := vs.Values[0].(*ast.BasicLit); ok && lit.Kind == token.STRING {
				s, _ := strconv.Unquote(lit.Value)
				types = append(types, s)
			}
		}
		return true
	})
	if len(types) < 30 {
		t.Fatalf("found %d event types in event.go", len(types))
	}
	types = append(types, "fulfillment.shipped", "fulfillment.picked_up")
	for _, typ := range types {
		perm := oms.EventPermission(typ)
		if (perm == oms.PermAPIKeyManage) != strings.HasPrefix(typ, "api_key.") {
			t.Errorf("%s is read with %s: give it a reader in EventReaders", typ, perm)
		}
	}
	for typ, want := range map[string]oms.Permission{
		oms.EventOrderCreated: oms.PermOrderRead, oms.EventAvailabilityChanged: oms.PermAvailabilityRead,
		oms.EventInventoryAdjusted: oms.PermInventoryRead, oms.EventNoteAdded: oms.PermServiceRead,
		oms.EventRefundCreated: oms.PermReturnRead, oms.EventTaxRuleSaved: oms.PermSettingsRead, "something.new": oms.PermAPIKeyManage,
	} {
		if got := oms.EventPermission(typ); got != want {
			t.Errorf("%s is read with %s, want %s", typ, got, want)
		}
	}
}

func TestPrincipalActor(t *testing.T) {
	for _, c := range []struct {
		p    oms.Principal
		want string
	}{
		{oms.APIKey{ID: "key_1", Name: "shop", Role: oms.RoleChannel}.Principal(), "api_key:key_1:shop"},
		{oms.Principal{KeyID: "key_2", Role: oms.RoleAdmin}, "api_key:key_2:"},
		{oms.System("cli"), "cli"},
		{oms.Principal{Name: "agent:sam", Role: oms.RoleAgent}, "agent:sam"},
		{oms.Principal{}, "anonymous"},
	} {
		if got := c.p.Actor(); got != c.want {
			t.Errorf("%+v: Actor %q, want %q", c.p, got, c.want)
		}
	}
	if p := oms.System("cli"); p.Bound() || p.Role != "" {
		t.Errorf("System principal %+v: bound or with a role", p)
	}
}
