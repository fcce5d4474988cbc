package amazon

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/channel/internal/payload"
	"github.com/omshq/oms/money"
)

// Parse reads an envelope {"order": <Order>, "order_items": [<OrderItem>…]}
// into the order draft and the totals Amazon states. It returns an EINVALID
// error naming each bad field by its path in the envelope ("body" when the
// envelope is not JSON), and EINVALID naming "order_items" when no item has
// a quantity to place.
func Parse(body []byte) (*oms.Ingested, error) {
	var env envelope
	if err := payload.DecodeAt(body, &env, ""); err != nil {
		return nil, err
	}
	if !payload.Present(env.Order) {
		return nil, oms.Invalid("order", "is required")
	}
	var o order
	if err := payload.DecodeAt(env.Order, &o, "order."); err != nil {
		return nil, err
	}
	if len(env.OrderItems) > oms.MaxLines {
		return nil, oms.Invalid("order_items", "at most %d items are allowed", oms.MaxLines)
	}
	items := make([]orderItem, len(env.OrderItems))
	for i, raw := range env.OrderItems {
		if err := payload.DecodeAt(raw, &items[i], payload.Elem("order_items", i)+"."); err != nil {
			return nil, err
		}
	}
	return build(&o, items)
}

// build maps a decoded order and its items.
func build(o *order, items []orderItem) (*oms.Ingested, error) {
	var p oms.Problems
	in := &oms.Ingested{
		RawTimes:           map[string]string{},
		Status:             o.OrderStatus,
		Cancelled:          o.OrderStatus == "Canceled",
		FulfilledByChannel: o.FulfillmentChannel == "AFN",
	}
	// A merchant-fulfilled order first seen Shipped left the merchant's
	// shelves before oms knew of it.
	in.Shipped = o.OrderStatus == "Shipped" && !in.FulfilledByChannel
	d := &in.Draft
	d.Cancelled = in.Cancelled
	d.ExternalID = o.AmazonOrderID
	if o.AmazonOrderID == "" {
		p.Add("order.AmazonOrderId", "is required")
	}
	d.PlacedAt = readTimes(&p, in, o)
	code, ok := currency(&p, o, items)
	if !ok {
		return nil, p.Err()
	}
	d.Currency = code
	a := &amounts{code: code, p: &p}
	s := readItems(in, a, items)
	d.ShippingPrice, d.ShippingTax = s.shipping, s.shippingTax
	onTop, decided := taxOnTop(o.MarketplaceID, code)
	d.TaxesIncluded = !onTop
	if !decided {
		payload.Note(in, "marketplace %q is not known: prices taken as %s by the currency %s",
			payload.Clip(o.MarketplaceID, 40), inclusion(onTop), code)
	}
	d.Customer, d.ShipTo = customer(in, o)
	state(in, a, o, s)
	in.AmountsUnknown = in.Cancelled && o.OrderTotal == nil && !slices.ContainsFunc(items, func(it orderItem) bool {
		return it.ItemPrice != nil
	})
	if in.AmountsUnknown {
		payload.Note(in, "Amazon states no amounts for the cancelled order: they are unknown")
	}
	return payload.Result(in, p)
}

// readTimes keeps every timestamp of the order as sent and returns the
// purchase time in UTC; LastUpdateDate becomes UpdatedAt.
func readTimes(p *oms.Problems, in *oms.Ingested, o *order) time.Time {
	for _, t := range []struct{ name, v string }{
		{"PurchaseDate", o.PurchaseDate}, {"LastUpdateDate", o.LastUpdateDate},
		{"EarliestShipDate", o.EarliestShipDate}, {"LatestShipDate", o.LatestShipDate},
		{"EarliestDeliveryDate", o.EarliestDeliveryDate}, {"LatestDeliveryDate", o.LatestDeliveryDate},
		{"PromiseResponseDueDate", o.PromiseResponseDueDate},
	} {
		if t.v != "" {
			in.RawTimes[t.name] = t.v
		}
	}
	in.UpdatedAt = payload.RequiredTime(p, "order.LastUpdateDate", o.LastUpdateDate, timeExample)
	return payload.RequiredTime(p, "order.PurchaseDate", o.PurchaseDate, timeExample)
}

// timeExample is a time as Amazon writes it, shown when one does not parse.
const timeExample = "2025-11-13T21:07:44Z"

// currency returns the order's currency: OrderTotal's, else that of the
// first item amount that names one, else the marketplace's.
func currency(p *oms.Problems, o *order, items []orderItem) (string, bool) {
	code, path := "", ""
	if o.OrderTotal != nil && o.OrderTotal.CurrencyCode != "" {
		code, path = o.OrderTotal.CurrencyCode, "order.OrderTotal.CurrencyCode"
	}
	for i := 0; i < len(items) && code == ""; i++ {
		for _, m := range items[i].priced() {
			if m.v != nil && m.v.CurrencyCode != "" {
				code, path = m.v.CurrencyCode, fmt.Sprintf("order_items[%d].%s.CurrencyCode", i, m.name)
				break
			}
		}
	}
	if mp, ok := marketplaces[o.MarketplaceID]; code == "" && ok {
		code = mp.currency
	}
	if code == "" {
		p.Add("order.OrderTotal", "is required: no amount names a currency and the marketplace is not known")
		return "", false
	}
	if _, ok := money.Lookup(code); !ok {
		p.Add(path, "must be an ISO 4217 currency code such as EUR")
		return "", false
	}
	return code, true
}

type named struct {
	name string
	v    *amount
}

// priced lists the item's main Money fields, in a fixed order.
func (it *orderItem) priced() []named {
	return []named{{"ItemPrice", it.ItemPrice}, {"ItemTax", it.ItemTax}, {"ShippingPrice", it.ShippingPrice},
		{"ShippingTax", it.ShippingTax}, {"PromotionDiscount", it.PromotionDiscount}}
}

// customer returns the buyer and the ship-to address. Pending orders and
// orders read without a Restricted Data Token have no name, email or
// street: the ship-to is then left nil, never invented.
func customer(in *oms.Ingested, o *order) (oms.Customer, *oms.Address) {
	var c oms.Customer
	if b := o.BuyerInfo; b != nil {
		c.Name = strings.TrimSpace(b.BuyerName)
		c.Email = strings.TrimSpace(b.BuyerEmail)
	}
	if c.Email != "" && !oms.ValidEmail(c.Email) {
		payload.Note(in, "BuyerEmail is not an email address and was left out")
		c.Email = ""
	}
	a := o.ShippingAddress
	if a == nil {
		payload.Note(in, "Amazon sent no ShippingAddress (it does not for Pending orders): the ship-to is left empty")
		return c, nil
	}
	c.Phone = strings.TrimSpace(a.Phone)
	if c.Name == "" {
		c.Name = strings.TrimSpace(a.Name)
	}
	var street []string
	for _, l := range []string{a.AddressLine1, a.AddressLine2, a.AddressLine3} {
		if l = strings.TrimSpace(l); l != "" {
			street = append(street, l)
		}
	}
	if len(street) == 0 {
		payload.Note(in, "ShippingAddress has no street line (restricted data not granted?): the ship-to is left empty")
		return c, nil
	}
	return c, &oms.Address{
		Name:       strings.TrimSpace(a.Name),
		Line1:      street[0],
		Line2:      strings.Join(street[1:], ", "),
		City:       strings.TrimSpace(a.City),
		Region:     strings.TrimSpace(a.StateOrRegion),
		PostalCode: strings.TrimSpace(a.PostalCode),
		Country:    strings.ToUpper(strings.TrimSpace(a.CountryCode)),
		Phone:      c.Phone,
	}
}

// state fills in the totals Amazon states: its item figures summed, and
// OrderTotal. Without OrderTotal (Pending orders) they stay zero.
func state(in *oms.Ingested, a *amounts, o *order, s sums) {
	if o.OrderTotal == nil {
		payload.Note(in, "Amazon stated no OrderTotal (the order is %s): the stated totals are left zero and cannot be reconciled",
			payload.Clip(o.OrderStatus, 40))
		return
	}
	in.Stated = oms.Totals{
		Subtotal:      s.subtotal,
		DiscountTotal: s.discount,
		ShippingTotal: s.shipping,
		TaxTotal:      s.tax + s.shippingTax,
		Total:         a.get("order.OrderTotal", o.OrderTotal),
	}
}

func inclusion(onTop bool) string {
	if onTop {
		return "excluding tax"
	}
	return "including tax"
}
