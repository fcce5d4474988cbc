package bench

import (
	"context"
	"fmt"

	"github.com/omshq/oms/internal/store"
)

// measureBaseline measures the raw transaction ceiling of the engine — the
// yardstick for orders/s — on a fresh database of its own, opened with the
// same settings as the one under load, with the same clients, for the run's
// duration. The database is dropped afterwards unless cfg.Keep; where
// names it.
func measureBaseline(ctx context.Context, cfg *Config) (_ Ceiling, where string, err error) {
	fresh, err := newFreshDB(ctx, cfg.DB, "ceiling")
	if err != nil {
		return Ceiling{}, "", err
	}
	if !cfg.Keep {
		defer fresh.Drop(ctx)
	}
	db, err := store.Open(ctx, fresh.DSN, cfg.storeOptions())
	if err != nil {
		return Ceiling{}, fresh.Where, fmt.Errorf("open the baseline database: %w", err)
	}
	defer db.Close()
	c, err := MeasureCeiling(ctx, db, cfg.Clients, cfg.Duration)
	if err != nil {
		return c, fresh.Where, fmt.Errorf("measure the ceiling: %w", err)
	}
	return c, fresh.Where, nil
}
