package httpapi

import (
	"net/http"
	"slices"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/httpapi/answer"
	"github.com/omshq/oms/internal/httpapi/authz"
	"github.com/omshq/oms/internal/httpapi/decode"
	"github.com/omshq/oms/internal/httpapi/handle"
	"github.com/omshq/oms/internal/httpapi/paging"
)

type channelRequest struct {
	Code            string              `json:"code,omitempty"` // optional; must match the path
	Name            string              `json:"name"`
	Kind            string              `json:"kind"`
	Currency        string              `json:"currency"`
	BackorderPolicy oms.BackorderPolicy `json:"backorder_policy"`
	NoSplitBelow    decode.Int          `json:"no_split_below,omitempty"` // orders worth less are never split (minor units)
	// SharePercent of the stock at the locations serving the channel is
	// offered on it (default 100), less Buffer units.
	SharePercent decode.Int `json:"share_percent,omitempty"`
	Buffer       decode.Int `json:"buffer,omitempty"`
	// LowStock is the low-stock threshold of what the channel may sell of
	// a SKU (default 5; 0: no inventory.low_stock events).
	LowStock decode.Int `json:"low_stock,omitempty"`
	// WebhookSecret verifies the channel's signed webhooks (Shopify,
	// WooCommerce). Write-only; when absent the secret already set is kept.
	WebhookSecret string `json:"webhook_secret,omitempty"`
}

type channelList struct {
	Channels []oms.Channel `json:"channels"`
}

func (s *Server) putChannel(w http.ResponseWriter, r *http.Request) error {
	var req channelRequest
	if err := decode.Request(r, &req); err != nil {
		return err
	}
	code := r.PathValue("code")
	var p oms.Problems
	matchPath(&p, "code", req.Code, code)
	c := oms.Channel{Code: code, Name: req.Name, Kind: req.Kind, Currency: req.Currency, BackorderPolicy: req.BackorderPolicy,
		NoSplitBelow: req.NoSplitBelow.Value(&p, "no_split_below", false), SharePercent: 100, LowStock: oms.DefaultLowStock,
		Buffer: req.Buffer.Value(&p, "buffer", false), WebhookSecret: req.WebhookSecret}
	if req.LowStock.Set() {
		c.LowStock = req.LowStock.Value(&p, "low_stock", false)
	}
	if req.SharePercent.Set() {
		c.SharePercent = int(req.SharePercent.Value(&p, "share_percent", false))
	}
	if err := decode.InvalidWith(p, c.Validate); err != nil {
		return err
	}
	created, err := s.svc.Channels.PutChannel(r.Context(), &c, handle.Viewer(r))
	if err != nil {
		return err
	}
	return answer.JSON(w, putStatus(created), c)
}

func (s *Server) getChannel(w http.ResponseWriter, r *http.Request) error {
	c, err := s.svc.Channels.Channel(r.Context(), r.PathValue("code")) // another's is not found: see authorizePath
	if err != nil {
		return err
	}
	return answer.JSON(w, http.StatusOK, c)
}

func (s *Server) listChannels(w http.ResponseWriter, r *http.Request) error {
	cs, err := s.svc.Channels.Channels(r.Context())
	if err != nil {
		return err
	}
	// A few channels, not paged: a channel key sees its own.
	cs = slices.DeleteFunc(cs, func(c oms.Channel) bool { return !handle.Viewer(r).CanSeeChannel(c.Code) })
	return answer.JSON(w, http.StatusOK, channelList{Channels: answer.NonNil(cs)})
}

type locationRequest struct {
	Code      string      `json:"code,omitempty"` // optional; must match the path
	Name      string      `json:"name"`
	Kind      string      `json:"kind"`
	CanShip   bool        `json:"can_ship"`
	CanPickup bool        `json:"can_pickup"`
	Priority  int         `json:"priority"`
	Address   oms.Address `json:"address"`
	Latitude  *float64    `json:"latitude,omitempty"`
	Longitude *float64    `json:"longitude,omitempty"`
	Active    *bool       `json:"active,omitempty"`   // default true
	Channels  []string    `json:"channels,omitempty"` // the channels it serves; empty: every channel
}

type locationList struct {
	Locations []oms.Location `json:"locations"`
}

func (s *Server) putLocation(w http.ResponseWriter, r *http.Request) error {
	var req locationRequest
	if err := decode.Request(r, &req); err != nil {
		return err
	}
	code := r.PathValue("code")
	var p oms.Problems
	matchPath(&p, "code", req.Code, code)
	l := oms.Location{Code: code, Name: req.Name, Kind: req.Kind, CanShip: req.CanShip, CanPickup: req.CanPickup,
		Priority: req.Priority, Address: req.Address, Latitude: req.Latitude, Longitude: req.Longitude,
		Active: req.Active == nil || *req.Active, Channels: answer.NonNil(req.Channels)}
	if err := decode.InvalidWith(p, l.Validate); err != nil {
		return err
	}
	created, err := s.svc.Inventory.PutLocation(r.Context(), &l, handle.Viewer(r))
	if err != nil {
		return err
	}
	return answer.JSON(w, putStatus(created), l)
}

func (s *Server) getLocation(w http.ResponseWriter, r *http.Request) error {
	l, err := s.svc.Inventory.Location(r.Context(), r.PathValue("code"))
	if err != nil {
		return err
	}
	return answer.JSON(w, http.StatusOK, l)
}

func (s *Server) listLocations(w http.ResponseWriter, r *http.Request) error {
	ls, err := s.svc.Inventory.Locations(r.Context())
	if err != nil {
		return err
	}
	return answer.JSON(w, http.StatusOK, locationList{Locations: answer.NonNil(ls)})
}

type itemRequest struct {
	SKU      string     `json:"sku,omitempty"` // optional; must match the path
	Name     string     `json:"name"`
	UnitCost decode.Int `json:"unit_cost"` // minor units of currency
	Currency string     `json:"currency"`
	Barcode  string     `json:"barcode,omitempty"`
	// Preorder items are sold before stock exists; ReleaseDate (RFC 3339)
	// is the earliest date promised.
	Preorder    bool   `json:"preorder,omitempty"`
	ReleaseDate string `json:"release_date,omitempty"`

	// Customs data: the Harmonized System code, 6 to 10 digits, dotted or
	// not ("6109.10.00" is stored as "61091000"), and the ISO 3166-1
	// alpha-2 country the item was made in.
	HSCode          string `json:"hs_code,omitempty"`
	CountryOfOrigin string `json:"country_of_origin,omitempty"`
}

func (s *Server) putItem(w http.ResponseWriter, r *http.Request) error {
	var req itemRequest
	if err := decode.Request(r, &req); err != nil {
		return err
	}
	sku := r.PathValue("sku")
	var p oms.Problems
	matchPath(&p, "sku", req.SKU, sku)
	it := oms.Item{SKU: sku, Name: req.Name, UnitCost: req.UnitCost.Value(&p, "unit_cost", false),
		Currency: req.Currency, Barcode: req.Barcode, Preorder: req.Preorder, ReleaseDate: decode.ParseTime(&p, "release_date", req.ReleaseDate),
		HSCode: req.HSCode, CountryOfOrigin: req.CountryOfOrigin}
	if digits, ok := oms.ParseHSCode(req.HSCode); ok {
		it.HSCode = digits // Validate refuses anything else, naming hs_code
	}
	if err := decode.InvalidWith(p, it.Validate); err != nil {
		return err
	}
	created, err := s.svc.Inventory.PutItem(r.Context(), &it, handle.Viewer(r))
	if err != nil {
		return err
	}
	return answer.JSON(w, putStatus(created), authz.ItemFor(handle.Viewer(r), it))
}

func (s *Server) getItem(w http.ResponseWriter, r *http.Request) error {
	it, err := s.svc.Inventory.Item(r.Context(), r.PathValue("sku"))
	if err != nil {
		return err
	}
	return answer.JSON(w, http.StatusOK, authz.ItemFor(handle.Viewer(r), *it))
}

// matchPath checks that a key repeated in the body agrees with the path.
func matchPath(p *oms.Problems, field, body, path string) {
	if body != "" && body != path {
		p.Add(field, "is %q in the body but %q in the path", body, path)
	}
}

func putStatus(created bool) int {
	if created {
		return http.StatusCreated
	}
	return http.StatusOK
}

type itemPage struct {
	Items      []authz.ItemView `json:"items"`
	NextCursor *string          `json:"next_cursor"`
}

// listItems answers a page of items in SKU order.
func (s *Server) listItems(w http.ResponseWriter, r *http.Request) error {
	q, limit, after, err := paging.SKUList(r)
	if err != nil {
		return err
	}
	f := oms.ItemFilter{SKUPrefix: q.Get("sku_prefix"), After: after, Limit: limit}
	items, next, err := s.svc.Inventory.ListItems(r.Context(), f)
	if err != nil {
		return err
	}
	views := make([]authz.ItemView, len(items))
	for i, it := range items {
		views[i] = authz.ItemFor(handle.Viewer(r), it)
	}
	return answer.JSON(w, http.StatusOK, itemPage{Items: views, NextCursor: paging.SKUCursor(next)})
}
