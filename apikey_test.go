package oms_test

import (
	"testing"

	"github.com/omshq/oms"
)

// allPermissions lists every permission a route may ask for.
var allPermissions = []oms.Permission{oms.PermCatalogRead, oms.PermCatalogWrite, oms.PermInventoryRead,
	oms.PermInventoryWrite, oms.PermOrderRead, oms.PermOrderCreate, oms.PermOrderCancel, oms.PermAPIKeyManage, oms.PermOrderEdit,
	oms.PermReturnRead, oms.PermReturnWrite, oms.PermReturnReceive, oms.PermRefundWrite,
	oms.PermAvailabilityRead, oms.PermSettingsRead, oms.PermCostRead}

func TestRoleAllows(t *testing.T) {
	tests := []struct {
		name string
		role oms.Role
		perm oms.Permission
		want bool
	}{
		{"admin manages API keys", oms.RoleAdmin, oms.PermAPIKeyManage, true},
		{"admin cancels orders", oms.RoleAdmin, oms.PermOrderCancel, true},
		{"admin holds a permission no list names", oms.RoleAdmin, "reports:read", true},
		{"manager writes the catalog", oms.RoleManager, oms.PermCatalogWrite, true},
		{"manager cancels orders", oms.RoleManager, oms.PermOrderCancel, true},
		{"manager cannot manage API keys", oms.RoleManager, oms.PermAPIKeyManage, false},
		{"channel creates orders", oms.RoleChannel, oms.PermOrderCreate, true},
		{"channel reads orders", oms.RoleChannel, oms.PermOrderRead, true},
		{"channel cannot cancel orders", oms.RoleChannel, oms.PermOrderCancel, false},
		{"channel cannot write inventory", oms.RoleChannel, oms.PermInventoryWrite, false},
		{"warehouse writes inventory", oms.RoleWarehouse, oms.PermInventoryWrite, true},
		{"warehouse cannot create orders", oms.RoleWarehouse, oms.PermOrderCreate, false},
		{"warehouse cannot cancel orders", oms.RoleWarehouse, oms.PermOrderCancel, false},
		{"agent cancels orders", oms.RoleAgent, oms.PermOrderCancel, true},
		{"agent cannot write the catalog", oms.RoleAgent, oms.PermCatalogWrite, false},
		{"agent cannot write inventory", oms.RoleAgent, oms.PermInventoryWrite, false},
		{"agent cannot create orders", oms.RoleAgent, oms.PermOrderCreate, false},
		{"unknown role cannot read", "root", oms.PermOrderRead, false},
		{"empty role cannot read", "", oms.PermCatalogRead, false},
		{"role names are case-sensitive", "Admin", oms.PermAPIKeyManage, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.role.Allows(tt.perm); got != tt.want {
				t.Errorf("%q.Allows(%q) = %v, want %v", tt.role, tt.perm, got, tt.want)
			}
		})
	}
}

// TestRoleGrants pins the whole role × permission matrix, so that widening a
// role is a deliberate change to this table.
func TestRoleGrants(t *testing.T) {
	tests := []struct {
		role oms.Role
		want []oms.Permission
	}{
		{oms.RoleAdmin, allPermissions},
		{oms.RoleManager, []oms.Permission{oms.PermCatalogRead, oms.PermCatalogWrite, oms.PermInventoryRead,
			oms.PermInventoryWrite, oms.PermOrderRead, oms.PermOrderCreate, oms.PermOrderCancel, oms.PermOrderEdit,
			oms.PermReturnRead, oms.PermReturnWrite, oms.PermReturnReceive, oms.PermRefundWrite,
			oms.PermAvailabilityRead, oms.PermSettingsRead, oms.PermCostRead}},
		{oms.RoleAgent, []oms.Permission{oms.PermCatalogRead, oms.PermInventoryRead, oms.PermOrderRead, oms.PermOrderCancel, oms.PermOrderEdit,
			oms.PermReturnRead, oms.PermReturnWrite, oms.PermRefundWrite, oms.PermAvailabilityRead, oms.PermSettingsRead}},
		{oms.RoleWarehouse, []oms.Permission{oms.PermCatalogRead, oms.PermInventoryRead, oms.PermInventoryWrite, oms.PermOrderRead,
			oms.PermReturnRead, oms.PermReturnReceive, oms.PermAvailabilityRead, oms.PermSettingsRead}},
		// A channel's integration reads its availability feed, not raw
		// stock, supply, settings or costs.
		{oms.RoleChannel, []oms.Permission{oms.PermCatalogRead, oms.PermAvailabilityRead, oms.PermOrderRead, oms.PermOrderCreate}},
		{"unknown", nil},
	}
	for _, tt := range tests {
		t.Run(string(tt.role), func(t *testing.T) {
			for _, p := range allPermissions {
				want := false
				for _, w := range tt.want {
					want = want || w == p
				}
				if got := tt.role.Allows(p); got != want {
					t.Errorf("%q.Allows(%q) = %v, want %v", tt.role, p, got, want)
				}
			}
		})
	}
}

func TestRoleValid(t *testing.T) {
	tests := []struct {
		name string
		role oms.Role
		want bool
	}{
		{"admin", oms.RoleAdmin, true},
		{"manager", oms.RoleManager, true},
		{"agent", oms.RoleAgent, true},
		{"warehouse", oms.RoleWarehouse, true},
		{"channel", oms.RoleChannel, true},
		{"unknown", "root", false},
		{"empty", "", false},
		{"upper case", "ADMIN", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.role.Valid(); got != tt.want {
				t.Errorf("Role(%q).Valid() = %v, want %v", tt.role, got, tt.want)
			}
		})
	}
}
