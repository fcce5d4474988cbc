package oms

import (
	"strings"
	"testing"
)

func TestValidCountry(t *testing.T) {
	codes := strings.Fields(iso3166)
	if len(codes) != 249 {
		t.Errorf("%d codes, want the 249 of ISO 3166-1", len(codes))
	}
	seen := map[string]bool{}
	for i, c := range codes {
		if seen[c] || (i > 0 && c <= codes[i-1]) || !ValidCountry(c) {
			t.Errorf("code %q: repeated, out of order or not valid", c)
		}
		seen[c] = true
	}
	for _, c := range []string{"XX", "XK", "UK", "EU", "ZZ", "AA", "de", "D", "DEU", "", "D1", "E "} {
		if ValidCountry(c) {
			t.Errorf("ValidCountry(%q) = true", c)
		}
	}
}

func TestParseHSCode(t *testing.T) {
	for in, want := range map[string]string{
		"610910": "610910", "6109.10": "610910", "6109.10.00": "61091000", "8471300000": "8471300000",
		"0901.21.00.10": "0901210010", "123456789": "123456789",
	} {
		if got, ok := ParseHSCode(in); !ok || got != want {
			t.Errorf("ParseHSCode(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	for _, in := range []string{"", "12", "12345", "12345678901", "6109..10", ".610910", "610910.", "6109-10", "6109 10", "61091O", "６１０９１０"} {
		if got, ok := ParseHSCode(in); ok {
			t.Errorf("ParseHSCode(%q) = %q, true", in, got)
		}
	}
}

func TestItemCustomsValidate(t *testing.T) {
	it := Item{SKU: "a", Name: "A", Currency: "EUR", HSCode: "61091000", CountryOfOrigin: "PT"}
	if err := it.Validate(); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		hs, origin, field string
	}{
		{"6109.10.00", "PT", "hs_code"}, // the store keeps digits only
		{"12", "PT", "hs_code"},
		{"610910", "XX", "country_of_origin"},
		{"610910", "pt", "country_of_origin"},
	} {
		it := Item{SKU: "a", Name: "A", Currency: "EUR", HSCode: c.hs, CountryOfOrigin: c.origin}
		err := it.Validate()
		e, ok := err.(*Error)
		if !ok || len(e.Fields) != 1 || e.Fields[0].Field != c.field {
			t.Errorf("%+v: %v, want %s", c, err, c.field)
		}
	}
}
