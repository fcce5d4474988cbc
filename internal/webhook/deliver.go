package webhook

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// ExcerptLimit is how much of a response body an Attempt keeps, in bytes.
const ExcerptLimit = 1 << 10

// drainLimit is how much more of a response body is read, and thrown away,
// so that its connection can serve the next request; a longer body closes
// the connection instead.
const drainLimit = 4 << 10

// Endpoint is where a delivery goes.
type Endpoint struct {
	ID  string // for logs
	URL string // checked with CheckURL when saved
}

// Attempt records one try at a delivery, for the delivery log.
type Attempt struct {
	Number     int           // 1 for the first attempt
	At         time.Time     // when it was sent; the webhook-timestamp
	Latency    time.Duration // from sending to the end of the body excerpt
	StatusCode int           // 0 when no answer came
	Body       string        // the first ExcerptLimit bytes of the answer, as valid UTF-8
	Error      string        // why no answer came: a timeout, a network error, a refused address
	Outcome    Outcome       // Success, Failed, Gone or Dead
	Next       time.Time     // when to try again; zero unless Outcome is Failed
}

// Doer sends an HTTP request; *http.Client is one. The client given to
// NewClient must be NewHTTPClient's, or as safe.
type Doer interface {
	Do(*http.Request) (*http.Response, error)
}

// Options configures a Client. The zero value is usable: a guarded HTTP
// client that refuses private addresses, the real clock, no logs, the
// default schedule.
type Options struct {
	HTTP      Doer             // nil: NewHTTPClient(HTTPOptions{})
	Now       func() time.Time // nil: time.Now
	Logger    *slog.Logger     // nil: discard
	Schedule  Schedule         // zero: DefaultSchedule()
	UserAgent string           // empty: "oms-webhooks"
}

// Client delivers events to endpoints. It holds no state of its own and is
// safe for concurrent use.
type Client struct {
	http      Doer
	now       func() time.Time
	log       *slog.Logger
	schedule  Schedule
	userAgent string
}

// NewClient returns a Client with the options, defaults filled in.
func NewClient(o Options) *Client {
	c := &Client{http: o.HTTP, now: o.Now, log: o.Logger, schedule: o.Schedule, userAgent: o.UserAgent}
	if c.http == nil {
		c.http = NewHTTPClient(HTTPOptions{})
	}
	if c.now == nil {
		c.now = time.Now
	}
	if c.log == nil {
		c.log = slog.New(slog.DiscardHandler)
	}
	if c.schedule.Delays == nil {
		c.schedule = DefaultSchedule()
	}
	if c.userAgent == "" {
		c.userAgent = "oms-webhooks"
	}
	return c
}

// Schedule returns the retry schedule the client applies.
func (c *Client) Schedule() Schedule { return c.schedule }

// Deliver makes attempt number attempt (the first is 1) at delivering ev to
// ep: it builds the body (Event.Body), signs it with every secret (Sign),
// POSTs it as application/json with the webhook-id, webhook-timestamp and
// webhook-signature headers, reads at most ExcerptLimit bytes of the answer,
// and returns the Attempt with its Outcome: Failed becomes Dead when the
// schedule has no attempt left, and Next says when to try again otherwise,
// honouring a Retry-After on 429 and 5xx answers.
//
// Every answer, and every failure to get one, is an Attempt with a nil
// error. The error is not nil only when no attempt was made and none
// counted: ctx ended first (it wraps ctx.Err(): try the same attempt number
// later), or the input cannot be sent (a bad secret, data that is not a JSON
// object, an id with a full stop, a URL that does not parse): no retry can
// help; dead-letter the delivery.
func (c *Client) Deliver(ctx context.Context, ep Endpoint, secrets []string, ev Event, attempt int) (Attempt, error) {
	req, at, err := c.request(ctx, ep, secrets, ev)
	if err != nil {
		return Attempt{}, err
	}
	resp, err := c.http.Do(req)
	if err != nil && ctx.Err() != nil {
		return Attempt{}, fmt.Errorf("webhook: delivery of %s to %s not attempted: %w", ev.ID, ep.ID, ctx.Err())
	}
	a := Attempt{Number: attempt, At: at}
	var retryAfter time.Duration
	if err != nil {
		a.Error = err.Error()
	} else {
		a.StatusCode = resp.StatusCode
		a.Body = excerpt(resp.Body)
		if resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500 {
			retryAfter, _ = ParseRetryAfter(resp.Header.Get("Retry-After"), at)
		}
	}
	end := c.now()
	a.Latency = end.Sub(at)
	a.Outcome = Classify(a.StatusCode, err)
	if a.Outcome == Failed {
		next, ok := c.schedule.NextAttempt(attempt, end, retryAfter)
		if ok {
			a.Next = next
		} else {
			a.Outcome = Dead
		}
	}
	c.log.LogAttrs(ctx, slog.LevelDebug, "webhook attempt",
		slog.String("endpoint", ep.ID), slog.String("event", ev.ID), slog.Int("attempt", attempt),
		slog.Int("status", a.StatusCode), slog.String("outcome", string(a.Outcome)),
		slog.Duration("latency", a.Latency), slog.String("error", a.Error))
	return a, nil
}

// request builds the signed request and returns it with its timestamp.
func (c *Client) request(ctx context.Context, ep Endpoint, secrets []string, ev Event) (*http.Request, time.Time, error) {
	body, err := ev.Body()
	if err != nil {
		return nil, time.Time{}, err
	}
	at := c.now()
	sig, err := Sign(secrets, ev.ID, at, body)
	if err != nil {
		return nil, time.Time{}, fmt.Errorf("webhook: endpoint %s: %w", ep.ID, err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, ep.URL, bytes.NewReader(body))
	if err != nil {
		return nil, time.Time{}, fmt.Errorf("webhook: endpoint %s: %w", ep.ID, err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", c.userAgent)
	req.Header.Set(HeaderID, ev.ID)
	req.Header.Set(HeaderTimestamp, strconv.FormatInt(at.Unix(), 10))
	req.Header.Set(HeaderSignature, sig)
	return req, at, nil
}

// excerpt reads the first ExcerptLimit bytes of body, drains a little more
// so the connection can be reused, and closes it. A rune cut at the limit
// and any invalid UTF-8 become U+FFFD. A failed read keeps what came.
func excerpt(body io.ReadCloser) string {
	defer body.Close()
	b, err := io.ReadAll(io.LimitReader(body, ExcerptLimit))
	if err == nil && len(b) == ExcerptLimit {
		io.CopyN(io.Discard, body, drainLimit)
	}
	return strings.ToValidUTF8(string(trimCutRune(b)), "\uFFFD")
}

// trimCutRune drops an incomplete rune at the end of b.
func trimCutRune(b []byte) []byte {
	for i := len(b) - 1; i >= 0 && i > len(b)-utf8.UTFMax; i-- {
		if utf8.RuneStart(b[i]) {
			if !utf8.FullRune(b[i:]) {
				return b[:i]
			}
			break
		}
	}
	return b
}
