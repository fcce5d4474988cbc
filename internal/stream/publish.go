package stream

import (
	"context"
	"errors"
	"fmt"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// Publish publishes events in the order given and waits for JetStream to
// acknowledge them. It returns how many of the first events are stored: the
// caller advances its outbox cursor past events[:n] and gives the rest to a
// later call. The error, nil only when n == len(events), is that of
// events[n]; it wraps ErrUnpublishable when events[n] can never be published,
// and ctx's error when ctx ended first.
//
// Messages are pipelined, up to MaxInFlight unacknowledged at a time, but an
// event is sent only once every earlier event with the same OrderID is
// acknowledged. So events of one order are stored in the order given: when
// one fails, none of that order's later events has been sent. Events of other
// orders sent after a failed one may be stored; the caller publishes them
// again with the rest and JetStream drops them as repeats (same Nats-Msg-Id)
// within the duplicate window. After the first failure nothing more is sent.
// Delivery is at least once: a consumer drops an event id it has seen.
func (p *Publisher) Publish(ctx context.Context, events []Event) (int, error) {
	b := batch{ctx: ctx, errs: make([]error, len(events)), last: map[string]int{}}
	for i, e := range events {
		if b.failed || ctx.Err() != nil {
			break
		}
		if j, ok := b.last[e.OrderID]; ok {
			b.awaitThrough(j) // the order's previous event first
		}
		for !b.failed && len(b.window) >= p.maxInFlight {
			b.awaitThrough(b.window[0].i)
		}
		if b.failed {
			break
		}
		b.sent = i + 1
		fut, err := p.send(e)
		if err != nil {
			b.errs[i], b.failed = err, true
			break
		}
		b.window = append(b.window, flight{i: i, key: e.OrderID, fut: fut})
		b.last[e.OrderID] = i
	}
	if len(b.window) > 0 {
		b.awaitThrough(b.window[len(b.window)-1].i)
	}
	return b.result(events)
}

// send builds the event's message and hands it to the client.
func (p *Publisher) send(e Event) (jetstream.PubAckFuture, error) {
	m, err := message(p.prefix, e)
	if err != nil {
		return nil, err
	}
	fut, err := p.js.PublishMsgAsync(m)
	if errors.Is(err, nats.ErrMaxPayload) || errors.Is(err, nats.ErrBadSubject) {
		err = fmt.Errorf("%w: %w", ErrUnpublishable, err)
	}
	return fut, err
}

// flight is a message sent and not yet seen acknowledged.
type flight struct {
	i   int    // its index in the batch
	key string // its order id
	fut jetstream.PubAckFuture
}

// batch is the state of one Publish call.
type batch struct {
	ctx    context.Context
	errs   []error        // per event: nil when acknowledged (or never sent)
	sent   int            // events[:sent] were tried
	window []flight       // sent, unacknowledged, in the order sent
	last   map[string]int // order id -> index of its latest event in window
	failed bool
}

// awaitThrough waits for the acknowledgements of the window's messages up
// to and including event i, oldest first.
func (b *batch) awaitThrough(i int) {
	for len(b.window) > 0 && b.window[0].i <= i {
		f := b.window[0]
		b.window = b.window[1:]
		if b.last[f.key] == f.i {
			delete(b.last, f.key)
		}
		if err := await(b.ctx, f.fut); err != nil {
			b.errs[f.i], b.failed = err, true
		}
	}
}

// await returns nil once fut is acknowledged, or its error; ctx's error when
// ctx ends first.
func await(ctx context.Context, fut jetstream.PubAckFuture) error {
	select { // an answer already there wins over an ended ctx
	case <-fut.Ok():
		return nil
	case err := <-fut.Err():
		return err
	default:
	}
	select {
	case <-fut.Ok():
		return nil
	case err := <-fut.Err():
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// result is the number of leading events acknowledged and the error of the
// first one that was not.
func (b *batch) result(events []Event) (int, error) {
	n := 0
	for n < b.sent && b.errs[n] == nil {
		n++
	}
	if n == len(events) {
		return n, nil
	}
	err := b.errs[n]
	if err == nil { // ctx ended before events[n] was sent
		err = b.ctx.Err()
	}
	e := events[n]
	return n, fmt.Errorf("stream: publish event %s (%s): %w", e.ID, e.Type, err)
}
