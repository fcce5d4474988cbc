package httpapi_test

import (
	"testing"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/store/storetest"
)

// TestStoreSettingsAPI: the store's name is read by anyone who reads
// settings, replaced by managers, and a bad name is named and not saved.
func TestStoreSettingsAPI(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		h := setup(t, e)
		var st oms.StoreSettings
		h.mustCall("GET", "/v1/settings/store", oms.RoleAgent, nil, 200).json(t, &st)
		if st.Name != "" {
			t.Errorf("a new store's name = %q, want none", st.Name)
		}
		h.mustCall("PUT", "/v1/settings/store", oms.RoleManager, `{"name":"Northwind Outfitters"}`, 200)
		h.mustCall("PUT", "/v1/settings/store", oms.RoleAgent, `{"name":"Mine"}`, 403)
		p := h.mustCall("PUT", "/v1/settings/store", oms.RoleManager, `{"name":" padded "}`, 400).problem(t)
		if len(p.Errors) != 1 || p.Errors[0].Field != "name" {
			t.Errorf("problem = %+v", p)
		}
		h.mustCall("PUT", "/v1/settings/store", oms.RoleManager, `{"name":"x","extra":1}`, 400)
		h.mustCall("GET", "/v1/settings/store", oms.RoleWarehouse, nil, 200).json(t, &st)
		if st.Name != "Northwind Outfitters" {
			t.Errorf("name = %q after the refused puts, want Northwind Outfitters", st.Name)
		}
	})
}
