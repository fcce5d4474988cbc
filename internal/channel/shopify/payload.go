package shopify

import "encoding/json"

// order is the part of the REST Admin Order the adapter reads. Integers
// (ids, quantities) are kept raw so that a bad one is reported by its path
// and an id is never rounded through a float; money is a decimal string.
type order struct {
	ID                  json.RawMessage `json:"id"`
	Name                string          `json:"name"`
	Email               string          `json:"email"`
	ContactEmail        string          `json:"contact_email"`
	Phone               string          `json:"phone"`
	Currency            string          `json:"currency"`
	PresentmentCurrency string          `json:"presentment_currency"`
	TaxesIncluded       bool            `json:"taxes_included"`
	FinancialStatus     string          `json:"financial_status"`
	FulfillmentStatus   string          `json:"fulfillment_status"`
	CreatedAt           *string         `json:"created_at"`
	ProcessedAt         *string         `json:"processed_at"`
	UpdatedAt           *string         `json:"updated_at"`
	CancelledAt         *string         `json:"cancelled_at"`
	ClosedAt            *string         `json:"closed_at"`
	CancelReason        string          `json:"cancel_reason"`

	TotalLineItemsPrice    *string   `json:"total_line_items_price"`
	TotalLineItemsPriceSet *moneySet `json:"total_line_items_price_set"`
	TotalDiscounts         *string   `json:"total_discounts"`
	TotalDiscountsSet      *moneySet `json:"total_discounts_set"`
	TotalTax               *string   `json:"total_tax"`
	TotalTaxSet            *moneySet `json:"total_tax_set"`
	TotalPrice             *string   `json:"total_price"`
	TotalPriceSet          *moneySet `json:"total_price_set"`
	TotalShippingPriceSet  *moneySet `json:"total_shipping_price_set"`
	TotalTipReceived       *string   `json:"total_tip_received"`
	CurrentTotalDutiesSet  *moneySet `json:"current_total_duties_set"`
	OriginalTotalDutiesSet *moneySet `json:"original_total_duties_set"`

	Customer        *customer      `json:"customer"`
	ShippingAddress *address       `json:"shipping_address"`
	BillingAddress  *address       `json:"billing_address"`
	LineItems       []lineItem     `json:"line_items"`
	ShippingLines   []shippingLine `json:"shipping_lines"`
}

// moneySet is an amount in the shop's and in the customer's currency.
type moneySet struct {
	ShopMoney        *moneyBag `json:"shop_money"`
	PresentmentMoney *moneyBag `json:"presentment_money"`
}

type moneyBag struct {
	Amount       *string `json:"amount"`
	CurrencyCode string  `json:"currency_code"`
}

type lineItem struct {
	ID                  json.RawMessage      `json:"id"`
	ProductID           json.RawMessage      `json:"product_id"`
	VariantID           json.RawMessage      `json:"variant_id"`
	SKU                 string               `json:"sku"`
	Title               string               `json:"title"`
	Name                string               `json:"name"`
	Quantity            json.RawMessage      `json:"quantity"`
	CurrentQuantity     json.RawMessage      `json:"current_quantity"`
	Price               *string              `json:"price"`
	PriceSet            *moneySet            `json:"price_set"`
	TaxLines            []taxLine            `json:"tax_lines"`
	DiscountAllocations []discountAllocation `json:"discount_allocations"`
	Duties              []duty               `json:"duties"`
}

type taxLine struct {
	Price    *string   `json:"price"`
	PriceSet *moneySet `json:"price_set"`
}

type discountAllocation struct {
	Amount    *string   `json:"amount"`
	AmountSet *moneySet `json:"amount_set"`
}

// duty is a line's import duty. Captures differ: some carry a price_set,
// others shop_money and presentment_money directly on the duty.
type duty struct {
	PriceSet         *moneySet `json:"price_set"`
	ShopMoney        *moneyBag `json:"shop_money"`
	PresentmentMoney *moneyBag `json:"presentment_money"`
	TaxLines         []taxLine `json:"tax_lines"`
}

type shippingLine struct {
	Title               string               `json:"title"`
	Price               *string              `json:"price"`
	PriceSet            *moneySet            `json:"price_set"`
	DiscountedPrice     *string              `json:"discounted_price"`
	DiscountedPriceSet  *moneySet            `json:"discounted_price_set"`
	IsRemoved           bool                 `json:"is_removed"`
	TaxLines            []taxLine            `json:"tax_lines"`
	DiscountAllocations []discountAllocation `json:"discount_allocations"`
}

type customer struct {
	ID        json.RawMessage `json:"id"`
	Email     string          `json:"email"`
	FirstName string          `json:"first_name"`
	LastName  string          `json:"last_name"`
	Phone     string          `json:"phone"`
}

type address struct {
	FirstName    string          `json:"first_name"`
	LastName     string          `json:"last_name"`
	Name         string          `json:"name"`
	Address1     string          `json:"address1"`
	Address2     string          `json:"address2"`
	City         string          `json:"city"`
	Province     string          `json:"province"`
	ProvinceCode string          `json:"province_code"`
	Zip          string          `json:"zip"`
	CountryCode  string          `json:"country_code"`
	Phone        string          `json:"phone"`
	Latitude     json.RawMessage `json:"latitude"`
	Longitude    json.RawMessage `json:"longitude"`
}
