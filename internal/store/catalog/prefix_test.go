package catalog

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestPrefixEnd(t *testing.T) {
	cases := []struct {
		in, want string
		ok       bool
	}{
		{"mug", "muh", true},
		{"mug-", "mug.", true},
		{"a\u007f", "a\u0080", true}, // one byte to two
		{"tee-é", "tee-ê", true},     // a two-byte rune
		{"x\ud7ff", "x\ue000", true}, // past the surrogates
		{"a\U0010ffff", "b", true},   // the largest rune is dropped
		{"\U0010ffff\U0010ffff", "", false},
	}
	for _, c := range cases {
		got, ok := prefixEnd(c.in)
		if got != c.want || ok != c.ok {
			t.Errorf("prefixEnd(%q) = %q, %v; want %q, %v", c.in, got, ok, c.want, c.ok)
		}
	}
}

// FuzzPrefixEnd: a string starts with the prefix exactly when it lies in
// [prefix, end) in byte order, and the end is valid UTF-8.
func FuzzPrefixEnd(f *testing.F) {
	for _, s := range []string{"mug", "é", "a\U0010ffff", "\ud7ff"} {
		f.Add(s, "x")
		f.Add(s, s+"\U0010ffff")
	}
	f.Fuzz(func(t *testing.T, prefix, other string) {
		if prefix == "" || !utf8.ValidString(prefix) || !utf8.ValidString(other) {
			return
		}
		end, ok := prefixEnd(prefix)
		if !ok {
			if strings.Trim(prefix, "\U0010ffff") != "" {
				t.Fatalf("prefixEnd(%q): none", prefix)
			}
			end = "\xff" // above every valid string
		} else if !utf8.ValidString(end) {
			t.Fatalf("prefixEnd(%q) = %q: not UTF-8", prefix, end)
		}
		_, size := utf8.DecodeLastRuneInString(prefix)
		for _, s := range []string{other, prefix + other, prefix[:len(prefix)-size] + other} {
			if in := s >= prefix && s < end; in != strings.HasPrefix(s, prefix) {
				t.Fatalf("prefixEnd(%q) = %q: %q in range %v", prefix, end, s, in)
			}
		}
	})
}
