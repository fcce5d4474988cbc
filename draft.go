package oms

import (
	"fmt"
	"strings"
	"time"

	"github.com/omshq/oms/money"
)

// Limits on an order request.
const (
	MaxLines        = 500       // lines on one order
	MaxLineQuantity = 1_000_000 // units on one line
)

// Incoterms are the terms a cross-border order may name for who pays the
// duties at the border: DDP, the seller; DAP, the customer.
var Incoterms = []string{"DDP", "DAP"}

// OrderDraft is an order as a channel submits it, before it is accepted.
type OrderDraft struct {
	Channel    string
	ExternalID string
	Currency   string
	Customer   Customer
	// CustomerID is the channel's own id for the customer (Shopify's
	// customer.id, WooCommerce's customer_id), when it gives one: orders
	// with the same one are the same customer, whatever their email.
	CustomerID    string
	ShipTo        *Address
	Lines         []LineDraft
	ShippingPrice int64
	ShippingTax   int64
	TaxesIncluded bool
	PlacedAt      time.Time // zero means now
	// PickupLocation asks for store pickup at this location instead of
	// shipping: the order is sourced from there only.
	PickupLocation string
	// Billing is the billing address, for screening.
	Billing *Address
	// Duties are import duties the customer pays; Incoterm says who pays
	// them at the border (DDP: the seller, DAP: the customer).
	Duties   int64
	Incoterm string
	// ForeignCurrency lets the order be in a currency other than its
	// channel's (a marketplace's buyer paying in their own currency).
	ForeignCurrency bool
	// ListingSKUs says the line SKUs are a channel's listing SKUs, mapped
	// to oms SKUs later: they may hold the '/', '?', '#' and '%' an oms SKU
	// may not (such a line is unknown until mapped).
	ListingSKUs bool
	// ComputeTax says the order arrived without tax (no tax on any line or
	// on shipping, as opposed to a tax of 0): oms computes it from its tax
	// rules for the destination. Tax a channel gives is kept as given.
	ComputeTax bool
	// Cancelled says the channel sent the order already cancelled (the
	// store records every unit cancelled): a line may then have quantity 0,
	// as a marketplace zeroes the lines of an order it cancels.
	Cancelled bool
}

// LineDraft is one requested line of an OrderDraft.
type LineDraft struct {
	SKU       string
	Quantity  int64
	UnitPrice int64
	// Subtotal, when not 0, is the line's amount before discount as the
	// channel states it (Amazon and eBay give line amounts, which need not
	// divide into whole units); UnitPrice is then informative.
	Subtotal int64
	Discount int64
	Tax      int64
	// Title and ListingID describe the channel's listing, for mapping a
	// line whose SKU is missing or unknown.
	Title     string
	ListingID string
}

// Validate checks everything about the draft that needs no stored state. It
// returns an EINVALID error naming each bad field by its JSON path.
func (d *OrderDraft) Validate() error {
	var p Problems
	checkCode(&p, "channel", d.Channel)
	if d.ExternalID == "" || len(d.ExternalID) > 255 || !printable(d.ExternalID) {
		p.Add("external_id", "is required: printable text of at most 255 bytes")
	}
	if _, ok := money.Lookup(d.Currency); !ok {
		p.Add("currency", "must be an ISO 4217 currency code such as USD")
	}
	d.Customer.validate(&p)
	if len(d.CustomerID) > MaxChannelCustomerID || !printable(d.CustomerID) {
		p.Add("customer.external_id", "must be printable text of at most %d bytes", MaxChannelCustomerID)
	}
	if d.ShipTo != nil {
		d.ShipTo.validate(&p, "ship_to", true)
	}
	if d.Billing != nil {
		d.Billing.validate(&p, "billing", true)
	}
	if d.PickupLocation != "" {
		checkCode(&p, "pickup_location", d.PickupLocation)
	}
	switch {
	case len(d.Lines) == 0:
		p.Add("lines", "at least one line is required")
	case len(d.Lines) > MaxLines:
		p.Add("lines", "at most %d lines are allowed", MaxLines)
	default:
		for i := range d.Lines {
			d.Lines[i].validate(&p, fmt.Sprintf("lines[%d]", i), d.ListingSKUs, d.Cancelled)
		}
	}
	checkAmount(&p, "shipping_price", d.ShippingPrice)
	checkAmount(&p, "shipping_tax", d.ShippingTax)
	checkAmount(&p, "duties", d.Duties)
	if d.Incoterm != "" && !oneOf(d.Incoterm, Incoterms) {
		p.Add("incoterm", "must be DDP or DAP")
	}
	if !d.PlacedAt.IsZero() && (d.PlacedAt.UTC().Year() < 2000 || !InDateBounds(d.PlacedAt)) {
		p.Add("placed_at", "must be a time from 2000-01-01 to %s", LastDate)
	}
	if err := p.Err(); err != nil {
		return err
	}
	_, err := ComputeTotals(d.lines(), d.charges())
	return err
}

// lines returns the draft lines as order lines with all units open.
func (d *OrderDraft) lines() []Line {
	out := make([]Line, len(d.Lines))
	for i, l := range d.Lines {
		out[i] = Line{SKU: l.SKU, Quantity: l.Quantity, UnitPrice: l.UnitPrice,
			Discount: l.Discount, Tax: l.Tax, Open: l.Quantity, Subtotal: l.Subtotal}
		if out[i].Subtotal == 0 {
			out[i].Subtotal, _ = money.Mul(l.Quantity, l.UnitPrice)
		}
	}
	return out
}

func (d *OrderDraft) charges() Charges {
	return Charges{Shipping: d.ShippingPrice, ShippingTax: d.ShippingTax, Duties: d.Duties, TaxesIncluded: d.TaxesIncluded}
}

// NewOrder turns a validated draft into an order with every unit open, its
// totals computed. The caller assigns ids and allocates stock.
func (d *OrderDraft) NewOrder(now time.Time) (*Order, error) {
	lines := d.lines()
	t, err := ComputeTotals(lines, d.charges())
	if err != nil {
		return nil, err
	}
	placed := d.PlacedAt.UTC()
	if d.PlacedAt.IsZero() {
		placed = now
	}
	o := &Order{Channel: d.Channel, ExternalID: d.ExternalID, Currency: d.Currency,
		Customer: d.Customer, ShipTo: d.ShipTo, Lines: lines, Totals: t,
		TaxesIncluded: d.TaxesIncluded, PickupLocation: d.PickupLocation, Billing: d.Billing, Incoterm: d.Incoterm, PlacedAt: placed,
		CreatedAt: now, UpdatedAt: now, Version: 1, Holds: []Hold{}}
	o.Customer.Email = NormalizeEmail(o.Customer.Email)
	o.Refresh()
	return o, nil
}

func (l *LineDraft) validate(p *Problems, at string, listing, cancelled bool) {
	if listing {
		checkListingSKU(p, at+".sku", l.SKU)
	} else {
		checkSKU(p, at+".sku", l.SKU)
	}
	least := int64(1)
	if cancelled {
		least = 0 // a marketplace zeroes the lines of an order it cancels
	}
	if l.Quantity < least || l.Quantity > MaxLineQuantity {
		p.Add(at+".quantity", "must be between %d and %d", least, MaxLineQuantity)
	}
	checkAmount(p, at+".unit_price", l.UnitPrice)
	checkAmount(p, at+".discount", l.Discount)
	checkAmount(p, at+".tax", l.Tax)
	checkAmount(p, at+".subtotal", l.Subtotal)
	ext, ok := money.Mul(l.Quantity, l.UnitPrice)
	if l.Subtotal != 0 {
		ext, ok = l.Subtotal, true
	}
	if ok && l.UnitPrice >= 0 && l.Subtotal >= 0 && l.Quantity >= 1 && l.Discount > ext {
		p.Add(at+".discount", "must not exceed the line's amount before discount")
	}
	if cancelled && l.Quantity == 0 && (l.Subtotal != 0 || l.Discount != 0 || l.Tax != 0) {
		p.Add(at+".subtotal", "a line of quantity 0 carries no amount")
	}
	if len(l.Title) > 500 || !printable(l.Title) || len(l.ListingID) > 100 || !printable(l.ListingID) {
		p.Add(at+".title", "title (500 bytes) and listing id (100 bytes) must be printable text")
	}
}

func (c *Customer) validate(p *Problems) {
	if c.Email != "" && !ValidEmail(strings.TrimSpace(c.Email)) { // stored trimmed and lower-cased
		p.Add("customer.email", "must be an email address")
	}
	if len(c.Name) > 200 || !printable(c.Name) {
		p.Add("customer.name", "must be printable text of at most 200 bytes")
	}
	if len(c.Phone) > 40 || !printable(c.Phone) {
		p.Add("customer.phone", "must be printable text of at most 40 bytes")
	}
}

func checkAmount(p *Problems, field string, v int64) {
	if v < 0 || v > MaxAmount {
		p.Add(field, "must be between 0 and %d minor units", int64(MaxAmount))
	}
}

// ValidEmail reports whether s looks like an email address: one '@' with text
// on both sides, a dot in the domain, no spaces, at most 254 bytes.
func ValidEmail(s string) bool {
	at := strings.LastIndexByte(s, '@')
	return len(s) <= 254 && at > 0 && at < len(s)-1 && printable(s) &&
		!strings.ContainsAny(s, " \t<>,;\"") && strings.Contains(s[at+1:], ".") &&
		strings.Count(s, "@") == 1
}

// NormalizeEmail lower-cases and trims an email address, so that one customer
// is one address.
func NormalizeEmail(s string) string {
	return strings.ToLower(strings.TrimSpace(s))
}
