package decode

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"reflect"
	"strconv"
	"strings"

	"github.com/omshq/oms"
)

// MaxBody bounds every request body.
const MaxBody = 1 << 20

// Request reads the JSON body into v, refusing unknown fields, trailing data
// and bodies over MaxBody. Its errors name every offending field.
func Request(r *http.Request, v any) error {
	return RequestChecked(r, v, nil)
}

// RequestChecked is Request for a request that can check itself (see
// JSONChecked).
func RequestChecked(r *http.Request, v any, check func() error) error {
	body, err := ReadBody(r)
	if err != nil {
		return err
	}
	return JSONChecked(body, v, check)
}

// ReadBody reads the whole body, within its limit.
func ReadBody(r *http.Request) ([]byte, error) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return nil, oms.Errorf(oms.ETOOLARGE, "the request body is over %d bytes", MaxBody)
		}
		return nil, oms.Errorf(oms.EINVALID, "the request body could not be read")
	}
	return body, nil
}

// Whole is Request for a PUT that replaces settings whole: the body
// must be a JSON object that gives every field of v, and of each object
// within it, none of them null — so that an empty body, null or a
// forgotten field is refused rather than turning rules off unseen. A rule
// is turned off by giving its off value (0, false, {} or []) explicitly.
// When v has a Validate method, its problems come with the missing fields.
func Whole(r *http.Request, v any) error {
	body, err := ReadBody(r)
	if err != nil {
		return err
	}
	err = JSONChecked(body, v, nil)
	var top any
	if json.Unmarshal(body, &top) != nil || oms.ErrorCode(err) != oms.EINVALID && err != nil {
		return err // not JSON, or too large: decoding said so
	}
	var p oms.Problems
	if _, ok := top.(map[string]any); !ok {
		p.Add("body", "must be a JSON object giving every setting")
	}
	missingFields(&p, "", top, shapeOf(reflect.TypeOf(v)))
	if vd, ok := v.(interface{ Validate() error }); ok && len(p) > 0 && err == nil {
		err = vd.Validate()
	}
	return WithProblems(p, err).Err()
}

// missingFields records each field of s that the object v (read from JSON)
// does not give or gives as null, under its path after prefix, and looks
// into the objects it gives.
func missingFields(p *oms.Problems, prefix string, v any, s *shape) {
	obj, ok := v.(map[string]any)
	if !ok || s.kind != shapeObject {
		return
	}
	for _, f := range s.list {
		val, given := obj[f.name]
		if !given || val == nil {
			p.Add(prefix+f.name, "is required: a PUT replaces the settings whole (turn a rule off with its 0, false, {} or [])")
			continue
		}
		missingFields(p, prefix+f.name+".", val, f.shape)
	}
}

// JSON is Request on bytes. Before decoding, it walks the body against
// the shape of v and reports every problem at once, each under its full JSON
// path (see checker).
func JSON(body []byte, v any) error {
	return JSONChecked(body, v, nil)
}

// JSONChecked is JSON for a request that can check itself: when the
// body has problems, what of it can be decoded is, check runs on that, and
// its problems come with the body's, so that a client learns them all at
// once. check runs only then; a handler validates a well-formed request as
// usual.
func JSONChecked(body []byte, v any, check func() error) error {
	if len(bytes.TrimSpace(body)) == 0 {
		return oms.Invalid("body", "a JSON object is required")
	}
	problems, err := checkJSON(body, shapeOf(reflect.TypeOf(v)))
	switch {
	case err != nil:
		return err
	case len(problems) > 0 && check != nil:
		_ = unmarshal(body, v) // best effort: the problems are known
		return WithProblems(problems, check()).Err()
	case len(problems) > 0:
		return problems.Err()
	}
	return unmarshal(body, v)
}

// unmarshal decodes body, which checkJSON found well-formed, into v.
func unmarshal(body []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return jsonError(err)
	}
	return nil
}

// WithProblems returns p with the field errors of err added, less those
// about a field p names already or a field inside one: the first word on a
// field is the one that says what is wrong with it.
func WithProblems(p oms.Problems, err error) oms.Problems {
	var e *oms.Error
	if !errors.As(err, &e) || e.Code != oms.EINVALID {
		return p
	}
	for _, f := range e.Fields {
		if !named(p, f.Field) {
			p = append(p, f)
		}
	}
	return p
}

// InvalidWith returns nil when p is empty; otherwise an EINVALID error
// listing p and whatever else validate finds, so that one answer names every
// bad field rather than the first few. validate is the check the store would
// make of the request; p names the fields it could not read.
func InvalidWith(p oms.Problems, validate func() error) error {
	if len(p) == 0 {
		return nil
	}
	return WithProblems(p, validate()).Err()
}

// named reports whether p has a problem with field or a field holding it.
func named(p oms.Problems, field string) bool {
	for _, f := range p {
		if f.Field == "body" || f.Field == field {
			return true
		}
		if rest, ok := strings.CutPrefix(field, f.Field); ok && (rest[0] == '.' || rest[0] == '[') {
			return true
		}
	}
	return false
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
	if msg := intProblem(n.raw); msg != "" {
		p.Add(field, "%s", msg)
		return 0
	}
	v, _ := strconv.ParseInt(string(n.raw), 10, 64)
	return v
}

// intProblem says why raw, a JSON value, is not an integer in int64, or
// returns "".
func intProblem(raw []byte) string {
	switch {
	case raw[0] == '"':
		return "must be a JSON integer, not a string"
	case raw[0] == 't' || raw[0] == 'f' || raw[0] == '{' || raw[0] == '[':
		return "must be an integer"
	case bytes.ContainsAny(raw, ".eE"):
		return "must be a whole number (amounts are integers in minor units, e.g. 1999 for 19.99)"
	}
	if _, ok := parseInt(raw); !ok {
		return "is out of range"
	}
	return ""
}

// Ptr returns the value of an optional Int as a pointer, nil when absent.
func (n Int) Ptr(p *oms.Problems, field string) *int64 {
	if !n.Set() {
		return nil
	}
	v := n.Value(p, field, true)
	return &v
}

// Optional is Request for a body that may be left out: no body (or only
// white space) leaves v as it is and returns a nil body. A literal null is
// refused, since a client that sends one has given something, not nothing;
// without says what sending no body (or {}) does, for its message. It
// returns the body it decoded, for GivenEmpty.
func Optional(r *http.Request, v any, without string) ([]byte, error) {
	return optional(r, v, "must be a JSON object: send no body or {} to "+without)
}

// optional is Optional, refusing null with the message.
func optional(r *http.Request, v any, null string) ([]byte, error) {
	body, err := ReadBody(r)
	if err != nil {
		return nil, err
	}
	switch trimmed := bytes.TrimSpace(body); {
	case len(trimmed) == 0:
		return nil, nil
	case string(trimmed) == "null":
		return nil, oms.Invalid("body", "%s", null)
	}
	return body, JSON(body, v)
}

// GivenEmpty reports whether the JSON object body, which decoding found
// well-formed, gives field as an empty list or as null: a selection that
// names nothing, which must never read as "all".
func GivenEmpty(body []byte, field string) bool {
	var fields map[string]json.RawMessage
	if json.Unmarshal(body, &fields) != nil {
		return false
	}
	raw, ok := fields[field]
	if !ok {
		return false
	}
	var list []json.RawMessage
	return json.Unmarshal(raw, &list) == nil && len(list) == 0
}

// None reads the body of a route that takes none: no body, or {}. Anything
// else is refused, naming what it gives, so that a client's fields are
// never dropped unseen.
func None(r *http.Request) error {
	_, err := optional(r, &struct{}{}, "this route takes no body: send none, or {}")
	return err
}
