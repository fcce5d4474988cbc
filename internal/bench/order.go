package bench

import (
	"encoding/json"

	"github.com/omshq/oms"
)

// orderBody is the body of POST /v1/orders.
type orderBody struct {
	Channel       string       `json:"channel"`
	ExternalID    string       `json:"external_id"`
	Currency      string       `json:"currency"`
	Customer      oms.Customer `json:"customer"`
	Lines         []lineBody   `json:"lines"`
	ShippingPrice int64        `json:"shipping_price,omitempty"`
}

type lineBody struct {
	SKU       string `json:"sku"`
	Quantity  int64  `json:"quantity"`
	UnitPrice int64  `json:"unit_price"`
}

// encodeDraft returns the JSON body that places the draft.
func encodeDraft(d *oms.OrderDraft) []byte {
	b := orderBody{Channel: d.Channel, ExternalID: d.ExternalID, Currency: d.Currency, Customer: d.Customer,
		ShippingPrice: d.ShippingPrice, Lines: make([]lineBody, len(d.Lines))}
	for i, l := range d.Lines {
		b.Lines[i] = lineBody{SKU: l.SKU, Quantity: l.Quantity, UnitPrice: l.UnitPrice}
	}
	out, err := json.Marshal(b)
	if err != nil {
		panic(err) // plain strings and integers always encode
	}
	return out
}

// ack is an order oms acknowledged as created, as its answer described it:
// what verification later expects to find.
type ack struct {
	ID     string `json:"id"`
	Number string `json:"number"`
	Email  string `json:"-"`
	Name   string `json:"-"`
	// Tracking is the tracking number the order was shipped with, for the
	// search lookups; such an order is no longer as acknowledged.
	Tracking string    `json:"-"`
	Lines    []ackLine `json:"lines"`
}

type ackLine struct {
	ID        string `json:"id"`
	SKU       string `json:"sku"`
	Quantity  int64  `json:"quantity"`
	Allocated int64  `json:"allocated"`
}

// parseAck reads the 201 answer to POST /v1/orders; it decodes only what
// verification needs, to spare the load generator's CPU. The customer is
// the one the order was sent with: a channel key is not shown the
// customer's contact details.
func parseAck(body []byte, sent oms.Customer) (ack, error) {
	var a ack
	if err := json.Unmarshal(body, &a); err != nil {
		return ack{}, err
	}
	a.Email, a.Name = sent.Email, sent.Name
	return a, nil
}

// ackOf is the ack of an order the store returned.
func ackOf(o *oms.Order) ack {
	a := ack{ID: o.ID, Number: o.Number, Email: o.Customer.Email, Name: o.Customer.Name, Lines: make([]ackLine, len(o.Lines))}
	for i, l := range o.Lines {
		a.Lines[i] = ackLine{ID: l.ID, SKU: l.SKU, Quantity: l.Quantity, Allocated: l.Allocated}
	}
	return a
}
