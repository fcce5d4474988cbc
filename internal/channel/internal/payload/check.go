package payload

import (
	"encoding/json"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/omshq/oms"
)

// check walks data, which encoding/json has found well-formed, and returns
// what encoding/json would quietly get wrong: a key given twice in one
// object (it keeps the last), and a string that is not valid UTF-8 or holds
// an escaped surrogate without its pair (it turns them into U+FFFD). Keys
// that differ only in case count as the same key, as encoding/json matches
// them to the same field. Each problem names its JSON path under prefix.
func check(data []byte, prefix string) oms.Problems {
	c := walker{data: data, prefix: prefix}
	c.space()
	c.value()
	return c.problems
}

// walker is check's position in data and the path to it.
type walker struct {
	data     []byte
	pos      int
	prefix   string
	path     []string // "quantity", or "[0]" for an element
	problems oms.Problems
}

func (c *walker) add(msg string) {
	c.problems.Add(c.where(), "%s", msg)
}

// where renders the current path under the prefix: lineItems[0].quantity;
// the part itself ("order") at the top, or "body" when there is no prefix.
func (c *walker) where() string {
	if len(c.path) == 0 {
		return First(strings.TrimSuffix(c.prefix, "."), "body")
	}
	s := c.prefix
	for _, p := range c.path {
		if p[0] != '[' && s != "" && !strings.HasSuffix(s, ".") {
			s += "."
		}
		s += p
	}
	return s
}

func (c *walker) space() {
	for c.pos < len(c.data) && (c.data[c.pos] == ' ' || c.data[c.pos] == '\t' || c.data[c.pos] == '\n' || c.data[c.pos] == '\r') {
		c.pos++
	}
}

func (c *walker) value() {
	switch c.data[c.pos] {
	case '{':
		c.object()
	case '[':
		c.array()
	case '"':
		if _, ok := c.str(); !ok {
			c.add("is not valid UTF-8 (or holds an unpaired surrogate)")
		}
	default: // a number, true, false or null
		for c.pos < len(c.data) && !isDelim(c.data[c.pos]) {
			c.pos++
		}
	}
}

func isDelim(b byte) bool {
	return b == ',' || b == '}' || b == ']' || b == ' ' || b == '\t' || b == '\n' || b == '\r'
}

func (c *walker) object() {
	c.pos++ // {
	seen := map[string]bool{}
	for {
		c.space()
		if c.data[c.pos] == '}' {
			c.pos++
			return
		}
		raw, ok := c.str()
		key := unquote(raw)
		c.path = append(c.path, name(key))
		switch {
		case !ok:
			c.add("has a key that is not valid UTF-8 (or holds an unpaired surrogate)")
		case seen[fold(key)]:
			c.add("is given more than once")
		}
		seen[fold(key)] = true
		c.space()
		c.pos++ // :
		c.space()
		c.value()
		c.path = c.path[:len(c.path)-1]
		c.space()
		if c.data[c.pos] == ',' {
			c.pos++
		}
	}
}

func (c *walker) array() {
	c.pos++ // [
	for i := 0; ; i++ {
		c.space()
		if c.data[c.pos] == ']' {
			c.pos++
			return
		}
		c.path = append(c.path, "["+strconv.Itoa(i)+"]")
		c.value()
		c.path = c.path[:len(c.path)-1]
		c.space()
		if c.data[c.pos] == ',' {
			c.pos++
		}
	}
}

// str reads the string at pos, quotes included, and reports whether it is
// valid Unicode.
func (c *walker) str() (raw []byte, ok bool) {
	start, ok := c.pos, true
	for c.pos++; c.data[c.pos] != '"'; {
		switch b := c.data[c.pos]; {
		case b == '\\':
			n, valid := escape(c.data[c.pos:])
			ok = ok && valid
			c.pos += n
		case b < utf8.RuneSelf:
			c.pos++
		default:
			r, size := utf8.DecodeRune(c.data[c.pos:])
			ok = ok && !(r == utf8.RuneError && size == 1)
			c.pos += size
		}
	}
	c.pos++
	return c.data[start:c.pos], ok
}

// escape measures the escape at the start of b, which encoding/json found
// well-formed, and reports whether it is valid Unicode: a \u escape of a
// surrogate must be the first of a pair, followed at once by the second.
func escape(b []byte) (n int, valid bool) {
	if b[1] != 'u' {
		return 2, true
	}
	r, _ := strconv.ParseUint(string(b[2:6]), 16, 32)
	switch {
	case !utf16.IsSurrogate(rune(r)):
		return 6, true
	case r >= 0xDC00:
		return 6, false // the second of a pair, alone
	}
	if len(b) >= 12 && b[6] == '\\' && b[7] == 'u' {
		if r2, err := strconv.ParseUint(string(b[8:12]), 16, 32); err == nil && r2 >= 0xDC00 && r2 <= 0xDFFF {
			return 12, true
		}
	}
	return 6, false
}

// unquote returns the text of a quoted JSON string.
func unquote(raw []byte) string {
	var s string
	if json.Unmarshal(raw, &s) != nil {
		return string(raw) // cannot happen: encoding/json read it
	}
	return s
}

// name is how a key stands in a path: as it is, or quoted when it is not a
// plain name.
func name(key string) string {
	for i := 0; i < len(key); i++ {
		c := key[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_' || c == '-') {
			return "[" + strconv.Quote(key) + "]"
		}
	}
	if key == "" {
		return `[""]`
	}
	return key
}

// fold returns key with each character replaced by the smallest of those
// that equal it ignoring case, so that keys encoding/json takes for the same
// field fold alike.
func fold(key string) string {
	b := make([]rune, 0, len(key))
	for _, r := range key {
		least := r
		for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
			least = min(least, f)
		}
		b = append(b, least)
	}
	return string(b)
}
