package oms_test

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/omshq/oms"
)

// fieldsOf returns the JSON paths an *oms.Error names, in order.
func fieldsOf(err error) []string {
	var e *oms.Error
	if !errors.As(err, &e) {
		return nil
	}
	var out []string
	for _, f := range e.Fields {
		out = append(out, f.Field)
	}
	return out
}

// checkInvalid fails the test unless err is nil when no fields are wanted, or
// an EINVALID error naming exactly the wanted fields, in order, when some are.
func checkInvalid(t *testing.T, err error, fields ...string) {
	t.Helper()
	if len(fields) == 0 {
		if err != nil {
			t.Fatalf("got error %v, want none", err)
		}
		return
	}
	if err == nil {
		t.Fatalf("got no error, want EINVALID naming %v", fields)
	}
	if code := oms.ErrorCode(err); code != oms.EINVALID {
		t.Fatalf("code = %q, want %q (%v)", code, oms.EINVALID, err)
	}
	if got := fieldsOf(err); !slices.Equal(got, fields) {
		t.Fatalf("fields = %q, want %q (%v)", got, fields, err)
	}
}

func TestErrorCode(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"nil", nil, ""},
		{"oms error", oms.Errorf(oms.ECONFLICT, "taken"), oms.ECONFLICT},
		{"wrapped oms error", fmt.Errorf("saving: %w", oms.Invalid("sku", "bad")), oms.EINVALID},
		{"plain error is internal", errors.New("disk on fire"), oms.EINTERNAL},
		{"problems", func() error { var p oms.Problems; p.Add("a", "bad"); return p.Err() }(), oms.EINVALID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := oms.ErrorCode(tt.err); got != tt.want {
				t.Errorf("ErrorCode(%v) = %q, want %q", tt.err, got, tt.want)
			}
		})
	}
}

func TestProblemsErr(t *testing.T) {
	var p oms.Problems
	if err := p.Err(); err != nil {
		t.Fatalf("empty Problems.Err() = %v, want nil", err)
	}
	p.Add("lines[0].sku", "is %s", "required")
	p.Add("currency", "bad")
	checkInvalid(t, p.Err(), "lines[0].sku", "currency")
}

func TestErrorMessage(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"oms error keeps its message", oms.Errorf(oms.ENOTFOUND, "order %s not found", "1001"), "order 1001 not found"},
		{"internal error is hidden", errors.New("pq: password authentication failed"), "an internal error occurred"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := oms.ErrorMessage(tt.err); got != tt.want {
				t.Errorf("ErrorMessage() = %q, want %q", got, tt.want)
			}
		})
	}
}

// TestCheckTextSaysWhatIsWrong: text that is too long is not said to be
// missing, nor text with a control character.
func TestCheckTextSaysWhatIsWrong(t *testing.T) {
	for _, c := range []struct{ in, says string }{
		{"", "is required"},
		{"  \n", "is required"},
		{strings.Repeat("x", 11), "is 11 bytes: give at most 10"},
		{"a\x00b", "printable text"},
		{"fine\nlines", ""},
	} {
		var p oms.Problems
		oms.CheckText(&p, "body", c.in, 10)
		switch {
		case c.says == "" && len(p) > 0:
			t.Errorf("%q: %v", c.in, p)
		case c.says != "" && (len(p) != 1 || !strings.Contains(p[0].Message, c.says)):
			t.Errorf("%q: %v, want %q", c.in, p, c.says)
		}
	}
}
