package payload

import (
	"encoding/json"
	"errors"
	"strconv"
	"strings"

	"github.com/omshq/oms"
)

// Decode unmarshals a body that must be a JSON object into v. A field of the
// wrong JSON type is EINVALID naming the field ("must not be a JSON string");
// a body that is not an object, or not JSON at all, is EINVALID naming
// "body". A key given twice in one object, or a string that is not valid
// UTF-8 or holds an unpaired surrogate, is EINVALID naming its JSON path
// (see check), never "the last one wins" or U+FFFD.
func Decode(body []byte, v any) error {
	te, err := unmarshal(body, v, "")
	switch {
	case te == nil:
		return err
	case te.Field != "":
		return oms.Invalid(te.Field, "must not be a JSON %s", te.Value)
	}
	return oms.Invalid("body", "must be a JSON object, not a JSON %s", te.Value)
}

// DecodeAt unmarshals data, the part of a body found under prefix ("order.",
// "lineItems[0]." or "" for the whole body), into v. A value of the wrong
// JSON type is EINVALID naming its path under prefix ("has the wrong JSON
// type (string)"): the field's, else the part's, else "body". Data that is
// not JSON is EINVALID naming "body"; duplicate keys and strings that are
// not valid Unicode are EINVALID naming their paths under prefix, as for
// Decode.
func DecodeAt(data []byte, v any, prefix string) error {
	te, err := unmarshal(data, v, prefix)
	if te == nil {
		return err
	}
	field := prefix + te.Field
	if te.Field == "" {
		field = strings.TrimSuffix(prefix, ".")
	}
	if field == "" {
		field = "body"
	}
	return oms.Invalid(field, "has the wrong JSON type (%s)", te.Value)
}

// unmarshal unmarshals data into v. It returns the type error when a value
// has the wrong JSON type, for the caller to name; data that is not JSON is
// EINVALID naming "body", and the problems check finds in JSON are EINVALID
// naming their paths under prefix, before any type error.
func unmarshal(data []byte, v any, prefix string) (*json.UnmarshalTypeError, error) {
	err := json.Unmarshal(data, v)
	var te *json.UnmarshalTypeError
	if err != nil && !errors.As(err, &te) {
		return nil, oms.Invalid("body", "is not valid JSON: %v", err)
	}
	if p := check(data, prefix); len(p) > 0 {
		return nil, p.Err()
	}
	return te, nil
}

// Elem returns the path of element i of the list at path: "line_items[2]".
func Elem(path string, i int) string {
	return path + "[" + strconv.Itoa(i) + "]"
}
