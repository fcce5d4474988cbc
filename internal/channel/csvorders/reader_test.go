package csvorders

import (
	"errors"
	"io"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/channel/internal/payloadtest"
)

// readAll reads every order of the file, valid or not, in order.
type result struct {
	in  *oms.Ingested
	pos Position
	err error
}

func readAll(t *testing.T, file string) []result {
	t.Helper()
	r, err := NewReader(strings.NewReader(file))
	if err != nil {
		t.Fatalf("NewReader: %v", err)
	}
	var out []result
	for {
		in, pos, err := r.Next()
		if err == io.EOF {
			return out
		}
		out = append(out, result{in, pos, err})
		if len(out) > 1000 {
			t.Fatal("Next does not come to an end")
		}
	}
}

// multi is three orders: USD, JPY with taxes included, KWD cancelled. It
// starts with a byte-order mark, ends lines with CRLF, quotes a comma, a
// quote and a line break, and lists the columns in its own order.
var multi = "\uFEFF" + strings.Join([]string{
	"Order_ID,placed_at,currency,sku,quantity,unit_price,line_discount,line_tax,email,name,ship_name,ship_line1,ship_line2,ship_city,ship_region,ship_postal_code,ship_country,shipping,shipping_tax,taxes_included,status,updated_at",
	`1001,2025-11-14T09:30:00-05:00,USD,TSHIRT-M,3,19.99,,4.95,Ana@Example.com,"Ana ""AJ"" Souza",Ana Souza,"12 Main St, Apt 4",,Austin,TX,78701,us,5.00,0.41,false,paid,2025-11-14T10:00:00-05:00`,
	`1001,,,MUG,1,12.50,2.50,0.83,,,,,,,,,,5.00,,,,`,
	`JP-2001,2025-11-15T10:00:00+09:00,JPY,SKU-A,2,1980,,360,ken@example.jp,Ken Sato,佐藤 健,1-2-3 Shibuya,,Tokyo,13,150-0002,JP,800,73,TRUE,,`,
	`JP-2001,2025-11-15T10:00:00+09:00,JPY,SKU-B,1,3500,500,273,,,,,,,,,,,,,,`,
	"KW-3001,2025-11-16T12:00:00.5+03:00,kwd,DATES-1KG,2,12.250,1.125,,,,,\"Block 4\nStreet 12\",,Kuwait City,,,KW,1.500,0.000,,Cancelled,2025-11-17T08:00:00Z",
}, "\r\n") + "\r\n"

func TestReaderMultiOrder(t *testing.T) {
	got := readAll(t, multi)
	if len(got) != 3 {
		t.Fatalf("read %d orders, want 3", len(got))
	}
	for _, g := range got {
		if g.err != nil {
			t.Fatalf("lines %v: %v", g.pos, g.err)
		}
		payloadtest.Placeable(t, g.in)
	}
	t.Run("USD", func(t *testing.T) {
		in, d := got[0].in, got[0].in.Draft
		if got[0].pos != (Position{2, 3}) {
			t.Errorf("position = %v, want lines 2–3", got[0].pos)
		}
		if d.ExternalID != "1001" || d.Currency != "USD" || d.Channel != "" {
			t.Errorf("id %q currency %q channel %q", d.ExternalID, d.Currency, d.Channel)
		}
		payloadtest.WantTimes(t, in, time.Date(2025, 11, 14, 14, 30, 0, 0, time.UTC), time.Date(2025, 11, 14, 15, 0, 0, 0, time.UTC))
		if in.RawTimes["placed_at"] != "2025-11-14T09:30:00-05:00" || in.RawTimes["updated_at"] != "2025-11-14T10:00:00-05:00" {
			t.Errorf("RawTimes = %v", in.RawTimes)
		}
		if d.Customer != (oms.Customer{Email: "Ana@Example.com", Name: `Ana "AJ" Souza`}) {
			t.Errorf("Customer = %+v", d.Customer)
		}
		want := oms.Address{Name: "Ana Souza", Line1: "12 Main St, Apt 4", City: "Austin", Region: "TX", PostalCode: "78701", Country: "US"}
		if d.ShipTo == nil || *d.ShipTo != want {
			t.Errorf("ShipTo = %+v, want %+v", d.ShipTo, want)
		}
		assertLines(t, d.Lines, []oms.LineDraft{
			{SKU: "TSHIRT-M", Quantity: 3, UnitPrice: 1999, Tax: 495},
			{SKU: "MUG", Quantity: 1, UnitPrice: 1250, Discount: 250, Tax: 83},
		})
		if d.ShippingPrice != 500 || d.ShippingTax != 41 || d.TaxesIncluded || in.Status != "paid" || in.Cancelled {
			t.Errorf("shipping %d tax %d included %v status %q cancelled %v", d.ShippingPrice, d.ShippingTax, d.TaxesIncluded, in.Status, in.Cancelled)
		}
		// 3 × 19.99 + 12.50 = 72.47; − 2.50 + 5.00 + (4.95 + 0.83 + 0.41)
		// = 81.16.
		assertStated(t, in.Stated, oms.Totals{Subtotal: 7247, DiscountTotal: 250, ShippingTotal: 500, TaxTotal: 619, Total: 8116})
	})
	t.Run("JPY", func(t *testing.T) {
		in, d := got[1].in, got[1].in.Draft
		if got[1].pos != (Position{4, 5}) || d.ExternalID != "JP-2001" || d.Currency != "JPY" {
			t.Errorf("position %v id %q currency %q", got[1].pos, d.ExternalID, d.Currency)
		}
		// Without updated_at the order has no version.
		placed := time.Date(2025, 11, 15, 1, 0, 0, 0, time.UTC)
		payloadtest.WantTimes(t, in, placed, time.Time{})
		if _, ok := in.RawTimes["updated_at"]; ok {
			t.Errorf("RawTimes = %v, want no updated_at", in.RawTimes)
		}
		if d.ShipTo == nil || d.ShipTo.Name != "佐藤 健" || d.ShipTo.City != "Tokyo" || d.ShipTo.Country != "JP" {
			t.Errorf("ShipTo = %+v", d.ShipTo)
		}
		assertLines(t, d.Lines, []oms.LineDraft{
			{SKU: "SKU-A", Quantity: 2, UnitPrice: 1980, Tax: 360},
			{SKU: "SKU-B", Quantity: 1, UnitPrice: 3500, Discount: 500, Tax: 273},
		})
		if d.ShippingPrice != 800 || d.ShippingTax != 73 || !d.TaxesIncluded || in.Cancelled {
			t.Errorf("shipping %d tax %d included %v cancelled %v", d.ShippingPrice, d.ShippingTax, d.TaxesIncluded, in.Cancelled)
		}
		// ¥3960 + ¥3500 = ¥7460; − ¥500 + ¥800 = ¥7760, its tax ¥706
		// (360 + 273 + 73) inside.
		assertStated(t, in.Stated, oms.Totals{Subtotal: 7460, DiscountTotal: 500, ShippingTotal: 800, TaxTotal: 706, Total: 7760})
	})
	t.Run("KWD", func(t *testing.T) {
		in, d := got[2].in, got[2].in.Draft
		// The quoted address spans lines 6 and 7; its line break is a space.
		if got[2].pos != (Position{6, 7}) || d.ExternalID != "KW-3001" || d.Currency != "KWD" {
			t.Errorf("position %v id %q currency %q", got[2].pos, d.ExternalID, d.Currency)
		}
		if want := time.Date(2025, 11, 16, 9, 0, 0, 500_000_000, time.UTC); !d.PlacedAt.Equal(want) {
			t.Errorf("PlacedAt = %v, want %v", d.PlacedAt, want)
		}
		if d.ShipTo == nil || d.ShipTo.Line1 != "Block 4 Street 12" || d.ShipTo.City != "Kuwait City" {
			t.Errorf("ShipTo = %+v", d.ShipTo)
		}
		assertLines(t, d.Lines, []oms.LineDraft{{SKU: "DATES-1KG", Quantity: 2, UnitPrice: 12250, Discount: 1125}})
		if d.ShippingPrice != 1500 || d.ShippingTax != 0 || in.Status != "Cancelled" || !in.Cancelled {
			t.Errorf("shipping %d tax %d status %q cancelled %v", d.ShippingPrice, d.ShippingTax, in.Status, in.Cancelled)
		}
		// 2 × 12.250 = 24.500 KWD; − 1.125 + 1.500 = 24.875 KWD.
		assertStated(t, in.Stated, oms.Totals{Subtotal: 24500, DiscountTotal: 1125, ShippingTotal: 1500, Total: 24875})
	})
}

func assertLines(t *testing.T, got, want []oms.LineDraft) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Errorf("lines = %+v\nwant    %+v", got, want)
	}
}

func assertStated(t *testing.T, got, want oms.Totals) {
	t.Helper()
	if got != want {
		t.Errorf("Stated = %+v\nwant     %+v", got, want)
	}
}

// An order whose tax cells are all empty leaves its tax to oms: no tax, no
// stated totals. A tax of 0 in any cell is a tax given, and kept.
func TestReaderTaxLeftToOMS(t *testing.T) {
	file := strings.Join([]string{
		"order_id,placed_at,currency,sku,quantity,unit_price,line_tax,shipping,shipping_tax,ship_line1,ship_city,ship_region,ship_country",
		"N-1,2025-11-14T09:30:00Z,CAD,MUG,2,24.99,,10.00,,1 Rue,Montréal,QC,CA",
		"N-1,,,TEA,1,5.00,,,,,,,",
		"Z-1,2025-11-14T09:30:00Z,CAD,MUG,1,24.99,,10.00,0.00,1 Rue,Montréal,QC,CA",
		"Z-2,2025-11-14T09:30:00Z,CAD,MUG,1,24.99,,10.00,,1 Rue,Montréal,QC,CA",
		"Z-2,,,TEA,1,5.00,0,,,,,,",
		"T-1,2025-11-14T09:30:00Z,CAD,MUG,1,24.99,3.74,10.00,,1 Rue,Montréal,QC,CA",
	}, "\n") + "\n"
	got := readAll(t, file)
	if len(got) != 4 {
		t.Fatalf("read %d orders, want 4", len(got))
	}
	for i, want := range []bool{true, false, false, false} {
		in := got[i].in
		if got[i].err != nil {
			t.Fatalf("order %d: %v", i, got[i].err)
		}
		payloadtest.Placeable(t, in)
		if in.Draft.ComputeTax != want {
			t.Errorf("%s: ComputeTax = %v, want %v", in.Draft.ExternalID, in.Draft.ComputeTax, want)
		}
	}
	if in := got[0].in; in.Stated != (oms.Totals{}) || in.Draft.Lines[0].Tax != 0 || in.Draft.ShippingTax != 0 {
		t.Errorf("N-1: stated %+v, line tax %d, shipping tax %d", in.Stated, in.Draft.Lines[0].Tax, in.Draft.ShippingTax)
	}
	// 24.99 + 10.00 shipping, tax 3.74 as given.
	assertStated(t, got[3].in.Stated, oms.Totals{Subtotal: 2499, ShippingTotal: 1000, TaxTotal: 374, Total: 3873})
}

// errorsFile has problems on several lines; each order after a bad one is
// still read.
var errorsFile = strings.Join([]string{
	/* 1 */ "order_id,placed_at,currency,email,sku,quantity,unit_price,line_discount,shipping",
	/* 2 */ "A1,2025-11-14T09:30:00Z,USD,,SKU-1,two,19.99,,",
	/* 3 */ "A1,2025-11-14T09:30:00Z,USD,,SKU-2,-1,19.99,,",
	/* 4 */ "B1,2025-11-14T09:30:00Z,USD,,SKU-1,1,1.999,,5.00",
	/* 5 */ "B1,,EUR,,SKU-2,1,2.00,,4.00",
	/* 6 */ "C1,2025-11-14T09:30:00Z,USD,,SKU-1,1,10.00,,",
	/* 7 */ `D1,2025-11-14T09:30:00Z,USD,,SKU-"1",1,10.00,,`,
	/* 8 */ "E1,2025-11-14T09:30:00Z,USD,,SKU-1,1,10.00,,",
	/* 9 */ "F1,2025-11-14 09:30,USD,,,1,10.00,12.00,",
	/* 10 */ "V1,2025-11-14T09:30:00Z,USD,,SKU-1,1,10.00,,",
	/* 11 */ "A1,2025-11-14T09:30:00Z,USD,,SKU-3,1,1.00,,",
	/* 12 */ "G1,2025-11-14T09:30:00Z,USD,not-an-email,SKU/1,1,10.00,,",
	/* 13 */ "H1,2025-11-14T09:30:00Z,USD,,SKU-1,1",
	/* 14 */ "H1,2025-11-14T09:30:00Z,USD,,SKU-1,1,10.00,,",
	/* 15 */ ",2025-11-14T09:30:00Z,USD,,SKU-1,1,10.00,,",
	/* 16 */ "I1,2025-11-14T09:30:00Z,XYZ,,SKU-1,1,10.00,,",
	/* 17 */ ",,,,,,,,",
	/* 18 */ "J1,2025-11-14T09:30:00Z,JPY,,SKU-1,1000001,10.5,,",
	/* 19 */ "K1,2025-11-14T09:30:00Z,USD,,SKU-1,1,10.00,,",
}, "\n") + "\n"

func TestReaderErrors(t *testing.T) {
	want := []struct {
		pos    Position
		fields []string // nil: the order is valid
		words  []string // in the first field's message
	}{
		{Position{2, 3}, []string{"row[2].quantity", "row[3].quantity"}, []string{"line 2:", "quantity", `"two"`}},
		{Position{4, 5}, []string{"row[4].unit_price", "row[5].currency", "row[5].shipping"}, []string{"line 4:", "unit_price", `"1.999"`, "more decimals"}},
		// The unreadable line 7 may belong to C1 or E1: neither is imported.
		{Position{6, 7}, []string{"row[7]"}, []string{"line 7:", "bare"}},
		{Position{8, 8}, []string{"row[7]"}, []string{"line 7", "E1"}},
		{Position{9, 9}, []string{"row[9].placed_at", "row[9].sku", "row[9].line_discount"}, []string{"line 9:", "RFC 3339"}},
		{Position{10, 10}, nil, nil},
		{Position{11, 11}, []string{"row[11].order_id"}, []string{"line 11:", "line 2", "consecutive"}},
		{Position{12, 13}, []string{"row[12].email", "row[12].sku", "row[13]"}, []string{"line 12:", "email"}},
		{Position{14, 15}, []string{"row[13]", "row[15].order_id"}, []string{"line 13", "H1"}},
		{Position{16, 16}, []string{"row[15]", "row[16].currency"}, []string{"line 15", "I1"}},
		{Position{18, 18}, []string{"row[18].quantity", "row[18].unit_price"}, []string{"line 18:", "1000001"}},
		{Position{19, 19}, nil, nil},
	}
	got := readAll(t, errorsFile)
	if len(got) != len(want) {
		for _, g := range got {
			t.Logf("%v: %v", g.pos, g.err)
		}
		t.Fatalf("read %d orders, want %d", len(got), len(want))
	}
	for i, w := range want {
		g := got[i]
		if g.pos != w.pos {
			t.Errorf("order %d: position %v, want %v", i, g.pos, w.pos)
		}
		if w.fields == nil {
			if g.err != nil {
				t.Errorf("lines %v: %v", g.pos, g.err)
			} else {
				payloadtest.Placeable(t, g.in)
			}
			continue
		}
		var e *oms.Error
		if !errors.As(g.err, &e) || e.Code != oms.EINVALID || g.in != nil {
			t.Errorf("lines %v: %v, %v; want EINVALID", g.pos, g.in, g.err)
			continue
		}
		var fields []string
		for _, f := range e.Fields {
			fields = append(fields, f.Field)
		}
		if !slices.Equal(fields, w.fields) {
			t.Errorf("lines %v: fields %q, want %q", g.pos, fields, w.fields)
			for _, f := range e.Fields {
				t.Logf("  %s: %s", f.Field, f.Message)
			}
		}
		for _, word := range w.words {
			if !strings.Contains(e.Fields[0].Message, word) {
				t.Errorf("lines %v: message %q lacks %q", g.pos, e.Fields[0].Message, word)
			}
		}
	}
}

func TestReaderRowProblems(t *testing.T) {
	const header = "order_id,placed_at,currency,sku,quantity,unit_price,line_discount,line_tax,shipping,shipping_tax,taxes_included,ship_city,updated_at,status\n"
	tests := []struct {
		name  string
		rows  string
		field string // the fields named, space-separated
	}{
		{"too many decimals", "1,2025-11-14T09:30:00Z,USD,S,1,19.999,,,,,,,,\n", "row[2].unit_price"},
		{"yen with decimals", "1,2025-11-14T09:30:00Z,JPY,S,1,1980.5,,,,,,,,\n", "row[2].unit_price"},
		{"negative price", "1,2025-11-14T09:30:00Z,USD,S,1,-1.00,,,,,,,,\n", "row[2].unit_price"},
		{"negative shipping", "1,2025-11-14T09:30:00Z,USD,S,1,1.00,,,-5.00,,,,,\n", "row[2].shipping"},
		{"exponent notation", "1,2025-11-14T09:30:00Z,USD,S,1,1e3,,,,,,,,\n", "row[2].unit_price"},
		{"missing price", "1,2025-11-14T09:30:00Z,USD,S,1,,,,,,,,,\n", "row[2].unit_price"},
		{"missing quantity", "1,2025-11-14T09:30:00Z,USD,S,,1.00,,,,,,,,\n", "row[2].quantity"},
		{"fractional quantity", "1,2025-11-14T09:30:00Z,USD,S,1.5,1.00,,,,,,,,\n", "row[2].quantity"},
		{"zero quantity", "1,2025-11-14T09:30:00Z,USD,S,0,1.00,,,,,,,,\n", "row[2].quantity"},
		{"discount above the line", "1,2025-11-14T09:30:00Z,USD,S,2,1.00,2.01,,,,,,,\n", "row[2].line_discount"},
		{"missing placed_at", "1,,USD,S,1,1.00,,,,,,,,\n", "row[2].placed_at"},
		{"placed_at without offset", "1,2025-11-14T09:30:00,USD,S,1,1.00,,,,,,,,\n", "row[2].placed_at"},
		{"placed_at in 1999", "1,1999-12-31T23:00:00Z,USD,S,1,1.00,,,,,,,,\n", "row[2].placed_at"},
		{"bad updated_at", "1,2025-11-14T09:30:00Z,USD,S,1,1.00,,,,,,,yesterday,\n", "row[2].updated_at"},
		{"missing currency", "1,2025-11-14T09:30:00Z,,S,1,1.00,,,,,,,,\n", "row[2].currency"},
		{"taxes_included yes", "1,2025-11-14T09:30:00Z,USD,S,1,1.00,,,,,yes,,,\n", "row[2].taxes_included"},
		{"address without line1 or country", "1,2025-11-14T09:30:00Z,USD,S,1,1.00,,,,,,Austin,,\n", "row[2].ship_line1 row[2].ship_country"},
		{"shipping on a later row only", "1,2025-11-14T09:30:00Z,USD,S,1,1.00,,,,,,,,\n1,,,T,1,1.00,,,5.00,,,,,\n", "row[3].shipping"},
		{"shipping differs", "1,2025-11-14T09:30:00Z,USD,S,1,1.00,,,5.00,,,,,\n1,,,T,1,1.00,,,5.0,,,,,\n", "row[3].shipping"},
		{"status differs", "1,2025-11-14T09:30:00Z,USD,S,1,1.00,,,,,,,,paid\n1,,,T,1,1.00,,,,,,,,cancelled\n", "row[3].status"},
		{"id too long", strings.Repeat("9", 256) + ",2025-11-14T09:30:00Z,USD,S,1,1.00,,,,,,,,\n", "row[2].order_id"},
		{"unterminated quote", "1,2025-11-14T09:30:00Z,USD,\"S,1,1.00,,,,,,,,\n", "row[2]"},
		{"quoted field spans lines before the bad one", "1,\"2025-11-14T09:30:00Z\",USD,\"S\nT\",0,1.00,,,,,,,,\n", "row[3].quantity"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := readAll(t, header+tt.rows)
			if len(got) != 1 {
				t.Fatalf("read %d orders, want 1", len(got))
			}
			var e *oms.Error
			if !errors.As(got[0].err, &e) || e.Code != oms.EINVALID {
				t.Fatalf("Next = %v, %v; want EINVALID", got[0].in, got[0].err)
			}
			var fields []string
			for _, f := range e.Fields {
				fields = append(fields, f.Field)
			}
			if strings.Join(fields, " ") != tt.field {
				t.Errorf("fields = %+v, want %q", e.Fields, tt.field)
			}
		})
	}
}

func TestReaderTooManyLines(t *testing.T) {
	var b strings.Builder
	b.WriteString("order_id,placed_at,currency,sku,quantity,unit_price\n")
	for range oms.MaxLines + 2 {
		b.WriteString("BIG,2025-11-14T09:30:00Z,USD,S,1,1.00\n")
	}
	b.WriteString("NEXT,2025-11-14T09:30:00Z,USD,S,1,1.00\n")
	got := readAll(t, b.String())
	if len(got) != 2 {
		t.Fatalf("read %d orders, want 2", len(got))
	}
	var e *oms.Error
	if !errors.As(got[0].err, &e) || e.Fields[0].Field != "row[2].order_id" || !strings.Contains(e.Fields[0].Message, "502 rows") {
		t.Errorf("first order: %v", got[0].err)
	}
	if got[0].pos != (Position{2, oms.MaxLines + 3}) {
		t.Errorf("first order at %v", got[0].pos)
	}
	if got[1].err != nil || got[1].in.Draft.ExternalID != "NEXT" {
		t.Errorf("the next order: %v", got[1].err)
	}
}

func TestNewReaderErrors(t *testing.T) {
	tests := []struct {
		name  string
		file  string
		words []string // in some message
	}{
		{"empty", "", []string{"empty"}},
		{"only a BOM", "\uFEFF", []string{"empty"}},
		{"unknown columns", "order_id,placed_at,currency,sku,quantity,unit_price,colour,Size\n", []string{`"colour"`, `"Size"`}},
		{"duplicate", "order_id,placed_at,currency,sku,quantity,unit_price,SKU\n", []string{`"sku"`, "twice"}},
		{"missing required", "order_id,placed_at,sku,unit_price\n", []string{"currency", "quantity", "missing"}},
		{"bad quoting", "order_id,\"placed_at\n", []string{"cannot be read"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := NewReader(strings.NewReader(tt.file))
			var e *oms.Error
			if !errors.As(err, &e) || e.Code != oms.EINVALID || r != nil {
				t.Fatalf("NewReader = %v, %v; want EINVALID", r, err)
			}
			var all string
			for _, f := range e.Fields {
				if f.Field != "header" {
					t.Errorf("field %q, want header", f.Field)
				}
				all += f.Message + "\n"
			}
			for _, w := range tt.words {
				if !strings.Contains(all, w) {
					t.Errorf("messages %q lack %q", all, w)
				}
			}
		})
	}
}

func TestReaderHeaderOnly(t *testing.T) {
	if got := readAll(t, "order_id,placed_at,currency,sku,quantity,unit_price\r\n\r\n,,,,,\r\n"); len(got) != 0 {
		t.Errorf("read %d orders from a file without rows", len(got))
	}
}

type failingReader struct{ data string }

func (f *failingReader) Read(p []byte) (int, error) {
	if f.data == "" {
		return 0, errors.New("disk on fire")
	}
	n := copy(p, f.data)
	f.data = f.data[n:]
	return n, nil
}

func TestReaderReadError(t *testing.T) {
	r, err := NewReader(&failingReader{"order_id,placed_at,currency,sku,quantity,unit_price\n1,2025-11-14T09:30:00Z,USD,S,1,1.00\n"})
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		in, _, err := r.Next()
		if err == nil || oms.ErrorCode(err) != oms.EINTERNAL || !strings.Contains(err.Error(), "disk on fire") {
			t.Errorf("Next = %v, %v; want the read error", in, err)
		}
	}
}

func FuzzReader(f *testing.F) {
	f.Add(multi)
	f.Add(errorsFile)
	f.Add(strings.ReplaceAll(multi, "\r\n", "\n"))
	f.Add(multi[:len(multi)/2])
	f.Add(strings.Replace(errorsFile, "A1", "B1", -1))
	f.Add("order_id,placed_at,currency,sku,quantity,unit_price\n1,2025-11-14T09:30:00Z,KWD,S,1,0.001\n")
	f.Fuzz(func(t *testing.T, file string) {
		r, err := NewReader(strings.NewReader(file))
		if err != nil {
			if oms.ErrorCode(err) != oms.EINVALID {
				t.Fatalf("NewReader: %v is not EINVALID", err)
			}
			return
		}
		last := 1
		for n := 0; ; n++ {
			if n > len(file) {
				t.Fatal("more orders than bytes")
			}
			in, pos, err := r.Next()
			if err == io.EOF {
				return
			}
			if pos.FirstLine <= last || pos.LastLine < pos.FirstLine {
				t.Fatalf("position %v after line %d", pos, last)
			}
			last = pos.LastLine
			var e *oms.Error
			if err != nil {
				if !errors.As(err, &e) || e.Code != oms.EINVALID || len(e.Fields) == 0 || in != nil {
					t.Fatalf("Next: %v, %v", in, err)
				}
				for _, f := range e.Fields {
					if !strings.HasPrefix(f.Field, "row[") || !strings.HasPrefix(f.Message, "line ") {
						t.Fatalf("field %q: %q", f.Field, f.Message)
					}
				}
				continue
			}
			if in.Draft.Channel != "" {
				t.Fatalf("Channel = %q", in.Draft.Channel)
			}
			payloadtest.Placeable(t, in)
		}
	})
}

// TestReaderRefusesInvalidUTF8: a byte that is not UTF-8 is refused naming
// its value, never kept as U+FFFD, and the next order is read as usual.
func TestReaderRefusesInvalidUTF8(t *testing.T) {
	file := "order_id,placed_at,currency,name,sku,quantity,unit_price\n" +
		"U-1,2025-11-14T10:00:00Z,USD,Ann \xff\xfe,MUG,1,12.50\n" +
		"U-1,,,,TEE\xc3,1,5.00\n" +
		"U-2,2025-11-14T10:00:00Z,USD,Ann,MUG,1,12.50\n"
	got := readAll(t, file)
	if len(got) != 2 {
		t.Fatalf("read %d orders, want 2", len(got))
	}
	var e *oms.Error
	if !errors.As(got[0].err, &e) || e.Code != oms.EINVALID || got[0].in != nil {
		t.Fatalf("U-1: %v, %v; want EINVALID", got[0].in, got[0].err)
	}
	var fields []string
	for _, f := range e.Fields {
		fields = append(fields, f.Field+": "+f.Message)
	}
	want := []string{"row[2].name: line 2: name is not valid UTF-8", "row[3].sku: line 3: sku is not valid UTF-8"}
	if !slices.Equal(fields, want) {
		t.Errorf("U-1: %q, want %q", fields, want)
	}
	if got[1].err != nil || got[1].in.Draft.ExternalID != "U-2" {
		t.Errorf("U-2: %v, %v", got[1].in, got[1].err)
	}
}
