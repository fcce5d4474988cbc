package httpapi

import (
	"encoding/json"
	"errors"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/httpapi/decode"
	"github.com/omshq/oms/internal/httpapi/orderbody"
)

// fieldsOf returns "field: message" for each field error of err, or fails.
func fieldsOf(t *testing.T, err error) []string {
	t.Helper()
	var e *oms.Error
	if !errors.As(err, &e) || e.Code != oms.EINVALID {
		t.Fatalf("error %v is not EINVALID", err)
	}
	var out []string
	for _, f := range e.Fields {
		out = append(out, f.Field+": "+f.Message)
	}
	return out
}

// TestDecodeOrderProblems sends order bodies with problems of the body's
// shape: each is named under its full path, all of them at once, together
// with what the order's own validation finds.
func TestDecodeOrderProblems(t *testing.T) {
	const good = `"channel":"web","external_id":"1","currency":"USD","lines":[{"sku":"a","quantity":1,"unit_price":100}]`
	cases := []struct {
		name string
		body string
		want []string
	}{
		{"unknown field in a line",
			`{"channel":"web","external_id":"1","currency":"USD","lines":[{"sku":"a","qty":1,"unit_price":100}]}`,
			[]string{"lines[0].qty: is not a known field", "lines[0].quantity: is required"}},
		{"every problem at once",
			`{"channel":"web","external_id":"1","currency":"USD","coupon":"FREE",
			"customer":{"email":7,"nickname":"A"},"ship_to":"1 Main St",
			"lines":[{"sku":"a","quantity":1,"unit_price":100},{"sku":"b","quantity":"2","unit_price":1.5,"colour":"red"}],
			"taxes_included":"yes"}`,
			[]string{"coupon: is not a known field", "customer.email: must be a string, not a number",
				"customer.nickname: is not a known field", "ship_to: must be an object, not a string",
				"lines[1].quantity: must be a JSON integer, not a string",
				"lines[1].unit_price: must be a whole number (amounts are integers in minor units, e.g. 1999 for 19.99)",
				"lines[1].colour: is not a known field", "taxes_included: must be true or false, not a string"}},
		{"the order's own checks come too",
			`{"channel":"web","external_id":"","currency":"XXX","ship_to":{"line1":"1 Main St","city":"X","country":"USA","floor":2},
			"lines":[{"sku":"a","unit_price":100}]}`,
			[]string{"ship_to.floor: is not a known field", "lines[0].quantity: is required",
				"external_id: is required: printable text of at most 255 bytes",
				"currency: must be an ISO 4217 currency code such as USD",
				"ship_to.country: must be an ISO 3166-1 alpha-2 code such as US"}},
		{"nothing said of a value the request did not give",
			`{"channel":"web","external_id":"1","currency":"USD","lines":[{"sku":"a","quantity":1,"unit_price":"100","discount":50}],"shipping_price":1.5}`,
			[]string{"shipping_price: must be a whole number (amounts are integers in minor units, e.g. 1999 for 19.99)",
				"lines[0].unit_price: must be a JSON integer, not a string"}},
		{"a key given twice", `{` + good + `,"lines":[{"sku":"a","quantity":1,"quantity":1000,"unit_price":100}]}`,
			[]string{"lines: is given more than once", "lines[0].quantity: is given more than once"}},
		{"a key given twice, once escaped", `{` + good + `,"channel":"web","ch\u0061nnel":"pos"}`,
			[]string{"channel: is given more than once"}},
		{"a field in another case", `{"channel":"web","external_id":"1","currency":"USD","lines":[{"SKU":"a","quantity":1,"unit_price":100}]}`,
			[]string{`lines[0].SKU: is not a known field; did you mean "sku"?`}},
		{"invalid UTF-8 in a value", "{" + good + ",\"customer\":{\"name\":\"Ann \xff Lee\"}}",
			[]string{"customer.name: is not valid UTF-8 (or holds an unpaired surrogate)"}},
		{"an unpaired surrogate", "{" + good + `,"customer":{"name":"Ann \ud800 Lee"}}`,
			[]string{"customer.name: is not valid UTF-8 (or holds an unpaired surrogate)"}},
		{"a pair of surrogates is fine", "{" + good + `,"customer":{"name":"Ann \ud83d\ude00 Lee"}}`, nil},
		{"invalid UTF-8 in a key", "{" + good + ",\"customer\":{\"n\xffme\":\"Ann\"}}",
			[]string{"customer: has a key that is not valid UTF-8"}},
		{"not an object", `["a"]`, []string{"body: must be an object, not an array"}},
		{"malformed", `{"channel":"web",`, []string{"body: the JSON ends too early"}},
		{"malformed inside", `{"channel":"web","lines":[{"sku":"a",}]}`,
			[]string{"body: malformed JSON at byte 38: invalid character '}' looking for beginning of object key string"}},
		{"trailing data", `{` + good + `} {}`, []string{"body: unexpected data after the JSON object"}},
		{"too deep", `{"lines":` + strings.Repeat("[", 10001) + strings.Repeat("]", 10001) + `}`,
			[]string{"body: malformed JSON at byte 10009: invalid character '[' exceeded max depth"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := orderbody.Decode([]byte(c.body))
			if c.want == nil {
				if err != nil {
					t.Fatalf("error %v", err)
				}
				return
			}
			if got := fieldsOf(t, err); !slices.Equal(got, c.want) {
				t.Errorf("problems\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(c.want, "\n"))
			}
		})
	}
}

// FuzzCheckJSON walks arbitrary bodies: it never panics; it finds a body
// malformed exactly when encoding/json does; what it passes, encoding/json
// decodes; and a well-formed body with invalid UTF-8 never passes.
func FuzzCheckJSON(f *testing.F) {
	for _, b := range []string{
		`{"channel":"web","lines":[{"sku":"a","quantity":1}]}`, `{"customer":{"email":"a\u00e9"}}`,
		`{"a":1,"a":2}`, `{"lines":[[]]}`, `[1,2.5e3,-0,true,null,"x"]`, `{"ship_to":{"latitude":1e400}}`,
		"{\"channel\":\"\xff\"}", `{"x":"\ud800\udc00"}`, `{"customer":{"name":"\ud800"}}`, ` {} `, `{"a":}`,
	} {
		f.Add([]byte(b))
	}
	typ := reflect.TypeFor[orderbody.OrderRequest]()
	f.Fuzz(func(t *testing.T, body []byte) {
		problems, err := decode.Check(body, typ)
		if (err != nil) != !json.Valid(body) {
			t.Fatalf("walk error %v, but json.Valid says %v", err, json.Valid(body))
		}
		if err != nil {
			return
		}
		if len(problems) == 0 {
			var req orderbody.OrderRequest
			if err := decode.JSON(body, &req); err != nil {
				t.Fatalf("the walk passes what encoding/json refuses: %v", err)
			}
			if !utf8.Valid(body) {
				t.Fatalf("the walk passes invalid UTF-8")
			}
		}
		for _, p := range problems {
			if p.Field == "" || p.Message == "" {
				t.Fatalf("problem without a field or message: %+v", p)
			}
		}
	})
}

// TestControlCharacters takes each request example and puts a control
// character into each of its strings in turn, raw and escaped: the body is
// refused naming that string's field, whatever the route. Tabs and line
// breaks pass here (fields of one line refuse them in their own checks).
func TestControlCharacters(t *testing.T) {
	s := New(nil, nil)
	n := 0
	for _, rt := range s.routes {
		ex, ok := requestExamples[reflect.TypeOf(rt.Request)]
		if !ok || rt.Request == nil {
			continue
		}
		if _, raw := rt.Request.(rawBody); raw {
			continue
		}
		typ := reflect.TypeOf(rt.Request)
		if _, own := rt.Request.(channelPayload); own {
			typ = reflect.TypeFor[orderbody.OrderRequest]()
		}
		var doc any
		if err := json.Unmarshal([]byte(ex), &doc); err != nil {
			t.Fatalf("%s %s: %v", rt.Method, rt.Path, err)
		}
		eachString(doc, "", func(path string, set func(string)) {
			n++
			for _, bad := range []string{"\u0001", "\u007f", "\u0085", "\u001b[31m"} {
				set("a" + bad + "b")
				body, _ := json.Marshal(doc)
				err := decode.JSON(body, reflect.New(typ).Interface())
				if got := fieldsOf(t, err); !slices.ContainsFunc(got, func(f string) bool { return strings.HasPrefix(f, path+": must not hold control") }) {
					t.Errorf("%s %s: %q in %s: %v", rt.Method, rt.Path, bad, path, got)
				}
			}
			set("a\tb\r\nc")
			body, _ := json.Marshal(doc)
			if err := decode.JSON(body, reflect.New(typ).Interface()); err != nil && slices.ContainsFunc(fieldsOf(t, err),
				func(f string) bool { return strings.Contains(f, "control") }) {
				t.Errorf("%s %s: a tab or line break in %s refused by the body check: %v", rt.Method, rt.Path, path, err)
			}
		})
	}
	if n < 100 {
		t.Errorf("only %d strings in the examples", n)
	}
}

// eachString calls fn for each string in the JSON value v, with its path as
// the checker names it and a function that replaces it (and restores the
// original after fn).
func eachString(v any, path string, fn func(path string, set func(string))) {
	join := func(name string) string {
		if path == "" {
			return name
		}
		return path + "." + name
	}
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			if s, ok := e.(string); ok {
				fn(join(k), func(n string) { x[k] = n })
				x[k] = s
				continue
			}
			eachString(e, join(k), fn)
		}
	case []any:
		for i, e := range x {
			p := path + "[" + strconv.Itoa(i) + "]"
			if s, ok := e.(string); ok {
				fn(p, func(n string) { x[i] = n })
				x[i] = s
				continue
			}
			eachString(e, p, fn)
		}
	}
}
