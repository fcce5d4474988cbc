package woocommerce

import "encoding/json"

// order is the part of the REST v3 order the adapter reads. Integers (ids,
// quantities) are kept raw so that a bad one is reported by its path; money
// is a decimal string. The numeric line price is not read at all: it is a
// float and never money.
type order struct {
	ID               json.RawMessage `json:"id"`
	Number           string          `json:"number"`
	CustomerID       json.RawMessage `json:"customer_id"` // 0 for a guest
	Status           string          `json:"status"`
	Currency         string          `json:"currency"`
	PricesIncludeTax bool            `json:"prices_include_tax"`

	DateCreated      *string `json:"date_created"`
	DateCreatedGMT   *string `json:"date_created_gmt"`
	DateModified     *string `json:"date_modified"`
	DateModifiedGMT  *string `json:"date_modified_gmt"`
	DatePaid         *string `json:"date_paid"`
	DatePaidGMT      *string `json:"date_paid_gmt"`
	DateCompleted    *string `json:"date_completed"`
	DateCompletedGMT *string `json:"date_completed_gmt"`

	DiscountTotal *string `json:"discount_total"`
	DiscountTax   *string `json:"discount_tax"`
	ShippingTotal *string `json:"shipping_total"`
	ShippingTax   *string `json:"shipping_tax"`
	CartTax       *string `json:"cart_tax"`
	Total         *string `json:"total"`
	TotalTax      *string `json:"total_tax"`

	Billing       *address       `json:"billing"`
	Shipping      *address       `json:"shipping"`
	LineItems     []lineItem     `json:"line_items"`
	ShippingLines []shippingLine `json:"shipping_lines"`
	FeeLines      []feeLine      `json:"fee_lines"`
	CouponLines   []couponLine   `json:"coupon_lines"`
}

type lineItem struct {
	Name        string          `json:"name"`
	ProductID   json.RawMessage `json:"product_id"`
	VariationID json.RawMessage `json:"variation_id"`
	Quantity    json.RawMessage `json:"quantity"`
	SKU         string          `json:"sku"`
	Subtotal    *string         `json:"subtotal"`
	SubtotalTax *string         `json:"subtotal_tax"`
	Total       *string         `json:"total"`
	TotalTax    *string         `json:"total_tax"`
}

type shippingLine struct {
	MethodTitle string  `json:"method_title"`
	Total       *string `json:"total"`
	TotalTax    *string `json:"total_tax"`
}

type feeLine struct {
	Name     string  `json:"name"`
	Total    *string `json:"total"`
	TotalTax *string `json:"total_tax"`
}

type couponLine struct {
	Code string `json:"code"`
}

type address struct {
	FirstName string `json:"first_name"`
	LastName  string `json:"last_name"`
	Company   string `json:"company"`
	Address1  string `json:"address_1"`
	Address2  string `json:"address_2"`
	City      string `json:"city"`
	State     string `json:"state"`
	Postcode  string `json:"postcode"`
	Country   string `json:"country"`
	Email     string `json:"email"`
	Phone     string `json:"phone"`
}
