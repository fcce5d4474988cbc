package decode

import (
	"unicode/utf16"
	"unicode/utf8"
)

// The lexical side of the checker: strings, escapes and numbers as JSON
// writes them (RFC 8259), read where they lie in the body.

// plain marks the bytes a string holds as they are: printable ASCII
// other than the quote and the backslash.
var plain = func() (t [256]bool) {
	for b := 0x20; b < 0x80; b++ {
		t[b] = b != '"' && b != '\\'
	}
	return t
}()

// str reads the string at pos: its raw content between the quotes,
// whether it has escapes, and whether it is valid Unicode — valid UTF-8,
// and no escaped surrogate without its pair, which encoding/json would
// quietly turn into U+FFFD.
func (c *checker) str() (raw []byte, escaped, ok bool) {
	data, i := c.data, c.pos+1
	ok = true
	for {
		for i < len(data) && plain[data[i]] {
			i++
		}
		if i >= len(data) {
			c.fail()
		}
		switch b := data[i]; {
		case b == '"':
			raw, c.pos = data[c.pos+1:i], i+1
			return raw, escaped, ok
		case b == '\\':
			escaped = true
			n, valid := escape(data[i:])
			if n == 0 {
				c.fail()
			}
			ok = ok && valid
			i += n
		case b < 0x20:
			c.fail()
		default:
			r, size := utf8.DecodeRune(data[i:])
			if r == utf8.RuneError && size == 1 {
				ok = false
			}
			i += size
		}
	}
}

// escape measures the escape at the start of b: its length (0 when it is
// not one), and whether it is valid Unicode: a \u escape of a surrogate
// must be the first of a pair, followed at once by the second.
func escape(b []byte) (n int, valid bool) {
	if len(b) < 2 {
		return 0, false
	}
	switch b[1] {
	case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
		return 2, true
	case 'u':
	default:
		return 0, false
	}
	r := hex4(b[2:])
	switch {
	case r < 0:
		return 0, false
	case !utf16.IsSurrogate(rune(r)):
		return 6, true
	case r >= 0xDC00:
		return 6, false // the second of a pair, alone
	}
	if len(b) >= 12 && b[6] == '\\' && b[7] == 'u' {
		if r2 := hex4(b[8:]); r2 >= 0xDC00 && r2 <= 0xDFFF {
			return 12, true
		}
	}
	return 6, false
}

// hex4 reads four hex digits, or returns -1.
func hex4(b []byte) int {
	if len(b) < 4 {
		return -1
	}
	v := 0
	for _, c := range b[:4] {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c -= 'a' - 10
		case 'A' <= c && c <= 'F':
			c -= 'A' - 10
		default:
			return -1
		}
		v = v<<4 | int(c)
	}
	return v
}

// unescape returns the text of a string's raw content, which str found
// well-formed and valid.
func unescape(raw []byte) []byte {
	out := make([]byte, 0, len(raw))
	for i := 0; i < len(raw); {
		if raw[i] != '\\' {
			out = append(out, raw[i])
			i++
			continue
		}
		switch raw[i+1] {
		case 'u':
			r := rune(hex4(raw[i+2:]))
			i += 6
			if utf16.IsSurrogate(r) {
				r = utf16.DecodeRune(r, rune(hex4(raw[i+2:])))
				i += 6
			}
			out = utf8.AppendRune(out, r)
			continue
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		default:
			out = append(out, raw[i+1])
		}
		i += 2
	}
	return out
}

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
