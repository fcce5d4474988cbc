package ebay

import (
	"bytes"
	"encoding/json"
	"errors"
	"strconv"

	"github.com/omshq/oms"
)

// The JSON shapes below hold only the fields the adapter reads.

type order struct {
	OrderID                string          `json:"orderId"`
	CreationDate           string          `json:"creationDate"`
	LastModifiedDate       string          `json:"lastModifiedDate"`
	OrderFulfillmentStatus string          `json:"orderFulfillmentStatus"`
	OrderPaymentStatus     string          `json:"orderPaymentStatus"`
	BuyerCheckoutNotes     string          `json:"buyerCheckoutNotes"`
	PricingSummary         *pricingSummary `json:"pricingSummary"`
	CancelStatus           *struct {
		CancelState string `json:"cancelState"`
	} `json:"cancelStatus"`
	FulfillmentStartInstructions []instruction   `json:"fulfillmentStartInstructions"`
	LineItems                    json.RawMessage `json:"lineItems"`
}

type pricingSummary struct {
	PriceSubtotal         *amount `json:"priceSubtotal"`
	PriceDiscountSubtotal *amount `json:"priceDiscountSubtotal"`
	DeliveryCost          *amount `json:"deliveryCost"`
	DeliveryDiscount      *amount `json:"deliveryDiscount"`
	Adjustment            *amount `json:"adjustment"`
	Fee                   *amount `json:"fee"`
	Tax                   *amount `json:"tax"`
	Total                 *amount `json:"total"`
}

// amount is eBay's Amount: value is a decimal string in currency; when eBay
// converted it, the buyer's original is convertedFromValue in
// convertedFromCurrency.
type amount struct {
	Value                 *string `json:"value"`
	Currency              string  `json:"currency"`
	ConvertedFromValue    *string `json:"convertedFromValue"`
	ConvertedFromCurrency string  `json:"convertedFromCurrency"`
}

type instruction struct {
	FulfillmentInstructionsType string          `json:"fulfillmentInstructionsType"`
	FinalDestinationAddress     json.RawMessage `json:"finalDestinationAddress"`
	ShippingStep                *struct {
		ShipTo *shipTo `json:"shipTo"`
	} `json:"shippingStep"`
}

type shipTo struct {
	FullName       string `json:"fullName"`
	CompanyName    string `json:"companyName"`
	Email          string `json:"email"`
	ContactAddress *struct {
		AddressLine1    string `json:"addressLine1"`
		AddressLine2    string `json:"addressLine2"`
		City            string `json:"city"`
		StateOrProvince string `json:"stateOrProvince"`
		PostalCode      string `json:"postalCode"`
		CountryCode     string `json:"countryCode"`
	} `json:"contactAddress"`
	PrimaryPhone *struct {
		PhoneNumber string `json:"phoneNumber"`
	} `json:"primaryPhone"`
}

type lineItem struct {
	LineItemID           string          `json:"lineItemId"`
	LegacyItemID         string          `json:"legacyItemId"`
	LegacyVariationID    string          `json:"legacyVariationId"`
	SKU                  string          `json:"sku"`
	Title                string          `json:"title"`
	Quantity             json.RawMessage `json:"quantity"`
	LineItemCost         *amount         `json:"lineItemCost"`
	ListingMarketplaceID string          `json:"listingMarketplaceId"`
	DeliveryCost         *struct {
		ShippingCost              *amount `json:"shippingCost"`
		HandlingCost              *amount `json:"handlingCost"`
		ImportCharges             *amount `json:"importCharges"`
		ShippingIntermediationFee *amount `json:"shippingIntermediationFee"`
	} `json:"deliveryCost"`
	AppliedPromotions []struct {
		DiscountAmount *amount `json:"discountAmount"`
	} `json:"appliedPromotions"`
	Taxes                    []tax `json:"taxes"`
	EbayCollectAndRemitTaxes []tax `json:"ebayCollectAndRemitTaxes"`
}

type tax struct {
	Amount  *amount `json:"amount"`
	TaxType string  `json:"taxType"`
}

// decode unmarshals data into v, turning a decoding failure into an
// EINVALID error naming the field by its path under prefix ("lineItems[0].",
// or "" for the whole body).
func decode(data []byte, v any, prefix string) error {
	err := json.Unmarshal(data, v)
	if err == nil {
		return nil
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		field := prefix + te.Field
		if te.Field == "" {
			field = trimDot(prefix)
		}
		if field == "" {
			field = "body"
		}
		return oms.Invalid(field, "has the wrong JSON type (%s)", te.Value)
	}
	return oms.Invalid("body", "is not valid JSON: %v", err)
}

// trimDot returns a path prefix without its trailing dot.
func trimDot(prefix string) string {
	if n := len(prefix); n > 0 && prefix[n-1] == '.' {
		return prefix[:n-1]
	}
	return prefix
}

// quantity reads a line quantity at path: a whole number from 1 to
// oms.MaxLineQuantity, else a problem and 0.
func quantity(p *oms.Problems, path string, raw json.RawMessage) int64 {
	s := string(bytes.TrimSpace(raw))
	if s == "" || s == "null" {
		p.Add(path, "is required")
		return 0
	}
	n, err := strconv.ParseInt(s, 10, 64)
	switch {
	case err != nil:
		p.Add(path, "must be a whole number, not %s", clip(s, 32))
		return 0
	case n < 1 || n > oms.MaxLineQuantity:
		p.Add(path, "must be between 1 and %d", oms.MaxLineQuantity)
		return 0
	}
	return n
}
