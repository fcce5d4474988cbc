package tax

import (
	"encoding/json"
	"errors"
	"slices"
	"testing"

	"github.com/omshq/oms"
)

var (
	texas    = Rule{Country: "US", Region: "TX", Rate: 82500, Name: "Sales tax"}
	ukVAT    = Rule{Country: "GB", Rate: 200000, Inclusive: true, Name: "VAT"}
	gst      = Rule{Country: "CA", Rate: 50000, Name: "GST"}
	qst      = Rule{Country: "CA", Region: "QC", Rate: 99750, Name: "QST"}
	hst      = Rule{Country: "CA", Region: "ON", Rate: 130000, ReplacesCountry: true, Name: "HST"}
	cgst     = Rule{Country: "IN", Rate: 90000, Inclusive: true, Name: "CGST"}
	sgst     = Rule{Country: "IN", Region: "KA", Rate: 90000, Inclusive: true, Name: "SGST"}
	merchant = Rules{texas, ukVAT, gst, qst, hst, cgst, sgst}
)

func TestRulesValidate(t *testing.T) {
	if err := merchant.Validate(); err != nil {
		t.Fatalf("the merchant's rules: %v", err)
	}
	tests := []struct {
		name  string
		rules Rules
		field string
	}{
		{"lower-case country", Rules{{Country: "us", Region: "TX", Rate: 1}}, "rules[0].country"},
		{"three-letter country", Rules{{Country: "USA", Rate: 1}}, "rules[0].country"},
		{"digit in country", Rules{{Country: "U5", Rate: 1}}, "rules[0].country"},
		{"no country", Rules{{Rate: 1}}, "rules[0].country"},
		{"region with its country", Rules{{Country: "US", Region: "US-TX", Rate: 1}}, "rules[0].region"},
		{"region name", Rules{{Country: "US", Region: "Texas", Rate: 1}}, "rules[0].region"},
		{"lower-case region", Rules{{Country: "US", Region: "tx", Rate: 1}}, "rules[0].region"},
		{"negative rate", Rules{{Country: "US", Region: "TX", Rate: -1}}, "rules[0].rate"},
		{"rate above 1", Rules{{Country: "US", Region: "TX", Rate: One + 1}}, "rules[0].rate"},
		{"country rule replacing itself", Rules{{Country: "CA", Rate: 1, ReplacesCountry: true}}, "rules[0].replaces_country"},
		{"control character in name", Rules{{Country: "CA", Rate: 1, Name: "G\nST"}}, "rules[0].name"},
		{"duplicate", Rules{gst, qst, {Country: "CA", Region: "QC", Rate: 1}}, "rules[2].region"},
		{"mixed inclusion", Rules{gst, {Country: "CA", Region: "QC", Rate: 99750, Inclusive: true}}, "rules[1].inclusive"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.rules.Validate()
			var e *oms.Error
			if !errors.As(err, &e) || e.Code != oms.EINVALID || len(e.Fields) != 1 || e.Fields[0].Field != tt.field {
				t.Errorf("Validate = %v, want EINVALID naming only %q", err, tt.field)
			}
		})
	}
	if err := (Rule{Country: "gb", Rate: -5}).Validate(); err == nil || len(err.(*oms.Error).Fields) != 2 {
		t.Errorf("Rule.Validate = %v, want country and rate", err)
	}
}

func TestFind(t *testing.T) {
	tests := []struct {
		country, region string
		want            string // the rule's name, "" for none
		wantAll         []string
	}{
		{"US", "TX", "Sales tax", []string{"Sales tax"}},
		{" us ", "us-tx", "Sales tax", []string{"Sales tax"}},
		{"US", "OR", "", nil},
		{"US", "", "", nil},
		{"GB", "", "VAT", []string{"VAT"}},
		{"GB", "ENG", "VAT", []string{"VAT"}},
		{"CA", "QC", "QST", []string{"GST", "QST"}},
		{"CA", "CA-QC", "QST", []string{"GST", "QST"}},
		{"CA", "ON", "HST", []string{"HST"}},
		{"CA", "AB", "GST", []string{"GST"}},
		{"FR", "", "", nil},
	}
	for _, tt := range tests {
		r, ok := merchant.Find(tt.country, tt.region)
		if ok != (tt.want != "") || r.Name != tt.want {
			t.Errorf("Find(%q, %q) = %q, %v; want %q", tt.country, tt.region, r.Name, ok, tt.want)
		}
		var all []string
		for _, r := range merchant.FindAll(tt.country, tt.region) {
			all = append(all, r.Name)
		}
		if !slices.Equal(all, tt.wantAll) {
			t.Errorf("FindAll(%q, %q) = %q, want %q", tt.country, tt.region, all, tt.wantAll)
		}
	}
}

func TestCompute(t *testing.T) {
	tests := []struct {
		name            string
		rules           Rules
		lines           []int64
		shipping        int64
		shippingTaxable bool
		wantLines       []int64
		wantShipping    int64
	}{
		// 3 × 19.99 = 59.97; × 0.0825 = 4.947525 → 4.95. Shipping 7.50 ×
		// 0.0825 = 0.61875 → 0.62.
		{"Texas 8.25 %", Rules{texas}, []int64{5997}, 750, true, []int64{495}, 62},
		{"Texas, shipping exempt", Rules{texas}, []int64{5997}, 750, false, []int64{495}, 0},
		// 24.00 includes 20 % VAT: 24.00 × 0.2 / 1.2 = 4.00. 19.99 × 0.2 /
		// 1.2 = 3.331666… → 3.33; shipping 4.99 / 6 = 0.831666… → 0.83.
		{"GB VAT included", Rules{ukVAT}, []int64{2400, 1999}, 499, true, []int64{400, 333}, 83},
		// WooCommerce fixture, Québec: lines 57.80 and 35.70 after the
		// coupon, shipping 14.00; GST 5 % + QST 9.975 % = 14.975 %:
		// 57.80 → 8.65555 → 8.66; 35.70 → 5.346075 → 5.35; 14.00 → 2.0965
		// → 2.10. The order's total_tax is 16.11 = 8.66 + 5.35 + 2.10.
		{"Québec GST + QST", merchant.FindAll("CA", "QC"), []int64{5780, 3570}, 1400, true, []int64{866, 535}, 210},
		// Ontario's HST alone: 100.00 × 0.13 = 13.00.
		{"Ontario HST", merchant.FindAll("CA", "ON"), []int64{10000}, 0, true, []int64{1300}, 0},
		// 1180.00 including CGST 9 % + SGST 9 %: 1180 × 0.18 / 1.18 = 180.00,
		// not twice 1180 × 0.09 / 1.09 = 97.43.
		{"India CGST + SGST included", merchant.FindAll("IN", "KA"), []int64{118000}, 0, false, []int64{18000}, 0},
		{"no rules", merchant.FindAll("US", "OR"), []int64{5997, 100}, 750, true, []int64{0, 0}, 0},
		// Half-even ties: 5 % of 0.10 = 0.005 → 0.00; of 0.30 = 0.015 →
		// 0.02; of 0.50 = 0.025 → 0.02; of 0.70 = 0.035 → 0.04; a refund of
		// 0.30 → -0.02.
		{"ties, excluded", Rules{gst}, []int64{10, 30, 50, 70, -30}, 90, true, []int64{0, 2, 2, 4, -2}, 4},
		// 20 % included in 0.03 is 0.005 → 0.00; in 0.09, 0.015 → 0.02; in
		// 0.15, 0.025 → 0.02.
		{"ties, included", Rules{ukVAT}, []int64{3, 9, 15}, 21, true, []int64{0, 2, 2}, 4},
		// QST alone on 35.70 is 3.561075 → 3.56 and GST 1.785 → 1.78: rounded
		// one by one they make 5.34, a cent short of the 5.35 charged.
		{"GST alone on a tie", Rules{gst}, []int64{3570}, 0, false, []int64{178}, 0},
		{"QST alone", Rules{qst}, []int64{3570}, 0, false, []int64{356}, 0},
		{"a yen rate", Rules{{Country: "JP", Rate: 100000, Inclusive: true}}, []int64{1100, 1999}, 0, false, []int64{100, 182}, 0},
		{"a rate out of range computes nothing", Rules{{Country: "XX", Rate: -One, Inclusive: true}}, []int64{100}, 100, true, []int64{0}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lines, ship := tt.rules.Compute(tt.lines, tt.shipping, tt.shippingTaxable)
			if !slices.Equal(lines, tt.wantLines) || ship != tt.wantShipping {
				t.Errorf("Compute = %v, %d; want %v, %d", lines, ship, tt.wantLines, tt.wantShipping)
			}
			if len(tt.rules) == 1 {
				lines, ship := tt.rules[0].Compute(tt.lines, tt.shipping, tt.shippingTaxable)
				if !slices.Equal(lines, tt.wantLines) || ship != tt.wantShipping {
					t.Errorf("Rule.Compute = %v, %d; want %v, %d", lines, ship, tt.wantLines, tt.wantShipping)
				}
			}
		})
	}
}

func TestParseRate(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want Rate
		out  string
	}{
		{"0.0825", 82500, "0.0825"},
		{"0.09975", 99750, "0.09975"},
		{"0.2", 200000, "0.2"},
		{"0.200000", 200000, "0.2"},
		{"0", 0, "0"},
		{"1", One, "1"},
		{"1.000000", One, "1"},
		{"0.000001", 1, "0.000001"},
	} {
		got, err := ParseRate(tt.in)
		if err != nil || got != tt.want || got.String() != tt.out {
			t.Errorf("ParseRate(%q) = %d (%s), %v; want %d (%s)", tt.in, got, got, err, tt.want, tt.out)
		}
	}
	for _, in := range []string{"", "8.25%", "-0.1", "0.0000001", ".2", "2.", "1.000001", "2", "0x1", " 0.2", "99999999999"} {
		if got, err := ParseRate(in); oms.ErrorCode(err) != oms.EINVALID {
			t.Errorf("ParseRate(%q) = %d, %v; want EINVALID", in, got, err)
		}
	}
	if s := Rate(-82500).String(); s != "-0.0825" {
		t.Errorf("String of a negative rate = %q", s)
	}
}

func TestRuleJSON(t *testing.T) {
	var rs Rules
	err := json.Unmarshal([]byte(`[{"country":"CA","rate":"0.05","name":"GST"},
		{"country":"CA","region":"QC","rate":"0.09975","name":"QST"}]`), &rs)
	if err != nil || len(rs) != 2 || rs[1] != qst || rs[0] != gst {
		t.Fatalf("Unmarshal = %+v, %v", rs, err)
	}
	b, err := json.Marshal(hst)
	if want := `{"country":"CA","region":"ON","rate":"0.13","replaces_country":true,"name":"HST"}`; err != nil || string(b) != want {
		t.Errorf("Marshal = %s, %v; want %s", b, err, want)
	}
	if err := json.Unmarshal([]byte(`[{"country":"CA","rate":"5%"}]`), &rs); err == nil {
		t.Error("a rate of 5% was accepted")
	}
}

func FuzzParseRate(f *testing.F) {
	for _, s := range []string{"0.0825", "0.09975", "1", "0", "1.0000001", "-0.1", "8.25%", "0.000001"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, err := ParseRate(s)
		if err != nil {
			if oms.ErrorCode(err) != oms.EINVALID {
				t.Fatalf("ParseRate(%q): %v is not EINVALID", s, err)
			}
			return
		}
		if r < 0 || r > One {
			t.Fatalf("ParseRate(%q) = %d, out of range", s, r)
		}
		if back, err := ParseRate(r.String()); err != nil || back != r {
			t.Fatalf("ParseRate(%q) = %d, which writes as %q and reads back as %d, %v", s, r, r, back, err)
		}
	})
}
