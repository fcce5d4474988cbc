package openapi

import (
	"cmp"
	"encoding/json"
	"maps"
	"reflect"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/omshq/oms"
)

// Spec is what the document is made from: the API's operations, in the
// order the route table lists them, and the tables that say what the Go
// types alone do not.
type Spec struct {
	Operations []Operation
	// Problem is a value of the type of the API's problem documents.
	Problem any
	// TypeEnums are the values of named string types, by type.
	TypeEnums map[reflect.Type][]any
	// FieldEnums are the values of plain string fields (or lists of
	// strings) that hold a closed set.
	FieldEnums map[Field][]any
	// QueryEnums are the values of query parameters that take one of a
	// closed set: by "METHOD path name", or by name alone where the name
	// means the same on every route.
	QueryEnums map[string][]any
	// Nullable names, by the type that holds them, the fields written as
	// null when their value is unknown.
	Nullable map[reflect.Type][]string
}

// Operation is one route as the document describes it.
type Operation struct {
	Method, Path string
	Perm         oms.Permission // empty: no authentication
	Summary      string
	Doc          string // a longer description
	Bound        string // how the route limits a key bound to channels or locations; "" when not
	Request      any    // the body's type
	Response     any    // the success body's type
	Status       []int  // success statuses
	Query        []Param
	IfMatch      Guard
	CSV          bool   // whether the route also answers CSV, to Accept: text/csv
	Example      string // a realistic request body (for a raw body, the text itself); "" for none
	// The bodies the document describes otherwise than by their Go type.
	ChannelPayload bool   // the request is an order in the channel's own format
	RawBody        string // the request is text of this media type, such as an XML document
	CSVFile        bool   // the answer is a CSV file
	Text           bool   // the answer is plain text
	// What the document says of some operations alone.
	ReturnsOrder bool // the answer is one order, with its ETag
	PlacesOrder  bool // the request places an order, which may be out of stock
}

// Param is a query parameter: its name, its JSON type and what it does.
type Param struct{ Name, Type, Doc string }

// Guard says whether a route that changes an order takes If-Match: the
// order's ETag, so that the change goes ahead only while the order is at
// that version.
type Guard int

// The guards an operation may have.
const (
	NoGuard       Guard = iota
	OptionalGuard       // If-Match is honoured when sent
	RequiredGuard       // If-Match is required: 428 without it
)

// Field is a plain string field (or list of strings) holding a closed set:
// a struct type and the field's JSON name.
type Field struct {
	In   reflect.Type
	Name string
}

// FieldOf returns the field of T with the JSON name.
func FieldOf[T any](name string) Field { return Field{reflect.TypeFor[T](), name} }

// setEnums gives the schema of t the values of its closed sets: t's own
// when it is a named string type, its fields' when it is a struct.
func (s *schemaSet) setEnums(t reflect.Type, schema *openapi3.Schema) {
	if values, ok := s.spec.TypeEnums[t]; ok {
		schema.Enum = values
	}
	if t.Kind() != reflect.Struct {
		return
	}
	for name, prop := range schema.Properties {
		values, ok := s.spec.FieldEnums[Field{t, name}]
		if !ok || prop.Value == nil {
			continue
		}
		if s := prop.Value; s.Items != nil && s.Items.Value != nil {
			s.Items.Value.Enum = values // a list of them
		} else {
			s.Enum = values
		}
	}
}

// queryEnum returns the values an operation's query parameter takes, or nil.
func (s *schemaSet) queryEnum(rt Operation, name string) []any {
	if values, ok := s.spec.QueryEnums[rt.Method+" "+rt.Path+" "+name]; ok {
		return values
	}
	return s.spec.QueryEnums[name]
}

// setRequestExample puts the operation's example on each of its body's
// media types that it fits: JSON on a JSON body, text on a raw one.
func setRequestExample(rt Operation, body *openapi3.RequestBody) error {
	if rt.Example == "" {
		return nil // the document tests name the routes without one
	}
	if rt.RawBody != "" {
		body.Content.Get(rt.RawBody).Example = rt.Example
		return nil
	}
	var v any
	if err := json.Unmarshal([]byte(rt.Example), &v); err != nil {
		return err
	}
	body.Content.Get("application/json").Example = v
	return nil
}

// Secrets returns the JSON names of the fields of t (a struct, or a
// pointer to one; embedded structs included) tagged secret:"true": what an
// answer shows once and never stores.
func Secrets(t reflect.Type) map[string]bool {
	names := map[string]bool{}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct {
		return names
	}
	for f := range t.Fields() {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if f.Anonymous && name == "" {
			maps.Copy(names, Secrets(f.Type))
		} else if f.Tag.Get("secret") == "true" {
			names[cmp.Or(name, f.Name)] = true
		}
	}
	return names
}
