package sqldb

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"sync"
	"time"

	"github.com/omshq/oms"
)

// Settings are JSON values under a key in the settings table, each saved
// with its settings.saved event.

const (
	// SelectSetting reads a setting's JSON value by its key.
	SelectSetting = `SELECT value FROM settings WHERE key = $1`
	// UpsertSetting saves a setting: its key, its JSON value and the time.
	UpsertSetting = `
INSERT INTO settings (key, value, updated_at) VALUES ($1, $2, $3)
ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`
)

// SettingsTTL bounds how long another server's change of settings takes to
// be seen.
const SettingsTTL = time.Second

// Cached keeps a setting for SettingsTTL: order placement reads the
// settings with every batch.
type Cached[T any] struct {
	mu     sync.Mutex
	value  T
	loaded time.Time
}

// Get returns the cached value, loading it when missing or stale.
func (c *Cached[T]) Get(load func() (T, error)) (T, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.loaded.IsZero() && time.Since(c.loaded) < SettingsTTL {
		return c.value, nil
	}
	v, err := load()
	if err != nil {
		return v, err
	}
	c.value, c.loaded = v, time.Now()
	return v, nil
}

// Forget drops the cached value after this process changed it.
func (c *Cached[T]) Forget() {
	c.mu.Lock()
	c.loaded = time.Time{}
	c.mu.Unlock()
}

// Setting reads the JSON setting under key into v; v keeps its defaults
// when the setting was never saved.
func (tx *Tx) Setting(ctx context.Context, key string, v any) error {
	var raw string
	err := tx.QueryRowContext(ctx, SelectSetting, key).Scan(&raw)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	} else if err != nil {
		return err
	}
	return json.Unmarshal([]byte(raw), v)
}

// SaveSetting saves v as the JSON setting under key, with its
// settings.saved event by actor.
func (tx *Tx) SaveSetting(ctx context.Context, key string, v any, actor string) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, UpsertSetting, key, string(b), tx.Now()); err != nil {
		return err
	}
	return tx.AddEvent(ctx, oms.EventSettingsSaved, key, "", actor, v)
}

// Upsert runs insert (ON CONFLICT DO NOTHING RETURNING …) and, when the row
// already existed, update with the same arguments. It reports which ran.
func (tx *Tx) Upsert(ctx context.Context, insert, update string, args []any, dest ...any) (bool, error) {
	err := tx.QueryRowContext(ctx, insert, args...).Scan(dest...)
	if err == nil {
		return true, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return false, err
	}
	return false, tx.QueryRowContext(ctx, update, args...).Scan(dest...)
}
