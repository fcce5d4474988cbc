package webhook

import (
	"errors"
	"math/rand/v2"
	"testing"
	"time"
)

func TestClassify(t *testing.T) {
	netErr := errors.New("dial tcp 203.0.113.1:443: i/o timeout")
	tests := []struct {
		status int
		err    error
		want   Outcome
	}{
		{200, nil, Success},
		{201, nil, Success},
		{204, nil, Success},
		{299, nil, Success},
		{410, nil, Gone},
		{0, netErr, Failed},
		{200, netErr, Failed}, // status ignored beside an error
		{100, nil, Failed},
		{301, nil, Failed},
		{302, nil, Failed},
		{307, nil, Failed},
		{400, nil, Failed},
		{401, nil, Failed},
		{404, nil, Failed},
		{409, nil, Failed},
		{429, nil, Failed},
		{500, nil, Failed},
		{502, nil, Failed},
		{503, nil, Failed},
		{504, nil, Failed},
	}
	for _, tt := range tests {
		if got := Classify(tt.status, tt.err); got != tt.want {
			t.Errorf("Classify(%d, %v) = %s, want %s", tt.status, tt.err, got, tt.want)
		}
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		value string
		want  time.Duration
		ok    bool
	}{
		{"120", 2 * time.Minute, true},
		{" 0 ", 0, true},
		{"Sun, 01 Mar 2026 12:10:00 GMT", 10 * time.Minute, true},
		{"Sunday, 01-Mar-26 12:00:30 GMT", 30 * time.Second, true}, // RFC 850
		{"Sun Mar  1 13:00:00 2026", time.Hour, true},              // asctime
		{"Sun, 01 Mar 2026 11:00:00 GMT", 0, true},                 // passed
		{"99999999999999999999999", maxParsedRetryAfter, true},
		{"9223372036", maxParsedRetryAfter, true},
		{"", 0, false},
		{"-5", 0, false},
		{"1.5", 0, false},
		{"soon", 0, false},
		{"2026-03-01T12:10:00Z", 0, false},
	}
	for _, tt := range tests {
		got, ok := ParseRetryAfter(tt.value, now)
		if got != tt.want || ok != tt.ok {
			t.Errorf("ParseRetryAfter(%q) = %v, %v; want %v, %v", tt.value, got, ok, tt.want, tt.ok)
		}
	}
}

func FuzzParseRetryAfter(f *testing.F) {
	for _, s := range []string{"120", "Sun, 01 Mar 2026 12:10:00 GMT", "99999999999999999999", "-1", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, ok := ParseRetryAfter(s, time.Unix(1772366400, 0))
		if d < 0 || d > maxParsedRetryAfter || (!ok && d != 0) {
			t.Fatalf("ParseRetryAfter(%q) = %v, %v", s, d, ok)
		}
	})
}

// noJitter and fullJitter are Rand sources at the ends of [0, 1).
func noJitter() float64   { return 0 }
func fullJitter() float64 { return 0.999999 }

func TestNextAttempt(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	s := DefaultSchedule()
	s.Rand = noJitter
	tests := []struct {
		name       string
		attempt    int
		retryAfter time.Duration
		rand       func() float64
		wait       time.Duration
		ok         bool
	}{
		{"after the first", 1, 0, noJitter, 5 * time.Second, true},
		{"after the second", 2, 0, noJitter, 5 * time.Minute, true},
		{"after the ninth", 9, 0, noJitter, 24 * time.Hour, true},
		{"after the last", 10, 0, noJitter, 0, false},
		{"past the last", 11, 0, noJitter, 0, false},
		{"no attempt zero", 0, 0, noJitter, 0, false},
		{"jitter lengthens by its share of a fifth", 4, 0, func() float64 { return 0.75 }, 2*time.Hour + 18*time.Minute, true},
		{"jitter stays under a fifth", 9, 0, fullJitter, 24*time.Hour + 4*time.Hour + 47*time.Minute + 59*time.Second + 982720*time.Microsecond, true},
		{"half jitter", 3, 0, func() float64 { return 0.5 }, 33 * time.Minute, true},
		{"Retry-After longer than the delay wins", 1, 90 * time.Second, noJitter, 90 * time.Second, true},
		{"Retry-After shorter than the delay is outwaited", 5, time.Hour, noJitter, 5 * time.Hour, true},
		{"Retry-After is capped at a day", 2, 72 * time.Hour, noJitter, 24 * time.Hour, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s.Rand = tt.rand
			next, ok := s.NextAttempt(tt.attempt, now, tt.retryAfter)
			if ok != tt.ok {
				t.Fatalf("ok = %v, want %v", ok, tt.ok)
			}
			if ok && next.Sub(now) != tt.wait {
				t.Fatalf("waits %v, want %v", next.Sub(now), tt.wait)
			}
			if !ok && !next.IsZero() {
				t.Fatalf("no next attempt, yet %v", next)
			}
		})
	}
}

// TestScheduleSpansThreeDays runs a delivery that always fails on a fake
// clock, with a seeded jitter source, and checks it is tried ten times over
// at least three days, never sooner than the schedule says, then dead.
func TestScheduleSpansThreeDays(t *testing.T) {
	for _, seed := range []uint64{1, 2, 3, 42} {
		s := DefaultSchedule()
		s.Rand = rand.New(rand.NewPCG(seed, seed)).Float64
		start := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
		clock, attempts := start, 1
		for {
			next, ok := s.NextAttempt(attempts, clock, 0)
			if !ok {
				break
			}
			wait, planned := next.Sub(clock), s.Delays[attempts-1]
			if wait < planned || wait >= planned+planned/5 {
				t.Fatalf("seed %d: wait after attempt %d is %v, want [%v, %v)", seed, attempts, wait, planned, planned+planned/5)
			}
			clock, attempts = next, attempts+1
		}
		if attempts != 10 || attempts != s.Attempts() {
			t.Fatalf("seed %d: %d attempts, want 10", seed, attempts)
		}
		if span := clock.Sub(start); span < 72*time.Hour || span < s.Span() {
			t.Fatalf("seed %d: last attempt %v after the first, want at least 3 days and %v", seed, span, s.Span())
		}
	}
	if got, want := DefaultSchedule().Span(), 75*time.Hour+35*time.Minute+5*time.Second; got != want {
		t.Fatalf("Span = %v, want the specification's %v", got, want)
	}
}
