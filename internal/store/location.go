package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/omshq/oms"
)

const (
	insertLocation = `
INSERT INTO locations (code, name, kind, can_ship, can_pickup, priority, address, latitude, longitude, created_at, updated_at,
    active, channels, country)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10, $11, $12, $13)
ON CONFLICT (code) DO NOTHING
RETURNING created_at`
	updateLocation = `
UPDATE locations SET name = $2, kind = $3, can_ship = $4, can_pickup = $5, priority = $6,
    address = $7, latitude = $8, longitude = $9, updated_at = $10, active = $11, channels = $12, country = $13
WHERE code = $1
RETURNING created_at`
	// selectSites is every location as sourcing sees it.
	selectSites = `
SELECT id, code, priority, can_ship, can_pickup, active, channels, latitude, longitude, country
FROM locations ORDER BY id`
	selectLocationCols = `
SELECT id, code, name, kind, can_ship, can_pickup, priority, address, latitude, longitude, created_at, updated_at,
    active, channels
FROM locations`
)

// PutLocation creates the location or replaces its fields, and reports
// whether it was created. It returns EINVALID for a bad field.
func (db *DB) PutLocation(ctx context.Context, l *oms.Location, by oms.Principal) (created bool, err error) {
	actor := by.Actor()
	if err := l.Validate(); err != nil {
		return false, err
	}
	addr, err := json.Marshal(l.Address)
	if err != nil {
		return false, err
	}
	err = db.update(ctx, func(tx *Tx) error {
		args := []any{l.Code, l.Name, l.Kind, l.CanShip, l.CanPickup, l.Priority, string(addr),
			l.Latitude, l.Longitude, tx.now, l.Active, strings.Join(l.Channels, ","), l.Address.Country}
		created, err = tx.upsert(ctx, insertLocation, updateLocation, args, &l.CreatedAt)
		if err != nil {
			return err
		}
		l.CreatedAt, l.UpdatedAt = l.CreatedAt.UTC(), tx.now
		return tx.addEvent(ctx, oms.EventLocationSaved, l.Code, "", actor, l)
	})
	db.cache.forgetSites()
	return created, err
}

// siteRef is a location as sourcing sees it, without stock, and its id.
type siteRef struct {
	id   int64
	site oms.Site
}

// siteTTL bounds how long the locations may be served from memory; another
// server's change is seen within it. Sourcing reads the locations that hold
// stock of an order's items with their balances, always fresh; the cached
// list adds those that hold none, which have nothing to give but may be
// where a pickup order is collected.
const siteTTL = time.Second

// sites returns every location as sourcing sees it, by id. Callers must not
// change the slice or its sites' Channels.
func (tx *Tx) sites(ctx context.Context) ([]siteRef, error) {
	c := &tx.db.cache
	c.mu.Lock()
	out, at := c.sites, c.sitesAt
	c.mu.Unlock()
	if !at.IsZero() && time.Since(at) <= siteTTL {
		return out, nil
	}
	at = time.Now()
	rows, err := tx.QueryContext(ctx, selectSites)
	if err != nil {
		return nil, fmt.Errorf("read locations: %w", err)
	}
	defer rows.Close()
	out = nil
	for rows.Next() {
		var r siteRef
		var channels string
		var lat, lon *float64
		if err := rows.Scan(&r.id, &r.site.Code, &r.site.Priority, &r.site.CanShip, &r.site.CanPickup, &r.site.Active,
			&channels, &lat, &lon, &r.site.Country); err != nil {
			return nil, err
		}
		r.site.Channels = splitCodes(channels)
		if lat != nil && lon != nil {
			r.site.Point = &oms.Point{Lat: *lat, Lon: *lon}
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	c.mu.Lock()
	c.sites, c.sitesAt = out, at
	c.mu.Unlock()
	return out, nil
}

// Location returns the location with the code, or ENOTFOUND.
func (db *DB) Location(ctx context.Context, code string) (*oms.Location, error) {
	var l *oms.Location
	err := db.view(ctx, func(tx *Tx) (err error) {
		l, _, err = tx.location(ctx, code)
		return err
	})
	return l, err
}

// Locations returns every location, by code.
func (db *DB) Locations(ctx context.Context) ([]oms.Location, error) {
	var out []oms.Location
	err := db.view(ctx, func(tx *Tx) error {
		rows, err := tx.QueryContext(ctx, selectLocationCols+" ORDER BY code")
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			l, _, err := scanLocation(rows)
			if err != nil {
				return err
			}
			out = append(out, *l)
		}
		return rows.Err()
	})
	return out, err
}

func (tx *Tx) location(ctx context.Context, code string) (*oms.Location, int64, error) {
	l, id, err := scanLocation(tx.QueryRowContext(ctx, selectLocationCols+" WHERE code = $1", code))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, 0, notFound("location %q does not exist", code)
	}
	return l, id, err
}

func scanLocation(row scanner) (*oms.Location, int64, error) {
	var l oms.Location
	var id int64
	var addr, channels string
	err := row.Scan(&id, &l.Code, &l.Name, &l.Kind, &l.CanShip, &l.CanPickup, &l.Priority, &addr,
		&l.Latitude, &l.Longitude, &l.CreatedAt, &l.UpdatedAt, &l.Active, &channels)
	if err != nil {
		return nil, 0, err
	}
	l.Channels = splitCodes(channels)
	if err := json.Unmarshal([]byte(addr), &l.Address); err != nil {
		return nil, 0, err
	}
	l.CreatedAt, l.UpdatedAt = l.CreatedAt.UTC(), l.UpdatedAt.UTC()
	return &l, id, nil
}

// splitCodes reads a comma-separated list of codes; empty is none.
func splitCodes(s string) []string {
	if s == "" {
		return []string{}
	}
	return strings.Split(s, ",")
}
