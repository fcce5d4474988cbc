package store

import (
	"context"

	"github.com/omshq/oms"
)

const storeKey = "store"

// StoreSettings returns how the store presents itself to customers (no
// name until one is set).
func (db *DB) StoreSettings(ctx context.Context) (oms.StoreSettings, error) {
	var s oms.StoreSettings
	err := db.view(ctx, func(tx *Tx) error { return tx.setting(ctx, storeKey, &s) })
	return s, err
}

// PutStoreSettings replaces the store settings. It returns EINVALID naming
// a bad field.
func (db *DB) PutStoreSettings(ctx context.Context, s oms.StoreSettings, by oms.Principal) error {
	if err := s.Validate(); err != nil {
		return err
	}
	return db.update(ctx, func(tx *Tx) error { return tx.PutSetting(ctx, storeKey, s, by) })
}
