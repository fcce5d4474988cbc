package webhook

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// fakeClock is a clock that moves only when told; a test receiver moves it
// to say how long it took.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

func (c *fakeClock) Advance(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

// fakeResolver answers host lookups from a table.
type fakeResolver map[string][]netip.Addr

func (r fakeResolver) LookupNetIP(_ context.Context, _, host string) ([]netip.Addr, error) {
	if ips, ok := r[host]; ok {
		return ips, nil
	}
	return nil, fmt.Errorf("lookup %s: no such host", host)
}

// receiver is a test endpoint on loopback that counts the requests it gets.
type receiver struct {
	*httptest.Server
	hits atomic.Int32
}

func newReceiver(t *testing.T, h http.HandlerFunc) *receiver {
	t.Helper()
	r := &receiver{}
	r.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		r.hits.Add(1)
		h(w, req)
	}))
	t.Cleanup(r.Close)
	return r
}

// setup returns a client on a fake clock with no jitter, and the clock.
func setup(t *testing.T, o HTTPOptions) (*Client, *fakeClock) {
	t.Helper()
	clock := &fakeClock{t: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
	s := DefaultSchedule()
	s.Rand = noJitter
	return NewClient(Options{HTTP: NewHTTPClient(o), Now: clock.Now, Schedule: s}), clock
}

var testEvent = Event{ID: "evt_42", Type: "order.created", Time: time.Date(2026, 3, 1, 11, 59, 0, 0, time.UTC),
	Data: json.RawMessage(`{"order_id":"ord_1","total":2500}`), Key: "ord_1"}

// TestDeliverRefusesLoopback: without AllowPrivate nothing reaches a
// receiver on loopback, by IP or by a name that resolves there; the attempt
// fails and is retried.
func TestDeliverRefusesLoopback(t *testing.T) {
	r := newReceiver(t, func(http.ResponseWriter, *http.Request) {})
	port := r.Listener.Addr().(interface{ AddrPort() netip.AddrPort }).AddrPort().Port()
	resolver := fakeResolver{
		"hooks.example.com": {netip.MustParseAddr("127.0.0.1")},
		"mixed.example.com": {netip.MustParseAddr("10.0.0.7"), netip.MustParseAddr("::ffff:127.0.0.1")},
		"v6.example.com":    {netip.MustParseAddr("::1")},
	}
	for _, u := range []string{
		r.URL,
		fmt.Sprintf("http://hooks.example.com:%d/hook", port),
		fmt.Sprintf("http://mixed.example.com:%d/hook", port),
		fmt.Sprintf("http://v6.example.com:%d/hook", port),
		fmt.Sprintf("http://[::ffff:127.0.0.1]:%d/hook", port),
	} {
		c, clock := setup(t, HTTPOptions{Resolver: resolver})
		a, err := c.Deliver(context.Background(), Endpoint{ID: "we_1", URL: u}, []string{vectorSecret}, testEvent, 1)
		if err != nil {
			t.Fatalf("%s: %v", u, err)
		}
		if a.Outcome != Failed || a.StatusCode != 0 || !strings.Contains(a.Error, "address not allowed") {
			t.Errorf("%s: attempt %+v, want a refused, failed attempt", u, a)
		}
		if want := clock.Now().Add(5 * time.Second); !a.Next.Equal(want) {
			t.Errorf("%s: next attempt %v, want %v", u, a.Next, want)
		}
	}
	if n := r.hits.Load(); n != 0 {
		t.Fatalf("the receiver got %d requests", n)
	}
}

// TestDeliverSigned: with AllowPrivate the receiver gets the body and the
// Standard Webhooks headers, and verifies the message with each active
// secret of a rotation.
func TestDeliverSigned(t *testing.T) {
	old, cur := NewSecret(), NewSecret()
	var clock *fakeClock
	var got struct {
		header http.Header
		body   []byte
		errs   []error
	}
	r := newReceiver(t, func(w http.ResponseWriter, req *http.Request) {
		got.header = req.Header.Clone()
		got.body, _ = io.ReadAll(req.Body)
		for _, s := range []string{old, cur} {
			got.errs = append(got.errs, Verify(s, req.Header, got.body, clock.Now(), 0))
		}
		clock.Advance(250 * time.Millisecond)
		w.Write([]byte("thanks"))
	})
	resolver := fakeResolver{"hooks.example.com": {netip.MustParseAddr("127.0.0.1")}}
	u, _ := url.Parse(r.URL)
	for _, target := range []string{r.URL + "/hook", "http://hooks.example.com:" + u.Port() + "/hook"} {
		c, ck := setup(t, HTTPOptions{AllowPrivate: true, Resolver: resolver})
		clock = ck
		at := clock.Now()
		a, err := c.Deliver(context.Background(), Endpoint{ID: "we_1", URL: target}, []string{cur, old}, testEvent, 3)
		if err != nil {
			t.Fatal(err)
		}
		want := Attempt{Number: 3, At: at, Latency: 250 * time.Millisecond, StatusCode: 200, Body: "thanks", Outcome: Success}
		if a != want {
			t.Fatalf("%s: attempt\n%+v, want\n%+v", target, a, want)
		}
		body, _ := testEvent.Body()
		if !bytes.Equal(got.body, body) {
			t.Errorf("body %s, want %s", got.body, body)
		}
		for name, want := range map[string]string{
			"webhook-id": "evt_42", "webhook-timestamp": fmt.Sprint(at.Unix()),
			"Content-Type": "application/json", "User-Agent": "oms-webhooks",
		} {
			if v := got.header.Get(name); v != want {
				t.Errorf("%s: %q, want %q", name, v, want)
			}
		}
		if sigs := strings.Fields(got.header.Get("webhook-signature")); len(sigs) != 2 {
			t.Errorf("signatures %q, want one per secret", sigs)
		}
		for i, err := range got.errs {
			if err != nil {
				t.Errorf("the receiver's secret %d did not verify: %v", i, err)
			}
		}
	}
}

// TestDeliverOutcomes: what each answer makes of the delivery, and when the
// next attempt is (the client waits 5 s after a first attempt, 5 h after a
// fifth, and the tenth is the last).
func TestDeliverOutcomes(t *testing.T) {
	other := newReceiver(t, func(http.ResponseWriter, *http.Request) {})
	date := time.Date(2026, 3, 1, 12, 2, 0, 0, time.UTC).Format(http.TimeFormat)
	tests := []struct {
		name    string
		status  int
		header  map[string]string
		attempt int
		outcome Outcome
		wait    time.Duration // from the attempt to the next; 0: none
	}{
		{"200", 200, nil, 1, Success, 0},
		{"204", 204, nil, 10, Success, 0},
		{"410 disables", 410, nil, 1, Gone, 0},
		{"500 retries", 500, nil, 1, Failed, 5 * time.Second},
		{"503 with Retry-After seconds", 503, map[string]string{"Retry-After": "60"}, 1, Failed, time.Minute},
		{"429 with Retry-After date", 429, map[string]string{"Retry-After": date}, 1, Failed, 2 * time.Minute},
		{"429 asking for less than the schedule", 429, map[string]string{"Retry-After": "60"}, 5, Failed, 5 * time.Hour},
		{"429 asking for a week is capped", 429, map[string]string{"Retry-After": "604800"}, 1, Failed, 24 * time.Hour},
		{"400 retries; its Retry-After is ignored", 400, map[string]string{"Retry-After": "60"}, 1, Failed, 5 * time.Second},
		{"404 retries", 404, nil, 2, Failed, 5 * time.Minute},
		{"302 to another receiver is not followed", 302, map[string]string{"Location": other.URL}, 1, Failed, 5 * time.Second},
		{"307 is not followed", 307, map[string]string{"Location": other.URL}, 1, Failed, 5 * time.Second},
		{"the ninth failure retries after a day", 500, nil, 9, Failed, 24 * time.Hour},
		{"the tenth failure is dead", 500, nil, 10, Dead, 0},
		{"a 429 on the tenth is dead too", 429, map[string]string{"Retry-After": "5"}, 10, Dead, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newReceiver(t, func(w http.ResponseWriter, _ *http.Request) {
				for k, v := range tt.header {
					w.Header().Set(k, v)
				}
				w.WriteHeader(tt.status)
			})
			c, clock := setup(t, HTTPOptions{AllowPrivate: true})
			a, err := c.Deliver(context.Background(), Endpoint{ID: "we_1", URL: r.URL}, []string{vectorSecret}, testEvent, tt.attempt)
			if err != nil {
				t.Fatal(err)
			}
			if a.Outcome != tt.outcome || a.StatusCode != tt.status || a.Number != tt.attempt {
				t.Fatalf("attempt %+v, want %s with %d", a, tt.outcome, tt.status)
			}
			if tt.wait == 0 && !a.Next.IsZero() || tt.wait != 0 && !a.Next.Equal(clock.Now().Add(tt.wait)) {
				t.Fatalf("next attempt at %v, want %v after %v", a.Next, tt.wait, clock.Now())
			}
		})
	}
	if n := other.hits.Load(); n != 0 {
		t.Fatalf("a redirect was followed %d times", n)
	}
}

func TestDeliverTimeout(t *testing.T) {
	release := make(chan struct{})
	r := newReceiver(t, func(http.ResponseWriter, *http.Request) { <-release })
	defer close(release) // before r.Close, which waits for the handler
	c, _ := setup(t, HTTPOptions{AllowPrivate: true, Timeout: 100 * time.Millisecond})
	start := time.Now()
	a, err := c.Deliver(context.Background(), Endpoint{ID: "we_1", URL: r.URL}, []string{vectorSecret}, testEvent, 1)
	if err != nil {
		t.Fatalf("a timeout is an attempt, not an error: %v", err)
	}
	if a.Outcome != Failed || a.StatusCode != 0 || !strings.Contains(a.Error, "Timeout") {
		t.Fatalf("attempt %+v, want a timed-out failure", a)
	}
	if took := time.Since(start); took > 5*time.Second {
		t.Fatalf("took %v", took)
	}
}

// TestDeliverBoundsTheAnswer: a long or endless answer is read only so far;
// the excerpt is 1 KiB of valid UTF-8.
func TestDeliverBoundsTheAnswer(t *testing.T) {
	tests := []struct {
		name    string
		handler http.HandlerFunc
		want    string
	}{
		{"long", func(w http.ResponseWriter, _ *http.Request) {
			w.Write(bytes.Repeat([]byte("x"), 1<<20))
		}, strings.Repeat("x", ExcerptLimit)},
		{"a rune cut at the limit", func(w http.ResponseWriter, _ *http.Request) {
			w.Write([]byte(strings.Repeat("a", ExcerptLimit-1) + "é and more"))
		}, strings.Repeat("a", ExcerptLimit-1)},
		{"invalid UTF-8", func(w http.ResponseWriter, _ *http.Request) {
			w.Write([]byte("ok\xff\xfe"))
		}, "ok\uFFFD"},
		{"endless", func(w http.ResponseWriter, req *http.Request) {
			chunk := bytes.Repeat([]byte("y"), 32<<10)
			for req.Context().Err() == nil {
				if _, err := w.Write(chunk); err != nil {
					return
				}
			}
		}, strings.Repeat("y", ExcerptLimit)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newReceiver(t, tt.handler)
			c, _ := setup(t, HTTPOptions{AllowPrivate: true, Timeout: 30 * time.Second})
			start := time.Now()
			a, err := c.Deliver(context.Background(), Endpoint{ID: "we_1", URL: r.URL}, []string{vectorSecret}, testEvent, 1)
			if err != nil {
				t.Fatal(err)
			}
			if a.Body != tt.want {
				t.Fatalf("excerpt of %d bytes %.40q…, want %d bytes %.40q…", len(a.Body), a.Body, len(tt.want), tt.want)
			}
			if took := time.Since(start); took > 10*time.Second {
				t.Fatalf("took %v reading the answer", took)
			}
		})
	}
}

// TestDeliverContextEnded: when the caller's context ends no attempt counts.
func TestDeliverContextEnded(t *testing.T) {
	arrived := make(chan struct{})
	r := newReceiver(t, func(_ http.ResponseWriter, req *http.Request) {
		io.Copy(io.Discard, req.Body) // the server notices a closed connection once the body is read
		close(arrived)
		<-req.Context().Done()
	})
	c, _ := setup(t, HTTPOptions{AllowPrivate: true})
	ctx, cancel := context.WithCancel(context.Background())
	go func() { <-arrived; cancel() }()
	a, err := c.Deliver(ctx, Endpoint{ID: "we_1", URL: r.URL}, []string{vectorSecret}, testEvent, 4)
	if !errors.Is(err, context.Canceled) || a != (Attempt{}) {
		t.Fatalf("Deliver = %+v, %v; want no attempt and context.Canceled", a, err)
	}
	a, err = c.Deliver(ctx, Endpoint{ID: "we_1", URL: r.URL}, []string{vectorSecret}, testEvent, 4)
	if !errors.Is(err, context.Canceled) || a != (Attempt{}) {
		t.Fatalf("Deliver after cancel = %+v, %v", a, err)
	}
	if n := r.hits.Load(); n != 1 {
		t.Fatalf("%d requests, want the first only", n)
	}
}

// TestDeliverRefusesBadInput: input no attempt can fix is an error, and
// nothing is sent.
func TestDeliverRefusesBadInput(t *testing.T) {
	r := newReceiver(t, func(http.ResponseWriter, *http.Request) {})
	c, _ := setup(t, HTTPOptions{AllowPrivate: true})
	bad := testEvent
	bad.Data = json.RawMessage(`[1,2]`)
	dotted := testEvent
	dotted.ID = "evt.42"
	tests := []struct {
		name    string
		url     string
		secrets []string
		ev      Event
	}{
		{"no secret", r.URL, nil, testEvent},
		{"a bad secret", r.URL, []string{"whsec_short"}, testEvent},
		{"data not an object", r.URL, []string{vectorSecret}, bad},
		{"a full stop in the id", r.URL, []string{vectorSecret}, dotted},
		{"a URL that does not parse", "http://[::1", []string{vectorSecret}, testEvent},
	}
	for _, tt := range tests {
		if a, err := c.Deliver(context.Background(), Endpoint{ID: "we_1", URL: tt.url}, tt.secrets, tt.ev, 1); err == nil {
			t.Errorf("%s: Deliver = %+v, want an error", tt.name, a)
		}
	}
	if n := r.hits.Load(); n != 0 {
		t.Fatalf("%d requests sent", n)
	}
}

func TestDeliverLogs(t *testing.T) {
	r := newReceiver(t, func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(503) })
	var buf bytes.Buffer
	c := NewClient(Options{
		HTTP:   NewHTTPClient(HTTPOptions{AllowPrivate: true}),
		Logger: slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug})),
	})
	if _, err := c.Deliver(context.Background(), Endpoint{ID: "we_7", URL: r.URL}, []string{vectorSecret}, testEvent, 1); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"endpoint=we_7", "event=evt_42", "status=503", "outcome=failed"} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("log %q lacks %q", buf.String(), want)
		}
	}
}
