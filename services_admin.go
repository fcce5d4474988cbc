package oms

import (
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
}
