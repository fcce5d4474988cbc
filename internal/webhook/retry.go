package webhook

import (
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Outcome is what became of an attempt, and so of its delivery.
type Outcome string

// Outcomes. Classify returns the first three; Deliver turns Failed into Dead
// when the schedule has no attempt left.
const (
	// Success: the endpoint answered 2xx. The delivery is done.
	Success Outcome = "success"
	// Failed: the attempt failed and another is scheduled (Attempt.Next).
	Failed Outcome = "failed"
	// Gone: the endpoint answered 410 Gone. Disable the endpoint and stop
	// sending to it; its pending deliveries wait until it is enabled again.
	Gone Outcome = "gone"
	// Dead: the last attempt failed. The delivery is dead-lettered: kept
	// for its owner to see and replay, never retried by itself.
	Dead Outcome = "dead"
)

// Classify sorts an attempt by its answer, as the specification's "delivery
// success and failure" section says: a 2xx status is Success; 410 Gone is
// Gone; anything else is Failed and is retried: a transport error (timeout,
// refused or reset connection, DNS failure, an address the guard refused),
// 5xx, 429, 3xx (redirects are not followed: the owner should fix the URL)
// and the other 4xx. Like Stripe, oms retries a 4xx too: a receiver that
// answers 400 or 404 during a bad deploy recovers, and the retries cost
// little. status is ignored when err is not nil.
func Classify(status int, err error) Outcome {
	switch {
	case err != nil:
		return Failed
	case status >= 200 && status <= 299:
		return Success
	case status == http.StatusGone:
		return Gone
	}
	return Failed
}

// maxParsedRetryAfter bounds a parsed Retry-After so that the Duration
// cannot overflow; Schedule.MaxRetryAfter caps it far lower.
const maxParsedRetryAfter = 365 * 24 * time.Hour

// ParseRetryAfter reads a Retry-After header value (RFC 9110 §10.2.3):
// either a number of seconds or an HTTP date, which is turned into the wait
// from now (zero when it has passed). ok is false when the value is neither.
func ParseRetryAfter(value string, now time.Time) (wait time.Duration, ok bool) {
	value = strings.TrimSpace(value)
	if value == "" {
		return 0, false
	}
	if strings.Trim(value, "0123456789") == "" {
		// delay-seconds; one too large for uint64 is still a (very long) wait.
		n, err := strconv.ParseUint(value, 10, 64)
		if err != nil || n > uint64(maxParsedRetryAfter/time.Second) {
			return maxParsedRetryAfter, true
		}
		return time.Duration(n) * time.Second, true
	}
	at, err := http.ParseTime(value)
	if err != nil {
		return 0, false
	}
	return min(max(at.Sub(now), 0), maxParsedRetryAfter), true
}

// Schedule says when a failed delivery is tried again, and when it is given up.
type Schedule struct {
	// Delays[n-1] is the wait after the n-th attempt fails; after the last
	// one the delivery is dead. len(Delays)+1 attempts in all.
	Delays []time.Duration
	// Jitter lengthens each delay by a random fraction of it in
	// [0, Jitter), so that deliveries failed together spread out. It only
	// lengthens, so Span stays the least time a delivery is retried for.
	Jitter float64
	// MaxRetryAfter caps how long a Retry-After may make oms wait; zero
	// ignores Retry-After.
	MaxRetryAfter time.Duration
	// Rand returns a number in [0, 1) for the jitter; nil uses math/rand/v2.
	// Tests pass a seeded source.
	Rand func() float64
}

// DefaultSchedule is the Standard Webhooks example schedule: an attempt at
// once, then after 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h and 24 h:
// ten attempts over 75 h 35 min (more than 3 days), each wait lengthened by
// up to 20% of jitter; a Retry-After is honoured up to 24 h.
func DefaultSchedule() Schedule {
	return Schedule{
		Delays: []time.Duration{
			5 * time.Second, 5 * time.Minute, 30 * time.Minute, 2 * time.Hour, 5 * time.Hour,
			10 * time.Hour, 14 * time.Hour, 20 * time.Hour, 24 * time.Hour,
		},
		Jitter:        0.2,
		MaxRetryAfter: 24 * time.Hour,
	}
}

// Attempts is how many attempts a delivery gets before it is dead.
func (s Schedule) Attempts() int { return len(s.Delays) + 1 }

// Span is the least time between a delivery's first attempt and its last.
func (s Schedule) Span() time.Duration {
	var sum time.Duration
	for _, d := range s.Delays {
		sum += d
	}
	return sum
}

// NextAttempt returns when to try again after attempt number attempt (the
// first is 1) failed at now, and false when that was the last attempt. The
// wait is the scheduled delay plus jitter, or retryAfter (what the endpoint
// asked for, zero if nothing) when that is longer, capped at MaxRetryAfter:
// an endpoint may slow oms down but never make it retry sooner, so the
// schedule's Span always holds.
func (s Schedule) NextAttempt(attempt int, now time.Time, retryAfter time.Duration) (time.Time, bool) {
	if attempt < 1 || attempt > len(s.Delays) {
		return time.Time{}, false
	}
	d := s.Delays[attempt-1]
	random := s.Rand
	if random == nil {
		random = rand.Float64
	}
	d += time.Duration(random() * s.Jitter * float64(d))
	return now.Add(max(d, min(retryAfter, s.MaxRetryAfter))), true
}
