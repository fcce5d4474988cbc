package bench

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/omshq/oms"
)

// The request bodies of the catalog and stock routes. The API refuses
// unknown fields, so these hold exactly what each route takes.
type (
	channelBody struct {
		Name            string              `json:"name"`
		Kind            string              `json:"kind"`
		Currency        string              `json:"currency"`
		BackorderPolicy oms.BackorderPolicy `json:"backorder_policy"`
	}
	locationBody struct {
		Name      string      `json:"name"`
		Kind      string      `json:"kind"`
		CanShip   bool        `json:"can_ship"`
		CanPickup bool        `json:"can_pickup"`
		Priority  int         `json:"priority"`
		Address   oms.Address `json:"address"`
	}
	itemBody struct {
		Name     string `json:"name"`
		UnitCost int64  `json:"unit_cost"`
		Currency string `json:"currency"`
	}
	adjustmentBody struct {
		SKU       string `json:"sku"`
		Location  string `json:"location"`
		Delta     int64  `json:"delta"`
		Reason    string `json:"reason"`
		Reference string `json:"reference"`
	}
)

// setupResult is what setup did, for the report.
type setupResult struct {
	Items, StockRows int
	Elapsed          time.Duration
}

// setup creates the plan's channels, locations and items over the API with
// the admin key, and receives their stock, clients requests at a time. Stock
// is received as a delta, so a rerun against the same oms adds to it.
func setup(ctx context.Context, c *client, key string, p *Plan, clients int, tag string) (setupResult, error) {
	start := time.Now()
	put := []int{http.StatusOK, http.StatusCreated}
	for _, ch := range p.Channels {
		b := channelBody{Name: ch.Name, Kind: ch.Kind, Currency: ch.Currency, BackorderPolicy: ch.BackorderPolicy}
		if err := c.call(ctx, "PUT", "/v1/channels/"+ch.Code, key, b, nil, put...); err != nil {
			return setupResult{}, err
		}
	}
	for _, l := range p.Locations {
		b := locationBody{Name: l.Name, Kind: l.Kind, CanShip: l.CanShip, CanPickup: l.CanPickup,
			Priority: l.Priority, Address: l.Address}
		if err := c.call(ctx, "PUT", "/v1/locations/"+l.Code, key, b, nil, put...); err != nil {
			return setupResult{}, err
		}
	}
	err := forEach(ctx, clients, p.Items, func(ctx context.Context, _, rank int) error {
		b := itemBody{Name: fmt.Sprintf("Bench item %d", rank+1), UnitCost: p.Price(rank) / 2, Currency: currency}
		return c.call(ctx, "PUT", "/v1/items/"+url.PathEscape(p.SKU(rank)), key, b, nil, put...)
	})
	if err != nil {
		return setupResult{}, err
	}
	nloc := len(p.Locations)
	err = forEach(ctx, clients, p.Items*nloc, func(ctx context.Context, _, i int) error {
		rank, loc := i/nloc, i%nloc
		b := adjustmentBody{SKU: p.SKU(rank), Location: p.Locations[loc].Code, Delta: p.Stock(rank, loc),
			Reason: oms.MoveReceive, Reference: "oms bench " + tag}
		return c.call(ctx, "POST", "/v1/inventory/adjustments", key, b, nil, http.StatusCreated)
	})
	return setupResult{Items: p.Items, StockRows: p.Items * nloc, Elapsed: time.Since(start)}, err
}
