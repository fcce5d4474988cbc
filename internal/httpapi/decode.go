package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/omshq/oms"
)

// maxBody bounds every request body.
const maxBody = 1 << 20

// decode reads the JSON body into v, refusing unknown fields, trailing data
// and bodies over maxBody. Its errors name the offending field.
func decode(r *http.Request, v any) error {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return oms.Errorf(oms.ETOOLARGE, "the request body is over %d bytes", maxBody)
		}
		return oms.Errorf(oms.EINVALID, "the request body could not be read")
	}
	return decodeJSON(body, v)
}

// decodeJSON is decode on bytes.
func decodeJSON(body []byte, v any) error {
	if len(bytes.TrimSpace(body)) == 0 {
		return oms.Invalid("body", "a JSON object is required")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return jsonError(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return oms.Invalid("body", "unexpected data after the JSON object")
	}
	return nil
}

// jsonError turns an encoding/json error into an EINVALID error naming the
// field.
func jsonError(err error) error {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syntax):
		return oms.Invalid("body", "malformed JSON at byte %d: %s", syntax.Offset, syntax.Error())
	case errors.As(err, &typ):
		field := typ.Field
		if field == "" {
			field = "body"
		}
		return oms.Invalid(field, "must be %s, not %s", jsonType(typ.Type.Kind().String()), typ.Value)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return oms.Invalid("body", "the JSON ends too early")
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name, _ := strconv.Unquote(strings.TrimPrefix(err.Error(), "json: unknown field "))
		return oms.Invalid(name, "is not a known field")
	}
	return oms.Invalid("body", "the JSON could not be read: %s", err.Error())
}

func jsonType(kind string) string {
	switch kind {
	case "string":
		return "a string"
	case "bool":
		return "true or false"
	case "struct", "map":
		return "an object"
	case "slice", "array":
		return "an array"
	case "int", "int64", "int32":
		return "an integer"
	}
	return "a " + kind
}

// Int is a JSON integer, kept raw until validated so that the error can name
// the field's full path and say what is wrong: a fraction, a string, an
// exponent or an overflow. Money is always an Int of minor units.
type Int struct {
	raw []byte
}

// UnmarshalJSON keeps the raw value.
func (n *Int) UnmarshalJSON(b []byte) error {
	n.raw = append(n.raw[:0], b...)
	return nil
}

// MarshalJSON writes the raw value back, so that a decoded request can be
// logged as received.
func (n Int) MarshalJSON() ([]byte, error) {
	if n.raw == nil {
		return []byte("null"), nil
	}
	return n.raw, nil
}

// IntOf returns an Int holding v.
func IntOf(v int64) Int { return Int{raw: []byte(strconv.FormatInt(v, 10))} }

// Set reports whether the field was present and not null.
func (n Int) Set() bool { return n.raw != nil && string(n.raw) != "null" }

// Value returns the integer, or records why it is not one under field.
// An absent or null value is 0, or "is required" when required.
func (n Int) Value(p *oms.Problems, field string, required bool) int64 {
	if !n.Set() {
		if required {
			p.Add(field, "is required")
		}
		return 0
	}
	s := string(n.raw)
	switch {
	case s[0] == '"':
		p.Add(field, "must be a JSON integer, not a string")
		return 0
	case s == "true" || s == "false" || s[0] == '{' || s[0] == '[':
		p.Add(field, "must be an integer")
		return 0
	case strings.ContainsAny(s, ".eE"):
		p.Add(field, "must be a whole number (amounts are integers in minor units, e.g. 1999 for 19.99)")
		return 0
	}
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		p.Add(field, "is out of range")
		return 0
	}
	return v
}

// ptr returns the value of an optional Int as a pointer, nil when absent.
func (n Int) ptr(p *oms.Problems, field string) *int64 {
	if !n.Set() {
		return nil
	}
	v := n.Value(p, field, true)
	return &v
}
