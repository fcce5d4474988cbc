package stream

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"net"
	"net/url"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// natsURL is the NATS server with JetStream the tests publish to:
// OMS_TEST_NATS_URL, or nats://127.0.0.1:4222. A test skips when nothing
// answers there, and fails when OMS_TEST_NATS_URL was set (as CI sets it).
func natsURL(t *testing.T) (string, string) {
	t.Helper()
	raw, set := os.LookupEnv("OMS_TEST_NATS_URL")
	if !set {
		raw = "nats://127.0.0.1:4222"
	}
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatalf("OMS_TEST_NATS_URL: %v", err)
	}
	c, err := net.DialTimeout("tcp", u.Host, time.Second)
	if err != nil {
		if set {
			t.Fatalf("NATS at OMS_TEST_NATS_URL is not reachable: %v", err)
		}
		t.Skipf("NATS tests skipped: no server at %s (%v); start nats-server -js there, or set OMS_TEST_NATS_URL", u.Host, err)
	}
	c.Close()
	return raw, u.Host
}

// testStream is a stream of the test's own, and a connection to read it.
type testStream struct {
	cfg Config
	js  jetstream.JetStream
	nc  *nats.Conn
}

// setup names a stream and subject prefix no other test run uses, and
// deletes the stream when the test ends.
func setup(t *testing.T) *testStream {
	t.Helper()
	raw, _ := natsURL(t)
	nc, err := nats.Connect(raw)
	if err != nil {
		t.Fatal(err)
	}
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	id := rand.Text()[:12]
	ts := &testStream{
		cfg: Config{URL: raw, Stream: "OMS_TEST_" + id, SubjectPrefix: "omstest_" + strings.ToLower(id)},
		js:  js,
		nc:  nc,
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := js.DeleteStream(ctx, ts.cfg.Stream); err != nil {
			t.Logf("delete stream %s: %v", ts.cfg.Stream, err)
		}
		nc.Close()
	})
	return ts
}

// connect opens a Publisher with the test's Config, closed when the test ends.
func (ts *testStream) connect(t *testing.T, cfg Config) *Publisher {
	t.Helper()
	p, err := Connect(t.Context(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(p.Close)
	return p
}

// read consumes the whole stream with an ordered consumer and checks that it
// holds no more than that.
func (ts *testStream) read(t *testing.T) []jetstream.Msg {
	t.Helper()
	ctx := t.Context()
	s, err := ts.js.Stream(ctx, ts.cfg.Stream)
	if err != nil {
		t.Fatal(err)
	}
	total := int(s.CachedInfo().State.Msgs)
	c, err := s.OrderedConsumer(ctx, jetstream.OrderedConsumerConfig{})
	if err != nil {
		t.Fatal(err)
	}
	var msgs []jetstream.Msg
	for len(msgs) < total {
		batch, err := c.Fetch(total-len(msgs), jetstream.FetchMaxWait(2*time.Second))
		if err != nil {
			t.Fatal(err)
		}
		n := len(msgs)
		for m := range batch.Messages() {
			msgs = append(msgs, m)
		}
		if batch.Error() != nil || len(msgs) == n {
			t.Fatalf("read %d of %d messages: %v", len(msgs), total, batch.Error())
		}
	}
	return msgs
}

// orderEvents makes n events for each of the orders, interleaved as orders
// placed side by side would be, and one event without an order after each
// round; ids start at from so batches do not share them.
func orderEvents(from, n int, orders ...string) []Event {
	types := []string{"order.created", "order.sourced", "fulfillment.picking", "fulfillment.shipped", "order.edited"}
	var es []Event
	id := from
	for i := range n {
		for _, o := range orders {
			es = append(es, Event{
				ID: fmt.Sprintf("ev%06d", id), Type: types[i%len(types)], OrderID: o,
				Time: at.Add(time.Duration(id) * time.Millisecond),
				Data: json.RawMessage(fmt.Sprintf(`{"order_id":%q,"step":%d}`, o, i)),
			})
			id++
		}
		es = append(es, Event{ID: fmt.Sprintf("ev%06d", id), Type: "inventory.adjusted", Time: at,
			Data: json.RawMessage(fmt.Sprintf(`{"sku":"MUG-1","step":%d}`, i))})
		id++
	}
	return es
}

// checkStream reads the stream and checks it holds each event of want once,
// as published, and the events of each order in the order of want.
func (ts *testStream) checkStream(t *testing.T, want []Event) {
	t.Helper()
	msgs := ts.read(t)
	byID := map[string]Event{}
	for _, e := range want {
		byID[e.ID] = e
	}
	seen := map[string]bool{}
	var got []Event
	for _, m := range msgs {
		id := m.Headers().Get(HeaderEventID)
		e, ok := byID[id]
		if !ok || seen[id] {
			t.Fatalf("message %q is unknown or repeated", id)
		}
		seen[id] = true
		got = append(got, e)
		body, _ := e.Payload()
		if m.Subject() != ts.cfg.SubjectPrefix+"."+e.Type || string(m.Data()) != string(body) ||
			m.Headers().Get(HeaderEventType) != e.Type || m.Headers().Get(jetstream.MsgIDHeader) != e.ID || m.Headers().Get(HeaderOrderID) != e.OrderID {
			t.Fatalf("message %s: subject %s, headers %v, body %s; want type %s, order %q, body %s",
				id, m.Subject(), m.Headers(), m.Data(), e.Type, e.OrderID, body)
		}
	}
	if len(got) != len(want) {
		t.Fatalf("the stream holds %d events, want %d", len(got), len(want))
	}
	if a, b := sequences(got), sequences(want); a != b {
		t.Fatalf("events per order\n got %s\nwant %s", a, b)
	}
}

// sequences lists each order's event ids in order, orders sorted by name.
func sequences(es []Event) string {
	per := map[string][]string{}
	var keys []string
	for _, e := range es {
		if per[e.OrderID] == nil {
			keys = append(keys, e.OrderID)
		}
		per[e.OrderID] = append(per[e.OrderID], e.ID)
	}
	var b strings.Builder
	slices.Sort(keys)
	for _, k := range keys {
		fmt.Fprintf(&b, "%s=%v ", k, per[k])
	}
	return b.String()
}

func TestPublishAndConsume(t *testing.T) {
	ts := setup(t)
	p := ts.connect(t, ts.cfg)
	es := orderEvents(0, 8, "ord_a", "ord_b", "ord_c", "ord_d", "ord_e")
	if n, err := p.Publish(t.Context(), es); n != len(es) || err != nil {
		t.Fatalf("Publish = %d, %v; want %d", n, err, len(es))
	}
	ts.checkStream(t, es)
}

func TestRepublishIsDropped(t *testing.T) {
	ts := setup(t)
	p := ts.connect(t, ts.cfg)
	first := orderEvents(0, 4, "ord_a", "ord_b")
	if n, err := p.Publish(t.Context(), first); n != len(first) || err != nil {
		t.Fatalf("Publish = %d, %v", n, err)
	}
	// As after a crash before the cursor moved: the same events again, and
	// then some of them with new ones behind.
	if n, err := p.Publish(t.Context(), first); n != len(first) || err != nil {
		t.Fatalf("Publish again = %d, %v", n, err)
	}
	if got := ts.info(t).State.Msgs; got != uint64(len(first)) {
		t.Fatalf("the stream holds %d messages after publishing %d events twice", got, len(first))
	}
	more := orderEvents(len(first), 2, "ord_a", "ord_c")
	if n, err := p.Publish(t.Context(), append(first[5:], more...)); n != len(first)-5+len(more) || err != nil {
		t.Fatalf("Publish with new events = %d, %v", n, err)
	}
	ts.checkStream(t, append(first, more...))
}

func TestConnectCreatesOrUpdatesTheStream(t *testing.T) {
	ts := setup(t)
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for range 4 { // four servers starting at once
		wg.Go(func() {
			p, err := Connect(t.Context(), ts.cfg)
			if err == nil {
				p.Close()
			}
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatalf("Connect: %v", err)
		}
	}
	info := ts.info(t)
	if c := info.Config; len(c.Subjects) != 1 || c.Subjects[0] != ts.cfg.SubjectPrefix+".>" ||
		c.Storage != jetstream.FileStorage || c.Duplicates != DefaultDuplicates || c.Retention != jetstream.LimitsPolicy {
		t.Errorf("stream config %+v", c)
	}

	cfg := ts.cfg
	cfg.Duplicates, cfg.MaxAge = 5*time.Minute, 24*time.Hour
	ts.connect(t, cfg)
	if c := ts.info(t).Config; c.Duplicates != 5*time.Minute || c.MaxAge != 24*time.Hour {
		t.Errorf("after an update: duplicates %v, max age %v", c.Duplicates, c.MaxAge)
	}
}

func TestConnectKeepsTheOperatorsLimits(t *testing.T) {
	ts := setup(t)
	// The operator made the stream first, with limits of their own and
	// neither oms's subjects nor its duplicate window.
	_, err := ts.js.CreateStream(t.Context(), jetstream.StreamConfig{
		Name: ts.cfg.Stream, Subjects: []string{ts.cfg.SubjectPrefix + ".order.*"}, Storage: jetstream.FileStorage,
		MaxMsgs: 1000, MaxAge: time.Hour, Duplicates: time.Minute,
	})
	if err != nil {
		t.Fatal(err)
	}
	ts.connect(t, ts.cfg)
	c := ts.info(t).Config
	if len(c.Subjects) != 1 || c.Subjects[0] != ts.cfg.SubjectPrefix+".>" || c.Duplicates != DefaultDuplicates {
		t.Errorf("subjects %v, duplicates %v: not oms's", c.Subjects, c.Duplicates)
	}
	if c.MaxMsgs != 1000 || c.MaxAge != time.Hour {
		t.Errorf("max msgs %d, max age %v: the operator's limits were not kept", c.MaxMsgs, c.MaxAge)
	}
}

func (ts *testStream) info(t *testing.T) *jetstream.StreamInfo {
	t.Helper()
	s, err := ts.js.Stream(t.Context(), ts.cfg.Stream)
	if err != nil {
		t.Fatal(err)
	}
	return s.CachedInfo()
}

func TestConnectFails(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there now
	if _, err := Connect(t.Context(), Config{URL: "nats://" + addr}); err == nil {
		t.Error("Connect to a closed port succeeded")
	}

	ts := setup(t)
	cfg := ts.cfg
	cfg.Stream = ts.cfg.Stream + "_B" // a second stream on the first one's subjects
	ts.connect(t, ts.cfg)
	if p, err := Connect(t.Context(), cfg); err == nil {
		p.Close()
		_ = ts.js.DeleteStream(t.Context(), cfg.Stream)
		t.Error("a second stream took the same subjects")
	}
}

// relay publishes events the way the outbox relay does: from the cursor on,
// advancing past what was stored, until all are or the deadline passes.
func relay(t *testing.T, p *Publisher, es []Event, deadline time.Duration) {
	t.Helper()
	end := time.Now().Add(deadline)
	for tries := 1; len(es) > 0; tries++ {
		ctx, cancel := context.WithTimeout(t.Context(), 2*time.Second)
		n, err := p.Publish(ctx, es)
		cancel()
		es = es[n:]
		if err != nil {
			if time.Now().After(end) {
				t.Fatalf("after %d tries %d events unpublished: %v", tries, len(es), err)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
}

func TestPublishAcrossDisconnects(t *testing.T) {
	ts := setup(t)
	_, hostport := natsURL(t)
	px := startProxy(t, hostport)
	cfg := ts.cfg
	cfg.URL, cfg.ReconnectWait, cfg.AckTimeout = px.url(), 50*time.Millisecond, time.Second
	p := ts.connect(t, cfg)

	first := orderEvents(0, 4, "ord_a", "ord_b", "ord_c")
	relay(t, p, first, 10*time.Second)

	px.cut() // the server dropped the connection
	second := orderEvents(len(first), 4, "ord_a", "ord_b", "ord_d")
	relay(t, p, second, 10*time.Second)
	if r := p.nc.Stats().Reconnects; r < 1 {
		t.Fatalf("%d reconnects after the connection was cut", r)
	}

	px.setDown(true) // the server is down for a while
	third := orderEvents(len(first)+len(second), 4, "ord_a", "ord_e")
	ctx, cancel := context.WithTimeout(t.Context(), 300*time.Millisecond)
	n, err := p.Publish(ctx, third)
	cancel()
	if n == len(third) || err == nil {
		t.Fatalf("Publish with the server down = %d, %v; want a failure", n, err)
	}
	px.setDown(false)
	relay(t, p, third[n:], 15*time.Second)

	ts.checkStream(t, append(append(first, second...), third...))
}
