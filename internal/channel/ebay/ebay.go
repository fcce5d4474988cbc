package ebay

import (
	"encoding/json"
	"strings"
	"time"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/channel/internal/payload"
	"github.com/omshq/oms/money"
)

// Parse reads an eBay Fulfillment API order into the order draft and the
// totals eBay states. It returns an EINVALID error naming each bad field by
// its JSON path ("body" when the payload is not JSON).
func Parse(body []byte) (*oms.Ingested, error) {
	var o order
	if err := payload.DecodeAt(body, &o, ""); err != nil {
		return nil, err
	}
	var raws []json.RawMessage
	if payload.Present(o.LineItems) {
		if err := payload.DecodeAt(o.LineItems, &raws, "lineItems."); err != nil {
			return nil, err
		}
	}
	if len(raws) > oms.MaxLines {
		return nil, oms.Invalid("lineItems", "at most %d line items are allowed", oms.MaxLines)
	}
	lines := make([]lineItem, len(raws))
	for i, raw := range raws {
		if err := payload.DecodeAt(raw, &lines[i], payload.Elem("lineItems", i)+"."); err != nil {
			return nil, err
		}
	}
	return build(&o, lines)
}

// build maps a decoded order and its lines.
func build(o *order, items []lineItem) (*oms.Ingested, error) {
	var p oms.Problems
	in := &oms.Ingested{RawTimes: map[string]string{}, Status: o.OrderFulfillmentStatus,
		Cancelled: o.CancelStatus != nil && o.CancelStatus.CancelState == "CANCELED"}
	// An order first seen FULFILLED was shipped by the seller before oms
	// knew of it.
	in.Shipped = o.OrderFulfillmentStatus == "FULFILLED" && !in.Cancelled
	d := &in.Draft
	d.Cancelled = in.Cancelled
	d.ExternalID = o.OrderID
	if o.OrderID == "" {
		p.Add("orderId", "is required")
	}
	d.PlacedAt = utc(&p, in, "creationDate", o.CreationDate)
	in.UpdatedAt = utc(&p, in, "lastModifiedDate", o.LastModifiedDate)
	if len(items) == 0 {
		p.Add("lineItems", "at least one line item is required")
	}
	ps := o.PricingSummary
	if ps == nil {
		ps = &pricingSummary{}
	}
	code, converted, ok := currency(&p, ps, items)
	if !ok {
		return nil, p.Err()
	}
	d.Currency, d.ForeignCurrency = code, converted
	a := &amounts{code: code, p: &p}
	s := readLines(in, a, items)
	readCharges(in, a, ps, s)
	d.Customer, d.ShipTo = customer(in, o)
	notes(in, o, ps, converted)
	return payload.Result(in, p)
}

// utc parses a required ISO 8601 time, keeps it as sent and returns it in
// UTC.
func utc(p *oms.Problems, in *oms.Ingested, field, s string) time.Time {
	if s != "" {
		in.RawTimes[field] = s
	}
	return payload.RequiredTime(p, field, s, "2025-11-13T17:04:51.000Z")
}

// currency returns the currency the buyer paid in: pricingSummary.total's
// (its convertedFromCurrency when eBay converted it), else the first line's
// lineItemCost's. converted says eBay converted the amounts.
func currency(p *oms.Problems, ps *pricingSummary, items []lineItem) (code string, converted, ok bool) {
	m, path := ps.Total, "pricingSummary.total"
	if m == nil && len(items) > 0 {
		m, path = items[0].LineItemCost, "lineItems[0].lineItemCost"
	}
	switch {
	case m == nil:
		p.Add("pricingSummary.total", "is required: no amount names the order's currency")
		return "", false, false
	case m.ConvertedFromCurrency != "":
		code, path, converted = m.ConvertedFromCurrency, path+".convertedFromCurrency", true
	default:
		code, path = m.Currency, path+".currency"
	}
	if _, ok := money.Lookup(code); !ok {
		p.Add(path, "must be an ISO 4217 currency code such as EUR")
		return "", false, false
	}
	return code, converted, true
}

// customer returns the buyer and the ship-to address from the first
// fulfillment instruction's shipTo; without a street the ship-to is nil.
func customer(in *oms.Ingested, o *order) (oms.Customer, *oms.Address) {
	var c oms.Customer
	if len(o.FulfillmentStartInstructions) == 0 || o.FulfillmentStartInstructions[0].ShippingStep == nil ||
		o.FulfillmentStartInstructions[0].ShippingStep.ShipTo == nil {
		payload.Note(in, "eBay sent no fulfillmentStartInstructions[0].shippingStep.shipTo: the ship-to is left empty")
		return c, nil
	}
	fi := o.FulfillmentStartInstructions[0]
	st := fi.ShippingStep.ShipTo
	c.Name = strings.TrimSpace(st.FullName)
	if st.PrimaryPhone != nil {
		c.Phone = strings.TrimSpace(st.PrimaryPhone.PhoneNumber)
	}
	c.Email = strings.TrimSpace(st.Email)
	if c.Email != "" && !oms.ValidEmail(c.Email) {
		payload.Note(in, "shipTo.email is not an email address (eBay masks it 14 days after the sale) and was left out")
		c.Email = ""
	}
	if payload.Present(fi.FinalDestinationAddress) {
		payload.Note(in, "the ship-to is eBay's international shipping hub; the buyer's address is finalDestinationAddress")
	}
	ca := st.ContactAddress
	if ca == nil || strings.TrimSpace(ca.AddressLine1) == "" && strings.TrimSpace(ca.AddressLine2) == "" {
		payload.Note(in, "shipTo has no street line: the ship-to is left empty")
		return c, nil
	}
	line1, line2 := strings.TrimSpace(ca.AddressLine1), strings.TrimSpace(ca.AddressLine2)
	if line1 == "" {
		line1, line2 = line2, ""
	}
	return c, &oms.Address{
		Name:       c.Name,
		Line1:      line1,
		Line2:      line2,
		City:       strings.TrimSpace(ca.City),
		Region:     strings.TrimSpace(ca.StateOrProvince),
		PostalCode: strings.TrimSpace(ca.PostalCode),
		Country:    strings.ToUpper(strings.TrimSpace(ca.CountryCode)),
		Phone:      c.Phone,
	}
}

// notes records what the draft cannot carry.
func notes(in *oms.Ingested, o *order, ps *pricingSummary, converted bool) {
	if converted && ps.Total != nil && ps.Total.Value != nil {
		payload.Note(in, "eBay converted the buyer's %s amounts into %s; the draft keeps %s, eBay's converted total is %s %s",
			in.Draft.Currency, payload.Clip(ps.Total.Currency, 3), in.Draft.Currency, payload.Clip(*ps.Total.Value, 32), payload.Clip(ps.Total.Currency, 3))
	}
	if o.OrderPaymentStatus != "" && o.OrderPaymentStatus != "PAID" {
		payload.Note(in, "orderPaymentStatus is %s", payload.Clip(o.OrderPaymentStatus, 40))
	}
	if n := strings.TrimSpace(o.BuyerCheckoutNotes); n != "" {
		payload.Note(in, "the buyer's checkout note: %s", payload.Text(n, 500))
	}
}
