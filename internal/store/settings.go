package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"sync"
	"time"

	"github.com/omshq/oms"
)

const (
	selectSetting = `SELECT value FROM settings WHERE key = $1`
	upsertSetting = `
INSERT INTO settings (key, value, updated_at) VALUES ($1, $2, $3)
ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`
	screeningKey = "screening"
)

// settingCache keeps a setting for settingsTTL: order placement reads the
// settings with every batch.
type settingCache[T any] struct {
	mu     sync.Mutex
	value  T
	loaded time.Time
}

// get returns the cached value, loading it when missing or stale.
func (c *settingCache[T]) get(load func() (T, error)) (T, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.loaded.IsZero() && time.Since(c.loaded) < settingsTTL {
		return c.value, nil
	}
	v, err := load()
	if err != nil {
		return v, err
	}
	c.value, c.loaded = v, time.Now()
	return v, nil
}

// forget drops the cached value after this process changed it.
func (c *settingCache[T]) forget() {
	c.mu.Lock()
	c.loaded = time.Time{}
	c.mu.Unlock()
}

// setting reads the JSON setting under key into v; v keeps its defaults
// when the setting was never saved.
func (tx *Tx) setting(ctx context.Context, key string, v any) error {
	var raw string
	err := tx.QueryRowContext(ctx, selectSetting, key).Scan(&raw)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	} else if err != nil {
		return err
	}
	return json.Unmarshal([]byte(raw), v)
}

// putSetting saves v as the JSON setting under key, with its
// settings.saved event.
func (tx *Tx) putSetting(ctx context.Context, key string, v any, actor string) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, upsertSetting, key, string(b), tx.Now()); err != nil {
		return err
	}
	return tx.addEvent(ctx, oms.EventSettingsSaved, key, "", actor, v)
}

// settingsTTL bounds how long another server's change of settings takes to
// be seen.
const settingsTTL = time.Second

// Screening returns the screening rules (all off until set).
func (db *DB) Screening(ctx context.Context) (oms.Screening, error) {
	var s oms.Screening
	err := db.view(ctx, func(tx *Tx) (err error) {
		s, err = tx.screening(ctx)
		return err
	})
	return s, err
}

func (tx *Tx) screening(ctx context.Context) (oms.Screening, error) {
	return tx.db.screening.get(func() (oms.Screening, error) {
		var s oms.Screening
		return s, tx.setting(ctx, screeningKey, &s)
	})
}

// PutScreening replaces the screening rules. It returns EINVALID for a bad
// rule.
func (db *DB) PutScreening(ctx context.Context, s oms.Screening, by oms.Principal) error {
	actor := by.Actor()
	if err := s.Validate(); err != nil {
		return err
	}
	b, err := json.Marshal(s)
	if err != nil {
		return err
	}
	err = db.update(ctx, func(tx *Tx) error {
		if _, err := tx.ExecContext(ctx, upsertSetting, screeningKey, string(b), tx.Now()); err != nil {
			return err
		}
		return tx.addEvent(ctx, oms.EventSettingsSaved, screeningKey, "", actor, s)
	})
	db.screening.forget()
	return err
}
