package settings

import (
	"context"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/store/sqldb"
)

const storeKey = "store"

// StoreSettings returns how the store presents itself to customers (no
// name until one is set).
func (st *Settings) StoreSettings(ctx context.Context) (oms.StoreSettings, error) {
	var s oms.StoreSettings
	err := st.db.View(ctx, func(tx *sqldb.Tx) error { return tx.Setting(ctx, storeKey, &s) })
	return s, err
}

// PutStoreSettings replaces the store settings. It returns EINVALID naming
// a bad field.
func (st *Settings) PutStoreSettings(ctx context.Context, s oms.StoreSettings, by oms.Principal) error {
	if err := s.Validate(); err != nil {
		return err
	}
	return st.db.Update(ctx, func(tx *sqldb.Tx) error { return tx.SaveSetting(ctx, storeKey, s, by.Actor()) })
}
