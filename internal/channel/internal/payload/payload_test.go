package payload

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/omshq/oms"
)

// problem returns the one field and message err names, or "" when err is nil.
func problem(t *testing.T, err error) string {
	t.Helper()
	if err == nil {
		return ""
	}
	var e *oms.Error
	if !errors.As(err, &e) || e.Code != oms.EINVALID || len(e.Fields) != 1 {
		t.Fatalf("error %v is not EINVALID naming one field", err)
	}
	return e.Fields[0].Field + ": " + e.Fields[0].Message
}

func TestDecode(t *testing.T) {
	tests := []struct{ name, body, want string }{
		{"object", `{"id": 1}`, ""},
		{"field of the wrong type", `{"line_items": {}}`, "line_items: must not be a JSON object"},
		{"nested field", `{"line_items": [{"sku": 1}]}`, "line_items.sku: must not be a JSON number"},
		{"array", `[]`, "body: must be a JSON object, not a JSON array"},
		{"not JSON", `{"id"`, "body: is not valid JSON: unexpected end of JSON input"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var v struct {
				ID        json.RawMessage `json:"id"`
				LineItems []struct {
					SKU string `json:"sku"`
				} `json:"line_items"`
			}
			if got := problem(t, Decode([]byte(tt.body), &v)); got != tt.want {
				t.Errorf("Decode(%s) = %q, want %q", tt.body, got, tt.want)
			}
		})
	}
}

func TestDecodeAt(t *testing.T) {
	tests := []struct{ name, data, prefix, want string }{
		{"object", `{"sku": "A"}`, "order_items[0].", ""},
		{"field under the prefix", `{"sku": 1}`, "order_items[0].", "order_items[0].sku: has the wrong JSON type (number)"},
		{"the part itself", `"x"`, "order.", "order: has the wrong JSON type (string)"},
		{"the whole body", `[1]`, "", "body: has the wrong JSON type (array)"},
		{"not JSON", `{`, "order.", "body: is not valid JSON: unexpected end of JSON input"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var v struct {
				SKU string `json:"sku"`
			}
			if got := problem(t, DecodeAt([]byte(tt.data), &v, tt.prefix)); got != tt.want {
				t.Errorf("DecodeAt(%s, %q) = %q, want %q", tt.data, tt.prefix, got, tt.want)
			}
		})
	}
}

func TestInteger(t *testing.T) {
	const badQuantity = "q: must be an integer from 1 to 1000000"
	tests := []struct {
		raw         string
		v           int64
		present, ok bool
		id          string // ID's answer; "" with a problem
		quantity    int64
		problem     string // Quantity's problem
	}{
		{"", 0, false, false, "", 0, "q: is required"},
		{" null ", 0, false, false, "", 0, "q: is required"},
		{"820982911946154508", 820982911946154508, true, true, "820982911946154508", 0, badQuantity},
		{" 3 ", 3, true, true, "3", 3, ""},
		{"0", 0, true, true, "", 0, badQuantity},
		{"1.5", 0, true, false, "", 0, badQuantity},
		{`"7"`, 0, true, false, "", 0, badQuantity},
		{"99999999999999999999", 0, true, false, "", 0, badQuantity},
	}
	for _, tt := range tests {
		raw := json.RawMessage(tt.raw)
		v, present, ok := Integer(raw)
		if (ok && v != tt.v) || present != tt.present || ok != tt.ok {
			t.Errorf("Integer(%s) = %d, %v, %v; want %d, %v, %v", tt.raw, v, present, ok, tt.v, tt.present, tt.ok)
		}
		var p oms.Problems
		if id := ID(&p, "id", raw); id != tt.id || (id == "") == (len(p) == 0) {
			t.Errorf("ID(%s) = %q with problems %v, want %q", tt.raw, id, p, tt.id)
		}
		if got := FirstID(json.RawMessage("0"), raw); got != tt.id {
			t.Errorf("FirstID(0, %s) = %q, want %q", tt.raw, got, tt.id)
		}
		p = nil
		if q := Quantity(&p, "q", raw); q != tt.quantity || problem(t, p.Err()) != tt.problem {
			t.Errorf("Quantity(%s) = %d, %v; want %d, %q", tt.raw, q, p, tt.quantity, tt.problem)
		}
	}
}

func TestQuantityFrom(t *testing.T) {
	tests := []struct {
		raw   string
		least int64
		n     int64
		want  string
	}{
		{"0", 0, 0, ""},
		{"2", 1, 2, ""},
		{"0", 1, 0, "q: must be between 1 and 1000000"},
		{"-2", 0, 0, "q: must be between 0 and 1000000"},
		{"1000001", 1, 0, "q: must be between 1 and 1000000"},
		{"1.5", 1, 0, "q: must be a whole number, not 1.5"},
		{"12345678901234567890123456789012345.5", 1, 0, "q: must be a whole number, not 12345678901234567890123456789012"},
		{"null", 0, 0, "q: is required"},
	}
	for _, tt := range tests {
		var p oms.Problems
		n, ok := QuantityFrom(&p, "q", json.RawMessage(tt.raw), tt.least)
		if got := problem(t, p.Err()); n != tt.n || got != tt.want || ok != (got == "") {
			t.Errorf("QuantityFrom(%s, %d) = %d, %v, %q; want %d, %q", tt.raw, tt.least, n, ok, got, tt.n, tt.want)
		}
	}
}

func TestSigned(t *testing.T) {
	amount := func(s string) *string { return &s }
	tests := []struct {
		s    *string
		code string
		v    int64
		want string // the problem, or its start when money words the rest
	}{
		{amount("-9.00"), "EUR", -900, ""},
		{amount("3980"), "JPY", 3980, ""},
		{amount("-100000000000.00"), "EUR", -oms.MaxAmount, ""},
		{nil, "EUR", 0, "x.Amount: is required"},
		{amount("89.999"), "EUR", 0, "x.Amount: "},
		{amount("-100000000000.01"), "EUR", 0, "x.Amount: must be at most 100000000000.00"},
	}
	for _, tt := range tests {
		var p oms.Problems
		v := Signed(&p, "x.Amount", tt.s, tt.code)
		got := problem(t, p.Err())
		if v != tt.v || !strings.HasPrefix(got, tt.want) || (tt.want == "") != (got == "") {
			t.Errorf("Signed(%v, %s) = %d, %q; want %d, %q", tt.s, tt.code, v, got, tt.v, tt.want)
		}
	}
	var p oms.Problems
	if v := NonNegative(&p, "x.Amount", -1); v != 0 || problem(t, p.Err()) != "x.Amount: must not be negative" {
		t.Errorf("NonNegative(-1) = %d, %v", v, p)
	}
	if Magnitude(-900) != 900 || Magnitude(900) != 900 {
		t.Error("Magnitude is not the size of a discount")
	}
	sum := int64(oms.MaxAmount)
	p = nil
	if Add(&p, "lines", &sum, 1); sum != oms.MaxAmount+1 || len(p) != 0 {
		t.Errorf("Add = %d, %v; want no problem below int64's limit", sum, p)
	}
	sum = 1<<63 - 1
	if Add(&p, "lines", &sum, 1); sum != 1<<63-1 || problem(t, p.Err()) != "lines: the amounts are too large" {
		t.Errorf("Add on overflow = %d, %v", sum, p)
	}
}

func TestText(t *testing.T) {
	tests := []struct{ name, got, want string }{
		{"clip keeps whole characters", Clip("Straße", 5), "Stra"},
		{"clip leaves a short string", Clip("ab", 5), "ab"},
		{"title turns control characters into spaces", Title(" Mug\n12\x00 "), " Mug 12  "},
		{"text trims too", Text(" Mug\n12\x00 ", 6), "Mug 12"},
		{"elem", Elem(Elem("line_items", 1)+".duties", 0), "line_items[1].duties[0]"},
		{"full name", FullName(" Ann ", ""), "Ann"},
		{"first", First("", "b", "c"), "b"},
		{"or none", OrNone(""), "(none)"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s: %q, want %q", tt.name, tt.got, tt.want)
		}
	}
	if !IsCountry("DE") || IsCountry("de") || IsCountry("DEU") {
		t.Error("IsCountry accepts only two upper-case letters")
	}
}

func TestDecodeRefusesWhatJSONWouldHide(t *testing.T) {
	tests := []struct{ name, body, prefix, want string }{
		{"a key twice", `{"quantity": 2, "quantity": 200}`, "", "quantity: is given more than once"},
		{"a key twice, nested", `{"lineItems": [{"quantity": 2}, {"quantity": 2, "quantity": 200}]}`, "",
			"lineItems[1].quantity: is given more than once"},
		{"a key twice under a prefix", `{"quantity": 2, "quantity": 200}`, "order_items[0].", "order_items[0].quantity: is given more than once"},
		{"a key twice, escaped", `{"id": "1", "i\u0064": "2"}`, "", "id: is given more than once"},
		{"keys differing in case", `{"quantity": 2, "Quantity": 200}`, "", "Quantity: is given more than once"},
		{"an odd key twice", `{"x": {"a b": 1, "a b": 2}}`, "", `x["a b"]: is given more than once`},
		{"invalid UTF-8", "{\"shipTo\": {\"fullName\": \"Ann \xff\xfe\"}}", "", "shipTo.fullName: is not valid UTF-8 (or holds an unpaired surrogate)"},
		{"a lone surrogate", `{"shipTo": {"fullName": "Ann \uD800"}}`, "", "shipTo.fullName: is not valid UTF-8 (or holds an unpaired surrogate)"},
		{"a lone second surrogate", `{"name": "\uDC00\uD800"}`, "", "name: is not valid UTF-8 (or holds an unpaired surrogate)"},
		{"bad UTF-8 in an ignored field", "{\"note\": [\"\xc3\"]}", "", "note[0]: is not valid UTF-8 (or holds an unpaired surrogate)"},
		{"bad UTF-8 in a key", "{\"a\xff\": 1}", "", "[\"a\uFFFD\"]: has a key that is not valid UTF-8 (or holds an unpaired surrogate)"},
		{"a bad part", "\"\xff\"", "order.", "order: is not valid UTF-8 (or holds an unpaired surrogate)"},
		{"a surrogate pair", `{"name": "\uD83D\uDE00", "id": "1", "quantity": 2}`, "", ""},
		{"the same key in two objects", `{"lineItems": [{"quantity": 2}, {"quantity": 3}], "quantity": 1}`, "", ""},
		{"every value kind", `{"a": [1, -2.5e3, true, false, null, "x\"y\\\\", {}, []], "b" : { "c" : "d" } }`, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var v map[string]any
			var err error
			if tt.prefix == "" {
				err = Decode([]byte(tt.body), &v)
			} else {
				err = DecodeAt([]byte(tt.body), new(any), tt.prefix)
			}
			if got := problem(t, err); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}
