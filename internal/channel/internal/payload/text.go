package payload

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Clip returns s cut to at most n bytes without splitting a character.
func Clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// Title returns a listing title as oms keeps it: control characters (a
// newline in a product name) become spaces, and it is cut to 500 bytes. It
// is not trimmed; Text is.
func Title(s string) string {
	return Clip(spaced(s), 500)
}

// Text makes s fit a descriptive draft field: control characters become
// spaces, and it is trimmed and cut to at most n bytes.
func Text(s string, n int) string {
	return Clip(strings.TrimSpace(spaced(s)), n)
}

// spaced returns s with each control character replaced by a space.
func spaced(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s)
}

// First returns the first non-empty string, or "".
func First(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

// FullName joins a first and last name, trimming each.
func FullName(firstName, lastName string) string {
	return strings.TrimSpace(strings.TrimSpace(firstName) + " " + strings.TrimSpace(lastName))
}

// OrNone returns s, or "(none)" for a note when s is empty.
func OrNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

// IsCountry reports whether s is two upper-case ASCII letters, the shape of
// an ISO 3166-1 alpha-2 country code.
func IsCountry(s string) bool {
	return len(s) == 2 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' && s[1] <= 'Z'
}
