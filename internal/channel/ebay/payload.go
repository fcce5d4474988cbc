package ebay

import "encoding/json"

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
