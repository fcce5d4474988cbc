package amazon

// marketplace is what the adapter needs to know of an Amazon marketplace.
type marketplace struct {
	currency string
	// taxOnTop says prices exclude tax, which is added at checkout (North
	// America); elsewhere prices include VAT/GST.
	taxOnTop bool
}

// marketplaces maps the SP-API MarketplaceId of each Amazon store to its
// currency and tax rule (ids from the SP-API "Marketplace IDs" page). The
// currency is used only when an order carries no amount at all (a Pending
// order without prices).
var marketplaces = map[string]marketplace{
	"A2EUQ1WTGCTBG2": {"CAD", true},  // Canada
	"ATVPDKIKX0DER":  {"USD", true},  // United States
	"A1AM78C64UM0Y8": {"MXN", true},  // Mexico
	"A2Q3Y263D00KWC": {"BRL", false}, // Brazil
	"A28R8C7NBKEWEA": {"EUR", false}, // Ireland
	"A1RKKUPIHCS9HS": {"EUR", false}, // Spain
	"A1F83G8C2ARO7P": {"GBP", false}, // United Kingdom
	"A13V1IB3VIYZZH": {"EUR", false}, // France
	"AMEN7PMS3EDWL":  {"EUR", false}, // Belgium
	"A1805IZSGTT6HS": {"EUR", false}, // Netherlands
	"A1PA6795UKMFR9": {"EUR", false}, // Germany
	"APJ6JRA9NG5V4":  {"EUR", false}, // Italy
	"A2NODRKZP88ZB9": {"SEK", false}, // Sweden
	"AE08WJ6YKNBMC":  {"ZAR", false}, // South Africa
	"A1C3SOZRARQ6R3": {"PLN", false}, // Poland
	"ARBP9OOSHTCHU":  {"EGP", false}, // Egypt
	"A33AVAJ2PDY3EV": {"TRY", false}, // Turkey
	"A17E79C6D8DWNP": {"SAR", false}, // Saudi Arabia
	"A2VIGQ35RCS4UG": {"AED", false}, // United Arab Emirates
	"A21TJRUUN4KGV":  {"INR", false}, // India
	"A19VAU5U5O7RUS": {"SGD", false}, // Singapore
	"A39IBJ37TRP1C6": {"AUD", false}, // Australia
	"A1VC38T7YXB528": {"JPY", false}, // Japan
}

// taxOnTop reports whether the order's prices exclude tax: by marketplace,
// or, for an unknown or missing marketplace, by the North American
// currencies. decided is false when the marketplace was not known.
func taxOnTop(marketplaceID, currency string) (onTop, decided bool) {
	if m, ok := marketplaces[marketplaceID]; ok {
		return m.taxOnTop, true
	}
	switch currency {
	case "USD", "CAD", "MXN":
		return true, false
	}
	return false, false
}
