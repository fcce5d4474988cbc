package catalog

import (
	"context"
	"fmt"
	"strings"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/store/sqldb"
)

const (
	upsertCentroid = `
INSERT INTO postal_centroids (country, postal_code, latitude, longitude) VALUES ($1, $2, $3, $4)
ON CONFLICT (country, postal_code) DO UPDATE SET latitude = excluded.latitude, longitude = excluded.longitude`
	countCentroids  = `SELECT COUNT(*) FROM postal_centroids`
	selectCentroids = `
SELECT country, postal_code, latitude, longitude FROM postal_centroids WHERE %s`
)

// maxCentroids bounds one upload.
const maxCentroids = 10_000

// normalPostal is a postal code as centroids are keyed: upper case, no
// spaces or dashes.
func normalPostal(s string) string {
	return strings.NewReplacer(" ", "", "-", "").Replace(strings.ToUpper(strings.TrimSpace(s)))
}

// notAlnum reports whether r is not an ASCII letter or digit.
func notAlnum(r rune) bool {
	return !('0' <= r && r <= '9' || 'A' <= r && r <= 'Z' || 'a' <= r && r <= 'z')
}

// PutPostalCentroids adds or replaces postal-code centroids. Sourcing uses
// them for ship-to addresses without coordinates: the longest known prefix
// of the postal code places the address. It returns EINVALID naming each bad
// entry.
func (c *Catalog) PutPostalCentroids(ctx context.Context, cs []oms.PostalCentroid, by oms.Principal) error {
	actor := by.Actor()
	var p oms.Problems
	if len(cs) == 0 || len(cs) > maxCentroids {
		p.Add("centroids", "give 1 to %d centroids", maxCentroids)
	}
	for i, ce := range cs {
		at := fmt.Sprintf("centroids[%d].", i)
		if len(ce.Country) != 2 || strings.ToUpper(ce.Country) != ce.Country {
			p.Add(at+"country", "must be an ISO 3166-1 alpha-2 code")
		}
		if pc := normalPostal(ce.PostalCode); pc == "" || len(pc) > 12 || strings.IndexFunc(pc, notAlnum) >= 0 {
			p.Add(at+"postal_code", "must be 1 to 12 letters or digits")
		}
		if !(ce.Latitude >= -90 && ce.Latitude <= 90) || !(ce.Longitude >= -180 && ce.Longitude <= 180) {
			p.Add(at+"latitude", "latitude must be within ±90 and longitude within ±180")
		}
	}
	if err := p.Err(); err != nil {
		return err
	}
	err := c.db.Update(ctx, func(tx *sqldb.Tx) error {
		for _, ce := range cs {
			if _, err := tx.ExecContext(ctx, upsertCentroid, ce.Country, normalPostal(ce.PostalCode), ce.Latitude, ce.Longitude); err != nil {
				return err
			}
		}
		return tx.AddEvent(ctx, oms.EventSettingsSaved, "postal_centroids", "", actor, map[string]any{"count": len(cs)})
	})
	c.cache.centroids.Forget()
	return err
}

// ShipPoints places each order's ship-to address, reading in tx: by its
// coordinates, else by the longest known prefix of its postal code (when
// centroids were loaded). Orders it cannot place are missing from the map;
// ShipBasis says how it placed the others.
func (c *Cache) ShipPoints(ctx context.Context, tx *sqldb.Tx, os []*oms.Order) (map[*oms.Order]*oms.Point, error) {
	out := make(map[*oms.Order]*oms.Point, len(os))
	var need []*oms.Order
	for _, o := range os {
		if pt := o.ShipTo.Point(); pt != nil {
			out[o] = pt
		} else if o.ShipTo != nil && normalPostal(o.ShipTo.PostalCode) != "" {
			need = append(need, o)
		}
	}
	if len(need) == 0 {
		return out, nil
	}
	loaded, err := c.centroids.Get(func() (bool, error) {
		var n int
		err := tx.QueryRowContext(ctx, countCentroids).Scan(&n)
		return n > 0, err
	})
	if err != nil || !loaded {
		return out, err
	}
	// Ask for every prefix of every postal code, at least two characters long.
	var or []string
	var args []any
	for _, o := range need {
		pc := normalPostal(o.ShipTo.PostalCode)
		for n := len(pc); n >= min(2, len(pc)); n-- {
			or = append(or, fmt.Sprintf("(country = $%d AND postal_code = $%d)", len(args)+1, len(args)+2))
			args = append(args, o.ShipTo.Country, pc[:n])
		}
	}
	rows, err := tx.QueryContext(ctx, fmt.Sprintf(selectCentroids, strings.Join(or, " OR ")), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	known := map[[2]string]oms.Point{}
	for rows.Next() {
		var country, pc string
		var pt oms.Point
		if err := rows.Scan(&country, &pc, &pt.Lat, &pt.Lon); err != nil {
			return nil, err
		}
		known[[2]string{country, pc}] = pt
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, o := range need {
		pc := normalPostal(o.ShipTo.PostalCode)
		for n := len(pc); n >= 1; n-- {
			if pt, ok := known[[2]string{o.ShipTo.Country, pc[:n]}]; ok {
				out[o] = &pt
				break
			}
		}
	}
	return out, nil
}

// ShipBasis says what placed the ship-to point ShipPoints found for the
// order: its own coordinates, or else the centroid of its postal code.
func ShipBasis(o *oms.Order) string {
	if o.ShipTo.Point() != nil {
		return oms.BasisCoordinates
	}
	return oms.BasisPostalCode
}
