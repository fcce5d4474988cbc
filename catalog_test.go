package oms_test

import (
	"math"
	"strings"
	"testing"

	"github.com/omshq/oms"
)

func validChannel() *oms.Channel {
	return &oms.Channel{Code: "web-eu", Name: "Web store EU", Kind: "web", Currency: "EUR",
		BackorderPolicy: oms.BackorderReject}
}

func TestChannelValidate(t *testing.T) {
	tests := []struct {
		name   string
		change func(c *oms.Channel)
		fields []string
	}{
		{"valid", func(c *oms.Channel) {}, nil},
		{"backorder policy", func(c *oms.Channel) { c.BackorderPolicy = oms.BackorderAccept }, nil},
		{"code with '.', '_' and digits", func(c *oms.Channel) { c.Code = "0shop_1.eu" }, nil},
		{"code of 64 characters", func(c *oms.Channel) { c.Code = strings.Repeat("c", 64) }, nil},
		{"every kind", func(c *oms.Channel) { c.Kind = "woocommerce" }, nil},

		{"no code", func(c *oms.Channel) { c.Code = "" }, []string{"code"}},
		{"code of 65 characters", func(c *oms.Channel) { c.Code = strings.Repeat("c", 65) }, []string{"code"}},
		{"code with a slash", func(c *oms.Channel) { c.Code = "web/eu" }, []string{"code"}},
		{"code with a space", func(c *oms.Channel) { c.Code = "web eu" }, []string{"code"}},
		{"code starting with '-'", func(c *oms.Channel) { c.Code = "-web" }, []string{"code"}},
		{"code starting with '.'", func(c *oms.Channel) { c.Code = ".web" }, []string{"code"}},
		{"code with a non-ASCII letter", func(c *oms.Channel) { c.Code = "wéb" }, []string{"code"}},
		{"code with '?'", func(c *oms.Channel) { c.Code = "web?x=1" }, []string{"code"}},
		{"blank name", func(c *oms.Channel) { c.Name = "   " }, []string{"name"}},
		{"name too long", func(c *oms.Channel) { c.Name = strings.Repeat("n", 201) }, []string{"name"}},
		{"name with a control character", func(c *oms.Channel) { c.Name = "Web\x07" }, []string{"name"}},
		{"unknown kind", func(c *oms.Channel) { c.Kind = "fax" }, []string{"kind"}},
		{"kind in upper case", func(c *oms.Channel) { c.Kind = "WEB" }, []string{"kind"}},
		{"currency in lower case", func(c *oms.Channel) { c.Currency = "eur" }, []string{"currency"}},
		{"no currency", func(c *oms.Channel) { c.Currency = "" }, []string{"currency"}},
		{"no backorder policy", func(c *oms.Channel) { c.BackorderPolicy = "" }, []string{"backorder_policy"}},
		{"unknown backorder policy", func(c *oms.Channel) { c.BackorderPolicy = "allow" }, []string{"backorder_policy"}},
		{"every field bad", func(c *oms.Channel) { *c = oms.Channel{} },
			[]string{"code", "name", "kind", "currency", "backorder_policy"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := validChannel()
			tt.change(c)
			checkInvalid(t, c.Validate(), tt.fields...)
		})
	}
}

func validLocation() *oms.Location {
	lat, lon := 53.8, -1.55
	return &oms.Location{Code: "wh-leeds", Name: "Leeds warehouse", Kind: "warehouse", CanShip: true, Priority: 10,
		Address:  oms.Address{Line1: "1 Dock Rd", City: "Leeds", PostalCode: "LS1 1AA", Country: "GB"},
		Latitude: &lat, Longitude: &lon}
}

func TestLocationValidate(t *testing.T) {
	f := func(v float64) *float64 { return &v }
	tests := []struct {
		name   string
		change func(l *oms.Location)
		fields []string
	}{
		{"valid", func(l *oms.Location) {}, nil},
		{"store", func(l *oms.Location) { l.Kind = "store" }, nil},
		{"no address", func(l *oms.Location) { l.Address = oms.Address{} }, nil},
		{"no coordinates", func(l *oms.Location) { l.Latitude, l.Longitude = nil, nil }, nil},
		{"coordinates at the limits", func(l *oms.Location) { l.Latitude, l.Longitude = f(-90), f(180) }, nil},
		{"priority 0", func(l *oms.Location) { l.Priority = 0 }, nil},
		{"priority at the maximum", func(l *oms.Location) { l.Priority = 1_000_000 }, nil},

		{"code with a slash", func(l *oms.Location) { l.Code = "wh/leeds" }, []string{"code"}},
		{"code with a space", func(l *oms.Location) { l.Code = "wh leeds" }, []string{"code"}},
		{"no code", func(l *oms.Location) { l.Code = "" }, []string{"code"}},
		{"no name", func(l *oms.Location) { l.Name = "" }, []string{"name"}},
		{"unknown kind", func(l *oms.Location) { l.Kind = "depot" }, []string{"kind"}},
		{"negative priority", func(l *oms.Location) { l.Priority = -1 }, []string{"priority"}},
		{"priority above the maximum", func(l *oms.Location) { l.Priority = 1_000_001 }, []string{"priority"}},
		{"latitude without longitude", func(l *oms.Location) { l.Longitude = nil }, []string{"latitude"}},
		{"longitude without latitude", func(l *oms.Location) { l.Latitude = nil }, []string{"latitude"}},
		{"latitude above 90", func(l *oms.Location) { l.Latitude = f(90.5) }, []string{"latitude"}},
		{"latitude below -90", func(l *oms.Location) { l.Latitude = f(-91) }, []string{"latitude"}},
		{"longitude below -180", func(l *oms.Location) { l.Longitude = f(-180.5) }, []string{"longitude"}},
		{"longitude above 180", func(l *oms.Location) { l.Longitude = f(181) }, []string{"longitude"}},
		{"address without city", func(l *oms.Location) { l.Address.City = "" }, []string{"address.city"}},
		{"address without line1", func(l *oms.Location) { l.Address.Line1 = "" }, []string{"address.line1"}},
		{"address country in lower case", func(l *oms.Location) { l.Address.Country = "gb" }, []string{"address.country"}},
		{"address line2 too long", func(l *oms.Location) { l.Address.Line2 = strings.Repeat("x", 201) }, []string{"address.line2"}},
		{"address phone with a newline", func(l *oms.Location) { l.Address.Phone = "0113\n" }, []string{"address.phone"}},
		{"address with only a country", func(l *oms.Location) { l.Address = oms.Address{Country: "GB"} },
			[]string{"address.line1", "address.city"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := validLocation()
			tt.change(l)
			checkInvalid(t, l.Validate(), tt.fields...)
		})
	}
}

func validItem() *oms.Item {
	return &oms.Item{SKU: "TSHIRT-M", Name: "T-shirt, medium", UnitCost: 450, Currency: "USD", Barcode: "0123456789012"}
}

func TestItemValidate(t *testing.T) {
	tests := []struct {
		name   string
		change func(it *oms.Item)
		fields []string
	}{
		{"valid", func(it *oms.Item) {}, nil},
		{"sku with an inner space", func(it *oms.Item) { it.SKU = "T SHIRT M" }, nil},
		{"sku of 100 bytes", func(it *oms.Item) { it.SKU = strings.Repeat("s", 100) }, nil},
		{"sku in UTF-8", func(it *oms.Item) { it.SKU = "Tシャツ-M" }, nil},
		{"no barcode", func(it *oms.Item) { it.Barcode = "" }, nil},
		{"free item", func(it *oms.Item) { it.UnitCost = 0 }, nil},
		{"unit cost at MaxAmount", func(it *oms.Item) { it.UnitCost = oms.MaxAmount }, nil},

		{"no sku", func(it *oms.Item) { it.SKU = "" }, []string{"sku"}},
		{"sku of 101 bytes", func(it *oms.Item) { it.SKU = strings.Repeat("s", 101) }, []string{"sku"}},
		{"sku with a slash", func(it *oms.Item) { it.SKU = "TSHIRT/M" }, []string{"sku"}},
		{"sku with '?'", func(it *oms.Item) { it.SKU = "TSHIRT?M" }, []string{"sku"}},
		{"sku with '#'", func(it *oms.Item) { it.SKU = "TSHIRT#M" }, []string{"sku"}},
		{"sku with '%'", func(it *oms.Item) { it.SKU = "TSHIRT%2F" }, []string{"sku"}},
		{"sku with a leading space", func(it *oms.Item) { it.SKU = " TSHIRT" }, []string{"sku"}},
		{"sku with a trailing space", func(it *oms.Item) { it.SKU = "TSHIRT " }, []string{"sku"}},
		{"sku with a tab", func(it *oms.Item) { it.SKU = "T\tSHIRT" }, []string{"sku"}},
		{"sku not UTF-8", func(it *oms.Item) { it.SKU = "T\xffSHIRT" }, []string{"sku"}},
		{"no name", func(it *oms.Item) { it.Name = "" }, []string{"name"}},
		{"negative unit cost", func(it *oms.Item) { it.UnitCost = -1 }, []string{"unit_cost"}},
		{"unit cost above MaxAmount", func(it *oms.Item) { it.UnitCost = oms.MaxAmount + 1 }, []string{"unit_cost"}},
		{"unknown currency", func(it *oms.Item) { it.Currency = "ABC" }, []string{"currency"}},
		{"barcode too long", func(it *oms.Item) { it.Barcode = strings.Repeat("1", 65) }, []string{"barcode"}},
		{"barcode with a control character", func(it *oms.Item) { it.Barcode = "123\x00" }, []string{"barcode"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			it := validItem()
			tt.change(it)
			checkInvalid(t, it.Validate(), tt.fields...)
		})
	}
}

func TestLocationRefusesNaN(t *testing.T) {
	nan, zero := math.NaN(), 0.0
	l := oms.Location{Code: "w", Name: "W", Kind: "warehouse", Latitude: &nan, Longitude: &zero}
	checkInvalid(t, l.Validate(), "latitude")
	l = oms.Location{Code: "w", Name: "W", Kind: "warehouse", Latitude: &zero, Longitude: &nan}
	checkInvalid(t, l.Validate(), "longitude")
}
