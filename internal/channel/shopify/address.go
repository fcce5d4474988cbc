package shopify

import (
	"encoding/json"
	"strconv"
	"strings"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/channel/internal/payload"
)

// parties reads the customer and the shipping and billing addresses.
func (r *reader) parties() {
	o, d := r.o, &r.in.Draft
	d.Customer = r.customer()
	if o.Customer != nil {
		d.CustomerID = payload.FirstID(o.Customer.ID) // a guest checkout has no customer
	}
	d.ShipTo = r.address("shipping_address", o.ShippingAddress)
	d.Billing = r.address("billing_address", o.BillingAddress)
}

// customer takes the email from the order (then contact_email, then the
// customer record), the name from the customer record (then the billing or
// shipping address) and the phone from the order (then the customer). An
// email oms would refuse is dropped with a note rather than refusing the
// order.
func (r *reader) customer() oms.Customer {
	o := r.o
	c := o.Customer
	if c == nil {
		c = &customer{}
	}
	out := oms.Customer{
		Email: strings.TrimSpace(payload.First(o.Email, o.ContactEmail, c.Email)),
		Name:  payload.FullName(c.FirstName, c.LastName),
		Phone: payload.First(o.Phone, c.Phone),
	}
	for _, a := range []*address{o.BillingAddress, o.ShippingAddress} {
		if out.Name == "" && a != nil {
			out.Name = payload.First(strings.TrimSpace(a.Name), payload.FullName(a.FirstName, a.LastName))
		}
	}
	if out.Email != "" && !oms.ValidEmail(out.Email) {
		r.note("the customer's email %q is not an email address and was left out", payload.Clip(out.Email, 80))
		out.Email = ""
	}
	return out
}

// address maps a Shopify address. One without address1, city or a
// two-letter country code cannot be shipped to: it is left out, noted.
func (r *reader) address(field string, a *address) *oms.Address {
	if a == nil {
		return nil
	}
	country := strings.ToUpper(strings.TrimSpace(a.CountryCode))
	if strings.TrimSpace(a.Address1) == "" || strings.TrimSpace(a.City) == "" || !payload.IsCountry(country) {
		r.note("%s is incomplete (address1, city and country_code are needed) and was left out", field)
		return nil
	}
	out := &oms.Address{
		Name:       payload.First(strings.TrimSpace(a.Name), payload.FullName(a.FirstName, a.LastName)),
		Line1:      a.Address1,
		Line2:      a.Address2,
		City:       a.City,
		Region:     payload.First(a.ProvinceCode, a.Province),
		PostalCode: a.Zip,
		Country:    country,
		Phone:      a.Phone,
	}
	lat, okLat := coordinate(a.Latitude, 90)
	lon, okLon := coordinate(a.Longitude, 180)
	if okLat && okLon {
		out.Latitude, out.Longitude = &lat, &lon
	} else if len(a.Latitude) > 0 && string(a.Latitude) != "null" {
		r.note("%s has unusable coordinates, which were left out", field)
	}
	return out
}

// coordinate reads a latitude or longitude sent as a JSON number within
// ±limit degrees.
func coordinate(raw json.RawMessage, limit float64) (float64, bool) {
	v, err := strconv.ParseFloat(strings.TrimSpace(string(raw)), 64)
	return v, err == nil && v >= -limit && v <= limit
}
