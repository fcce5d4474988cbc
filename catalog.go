package oms

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/omshq/oms/money"
)

// ChannelKind is the kind of sales channel, which decides the payload format
// its orders arrive in.
type ChannelKind string

// The channel kinds.
var ChannelKinds = []string{"web", "shopify", "amazon", "ebay", "woocommerce", "pos", "api", "csv"}

// BackorderPolicy says what happens to an order for more than is in stock.
type BackorderPolicy string

// The backorder policies.
const (
	BackorderReject BackorderPolicy = "reject"    // refuse the whole order; nothing is written
	BackorderAccept BackorderPolicy = "backorder" // accept it, reserve what exists, leave the rest open
)

// BackorderPolicies lists the backorder policies.
var BackorderPolicies = []BackorderPolicy{BackorderReject, BackorderAccept}

// DefaultLowStock is a channel's low-stock threshold when none is given.
const DefaultLowStock = 5

// Channel is where orders come from.
type Channel struct {
	Code            string          `json:"code"`
	Name            string          `json:"name"`
	Kind            string          `json:"kind"`
	Currency        string          `json:"currency"`
	BackorderPolicy BackorderPolicy `json:"backorder_policy"`
	// NoSplitBelow: orders worth less than this (minor units of Currency)
	// are never split across locations; they wait for stock instead.
	NoSplitBelow int64 `json:"no_split_below"`
	// SharePercent of the stock at the locations serving the channel may be
	// offered on it, less Buffer units: the availability fed to the channel.
	SharePercent int   `json:"share_percent"`
	Buffer       int64 `json:"buffer"`
	// LowStock is the low-stock threshold of what the channel may sell of
	// a SKU: falling to it or below writes inventory.low_stock (0: never).
	LowStock int64 `json:"low_stock"`
	// WebhookSecret verifies the channel's signed webhooks; it is never
	// shown again, only whether one is set.
	WebhookSecret string    `json:"-"`
	HasSecret     bool      `json:"has_webhook_secret"`
	CreatedAt     time.Time `json:"created_at"`
	UpdatedAt     time.Time `json:"updated_at"`
}

// Validate checks a channel's fields and returns an EINVALID error naming
// each bad one.
func (c *Channel) Validate() error {
	var p Problems
	checkCode(&p, "code", c.Code)
	checkName(&p, "name", c.Name)
	if !oneOf(c.Kind, ChannelKinds) {
		p.Add("kind", "must be one of %s", strings.Join(ChannelKinds, ", "))
	}
	if _, ok := money.Lookup(c.Currency); !ok {
		p.Add("currency", "must be an ISO 4217 currency code such as USD")
	}
	if !slices.Contains(BackorderPolicies, c.BackorderPolicy) {
		p.Add("backorder_policy", "must be reject or backorder")
	}
	checkAmount(&p, "no_split_below", c.NoSplitBelow)
	if c.SharePercent < 0 || c.SharePercent > 100 {
		p.Add("share_percent", "must be between 0 and 100")
	}
	if c.Buffer < 0 || c.Buffer > MaxQuantity {
		p.Add("buffer", "must be between 0 and %d", MaxQuantity)
	}
	if c.LowStock < 0 || c.LowStock > MaxQuantity {
		p.Add("low_stock", "must be between 0 and %d", MaxQuantity)
	}
	if len(c.WebhookSecret) > 200 || !printable(c.WebhookSecret) {
		p.Add("webhook_secret", "must be printable text of at most 200 bytes")
	}
	return p.Err()
}

// LocationKinds are the kinds of place stock is kept. A marketplace location
// stands for a marketplace's own warehouses (Amazon FBA): orders it ships are
// recorded there, but oms keeps no stock at it and never sources from it.
var LocationKinds = []string{"warehouse", "store", "marketplace"}

// Address is a postal address.
type Address struct {
	Name       string `json:"name,omitempty"`
	Line1      string `json:"line1"`
	Line2      string `json:"line2,omitempty"`
	City       string `json:"city"`
	Region     string `json:"region,omitempty"`
	PostalCode string `json:"postal_code,omitempty"`
	Country    string `json:"country"` // ISO 3166-1 alpha-2
	Phone      string `json:"phone,omitempty"`
	// Latitude and Longitude place the address for sourcing, when known.
	Latitude  *float64 `json:"latitude,omitempty"`
	Longitude *float64 `json:"longitude,omitempty"`
}

// Point returns where the address is, or nil when it has no coordinates.
func (a *Address) Point() *Point {
	if a == nil || a.Latitude == nil || a.Longitude == nil {
		return nil
	}
	return &Point{Lat: *a.Latitude, Lon: *a.Longitude}
}

// validate checks the address fields under the JSON path prefix.
func (a *Address) validate(p *Problems, prefix string, required bool) {
	if !required && *a == (Address{}) {
		return
	}
	checkCoordinates(p, prefix+".", a.Latitude, a.Longitude)
	for _, f := range []struct{ name, v string }{{"name", a.Name}, {"line1", a.Line1}, {"line2", a.Line2},
		{"city", a.City}, {"region", a.Region}, {"postal_code", a.PostalCode}, {"phone", a.Phone}} {
		if len(f.v) > 200 || !printable(f.v) {
			p.Add(prefix+"."+f.name, "must be printable text of at most 200 bytes")
		}
	}
	if a.Line1 == "" {
		p.Add(prefix+".line1", "is required")
	}
	if a.City == "" {
		p.Add(prefix+".city", "is required")
	}
	if !ValidCountry(a.Country) {
		p.Add(prefix+".country", "must be an ISO 3166-1 alpha-2 code such as US")
	}
}

// Location is a warehouse or store that holds stock.
type Location struct {
	Code      string    `json:"code"`
	Name      string    `json:"name"`
	Kind      string    `json:"kind"`
	CanShip   bool      `json:"can_ship"`
	CanPickup bool      `json:"can_pickup"`
	Priority  int       `json:"priority"` // lower ships first
	Address   Address   `json:"address"`
	Latitude  *float64  `json:"latitude,omitempty"`
	Longitude *float64  `json:"longitude,omitempty"`
	Active    bool      `json:"active"`   // an inactive location is never sourced from
	Channels  []string  `json:"channels"` // the channels it serves; empty: every channel
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Site returns the location as sourcing sees it, with the given stock.
func (l *Location) Site(stock map[string]int64) Site {
	var pt *Point
	if l.Latitude != nil && l.Longitude != nil {
		pt = &Point{Lat: *l.Latitude, Lon: *l.Longitude}
	}
	return Site{Code: l.Code, Priority: l.Priority, CanShip: l.CanShip, CanPickup: l.CanPickup, Active: l.Active,
		Channels: l.Channels, Point: pt, Country: l.Address.Country, Stock: stock}
}

// Validate checks a location's fields and returns an EINVALID error naming
// each bad one.
func (l *Location) Validate() error {
	var p Problems
	checkCode(&p, "code", l.Code)
	checkName(&p, "name", l.Name)
	if !oneOf(l.Kind, LocationKinds) {
		p.Add("kind", "must be one of %s", strings.Join(LocationKinds, ", "))
	}
	if l.Priority < 0 || l.Priority > 1_000_000 {
		p.Add("priority", "must be between 0 and 1000000")
	}
	l.Address.validate(&p, "address", false)
	checkCoordinates(&p, "", l.Latitude, l.Longitude)
	for i, c := range l.Channels {
		checkCode(&p, fmt.Sprintf("channels[%d]", i), c)
		if slices.Index(l.Channels, c) < i {
			p.Add(fmt.Sprintf("channels[%d]", i), "%q is named twice", c)
		}
	}
	return p.Err()
}

// Item is a stock-keeping unit.
type Item struct {
	SKU      string `json:"sku"`
	Name     string `json:"name"`
	UnitCost int64  `json:"unit_cost"` // minor units of Currency
	Currency string `json:"currency"`
	Barcode  string `json:"barcode,omitempty"`
	// Preorder items are sold before stock exists: their orders are accepted
	// whatever the channel's backorder policy and wait for supply, promised
	// no earlier than ReleaseDate.
	Preorder    bool       `json:"preorder"`
	ReleaseDate *time.Time `json:"release_date,omitempty"`
	CreatedAt   time.Time  `json:"created_at"`
	UpdatedAt   time.Time  `json:"updated_at"`

	// Customs data for international shipments: the Harmonized System code
	// (6 to 10 digits) and the ISO 3166-1 country the item was made in.
	HSCode          string `json:"hs_code,omitempty"`
	CountryOfOrigin string `json:"country_of_origin,omitempty"`
}

// Validate checks an item's fields and returns an EINVALID error naming each
// bad one.
func (it *Item) Validate() error {
	var p Problems
	checkSKU(&p, "sku", it.SKU)
	checkName(&p, "name", it.Name)
	if it.UnitCost < 0 || it.UnitCost > MaxAmount {
		p.Add("unit_cost", "must be between 0 and %d minor units", MaxAmount)
	}
	if _, ok := money.Lookup(it.Currency); !ok {
		p.Add("currency", "must be an ISO 4217 currency code such as USD")
	}
	if len(it.Barcode) > 64 || !printable(it.Barcode) {
		p.Add("barcode", "must be printable text of at most 64 bytes")
	}
	if it.ReleaseDate != nil {
		CheckDate(&p, "release_date", *it.ReleaseDate)
	}
	it.validateCustoms(&p)
	return p.Err()
}

// checkCoordinates validates a latitude and longitude given together.
func checkCoordinates(p *Problems, prefix string, lat, lon *float64) {
	if (lat == nil) != (lon == nil) {
		p.Add(prefix+"latitude", "latitude and longitude must be given together")
	}
	if lat != nil && !(*lat >= -90 && *lat <= 90) {
		p.Add(prefix+"latitude", "must be between -90 and 90")
	}
	if lon != nil && !(*lon >= -180 && *lon <= 180) {
		p.Add(prefix+"longitude", "must be between -180 and 180")
	}
}

// checkCode validates a channel or location code: 1–64 letters, digits, '.',
// '_' or '-', starting with a letter or digit, so that it is safe in a URL.
func checkCode(p *Problems, field, code string) {
	if code == "" || len(code) > 64 {
		p.Add(field, "must be 1 to 64 characters")
		return
	}
	for i, r := range code {
		ok := r < utf8.RuneSelf && (isAlnum(byte(r)) || (i > 0 && (r == '.' || r == '_' || r == '-')))
		if !ok {
			p.Add(field, "may hold only letters, digits, '.', '_' and '-', starting with a letter or digit")
			return
		}
	}
}

// checkSKU validates a SKU: 1–100 bytes of printable text without '/',
// leading or trailing spaces.
func checkSKU(p *Problems, field, sku string) {
	switch {
	case sku == "" || len(sku) > 100:
		p.Add(field, "must be 1 to 100 bytes")
	case !printable(sku) || strings.ContainsAny(sku, "/?#%") || strings.TrimSpace(sku) != sku:
		p.Add(field, "must be printable text without '/', '?', '#', '%%' or surrounding spaces")
	}
}

// checkListingSKU validates a channel's listing SKU: like a SKU, but '/',
// '?', '#' and '%' are allowed.
func checkListingSKU(p *Problems, field, sku string) {
	switch {
	case sku == "" || len(sku) > 100:
		p.Add(field, "must be 1 to 100 bytes")
	case !printable(sku) || strings.TrimSpace(sku) != sku:
		p.Add(field, "must be printable text without surrounding spaces")
	}
}

func checkName(p *Problems, field, name string) {
	if strings.TrimSpace(name) == "" || len(name) > 200 || !printable(name) {
		p.Add(field, "is required: printable text of at most 200 bytes")
	}
}

// printable reports whether s is valid UTF-8 without control characters.
func printable(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if unicode.IsControl(r) {
			return false
		}
	}
	return true
}

func isAlnum(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

func isLetters(s string) bool {
	for i := 0; i < len(s); i++ {
		if !(s[i] >= 'A' && s[i] <= 'Z') {
			return false
		}
	}
	return true
}

func oneOf(s string, set []string) bool {
	for _, v := range set {
		if s == v {
			return true
		}
	}
	return false
}
