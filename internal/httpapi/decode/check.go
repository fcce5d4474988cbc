package decode

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/omshq/oms"
)

// maxDepth is how deeply arrays and objects may nest, as in encoding/json.
const maxDepth = 10000

// checker walks a JSON body against the shape of the value it will be
// decoded into and collects every problem, each under its field's full
// JSON path: an unknown field, a value of the wrong type, an integer out of
// range, a key given twice in one object, a string that is not valid
// Unicode. Keys match fields exactly, case included: encoding/json would
// also take "SKU" for "sku", and a body that names one field twice under
// two spellings is the duplicate key this check exists to refuse.
//
// An Int that is not an integer is a problem here only beside another: the
// handler checks its Ints (Int.Value) together with the rest of the
// request, and names them all at once when the body has nothing else wrong.
type checker struct {
	data     []byte
	pos      int
	depth    int
	path     []step
	problems oms.Problems
	ints     int // how many of problems are about Ints
}

// step is one element of a path: a field or key, or an array index.
type step struct {
	name  string
	index int // -1 for a name
}

// badSyntax is what fail panics with: the body is not JSON, and walking on
// would find nothing useful. checkJSON recovers it.
type badSyntax struct{}

// Check walks body against the shape of values of type t, as JSON does
// before decoding: it returns the problems found, or an EINVALID error
// naming "body" when the body is not one well-formed JSON value.
func Check(body []byte, t reflect.Type) (oms.Problems, error) {
	return checkJSON(body, shapeOf(t))
}

// checkJSON walks body against s. It returns the problems found, or an
// error naming "body" when the body is not one well-formed JSON value.
func checkJSON(body []byte, s *shape) (problems oms.Problems, err error) {
	c := checker{data: body, path: make([]step, 0, 8)}
	defer func() {
		if r := recover(); r != nil {
			if _, ok := r.(badSyntax); !ok {
				panic(r)
			}
			problems, err = nil, malformed(body)
		}
	}()
	c.space()
	c.value(s)
	c.space()
	if c.pos < len(c.data) {
		return nil, oms.Invalid("body", "unexpected data after the JSON object")
	}
	if len(c.problems) == c.ints {
		return nil, nil
	}
	return c.problems, nil
}

// hasControl reports whether the JSON string raw (between its quotes, valid
// UTF-8) holds a control character other than a tab or a line break: C0,
// DEL or C1, written as is or escaped. No field of any request takes one;
// fields of one line refuse tabs and line breaks too, in their checks.
func hasControl(raw []byte, escaped bool) bool {
	if escaped {
		var s string
		if json.Unmarshal(append(append([]byte{'"'}, raw...), '"'), &s) != nil {
			return false // the lexer took it: cannot happen
		}
		raw = []byte(s)
	}
	for i, b := range raw {
		switch {
		case b < 0x20 && b != '\t' && b != '\n' && b != '\r', b == 0x7f:
			return true
		case b == 0xc2 && i+1 < len(raw) && raw[i+1] >= 0x80 && raw[i+1] <= 0x9f: // U+0080–U+009F
			return true
		}
	}
	return false
}

// malformed describes the syntax error in body as encoding/json does.
func malformed(body []byte) error {
	var v any
	if err := json.NewDecoder(bytes.NewReader(body)).Decode(&v); err != nil {
		return jsonError(err)
	}
	return oms.Invalid("body", "malformed JSON")
}

func (c *checker) fail() { panic(badSyntax{}) }

// add records a problem at the current path, once.
func (c *checker) add(format string, args ...any) {
	field, msg := c.where(), fmt.Sprintf(format, args...)
	for _, f := range c.problems {
		if f.Field == field && f.Message == msg {
			return
		}
	}
	c.problems = append(c.problems, oms.FieldError{Field: field, Message: msg})
}

// addInt records why the Int at the current path is not an integer.
func (c *checker) addInt(msg string) {
	c.problems = append(c.problems, oms.FieldError{Field: c.where(), Message: msg})
	c.ints++
}

// where renders the current path: lines[0].quantity, or body at the top.
func (c *checker) where() string {
	if len(c.path) == 0 {
		return "body"
	}
	var b strings.Builder
	for i, s := range c.path {
		switch {
		case s.index >= 0:
			b.WriteByte('[')
			b.WriteString(strconv.Itoa(s.index))
			b.WriteByte(']')
		case !plainName(s.name):
			b.WriteByte('[')
			b.WriteString(strconv.Quote(s.name))
			b.WriteByte(']')
		default:
			if i > 0 {
				b.WriteByte('.')
			}
			b.WriteString(s.name)
		}
	}
	return b.String()
}

// plainName reports whether name can stand in a path without quotes.
func plainName(name string) bool {
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	return name != ""
}

func (c *checker) push(s step) { c.path = append(c.path, s) }
func (c *checker) pop()        { c.path = c.path[:len(c.path)-1] }

func (c *checker) space() {
	for c.pos < len(c.data) {
		switch c.data[c.pos] {
		case ' ', '\t', '\n', '\r':
			c.pos++
		default:
			return
		}
	}
}

// next returns the byte at pos and moves past it.
func (c *checker) next() byte {
	if c.pos >= len(c.data) {
		c.fail()
	}
	c.pos++
	return c.data[c.pos-1]
}

func (c *checker) value(s *shape) {
	if c.pos >= len(c.data) {
		c.fail()
	}
	switch b := c.data[c.pos]; {
	case b == '{':
		c.object(s)
	case b == '[':
		c.array(s)
	case b == '"':
		c.stringValue(s)
	case b == 't':
		c.literal("true")
		c.boolean(s, c.data[c.pos-4:c.pos])
	case b == 'f':
		c.literal("false")
		c.boolean(s, c.data[c.pos-5:c.pos])
	case b == 'n':
		c.literal("null") // null leaves any Go value as it was
	case b == '-' || '0' <= b && b <= '9':
		c.numberValue(s)
	default:
		c.fail()
	}
}

func (c *checker) literal(lit string) {
	if !bytes.HasPrefix(c.data[c.pos:], []byte(lit)) {
		c.fail()
	}
	c.pos += len(lit)
}

// boolean checks that true or false (raw) suits s.
func (c *checker) boolean(s *shape, raw []byte) {
	switch s.kind {
	case shapeAny, shapeBool:
	case shapeInt:
		c.addInt(intProblem(raw))
	default:
		c.mismatch(s, "true or false")
	}
}

// mismatch records that the value is not of the kind s wants.
func (c *checker) mismatch(s *shape, got string) {
	c.add("must be %s, not %s", s.want(), got)
}

// want says what JSON a shape takes.
func (s *shape) want() string {
	switch s.kind {
	case shapeString, shapeText, shapeBytes:
		return "a string"
	case shapeTime:
		return "an RFC 3339 time such as 2026-11-26T15:04:05Z"
	case shapeBool:
		return "true or false"
	case shapeSigned, shapeUnsigned, shapeInt:
		return "an integer"
	case shapeFloat:
		return "a number"
	case shapeObject, shapeMap:
		return "an object"
	case shapeArray:
		return "an array"
	}
	return "a JSON value"
}

func (c *checker) enter() {
	if c.depth++; c.depth > maxDepth {
		c.fail()
	}
	c.pos++ // the opening bracket
}

func (c *checker) object(s *shape) {
	c.enter()
	switch s.kind {
	case shapeObject, shapeMap, shapeAny:
	case shapeInt:
		c.addInt(intProblem(c.data[c.pos-1 : c.pos])) // the bracket
		s = anyShape
	default:
		c.mismatch(s, "an object")
		s = anyShape
	}
	var seen fieldSet
	var keys keySet
	c.space()
	if c.pos < len(c.data) && c.data[c.pos] == '}' {
		c.pos++
		c.depth--
		return
	}
	for {
		c.space()
		if c.pos >= len(c.data) || c.data[c.pos] != '"' {
			c.fail()
		}
		key, ok := c.key()
		c.space()
		if c.next() != ':' {
			c.fail()
		}
		c.space()
		switch {
		case !ok:
			c.add("has a key that is not valid UTF-8")
			c.value(anyShape)
		case s.kind == shapeObject:
			c.member(s, key, &seen)
		default:
			c.entry(s, key, &keys)
		}
		c.space()
		switch c.next() {
		case ',':
		case '}':
			c.depth--
			return
		default:
			c.fail()
		}
	}
}

// member checks one key and value of an object read into a struct.
func (c *checker) member(s *shape, key []byte, seen *fieldSet) {
	f := s.fields[string(key)]
	if f == nil {
		c.push(step{name: string(key), index: -1})
		c.unknown(s, string(key))
		c.value(anyShape)
		c.pop()
		return
	}
	c.push(step{name: f.name, index: -1})
	if seen.add(f.index) {
		c.add("is given more than once")
	}
	c.value(f.shape)
	c.pop()
}

// unknown records that the struct has no field named key.
func (c *checker) unknown(s *shape, key string) {
	for _, f := range s.list {
		if strings.EqualFold(f.name, key) {
			c.add("is not a known field; did you mean %q?", f.name)
			return
		}
	}
	c.add("is not a known field")
}

// entry checks one key and value of an object read into a map or kept
// whole.
func (c *checker) entry(s *shape, key []byte, keys *keySet) {
	c.push(step{name: string(key), index: -1})
	if keys.add(key) {
		c.add("is given more than once")
	}
	elem := anyShape
	if s.kind == shapeMap {
		elem = s.elem
		if !mapKeyOK(s.key, key) {
			c.add("must be an integer, as the object's keys are")
		}
	}
	c.value(elem)
	c.pop()
}

// mapKeyOK reports whether key reads as a key of the kind: encoding/json
// reads an integer key with strconv.
func mapKeyOK(kind shapeKind, key []byte) bool {
	var err error
	switch kind {
	case shapeSigned:
		_, err = strconv.ParseInt(string(key), 10, 64)
	case shapeUnsigned:
		_, err = strconv.ParseUint(string(key), 10, 64)
	}
	return err == nil
}

func (c *checker) array(s *shape) {
	c.enter()
	elem := anyShape
	switch s.kind {
	case shapeArray, shapeBytes:
		elem = s.elem
	case shapeAny:
	case shapeInt:
		c.addInt(intProblem(c.data[c.pos-1 : c.pos])) // the bracket
	default:
		c.mismatch(s, "an array")
	}
	c.space()
	if c.pos < len(c.data) && c.data[c.pos] == ']' {
		c.pos++
		c.depth--
		return
	}
	for i := 0; ; i++ {
		c.space()
		c.push(step{index: i})
		c.value(elem)
		c.pop()
		c.space()
		switch c.next() {
		case ',':
		case ']':
			c.depth--
			return
		default:
			c.fail()
		}
	}
}

func (c *checker) stringValue(s *shape) {
	start := c.pos
	raw, escaped, ok := c.str()
	if !ok {
		c.add("is not valid UTF-8 (or holds an unpaired surrogate)")
	}
	switch s.kind {
	case shapeString, shapeText:
		if ok && hasControl(raw, escaped) {
			c.add("must not hold control characters (text may hold tabs and line breaks where a field allows them)")
		}
	case shapeAny, shapeBytes:
	case shapeTime:
		var t time.Time
		if ok && t.UnmarshalJSON(c.data[start:c.pos]) != nil {
			c.add("must be %s", s.want())
		}
	case shapeInt:
		c.addInt(intProblem(c.data[start:c.pos]))
	default:
		c.mismatch(s, "a string")
	}
}

// key reads an object's key: its text, unescaped, and whether it is valid
// Unicode.
func (c *checker) key() ([]byte, bool) {
	raw, escaped, ok := c.str()
	if escaped && ok {
		raw = unescape(raw)
	}
	return raw, ok
}

func (c *checker) numberValue(s *shape) {
	raw, whole := c.number()
	switch s.kind {
	case shapeAny:
	case shapeInt:
		if msg := intProblem(raw); msg != "" {
			c.addInt(msg)
		}
	case shapeSigned, shapeUnsigned:
		c.integer(s, raw, whole)
	case shapeFloat:
		if _, err := strconv.ParseFloat(string(raw), s.bits); err != nil {
			c.add("is out of range")
		}
	default:
		c.mismatch(s, "a number")
	}
}

// integer checks a number read into a Go integer of s.bits.
func (c *checker) integer(s *shape, raw []byte, whole bool) {
	if !whole {
		c.add("must be an integer")
		return
	}
	if s.kind == shapeSigned {
		hi := int64(^uint64(0) >> (65 - s.bits))
		if n, ok := parseInt(raw); !ok || n < -hi-1 || n > hi {
			c.add("must be an integer from %d to %d", -hi-1, hi)
		}
		return
	}
	hi := ^uint64(0) >> (64 - s.bits)
	if n, ok := parseUint(raw); !ok || n > hi {
		c.add("must be an integer from 0 to %d", hi)
	}
}

// fieldSet is the fields of a struct an object has given.
type fieldSet struct {
	bits uint64
	more map[int]bool // past the 64th field
}

// add records field i and reports whether it was given before.
func (s *fieldSet) add(i int) bool {
	if i < 64 {
		seen := s.bits&(1<<i) != 0
		s.bits |= 1 << i
		return seen
	}
	if s.more == nil {
		s.more = map[int]bool{}
	}
	seen := s.more[i]
	s.more[i] = true
	return seen
}

// keySet is the keys an object has given.
type keySet struct {
	few  [][]byte
	many map[string]bool
}

// add records key and reports whether it was given before.
func (s *keySet) add(key []byte) bool {
	if s.many == nil && len(s.few) < 16 {
		for _, k := range s.few {
			if bytes.Equal(k, key) {
				return true
			}
		}
		s.few = append(s.few, key)
		return false
	}
	if s.many == nil {
		s.many = make(map[string]bool, 32)
		for _, k := range s.few {
			s.many[string(k)] = true
		}
	}
	seen := s.many[string(key)]
	s.many[string(key)] = true
	return seen
}
