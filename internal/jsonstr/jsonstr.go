// Package jsonstr reads JSON strings where they lie in a document (RFC
// 8259): their extent, whether they are valid Unicode, and their text. It
// serves the checkers that walk a body before encoding/json reads it, so
// that what encoding/json would quietly change — invalid UTF-8 and escaped
// surrogates without their pair, both read as U+FFFD — is refused instead.
package jsonstr

import (
	"unicode/utf16"
	"unicode/utf8"
)

// plain marks the bytes a string holds as they are: printable ASCII other
// than the quote and the backslash.
var plain = func() (t [256]bool) {
	for b := 0x20; b < 0x80; b++ {
		t[b] = b != '"' && b != '\\'
	}
	return t
}()

// Read reads the string whose opening quote is data[pos]: end is the
// position after its closing quote, raw its content between the quotes,
// escaped whether it has escapes, and valid whether it is valid Unicode —
// valid UTF-8, and no escaped surrogate without its pair. ok is false when
// it is not a well-formed JSON string (a bad escape, a control character,
// no closing quote).
func Read(data []byte, pos int) (end int, raw []byte, escaped, valid, ok bool) {
	i, valid := pos+1, true
	for {
		for i < len(data) && plain[data[i]] {
			i++
		}
		if i >= len(data) {
			return 0, nil, false, false, false
		}
		switch b := data[i]; {
		case b == '"':
			return i + 1, data[pos+1 : i], escaped, valid, true
		case b == '\\':
			escaped = true
			n, v := Escape(data[i:])
			if n == 0 {
				return 0, nil, false, false, false
			}
			valid = valid && v
			i += n
		case b < 0x20:
			return 0, nil, false, false, false
		default:
			r, size := utf8.DecodeRune(data[i:])
			if r == utf8.RuneError && size == 1 {
				valid = false
			}
			i += size
		}
	}
}

// Escape measures the escape at the start of b: its length (0 when it is
// not one), and whether it is valid Unicode: a \u escape of a surrogate
// must be the first of a pair, followed at once by the second.
func Escape(b []byte) (n int, valid bool) {
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

// Unescape returns the text of a string's raw content, which Read found
// well-formed and valid.
func Unescape(raw []byte) []byte {
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
