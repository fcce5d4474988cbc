package amazon

import (
	"bytes"
	"encoding/json"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/channel/internal/payload"
)

// The JSON shapes below hold only the fields the adapter reads. Flags that v0
// sends as strings ("IsGift": "false") are not decoded, except
// IsBuyerRequestedCancel, which is read as either a string or a boolean.

// envelope is the body Parse reads: one order with its items.
type envelope struct {
	Order      json.RawMessage   `json:"order"`
	OrderItems []json.RawMessage `json:"order_items"`
}

type order struct {
	AmazonOrderID          string     `json:"AmazonOrderId"`
	PurchaseDate           string     `json:"PurchaseDate"`
	LastUpdateDate         string     `json:"LastUpdateDate"`
	EarliestShipDate       string     `json:"EarliestShipDate"`
	LatestShipDate         string     `json:"LatestShipDate"`
	EarliestDeliveryDate   string     `json:"EarliestDeliveryDate"`
	LatestDeliveryDate     string     `json:"LatestDeliveryDate"`
	PromiseResponseDueDate string     `json:"PromiseResponseDueDate"`
	OrderStatus            string     `json:"OrderStatus"`
	FulfillmentChannel     string     `json:"FulfillmentChannel"`
	MarketplaceID          string     `json:"MarketplaceId"`
	OrderTotal             *amount    `json:"OrderTotal"`
	ShippingAddress        *address   `json:"ShippingAddress"`
	BuyerInfo              *buyerInfo `json:"BuyerInfo"`
}

// amount is SP-API's Money: the amount is a decimal string.
type amount struct {
	CurrencyCode string  `json:"CurrencyCode"`
	Amount       *string `json:"Amount"`
}

type address struct {
	Name          string `json:"Name"`
	AddressLine1  string `json:"AddressLine1"`
	AddressLine2  string `json:"AddressLine2"`
	AddressLine3  string `json:"AddressLine3"`
	City          string `json:"City"`
	StateOrRegion string `json:"StateOrRegion"`
	PostalCode    string `json:"PostalCode"`
	CountryCode   string `json:"CountryCode"`
	Phone         string `json:"Phone"`
}

type buyerInfo struct {
	BuyerEmail string `json:"BuyerEmail"`
	BuyerName  string `json:"BuyerName"`
}

type orderItem struct {
	ASIN                 string          `json:"ASIN"`
	SellerSKU            string          `json:"SellerSKU"`
	OrderItemID          string          `json:"OrderItemId"`
	Title                string          `json:"Title"`
	QuantityOrdered      json.RawMessage `json:"QuantityOrdered"`
	ItemPrice            *amount         `json:"ItemPrice"`
	ItemTax              *amount         `json:"ItemTax"`
	ShippingPrice        *amount         `json:"ShippingPrice"`
	ShippingTax          *amount         `json:"ShippingTax"`
	ShippingDiscount     *amount         `json:"ShippingDiscount"`
	ShippingDiscountTax  *amount         `json:"ShippingDiscountTax"`
	PromotionDiscount    *amount         `json:"PromotionDiscount"`
	PromotionDiscountTax *amount         `json:"PromotionDiscountTax"`
	CODFee               *amount         `json:"CODFee"`
	CODFeeDiscount       *amount         `json:"CODFeeDiscount"`
	BuyerInfo            *struct {
		GiftWrapPrice *amount `json:"GiftWrapPrice"`
		GiftWrapTax   *amount `json:"GiftWrapTax"`
	} `json:"BuyerInfo"`
	BuyerRequestedCancel *struct {
		IsBuyerRequestedCancel flag   `json:"IsBuyerRequestedCancel"`
		BuyerCancelReason      string `json:"BuyerCancelReason"`
	} `json:"BuyerRequestedCancel"`
}

// flag is a boolean that v0 sends as the string "true"/"false" and the
// ORDER_CHANGE notification as a JSON boolean; anything else is false.
type flag bool

func (f *flag) UnmarshalJSON(b []byte) error {
	s := string(bytes.Trim(b, `"`))
	*f = flag(s == "true")
	return nil
}

// Orders returns the orders of a getOrders response page, each as the raw
// JSON of one Order. It returns an EINVALID error if the page is not JSON
// or has no payload.
func Orders(page []byte) ([]json.RawMessage, error) {
	var resp struct {
		Payload *struct {
			Orders []json.RawMessage `json:"Orders"`
		} `json:"payload"`
	}
	if err := payload.DecodeAt(page, &resp, ""); err != nil {
		return nil, err
	}
	if resp.Payload == nil {
		return nil, oms.Invalid("payload", "is required")
	}
	return resp.Payload.Orders, nil
}

// Items returns the order id and the raw JSON of each OrderItem of a
// getOrderItems response. It returns an EINVALID error if the response is
// not JSON, has no payload or no AmazonOrderId.
func Items(page []byte) (orderID string, items []json.RawMessage, err error) {
	var resp struct {
		Payload *struct {
			AmazonOrderID string            `json:"AmazonOrderId"`
			OrderItems    []json.RawMessage `json:"OrderItems"`
		} `json:"payload"`
	}
	if err := payload.DecodeAt(page, &resp, ""); err != nil {
		return "", nil, err
	}
	if resp.Payload == nil {
		return "", nil, oms.Invalid("payload", "is required")
	}
	if resp.Payload.AmazonOrderID == "" {
		return "", nil, oms.Invalid("payload.AmazonOrderId", "is required")
	}
	return resp.Payload.AmazonOrderID, resp.Payload.OrderItems, nil
}

// Envelope builds the body Parse reads from one Order and its OrderItems.
// The raw messages are copied as they are: one that is not JSON makes Parse
// fail with EINVALID naming "body".
func Envelope(order json.RawMessage, items []json.RawMessage) []byte {
	var b bytes.Buffer
	b.WriteString(`{"order":`)
	writeRaw(&b, order)
	b.WriteString(`,"order_items":[`)
	for i, it := range items {
		if i > 0 {
			b.WriteByte(',')
		}
		writeRaw(&b, it)
	}
	b.WriteString("]}")
	return b.Bytes()
}

func writeRaw(b *bytes.Buffer, m json.RawMessage) {
	if len(bytes.TrimSpace(m)) == 0 {
		b.WriteString("null")
		return
	}
	b.Write(m)
}
