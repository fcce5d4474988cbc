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

// screeningCache keeps the screening rules for settingsTTL: every order
// placement reads them.
type screeningCache struct {
	mu     sync.Mutex
	rules  oms.Screening
	loaded time.Time
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
	c := &tx.db.screening
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.loaded.IsZero() && time.Since(c.loaded) < settingsTTL {
		return c.rules, nil
	}
	var s oms.Screening
	var v string
	err := tx.QueryRowContext(ctx, selectSetting, screeningKey).Scan(&v)
	switch {
	case errors.Is(err, sql.ErrNoRows):
	case err != nil:
		return s, err
	default:
		if err := json.Unmarshal([]byte(v), &s); err != nil {
			return s, err
		}
	}
	c.rules, c.loaded = s, time.Now()
	return s, nil
}

// PutScreening replaces the screening rules. It returns EINVALID for a bad
// rule.
func (db *DB) PutScreening(ctx context.Context, s oms.Screening, actor string) error {
	if err := s.Validate(); err != nil {
		return err
	}
	b, err := json.Marshal(s)
	if err != nil {
		return err
	}
	err = db.update(ctx, func(tx *Tx) error {
		if _, err := tx.ExecContext(ctx, upsertSetting, screeningKey, string(b), tx.now); err != nil {
			return err
		}
		return tx.addEvent(ctx, oms.EventSettingsSaved, screeningKey, "", actor, s)
	})
	db.screening.mu.Lock()
	db.screening.loaded = time.Time{}
	db.screening.mu.Unlock()
	return err
}
