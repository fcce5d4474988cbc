package oms

import (
	"slices"
	"strings"
	"time"
)

// CheckReport is what Check found.
type CheckReport struct {
	Balances   int
	Orders     int
	Lines      int
	Violations []string
}

// ExportFilter narrows an export; each export uses the fields that make
// sense for it (Range is the order's placing time, or the movement's time
// for the ledger).
type ExportFilter struct {
	Range    Range
	Channel  string // channel code: orders, order lines
	Status   Status
	SKU      string // order lines, orders containing it, inventory, ledger
	Location string // location code: inventory, ledger
	// Principal bound to channels or locations exports its orders, and the
	// stock and movements at its locations, only.
	Principal Principal
}

// TaxRule is a tax rule as the API shows it.
type TaxRule struct {
	Key     string `json:"key"`     // "DE", "US-CA", "CA-QC"
	Country string `json:"country"` // ISO 3166-1 alpha-2
	Region  string `json:"region"`  // ISO 3166-2 subdivision without the country; "" for the whole country
	// Rate is a decimal from 0 to 1 with at most six decimals: "0.09975".
	Rate string `json:"rate"`
	// Inclusive: prices include this tax, which oms takes out of them;
	// otherwise it adds the tax to them.
	Inclusive bool `json:"inclusive"`
	// ReplacesCountry, on a region's rule: charged instead of the country's
	// rule (Ontario's HST replaces the GST). Without it a region's rule is
	// charged on top (Québec's QST with the GST).
	ReplacesCountry bool      `json:"replaces_country"`
	Name            string    `json:"name"`
	CreatedAt       time.Time `json:"created_at"`
	UpdatedAt       time.Time `json:"updated_at"`
}

// FXImport is what an import of exchange rates did.
type FXImport struct {
	Days      int    `json:"days"`      // reference days in the document
	FirstDay  string `json:"first_day"` // YYYY-MM-DD
	LastDay   string `json:"last_day"`
	Rates     int    `json:"rates"`     // rates in the document
	Added     int    `json:"added"`     // rates oms did not have
	Changed   int    `json:"changed"`   // corrections: rates that replaced another value for their day
	Unchanged int    `json:"unchanged"` // rates oms already had, the same
	// OrdersFilled counts the orders that were waiting for a rate of these
	// days and now have their base totals.
	OrdersFilled int `json:"orders_filled"`
}

// Conversion is an amount converted between currencies through the euro.
type Conversion struct {
	From      string `json:"from"`
	To        string `json:"to"`
	Amount    int64  `json:"amount"`    // minor units of From
	Converted int64  `json:"converted"` // minor units of To, rounded half to even
	// Rate is how many units of To one unit of From is worth, exactly, as
	// the ECB's euro quotes divide ("0.88195/1.1612": GBP per euro over USD
	// per euro); RateDate is their reference day.
	Rate     string `json:"rate"`
	RateDate string `json:"rate_date"`
}

// PostalCentroid places a postal code of a country.
type PostalCentroid struct {
	Country    string  `json:"country"`
	PostalCode string  `json:"postal_code"`
	Latitude   float64 `json:"latitude"`
	Longitude  float64 `json:"longitude"`
}

// CurrencySettings are the business's currency settings.
type CurrencySettings struct {
	// BaseCurrency is the ISO 4217 currency every order's totals are also
	// recorded in, at the exchange rate of the order's date, for reporting
	// across currencies. Empty (the default): no base currency, and orders
	// record no base totals.
	BaseCurrency string `json:"base_currency"`
}

// IdempotentRequest identifies one POST under an Idempotency-Key.
type IdempotentRequest struct {
	APIKeyID string
	Key      string
	Method   string
	Path     string
	Hash     []byte // SHA-256 of the request body
}

// StoredResponse is the first answer given to an idempotent request.
type StoredResponse struct {
	Status      int
	ContentType string
	Body        []byte
	// Headers are the answer's headers a replay gives again (Location,
	// ETag …), by name.
	Headers map[string]string
}

// The overlap of a rotation: how long the replaced secret keeps working.
const (
	DefaultKeyOverlap = 24 * time.Hour
	MaxKeyOverlap     = 7 * 24 * time.Hour
)

// IdempotencyTTL is how long a key is remembered: a key used again after
// it is a new request (Stripe keeps keys for 24 hours too).
const IdempotencyTTL = 24 * time.Hour

// Exports are the data sets oms writes as CSV for accountants and
// spreadsheets. Each is one statement streamed row by row, so it reads a
// consistent snapshot in constant memory however large it is.
var Exports = []string{"orders", "order-lines", "inventory", "ledger"}

// ExportFilterNames are the filters of the exports, as the API's query
// parameters and the command line's flags name them.
var ExportFilterNames = []string{"from", "to", "channel", "status", "sku", "location"}

// exportFilters are the filters each export takes.
var exportFilters = map[string][]string{
	"orders":      {"from", "to", "channel", "status", "sku"},
	"order-lines": {"from", "to", "channel", "status", "sku"},
	"inventory":   {"sku", "location"},
	"ledger":      {"from", "to", "sku", "location"},
}

// CheckExportTakes returns EINVALID naming each filter given that the
// export does not take: refused, never ignored.
func CheckExportTakes(name string, given []string) error {
	var p Problems
	for _, k := range given {
		if !slices.Contains(exportFilters[name], k) {
			p.Add(k, "does not filter the %s export, which takes %s", name, strings.Join(exportFilters[name], ", "))
		}
	}
	return p.Err()
}

// ExportHeader returns the columns of an export, or EINVALID for an unknown
// one. Money columns are decimal amounts in the row's currency (19.99,
// 1999 for JPY, 1.999 for KWD); quantities are units.
func ExportHeader(name string) ([]string, error) {
	switch name {
	case "orders":
		return []string{"number", "id", "channel", "external_id", "status", "placed_at", "currency",
			"customer_email", "customer_name", "ship_to_country", "pickup_location", "lines", "units",
			"subtotal", "discount_total", "shipping_total", "tax_total", "duties_total", "total",
			"taxes_included", "base_currency", "base_total", "base_rate"}, nil
	case "order-lines":
		return []string{"order_number", "order_id", "channel", "placed_at", "status", "currency", "line_id", "sku",
			"quantity", "unit_price", "subtotal", "discount", "tax", "open", "allocated", "shipped", "cancelled",
			"returned"}, nil
	case "inventory":
		return []string{"sku", "name", "location", "on_hand", "reserved", "safety_stock", "available",
			"cost_currency", "unit_cost", "stock_value"}, nil
	case "ledger":
		return []string{"id", "at", "sku", "location", "kind", "delta", "reserved_delta", "on_hand_after",
			"reserved_after", "reference", "order_id", "actor"}, nil
	}
	return nil, Invalid("export", "must be one of %s", strings.Join(Exports, ", "))
}
