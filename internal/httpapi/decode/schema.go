package decode

import (
	"cmp"
	"encoding"
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode"
)

// shape is what JSON a Go type accepts, as encoding/json decodes it: the
// checker walks a body against it before decoding, to name every problem.
type shape struct {
	kind   shapeKind
	bits   int               // the size of an integer or float kind
	elem   *shape            // a slice's or array's elements; a map's values
	key    shapeKind         // a map's keys: shapeString, shapeSigned, shapeUnsigned or shapeAny
	fields map[string]*field // a struct's fields by their exact JSON name
	list   []*field          // the same fields, in the struct's order
}

type shapeKind uint8

const (
	shapeAny      shapeKind = iota // any JSON value: an interface, a json.Unmarshaler, json.RawMessage
	shapeString                    // a string
	shapeText                      // a string read by an encoding.TextUnmarshaler
	shapeBool                      // true or false
	shapeSigned                    // a Go signed integer of bits
	shapeUnsigned                  // a Go unsigned integer of bits
	shapeFloat                     // a Go float of bits
	shapeInt                       // Int: a JSON integer in int64, checked as Int.Value does
	shapeTime                      // time.Time: an RFC 3339 string
	shapeBytes                     // []byte: a base64 string (or an array of bytes)
	shapeObject                    // a struct
	shapeMap                       // a map
	shapeArray                     // a slice or an array
)

// field is one JSON field of a struct.
type field struct {
	name  string
	index int // in its struct's list, for spotting a repeated key
	shape *shape
}

var (
	typeInt             = reflect.TypeFor[Int]()
	typeTime            = reflect.TypeFor[time.Time]()
	typeUnmarshaler     = reflect.TypeFor[json.Unmarshaler]()
	typeTextUnmarshaler = reflect.TypeFor[encoding.TextUnmarshaler]()
	anyShape            = &shape{kind: shapeAny}
)

// shapes memoizes shapeOf: a type's shape never changes, and deriving it
// takes reflection the hot path should not repeat.
var shapes sync.Map // reflect.Type -> *shape

// shapeOf returns the shape of values of type t.
func shapeOf(t reflect.Type) *shape {
	if s, ok := shapes.Load(t); ok {
		return s.(*shape)
	}
	s := shapeBuilder{}.of(t)
	actual, _ := shapes.LoadOrStore(t, s)
	return actual.(*shape)
}

// shapeBuilder derives shapes, once per type even when types refer to
// themselves.
type shapeBuilder map[reflect.Type]*shape

func (b shapeBuilder) of(t reflect.Type) *shape {
	for t.Kind() == reflect.Pointer {
		t = t.Elem() // null is accepted anywhere; a pointer accepts what it points to
	}
	if s, ok := b[t]; ok {
		return s
	}
	s := &shape{}
	b[t] = s
	switch pt := reflect.PointerTo(t); {
	case t == typeInt:
		s.kind = shapeInt
	case t == typeTime:
		s.kind = shapeTime
	case pt.Implements(typeUnmarshaler) || t.Kind() == reflect.Interface:
		s.kind = shapeAny // opaque: the type reads its own JSON
	case pt.Implements(typeTextUnmarshaler):
		s.kind = shapeText
	default:
		b.ofKind(s, t)
	}
	return s
}

func (b shapeBuilder) ofKind(s *shape, t reflect.Type) {
	switch t.Kind() {
	case reflect.String:
		s.kind = shapeString
	case reflect.Bool:
		s.kind = shapeBool
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		s.kind, s.bits = shapeSigned, t.Bits()
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		s.kind, s.bits = shapeUnsigned, t.Bits()
	case reflect.Float32, reflect.Float64:
		s.kind, s.bits = shapeFloat, t.Bits()
	case reflect.Slice, reflect.Array:
		s.kind, s.elem = shapeArray, b.of(t.Elem())
		if t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.Uint8 && s.elem.kind == shapeUnsigned {
			s.kind = shapeBytes
		}
	case reflect.Map:
		s.kind, s.elem, s.key = shapeMap, b.of(t.Elem()), mapKey(t.Key())
	case reflect.Struct:
		s.kind = shapeObject
		b.fieldsOf(s, t)
	default:
		s.kind = shapeAny // a type encoding/json refuses: decoding says so
	}
}

// mapKey is the shape of a map's keys: encoding/json reads a string key as
// it is, an integer key as a number, and any other through UnmarshalText.
func mapKey(t reflect.Type) shapeKind {
	switch {
	case reflect.PointerTo(t).Implements(typeTextUnmarshaler) && t.Kind() != reflect.String:
		return shapeAny
	case t.Kind() == reflect.String:
		return shapeString
	case t.Kind() >= reflect.Int && t.Kind() <= reflect.Int64:
		return shapeSigned
	case t.Kind() >= reflect.Uint && t.Kind() <= reflect.Uintptr:
		return shapeUnsigned
	}
	return shapeAny
}

func (b shapeBuilder) fieldsOf(s *shape, t reflect.Type) {
	found := jsonFields(t)
	s.fields = make(map[string]*field, len(found))
	for i, f := range found {
		sf := &field{name: f.name, index: i, shape: b.of(f.typ)}
		if f.quoted {
			sf.shape = anyShape // ",string": the value is quoted; decoding reads it
		}
		s.fields[f.name] = sf
		s.list = append(s.list, sf)
	}
}

// jsonField is a field as encoding/json sees it.
type jsonField struct {
	name   string
	typ    reflect.Type
	tagged bool
	quoted bool // the ",string" option on a scalar
	index  []int
}

// jsonFields lists the fields encoding/json decodes into t, following its
// rules: exported fields, json tags, the fields of embedded structs promoted,
// and of fields sharing a name the shallowest (a tagged one first) winning —
// or none, where two tie.
func jsonFields(t reflect.Type) []jsonField {
	var fields []jsonField
	next := []jsonField{{typ: t}}
	var count, nextCount map[reflect.Type]int
	visited := map[reflect.Type]bool{}
	for len(next) > 0 {
		current := next
		next, count, nextCount = nil, nextCount, map[reflect.Type]int{}
		for _, f := range current {
			if visited[f.typ] {
				continue
			}
			visited[f.typ] = true
			for i := range f.typ.NumField() {
				sf := f.typ.Field(i)
				if !visible(sf) {
					continue
				}
				tag := sf.Tag.Get("json")
				if tag == "-" {
					continue
				}
				name, opts, _ := strings.Cut(tag, ",")
				if !validTag(name) {
					name = ""
				}
				index := append(slices.Clip(f.index), i)
				ft := sf.Type
				if ft.Name() == "" && ft.Kind() == reflect.Pointer {
					ft = ft.Elem()
				}
				if name != "" || !sf.Anonymous || ft.Kind() != reflect.Struct {
					jf := jsonField{name: name, typ: sf.Type, tagged: name != "", index: index,
						quoted: slices.Contains(strings.Split(opts, ","), "string") && scalar(ft)}
					if jf.name == "" {
						jf.name = sf.Name
					}
					fields = append(fields, jf)
					if count[f.typ] > 1 {
						// The struct is embedded twice at this depth: let the
						// tie remove the field.
						fields = append(fields, jf)
					}
					continue
				}
				nextCount[ft]++
				if nextCount[ft] == 1 {
					next = append(next, jsonField{name: ft.Name(), index: index, typ: ft})
				}
			}
		}
	}
	return dominant(fields)
}

// visible reports whether encoding/json looks at the struct field.
func visible(sf reflect.StructField) bool {
	if sf.Anonymous {
		t := sf.Type
		if t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		return sf.IsExported() || t.Kind() == reflect.Struct
	}
	return sf.IsExported()
}

// dominant keeps, of the fields sharing a name, the one Go's rules for
// embedded fields pick, tagged fields first; it drops a name whose best two
// tie. The result is in the structs' field order.
func dominant(fields []jsonField) []jsonField {
	slices.SortStableFunc(fields, func(a, b jsonField) int {
		if c := strings.Compare(a.name, b.name); c != 0 {
			return c
		}
		if c := cmp.Compare(len(a.index), len(b.index)); c != 0 {
			return c
		}
		if a.tagged != b.tagged {
			if a.tagged {
				return -1
			}
			return 1
		}
		return slices.Compare(a.index, b.index)
	})
	out := fields[:0]
	for i := 0; i < len(fields); {
		n := 1
		for i+n < len(fields) && fields[i+n].name == fields[i].name {
			n++
		}
		if n == 1 || len(fields[i].index) != len(fields[i+1].index) || fields[i].tagged != fields[i+1].tagged {
			out = append(out, fields[i])
		}
		i += n
	}
	slices.SortFunc(out, func(a, b jsonField) int { return slices.Compare(a.index, b.index) })
	return out
}

// validTag reports whether encoding/json takes name from a json tag.
func validTag(name string) bool {
	if name == "" {
		return false
	}
	for _, c := range name {
		switch {
		case strings.ContainsRune("!#$%&()*+-./:;<=>?@[]^_{|}~ ", c):
		case !unicode.IsLetter(c) && !unicode.IsDigit(c):
			return false
		}
	}
	return true
}

// scalar reports whether the ",string" option applies to a field of type t.
func scalar(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64, reflect.String:
		return true
	}
	return false
}
