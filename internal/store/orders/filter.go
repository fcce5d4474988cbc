package orders

import (
	"context"
	"database/sql"
	"errors"

	"github.com/omshq/oms"
)

// filterIDs are the ids of the channel, location and item a report's or an
// export's filters name; 0 where there is no filter.
type filterIDs struct{ channel, location, item int64 }

// resolveFilters looks up the channel code, location code and SKU a query
// filters by. It records a problem under the field of each that names
// nothing, and of each the caller does not take: refused returns why a
// field is refused, or "" when it is taken.
func (tx *Tx) resolveFilters(ctx context.Context, p *oms.Problems, channel, location, sku string,
	refused func(field string) string) (filterIDs, error) {
	var ids filterIDs
	for _, f := range []struct {
		field, value, what, query string
		id                        *int64
	}{
		{"channel", channel, "no channel has code %q", "SELECT id FROM channels WHERE code = $1", &ids.channel},
		{"location", location, "no location has code %q", "SELECT id FROM locations WHERE code = $1", &ids.location},
		{"sku", sku, "no item has SKU %q", "SELECT id FROM items WHERE sku = $1", &ids.item},
	} {
		if f.value == "" {
			continue
		}
		if why := refused(f.field); why != "" {
			p.Add(f.field, "%s", why)
			continue
		}
		err := tx.QueryRowContext(ctx, f.query, f.value).Scan(f.id)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			p.Add(f.field, f.what, f.value)
		case err != nil:
			return ids, err
		}
	}
	return ids, nil
}

// TakesAll refuses no filter.
func TakesAll(string) string { return "" }
