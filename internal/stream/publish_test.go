package stream

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// fakeJS stands in for JetStream in tests of Publish's rules. A message's
// answer is given when Publish first looks at its future, so "looked at"
// means "awaited": the fake can check, at each send, what Publish had
// awaited before it.
type fakeJS struct {
	t       *testing.T
	answer  func(m *nats.Msg) error // nil: acknowledged; errHang: never answered
	sendErr func(m *nats.Msg) error // an error from PublishMsgAsync itself

	mu      sync.Mutex
	sent    []*fakeFuture
	maxOpen int // the most messages sent and not yet awaited
}

var errHang = errors.New("no answer")

type fakeFuture struct {
	js      *fakeJS
	msg     *nats.Msg
	once    sync.Once
	ok      chan *jetstream.PubAck
	err     chan error
	awaited bool
}

func (f *fakeFuture) settle() {
	f.once.Do(func() {
		f.js.mu.Lock()
		f.awaited = true
		f.js.mu.Unlock()
		switch err := f.js.answer(f.msg); {
		case err == nil:
			f.ok <- &jetstream.PubAck{Stream: "T", Sequence: 1}
		case errors.Is(err, errHang):
		default:
			f.err <- err
		}
	})
}
func (f *fakeFuture) Ok() <-chan *jetstream.PubAck { f.settle(); return f.ok }
func (f *fakeFuture) Err() <-chan error            { f.settle(); return f.err }
func (f *fakeFuture) Msg() *nats.Msg               { return f.msg }

func (js *fakeJS) PublishMsgAsync(m *nats.Msg, _ ...jetstream.PublishOpt) (jetstream.PubAckFuture, error) {
	if js.sendErr != nil {
		if err := js.sendErr(m); err != nil {
			return nil, err
		}
	}
	js.mu.Lock()
	defer js.mu.Unlock()
	open := 1
	for _, f := range js.sent {
		if f.awaited {
			continue
		}
		open++
		if o := f.msg.Header.Get(HeaderOrderID); o == m.Header.Get(HeaderOrderID) {
			js.t.Errorf("%s sent while %s of the same order is not yet acknowledged",
				m.Header.Get(HeaderEventID), f.msg.Header.Get(HeaderEventID))
		}
	}
	js.maxOpen = max(js.maxOpen, open)
	f := &fakeFuture{js: js, msg: m, ok: make(chan *jetstream.PubAck, 1), err: make(chan error, 1)}
	js.sent = append(js.sent, f)
	return f, nil
}

// sentIDs are the event ids sent, in order.
func (js *fakeJS) sentIDs() string {
	js.mu.Lock()
	defer js.mu.Unlock()
	var ids []string
	for _, f := range js.sent {
		ids = append(ids, f.msg.Header.Get(HeaderEventID))
	}
	return strings.Join(ids, " ")
}

// fakePublisher returns a Publisher over a fakeJS that acknowledges all.
func fakePublisher(t *testing.T, maxInFlight int) (*Publisher, *fakeJS) {
	js := &fakeJS{t: t, answer: func(*nats.Msg) error { return nil }}
	return &Publisher{js: js, prefix: "oms", maxInFlight: maxInFlight}, js
}

// events makes one event per "id:order" spec, such as "a1:a" or "x1:".
func events(specs ...string) []Event {
	var es []Event
	for _, s := range specs {
		id, order, _ := strings.Cut(s, ":")
		es = append(es, Event{ID: id, Type: "order.edited", Time: at, OrderID: order})
	}
	return es
}

func TestPublishPipelinesAcrossOrders(t *testing.T) {
	p, js := fakePublisher(t, 4)
	es := events("a1:a", "b1:b", "c1:c", "d1:d", "e1:e", "f1:f", "a2:a", "x1:", "x2:", "b2:b")
	n, err := p.Publish(t.Context(), es)
	if n != len(es) || err != nil {
		t.Fatalf("Publish = %d, %v", n, err)
	}
	if got, want := js.sentIDs(), "a1 b1 c1 d1 e1 f1 a2 x1 x2 b2"; got != want {
		t.Errorf("sent %s, want %s", got, want)
	}
	if js.maxOpen != 4 {
		t.Errorf("at most %d messages in flight, want MaxInFlight 4", js.maxOpen)
	}
}

func TestPublishOneAtATime(t *testing.T) {
	p, js := fakePublisher(t, 1)
	es := events("a1:a", "b1:b", "c1:c", "a2:a")
	if n, err := p.Publish(t.Context(), es); n != 4 || err != nil {
		t.Fatalf("Publish = %d, %v", n, err)
	}
	if js.maxOpen != 1 {
		t.Errorf("%d messages in flight with MaxInFlight 1", js.maxOpen)
	}
}

func TestPublishStopsAtTheFirstFailure(t *testing.T) {
	p, js := fakePublisher(t, 16)
	js.answer = func(m *nats.Msg) error {
		if m.Header.Get(HeaderEventID) == "b1" {
			return errors.New("nats: timeout")
		}
		return nil
	}
	es := events("a1:a", "b1:b", "a2:a", "c1:c", "b2:b", "d1:d")
	n, err := p.Publish(t.Context(), es)
	if n != 1 || err == nil || !strings.Contains(err.Error(), "b1") || !strings.Contains(err.Error(), "nats: timeout") {
		t.Fatalf("Publish = %d, %v; want 1 and b1's error", n, err)
	}
	// a2 and c1 went while b1 was in flight; b2 waited for b1, saw it fail,
	// and nothing was sent after that.
	if got, want := js.sentIDs(), "a1 b1 a2 c1"; got != want {
		t.Errorf("sent %s, want %s", got, want)
	}
}

func TestPublishUnpublishable(t *testing.T) {
	p, js := fakePublisher(t, 16)
	es := events("a1:a", "b1:b", "c1:c", "d1:d")
	es[2].Type = "order.*"
	n, err := p.Publish(t.Context(), es)
	if n != 2 || !errors.Is(err, ErrUnpublishable) {
		t.Fatalf("Publish = %d, %v; want 2, ErrUnpublishable", n, err)
	}
	if got := js.sentIDs(); got != "a1 b1" {
		t.Errorf("sent %s", got)
	}

	p, js = fakePublisher(t, 16)
	js.sendErr = func(m *nats.Msg) error {
		if m.Header.Get(HeaderEventID) == "b1" {
			return nats.ErrMaxPayload
		}
		return nil
	}
	n, err = p.Publish(t.Context(), events("a1:a", "b1:b", "c1:c"))
	if n != 1 || !errors.Is(err, ErrUnpublishable) || !errors.Is(err, nats.ErrMaxPayload) {
		t.Fatalf("too large: Publish = %d, %v", n, err)
	}
}

func TestPublishGivesUpWhenTheContextEnds(t *testing.T) {
	p, js := fakePublisher(t, 16)
	js.answer = func(m *nats.Msg) error {
		if m.Header.Get(HeaderEventID) == "c1" {
			return errHang
		}
		return nil
	}
	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	es := events("a1:a", "b1:b", "c1:c", "c2:c", "d1:d")
	n, err := p.Publish(ctx, es)
	if n != 2 || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Publish = %d, %v; want 2, deadline exceeded", n, err)
	}
	if strings.Contains(js.sentIDs(), "c2") {
		t.Errorf("c2 sent before c1 was acknowledged: %s", js.sentIDs())
	}

	done, cancel := context.WithCancel(t.Context())
	cancel()
	n, err = p.Publish(done, events("z1:z"))
	if n != 0 || !errors.Is(err, context.Canceled) {
		t.Errorf("ended context: Publish = %d, %v", n, err)
	}
}

func TestPublishNothing(t *testing.T) {
	p, _ := fakePublisher(t, 4)
	if n, err := p.Publish(t.Context(), nil); n != 0 || err != nil {
		t.Errorf("Publish(nil) = %d, %v", n, err)
	}
}
