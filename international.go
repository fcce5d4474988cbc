package oms

import "strings"

// BaseTotals are an order's totals converted into the business's base
// currency at the exchange rate of the order's date, for reporting across
// currencies. Each amount is converted on its own and rounded half to even,
// so the converted parts may differ from the converted total by a minor unit
// or two; the total is the conversion of the order's total, never a sum of
// rounded parts.
type BaseTotals struct {
	Currency string `json:"currency"` // the base currency, ISO 4217
	// Rate is how many units of Currency one unit of the order's currency
	// is worth, exactly, as the European Central Bank's euro quotes give it:
	// "1" for an order in the base currency, "1.1612" (base USD, order in
	// EUR), "1/1.1612" (base EUR, order in USD), "0.88195/1.1612" (base GBP,
	// order in USD: GBP per euro over USD per euro).
	Rate string `json:"rate"`
	// RateDate is the ECB reference day of the rate, YYYY-MM-DD: the latest
	// published on or before the order's date (the order's date for rate 1).
	RateDate string `json:"rate_date"`
	Totals
}

// TaxComputation records that oms computed an order's tax, because the
// order arrived without any, and how: the destination whose rules applied
// and the rules charged. No rules means none matched and no tax was charged
// — oms never guesses a rate.
type TaxComputation struct {
	// Destination is the country, and region when the address gives one,
	// the tax was computed for: "DE", "US-CA". Empty when the order had no
	// address to tax by.
	Destination string       `json:"destination"`
	Rules       []AppliedTax `json:"rules"`
	// Inclusive says the rules' tax is inside the prices: it was taken out
	// of them and the total did not change. Otherwise it was added.
	Inclusive bool   `json:"inclusive"`
	Note      string `json:"note,omitempty"`
}

// AppliedTax is one tax rule as it was charged on an order.
type AppliedTax struct {
	Key  string `json:"key"` // "CA" or "CA-QC"
	Name string `json:"name,omitempty"`
	Rate string `json:"rate"` // a decimal: "0.09975"
}

// ParseHSCode reads a Harmonized System code: 6 to 10 digits, which may be
// written in the usual dotted form ("6109.10", "6109.10.00"). It returns the
// digits alone, and false for anything else.
func ParseHSCode(s string) (string, bool) {
	if strings.HasPrefix(s, ".") || strings.HasSuffix(s, ".") || strings.Contains(s, "..") {
		return "", false
	}
	d := strings.ReplaceAll(s, ".", "")
	if len(d) < 6 || len(d) > 10 {
		return "", false
	}
	for i := 0; i < len(d); i++ {
		if d[i] < '0' || d[i] > '9' {
			return "", false
		}
	}
	return d, true
}

// validateCustoms checks an item's customs data: the HS code as digits (see
// ParseHSCode; the API normalises the dotted form before) and the country of
// origin.
func (it *Item) validateCustoms(p *Problems) {
	if it.HSCode != "" {
		if d, ok := ParseHSCode(it.HSCode); !ok || d != it.HSCode {
			p.Add("hs_code", "must be a Harmonized System code of 6 to 10 digits, such as 610910 or 6109.10.00")
		}
	}
	if it.CountryOfOrigin != "" && !ValidCountry(it.CountryOfOrigin) {
		p.Add("country_of_origin", "must be an ISO 3166-1 alpha-2 country code such as PT")
	}
}
