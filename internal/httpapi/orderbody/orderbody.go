// Package orderbody is the body of POST /v1/orders, oms's own order format
// (also what a channel of kind web, pos or api sends): its Go shape, for
// the decoder and the OpenAPI document, and its reading into an
// oms.OrderDraft with every problem named by its field's JSON path.
package orderbody

import (
	"fmt"
	"time"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/httpapi/decode"
)

// OrderRequest is the body of POST /v1/orders. Amounts are integers in minor
// units of currency.
type OrderRequest struct {
	Channel       string           `json:"channel"`
	ExternalID    string           `json:"external_id"`
	Currency      string           `json:"currency"`
	Customer      CustomerInput    `json:"customer"`
	ShipTo        *oms.Address     `json:"ship_to,omitempty"`
	Lines         []OrderLineInput `json:"lines"`
	ShippingPrice decode.Int       `json:"shipping_price,omitempty"`
	ShippingTax   decode.Int       `json:"shipping_tax,omitempty"`
	TaxesIncluded bool             `json:"taxes_included,omitempty"` // prices already include tax
	PlacedAt      string           `json:"placed_at,omitempty"`      // RFC 3339; default now
	// PickupLocation asks for store pickup at this location instead of shipping.
	PickupLocation string `json:"pickup_location,omitempty"`
	// Billing is the billing address, for screening.
	Billing *oms.Address `json:"billing,omitempty"`

	// Duties are import duties the customer pays; Incoterm (DDP or DAP)
	// says who pays them at the border, for a cross-border shipment.
	Duties   decode.Int `json:"duties,omitempty"`
	Incoterm string     `json:"incoterm,omitempty"`
}

// CustomerInput is who places the order. ExternalID is the channel's own
// id for the customer, when it has one: orders with the same one are the
// same customer whatever their email.
type CustomerInput struct {
	oms.Customer
	ExternalID string `json:"external_id,omitempty"`
}

// OrderLineInput is a line of the order.
type OrderLineInput struct {
	SKU       string     `json:"sku"`
	Quantity  decode.Int `json:"quantity"`
	UnitPrice decode.Int `json:"unit_price"`
	Discount  decode.Int `json:"discount,omitempty"` // for the whole line
	// Tax for the whole line. When no line and not shipping_tax gives a
	// tax, oms computes it from its tax rules for the destination; a tax
	// given, even 0, is kept.
	Tax decode.Int `json:"tax,omitempty"`
}

// Decode parses and validates the body of POST /v1/orders into a draft.
// Every problem is reported at once, each naming its field's JSON path.
func Decode(body []byte) (*oms.OrderDraft, error) {
	var req OrderRequest
	if err := decode.JSONChecked(body, &req, req.Check); err != nil {
		return nil, err
	}
	return req.Draft()
}

// Check reports the request's problems, for decode.JSONChecked and
// decode.RequestChecked.
func (req *OrderRequest) Check() error {
	_, err := req.Draft()
	return err
}

// Draft reads the request into a draft the core validates; its problems
// and the draft's are one EINVALID.
func (req *OrderRequest) Draft() (*oms.OrderDraft, error) {
	var p oms.Problems
	d := &oms.OrderDraft{Channel: req.Channel, ExternalID: req.ExternalID, Currency: req.Currency,
		Customer: req.Customer.Customer, CustomerID: req.Customer.ExternalID, ShipTo: req.ShipTo, TaxesIncluded: req.TaxesIncluded, PickupLocation: req.PickupLocation, Billing: req.Billing,
		ShippingPrice: amount(&p, req.ShippingPrice, "shipping_price", false),
		ShippingTax:   amount(&p, req.ShippingTax, "shipping_tax", false)}
	if len(req.Lines) > oms.MaxLines {
		p.Add("lines", "at most %d lines are allowed", oms.MaxLines)
	} else {
		d.Lines = make([]oms.LineDraft, len(req.Lines))
		for i, l := range req.Lines {
			at := fmt.Sprintf("lines[%d].", i)
			d.Lines[i] = oms.LineDraft{SKU: l.SKU,
				Quantity:  amount(&p, l.Quantity, at+"quantity", true),
				UnitPrice: amount(&p, l.UnitPrice, at+"unit_price", true),
				Discount:  amount(&p, l.Discount, at+"discount", false),
				Tax:       amount(&p, l.Tax, at+"tax", false)}
		}
	}
	d.Duties, d.Incoterm = amount(&p, req.Duties, "duties", false), req.Incoterm
	d.ComputeTax = req.withoutTax()
	if req.PlacedAt != "" {
		t, _ := oms.ParseTime(&p, "placed_at", req.PlacedAt)
		d.PlacedAt = t.Truncate(time.Microsecond)
	}
	err := d.Validate()
	if len(p) > 0 {
		return nil, decode.WithProblems(p, err).Err()
	}
	if err != nil {
		return nil, err
	}
	return d, nil
}

// amount reads an Int of the request into the draft. One it cannot read is
// -1 there: the draft's checks of it then fail under its own path, already
// named, and none that weighs it against another field (a discount against
// the price, the totals) speaks of a value the request never gave.
func amount(p *oms.Problems, n decode.Int, field string, required bool) int64 {
	before := len(*p)
	v := n.Value(p, field, required)
	if len(*p) > before {
		return -1
	}
	return v
}

// withoutTax reports whether the request gives no tax at all: no line and
// not shipping_tax has the field (a tax of 0 is a tax given).
func (req *OrderRequest) withoutTax() bool {
	if req.ShippingTax.Set() {
		return false
	}
	for _, l := range req.Lines {
		if l.Tax.Set() {
			return false
		}
	}
	return true
}
