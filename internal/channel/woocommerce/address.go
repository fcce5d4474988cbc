package woocommerce

import (
	"strings"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/channel/internal/payload"
)

// parties reads the customer (from the billing details, which carry the
// email and phone) and the shipping and billing addresses.
func (r *reader) parties() {
	o, d := r.o, &r.in.Draft
	b, s := o.Billing, o.Shipping
	if b == nil {
		b = &address{}
	}
	if s == nil {
		s = &address{}
	}
	d.Customer = oms.Customer{Email: strings.TrimSpace(b.Email), Name: payload.First(name(b), name(s)), Phone: b.Phone}
	if d.Customer.Email != "" && !oms.ValidEmail(d.Customer.Email) {
		r.note("the customer's email %q is not an email address and was left out", payload.Clip(d.Customer.Email, 80))
		d.Customer.Email = ""
	}
	d.CustomerID = payload.FirstID(o.CustomerID)
	d.ShipTo = r.address("shipping", s)
	d.Billing = r.address("billing", b)
}

// address maps a WooCommerce address. An empty one (a virtual order has no
// shipping address) is nil; one without address_1, city or a two-letter
// country cannot be used and is left out, noted.
func (r *reader) address(field string, a *address) *oms.Address {
	if strings.TrimSpace(a.Address1+a.City+a.Country+a.Postcode) == "" {
		return nil
	}
	country := strings.ToUpper(strings.TrimSpace(a.Country))
	if strings.TrimSpace(a.Address1) == "" || strings.TrimSpace(a.City) == "" || !payload.IsCountry(country) {
		r.note("the %s address is incomplete (address_1, city and country are needed) and was left out", field)
		return nil
	}
	return &oms.Address{Name: name(a), Line1: a.Address1, Line2: a.Address2, City: a.City,
		Region: a.State, PostalCode: a.Postcode, Country: country, Phone: a.Phone}
}

// name is the first and last name, or the company when both are empty.
func name(a *address) string {
	return payload.First(payload.FullName(a.FirstName, a.LastName), strings.TrimSpace(a.Company))
}
