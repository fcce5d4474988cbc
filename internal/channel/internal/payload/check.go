package payload

import (
	"strconv"
	"strings"
	"unicode"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/jsonstr"
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
		key := strings.ToValidUTF8(string(raw), "\uFFFD") // an invalid key, named as it reads
		if ok {
			key = string(jsonstr.Unescape(raw))
		}
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

// str reads the string at pos, which encoding/json found well-formed:
// its content between the quotes, and whether it is valid Unicode.
func (c *walker) str() (raw []byte, ok bool) {
	end, raw, _, ok, _ := jsonstr.Read(c.data, c.pos)
	c.pos = end
	return raw, ok
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
