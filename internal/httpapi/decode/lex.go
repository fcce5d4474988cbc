package decode

import "github.com/omshq/oms/internal/jsonstr"

// The lexical side of the checker: strings, escapes and numbers as JSON
// writes them (RFC 8259), read where they lie in the body.

// str reads the string at pos: its raw content between the quotes,
// whether it has escapes, and whether it is valid Unicode (see
// jsonstr.Read).
func (c *checker) str() (raw []byte, escaped, ok bool) {
	end, raw, escaped, ok, wellFormed := jsonstr.Read(c.data, c.pos)
	if !wellFormed {
		c.fail()
	}
	c.pos = end
	return raw, escaped, ok
}

// unescape returns the text of a string's raw content, which str found
// well-formed and valid.
func unescape(raw []byte) []byte { return jsonstr.Unescape(raw) }

// number reads the number at pos, and says whether it is written as a
// whole number (no fraction, no exponent).
func (c *checker) number() (raw []byte, whole bool) {
	data, i := c.data, c.pos
	if data[i] == '-' {
		i++
	}
	switch {
	case i < len(data) && data[i] == '0':
		i++
	case i < len(data) && '1' <= data[i] && data[i] <= '9':
		i = digits(data, i)
	default:
		c.fail()
	}
	whole = true
	if i < len(data) && data[i] == '.' {
		whole = false
		if i = digits(data, i+1); data[i-1] == '.' {
			c.fail()
		}
	}
	if i < len(data) && (data[i] == 'e' || data[i] == 'E') {
		whole = false
		i++
		if i < len(data) && (data[i] == '+' || data[i] == '-') {
			i++
		}
		j := digits(data, i)
		if j == i {
			c.fail()
		}
		i = j
	}
	raw, c.pos = data[c.pos:i], i
	return raw, whole
}

// digits returns the position after the digits from i.
func digits(data []byte, i int) int {
	for i < len(data) && '0' <= data[i] && data[i] <= '9' {
		i++
	}
	return i
}

// parseUint reads a whole number of decimal digits.
func parseUint(raw []byte) (uint64, bool) {
	if len(raw) == 0 || raw[0] == '-' {
		return 0, false
	}
	var n uint64
	for _, d := range raw {
		if d < '0' || d > '9' || n > (1<<64-1)/10 {
			return 0, false
		}
		n *= 10
		if n+uint64(d-'0') < n {
			return 0, false
		}
		n += uint64(d - '0')
	}
	return n, true
}

// parseInt reads a whole JSON number into an int64.
func parseInt(raw []byte) (int64, bool) {
	neg := len(raw) > 0 && raw[0] == '-'
	if neg {
		raw = raw[1:]
	}
	n, ok := parseUint(raw)
	switch {
	case !ok:
		return 0, false
	case neg && n <= 1<<63:
		return int64(-n), true
	case !neg && n < 1<<63:
		return int64(n), true
	}
	return 0, false
}
