package catalog

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/store/sqldb"
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
func (c *Catalog) PutLocation(ctx context.Context, l *oms.Location, by oms.Principal) (created bool, err error) {
	actor := by.Actor()
	if err := l.Validate(); err != nil {
		return false, err
	}
	addr, err := json.Marshal(l.Address)
	if err != nil {
		return false, err
	}
	err = c.db.Update(ctx, func(tx *sqldb.Tx) error {
		var p oms.Problems
		for i, code := range l.Channels {
			var id int64
			switch err := tx.QueryRowContext(ctx, "SELECT id FROM channels WHERE code = $1", code).Scan(&id); {
			case errors.Is(err, sql.ErrNoRows):
				p.Add(fmt.Sprintf("channels[%d]", i), "no channel has code %q", code)
			case err != nil:
				return err
			}
		}
		if err := p.Err(); err != nil {
			return err
		}
		now := tx.Now()
		args := []any{l.Code, l.Name, l.Kind, l.CanShip, l.CanPickup, l.Priority, string(addr),
			l.Latitude, l.Longitude, now, l.Active, strings.Join(l.Channels, ","), l.Address.Country}
		created, err = tx.Upsert(ctx, insertLocation, updateLocation, args, &l.CreatedAt)
		if err != nil {
			return err
		}
		l.CreatedAt, l.UpdatedAt = l.CreatedAt.UTC(), now
		return tx.AddEvent(ctx, oms.EventLocationSaved, l.Code, "", actor, l)
	})
	c.cache.forgetSites()
	return created, err
}

// SiteRef is a location as sourcing sees it, without stock, and its id.
type SiteRef struct {
	ID   int64
	Site oms.Site
}

// siteTTL bounds how long the locations may be served from memory; another
// server's change is seen within it. Sourcing reads the locations that hold
// stock of an order's items with their balances, always fresh; the cached
// list adds those that hold none, which have nothing to give but may be
// where a pickup order is collected.
const siteTTL = time.Second

// Sites returns every location as sourcing sees it, by id, read in tx when
// the cached list is older than siteTTL. Callers must not change the slice
// or its sites' Channels.
func (c *Cache) Sites(ctx context.Context, tx *sqldb.Tx) ([]SiteRef, error) {
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
		var r SiteRef
		var channels string
		var lat, lon *float64
		if err := rows.Scan(&r.ID, &r.Site.Code, &r.Site.Priority, &r.Site.CanShip, &r.Site.CanPickup, &r.Site.Active,
			&channels, &lat, &lon, &r.Site.Country); err != nil {
			return nil, err
		}
		r.Site.Channels = SplitCodes(channels)
		if lat != nil && lon != nil {
			r.Site.Point = &oms.Point{Lat: *lat, Lon: *lon}
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
func (c *Catalog) Location(ctx context.Context, code string) (*oms.Location, error) {
	var l *oms.Location
	err := c.db.View(ctx, func(tx *sqldb.Tx) (err error) {
		l, _, err = LookupLocation(ctx, tx, code)
		return err
	})
	return l, err
}

// Locations returns every location, by code.
func (c *Catalog) Locations(ctx context.Context) ([]oms.Location, error) {
	var out []oms.Location
	err := c.db.View(ctx, func(tx *sqldb.Tx) error {
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

// LookupLocation returns the location with the code and its id, read in
// tx, or ENOTFOUND.
func LookupLocation(ctx context.Context, tx *sqldb.Tx, code string) (*oms.Location, int64, error) {
	l, id, err := scanLocation(tx.QueryRowContext(ctx, selectLocationCols+" WHERE code = $1", code))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, 0, sqldb.NotFound("location %q does not exist", code)
	}
	return l, id, err
}

func scanLocation(row sqldb.Scanner) (*oms.Location, int64, error) {
	var l oms.Location
	var id int64
	var addr, channels string
	err := row.Scan(&id, &l.Code, &l.Name, &l.Kind, &l.CanShip, &l.CanPickup, &l.Priority, &addr,
		&l.Latitude, &l.Longitude, &l.CreatedAt, &l.UpdatedAt, &l.Active, &channels)
	if err != nil {
		return nil, 0, err
	}
	l.Channels = SplitCodes(channels)
	if err := json.Unmarshal([]byte(addr), &l.Address); err != nil {
		return nil, 0, err
	}
	l.CreatedAt, l.UpdatedAt = l.CreatedAt.UTC(), l.UpdatedAt.UTC()
	return &l, id, nil
}

// SplitCodes reads a location's comma-separated list of channel codes;
// empty is none.
func SplitCodes(s string) []string {
	if s == "" {
		return []string{}
	}
	return strings.Split(s, ",")
}
